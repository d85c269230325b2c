// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-review"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-review.h"

struct _RhReview
{
  GObject   parent_instance;

  char     *id;
  char     *card_id;
  char     *session_id;
  RhRating  rating;
  gint64    time_us;
  gint64    duration_ms;
  RhCardStateKind state_before;
};

G_DEFINE_FINAL_TYPE (RhReview, rh_review, G_TYPE_OBJECT)

static void
rh_review_finalize (GObject *object)
{
  RhReview *self = RH_REVIEW (object);

  g_free (self->id);
  g_free (self->card_id);
  g_free (self->session_id);

  G_OBJECT_CLASS (rh_review_parent_class)->finalize (object);
}

static void
rh_review_class_init (RhReviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_review_finalize;
}

static void
rh_review_init (RhReview *self)
{
}

gboolean
rh_rating_validate (int      rating,
                    GError **error)
{
  if (rating < RH_RATING_AGAIN || rating > RH_RATING_EASY)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy), not %d"),
                   rating);
      return FALSE;
    }
  return TRUE;
}

const char *
rh_rating_to_string (RhRating rating)
{
  switch (rating)
    {
    case RH_RATING_AGAIN: return "again";
    case RH_RATING_HARD: return "hard";
    case RH_RATING_GOOD: return "good";
    case RH_RATING_EASY: return "easy";
    default: return "invalid";
    }
}

/**
 * rh_rating_parse:
 * @text: "1".."4" or a rating's name
 */
gboolean
rh_rating_parse (const char  *text,
                 RhRating    *out,
                 GError     **error)
{
  static const char *names[] = { "again", "hard", "good", "easy" };

  for (int i = 0; text && i < 4; i++)
    {
      char digit[2] = { (char) ('1' + i), 0 };
      if (g_ascii_strcasecmp (text, names[i]) == 0 || g_strcmp0 (text, digit) == 0)
        {
          *out = (RhRating) (i + 1);
          return TRUE;
        }
    }
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
               _("“%s” is not a rating: use 1–4 or again, hard, good, easy"), text ? text : "");
  return FALSE;
}

/**
 * rh_review_new:
 * @id: (nullable): the id; a new one when %NULL
 *
 * Returns: (transfer full) (nullable): the review
 */
RhReview *
rh_review_new (const char  *id,
               const char  *card_id,
               int          rating,
               gint64       time_us,
               gint64       duration_ms,
               GError     **error)
{
  RhReview *self;

  if (id != NULL && !rh_id_validate (id, error))
    return NULL;
  if (!rh_id_validate (card_id, error))
    return NULL;
  if (!rh_rating_validate (rating, error))
    return NULL;
  if (time_us <= 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A review needs a time"));
      return NULL;
    }
  if (duration_ms < 0 || duration_ms > RH_REVIEW_MAX_DURATION_MS)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A review's duration must be between 0 and one hour"));
      return NULL;
    }

  self = g_object_new (RH_TYPE_REVIEW, NULL);
  self->id = id ? g_strdup (id) : rh_id_new_at (time_us);
  self->card_id = g_strdup (card_id);
  self->rating = rating;
  self->time_us = time_us;
  self->duration_ms = duration_ms;
  return self;
}

const char *
rh_review_get_id (RhReview *self)
{
  return self->id;
}

const char *
rh_review_get_card_id (RhReview *self)
{
  return self->card_id;
}

RhRating
rh_review_get_rating (RhReview *self)
{
  return self->rating;
}

gint64
rh_review_get_time (RhReview *self)
{
  return self->time_us;
}

gint64
rh_review_get_duration_ms (RhReview *self)
{
  return self->duration_ms;
}

const char *
rh_review_get_session_id (RhReview *self)
{
  return self->session_id;
}

void
rh_review_set_session_id (RhReview   *self,
                          const char *session_id)
{
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
}

/**
 * rh_review_get_state_before:
 *
 * The card's state when it was answered: true retention counts only
 * answers to cards that were in review.
 */
RhCardStateKind
rh_review_get_state_before (RhReview *self)
{
  return self->state_before;
}

void
rh_review_set_state_before (RhReview        *self,
                            RhCardStateKind  state)
{
  self->state_before = state;
}
