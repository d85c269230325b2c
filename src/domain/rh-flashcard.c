// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-flashcard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "rh-domain-error.h"
#include "rh-flashcard.h"
#include "rh-id.h"
#include "rh-text.h"

struct _RhFlashcard
{
  GObject      parent_instance;

  char        *id;
  char        *deck_id;
  char        *front;
  char        *back;
  char        *notes;
  char        *example;
  char       **tags;
  gint64       created_us;
  gint64       modified_us;
  RhCardState  state;
};

G_DEFINE_FINAL_TYPE (RhFlashcard, rh_flashcard, G_TYPE_OBJECT)

static void
rh_flashcard_finalize (GObject *object)
{
  RhFlashcard *self = RH_FLASHCARD (object);

  g_free (self->id);
  g_free (self->deck_id);
  g_free (self->front);
  g_free (self->back);
  g_free (self->notes);
  g_free (self->example);
  g_strfreev (self->tags);

  G_OBJECT_CLASS (rh_flashcard_parent_class)->finalize (object);
}

static void
rh_flashcard_class_init (RhFlashcardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_flashcard_finalize;
}

static void
rh_flashcard_init (RhFlashcard *self)
{
  self->tags = g_new0 (char *, 1);
}

RhFlashcard *
rh_flashcard_new (const char  *deck_id,
                  const char  *front,
                  const char  *back,
                  GError     **error)
{
  gint64 now = g_get_real_time ();
  g_autofree char *id = rh_id_new_at (now);

  return rh_flashcard_new_with_id (id, deck_id, front, back, now, error);
}

/**
 * rh_flashcard_new_with_id:
 *
 * Returns: (transfer full) (nullable): a new card, not yet studied
 */
RhFlashcard *
rh_flashcard_new_with_id (const char  *id,
                          const char  *deck_id,
                          const char  *front,
                          const char  *back,
                          gint64       created_us,
                          GError     **error)
{
  g_autoptr(RhFlashcard) self = NULL;

  if (!rh_id_validate (id, error))
    return NULL;

  self = g_object_new (RH_TYPE_FLASHCARD, NULL);
  self->id = g_strdup (id);
  self->created_us = created_us;
  self->modified_us = created_us;
  rh_card_state_init_new (&self->state, created_us);

  if (!rh_flashcard_set_deck_id (self, deck_id, error) ||
      !rh_flashcard_set_front (self, front, error) ||
      !rh_flashcard_set_back (self, back, error))
    return NULL;

  return g_steal_pointer (&self);
}

RhFlashcard *
rh_flashcard_copy (RhFlashcard *self)
{
  RhFlashcard *copy = g_object_new (RH_TYPE_FLASHCARD, NULL);

  copy->id = g_strdup (self->id);
  copy->deck_id = g_strdup (self->deck_id);
  copy->front = g_strdup (self->front);
  copy->back = g_strdup (self->back);
  copy->notes = g_strdup (self->notes);
  copy->example = g_strdup (self->example);
  g_strfreev (copy->tags);
  copy->tags = g_strdupv (self->tags);
  copy->created_us = self->created_us;
  copy->modified_us = self->modified_us;
  copy->state = self->state;
  return copy;
}

const char *
rh_flashcard_get_id (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->id;
}

const char *
rh_flashcard_get_deck_id (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->deck_id;
}

gboolean
rh_flashcard_set_deck_id (RhFlashcard  *self,
                          const char   *deck_id,
                          GError      **error)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);

  if (!rh_id_validate (deck_id, error))
    return FALSE;
  g_free (self->deck_id);
  self->deck_id = g_strdup (deck_id);
  return TRUE;
}

static gboolean
set_text (char       **field,
          const char  *value,
          const char  *what,
          gsize        max,
          gboolean     required,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *clean = rh_text_clean (value, what, max, required, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_free (*field);
  *field = clean;
  return TRUE;
}

const char *
rh_flashcard_get_front (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->front;
}

gboolean
rh_flashcard_set_front (RhFlashcard  *self,
                        const char   *front,
                        GError      **error)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);
  return set_text (&self->front, front, _("The front"), RH_FLASHCARD_MAX_SIDE, TRUE, error);
}

