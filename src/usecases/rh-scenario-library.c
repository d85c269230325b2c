// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-answer-scoring.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-scenario-library.h"

/*
 * The scenario library: the bundled scenarios, installed into the
 * collection and kept up to date, next to the learner's own, with each
 * one's mastery from its recent runs.
 *
 * The rules of an update of the bundled library:
 *  - a key the collection never had is added;
 *  - a stored bundled scenario older than the bundled version gets the new
 *    content under its old id, so its sessions and phrase cards still
 *    point at it;
 *  - a bundled scenario the learner deleted stays deleted (its tombstone
 *    is how the collection remembers);
 *  - the learner's own scenarios have no bundle key and are never looked
 *    at. Bundled scenarios cannot be edited, only duplicated, so there is
 *    no learner change for an update to overwrite.
 */

/* ---- mastery ---- */

G_DEFINE_ENUM_TYPE (RhScenarioMastery, rh_scenario_mastery,
                    G_DEFINE_ENUM_VALUE (RH_SCENARIO_MASTERY_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (RH_SCENARIO_MASTERY_LEARNING, "learning"),
                    G_DEFINE_ENUM_VALUE (RH_SCENARIO_MASTERY_GOOD, "good"),
                    G_DEFINE_ENUM_VALUE (RH_SCENARIO_MASTERY_MASTERED, "mastered"))

/**
 * rh_scenario_mastery_to_string:
 *
 * Returns: a stable name ("mastered"), for JSON and style classes
 */
const char *
rh_scenario_mastery_to_string (RhScenarioMastery mastery)
{
  switch (mastery)
    {
    case RH_SCENARIO_MASTERY_LEARNING:
      return "learning";
    case RH_SCENARIO_MASTERY_GOOD:
      return "good";
    case RH_SCENARIO_MASTERY_MASTERED:
      return "mastered";
    case RH_SCENARIO_MASTERY_NEW:
    default:
      return "new";
    }
}

/**
 * rh_scenario_mastery_get_label:
 *
 * Returns: what the library shows ("Mastered"), translated
 */
const char *
rh_scenario_mastery_get_label (RhScenarioMastery mastery)
{
  switch (mastery)
    {
    case RH_SCENARIO_MASTERY_LEARNING:
      return _("Learning");
    case RH_SCENARIO_MASTERY_GOOD:
      return _("Good");
    case RH_SCENARIO_MASTERY_MASTERED:
      return _("Mastered");
    case RH_SCENARIO_MASTERY_NEW:
    default:
      return _("Not practised yet");
    }
}

static RhScenarioMastery
mastery_from_score (guint  runs,
                    double best)
{
  if (runs == 0)
    return RH_SCENARIO_MASTERY_NEW;
  if (best >= RH_ANSWER_RIGHT_SCORE)
    return RH_SCENARIO_MASTERY_MASTERED;
  if (best >= RH_ANSWER_CLOSE_SCORE)
    return RH_SCENARIO_MASTERY_GOOD;
  return RH_SCENARIO_MASTERY_LEARNING;
}

/* ---- topics and ids ---- */

static const struct
{
  const char *topic;
  const char *label;
} topics[] = {
  { "travel", N_("Travel") },
  { "food", N_("Food and drink") },
  { "work", N_("Work") },
  { "health", N_("Health") },
  { "shopping", N_("Shopping") },
  { "social", N_("Social life") },
  { "housing", N_("Housing") },
  { "services", N_("Services") },
};

/**
 * rh_scenario_topic_get_label:
 * @topic: (nullable): a scenario's topic ("travel")
 *
 * Returns: the topic as the library shows it ("Travel"), translated for
 *   the bundled topics, the topic itself for the learner's own ones
 */
const char *
rh_scenario_topic_get_label (const char *topic)
{
  for (guint i = 0; topic != NULL && i < G_N_ELEMENTS (topics); i++)
    if (g_str_equal (topics[i].topic, topic))
      return _(topics[i].label);
  return topic ? topic : "";
}

/**
 * rh_scenario_bundle_id:
 * @key: a bundled scenario's key
 *
 * The id a bundled scenario gets when it is installed, the same on every
 * device (an RFC 9562 version 8 UUID from the SHA-256 of the key), so two
 * devices that each installed the library before they first synced hold
 * one scenario, not two.
 *
 * Returns: (transfer full): the id
 */
char *
rh_scenario_bundle_id (const char *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 b[32];
  gsize len = sizeof b;

  g_checksum_update (checksum, (const guchar *) "rehearse-bundled-scenario:", -1);
  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_get_digest (checksum, b, &len);

  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* ---- drafts ---- */

void
rh_scenario_problem_free (RhScenarioProblem *problem)
{
  if (problem == NULL)
    return;
  g_clear_error (&problem->error);
  g_free (problem);
}

static void
add_problem (GPtrArray       *problems,
             RhScenarioField  field,
             int              turn,
             GError          *error)
{
  RhScenarioProblem *problem = g_new0 (RhScenarioProblem, 1);

  problem->field = field;
  problem->turn = turn;
  problem->error = error;
  g_ptr_array_add (problems, problem);
}

/* Checks one part of a turn by building a turn that has only that part
 * (and harmless stand-ins for the rest), so the rules stay the domain's
 * and each message lands on its own field. */
static void
check_turn_part (GPtrArray          *problems,
                 RhScenarioField     field,
                 int                 index,
                 RhTurnKind          kind,
                 const char         *text,
                 const char * const *accepted,
                 const char * const *key_phrases,
                 const char * const *hints)
{
  GError *error = NULL;
  RhScenarioTurn *turn = rh_scenario_turn_new (kind, text, accepted, key_phrases, hints, &error);

  if (turn == NULL)
    add_problem (problems, field, index, error);
  rh_scenario_turn_free (turn);
}

/**
 * rh_scenario_draft_check:
 *
 * Every problem of @draft at once, each tied to its field and turn, so
 * the editor can show them all inline while the learner types: a title,
 * a level, at least one learner turn, an accepted answer for each
 * learner turn, and text within the limits.
 *
 * Returns: (transfer full) (element-type RhScenarioProblem): the
 *   problems, empty when the draft can be saved
 */
GPtrArray *
rh_scenario_draft_check (const RhScenarioDraft *draft)
{
  static const char * const stand_in[] = { "…", NULL };
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_scenario_problem_free);
  g_autoptr(RhScenario) scratch = NULL;
  GError *error = NULL;
  guint learner = 0;

  g_return_val_if_fail (draft != NULL, problems);

  scratch = rh_scenario_new (NULL, "…", "B1", NULL);
  if (!rh_scenario_set_title (scratch, draft->title, &error))
    add_problem (problems, RH_SCENARIO_FIELD_TITLE, -1, g_steal_pointer (&error));
  if (!rh_scenario_set_level (scratch, draft->level, &error))
    add_problem (problems, RH_SCENARIO_FIELD_LEVEL, -1, g_steal_pointer (&error));
  if (!rh_scenario_set_topic (scratch, draft->topic, &error))
    add_problem (problems, RH_SCENARIO_FIELD_TOPIC, -1, g_steal_pointer (&error));
  if (!rh_scenario_set_description (scratch, draft->description, &error))
    add_problem (problems, RH_SCENARIO_FIELD_DESCRIPTION, -1, g_steal_pointer (&error));
  if (!rh_scenario_set_goal (scratch, draft->goal, &error))
    add_problem (problems, RH_SCENARIO_FIELD_GOAL, -1, g_steal_pointer (&error));

  if (draft->n_turns > RH_SCENARIO_MAX_TURNS)
    add_problem (problems, RH_SCENARIO_FIELD_TURNS, -1,
                 g_error_new (RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                              ngettext ("A scenario can have at most %d turn",
                                        "A scenario can have at most %d turns",
                                        RH_SCENARIO_MAX_TURNS),
                              RH_SCENARIO_MAX_TURNS));

  for (guint i = 0; i < draft->n_turns && draft->turns != NULL; i++)
    {
      const RhScenarioTurnDraft *turn = &draft->turns[i];
      int index = (int) i;

      if (turn->kind != RH_TURN_PARTNER && turn->kind != RH_TURN_LEARNER)
        {
          check_turn_part (problems, RH_SCENARIO_FIELD_TURN_TEXT, index, turn->kind, "…",
                           stand_in, NULL, NULL);
          continue;
        }
      if (turn->kind == RH_TURN_LEARNER)
        learner++;

      check_turn_part (problems, RH_SCENARIO_FIELD_TURN_TEXT, index, turn->kind, turn->text,
                       stand_in, NULL, NULL);
      check_turn_part (problems, RH_SCENARIO_FIELD_TURN_ACCEPTED, index, turn->kind, "…",
                       turn->accepted, NULL, NULL);
      check_turn_part (problems, RH_SCENARIO_FIELD_TURN_KEY_PHRASES, index, RH_TURN_PARTNER,
                       "…", NULL, turn->key_phrases, NULL);
      check_turn_part (problems, RH_SCENARIO_FIELD_TURN_HINTS, index, RH_TURN_PARTNER, "…",
                       NULL, NULL, turn->hints);
    }

  if (learner == 0)
    add_problem (problems, RH_SCENARIO_FIELD_TURNS, -1,
                 g_error_new_literal (RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                                      _("A scenario needs at least one learner turn")));
  return problems;
}

/* The scenario a draft describes, with @id; the first problem as @error. */
static RhScenario *
scenario_from_draft (const RhScenarioDraft  *draft,
                     const char             *id,
                     GError                **error)
{
  g_autoptr(GPtrArray) problems = rh_scenario_draft_check (draft);
  g_autoptr(RhScenario) scenario = NULL;

  if (problems->len > 0)
    {
      RhScenarioProblem *first = problems->pdata[0];

      /* A turn's message does not say which turn; the editor shows it in
       * place, a toast or the command line needs the number. */
      if (first->turn >= 0)
        g_set_error (error, first->error->domain, first->error->code, _("Turn %d: %s"),
                     first->turn + 1, first->error->message);
      else
        g_propagate_error (error, g_steal_pointer (&first->error));
      return NULL;
    }

  if (!(scenario = rh_scenario_new (id, draft->title, draft->level, error)) ||
      !rh_scenario_set_topic (scenario, draft->topic, error) ||
      !rh_scenario_set_description (scenario, draft->description, error) ||
      !rh_scenario_set_goal (scenario, draft->goal, error))
    return NULL;

  for (guint i = 0; i < draft->n_turns; i++)
    {
      const RhScenarioTurnDraft *t = &draft->turns[i];
      RhScenarioTurn *turn = rh_scenario_turn_new (t->kind, t->text, t->accepted, t->key_phrases,
                                                   t->hints, error);

      if (turn == NULL || !rh_scenario_add_turn (scenario, turn, error))
        return NULL;
    }
  if (!rh_scenario_validate (scenario, error))
    return NULL;
  return g_steal_pointer (&scenario);
}

/* ---- summaries ---- */

struct _RhScenarioSummary
{
  GObject            parent_instance;

  RhScenario        *scenario;
  guint              n_learner_turns;
  guint              runs;
  int                best_score;
  int                last_score;
  gint64             last_practiced_us;
  RhScenarioMastery  mastery;
};

enum
{
  SUMMARY_PROP_0,
  SUMMARY_PROP_SCENARIO,
  SUMMARY_PROP_TITLE,
  SUMMARY_PROP_LEVEL,
  SUMMARY_PROP_TOPIC,
  SUMMARY_PROP_BUNDLED,
  SUMMARY_PROP_RUNS,
  SUMMARY_PROP_BEST_SCORE,
  SUMMARY_PROP_MASTERY,
  N_SUMMARY_PROPS
};

static GParamSpec *summary_properties [N_SUMMARY_PROPS];

G_DEFINE_FINAL_TYPE (RhScenarioSummary, rh_scenario_summary, G_TYPE_OBJECT)

static void
rh_scenario_summary_finalize (GObject *object)
{
  RhScenarioSummary *self = RH_SCENARIO_SUMMARY (object);

  g_clear_object (&self->scenario);

  G_OBJECT_CLASS (rh_scenario_summary_parent_class)->finalize (object);
}

static void
rh_scenario_summary_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RhScenarioSummary *self = RH_SCENARIO_SUMMARY (object);

  switch (prop_id)
    {
    case SUMMARY_PROP_SCENARIO:
      g_value_set_object (value, self->scenario);
      break;
    case SUMMARY_PROP_TITLE:
      g_value_set_string (value, rh_scenario_get_title (self->scenario));
      break;
    case SUMMARY_PROP_LEVEL:
      g_value_set_string (value, rh_scenario_get_level (self->scenario));
      break;
    case SUMMARY_PROP_TOPIC:
      g_value_set_string (value, rh_scenario_get_topic (self->scenario));
      break;
    case SUMMARY_PROP_BUNDLED:
      g_value_set_boolean (value, rh_scenario_summary_is_bundled (self));
      break;
    case SUMMARY_PROP_RUNS:
      g_value_set_uint (value, self->runs);
      break;
    case SUMMARY_PROP_BEST_SCORE:
      g_value_set_int (value, self->best_score);
      break;
    case SUMMARY_PROP_MASTERY:
      g_value_set_enum (value, self->mastery);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_scenario_summary_class_init (RhScenarioSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rh_scenario_summary_finalize;
  object_class->get_property = rh_scenario_summary_get_property;

  summary_properties[SUMMARY_PROP_SCENARIO] =
    g_param_spec_object ("scenario", NULL, NULL, RH_TYPE_SCENARIO, flags);
  summary_properties[SUMMARY_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  summary_properties[SUMMARY_PROP_LEVEL] = g_param_spec_string ("level", NULL, NULL, NULL, flags);
  summary_properties[SUMMARY_PROP_TOPIC] = g_param_spec_string ("topic", NULL, NULL, NULL, flags);
  summary_properties[SUMMARY_PROP_BUNDLED] =
    g_param_spec_boolean ("bundled", NULL, NULL, FALSE, flags);
  summary_properties[SUMMARY_PROP_RUNS] =
    g_param_spec_uint ("runs", NULL, NULL, 0, G_MAXUINT, 0, flags);
  summary_properties[SUMMARY_PROP_BEST_SCORE] =
    g_param_spec_int ("best-score", NULL, NULL, -1, 100, -1, flags);
  summary_properties[SUMMARY_PROP_MASTERY] =
    g_param_spec_enum ("mastery", NULL, NULL, RH_TYPE_SCENARIO_MASTERY,
                       RH_SCENARIO_MASTERY_NEW, flags);

  g_object_class_install_properties (object_class, N_SUMMARY_PROPS, summary_properties);
}

static void
rh_scenario_summary_init (RhScenarioSummary *self)
{
  self->best_score = -1;
  self->last_score = -1;
}

static RhScenarioSummary *
summary_new (RhScenario               *scenario,
             const RhScenarioRunStats *stats)
{
  RhScenarioSummary *self = g_object_new (RH_TYPE_SCENARIO_SUMMARY, NULL);

  self->scenario = g_object_ref (scenario);
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      self->n_learner_turns++;
  if (stats != NULL && stats->runs > 0)
    {
      self->runs = stats->runs;
      self->best_score = (int) (stats->best_recent + 0.5);
      self->last_score = (int) (stats->last_score + 0.5);
      self->last_practiced_us = stats->last_practiced_us;
    }
  self->mastery = mastery_from_score (self->runs, self->best_score);
  return self;
}

/**
 * rh_scenario_summary_get_scenario:
 *
 * Returns: (transfer none): the scenario
 */
RhScenario *
rh_scenario_summary_get_scenario (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), NULL);
  return self->scenario;
}

const char *
rh_scenario_summary_get_id (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), NULL);
  return rh_scenario_get_id (self->scenario);
}

