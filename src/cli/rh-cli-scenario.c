// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rh-cli.h"
#include "rh-domain-error.h"
#include "rh-scenario-json.h"
#include "rh-scenario-library.h"
#include "rh-scenario-practice.h"

/* An answers file holds a line or two per turn; more is a mistake. */
#define MAX_ANSWERS_FILE (1024 * 1024)

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_strv (JsonBuilder        *b,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_mastery (JsonBuilder       *b,
             RhScenarioSummary *summary)
{
  add_int (b, "learner_turns", rh_scenario_summary_get_n_learner_turns (summary));
  add_int (b, "runs", rh_scenario_summary_get_runs (summary));
  json_builder_set_member_name (b, "best_score");
  if (rh_scenario_summary_get_best_score (summary) >= 0)
    json_builder_add_int_value (b, rh_scenario_summary_get_best_score (summary));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "last_score");
  if (rh_scenario_summary_get_last_score (summary) >= 0)
    json_builder_add_int_value (b, rh_scenario_summary_get_last_score (summary));
  else
    json_builder_add_null_value (b);
  add_string (b, "mastery", rh_scenario_mastery_to_string (rh_scenario_summary_get_mastery (summary)));
}

static JsonNode *
summary_to_json (RhScenarioSummary *summary)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  RhScenario *scenario = rh_scenario_summary_get_scenario (summary);

  json_builder_begin_object (b);
  add_string (b, "id", rh_scenario_get_id (scenario));
  add_string (b, "key", rh_scenario_get_bundle_key (scenario));
  add_string (b, "title", rh_scenario_get_title (scenario));
  add_string (b, "level", rh_scenario_get_level (scenario));
  add_string (b, "topic", rh_scenario_get_topic (scenario));
  json_builder_set_member_name (b, "bundled");
  json_builder_add_boolean_value (b, rh_scenario_summary_is_bundled (summary));
  add_mastery (b, summary);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
rh_cli_scenario_list (RhCliContext  *ctx,
                      int            argc,
                      char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *level = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *search = NULL;
  RhScenarioFilter filter = { 0 };
  RhCollection *coll;
  GOptionEntry entries[] = {
    { "level", 0, 0, G_OPTION_ARG_STRING, &level, N_("Only this CEFR level (A1–C2)"), "L" },
    { "topic", 0, 0, G_OPTION_ARG_STRING, &topic, N_("Only this topic (travel, food, …)"), "T" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Words in the title or description"),
      "TEXT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctx->json, N_("Print JSON"), NULL },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  if (argc > 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  if (level != NULL)
    {
      g_autofree char *upper = g_ascii_strup (level, -1);

      if (!rh_scenario_level_validate (upper, &error))
        {
          rh_cli_usage_error (ctx, error->message);
          return 2;
        }
      g_free (level);
      level = g_steal_pointer (&upper);
    }
  OPEN_OR_RETURN (ctx, coll);

  library = rh_scenario_library_new (coll);
  filter.level = level;
  filter.topic = topic;
  filter.text = search;
  if (!(list = rh_scenario_library_list (library, &filter, &error)))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, summary_to_json (list->pdata[i]));
      json_node_set_array (root, array);
      rh_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < list->len; i++)
    {
      RhScenarioSummary *summary = list->pdata[i];
      RhScenario *scenario = rh_scenario_summary_get_scenario (summary);
      const char *name = rh_scenario_get_bundle_key (scenario);

      printf ("%-36s  %s  %-10s  %s  ", name ? name : rh_scenario_get_id (scenario),
              rh_scenario_get_level (scenario),
              rh_scenario_get_topic (scenario) ? rh_scenario_get_topic (scenario) : "-",
              rh_scenario_get_title (scenario));
      if (rh_scenario_summary_get_runs (summary) > 0)
        printf (ngettext ("(%s, best %d%%, %u run)", "(%s, best %d%%, %u runs)",
                          rh_scenario_summary_get_runs (summary)),
                rh_scenario_mastery_get_label (rh_scenario_summary_get_mastery (summary)),
                rh_scenario_summary_get_best_score (summary),
                rh_scenario_summary_get_runs (summary));
      else
        printf ("(%s)", rh_scenario_mastery_get_label (RH_SCENARIO_MASTERY_NEW));
      printf ("\n");
    }
  return 0;
}

