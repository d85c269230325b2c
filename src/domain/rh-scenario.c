// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-scenario.h"
#include "rh-text.h"

#define MAX_LINE 2000

struct _RhScenario
{
  GObject    parent_instance;

  char      *id;
  char      *title;
  char      *level;
  char      *topic;
  char      *description;
  char      *goal;
  GPtrArray *turns;
  char      *bundle_key;
  int        bundle_version;
};

G_DEFINE_FINAL_TYPE (RhScenario, rh_scenario, G_TYPE_OBJECT)

static char **
clean_list (const char * const  *items,
            const char          *what,
            GError             **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; items && items[i]; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *clean = rh_text_clean (items[i], what, MAX_LINE, FALSE, &local_error);

      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (clean)
        g_strv_builder_add (b, clean);
    }
  return g_strv_builder_end (b);
}

/**
 * rh_scenario_turn_new:
 *
 * Returns: (transfer full) (nullable): the turn; a learner turn needs at
 *   least one accepted answer
 */
RhScenarioTurn *
rh_scenario_turn_new (RhTurnKind           kind,
                      const char          *text,
                      const char * const  *accepted,
                      const char * const  *key_phrases,
                      const char * const  *hints,
                      GError             **error)
{
  g_autoptr(RhScenarioTurn) turn = g_new0 (RhScenarioTurn, 1);

  turn->kind = kind;
  if (kind != RH_TURN_PARTNER && kind != RH_TURN_LEARNER)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                   _("A turn is either the partner’s or the learner’s"));
      return NULL;
    }
  if (!(turn->text = rh_text_clean (text, kind == RH_TURN_PARTNER ? _("The partner’s line")
                                                                  : _("The learner’s task"),
                                    MAX_LINE, TRUE, error)))
    return NULL;
  if (!(turn->accepted = clean_list (accepted, _("An accepted answer"), error)) ||
      !(turn->key_phrases = clean_list (key_phrases, _("A key phrase"), error)) ||
      !(turn->hints = clean_list (hints, _("A hint"), error)))
    return NULL;

  if (kind == RH_TURN_LEARNER && turn->accepted[0] == NULL)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                   _("Each learner turn needs at least one accepted answer"));
      return NULL;
    }
  return g_steal_pointer (&turn);
}

RhScenarioTurn *
rh_scenario_turn_copy (const RhScenarioTurn *turn)
{
  RhScenarioTurn *copy = g_new0 (RhScenarioTurn, 1);

  copy->kind = turn->kind;
  copy->text = g_strdup (turn->text);
  copy->accepted = g_strdupv (turn->accepted);
  copy->key_phrases = g_strdupv (turn->key_phrases);
  copy->hints = g_strdupv (turn->hints);
  return copy;
}

void
rh_scenario_turn_free (RhScenarioTurn *turn)
{
  if (turn == NULL)
    return;
  g_free (turn->text);
  g_strfreev (turn->accepted);
  g_strfreev (turn->key_phrases);
  g_strfreev (turn->hints);
  g_free (turn);
}

static void
rh_scenario_finalize (GObject *object)
{
  RhScenario *self = RH_SCENARIO (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->level);
  g_free (self->topic);
  g_free (self->description);
  g_free (self->goal);
  g_free (self->bundle_key);
  g_ptr_array_unref (self->turns);

  G_OBJECT_CLASS (rh_scenario_parent_class)->finalize (object);
}

static void
rh_scenario_class_init (RhScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_scenario_finalize;
}

static void
rh_scenario_init (RhScenario *self)
{
  self->turns = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_scenario_turn_free);
}

gboolean
rh_scenario_level_validate (const char  *level,
                            GError     **error)
{
  static const char *levels[] = { "A1", "A2", "B1", "B2", "C1", "C2", NULL };

  if (level != NULL && g_strv_contains (levels, level))
    return TRUE;
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
               _("“%s” is not a CEFR level (A1–C2)"), level ? level : "");
  return FALSE;
}

/**
 * rh_scenario_new:
 * @id: (nullable): the id, or %NULL for a new one
 *
 * Returns: (transfer full) (nullable): a scenario without turns yet
 */
