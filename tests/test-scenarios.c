// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rh-answer-scoring.h"
#include "rh-domain-error.h"
#include "rh-scenario-bundle.h"
#include "rh-scenario-json.h"
#include "rh-scenario-library.h"
#include "rh-scenario-practice.h"
#include "rh-speech.h"
#include "rh-sqlite-database.h"
#include "rh-test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add (path, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

#define MISSING_ID "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f"

/* ---- helpers ---- */

static GPtrArray *
load_bundle (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioBundle) bundle = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GPtrArray *scenarios;

  bundle = rh_scenario_bundle_new (rh_composition_get_scenario_resource (), NULL);
  scenarios = rh_scenario_bundle_load (bundle, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scenarios);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", ((GError *) problems->pdata[i])->message);
  g_assert_cmpuint (problems->len, ==, 0);
  return scenarios;
}

static RhScenarioLibrary *
library_of (RhFixture *f)
{
  return rh_scenario_library_new (f->collection);
}

static RhScenario *
get_scenario (RhFixture  *f,
              const char *id_or_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  RhScenario *scenario = rh_scenario_library_get (library, id_or_key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static guint
count_learner_turns (RhScenario *scenario)
{
  guint n = 0;

  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      n++;
  return n;
}

/* Everything the collection holds of its scenarios, to prove a refused
 * change changed nothing. */
static char *
scenarios_checksum (RhFixture *f)
{
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  g_autoptr(GPtrArray) list = rh_scenario_repository_list (repos->scenarios, &error);
  g_autoptr(GPtrArray) entries = rh_scenario_repository_list_bundle_entries (repos->scenarios,
                                                                            &error);
  g_autoptr(GPtrArray) links = rh_scenario_repository_list_phrase_cards (repos->scenarios, NULL,
                                                                        &error);
  g_autoptr(GPtrArray) sessions = rh_session_repository_list_between (repos->sessions, 0,
                                                                     G_MAXINT64, &error);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *cards = rh_fixture_checksum (f);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *doc = rh_scenario_json_serialize (list->pdata[i]);
      g_string_append_printf (all, "%s %s\n", rh_scenario_get_id (list->pdata[i]), doc);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      RhScenarioBundleEntry *e = entries->pdata[i];
      g_string_append_printf (all, "E %s %s %d %d\n", e->key, e->id, e->version, e->deleted);
    }
  for (guint i = 0; i < links->len; i++)
    {
      RhPhraseCardLink *l = links->pdata[i];
      g_string_append_printf (all, "L %s %u %s %s\n", l->scenario_id, l->turn_index,
                              l->phrase_key, l->card_id);
    }
  for (guint i = 0; i < sessions->len; i++)
    g_string_append_printf (all, "S %s %g\n", rh_session_get_id (sessions->pdata[i]),
                            rh_session_get_score (sessions->pdata[i]));
  g_string_append (all, cards);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, all->len);
}

/* Answers every learner turn with its first accepted answer. */
static RhPracticeResult *
practise_exactly (RhFixture  *f,
                  RhScenario *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhPracticeRun) run = rh_practice_run_new (f->collection, scenario, &error);
  RhPracticeResult *result;

  g_assert_no_error (error);
  while (rh_practice_run_get_current (run) >= 0)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario,
                                                         rh_practice_run_get_current (run));
      const RhPracticeTurn *done = rh_practice_run_submit (run, turn->accepted[0], &error);

      g_assert_no_error (error);
      g_assert_cmpint (done->score, ==, 100);
      g_assert_true (rh_practice_run_next (run, &error));
    }
  result = rh_practice_run_finish (run, &error);
  g_assert_no_error (error);
  return result;
}

/* Skips every learner turn: every key phrase is missed. */
static RhPracticeResult *
practise_skipping (RhFixture  *f,
                   RhScenario *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhPracticeRun) run = rh_practice_run_new (f->collection, scenario, &error);
  RhPracticeResult *result;

  g_assert_no_error (error);
  while (rh_practice_run_get_current (run) >= 0)
    {
      g_assert_true (rh_practice_run_skip (run, &error));
      g_assert_no_error (error);
    }
  result = rh_practice_run_finish (run, &error);
  g_assert_no_error (error);
  return result;
}

