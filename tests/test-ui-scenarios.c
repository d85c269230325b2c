// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "rh-composition.h"
#include "rh-scenario-editor.h"
#include "rh-scenario-library-page.h"
#include "rh-scenario-practice-page.h"
#include "rh-scenario-results-page.h"
#include "rh-ui-test-util.h"
#include "rh-window.h"

/* The scenario pages on a real (Xvfb) display: a temporary collection
 * with the bundled scenarios, the window on it, and the library, a
 * practice run, its results and the editor driven through their actions
 * and the keys a learner would press. */

typedef struct
{
  char         *dir;
  RhCollection *collection;
  RhWindow     *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("rehearse-ui-scenarios-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("REHEARSE_DATA_DIR", fixture->dir, TRUE);

  path = rh_composition_default_path ();
  fixture->collection = rh_composition_open (path, TRUE, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (rh_window_new (NULL, fixture->collection, path));
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (is_mapped, fixture->window));
  iterate ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate ();
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->collection);
  rh_fixture_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* ---- looking at widgets ---- */

static guint
count_labels (GtkWidget  *root,
              const char *text)
{
  guint n = 0;

  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, text);
  return n;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  return find_widget (root, is_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_mapped_actionable (GtkWidget     *widget,
                      gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  return find_widget (root, is_mapped_actionable, action);
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static RhScenarioLibraryPage *
open_library (Fixture *fixture)
{
  GtkWidget *page;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.scenarios", NULL);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenarios");
  page = find_type (GTK_WIDGET (fixture->window), RH_TYPE_SCENARIO_LIBRARY_PAGE);
  g_assert_nonnull (page);
  g_assert_true (wait_for (is_mapped, page));
  return RH_SCENARIO_LIBRARY_PAGE (page);
}

static guint
count_bundled (Fixture *fixture)
{
  g_autoptr(RhScenarioLibrary) library = rh_scenario_library_new (fixture->collection);
  RhScenarioFilter filter = { .origin = RH_SCENARIO_ORIGIN_BUNDLED };
  g_autoptr(GPtrArray) bundled = rh_scenario_library_list (library, &filter, NULL);

  g_assert_nonnull (bundled);
  return bundled->len;
}

static char *
scenario_id (Fixture    *fixture,
             const char *key)
{
  g_autoptr(RhScenarioLibrary) library = rh_scenario_library_new (fixture->collection);
  g_autoptr(RhScenario) scenario = rh_scenario_library_get (library, key, NULL);

  g_assert_nonnull (scenario);
  return g_strdup (rh_scenario_get_id (scenario));
}

/* ---- tests ---- */

static void
test_library (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *decks = GTK_WIDGET (rh_window_get_decks_page (fixture->window));
  RhScenarioLibraryPage *page;
  GListModel *model;
  guint n_bundled = count_bundled (fixture);
  guint n_b1 = 0;

  /* The overview's header has the way in, and Ctrl+P goes there too. */
  g_assert_nonnull (find_actionable (decks, "window.scenarios"));
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_p, GDK_CONTROL_MASK));
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenarios");
  page = open_library (fixture);
  model = rh_scenario_library_page_get_model (page);

  /* every bundled scenario, each with its row */
  g_assert_cmpuint (n_bundled, >=, 15);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_bundled);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (page), "Ordering at a café", TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (page), "Checking in at a hotel", TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (page), "Food and drink · 5 turns", TRUE));
  /* the keyboard is on the list */
  g_assert_true (GTK_IS_LIST_BOX_ROW (gtk_root_get_focus (GTK_ROOT (fixture->window))));

  /* Level B1 only. */
  g_assert_true (_rh_scenario_library_page_select_level (page, "B1"));
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, n_bundled);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RhScenarioSummary) summary = g_list_model_get_item (model, i);
      g_assert_cmpstr (rh_scenario_summary_get_level (summary), ==, "B1");
      n_b1++;
    }
  g_assert_null (find_mapped_label (GTK_WIDGET (page), "Ordering at a café", TRUE));

  /* and the topic on top: travel at B1 */
  g_assert_true (_rh_scenario_library_page_select_topic (page, "travel"));
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), <, n_b1);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RhScenarioSummary) summary = g_list_model_get_item (model, i);
      g_assert_cmpstr (rh_scenario_summary_get_level (summary), ==, "B1");
      g_assert_cmpstr (rh_scenario_summary_get_topic (summary), ==, "travel");
    }

  /* Nothing matches: the empty state says so, and clears the filters. */
  _rh_scenario_library_page_search (page, "zeppelin");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (page), "No Matching Scenarios", TRUE));
  gtk_widget_activate_action (GTK_WIDGET (page), "library.clear-filters", NULL);
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_bundled);
  g_assert_null (find_mapped_label (GTK_WIDGET (page), "No Matching Scenarios", TRUE));

  /* Words search the titles. */
  _rh_scenario_library_page_search (page, "caf");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (page), "Ordering at a café", TRUE));
  _rh_scenario_library_page_search (page, "");

  /* Escape goes back to the decks. */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_Escape, 0));
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
}