const char *
rh_scenario_summary_get_title (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), NULL);
  return rh_scenario_get_title (self->scenario);
}

const char *
rh_scenario_summary_get_level (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), NULL);
  return rh_scenario_get_level (self->scenario);
}

const char *
rh_scenario_summary_get_topic (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), NULL);
  return rh_scenario_get_topic (self->scenario);
}

/**
 * rh_scenario_summary_is_bundled:
 *
 * Returns: whether the scenario ships with Rehearse (it can be
 *   duplicated and deleted, not edited)
 */
gboolean
rh_scenario_summary_is_bundled (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), FALSE);
  return rh_scenario_get_bundle_key (self->scenario) != NULL;
}

guint
rh_scenario_summary_get_n_learner_turns (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), 0);
  return self->n_learner_turns;
}

/**
 * rh_scenario_summary_get_runs:
 *
 * Returns: how many runs were finished
 */
guint
rh_scenario_summary_get_runs (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), 0);
  return self->runs;
}

/**
 * rh_scenario_summary_get_best_score:
 *
 * Returns: the best overall score of the last %RH_SCENARIO_RECENT_RUNS
 *   runs, 0..100, or -1 when never practised
 */
int
rh_scenario_summary_get_best_score (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), -1);
  return self->best_score;
}

/**
 * rh_scenario_summary_get_last_score:
 *
 * Returns: the latest run's overall score, or -1 when never practised
 */