static RhScenario *
create_own (RhFixture  *f,
            const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  const char *accepted[] = { "Yes, please.", "Yes please, thank you.", NULL };
  const char *phrases[] = { "yes", NULL };
  const char *hints[] = { "Say yes politely.", NULL };
  RhScenarioTurnDraft turns[] = {
    { RH_TURN_PARTNER, "Would you like some tea?", NULL, NULL, NULL },
    { RH_TURN_LEARNER, "Accept the tea.", accepted, phrases, hints },
  };
  RhScenarioDraft draft = { title, "A1", "food", "Tea time.", "Accept tea.", turns, 2 };
  RhScenario *scenario = rh_scenario_library_create (library, &draft, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

/* ---- the bundled library ---- */

static void
test_bundle_valid (void)
{
  g_autoptr(GPtrArray) scenarios = load_bundle ();
  g_autoptr(GHashTable) topics = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) levels = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (scenarios->len, >=, 15);

  for (guint i = 0; i < scenarios->len; i++)
    {
      RhScenario *scenario = scenarios->pdata[i];
      const char *key = rh_scenario_get_bundle_key (scenario);
      guint n = rh_scenario_get_n_turns (scenario);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", key);
      g_assert_true (rh_scenario_json_key_is_valid (key));
      g_assert_cmpint (rh_scenario_get_bundle_version (scenario), >=, 1);
      g_assert_cmpuint (n, >=, 6);
      g_assert_cmpuint (n, <=, 12);
      g_assert_true (g_str_equal (rh_scenario_get_level (scenario), "A2") ||
                     g_str_equal (rh_scenario_get_level (scenario), "B1") ||
                     g_str_equal (rh_scenario_get_level (scenario), "B2"));
      g_assert_nonnull (rh_scenario_get_topic (scenario));
      g_assert_nonnull (rh_scenario_get_goal (scenario));
      g_assert_nonnull (rh_scenario_get_description (scenario));
      g_assert_true (rh_scenario_validate (scenario, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count_learner_turns (scenario), >=, 3);
      g_hash_table_add (topics, (gpointer) rh_scenario_get_topic (scenario));
      g_hash_table_add (levels, (gpointer) rh_scenario_get_level (scenario));

      for (guint t = 0; t < n; t++)
        {
          const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, t);
          guint n_hints = g_strv_length (turn->hints);

          if (turn->kind != RH_TURN_LEARNER)
            continue;
          g_assert_cmpuint (g_strv_length (turn->accepted), >=, 2);
          g_assert_cmpuint (n_hints, >=, 1);
          g_assert_cmpuint (n_hints, <=, 2);
          /* Typing any accepted answer exactly scores 100: each has every
           * key phrase, so a right answer is never marked down. */
          for (guint a = 0; turn->accepted[a]; a++)
            {
              g_autoptr(RhAnswerFeedback) fb = NULL;

              fb = rh_answer_score (turn->accepted[a], (const char * const *) turn->accepted,
                                    (const char * const *) turn->key_phrases);
              if (fb->score != 100)
                g_test_message ("%s turn %u: “%s” scores %d", key, t, turn->accepted[a],
                                fb->score);
              g_assert_cmpint (fb->score, ==, 100);
            }
        }

      /* what is written reads back the same */
      {
        g_autofree char *doc = rh_scenario_json_serialize (scenario);
        g_autoptr(RhScenario) again = rh_scenario_json_parse (doc, -1, "again.json", &error);
        g_autofree char *doc_again = NULL;

        g_assert_no_error (error);
        doc_again = rh_scenario_json_serialize (again);
        g_assert_cmpstr (doc, ==, doc_again);
      }
    }

  /* a library, not one corner of one */
  g_assert_cmpuint (g_hash_table_size (topics), >=, 6);
  g_assert_cmpuint (g_hash_table_size (levels), ==, 3);
}

/* The resource holds exactly the documents in data/scenarios, byte for
 * byte: a file added to the folder but not to the resource fails here. */
static void
test_bundle_matches_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios",
                                                     NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(RhScenarioBundle) bundle = NULL;
  g_auto(GStrv) names = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_no_error (error);
  bundle = rh_scenario_bundle_new (rh_composition_get_scenario_resource (), NULL);
  names = rh_scenario_bundle_list_names (bundle, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".schema.json"))
        continue;
      n_files++;
      g_assert_true (g_strv_contains ((const char * const *) names, name));
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      bytes = rh_scenario_bundle_lookup (bundle, name, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (contents, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  g_assert_cmpuint (n_files, ==, g_strv_length (names));
}

/* ---- strict reading ---- */

static const char good_doc[] =
  "{\"key\": \"tea\", \"version\": 2, \"title\": \"Tea\", \"level\": \"A2\","
  " \"topic\": \"food\", \"goal\": \"Get tea.\","
  " \"turns\": [{\"speaker\": \"partner\", \"text\": \"Tea?\"},"
  "  {\"speaker\": \"learner\", \"task\": \"Say yes.\", \"accepted\": [\"Yes, please.\"],"
  "   \"key_phrases\": [\"please\"], \"hints\": [\"Be polite.\"]}]}";

static void
test_json_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = rh_scenario_json_parse (good_doc, -1, "tea.json", &error);
  const RhScenarioTurn *turn;

  g_assert_no_error (error);
  g_assert_cmpstr (rh_scenario_get_bundle_key (scenario), ==, "tea");
  g_assert_cmpint (rh_scenario_get_bundle_version (scenario), ==, 2);
  g_assert_cmpstr (rh_scenario_get_title (scenario), ==, "Tea");
  g_assert_cmpuint (rh_scenario_get_n_turns (scenario), ==, 2);
  turn = rh_scenario_get_turn (scenario, 1);
  g_assert_cmpint (turn->kind, ==, RH_TURN_LEARNER);
  g_assert_cmpstr (turn->accepted[0], ==, "Yes, please.");
  g_assert_cmpstr (turn->hints[0], ==, "Be polite.");
}

typedef struct
{
  const char *name;
  const char *doc;
  int         code;
  const char *expect;
} Malformed;

static const Malformed malformed[] = {
  { "missing title",
    "{\"key\": \"x\", \"version\": 1, \"level\": \"A2\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“title” is missing" },
  { "no learner turn",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"partner\", \"text\": \"Hi\"}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "learner turn" },
  { "no turns at all",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns”" },
  { "learner turn without accepted answers",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"partner\", \"text\": \"Hi\"},"
    "  {\"speaker\": \"learner\", \"task\": \"Say hi\"}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[1].accepted” is missing" },
  { "learner turn with an empty list of accepted answers",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"learner\", \"task\": \"Say hi\", \"accepted\": []}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].accepted” needs at least 1 item" },
  { "title of the wrong type",
    "{\"key\": \"x\", \"version\": 1, \"title\": 7, \"level\": \"A2\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“title” must be a string" },
  { "version of the wrong type",
    "{\"key\": \"x\", \"version\": \"1\", \"title\": \"T\", \"level\": \"A2\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“version”" },
  { "version not whole",
    "{\"key\": \"x\", \"version\": 1.5, \"title\": \"T\", \"level\": \"A2\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“version”" },
  { "turns of the wrong type",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\", \"turns\": {}}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns” must be a list" },
  { "accepted answer of the wrong type",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"learner\", \"task\": \"Say hi\", \"accepted\": [3]}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].accepted[0]” must be a string" },
  { "empty hint",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"learner\", \"task\": \"Say hi\", \"accepted\": [\"hi\"],"
    " \"hints\": [\"  \"]}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].hints[0]” cannot be empty" },
  { "unknown level",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"D1\", \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“level”: “D1” is not a CEFR level" },
  { "unknown member",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\", \"colour\": \"red\","
    " \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“colour” is not a known member" },
  { "accepted answers on a partner turn",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"partner\", \"text\": \"Hi\", \"accepted\": [\"hi\"]}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].accepted” is not a known member" },
  { "unknown speaker",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": [{\"speaker\": \"narrator\", \"text\": \"Once\"}]}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].speaker” must be “partner” or “learner”" },
  { "bad key",
    "{\"key\": \"Hotel Check-in\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
    " \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“key”" },
  { "not an object",
    "[1, 2, 3]", RH_SCENARIO_JSON_ERROR_INVALID, "JSON object" },
  { "not JSON",
    "{\"key\": \"x\", \"version\": ", RH_SCENARIO_JSON_ERROR_SYNTAX, "not valid JSON" },
  { "invalid UTF-8",
    "{\"key\": \"x\", \"title\": \"\xff\xfe\"}", RH_SCENARIO_JSON_ERROR_SYNTAX, "UTF-8" },
  { "half a surrogate pair",
    "{\"key\": \"x\", \"version\": 1, \"title\": \"a \\ud800 b\", \"level\": \"A2\","
    " \"turns\": []}",
    RH_SCENARIO_JSON_ERROR_INVALID, "“title” must be a string" },
};

static void
check_refused (const char *doc,
               gssize      length,
               int         code,
               const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = rh_scenario_json_parse (doc, length, "broken.json", &error);

  g_assert_null (scenario);
  g_assert_error (error, RH_SCENARIO_JSON_ERROR, code);
  g_test_message ("%s", error->message);
  /* the message names the file and the field */
  g_assert_true (g_str_has_prefix (error->message, "broken.json: "));
  if (strstr (error->message, expect) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expect);
}

static void
test_json_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_test_message ("%s", malformed[i].name);
      check_refused (malformed[i].doc, -1, malformed[i].code, malformed[i].expect);
    }

  /* nesting deep enough to exhaust the parser's stack */
  {
    g_autofree char *deep = g_strnfill (100000, '[');
    check_refused (deep, -1, RH_SCENARIO_JSON_ERROR_SYNTAX, "nest more than 64 deep");
  }
}