/* One argument: the scenario's id or key. */
static RhScenario *
find_scenario (RhCliContext       *ctx,
               RhScenarioLibrary  *library,
               int                 argc,
               char              **argv,
               int                *out_status)
{
  g_autoptr(GError) error = NULL;
  RhScenario *scenario;

  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give one scenario: its id or its key"));
      *out_status = 2;
      return NULL;
    }
  if (!(scenario = rh_scenario_library_get (library, argv[1], &error)))
    *out_status = rh_cli_fail (error);
  return scenario;
}

int
rh_cli_scenario_show (RhCliContext  *ctx,
                      int            argc,
                      char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhScenarioSummary) summary = NULL;
  RhCollection *coll;
  int status = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctx->json, N_("Print JSON"), NULL },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give one scenario: its id or its key"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  library = rh_scenario_library_new (coll);
  if (!(scenario = find_scenario (ctx, library, argc, argv, &status)))
    return status;
  if (!(summary = rh_scenario_library_get_summary (library, rh_scenario_get_id (scenario),
                                                   &error)))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      /* The scenario document itself, with what the collection adds. */
      g_autofree char *document = rh_scenario_json_serialize (scenario);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) extra = NULL;
      JsonObject *object, *extra_object;
      g_autoptr(GList) members = NULL;

      if (!json_parser_load_from_data (parser, document, -1, &error))
        return rh_cli_fail (error);
      object = json_node_get_object (json_parser_get_root (parser));
      if (rh_scenario_get_bundle_key (scenario) == NULL)
        {
          json_object_remove_member (object, "key");
          json_object_remove_member (object, "version");
        }

      json_builder_begin_object (b);
      add_string (b, "id", rh_scenario_get_id (scenario));
      json_builder_set_member_name (b, "bundled");
      json_builder_add_boolean_value (b, rh_scenario_summary_is_bundled (summary));
      add_mastery (b, summary);
      json_builder_end_object (b);
      extra = json_builder_get_root (b);
      extra_object = json_node_get_object (extra);
      members = json_object_get_members (extra_object);
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                json_node_copy (json_object_get_member (extra_object, l->data)));
      rh_cli_print_json (json_parser_get_root (parser));
      return 0;
    }

  printf ("%s (%s", rh_scenario_get_title (scenario), rh_scenario_get_level (scenario));
  if (rh_scenario_get_topic (scenario))
    printf (", %s", rh_scenario_topic_get_label (rh_scenario_get_topic (scenario)));
  printf (")\n");
  if (rh_scenario_get_description (scenario))
    printf ("%s\n", rh_scenario_get_description (scenario));
  if (rh_scenario_get_goal (scenario))
    printf (_("Goal: %s\n"), rh_scenario_get_goal (scenario));
  printf ("\n");
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, i);

      if (turn->kind == RH_TURN_PARTNER)
        printf (_("%2u. Partner: %s\n"), i, turn->text);
      else
        {
          printf (_("%2u. You: %s\n"), i, turn->text);
          for (guint a = 0; turn->accepted[a]; a++)
            printf ("      = %s\n", turn->accepted[a]);
          if (turn->key_phrases[0])
            {
              g_autofree char *phrases = g_strjoinv (", ", turn->key_phrases);
              printf (_("      Key phrases: %s\n"), phrases);
            }
        }
    }
  return 0;
}

/* ---- practice ---- */

/**
 * ScriptedTurn:
 *
 * What the answers file says for one learner turn: how many hints to ask
 * for first, then the answer, or a skip.
 */
typedef struct
{
  guint  hints;
  char  *answer;
  guint  line;
} ScriptedTurn;

static void
scripted_turn_free (ScriptedTurn *turn)
{
  g_free (turn->answer);
  g_free (turn);
}