RhScenario *
rh_scenario_new (const char  *id,
                 const char  *title,
                 const char  *level,
                 GError     **error)
{
  g_autoptr(RhScenario) self = NULL;

  if (id != NULL && !rh_id_validate (id, error))
    return NULL;

  self = g_object_new (RH_TYPE_SCENARIO, NULL);
  self->id = id ? g_strdup (id) : rh_id_new ();
  if (!rh_scenario_set_title (self, title, error) ||
      !rh_scenario_set_level (self, level, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* @self's content (not its bundle) under @id */
static RhScenario *
copy_content (RhScenario *self,
              char       *id,
              const char *title)
{
  RhScenario *copy = g_object_new (RH_TYPE_SCENARIO, NULL);

  copy->id = id;
  copy->title = g_strdup (title);
  copy->level = g_strdup (self->level);
  copy->topic = g_strdup (self->topic);
  copy->description = g_strdup (self->description);
  copy->goal = g_strdup (self->goal);
  for (guint i = 0; i < self->turns->len; i++)
    g_ptr_array_add (copy->turns, rh_scenario_turn_copy (self->turns->pdata[i]));
  return copy;
}

/**
 * rh_scenario_duplicate:
 *
 * Returns: (transfer full): a copy with a new id that belongs to the
 *   learner (never to the bundled library)
 */
RhScenario *
rh_scenario_duplicate (RhScenario *self,
                       const char *new_title)
{
  return copy_content (self, rh_id_new (), new_title ? new_title : self->title);
}

/**
 * rh_scenario_copy_with_id:
 * @id: the copy's id
 *
 * The same scenario, bundle and all, under another id: a bundled
 * scenario installed again, or one read from a backup.
 *
 * Returns: (transfer full) (nullable): the copy, or %NULL when @id is
 *   not a valid id
 */
RhScenario *
rh_scenario_copy_with_id (RhScenario  *self,
                          const char  *id,
                          GError     **error)
{
  RhScenario *copy;

  g_return_val_if_fail (RH_IS_SCENARIO (self), NULL);

  if (!rh_id_validate (id, error))
    return NULL;
  copy = copy_content (self, g_strdup (id), self->title);
  rh_scenario_set_bundle (copy, self->bundle_key, self->bundle_version);
  return copy;
}

const char *
rh_scenario_get_id (RhScenario *self)
{
  return self->id;
}

const char *
rh_scenario_get_title (RhScenario *self)
{
  return self->title;
}

static gboolean
set_field (char       **field,
           const char  *value,
           const char  *what,
           gsize        max,
           gboolean     required,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *clean = rh_text_clean (value, what, max, required, &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_free (*field);
  *field = clean;
  return TRUE;
}

gboolean
rh_scenario_set_title (RhScenario  *self,
                       const char  *title,
                       GError     **error)
{
  return set_field (&self->title, title, _("The title"), RH_SCENARIO_MAX_TITLE, TRUE, error);
}

const char *
rh_scenario_get_level (RhScenario *self)
{
  return self->level;
}

gboolean
rh_scenario_set_level (RhScenario  *self,
                       const char  *level,
                       GError     **error)
{
  if (!rh_scenario_level_validate (level, error))
    return FALSE;
  g_free (self->level);
  self->level = g_strdup (level);
  return TRUE;
}

const char *
rh_scenario_get_topic (RhScenario *self)
{
  return self->topic;
}

gboolean
rh_scenario_set_topic (RhScenario  *self,
                       const char  *topic,
                       GError     **error)
{
  return set_field (&self->topic, topic, _("The topic"), 60, FALSE, error);
}

const char *
rh_scenario_get_description (RhScenario *self)
{
  return self->description;
}

gboolean
rh_scenario_set_description (RhScenario  *self,
                             const char  *text,
                             GError     **error)
{
  return set_field (&self->description, text, _("The description"), MAX_LINE, FALSE, error);
}

const char *
rh_scenario_get_goal (RhScenario *self)
{
  return self->goal;
}

gboolean
rh_scenario_set_goal (RhScenario  *self,
                      const char  *goal,
                      GError     **error)
{
  return set_field (&self->goal, goal, _("The goal"), MAX_LINE, FALSE, error);
}

guint
rh_scenario_get_n_turns (RhScenario *self)
{
  return self->turns->len;
}

const RhScenarioTurn *
rh_scenario_get_turn (RhScenario *self,
                      guint       index)
{
  g_return_val_if_fail (index < self->turns->len, NULL);
  return self->turns->pdata[index];
}

/**
 * rh_scenario_add_turn:
 * @turn: (transfer full): the turn
 */
gboolean
rh_scenario_add_turn (RhScenario      *self,
                      RhScenarioTurn  *turn,
                      GError         **error)
{
  if (self->turns->len >= RH_SCENARIO_MAX_TURNS)
    {
      rh_scenario_turn_free (turn);
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                   _("A scenario can have at most %d turns"), RH_SCENARIO_MAX_TURNS);
      return FALSE;
    }
  g_ptr_array_add (self->turns, turn);
  return TRUE;
}

void
rh_scenario_clear_turns (RhScenario *self)
{
  g_ptr_array_set_size (self->turns, 0);
}

/**
 * rh_scenario_validate:
 *
 * The rules that span turns: a scenario the learner can practise has at
 * least one learner turn, each with an accepted answer.
 */
gboolean
rh_scenario_validate (RhScenario  *self,
                      GError     **error)
{
  guint learner = 0;

  for (guint i = 0; i < self->turns->len; i++)
    {
      const RhScenarioTurn *turn = self->turns->pdata[i];
      if (turn->kind == RH_TURN_LEARNER)
        {
          learner++;
          if (turn->accepted == NULL || turn->accepted[0] == NULL)
            {
              g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                           _("Turn %u needs at least one accepted answer"), i + 1);
              return FALSE;
            }
        }
    }
  if (learner == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                   _("A scenario needs at least one learner turn"));
      return FALSE;
    }
  return TRUE;
}

const char *
rh_scenario_get_bundle_key (RhScenario *self)
{
  return self->bundle_key;
}

int
rh_scenario_get_bundle_version (RhScenario *self)
{
  return self->bundle_version;
}

/**
 * rh_scenario_set_bundle:
 * @key: (nullable): the key in the bundled library, %NULL for the learner's own
 */
void
rh_scenario_set_bundle (RhScenario *self,
                        const char *key,
                        int         version)
{
  g_free (self->bundle_key);
  self->bundle_key = g_strdup (key);
  self->bundle_version = version;
}