static void
test_json_huge (void)
{
  g_autofree char *long_title = g_strnfill (RH_SCENARIO_MAX_TITLE + 1, 'a');
  g_autofree char *long_task = g_strnfill (2001, 'b');
  g_autofree char *huge = NULL;
  g_autofree char *doc = NULL;
  GString *big;

  doc = g_strdup_printf ("{\"key\": \"x\", \"version\": 1, \"title\": \"%s\", \"level\": \"A2\","
                         " \"turns\": []}", long_title);
  check_refused (doc, -1, RH_SCENARIO_JSON_ERROR_INVALID, "“title”: The title is longer than 120");
  g_clear_pointer (&doc, g_free);

  doc = g_strdup_printf ("{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
                         " \"turns\": [{\"speaker\": \"learner\", \"task\": \"%s\","
                         " \"accepted\": [\"x\"]}]}", long_task);
  check_refused (doc, -1, RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].task”");
  g_clear_pointer (&doc, g_free);

  doc = g_strdup_printf ("{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"level\": \"A2\","
                         " \"turns\": [{\"speaker\": \"learner\", \"task\": \"t\","
                         " \"accepted\": [\"%s\"]}]}", long_task);
  check_refused (doc, -1, RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].task”: An accepted answer");
  g_clear_pointer (&doc, g_free);

  /* a document bigger than any scenario is refused before it is parsed */
  big = g_string_new ("{\"key\": \"x\", \"version\": 1, \"title\": \"T\", \"description\": \"");
  while (big->len < RH_SCENARIO_JSON_MAX_SIZE)
    g_string_append (big, "padding padding padding ");
  g_string_append (big, "\"}");
  huge = g_string_free (big, FALSE);
  check_refused (huge, -1, RH_SCENARIO_JSON_ERROR_INVALID, "larger than 256 KiB");

  /* a list that long is not a scenario */
  {
    GString *many = g_string_new ("{\"key\": \"x\", \"version\": 1, \"title\": \"T\","
                                  " \"level\": \"A2\", \"turns\": [{\"speaker\": \"learner\","
                                  " \"task\": \"t\", \"accepted\": [");
    g_autofree char *text = NULL;

    for (guint i = 0; i < RH_SCENARIO_JSON_MAX_ITEMS + 1; i++)
      g_string_append_printf (many, "%s\"a%u\"", i ? ", " : "", i);
    g_string_append (many, "]}]}");
    text = g_string_free (many, FALSE);
    check_refused (text, -1, RH_SCENARIO_JSON_ERROR_INVALID, "“turns[0].accepted” can have at most");
  }
}

static void
test_json_round_trip_own (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = rh_scenario_new (NULL, "Ça va? Mon scénario", "B1", &error);
  g_autoptr(RhScenario) again = NULL;
  g_autofree char *doc = NULL;
  const char *accepted[] = { "Très bien, merci.", NULL };

  g_assert_no_error (error);
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER, "Reply", accepted,
                                                             NULL, NULL, &error),
                                       &error));
  doc = rh_scenario_json_serialize (scenario);
  again = rh_scenario_json_parse (doc, -1, "own.json", &error);
  g_assert_no_error (error);
  /* the learner's own scenario gets a key from its title, and version 1 */
  g_assert_cmpstr (rh_scenario_get_bundle_key (again), ==, "ca-va-mon-scenario");
  g_assert_cmpint (rh_scenario_get_bundle_version (again), ==, 1);
  g_assert_cmpstr (rh_scenario_get_title (again), ==, "Ça va? Mon scénario");
  g_assert_cmpstr (rh_scenario_get_turn (again, 0)->accepted[0], ==, "Très bien, merci.");
}

/* ---- installing and updating ---- */

