// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "rh-card-browser.h"
#include "rh-card-editor.h"
#include "rh-composition.h"
#include "rh-decks-page.h"
#include "rh-preferences-window.h"
#include "rh-stats-page.h"
#include "rh-study-page.h"
#include "rh-ui-test-util.h"
#include "rh-window.h"

/* The UI on a real (Xvfb) display: a temporary collection with the sample
 * deck, the window on it, and the pages driven through their actions and
 * through the key bindings a learner would press. */

typedef struct
{
  char         *dir;
  RhCollection *collection;
  RhWindow     *window;
} Fixture;

static gboolean
decks_loaded (gpointer data)
{
  return !rh_decks_page_get_loading (rh_window_get_decks_page (data));
}

/* After the first load the overview reloads on a worker thread. */
static void
wait_for_decks (RhWindow *window)
{
  g_assert_true (wait_for (decks_loaded, window));
  iterate ();
}

/* The collection's clock runs as the real one, from noon today: a test
 * that answers cards at 3:55 would otherwise see learning steps end in
 * tomorrow, after the day's rollover at 4:00. */
static gint64 noon_offset_us;

static gint64
noon_clock (gpointer data)
{
  return g_get_real_time () + noon_offset_us;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("rehearse-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("REHEARSE_DATA_DIR", fixture->dir, TRUE);

  path = rh_composition_default_path ();
  g_assert_true (g_str_has_prefix (path, fixture->dir));
  fixture->collection = rh_composition_open (path, TRUE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      12, 0, 0);

    noon_offset_us = g_date_time_difference (noon, now);
    rh_collection_set_clock (fixture->collection, noon_clock, NULL);
  }

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

/* The figure above one of the study summary's captions. (Only in the
 * summary: the grade buttons have the ratings' names too.) */
static const char *
summary_figure (GtkWidget  *study,
                const char *caption)
{
  GtkLabel *anchor = find_label (study, "Cards Studied", TRUE);
  GtkWidget *summary, *figure;
  GtkLabel *label;

  g_assert_nonnull (anchor);
  summary = gtk_widget_get_ancestor (GTK_WIDGET (anchor), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (summary);
  label = find_label (summary, caption, TRUE);
  g_assert_nonnull (label);
  figure = gtk_widget_get_prev_sibling (GTK_WIDGET (label));
  g_assert_true (GTK_IS_LABEL (figure));
  return gtk_label_get_text (GTK_LABEL (figure));
}

static gboolean
is_deck_row (GtkWidget     *widget,
             gconstpointer  deck_id)
{
  return GTK_IS_LIST_BOX_ROW (widget) &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "rh-deck-id"), deck_id) == 0;
}

/* A deck's row in the decks overview. */
static GtkWidget *
find_deck_row (GtkWidget  *root,
               const char *deck_id)
{
  return find_widget (root, is_deck_row, deck_id);
}

static GtkPopover *
find_popover (GtkWidget *parent)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return GTK_POPOVER (child);
  return NULL;
}

typedef struct
{
  const char *action;
  const char *target;
} ActionQuery;

static gboolean
is_actionable (GtkWidget     *widget,
               gconstpointer  data)
{
  const ActionQuery *q = data;
  GVariant *value;

  if (!GTK_IS_ACTIONABLE (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), q->action) != 0)
    return FALSE;
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return q->target == NULL || (value && g_str_equal (g_variant_get_string (value, NULL),
                                                     q->target));
}

/* The first button (or actionable row) with this action and, if given,
 * this string target. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action,
                 const char *target)
{
  ActionQuery q = { action, target };

  return find_widget (root, is_actionable, &q);
}

static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_ENTRY (widget) &&
         g_str_equal (gtk_editable_get_text (GTK_EDITABLE (widget)), text);
}

static GtkWidget *
find_entry (GtkWidget  *root,
            const char *text)
{
  return find_widget (root, is_entry, text);
}

/* ---- tests ---- */

static void
test_decks_page (Fixture       *fixture,
                 gconstpointer  data)
{
  RhDecksPage *decks = rh_window_get_decks_page (fixture->window);
  GtkLabel *counts;

  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
  g_assert_cmpuint (rh_decks_page_get_n_decks (decks), ==, 1);
  g_assert_nonnull (find_label (GTK_WIDGET (decks), "Everyday English", TRUE));
  g_assert_nonnull (find_label (GTK_WIDGET (decks), "All Decks", TRUE));

  counts = find_label (GTK_WIDGET (decks), "12\u00a0new", FALSE);
  g_assert_nonnull (counts);
  g_assert_nonnull (strstr (gtk_label_get_text (counts), "0\u00a0due"));
}