static GBytes *
read_answers (const char  *path,
              GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[8192];
  gssize n;

  if (strcmp (path, "-") == 0)
    in = g_unix_input_stream_new (0, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      if (!(in = G_INPUT_STREAM (g_file_read (file, NULL, error))))
        return NULL;
    }

  while ((n = g_input_stream_read (in, chunk, sizeof chunk, NULL, error)) > 0)
    {
      if (buf->len + n > MAX_ANSWERS_FILE)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                       _("The answers file is larger than 1 MiB"));
          return NULL;
        }
      g_byte_array_append (buf, chunk, n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

/* One answer a line; "?" alone asks for a hint before the answer on the
 * next line; an empty line skips the turn. Checked whole, before the run
 * starts, so a broken file stores nothing. */
static GPtrArray *
parse_answers (GBytes  *bytes,
               guint    n_learner_turns,
               GError **error)
{
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func ((GDestroyNotify) scripted_turn_free);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  ScriptedTurn *pending = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  guint n_lines;

  if (data == NULL)
    data = "";
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("The answers file is not UTF-8 text"));
      return NULL;
    }
  text = g_strndup (data, len);
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* the newline that ends the last line does not start another */
  if (n_lines > 0 && *lines[n_lines - 1] == '\0')
    n_lines--;

  for (guint i = 0; i < n_lines; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (pending == NULL)
        {
          pending = g_new0 (ScriptedTurn, 1);
          pending->line = i + 1;
          g_ptr_array_add (turns, pending);
        }
      if (g_str_equal (line, "?"))
        {
          pending->hints++;
          continue;
        }
      pending->answer = *line != '\0' ? g_strdup (line) : NULL;
      pending = NULL;
    }

  if (pending != NULL)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("Line %u of the answers file asks for a hint (“?”), but no answer "
                     "follows it"),
                   n_lines);
      return NULL;
    }
  if (turns->len != n_learner_turns)
    {
      g_autofree char *have = g_strdup_printf (ngettext ("The answers file has %u answer",
                                                         "The answers file has %u answers",
                                                         turns->len),
                                               turns->len);

      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   ngettext ("%s, but the scenario has %u learner turn (one line each; "
                             "an empty line skips a turn)",
                             "%s, but the scenario has %u learner turns (one line each; "
                             "an empty line skips a turn)",
                             n_learner_turns),
                   have, n_learner_turns);
      return NULL;
    }
  return g_steal_pointer (&turns);
}

static const char *
verdict_name (const RhPracticeTurn *turn)
{
  if (turn->state == RH_PRACTICE_TURN_SKIPPED || turn->attempts == 0)
    return "skipped";
  if (turn->score >= RH_ANSWER_RIGHT_SCORE)
    return "right";
  if (turn->score >= RH_ANSWER_CLOSE_SCORE)
    return "close";
  return "wrong";
}