static void
test_practice (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  RhScenarioLibraryPage *library = open_library (fixture);
  g_autofree char *cafe_id = scenario_id (fixture, "ordering-at-a-cafe");
  g_autoptr(RhScenarioSummary) after = NULL;
  g_autoptr(RhDeck) phrase_deck = NULL;
  g_autofree char *score_text = NULL;
  g_autofree char *mastery_text = NULL;
  RhScenarioPracticePage *practice;
  const RhPracticeResult *result;
  GtkWidget *results, *row, *entry;
  RhPracticeRun *run;
  RhScenario *scenario;
  int current;
  guint learner = 0;

  row = _rh_scenario_library_page_get_row (library, cafe_id);
  g_assert_nonnull (row);
  g_assert_nonnull (find_mapped_label (row, "New", TRUE));
  gtk_widget_activate (row);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenario-practice");

  practice = RH_SCENARIO_PRACTICE_PAGE (find_type (window, RH_TYPE_SCENARIO_PRACTICE_PAGE));
  g_assert_true (wait_for (is_mapped, practice));
  iterate ();
  run = rh_scenario_practice_page_get_run (practice);
  scenario = rh_practice_run_get_scenario (run);
  entry = _rh_scenario_practice_page_get_entry (practice);
  /* the partner's first line and the learner's task; the keys go to the entry */
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Hi there! What can I get you?", TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Your turn: Order a large cappuccino.",
                                TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Turn 1 of 5", TRUE));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));

  while ((current = rh_practice_run_get_current (run)) >= 0)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, current);

      if (learner == 0)
        {
          /* Enter checks the answer: the feedback says Right. */
          gtk_editable_set_text (GTK_EDITABLE (entry), turn->accepted[0]);
          g_signal_emit_by_name (entry, "activate");
          iterate ();
          g_assert_cmpint (rh_practice_run_get_turn (run, current)->state, ==,
                           RH_PRACTICE_TURN_ANSWERED);
          g_assert_cmpuint (count_labels (GTK_WIDGET (practice), "Right"), ==, 1);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "100 points", TRUE));
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Closest accepted answer", TRUE));
          g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry)));
          /* Enter again goes on. */
          g_signal_emit_by_name (entry, "activate");
          iterate ();
          g_assert_cmpint (rh_practice_run_get_current (run), >, current);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Turn 2 of 5", TRUE));
        }
      else if (learner == 1)
        {
          /* Ctrl+H: the hint shows inline with its cost. */
          g_assert_null (find_mapped_label (GTK_WIDGET (practice), turn->hints[0], FALSE));
          g_assert_true (press_key (window, GDK_KEY_h, GDK_CONTROL_MASK));
          g_assert_cmpuint (rh_practice_run_get_turn (run, current)->hints_used, ==, 1);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), turn->hints[0], FALSE));
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Hint (−15 points)", FALSE));

          /* A half answer: not right, and what is missing is said. */
          _rh_scenario_practice_page_answer (practice, "muffin");
          iterate ();
          g_assert_cmpuint (count_labels (GTK_WIDGET (practice), "Right"), ==, 1);
          g_assert_cmpuint (count_labels (GTK_WIDGET (practice), "Close") +
                            count_labels (GTK_WIDGET (practice), "Not quite"), ==, 1);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Key phrases missing", FALSE));
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Words missing", FALSE));

          /* Ctrl+R: again, with the last try to change. */
          g_assert_true (press_key (window, GDK_KEY_r, GDK_CONTROL_MASK));
          g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (entry)));
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "muffin");
          _rh_scenario_practice_page_answer (practice, turn->accepted[0]);
          iterate ();
          g_assert_cmpuint (rh_practice_run_get_turn (run, current)->attempts, ==, 2);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "hints and retries cost 25",
                                        FALSE));
          _rh_scenario_practice_page_answer (practice, NULL);
        }
      else if (learner == 2)
        {
          /* Alt+Right skips. */
          g_assert_true (press_key (window, GDK_KEY_Right, GDK_ALT_MASK));
          g_assert_cmpint (rh_practice_run_get_turn (run, current)->state, ==,
                           RH_PRACTICE_TURN_SKIPPED);
          g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "Skipped", TRUE));
        }
      else
        {
          _rh_scenario_practice_page_answer (practice, turn->accepted[0]);
          _rh_scenario_practice_page_answer (practice, NULL);
        }
      iterate ();
      learner++;
    }
  g_assert_cmpuint (learner, ==, 5);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (practice), "That is the end of the dialogue.",
                                TRUE));

  /* Enter on See Results finishes. */
  gtk_widget_activate_action (GTK_WIDGET (practice), "practice.finish", NULL);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenario-results");
  result = rh_scenario_practice_page_get_result (practice);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->cards_created, ==, 1);

  results = find_type (window, RH_TYPE_SCENARIO_RESULTS_PAGE);
  g_assert_true (wait_for (is_mapped, results));
  score_text = g_strdup_printf ("%d", (int) (result->score + 0.5));
  g_assert_nonnull (find_mapped_label (results, score_text, TRUE));
  g_assert_nonnull (find_mapped_label (results, "1 phrase added to “Scenario phrases”", TRUE));
  g_assert_nonnull (find_mapped_label (results, "Missed: “eat in”", FALSE));
  g_assert_nonnull (find_mapped_label (results, "Skipped", FALSE));

  phrase_deck = rh_collection_find_deck (fixture->collection, "Scenario phrases", NULL);
  g_assert_nonnull (phrase_deck);

  /* Back goes to the library (the run is not on the way back), where
   * the row shows what the run changed. */
  gtk_widget_activate_action (window, "window.go-back", NULL);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenarios");
  after = rh_scenario_library_get_summary (rh_scenario_library_page_get_library (library),
                                           cafe_id, NULL);
  g_assert_nonnull (after);
  g_assert_cmpuint (rh_scenario_summary_get_runs (after), ==, 1);
  g_assert_cmpint (rh_scenario_summary_get_mastery (after), !=, RH_SCENARIO_MASTERY_NEW);
  row = _rh_scenario_library_page_get_row (library, cafe_id);
  g_assert_nonnull (row);
  g_assert_null (find_mapped_label (row, "New", TRUE));
  mastery_text = g_strdup_printf ("%s · %d %%",
                                  rh_scenario_mastery_get_label (rh_scenario_summary_get_mastery (after)),
                                  rh_scenario_summary_get_best_score (after));
  g_assert_nonnull (find_mapped_label (row, mastery_text, TRUE));
}