const char *
rh_flashcard_get_back (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->back;
}

gboolean
rh_flashcard_set_back (RhFlashcard  *self,
                       const char   *back,
                       GError      **error)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);
  return set_text (&self->back, back, _("The back"), RH_FLASHCARD_MAX_SIDE, TRUE, error);
}

const char *
rh_flashcard_get_notes (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->notes;
}

gboolean
rh_flashcard_set_notes (RhFlashcard  *self,
                        const char   *notes,
                        GError      **error)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);
  return set_text (&self->notes, notes, _("The notes"), RH_FLASHCARD_MAX_NOTES, FALSE, error);
}

const char *
rh_flashcard_get_example (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return self->example;
}

gboolean
rh_flashcard_set_example (RhFlashcard  *self,
                          const char   *example,
                          GError      **error)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);
  return set_text (&self->example, example, _("The example"), RH_FLASHCARD_MAX_NOTES, FALSE, error);
}

const char * const *
rh_flashcard_get_tags (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return (const char * const *) self->tags;
}

gboolean
rh_flashcard_set_tags (RhFlashcard         *self,
                       const char * const  *tags,
                       GError             **error)
{
  char **clean;

  g_return_val_if_fail (RH_IS_FLASHCARD (self), FALSE);

  if (!(clean = rh_text_normalize_tags (tags, error)))
    return FALSE;
  g_strfreev (self->tags);
  self->tags = clean;
  return TRUE;
}

/**
 * rh_flashcard_dup_tags_string:
 *
 * Returns: (transfer full): the tags separated by single spaces
 */
char *
rh_flashcard_dup_tags_string (RhFlashcard *self)
{
  return g_strjoinv (" ", self->tags);
}

gint64
rh_flashcard_get_created (RhFlashcard *self)
{
  return self->created_us;
}

gint64
rh_flashcard_get_modified (RhFlashcard *self)
{
  return self->modified_us;
}

void
rh_flashcard_set_modified (RhFlashcard *self,
                           gint64       modified_us)
{
  self->modified_us = modified_us;
}

const RhCardState *
rh_flashcard_get_state (RhFlashcard *self)
{
  g_return_val_if_fail (RH_IS_FLASHCARD (self), NULL);
  return &self->state;
}

void
rh_flashcard_set_state (RhFlashcard       *self,
                        const RhCardState *state)
{
  g_return_if_fail (RH_IS_FLASHCARD (self));
  self->state = *state;
}

/**
 * rh_card_state_serialize:
 *
 * A lossless text form (doubles in hex notation), used to keep the state
 * before an answer so that undo restores it bit for bit.
 *
 * Returns: (transfer full): the text
 */
char *
rh_card_state_serialize (const RhCardState *s)
{
  return g_strdup_printf ("%d %d %a %a %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %d %d",
                          (int) s->state, s->step, s->stability, s->difficulty,
                          s->due_us, s->last_review_us, s->reps, s->lapses, s->scheduled_days);
}

gboolean
rh_card_state_deserialize (const char   *text,
                           RhCardState  *out,
                           GError      **error)
{
  RhCardState s = { 0 };
  int kind = 0;

  if (text == NULL ||
      sscanf (text, "%d %d %la %la %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %d %d",
              &kind, &s.step, &s.stability, &s.difficulty, &s.due_us, &s.last_review_us,
              &s.reps, &s.lapses, &s.scheduled_days) != 9 ||
      kind < RH_CARD_STATE_NEW || kind > RH_CARD_STATE_RELEARNING)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("A stored card state is damaged"));
      return FALSE;
    }
  s.state = kind;
  *out = s;
  return TRUE;
}

/**
 * rh_card_state_equal:
 *
 * Field by field and exact: replaying reviews must give the stored state
 * bit for bit, not merely close to it.
 */
gboolean
rh_card_state_equal (const RhCardState *a,
                     const RhCardState *b)
{
  return a->state == b->state &&
         a->step == b->step &&
         a->stability == b->stability &&
         a->difficulty == b->difficulty &&
         a->due_us == b->due_us &&
         a->last_review_us == b->last_review_us &&
         a->reps == b->reps &&
         a->lapses == b->lapses &&
         a->scheduled_days == b->scheduled_days;
}