int
rh_scenario_summary_get_last_score (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), -1);
  return self->last_score;
}

/**
 * rh_scenario_summary_get_last_practiced:
 *
 * Returns: when the latest run started (UTC microseconds), 0 for never
 */
gint64
rh_scenario_summary_get_last_practiced (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), 0);
  return self->last_practiced_us;
}

RhScenarioMastery
rh_scenario_summary_get_mastery (RhScenarioSummary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_SUMMARY (self), RH_SCENARIO_MASTERY_NEW);
  return self->mastery;
}

/* ---- the library ---- */

struct _RhScenarioLibrary
{
  GObject       parent_instance;

  RhCollection *collection;
};

G_DEFINE_FINAL_TYPE (RhScenarioLibrary, rh_scenario_library, G_TYPE_OBJECT)

static void
rh_scenario_library_dispose (GObject *object)
{
  RhScenarioLibrary *self = RH_SCENARIO_LIBRARY (object);

  g_clear_object (&self->collection);

  G_OBJECT_CLASS (rh_scenario_library_parent_class)->dispose (object);
}

static void
rh_scenario_library_class_init (RhScenarioLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rh_scenario_library_dispose;
}

static void
rh_scenario_library_init (RhScenarioLibrary *self)
{
}

/**
 * rh_scenario_library_new:
 *
 * Returns: (transfer full): the scenario use cases over @collection
 */