/* Leaving a run with answers in it asks first. */
static void
test_leave_run (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  RhScenarioPracticePage *practice;
  AdwMessageDialog *dialog;
  RhPracticeRun *run;

  open_library (fixture);
  gtk_widget_activate_action (window, "window.practice-scenario", "s", "hotel-check-in");
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenario-practice");
  practice = RH_SCENARIO_PRACTICE_PAGE (find_type (window, RH_TYPE_SCENARIO_PRACTICE_PAGE));
  g_assert_true (wait_for (is_mapped, practice));
  run = rh_scenario_practice_page_get_run (practice);

  /* Nothing answered yet: Escape leaves at once. */
  g_assert_true (press_key (window, GDK_KEY_Escape, 0));
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenarios");

  gtk_widget_activate_action (window, "window.practice-scenario", "s", "hotel-check-in");
  iterate ();
  g_assert_true (wait_for (is_mapped, practice));
  run = rh_scenario_practice_page_get_run (practice);
  _rh_scenario_practice_page_answer (practice, "Hello");
  iterate ();
  g_assert_cmpuint (rh_practice_run_get_turn (run, rh_practice_run_get_current (run))->attempts,
                    ==, 1);

  g_assert_true (press_key (window, GDK_KEY_Escape, 0));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  respond (dialog, "cancel");
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenario-practice");

  g_assert_true (press_key (window, GDK_KEY_Escape, 0));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  respond (dialog, "leave");
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "scenarios");
}