static void
test_install_first_start (RhFixture     *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bundle = load_bundle ();
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *meta = NULL;
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (f->collection), "rh-sqlite-database");
  RhScenarioInstallReport report = { 1, 1, 1, 1 };

  /* opening the collection installed the bundle */
  list = rh_scenario_library_list (library, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, bundle->len);
  meta = rh_sqlite_database_get_meta (db, "scenario-bundle");
  g_assert_nonnull (meta);
  g_assert_cmpuint (strlen (meta), ==, 64);

  /* every bundled scenario has the id made from its key */
  for (guint i = 0; i < list->len; i++)
    {
      RhScenario *scenario = rh_scenario_summary_get_scenario (list->pdata[i]);
      g_autofree char *id = rh_scenario_bundle_id (rh_scenario_get_bundle_key (scenario));

      g_assert_cmpstr (rh_scenario_get_id (scenario), ==, id);
      g_assert_true (rh_scenario_summary_is_bundled (list->pdata[i]));
      g_assert_cmpint (rh_scenario_summary_get_mastery (list->pdata[i]), ==,
                       RH_SCENARIO_MASTERY_NEW);
    }

  /* the next start sees the same bundle and does nothing */
  before = scenarios_checksum (f);
  g_assert_true (rh_composition_install_scenarios (f->collection, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.added + report.updated + report.unchanged + report.kept_deleted, ==, 0);

  /* and installing it anyway changes nothing either */
  g_assert_true (rh_composition_install_scenarios (f->collection, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.added, ==, 0);
  g_assert_cmpuint (report.updated, ==, 0);
  g_assert_cmpuint (report.unchanged, ==, bundle->len);
  after = scenarios_checksum (f);
  g_assert_cmpstr (before, ==, after);

  /* reopening is a no-op too */
  g_clear_object (&f->collection);
  rh_fixture_open (f);
  g_clear_pointer (&after, g_free);
  after = scenarios_checksum (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_install_update_rules (RhFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bundle = load_bundle ();
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(RhScenario) own = create_own (f, "My tea");
  g_autoptr(RhScenario) hotel = get_scenario (f, "hotel-check-in");
  g_autoptr(RhScenario) cafe = get_scenario (f, "ordering-at-a-cafe");
  g_autoptr(RhPracticeResult) run = NULL;
  g_autoptr(GPtrArray) next_bundle = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RhScenarioSummary) summary = NULL;
  g_autoptr(RhScenario) got = NULL;
  g_autofree char *own_before = rh_scenario_json_serialize (own);
  g_autofree char *own_after = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *checksum_again = NULL;
  RhScenarioInstallReport report;
  const char *accepted[] = { "Hello there.", "Hi there.", NULL };

  /* progress on the hotel, and the café deleted */
  run = practise_exactly (f, hotel);
  g_assert_true (rh_scenario_library_delete (library, rh_scenario_get_id (cafe), &error));
  g_assert_no_error (error);

  /* the next release: the hotel rewritten (version 2), the café too, and
   * a new scenario */
  for (guint i = 0; i < bundle->len; i++)
    {
      RhScenario *source = bundle->pdata[i];
      const char *key = rh_scenario_get_bundle_key (source);
      RhScenario *copy = rh_scenario_duplicate (source, NULL);

      rh_scenario_set_bundle (copy, key, 1);
      if (g_str_equal (key, "hotel-check-in") || g_str_equal (key, "ordering-at-a-cafe"))
        {
          g_assert_true (rh_scenario_set_title (copy, "Checking in, revised", &error));
          rh_scenario_set_bundle (copy, key, 2);
        }
      g_ptr_array_add (next_bundle, copy);
    }
  {
    RhScenario *fresh = rh_scenario_new (NULL, "A brand new one", "B1", &error);

    g_assert_true (rh_scenario_add_turn (fresh,
                                         rh_scenario_turn_new (RH_TURN_LEARNER, "Greet", accepted,
                                                               NULL, NULL, &error),
                                         &error));
    rh_scenario_set_bundle (fresh, "brand-new", 1);
    g_ptr_array_add (next_bundle, fresh);
  }

  g_assert_true (rh_scenario_library_install (library, next_bundle, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.added, ==, 1);
  g_assert_cmpuint (report.updated, ==, 1);
  g_assert_cmpuint (report.kept_deleted, ==, 1);
  g_assert_cmpuint (report.unchanged, ==, bundle->len - 2);

  /* the hotel: new content, same id, its run still counted */
  got = get_scenario (f, "hotel-check-in");
  g_assert_cmpstr (rh_scenario_get_id (got), ==, rh_scenario_get_id (hotel));
  g_assert_cmpstr (rh_scenario_get_title (got), ==, "Checking in, revised");
  g_assert_cmpint (rh_scenario_get_bundle_version (got), ==, 2);
  summary = rh_scenario_library_get_summary (library, rh_scenario_get_id (hotel), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rh_scenario_summary_get_runs (summary), ==, 1);
  g_assert_cmpint (rh_scenario_summary_get_best_score (summary), ==, 100);
  g_clear_object (&got);

  /* the café stays deleted */
  got = rh_scenario_library_get (library, "ordering-at-a-cafe", &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);
  got = rh_scenario_library_get (library, rh_scenario_get_id (cafe), &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the new one is there; the learner's own is untouched */
  got = get_scenario (f, "brand-new");
  g_assert_cmpstr (rh_scenario_get_title (got), ==, "A brand new one");
  g_clear_object (&got);
  got = get_scenario (f, rh_scenario_get_id (own));
  own_after = rh_scenario_json_serialize (got);
  g_assert_cmpstr (own_before, ==, own_after);
  g_assert_null (rh_scenario_get_bundle_key (got));

  /* the same bundle again: nothing to do */
  checksum = scenarios_checksum (f);
  g_assert_true (rh_scenario_library_install (library, next_bundle, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.added + report.updated, ==, 0);
  checksum_again = scenarios_checksum (f);
  g_assert_cmpstr (checksum, ==, checksum_again);

  /* an older bundle (the real one, version 1) never downgrades, even when
   * forced, and a restart keeps all of it */
  g_assert_true (rh_composition_install_scenarios (f->collection, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.added + report.updated, ==, 0);
  g_clear_object (&f->collection);
  g_clear_object (&library);
  rh_fixture_open (f);
  g_clear_pointer (&checksum_again, g_free);
  checksum_again = scenarios_checksum (f);
  g_assert_cmpstr (checksum, ==, checksum_again);
}

static void
test_install_is_atomic (RhFixture     *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(GPtrArray) next_bundle = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *before = scenarios_checksum (f);
  g_autofree char *after = NULL;
  const char *accepted[] = { "Hi.", NULL };
  RhScenario *good, *keyless;

  good = rh_scenario_new (NULL, "Fine", "A2", &error);
  g_assert_true (rh_scenario_add_turn (good, rh_scenario_turn_new (RH_TURN_LEARNER, "Greet",
                                                                   accepted, NULL, NULL, &error),
                                       &error));
  rh_scenario_set_bundle (good, "fine", 1);
  keyless = rh_scenario_duplicate (good, NULL);
  g_ptr_array_add (next_bundle, good);
  g_ptr_array_add (next_bundle, keyless);

  g_assert_false (rh_scenario_library_install (library, next_bundle, NULL, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  after = scenarios_checksum (f);
  g_assert_cmpstr (before, ==, after);
}

/* ---- the learner's own scenarios ---- */

static gboolean
has_problem (GPtrArray       *problems,
             RhScenarioField  field,
             int              turn)
{
  for (guint i = 0; i < problems->len; i++)
    {
      RhScenarioProblem *p = problems->pdata[i];

      if (p->field == field && p->turn == turn)
        {
          g_test_message ("%d/%d: %s", field, turn, p->error->message);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_own_scenarios (RhFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(RhScenario) created = NULL;
  g_autoptr(RhScenario) updated = NULL;
  g_autoptr(RhScenario) copy = NULL;
  g_autoptr(RhScenario) refused = NULL;
  g_autoptr(RhScenario) hotel = get_scenario (f, "hotel-check-in");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *long_title = g_strnfill (200, 'x');
  const char *accepted[] = { "Could I have the menu, please?", "The menu, please.", NULL };
  const char *none[] = { NULL };
  const char *blank[] = { "   ", NULL };
  RhScenarioTurnDraft turns[] = {
    { RH_TURN_PARTNER, "Hello!", NULL, NULL, NULL },
    { RH_TURN_LEARNER, "Ask for the menu.", accepted, NULL, NULL },
  };
  RhScenarioTurnDraft bad_turns[] = {
    { RH_TURN_PARTNER, "  ", NULL, NULL, NULL },
    { RH_TURN_LEARNER, "Ask for the menu.", none, NULL, NULL },
    { RH_TURN_LEARNER, "Ask again.", blank, NULL, NULL },
  };
  RhScenarioTurnDraft partner_only[] = {
    { RH_TURN_PARTNER, "Hello!", NULL, NULL, NULL },
  };
  RhScenarioDraft draft = { "At the diner", "A2", "food", NULL, "Get the menu.", turns, 2 };
  RhScenarioDraft bad = { "  ", "Z9", NULL, NULL, NULL, bad_turns, 3 };
  RhScenarioDraft no_learner = { "Only listening", "A2", NULL, NULL, NULL, partner_only, 1 };
  RhScenarioDraft too_long = { long_title, "A2", NULL, NULL, NULL, turns, 2 };
  RhScenarioFilter mine = { .origin = RH_SCENARIO_ORIGIN_OWN };

  /* every rule, on its field, for the editor */
  problems = rh_scenario_draft_check (&bad);
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_TITLE, -1));
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_LEVEL, -1));
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_TURN_TEXT, 0));
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1));
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_TURN_ACCEPTED, 2));
  g_assert_false (has_problem (problems, RH_SCENARIO_FIELD_TURNS, -1));
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = rh_scenario_draft_check (&no_learner);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (has_problem (problems, RH_SCENARIO_FIELD_TURNS, -1));
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = rh_scenario_draft_check (&draft);
  g_assert_cmpuint (problems->len, ==, 0);

  /* a refused draft stores nothing */
  before = scenarios_checksum (f);
  refused = rh_scenario_library_create (library, &bad, &error);
  g_assert_null (refused);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);
  refused = rh_scenario_library_create (library, &no_learner, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  g_assert_nonnull (strstr (error->message, "learner turn"));
  g_clear_error (&error);
  refused = rh_scenario_library_create (library, &too_long, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG);
  g_clear_error (&error);
  bad.title = "Fine title";
  bad.level = "A2";
  refused = rh_scenario_library_create (library, &bad, &error);
  g_assert_nonnull (strstr (error->message, "Turn 1: "));
  g_clear_error (&error);
  after = scenarios_checksum (f);
  g_assert_cmpstr (before, ==, after);

  /* create, edit */
  created = rh_scenario_library_create (library, &draft, &error);
  g_assert_no_error (error);
  g_assert_null (rh_scenario_get_bundle_key (created));
  draft.title = "At the diner, again";
  updated = rh_scenario_library_update (library, rh_scenario_get_id (created), &draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_scenario_get_title (updated), ==, "At the diner, again");
  g_assert_cmpstr (rh_scenario_get_id (updated), ==, rh_scenario_get_id (created));

  /* bundled ones are duplicated, not edited */
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  before = scenarios_checksum (f);
  refused = rh_scenario_library_update (library, rh_scenario_get_id (hotel), &draft, &error);
  g_assert_null (refused);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "duplicate"));
  g_clear_error (&error);
  refused = rh_scenario_library_update (library, MISSING_ID, &draft, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rh_scenario_library_delete (library, MISSING_ID, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rh_scenario_library_delete (library, "not an id", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
  g_clear_error (&error);
  refused = rh_scenario_library_duplicate (library, "no-such-key", NULL, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = scenarios_checksum (f);
  g_assert_cmpstr (before, ==, after);

  copy = rh_scenario_library_duplicate (library, "hotel-check-in", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_scenario_get_title (copy), ==, "Checking in at a hotel (copy)");
  g_assert_null (rh_scenario_get_bundle_key (copy));
  g_assert_cmpstr (rh_scenario_get_id (copy), !=, rh_scenario_get_id (hotel));
  g_assert_cmpuint (rh_scenario_get_n_turns (copy), ==, rh_scenario_get_n_turns (hotel));

  own = rh_scenario_library_list (library, &mine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (own->len, ==, 2);

  /* deleting one of the learner's own */
  g_assert_true (rh_scenario_library_delete (library, rh_scenario_get_id (created), &error));
  g_assert_no_error (error);
  g_clear_pointer (&own, g_ptr_array_unref);
  own = rh_scenario_library_list (library, &mine, &error);
  g_assert_cmpuint (own->len, ==, 1);
  g_assert_cmpstr (rh_scenario_summary_get_id (own->pdata[0]), ==, rh_scenario_get_id (copy));
}

static void
test_library_filters (RhFixture     *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(GPtrArray) all = rh_scenario_library_list (library, NULL, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) topics = NULL;
  RhScenarioFilter filter = { 0 };

  g_assert_no_error (error);

  filter.level = "B2";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >, 0);
  g_assert_cmpuint (list->len, <, all->len);
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (rh_scenario_summary_get_level (list->pdata[i]), ==, "B2");
  g_clear_pointer (&list, g_ptr_array_unref);

  filter.level = NULL;
  filter.topic = "food";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_cmpuint (list->len, >=, 2);
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (rh_scenario_summary_get_topic (list->pdata[i]), ==, "food");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* search ignores case and accents, and takes prefixes */
  filter.topic = NULL;
  filter.text = "CAFE";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (rh_scenario_summary_get_title (list->pdata[0]), ==, "Ordering at a café");
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.text = "hot check";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.text = "zebra";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  filter.text = NULL;
  filter.level = "Q7";
  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_null (list);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  g_clear_error (&error);

  topics = rh_scenario_library_list_topics (library, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) topics, "travel"));
  g_assert_true (g_strv_contains ((const char * const *) topics, "work"));
  for (guint i = 1; topics[i]; i++)
    g_assert_cmpint (strcmp (topics[i - 1], topics[i]), <, 0);
  g_assert_cmpstr (rh_scenario_topic_get_label ("food"), ==, "Food and drink");
  g_assert_cmpstr (rh_scenario_topic_get_label ("knitting"), ==, "knitting");
}

/* ---- practice ---- */

static void
test_practice_exact (RhFixture     *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = get_scenario (f, "buying-a-train-ticket");
  g_autoptr(RhPracticeResult) result = NULL;
  g_autoptr(RhSession) stored = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);

  result = practise_exactly (f, scenario);
  g_assert_cmpfloat (result->score, ==, 100.0);
  g_assert_cmpuint (result->cards_created, ==, 0);
  g_assert_cmpuint (result->missed->len, ==, 0);
  g_assert_cmpuint (result->turns->len, ==, count_learner_turns (scenario));

  stored = rh_session_repository_get (repos->sessions, rh_session_get_id (result->session),
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (rh_session_get_kind (stored), ==, RH_SESSION_KIND_SCENARIO);
  g_assert_cmpstr (rh_session_get_scenario_id (stored), ==, rh_scenario_get_id (scenario));
  g_assert_cmpfloat (rh_session_get_score (stored), ==, 100.0);
  g_assert_false (rh_session_is_open (stored));

  turns = rh_session_repository_list_turn_results (repos->sessions,
                                                   rh_session_get_id (stored), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, count_learner_turns (scenario));
  for (guint i = 0; i < turns->len; i++)
    {
      RhTurnResult *t = turns->pdata[i];

      g_assert_cmpint (rh_scenario_get_turn (scenario, t->turn_index)->kind, ==, RH_TURN_LEARNER);
      g_assert_cmpint (t->score, ==, 100);
      g_assert_cmpuint (t->attempts, ==, 1);
      g_assert_cmpuint (t->hints_used, ==, 0);
      g_assert_false (t->skipped);
      g_assert_cmpstr (t->answer, ==, rh_scenario_get_turn (scenario, t->turn_index)->accepted[0]);
    }
}

static void
test_practice_flow (RhFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = get_scenario (f, "hotel-check-in");
  g_autoptr(RhPracticeRun) run = NULL;
  g_autoptr(RhPracticeResult) result = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  const RhPracticeTurn *turn;
  const RhScenarioTurn *t1, *t3, *t5, *t7;
  gint64 started = f->now;

  /* hotel: 0 partner, 1 learner, 2 partner, 3 learner, ... 9 learner */
  t1 = rh_scenario_get_turn (scenario, 1);
  t3 = rh_scenario_get_turn (scenario, 3);
  t5 = rh_scenario_get_turn (scenario, 5);
  t7 = rh_scenario_get_turn (scenario, 7);
  g_assert_cmpint (t1->kind, ==, RH_TURN_LEARNER);

  run = rh_practice_run_new (f->collection, scenario, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rh_practice_run_get_current (run), ==, 1);
  g_assert_cmpuint (rh_practice_run_get_n_shown (run), ==, 2);
  g_assert_cmpint (rh_practice_run_get_turn (run, 0)->state, ==, RH_PRACTICE_TURN_SHOWN);
  g_assert_cmpint (rh_practice_run_get_turn (run, 1)->state, ==, RH_PRACTICE_TURN_WAITING);
  g_assert_cmpint (rh_practice_run_get_turn (run, 2)->state, ==, RH_PRACTICE_TURN_PENDING);
  g_assert_cmpstr (rh_practice_run_get_partner_line (run, 1), ==,
                   rh_scenario_get_turn (scenario, 0)->text);

  /* going on without an answer is refused */
  g_assert_false (rh_practice_run_next (run, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (rh_practice_run_retry (run, &error));
  g_clear_error (&error);

  /* turn 1: a hint costs 15 */
  g_assert_cmpuint (rh_practice_run_get_hints_left (run), ==, 2);
  g_assert_cmpstr (rh_practice_run_hint (run, &error), ==, t1->hints[0]);
  g_assert_cmpuint (rh_practice_run_get_hints_left (run), ==, 1);
  turn = rh_practice_run_submit (run, t1->accepted[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (turn->feedback->score, ==, 100);
  g_assert_cmpint (turn->attempt_score, ==, 100 - RH_PRACTICE_HINT_COST);
  g_assert_cmpint (turn->score, ==, 100 - RH_PRACTICE_HINT_COST);
  /* a second answer needs a retry first */
  g_assert_null (rh_practice_run_submit (run, t1->accepted[0], &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (rh_practice_run_next (run, &error));
  g_assert_cmpint (rh_practice_run_get_current (run), ==, 3);
  g_assert_cmpuint (rh_practice_run_get_n_shown (run), ==, 4);

  /* turn 3: one hint, then none left (and no charge for asking) */
  g_assert_nonnull (rh_practice_run_hint (run, &error));
  g_assert_null (rh_practice_run_hint (run, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (rh_practice_run_get_turn (run, 3)->hints_used, ==, 1);

  /* retry keeps the best attempt; each retry costs 10 */
  turn = rh_practice_run_submit (run, "banana", &error);
  g_assert_no_error (error);
  g_assert_cmpint (turn->score, ==, 0);
  g_assert_true (turn->missed_phrases[0] != NULL);
  g_assert_true (rh_practice_run_retry (run, &error));
  turn = rh_practice_run_submit (run, t3->accepted[1], &error);
  g_assert_cmpint (turn->attempt_score, ==, 100 - RH_PRACTICE_HINT_COST - RH_PRACTICE_RETRY_COST);
  g_assert_cmpint (turn->score, ==, 75);
  g_assert_null (turn->missed_phrases[0]);
  g_assert_true (rh_practice_run_retry (run, &error));
  turn = rh_practice_run_submit (run, "something else entirely", &error);
  g_assert_cmpint (turn->attempt_score, <, 75);
  g_assert_cmpint (turn->score, ==, 75);
  g_assert_cmpstr (turn->answer, ==, t3->accepted[1]);
  g_assert_cmpuint (turn->attempts, ==, 3);
  g_assert_true (rh_practice_run_next (run, &error));

  /* turn 5: skipped scores 0, and every key phrase counts as missed */
  g_assert_true (rh_practice_run_skip (run, &error));
  turn = rh_practice_run_get_turn (run, 5);
  g_assert_cmpint (turn->state, ==, RH_PRACTICE_TURN_SKIPPED);
  g_assert_cmpint (turn->score, ==, 0);
  g_assert_cmpuint (g_strv_length (turn->missed_phrases), ==, g_strv_length (t5->key_phrases));

  /* turn 7: two answers with text and typos, within the limits */
  turn = rh_practice_run_submit (run, "Is there wifi? whats the pasword", &error);
  g_assert_no_error (error);
  g_assert_cmpint (turn->score, >, 60);
  g_assert_true (rh_practice_run_next (run, &error));
  g_assert_cmpstr (rh_practice_run_get_partner_line (run, 7), ==,
                   rh_scenario_get_turn (scenario, 6)->text);
  (void) t7;

  /* an answer too long is refused and costs nothing */
  {
    g_autofree char *huge = g_strnfill (RH_PRACTICE_MAX_ANSWER + 1, 'a');

    g_assert_null (rh_practice_run_submit (run, huge, &error));
    g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG);
    g_clear_error (&error);
    g_assert_null (rh_practice_run_submit (run, "\xff\xfe", &error));
    g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    g_assert_cmpuint (rh_practice_run_get_turn (run, 9)->attempts, ==, 0);
  }

  /* turn 9: an empty answer scores 0 but is an answer */
  turn = rh_practice_run_submit (run, "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (turn->score, ==, 0);
  g_assert_true (rh_practice_run_next (run, &error));
  g_assert_cmpint (rh_practice_run_get_current (run), ==, -1);
  g_assert_true (rh_practice_run_is_complete (run));
  g_assert_cmpuint (rh_practice_run_get_n_shown (run), ==, rh_scenario_get_n_turns (scenario));
  g_assert_null (rh_practice_run_hint (run, &error));
  g_clear_error (&error);
  g_assert_false (rh_practice_run_skip (run, &error));
  g_clear_error (&error);

  /* a minute and a half later */
  f->now += 90 * G_USEC_PER_SEC;
  result = rh_practice_run_finish (run, &error);
  g_assert_no_error (error);
  g_assert_true (rh_practice_run_is_finished (run));
  g_assert_cmpint (rh_session_get_started (result->session), ==, started);
  g_assert_cmpint (rh_session_get_ended (result->session), ==, f->now);
  g_assert_cmpint (rh_session_get_time_ms (result->session), ==, 90000);
  g_assert_cmpfloat_with_epsilon (result->score,
                                  (85.0 + 75.0 + 0.0 + rh_practice_run_get_turn (run, 7)->score +
                                   0.0) / 5.0, 1e-9);

  stored = rh_session_repository_list_turn_results (repos->sessions,
                                                    rh_session_get_id (result->session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 5);
  g_assert_cmpuint (((RhTurnResult *) stored->pdata[0])->hints_used, ==, 1);
  g_assert_cmpint (((RhTurnResult *) stored->pdata[0])->score, ==, 85);
  g_assert_cmpuint (((RhTurnResult *) stored->pdata[1])->attempts, ==, 3);
  g_assert_cmpint (((RhTurnResult *) stored->pdata[1])->score, ==, 75);
  g_assert_true (((RhTurnResult *) stored->pdata[2])->skipped);
  g_assert_null (((RhTurnResult *) stored->pdata[2])->answer);
  g_assert_false (((RhTurnResult *) stored->pdata[4])->skipped);

  /* it is stored once */
  g_assert_null (rh_practice_run_finish (run, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) sessions = rh_session_repository_list_for_scenario (
      repos->sessions, rh_scenario_get_id (scenario), 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sessions->len, ==, 1);
  }
}

static void
test_practice_finish_early (RhFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = get_scenario (f, "asking-for-directions");
  g_autoptr(RhPracticeRun) run = rh_practice_run_new (f->collection, scenario, &error);
  g_autoptr(RhPracticeResult) result = NULL;
  const RhScenarioTurn *first = rh_scenario_get_turn (scenario, 0);

  /* the learner speaks first here */
  g_assert_cmpint (rh_practice_run_get_current (run), ==, 0);
  g_assert_null (rh_practice_run_get_partner_line (run, 0));
  g_assert_nonnull (rh_practice_run_submit (run, first->accepted[0], &error));
  g_assert_true (rh_practice_run_retry (run, &error));

  /* left after one answer: the rest count 0, and make no cards */
  result = rh_practice_run_finish (run, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (result->score, 100.0 / count_learner_turns (scenario), 1e-9);
  g_assert_cmpuint (result->cards_created, ==, 0);
  g_assert_true (((RhTurnResult *) result->turns->pdata[1])->skipped);
}

static guint
phrase_cards_in_deck (RhFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_collection_find_deck (f->collection, "Scenario phrases", &error);
  RhCardQuery query = { 0 };
  guint count = 0;

  if (deck == NULL)
    return 0;
  query.deck_id = rh_deck_get_id (deck);
  g_assert_true (rh_collection_count_cards (f->collection, &query, &count, &error));
  return count;
}

static void
test_phrase_cards_once (RhFixture     *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = get_scenario (f, "job-interview");
  g_autoptr(RhPracticeResult) first = NULL;
  g_autoptr(RhPracticeResult) second = NULL;
  g_autoptr(RhPracticeResult) third = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(RhStudyCard) next = NULL;
  const RhRepositories *repos;
  RhMissedPhrase *missed;
  guint n_phrases = 0;

  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    n_phrases += g_strv_length (rh_scenario_get_turn (scenario, i)->key_phrases);
  g_assert_cmpuint (n_phrases, >, 3);
  g_assert_cmpuint (phrase_cards_in_deck (f), ==, 0);

  first = practise_skipping (f, scenario);
  g_assert_cmpfloat (first->score, ==, 0.0);
  g_assert_cmpuint (first->cards_created, ==, n_phrases);
  g_assert_cmpuint (first->missed->len, ==, n_phrases);
  g_assert_cmpuint (phrase_cards_in_deck (f), ==, n_phrases);

  /* the card: the situation with the phrase blanked on the front, the
   * phrase on the back, where it came from in the notes */
  missed = first->missed->pdata[0];
  g_assert_true (missed->new_card);
  card = rh_collection_get_card (f->collection, missed->card_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_back (card), ==, missed->phrase);
  g_assert_nonnull (strstr (rh_flashcard_get_front (card), "_____"));
  g_assert_nonnull (strstr (rh_flashcard_get_front (card),
                            rh_scenario_get_turn (scenario, missed->turn_index - 1)->text));
  g_assert_null (strstr (rh_flashcard_get_front (card), missed->phrase));
  g_assert_nonnull (strstr (rh_flashcard_get_notes (card), "A job interview"));
  g_assert_nonnull (strstr (rh_flashcard_get_notes (card),
                            rh_scenario_get_turn (scenario, missed->turn_index)->text));
  g_assert_nonnull (strstr (rh_flashcard_get_example (card), missed->phrase));
  g_assert_true (g_strv_contains (rh_flashcard_get_tags (card), "scenario"));
  g_assert_true (g_strv_contains (rh_flashcard_get_tags (card), "work"));

  /* missed again: no new card */
  f->now += G_USEC_PER_SEC;
  second = practise_skipping (f, scenario);
  g_assert_cmpuint (second->cards_created, ==, 0);
  g_assert_cmpuint (second->missed->len, ==, n_phrases);
  for (guint i = 0; i < second->missed->len; i++)
    {
      RhMissedPhrase *again = second->missed->pdata[i];
      RhMissedPhrase *before = first->missed->pdata[i];

      g_assert_false (again->new_card);
      g_assert_cmpstr (again->card_id, ==, before->card_id);
    }

  /* nor after a restart, and nor when the learner deleted a card */
  g_assert_true (rh_collection_delete_cards (f->collection,
                                             (const char *[]) { missed->card_id, NULL },
                                             &error));
  g_assert_no_error (error);
  g_clear_object (&f->collection);
  rh_fixture_open (f);
  f->now += G_USEC_PER_SEC;
  third = practise_skipping (f, scenario);
  g_assert_cmpuint (third->cards_created, ==, 0);
  g_assert_cmpuint (phrase_cards_in_deck (f), ==, n_phrases - 1);

  repos = rh_collection_get_repositories (f->collection);
  links = rh_scenario_repository_list_phrase_cards (repos->scenarios,
                                                    rh_scenario_get_id (scenario), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, n_phrases);

  /* and FSRS schedules them like any new card */
  {
    g_autoptr(RhDeck) deck = rh_collection_find_deck (f->collection, "Scenario phrases", &error);

    g_assert_no_error (error);
    next = rh_collection_next_card (f->collection, rh_deck_get_id (deck), &error);
    g_assert_no_error (error);
    g_assert_nonnull (next);
    g_assert_cmpint (rh_flashcard_get_state (next->card)->state, ==, RH_CARD_STATE_NEW);
    g_assert_cmpstr (rh_flashcard_get_deck_id (next->card), ==, rh_deck_get_id (deck));
  }
}

static void
test_mastery (RhFixture     *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) own = create_own (f, "Tea, please");
  g_autoptr(RhScenarioLibrary) library = library_of (f);
  g_autoptr(RhScenarioSummary) summary = NULL;
  g_autoptr(GPtrArray) list = NULL;
  RhScenarioFilter filter = { .text = "tea please" };

  /* runs of 0, then 100, then 85 (a hint) */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RhPracticeRun) run = NULL;
      g_autoptr(RhPracticeResult) result = NULL;

      f->now += G_USEC_PER_SEC;
      run = rh_practice_run_new (f->collection, own, &error);
      if (i == 0)
        g_assert_true (rh_practice_run_skip (run, &error));
      else
        {
          if (i == 2)
            g_assert_nonnull (rh_practice_run_hint (run, &error));
          g_assert_nonnull (rh_practice_run_submit (run, "Yes, please.", &error));
          g_assert_true (rh_practice_run_next (run, &error));
        }
      result = rh_practice_run_finish (run, &error);
      g_assert_no_error (error);
    }

  list = rh_scenario_library_list (library, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  summary = g_object_ref (list->pdata[0]);
  g_assert_cmpuint (rh_scenario_summary_get_runs (summary), ==, 3);
  g_assert_cmpint (rh_scenario_summary_get_best_score (summary), ==, 100);
  g_assert_cmpint (rh_scenario_summary_get_last_score (summary), ==, 85);
  g_assert_cmpint (rh_scenario_summary_get_mastery (summary), ==, RH_SCENARIO_MASTERY_MASTERED);
  g_assert_cmpint (rh_scenario_summary_get_last_practiced (summary), ==, f->now);
  g_assert_cmpuint (rh_scenario_summary_get_n_learner_turns (summary), ==, 1);
  {
    RhScenarioMastery mastery;
    int best;

    g_object_get (summary, "mastery", &mastery, "best-score", &best, NULL);
    g_assert_cmpint (mastery, ==, RH_SCENARIO_MASTERY_MASTERED);
    g_assert_cmpint (best, ==, 100);
  }
  g_clear_object (&summary);

  /* three poor runs later, only the recent ones count */
  for (guint i = 0; i < RH_SCENARIO_RECENT_RUNS; i++)
    {
      g_autoptr(RhPracticeRun) run = NULL;
      g_autoptr(RhPracticeResult) result = NULL;

      f->now += G_USEC_PER_SEC;
      run = rh_practice_run_new (f->collection, own, &error);
      g_assert_true (rh_practice_run_skip (run, &error));
      result = rh_practice_run_finish (run, &error);
      g_assert_no_error (error);
    }
  summary = rh_scenario_library_get_summary (library, rh_scenario_get_id (own), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rh_scenario_summary_get_runs (summary), ==, 6);
  g_assert_cmpint (rh_scenario_summary_get_best_score (summary), ==, 0);
  g_assert_cmpint (rh_scenario_summary_get_mastery (summary), ==, RH_SCENARIO_MASTERY_LEARNING);
  g_assert_cmpstr (rh_scenario_mastery_to_string (rh_scenario_summary_get_mastery (summary)), ==,
                   "learning");
}

static void
test_practice_refuses (RhFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) listening = rh_scenario_new (NULL, "Just listening", "A2", &error);
  g_autoptr(RhPracticeRun) run = NULL;

  g_assert_true (rh_scenario_add_turn (listening,
                                       rh_scenario_turn_new (RH_TURN_PARTNER, "Hello", NULL, NULL,
                                                             NULL, &error),
                                       &error));
  run = rh_practice_run_new (f->collection, listening, &error);
  g_assert_null (run);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
}

/* ---- speech ---- */

static void
test_speech (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rehearse-speech-XXXXXX", &error);
  g_autofree char *fake = NULL;
  g_autofree char *log = NULL;
  g_autofree char *script = NULL;
  g_autofree char *said = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  gint64 deadline;

  g_assert_no_error (error);

  /* no engine: nothing to speak with, and no noise about it */
  g_setenv ("PATH", dir, TRUE);
  g_assert_false (rh_speech_is_available ());
  g_assert_null (rh_speech_get_engine ());
  g_assert_false (rh_speech_speak ("Hello", "en", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a stand-in spd-say that writes down its arguments */
  fake = g_build_filename (dir, "spd-say", NULL);
  log = g_build_filename (dir, "said", NULL);
  script = g_strdup_printf ("#!/bin/sh\nfor a in \"$@\"; do printf '%%s|' \"$a\"; done > '%s.tmp'\n"
                            "mv '%s.tmp' '%s'\n", log, log, log);
  g_assert_true (g_file_set_contents (fake, script, -1, &error));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  g_assert_true (rh_speech_is_available ());
  g_assert_cmpstr (rh_speech_get_engine (), ==, "spd-say");

  /* the line is one argument after "--", even when it looks like an
   * option or holds shell syntax */
  {
    g_autofree char *path = g_strconcat (dir, ":", old_path ? old_path : "/usr/bin:/bin", NULL);

    g_setenv ("PATH", path, TRUE);
  }
  g_assert_true (rh_speech_speak ("--help; rm -rf $HOME", "en-GB", &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (log, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (g_file_get_contents (log, &said, NULL, &error));
  g_assert_cmpstr (said, ==, "--language|en-GB|--|--help; rm -rf $HOME|");
  g_clear_pointer (&said, g_free);
  g_unlink (log);

  /* a strange language tag is not passed on */
  g_assert_true (rh_speech_speak ("Hi", "en;reboot", &error));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (log, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (g_file_get_contents (log, &said, NULL, &error));
  g_assert_cmpstr (said, ==, "--language|en|--|Hi|");

  g_assert_false (rh_speech_speak ("   ", "en", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  rh_speech_stop ();

  g_setenv ("PATH", old_path ? old_path : "/usr/bin:/bin", TRUE);
  rh_fixture_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenarios/bundle/valid", test_bundle_valid);
  g_test_add_func ("/scenarios/bundle/matches-folder", test_bundle_matches_folder);
  g_test_add_func ("/scenarios/json/good", test_json_good);
  g_test_add_func ("/scenarios/json/malformed", test_json_malformed);
  g_test_add_func ("/scenarios/json/huge", test_json_huge);
  g_test_add_func ("/scenarios/json/round-trip-own", test_json_round_trip_own);
  FIXTURE_TEST ("/scenarios/install/first-start", test_install_first_start);
  FIXTURE_TEST ("/scenarios/install/update-rules", test_install_update_rules);
  FIXTURE_TEST ("/scenarios/install/atomic", test_install_is_atomic);
  FIXTURE_TEST ("/scenarios/library/own", test_own_scenarios);
  FIXTURE_TEST ("/scenarios/library/filters", test_library_filters);
  FIXTURE_TEST ("/scenarios/library/mastery", test_mastery);
  FIXTURE_TEST ("/scenarios/practice/exact", test_practice_exact);
  FIXTURE_TEST ("/scenarios/practice/flow", test_practice_flow);
  FIXTURE_TEST ("/scenarios/practice/finish-early", test_practice_finish_early);
  FIXTURE_TEST ("/scenarios/practice/refuses", test_practice_refuses);
  FIXTURE_TEST ("/scenarios/practice/phrase-cards-once", test_phrase_cards_once);
  g_test_add_func ("/scenarios/speech", test_speech);

  return g_test_run ();
}
