// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-session.h"

struct _RhSession
{
  GObject        parent_instance;

  char          *id;
  RhSessionKind  kind;
  gint64         started_us;
  gint64         ended_us;
  guint          counts[4];
  gint64         time_ms;
  char          *scenario_id;
  double         score;
};

G_DEFINE_FINAL_TYPE (RhSession, rh_session, G_TYPE_OBJECT)

static void
rh_session_finalize (GObject *object)
{
  RhSession *self = RH_SESSION (object);

  g_free (self->id);
  g_free (self->scenario_id);

  G_OBJECT_CLASS (rh_session_parent_class)->finalize (object);
}

static void
rh_session_class_init (RhSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_session_finalize;
}

static void
rh_session_init (RhSession *self)
{
}

/**
 * rh_session_new:
 * @id: (nullable): an id, or %NULL for a new one
 *
 * Returns: (transfer full) (nullable): an open session
 */
RhSession *
rh_session_new (const char     *id,
                RhSessionKind   kind,
                gint64          started_us,
                GError        **error)
{
  RhSession *self;

  if (id != NULL && !rh_id_validate (id, error))
    return NULL;
  if (kind != RH_SESSION_KIND_REVIEW && kind != RH_SESSION_KIND_SCENARIO)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("Unknown kind of session"));
      return NULL;
    }
  if (started_us <= 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A session needs a start time"));
      return NULL;
    }

  self = g_object_new (RH_TYPE_SESSION, NULL);
  self->id = id ? g_strdup (id) : rh_id_new_at (started_us);
  self->kind = kind;
  self->started_us = started_us;
  return self;
}

const char *
rh_session_get_id (RhSession *self)
{
  return self->id;
}

RhSessionKind
rh_session_get_kind (RhSession *self)
{
  return self->kind;
}

const char *
rh_session_kind_to_string (RhSessionKind kind)
{
  return kind == RH_SESSION_KIND_SCENARIO ? "scenario" : "review";
}

gboolean
rh_session_kind_parse (const char    *text,
                       RhSessionKind *out)
{
  if (g_strcmp0 (text, "review") == 0)
    *out = RH_SESSION_KIND_REVIEW;
  else if (g_strcmp0 (text, "scenario") == 0)
    *out = RH_SESSION_KIND_SCENARIO;
  else
    return FALSE;
  return TRUE;
}

gint64
rh_session_get_started (RhSession *self)
{
  return self->started_us;
}

gint64
rh_session_get_ended (RhSession *self)
{
  return self->ended_us;
}

gboolean
rh_session_is_open (RhSession *self)
{
  return self->ended_us == 0;
}

gboolean
rh_session_end (RhSession  *self,
                gint64      ended_us,
                GError    **error)
{
  if (ended_us < self->started_us)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A session cannot end before it starts"));
      return FALSE;
    }
  self->ended_us = ended_us;
  return TRUE;
}

guint
rh_session_get_count (RhSession *self,
                      RhRating   rating)
{
  g_return_val_if_fail (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY, 0);
  return self->counts[rating - 1];
}

guint
rh_session_get_total (RhSession *self)
{
  return self->counts[0] + self->counts[1] + self->counts[2] + self->counts[3];
}

void
rh_session_set_count (RhSession *self,
                      RhRating   rating,
                      guint      count)
{
  g_return_if_fail (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY);
  self->counts[rating - 1] = count;
}

void
rh_session_record (RhSession *self,
                   RhRating   rating,
                   gint64     duration_ms)
{
  g_return_if_fail (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY);
  self->counts[rating - 1]++;
  self->time_ms += MAX (duration_ms, 0);
}

void
rh_session_unrecord (RhSession *self,
                     RhRating   rating,
                     gint64     duration_ms)
{
  g_return_if_fail (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY);
  if (self->counts[rating - 1] > 0)
    self->counts[rating - 1]--;
  self->time_ms = MAX (self->time_ms - MAX (duration_ms, 0), 0);
}

gint64
rh_session_get_time_ms (RhSession *self)
{
  return self->time_ms;
}

void
rh_session_set_time_ms (RhSession *self,
                        gint64     time_ms)
{
  self->time_ms = MAX (time_ms, 0);
}

const char *
rh_session_get_scenario_id (RhSession *self)
{
  return self->scenario_id;
}

gboolean
rh_session_set_scenario (RhSession   *self,
                         const char  *scenario_id,
                         double       score,
                         GError     **error)
{
  if (!rh_id_validate (scenario_id, error))
    return FALSE;
  if (!(score >= 0.0 && score <= 100.0))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A score must be between 0 and 100"));
      return FALSE;
    }
  g_free (self->scenario_id);
  self->scenario_id = g_strdup (scenario_id);
  self->score = score;
  return TRUE;
}

double
rh_session_get_score (RhSession *self)
{
  return self->score;
}