static gboolean
file_has_text (gpointer data)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (data, &text, NULL, NULL) && strstr (text, "--\n") != NULL;
}

/* The listen button shows only with a speech engine, and runs it with
 * the partner's line. A stand-in spd-say records what it was asked. */
static void
test_listen (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *bin = g_build_filename (fixture->dir, "bin", NULL);
  g_autofree char *engine = g_build_filename (bin, "spd-say", NULL);
  g_autofree char *spoken = g_build_filename (fixture->dir, "spoken.txt", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s'\n",
                                             spoken);
  g_autofree char *text = NULL;
  RhScenarioPracticePage *practice;
  GtkWidget *listen;

  open_library (fixture);
  gtk_widget_activate_action (window, "window.practice-scenario", "s", "ordering-at-a-cafe");
  iterate ();
  practice = RH_SCENARIO_PRACTICE_PAGE (find_type (window, RH_TYPE_SCENARIO_PRACTICE_PAGE));
  g_assert_true (wait_for (is_mapped, practice));
  g_assert_null (find_actionable (GTK_WIDGET (practice), "practice.listen"));
  /* Ctrl+L does nothing either */
  g_assert_false (press_key (window, GDK_KEY_l, GDK_CONTROL_MASK));

  g_assert_cmpint (g_mkdir (bin, 0700), ==, 0);
  g_assert_true (g_file_set_contents (engine, script, -1, NULL));
  g_assert_cmpint (g_chmod (engine, 0700), ==, 0);
  g_setenv ("PATH", bin, TRUE);

  gtk_widget_activate_action (window, "window.practice-scenario", "s", "ordering-at-a-cafe");
  iterate ();
  listen = find_actionable (GTK_WIDGET (practice), "practice.listen");
  g_assert_nonnull (listen);
  gtk_widget_activate (listen);
  g_assert_true (wait_for (file_has_text, spoken));
  g_assert_true (g_file_get_contents (spoken, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "--language\nen-GB\n--\nHi there! What can I get you?\n");

  /* Ctrl+L reads the latest line. */
  g_remove (spoken);
  g_assert_true (press_key (window, GDK_KEY_l, GDK_CONTROL_MASK));
  g_assert_true (wait_for (file_has_text, spoken));

  g_setenv ("PATH", old_path, TRUE);
}

static RhScenarioEditor *
find_editor (void)
{
  GtkWindow *editor = find_toplevel (RH_TYPE_SCENARIO_EDITOR);

  g_assert_nonnull (editor);
  g_assert_true (wait_for (is_mapped, editor));
  return RH_SCENARIO_EDITOR (editor);
}

/* Closing the editor with unsaved text asks first; untouched, it just
 * closes; discarding writes nothing. */
static void
test_editor_discard (Fixture       *fixture,
                     gconstpointer  data)
{
  RhScenarioLibraryPage *library = open_library (fixture);
  GListModel *model = rh_scenario_library_page_get_model (library);
  guint n_before = g_list_model_get_n_items (model);
  RhScenarioEditor *editor;
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (library), "library.new", NULL);
  iterate ();
  editor = find_editor ();
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_null (find_toplevel (RH_TYPE_SCENARIO_EDITOR));

  gtk_widget_activate_action (GTK_WIDGET (library), "library.new", NULL);
  iterate ();
  editor = find_editor ();
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_TEXT, 0, "Next, please!");
  iterate ();

  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  respond (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_assert_true (find_toplevel (RH_TYPE_SCENARIO_EDITOR) == GTK_WINDOW (editor));

  gtk_window_close (GTK_WINDOW (editor));
  iterate ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  respond (ADW_MESSAGE_DIALOG (dialog), "discard");
  g_assert_null (find_toplevel (RH_TYPE_SCENARIO_EDITOR));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before);
}