RhScenarioLibrary *
rh_scenario_library_new (RhCollection *collection)
{
  RhScenarioLibrary *self;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  self = g_object_new (RH_TYPE_SCENARIO_LIBRARY, NULL);
  self->collection = g_object_ref (collection);
  return self;
}

/**
 * rh_scenario_library_get_collection:
 *
 * Returns: (transfer none): the collection
 */
RhCollection *
rh_scenario_library_get_collection (RhScenarioLibrary *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);
  return self->collection;
}

static const RhRepositories *
repos (RhScenarioLibrary *self)
{
  return rh_collection_get_repositories (self->collection);
}

/**
 * rh_scenario_library_install:
 * @bundled: (element-type RhScenario): the bundled scenarios, each with
 *   its bundle key and version
 * @out_report: (out) (optional): what happened
 *
 * Installs the bundled library into the collection, or brings it up to
 * date, by the rules at the top of this file, in one transaction: it
 * either all happens or none of it. Running it again with the same
 * bundle changes nothing.
 */
gboolean
rh_scenario_library_install (RhScenarioLibrary        *self,
                             GPtrArray                *bundled,
                             RhScenarioInstallReport  *out_report,
                             GError                  **error)
{
  const RhRepositories *r;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GError) local_error = NULL;
  RhScenarioInstallReport report = { 0 };

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), FALSE);
  g_return_val_if_fail (bundled != NULL, FALSE);

  r = repos (self);
  if (!rh_store_begin (r->store, error))
    return FALSE;

  if (!(entries = rh_scenario_repository_list_bundle_entries (r->scenarios, &local_error)))
    goto fail;
  by_key = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++)
    {
      RhScenarioBundleEntry *entry = entries->pdata[i];
      g_hash_table_insert (by_key, entry->key, entry);
    }

  for (guint i = 0; i < bundled->len; i++)
    {
      RhScenario *source = bundled->pdata[i];
      const char *key = rh_scenario_get_bundle_key (source);
      RhScenarioBundleEntry *entry;
      g_autoptr(RhScenario) stored = NULL;
      g_autofree char *id = NULL;

      if (key == NULL)
        {
          g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO,
                       _("The bundled scenario “%s” has no key"),
                       rh_scenario_get_title (source));
          goto fail;
        }
      if (!rh_scenario_validate (source, &local_error))
        goto fail;

      entry = g_hash_table_lookup (by_key, key);
      if (entry != NULL && entry->deleted)
        {
          report.kept_deleted++;
          continue;
        }
      if (entry != NULL && entry->version >= rh_scenario_get_bundle_version (source))
        {
          report.unchanged++;
          continue;
        }

      id = entry != NULL ? g_strdup (entry->id) : rh_scenario_bundle_id (key);
      if (!(stored = rh_scenario_copy_with_id (source, id, &local_error)) ||
          !rh_scenario_repository_save (r->scenarios, stored, &local_error))
        goto fail;
      if (entry != NULL)
        report.updated++;
      else
        report.added++;
      g_debug ("%s the bundled scenario %s (version %d)", entry ? "Updated" : "Added", key,
               rh_scenario_get_bundle_version (source));
    }

  if (!rh_store_commit (r->store, &local_error))
    goto fail;
  if (out_report != NULL)
    *out_report = report;
  return TRUE;