/* A deck name with a word longer than a narrow window still fits in one:
 * its row may break that word, where other rows break between words. */
static void
test_narrow_decks (Fixture       *fixture,
                   gconstpointer  data)
{
  RhDecksPage *decks = rh_window_get_decks_page (fixture->window);
  const char *long_name = "Donaudampfschifffahrtsgesellschaftskapitänsmütze";
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  GtkLabel *title;
  int narrowest = 0, minimum = 0;

  /* the window's own narrowest (360 px, and its shadow) */
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &narrowest, NULL, NULL, NULL);
  deck = rh_collection_create_deck (fixture->collection, long_name, &error);
  g_assert_no_error (error);
  rh_window_reload (fixture->window);
  wait_for_decks (fixture->window);
  g_assert_cmpuint (rh_decks_page_get_n_decks (decks), ==, 2);

  title = find_label (GTK_WIDGET (decks), long_name, TRUE);
  g_assert_nonnull (title);
  g_assert_cmpint (gtk_label_get_wrap_mode (title), ==, PANGO_WRAP_WORD_CHAR);
  g_assert_cmpint (gtk_label_get_wrap_mode (find_label (GTK_WIDGET (decks), "Everyday English",
                                                        TRUE)),
                   ==, PANGO_WRAP_WORD);

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, ==, narrowest);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static gboolean
all_rows_made (gpointer data)
{
  return count_children (data) == 31;
}

/* The first frame makes the rows a window shows, and the others follow
 * right after it: every deck gets its row. */
static void
test_many_decks (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDecksSnapshot) snapshot = NULL;
  g_autofree char *path = rh_composition_default_path ();
  RhWindow *window;
  RhDecksPage *decks;
  GtkWidget *list, *last;

  for (guint i = 1; i <= 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Deck %02u", i);
      g_autoptr(RhDeck) deck = rh_collection_create_deck (fixture->collection, name, &error);

      g_assert_no_error (error);
    }
  snapshot = rh_decks_snapshot_load (fixture->collection, &error);
  g_assert_no_error (error);
  window = rh_window_new_with_decks (NULL, fixture->collection, path, snapshot);
  decks = rh_window_get_decks_page (window);
  g_assert_cmpuint (rh_decks_page_get_n_decks (decks), ==, 31);

  /* before the first frame: only the first rows */
  list = GTK_WIDGET (find_label (GTK_WIDGET (decks), "Deck 01", TRUE));
  g_assert_nonnull (list);
  list = gtk_widget_get_ancestor (list, GTK_TYPE_LIST_BOX);
  g_assert_cmpuint (count_children (list), <, 31);
  g_assert_null (find_label (GTK_WIDGET (decks), "Deck 30", TRUE));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (all_rows_made, list));
  last = GTK_WIDGET (find_label (GTK_WIDGET (decks), "Deck 30", TRUE));
  g_assert_nonnull (last);
  g_assert_true (gtk_widget_get_mapped (last));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static char *
sample_deck_id (Fixture *fixture)
{
  g_autoptr(RhDeck) deck = rh_collection_find_deck (fixture->collection, "Everyday English", NULL);

  g_assert_nonnull (deck);
  return g_strdup (rh_deck_get_id (deck));
}