static JsonNode *
turn_to_json (RhPracticeRun *run,
              guint          index,
              GPtrArray     *hints)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const RhScenarioTurn *scenario_turn = rh_scenario_get_turn (rh_practice_run_get_scenario (run),
                                                              index);
  const RhPracticeTurn *turn = rh_practice_run_get_turn (run, index);
  const RhAnswerFeedback *fb = turn->feedback;

  json_builder_begin_object (b);
  add_int (b, "index", index);
  add_string (b, "partner", rh_practice_run_get_partner_line (run, index));
  add_string (b, "task", scenario_turn->text);
  add_string (b, "answer", turn->answer);
  add_int (b, "score", MAX (turn->score, 0));
  json_builder_set_member_name (b, "raw_score");
  if (fb != NULL)
    json_builder_add_int_value (b, fb->score);
  else
    json_builder_add_null_value (b);
  add_string (b, "verdict", verdict_name (turn));
  add_string (b, "closest", fb ? fb->closest : scenario_turn->accepted[0]);
  add_strv (b, "matched", fb ? (const char * const *) fb->matched_words : NULL);
  add_strv (b, "missing_words", fb ? (const char * const *) fb->missing_words : NULL);
  add_strv (b, "missing_phrases", (const char * const *) turn->missed_phrases);
  add_int (b, "hints_used", turn->hints_used);
  add_strv (b, "hints", hints ? (const char * const *) hints->pdata : NULL);
  add_int (b, "attempts", turn->attempts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
free_hints (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

int
rh_cli_scenario_practice (RhCliContext  *ctx,
                          int            argc,
                          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioLibrary) library = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhPracticeRun) run = NULL;
  g_autoptr(RhPracticeResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) script = NULL;
  g_autoptr(GPtrArray) revealed = g_ptr_array_new_with_free_func (free_hints);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answers_path = NULL;
  RhCollection *coll;
  guint n_learner = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &answers_path,
      N_("The answers, one a line (“?” asks for a hint, an empty line skips; “-” reads "
         "standard input)"), "FILE" },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give one scenario: its id or its key"));
      return 2;
    }
  if (answers_path == NULL)
    {
      rh_cli_usage_error (ctx, _("--answers is required"));
      return 2;
    }
  /* Read the file before opening the collection: a missing file changes
   * nothing, not even the bundled library. */
  if (!(bytes = read_answers (answers_path, &error)))
    return rh_cli_fail (error);
  OPEN_OR_RETURN (ctx, coll);

  library = rh_scenario_library_new (coll);
  if (!(scenario = find_scenario (ctx, library, argc, argv, &status)))
    return status;
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      n_learner++;
  if (!(script = parse_answers (bytes, n_learner, &error)) ||
      !(run = rh_practice_run_new (coll, scenario, &error)))
    return rh_cli_fail (error);

  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    g_ptr_array_add (revealed, NULL);

  for (guint t = 0; t < script->len; t++)
    {
      ScriptedTurn *step = script->pdata[t];
      int current = rh_practice_run_get_current (run);
      GPtrArray *hints;

      g_assert (current >= 0);
      hints = g_ptr_array_new ();
      for (guint h = 0; h < step->hints; h++)
        {
          const char *hint = rh_practice_run_hint (run, NULL);

          /* asking for more hints than the turn has costs nothing */
          if (hint != NULL)
            g_ptr_array_add (hints, (gpointer) hint);
        }
      g_ptr_array_add (hints, NULL);
      g_ptr_array_index (revealed, current) = hints;

      if (step->answer == NULL)
        {
          if (!rh_practice_run_skip (run, &error))
            return rh_cli_fail (error);
        }
      else if (!rh_practice_run_submit (run, step->answer, &error) ||
               !rh_practice_run_next (run, &error))
        {
          g_prefix_error (&error, _("Line %u: "), step->line);
          return rh_cli_fail (error);
        }
    }

  if (!(result = rh_practice_run_finish (run, &error)))
    return rh_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scenario");
  json_builder_begin_object (b);
  add_string (b, "id", rh_scenario_get_id (scenario));
  add_string (b, "key", rh_scenario_get_bundle_key (scenario));
  add_string (b, "title", rh_scenario_get_title (scenario));
  add_string (b, "level", rh_scenario_get_level (scenario));
  json_builder_end_object (b);
  add_string (b, "session", rh_session_get_id (result->session));

  json_builder_set_member_name (b, "turns");
  json_builder_begin_array (b);
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      json_builder_add_value (b, turn_to_json (run, i, g_ptr_array_index (revealed, i)));
  json_builder_end_array (b);

  /* Whole points, like the turns' scores (the session keeps the exact mean). */
  add_int (b, "score", (gint64) round (result->score));
  add_int (b, "cards_created", result->cards_created);
  json_builder_set_member_name (b, "missed_phrases");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->missed->len; i++)
    {
      RhMissedPhrase *missed = result->missed->pdata[i];

      json_builder_begin_object (b);
      add_int (b, "index", missed->turn_index);
      add_string (b, "phrase", missed->phrase);
      add_string (b, "card_id", missed->card_id);
      json_builder_set_member_name (b, "new_card");
      json_builder_add_boolean_value (b, missed->new_card);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  rh_cli_print_json (root);
  return 0;
}