fail:
  rh_store_rollback (r->store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Lower case, without accents, so "cafe" finds "Café". */
static char *
fold (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = NULL;
  GString *out;

  if (nfd == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (nfd, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, g_unichar_isalnum (c) ? c : ' ');
    }
  return g_string_free (out, FALSE);
}

static gboolean
matches_text (RhScenario         *scenario,
              const char * const *words)
{
  g_autofree char *haystack = NULL;
  g_auto(GStrv) tokens = NULL;

  if (words == NULL || words[0] == NULL)
    return TRUE;

  {
    g_autofree char *all = g_strjoin (" ", rh_scenario_get_title (scenario),
                                      rh_scenario_get_description (scenario)
                                        ? rh_scenario_get_description (scenario) : "",
                                      rh_scenario_get_goal (scenario)
                                        ? rh_scenario_get_goal (scenario) : "",
                                      rh_scenario_get_topic (scenario)
                                        ? rh_scenario_get_topic (scenario) : "",
                                      rh_scenario_topic_get_label (rh_scenario_get_topic (scenario)),
                                      NULL);
    haystack = fold (all);
  }
  tokens = g_strsplit (haystack, " ", -1);

  for (guint i = 0; words[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; tokens[j] && !found; j++)
        found = *tokens[j] && g_str_has_prefix (tokens[j], words[i]);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b)
{
  RhScenarioSummary *sa = *(RhScenarioSummary * const *) a;
  RhScenarioSummary *sb = *(RhScenarioSummary * const *) b;
  int by_level = g_strcmp0 (rh_scenario_summary_get_level (sa), rh_scenario_summary_get_level (sb));

  if (by_level != 0)
    return by_level;
  return g_utf8_collate (rh_scenario_summary_get_title (sa), rh_scenario_summary_get_title (sb));
}

/**
 * rh_scenario_library_list:
 * @filter: (nullable): what to show; %NULL for everything
 *
 * Returns: (transfer full) (element-type RhScenarioSummary): the
 *   scenarios with their mastery, by level (A1 first), then title
 */
GPtrArray *
rh_scenario_library_list (RhScenarioLibrary       *self,
                          const RhScenarioFilter  *filter,
                          GError                 **error)
{
  RhScenarioFilter none = { 0 };
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GHashTable) stats = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);

  if (filter == NULL)
    filter = &none;
  if (filter->level != NULL && *filter->level != '\0' &&
      !rh_scenario_level_validate (filter->level, error))
    return NULL;

  if (filter->text != NULL)
    {
      g_autofree char *folded = fold (filter->text);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = g_strsplit (folded, " ", -1);

      for (guint i = 0; parts[i]; i++)
        if (*parts[i])
          g_strv_builder_add (builder, parts[i]);
      words = g_strv_builder_end (builder);
    }

  if (!(scenarios = rh_scenario_repository_list (repos (self)->scenarios, error)) ||
      !(stats = rh_session_repository_scenario_stats (repos (self)->sessions,
                                                      RH_SCENARIO_RECENT_RUNS, error)))
    return NULL;

  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RhScenario *scenario = scenarios->pdata[i];
      gboolean bundled = rh_scenario_get_bundle_key (scenario) != NULL;

      if (filter->level != NULL && *filter->level != '\0' &&
          g_strcmp0 (rh_scenario_get_level (scenario), filter->level) != 0)
        continue;
      if (filter->topic != NULL && *filter->topic != '\0' &&
          g_strcmp0 (rh_scenario_get_topic (scenario), filter->topic) != 0)
        continue;
      if ((filter->origin == RH_SCENARIO_ORIGIN_BUNDLED && !bundled) ||
          (filter->origin == RH_SCENARIO_ORIGIN_OWN && bundled))
        continue;
      if (!matches_text (scenario, (const char * const *) words))
        continue;

      g_ptr_array_add (out, summary_new (scenario,
                                         g_hash_table_lookup (stats,
                                                              rh_scenario_get_id (scenario))));
    }
  g_ptr_array_sort (out, compare_summaries);
  return g_steal_pointer (&out);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * rh_scenario_library_list_topics:
 *
 * Returns: (transfer full): the topics of the live scenarios, sorted and
 *   without repeats, for the library's topic filter
 */