static void
test_study (Fixture       *fixture,
            gconstpointer  data)
{
  RhStudyPage *study = rh_window_get_study_page (fixture->window);
  GtkWidget *decks = GTK_WIDGET (rh_window_get_decks_page (fixture->window));
  g_autofree char *deck_id = sample_deck_id (fixture);
  g_autofree char *first_front = NULL;
  GtkWidget *study_button;
  GtkLabel *progress;

  study_button = find_actionable (decks, "window.study", deck_id);
  g_assert_nonnull (study_button);
  g_signal_emit_by_name (study_button, "clicked");
  iterate ();

  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "study");
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_QUESTION);
  progress = find_label (GTK_WIDGET (study), "0 done · 12 left", TRUE);
  g_assert_nonnull (progress);
  first_front = g_strdup (gtk_label_get_text (find_label (GTK_WIDGET (study),
                                                          "How do you ask for the bill",
                                                          FALSE)));

  /* Grading before the answer is shown does nothing. */
  g_assert_false (press_key (GTK_WIDGET (fixture->window), GDK_KEY_3, 0));
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 0);

  /* Space reveals, 3 answers Good: the card goes to learning, so one is
   * done and twelve are still left today. */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_space, 0));
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_ANSWER);
  g_assert_nonnull (find_label (GTK_WIDGET (study), "Could we have the bill, please?", TRUE));
  g_assert_nonnull (find_label (GTK_WIDGET (study), "10 min", TRUE));

  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_3, 0));
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (progress), ==, "1 done · 12 left");
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_QUESTION);
  g_assert_null (find_label (GTK_WIDGET (study), first_front, TRUE));

  /* Ctrl+Z takes it back: the same card, the same progress. */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (progress), ==, "0 done · 12 left");
  g_assert_nonnull (find_label (GTK_WIDGET (study), first_front, TRUE));
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_QUESTION);

  /* Return reveals too; Hard, then undo through the toast's action. */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_Return, 0));
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_ANSWER);
  gtk_widget_activate_action (GTK_WIDGET (study), "study.grade", "i", 2);
  iterate ();
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.undo-answer", NULL);
  iterate ();
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (progress), ==, "0 done · 12 left");

  /* The rest through the actions: Easy sends each card days away. */
  for (guint i = 0; i < 12; i++)
    {
      g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_QUESTION);
      gtk_widget_activate_action (GTK_WIDGET (study), "study.reveal", NULL);
      gtk_widget_activate_action (GTK_WIDGET (study), "study.grade", "i", i == 0 ? 1 : 4);
      iterate ();
    }
  /* The first one was Again: it comes back (learning, due in a minute). */
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_QUESTION);
  g_assert_cmpstr (rh_study_page_get_progress_text (study), ==, "12 done · 1 left");
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_space, 0));
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_4, 0));

  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_SUMMARY);
  g_assert_cmpuint (rh_study_page_get_done (study), ==, 13);
  /* Twelve cards, one of them answered twice; the two answers taken
   * back count for nothing. */
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Cards Studied"), ==, "12");
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Answers"), ==, "13");
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Again"), ==, "1");
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Hard"), ==, "0");
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Easy"), ==, "12");
  /* 12 of 13 answers were not Again */
  g_assert_cmpstr (summary_figure (GTK_WIDGET (study), "Retention"), ==, "92 %");

  /* Back to the overview: the counts follow. (While the “Answered” toast
   * shows, the first Escape dismisses it.) */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_Escape, 0));
  if (g_str_equal (rh_window_get_page (fixture->window), "study"))
    g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_Escape, 0));
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
  wait_for_decks (fixture->window);
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_IDLE);
  g_assert_null (rh_collection_get_session (fixture->collection));
  /* the keyboard is back on the deck's row */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         decks));
  g_assert_nonnull (find_label (decks, "0\u00a0new\u00a0· 0\u00a0learning\u00a0· 0\u00a0due",
                                TRUE));

  /* Nothing is left: studying again says so. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.study", "s", deck_id);
  iterate ();
  g_assert_cmpint (rh_study_page_get_state (study), ==, RH_STUDY_STATE_EMPTY);
  g_assert_nonnull (find_label (GTK_WIDGET (study), "Nothing to Study", TRUE));
}

/* Leaving the study page at once after an answer dismisses the answer's
 * toast while it is still coming in. */
static void
test_leave_after_answer (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  RhStudyPage *study = rh_window_get_study_page (fixture->window);

  for (guint i = 0; i < 5; i++)
    {
      gtk_widget_activate_action (window, "window.study", "s", "");
      gtk_widget_activate_action (GTK_WIDGET (study), "study.reveal", NULL);
      gtk_widget_activate_action (GTK_WIDGET (study), "study.grade", "i", 3);
      gtk_widget_activate_action (window, "window.go-back", NULL);
      if (i % 2)
        iterate ();
    }
  wait_for_decks (fixture->window);
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
  g_assert_nonnull (find_label (GTK_WIDGET (rh_window_get_decks_page (fixture->window)),
                                "7\u00a0new\u00a0· 5\u00a0learning\u00a0· 0\u00a0due", TRUE));
}

static void
test_deck_page (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *decks = GTK_WIDGET (rh_window_get_decks_page (fixture->window));
  g_autofree char *deck_id = sample_deck_id (fixture);
  GtkWidget *row;

  row = find_actionable (decks, "window.open-deck", deck_id);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "deck");

  /* Alt+Left goes back as Escape does. */
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
}