static void
test_editor (Fixture       *fixture,
             gconstpointer  data)
{
  RhScenarioLibraryPage *library = open_library (fixture);
  GListModel *model = rh_scenario_library_page_get_model (library);
  guint n_bundled = g_list_model_get_n_items (model);
  RhScenarioEditor *editor;
  GtkWidget *save, *row;
  g_autoptr(RhScenarioSummary) summary = NULL;
  g_autofree char *own_id = NULL;

  gtk_widget_activate_action (GTK_WIDGET (library), "library.new", NULL);
  iterate ();
  editor = find_editor ();
  save = _rh_scenario_editor_get_save_button (editor);

  /* A partner line and a learner turn to start with; nothing to save
   * yet, and no message before the learner has been in a field. */
  g_assert_cmpuint (_rh_scenario_editor_get_n_turns (editor), ==, 2);
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TITLE, -1));
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1));

  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TITLE, -1, "At the post office");
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_TEXT, 0,
                                "Hello, what can I do for you?");
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_TEXT, 1,
                                "Ask for two stamps for Europe.");
  iterate ();

  /* A learner turn with no accepted answer: said inline, Save stays off. */
  g_assert_cmpstr (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1),
                   ==, "Each learner turn needs at least one accepted answer");
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (editor),
                                "Each learner turn needs at least one accepted answer", TRUE));
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TITLE, -1));

  /* An empty title is said too. */
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TITLE, -1, "");
  g_assert_nonnull (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TITLE, -1));
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TITLE, -1, "At the post office");
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TITLE, -1));

  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1,
                                "Two stamps for Europe, please.\n\nCould I have two stamps for Europe?\n");
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_KEY_PHRASES, 1,
                                "two stamps");
  iterate ();
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Without a learner turn there is nothing to practise. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.remove-turn", "u", 1);
  iterate ();
  g_assert_cmpuint (_rh_scenario_editor_get_n_turns (editor), ==, 1);
  g_assert_cmpstr (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TURNS, -1), ==,
                   "A scenario needs at least one learner turn");
  g_assert_false (gtk_widget_is_sensitive (save));

  _rh_scenario_editor_add_turn (editor, RH_TURN_LEARNER);
  iterate ();
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_TEXT, 1, "Ask for a stamp.");
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 1,
                                "One stamp, please.");
  iterate ();
  g_assert_null (_rh_scenario_editor_get_error (editor, RH_SCENARIO_FIELD_TURNS, -1));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Moving the learner turn first keeps it valid. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.move-up", "u", 1);
  iterate ();
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Ctrl+Return saves: the library has one of the learner's own. */
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Return, GDK_CONTROL_MASK));
  iterate ();
  g_assert_null (find_toplevel (RH_TYPE_SCENARIO_EDITOR));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_bundled + 1);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (library), "At the post office", TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (library), "1 turn · Yours", FALSE));

  for (guint i = 0; i < g_list_model_get_n_items (model) && own_id == NULL; i++)
    {
      g_autoptr(RhScenarioSummary) item = g_list_model_get_item (model, i);
      if (!rh_scenario_summary_is_bundled (item))
        own_id = g_strdup (rh_scenario_summary_get_id (item));
    }
  g_assert_nonnull (own_id);
  summary = rh_scenario_library_get_summary (rh_scenario_library_page_get_library (library),
                                             own_id, NULL);
  g_assert_cmpuint (rh_scenario_get_n_turns (rh_scenario_summary_get_scenario (summary)), ==, 2);
  g_assert_cmpint (rh_scenario_get_turn (rh_scenario_summary_get_scenario (summary), 0)->kind,
                   ==, RH_TURN_LEARNER);

  /* Editing it shows what was stored. */
  gtk_widget_activate_action (GTK_WIDGET (library), "library.edit", "s", own_id);
  iterate ();
  editor = find_editor ();
  g_assert_cmpuint (_rh_scenario_editor_get_n_turns (editor), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (_rh_scenario_editor_get_save_button (editor)));
  _rh_scenario_editor_set_text (editor, RH_SCENARIO_FIELD_TURN_ACCEPTED, 0, "");
  g_assert_false (gtk_widget_is_sensitive (_rh_scenario_editor_get_save_button (editor)));
  /* closing with that change asks; discarding keeps what was stored */
  gtk_window_close (GTK_WINDOW (editor));
  iterate ();
  respond (ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "discard");
  g_assert_null (find_toplevel (RH_TYPE_SCENARIO_EDITOR));
  {
    g_autoptr(RhScenarioSummary) kept = NULL;

    kept = rh_scenario_library_get_summary (rh_scenario_library_page_get_library (library),
                                            own_id, NULL);
    g_assert_nonnull (rh_scenario_get_turn (rh_scenario_summary_get_scenario (kept),
                                            0)->accepted[0]);
  }

  /* Deleting asks first. */
  gtk_widget_activate_action (GTK_WIDGET (library), "library.delete", "s", own_id);
  iterate ();
  respond (ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "delete");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_bundled);
  row = _rh_scenario_library_page_get_row (library, own_id);
  g_assert_null (row);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  RhScenarioLibraryPage *library = open_library (fixture);
  GListModel *model = rh_scenario_library_page_get_model (library);
  g_autofree char *cafe_id = scenario_id (fixture, "ordering-at-a-cafe");
  guint n = g_list_model_get_n_items (model);
  GtkWidget *focus;

  gtk_widget_activate_action (GTK_WIDGET (library), "library.duplicate", "s", cafe_id);
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n + 1);
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (library), "Ordering at a café (copy)", TRUE));
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (library), "Food and drink · 5 turns · Yours", TRUE));
  /* the copy's row has the keyboard */
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_nonnull (find_mapped_label (focus, "Ordering at a café (copy)", TRUE));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* a spoken line must not start a speech engine in a test */
  g_setenv ("PATH", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 77;
    }
  adw_init ();

  g_test_add ("/ui-scenarios/library", Fixture, NULL, fixture_set_up, test_library,
              fixture_tear_down);
  g_test_add ("/ui-scenarios/practice", Fixture, NULL, fixture_set_up, test_practice,
              fixture_tear_down);
  g_test_add ("/ui-scenarios/leave-run", Fixture, NULL, fixture_set_up, test_leave_run,
              fixture_tear_down);
  g_test_add ("/ui-scenarios/listen", Fixture, NULL, fixture_set_up, test_listen,
              fixture_tear_down);
  g_test_add ("/ui-scenarios/editor-discard", Fixture, NULL, fixture_set_up,
              test_editor_discard, fixture_tear_down);
  g_test_add ("/ui-scenarios/editor", Fixture, NULL, fixture_set_up, test_editor,
              fixture_tear_down);
  g_test_add ("/ui-scenarios/duplicate", Fixture, NULL, fixture_set_up, test_duplicate,
              fixture_tear_down);

  return g_test_run ();
}