char **
rh_scenario_library_list_topics (RhScenarioLibrary  *self,
                                 GError            **error)
{
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GPtrArray) topics_found = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);

  if (!(scenarios = rh_scenario_repository_list (repos (self)->scenarios, error)))
    return NULL;
  for (guint i = 0; i < scenarios->len; i++)
    {
      const char *topic = rh_scenario_get_topic (scenarios->pdata[i]);
      gboolean seen = FALSE;

      if (topic == NULL)
        continue;
      for (guint j = 0; j < topics_found->len && !seen; j++)
        seen = g_str_equal (topics_found->pdata[j], topic);
      if (!seen)
        g_ptr_array_add (topics_found, g_strdup (topic));
    }
  g_ptr_array_sort (topics_found, compare_strings);
  g_ptr_array_add (topics_found, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&topics_found), FALSE);
}

/**
 * rh_scenario_library_get:
 * @id_or_key: a scenario's id, or a bundled scenario's key
 *   ("hotel-check-in")
 *
 * Returns: (transfer full) (nullable): the scenario, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhScenario *
rh_scenario_library_get (RhScenarioLibrary  *self,
                         const char         *id_or_key,
                         GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  RhScenario *scenario = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);

  if (id_or_key != NULL && rh_id_is_valid (id_or_key))
    scenario = rh_scenario_repository_get (repos (self)->scenarios, id_or_key, &local_error);
  else if (id_or_key != NULL && *id_or_key != '\0')
    scenario = rh_scenario_repository_find_by_bundle_key (repos (self)->scenarios, id_or_key,
                                                          &local_error);

  if (local_error != NULL && !g_error_matches (local_error, RH_DOMAIN_ERROR,
                                               RH_DOMAIN_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (scenario == NULL)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                 _("There is no scenario “%s”"), id_or_key ? id_or_key : "");
  return scenario;
}

/**
 * rh_scenario_library_get_summary:
 *
 * One scenario as the library lists it, to refresh one row after a run.
 *
 * Returns: (transfer full) (nullable): the summary
 */