static AdwMessageDialog *
find_dialog (void)
{
  return (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  /* what a click on the response's button does */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate ();
  g_assert_null (find_dialog ());
}

static void
test_create_and_delete_deck (Fixture       *fixture,
                             gconstpointer  data)
{
  RhDecksPage *decks = rh_window_get_decks_page (fixture->window);
  g_autofree char *sample_id = sample_deck_id (fixture);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autoptr(RhDeck) deck = NULL;
  RhDeckCounts counts;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.new-deck", NULL);
  iterate ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Travel");
  respond (dialog, "create");
  wait_for_decks (fixture->window);
  g_assert_cmpuint (rh_decks_page_get_n_decks (decks), ==, 2);
  g_assert_nonnull (find_label (GTK_WIDGET (decks), "Travel", TRUE));

  /* Deleting a deck with cards offers to move them. */
  deck = rh_collection_find_deck (fixture->collection, "Travel", NULL);
  g_assert_nonnull (deck);

  /* The Menu key (or Shift+F10) on a deck's row opens its options, which
   * name that deck; the menu goes when it closes. */
  {
    GtkWidget *row = find_deck_row (GTK_WIDGET (decks), rh_deck_get_id (deck));
    const char *actions[] = { "window.rename-deck", "window.delete-deck" };
    const guint keys[] = { GDK_KEY_Menu, GDK_KEY_F10 };
    GtkPopover *popover;
    GMenuModel *menu;

    g_assert_nonnull (row);
    g_assert_null (find_popover (row));
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      {
        g_assert_true (gtk_widget_grab_focus (row));
        g_assert_true (press_key (GTK_WIDGET (fixture->window), keys[k],
                                  keys[k] == GDK_KEY_F10 ? GDK_SHIFT_MASK : 0));
        popover = find_popover (row);
        g_assert_nonnull (popover);
        g_assert_true (GTK_IS_POPOVER_MENU (popover));
        g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
        menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
        g_assert_cmpint (g_menu_model_get_n_items (menu), ==, G_N_ELEMENTS (actions));
        for (int i = 0; i < (int) G_N_ELEMENTS (actions); i++)
          {
            g_autofree char *action = NULL;
            g_autofree char *target = NULL;

            g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION,
                                                            "s", &action));
            g_assert_cmpstr (action, ==, actions[i]);
            g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                            "s", &target));
            g_assert_cmpstr (target, ==, rh_deck_get_id (deck));
          }
        gtk_popover_popdown (popover);
        iterate ();
        g_assert_null (find_popover (row));
      }
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.delete-deck", "s",
                              sample_id);
  iterate ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "move");
  wait_for_decks (fixture->window);
  g_assert_cmpuint (rh_decks_page_get_n_decks (decks), ==, 1);
  rh_decks_page_get_counts (decks, rh_deck_get_id (deck), &counts);
  g_assert_cmpuint (counts.total, ==, 12);
  g_assert_null (find_label (GTK_WIDGET (decks), "Everyday English", TRUE));
}

static RhCardEditor *
find_card_editor (void)
{
  return (RhCardEditor *) find_toplevel (RH_TYPE_CARD_EDITOR);
}

/* Escape (or the close button) on an editor with unsaved text asks first;
 * with nothing typed, or once the text is saved, it just closes. */
static void
test_editor_discard (Fixture       *fixture,
                     gconstpointer  data)
{
  RhCardEditor *editor;
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.add-card", NULL);
  iterate ();
  editor = find_card_editor ();
  g_assert_nonnull (editor);

  /* nothing typed: closes at once */
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  g_assert_null (find_card_editor ());
  g_assert_null (find_dialog ());

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.add-card", NULL);
  iterate ();
  editor = find_card_editor ();
  _rh_card_editor_set_text (editor, RH_CARD_EDITOR_FIELD_FRONT, "a lighthouse");

  /* typed: asks, and keeping the text keeps the editor */
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (find_card_editor () == editor);
  respond (dialog, "keep");
  g_assert_true (find_card_editor () == editor);
  {
    g_autofree char *front = _rh_card_editor_dup_text (editor, RH_CARD_EDITOR_FIELD_FRONT);
    g_assert_cmpstr (front, ==, "a lighthouse");
  }

  /* the window's close button asks too; discarding closes it, and nothing
   * was added */
  gtk_window_close (GTK_WINDOW (editor));
  iterate ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "discard");
  g_assert_null (find_card_editor ());
  {
    RhCardQuery query = { .text = "lighthouse" };
    guint n = G_MAXUINT;

    g_assert_true (rh_collection_count_cards (fixture->collection, &query, &n, NULL));
    g_assert_cmpuint (n, ==, 0);
  }

  /* added, then closed: nothing left to lose */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.add-card", NULL);
  iterate ();
  editor = find_card_editor ();
  _rh_card_editor_set_text (editor, RH_CARD_EDITOR_FIELD_FRONT, "a lighthouse");
  _rh_card_editor_set_text (editor, RH_CARD_EDITOR_FIELD_BACK, "un faro");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  iterate ();
  /* the first Escape dismisses the "Card added" toast (libadwaita's own
   * key), the next closes the editor without asking */
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  g_assert_true (find_card_editor () == editor);
  g_assert_true (press_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0));
  g_assert_null (find_dialog ());
  g_assert_null (find_card_editor ());
}