RhScenarioSummary *
rh_scenario_library_get_summary (RhScenarioLibrary  *self,
                                 const char         *id,
                                 GError            **error)
{
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(GHashTable) stats = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);

  if (!(scenario = rh_scenario_library_get (self, id, error)) ||
      !(stats = rh_session_repository_scenario_stats (repos (self)->sessions,
                                                      RH_SCENARIO_RECENT_RUNS, error)))
    return NULL;
  return summary_new (scenario, g_hash_table_lookup (stats, rh_scenario_get_id (scenario)));
}

/**
 * rh_scenario_library_create:
 *
 * Creates one of the learner's own scenarios. A draft that breaks a rule
 * gives its first problem as @error (rh_scenario_draft_check() lists
 * them all) and stores nothing.
 *
 * Returns: (transfer full) (nullable): the new scenario
 */
RhScenario *
rh_scenario_library_create (RhScenarioLibrary      *self,
                            const RhScenarioDraft  *draft,
                            GError                **error)
{
  const RhRepositories *r;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  r = repos (self);
  id = rh_id_new_at (rh_collection_now (self->collection));
  if (!(scenario = scenario_from_draft (draft, id, error)))
    return NULL;

  if (!rh_store_begin (r->store, error))
    return NULL;
  if (!rh_scenario_repository_save (r->scenarios, scenario, &local_error) ||
      !rh_store_commit (r->store, &local_error))
    {
      rh_store_rollback (r->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

static gboolean
refuse_bundled (RhScenario  *scenario,
                GError     **error)
{
  if (rh_scenario_get_bundle_key (scenario) == NULL)
    return FALSE;
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
               _("“%s” comes with Rehearse and cannot be changed: duplicate it to make "
                 "your own version"),
               rh_scenario_get_title (scenario));
  return TRUE;
}

/**
 * rh_scenario_library_update:
 *
 * Replaces the content of one of the learner's own scenarios. Bundled
 * scenarios are refused (%RH_DOMAIN_ERROR_INVALID_INPUT): the learner
 * duplicates them instead, so an update of the bundled library never
 * overwrites their work.
 *
 * Returns: (transfer full) (nullable): the scenario as stored
 */
RhScenario *
rh_scenario_library_update (RhScenarioLibrary      *self,
                            const char             *id,
                            const RhScenarioDraft  *draft,
                            GError                **error)
{
  const RhRepositories *r;
  g_autoptr(RhScenario) stored = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (!rh_id_validate (id, error) || !(scenario = scenario_from_draft (draft, id, error)))
    return NULL;

  r = repos (self);
  if (!rh_store_begin (r->store, error))
    return NULL;
  if (!(stored = rh_scenario_repository_get (r->scenarios, id, &local_error)) ||
      refuse_bundled (stored, &local_error) ||
      !rh_scenario_repository_save (r->scenarios, scenario, &local_error) ||
      !rh_store_commit (r->store, &local_error))
    {
      rh_store_rollback (r->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

/**
 * rh_scenario_library_duplicate:
 * @new_title: (nullable): the copy's title; "TITLE (copy)" when %NULL
 *
 * Copies any scenario, bundled or not, into a new scenario of the
 * learner's own, which they can edit.
 *
 * Returns: (transfer full) (nullable): the copy
 */
RhScenario *
rh_scenario_library_duplicate (RhScenarioLibrary  *self,
                               const char         *id,
                               const char         *new_title,
                               GError            **error)
{
  const RhRepositories *r;
  g_autoptr(RhScenario) source = NULL;
  g_autoptr(RhScenario) copy = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *copy_id = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), NULL);

  r = repos (self);
  if (!rh_store_begin (r->store, error))
    return NULL;
  if (!(source = rh_scenario_library_get (self, id, &local_error)))
    goto fail;

  if (new_title == NULL)
    {
      /* Cut the original title so the copy's fits the limit. */
      const char *original = rh_scenario_get_title (source);
      g_autofree char *base = g_utf8_substring (original, 0,
                                                MIN (g_utf8_strlen (original, -1),
                                                     RH_SCENARIO_MAX_TITLE - 10));
      title = g_strdup_printf (_("%s (copy)"), base);
    }
  else
    title = g_strdup (new_title);

  copy_id = rh_id_new_at (rh_collection_now (self->collection));
  if (!(copy = rh_scenario_copy_with_id (source, copy_id, &local_error)) ||
      !rh_scenario_set_title (copy, title, &local_error))
    goto fail;
  rh_scenario_set_bundle (copy, NULL, 0);

  if (!rh_scenario_repository_save (r->scenarios, copy, &local_error) ||
      !rh_store_commit (r->store, &local_error))
    goto fail;
  return g_steal_pointer (&copy);

fail:
  rh_store_rollback (r->store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * rh_scenario_library_delete:
 *
 * Deletes a scenario, bundled or the learner's own. Its runs stay in the
 * statistics and its phrase cards in their deck; a deleted bundled
 * scenario does not come back with the next update.
 */
gboolean
rh_scenario_library_delete (RhScenarioLibrary  *self,
                            const char         *id,
                            GError            **error)
{
  const RhRepositories *r;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (self), FALSE);

  if (!rh_id_validate (id, error))
    return FALSE;
  r = repos (self);
  if (!rh_store_begin (r->store, error))
    return FALSE;
  if (!rh_scenario_repository_remove (r->scenarios, id, &local_error) ||
      !rh_store_commit (r->store, &local_error))
    {
      rh_store_rollback (r->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