static gboolean
browser_loaded (gpointer data)
{
  RhCardListModel *model = _rh_card_browser_get_model (data);

  return g_list_model_get_n_items (G_LIST_MODEL (model)) == 12 &&
         find_label (data, "a receipt", TRUE) != NULL;
}

static void
test_browse (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *browser;

  g_assert_null (rh_window_get_card_browser (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.browse", "s", "");
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "browse");

  browser = rh_window_get_card_browser (fixture->window);
  g_assert_true (RH_IS_CARD_BROWSER (browser));
  g_assert_true (wait_for (browser_loaded, browser));
  g_assert_nonnull (find_label (browser, "Everyday English", TRUE));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.go-back", NULL);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "decks");
}

typedef struct
{
  RhCardBrowser *browser;
  const char    *titles;
} ColumnsQuery;

/* the titles of the columns on show, in order, joined by commas */
static char *
column_titles (RhCardBrowser *browser)
{
  GListModel *columns = gtk_column_view_get_columns (_rh_card_browser_get_column_view (browser));
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      if (i > 0)
        g_string_append_c (titles, ',');
      g_string_append (titles, gtk_column_view_column_get_title (column));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static gboolean
columns_are (gpointer data)
{
  ColumnsQuery *q = data;
  g_autofree char *titles = column_titles (q->browser);

  return g_str_equal (titles, q->titles);
}

/* A narrow browser keeps the front and back, and brings the other
 * columns back, in their places, as it widens. */
static void
test_browse_widths (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct
  {
    int         width;
    const char *titles;
  } widths[] = {
    { 360, "Front,Back" },
    { 480, "Front,Back,Due" },
    { 900, "Front,Back,Deck,Due,Stability,Reviews" },
    { 600, "Front,Back,Deck,Due" },
    { 360, "Front,Back" },
  };
  GtkWidget *window = gtk_window_new ();
  RhCardBrowser *browser = RH_CARD_BROWSER (rh_card_browser_new (fixture->collection));

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (browser));
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      ColumnsQuery q = { browser, widths[i].titles };
      g_autofree char *titles = NULL;

      gtk_widget_set_size_request (GTK_WIDGET (browser), widths[i].width, 400);
      gtk_window_set_default_size (GTK_WINDOW (window), widths[i].width, 400);
      if (i == 0)
        gtk_window_present (GTK_WINDOW (window));
      wait_for (columns_are, &q);
      titles = column_titles (browser);
      g_assert_cmpstr (titles, ==, widths[i].titles);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
stats_loaded (gpointer data)
{
  return !rh_stats_page_get_loading (data);
}

static void
test_statistics (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *stats;

  g_assert_null (rh_window_get_stats_page (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.statistics", NULL);
  iterate ();
  g_assert_cmpstr (rh_window_get_page (fixture->window), ==, "stats");

  stats = rh_window_get_stats_page (fixture->window);
  g_assert_true (RH_IS_STATS_PAGE (stats));
  g_assert_true (wait_for (stats_loaded, stats));
  iterate ();
  g_assert_nonnull (_rh_stats_page_get_heatmap (RH_STATS_PAGE (stats)));
  g_assert_nonnull (_rh_stats_page_get_forecast (RH_STATS_PAGE (stats)));
  g_assert_true (gtk_widget_get_mapped (_rh_stats_page_get_heatmap (RH_STATS_PAGE (stats))));
  /* the sample's twelve new cards are not due: nothing reviewed yet */
  g_assert_nonnull (find_label (stats, "Reviews", FALSE));
}

static void
test_steps_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) normalized = NULL;
  gint64 steps[RH_STUDY_MAX_STEPS];
  guint n = 99;

  g_assert_true (rh_study_steps_parse ("1m 10m", steps, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (steps[0], ==, 60);
  g_assert_cmpint (steps[1], ==, 600);

  g_assert_true (rh_study_steps_parse ("30s,2h  1d 5", steps, &n, &error));
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (steps[0], ==, 30);
  g_assert_cmpint (steps[1], ==, 7200);
  g_assert_cmpint (steps[2], ==, 86400);
  g_assert_cmpint (steps[3], ==, 300);

  g_assert_true (rh_study_steps_parse ("  ", steps, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  g_assert_false (rh_study_steps_parse ("1m ten", steps, &n, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (rh_study_steps_parse ("0m", steps, &n, &error));
  g_clear_error (&error);
  g_assert_false (rh_study_steps_parse ("2d", steps, &n, &error));
  g_clear_error (&error);
  g_assert_false (rh_study_steps_parse ("1 2 3 4 5 6 7 8 9", steps, &n, &error));
  g_clear_error (&error);

  normalized = rh_study_steps_normalize (" 1M, 10m ", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (normalized, ((const char * const[]) { "1m", "10m", NULL }));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_auto(GStrv) steps = NULL;
  GtkWindow *window = rh_preferences_window_new (NULL, settings);
  GtkWidget *entry;

  gtk_window_present (window);
  g_assert_true (wait_for (is_mapped, window));

  entry = find_actionable (GTK_WIDGET (window), "prefs.style", "system");
  g_assert_nonnull (entry);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (entry)));
  gtk_widget_activate (find_actionable (GTK_WIDGET (window), "prefs.style", "dark"));
  iterate ();
  g_assert_cmpstr (g_settings_get_string (settings, "style"), ==, "dark");
  g_settings_reset (settings, "style");

  /* The learning steps entry: found by its text. */
  entry = find_entry (GTK_WIDGET (window), "1m 10m");
  g_assert_nonnull (entry);

  gtk_editable_set_text (GTK_EDITABLE (entry), "1m ten");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "“ten” is not a step", FALSE));
  steps = g_settings_get_strv (settings, "learning-steps");
  g_assert_cmpstrv (steps, ((const char * const[]) { "1m", "10m", NULL }));
  g_clear_pointer (&steps, g_strfreev);

  /* Typing does not save yet, Enter does. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "2m 20m 1h");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  steps = g_settings_get_strv (settings, "learning-steps");
  g_assert_cmpstrv (steps, ((const char * const[]) { "1m", "10m", NULL }));
  g_clear_pointer (&steps, g_strfreev);
  g_signal_emit_by_name (entry, "activate");
  steps = g_settings_get_strv (settings, "learning-steps");
  g_assert_cmpstrv (steps, ((const char * const[]) { "2m", "20m", "1h", NULL }));
  g_settings_reset (settings, "learning-steps");

  gtk_window_destroy (window);
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 77;
    }
  adw_init ();

  g_test_add_func ("/ui/steps-parse", test_steps_parse);
  g_test_add_func ("/ui/preferences", test_preferences);
  g_test_add ("/ui/decks-page", Fixture, NULL, fixture_set_up, test_decks_page,
              fixture_tear_down);
  g_test_add ("/ui/narrow-decks", Fixture, NULL, fixture_set_up, test_narrow_decks,
              fixture_tear_down);
  g_test_add ("/ui/many-decks", Fixture, NULL, fixture_set_up, test_many_decks,
              fixture_tear_down);
  g_test_add ("/ui/deck-page", Fixture, NULL, fixture_set_up, test_deck_page,
              fixture_tear_down);
  g_test_add ("/ui/create-and-delete-deck", Fixture, NULL, fixture_set_up,
              test_create_and_delete_deck, fixture_tear_down);
  g_test_add ("/ui/study", Fixture, NULL, fixture_set_up, test_study, fixture_tear_down);
  g_test_add ("/ui/leave-after-answer", Fixture, NULL, fixture_set_up, test_leave_after_answer,
              fixture_tear_down);
  g_test_add ("/ui/browse", Fixture, NULL, fixture_set_up, test_browse, fixture_tear_down);
  g_test_add ("/ui/browse-widths", Fixture, NULL, fixture_set_up, test_browse_widths,
              fixture_tear_down);
  g_test_add ("/ui/editor-discard", Fixture, NULL, fixture_set_up, test_editor_discard,
              fixture_tear_down);
  g_test_add ("/ui/statistics", Fixture, NULL, fixture_set_up, test_statistics,
              fixture_tear_down);

  return g_test_run ();
}
