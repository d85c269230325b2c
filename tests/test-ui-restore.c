// SPDX-License-Identifier: GPL-3.0-or-later
/* Restoring a backup from the app: the whole application, on a collection
 * of its own, restores a backup into the collection it has open, shows
 * the collection anew, says so in a toast, and can undo it from the
 * backup it made first. */
#define G_LOG_DOMAIN "test-ui-restore"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "rh-application.h"
#include "rh-backups.h"
#include "rh-composition.h"
#include "rh-test-util.h"
#include "rh-ui-test-util.h"
#include "rh-window.h"

/* A window on show that was not there before (mark_windows()), with its
 * decks read. */
static RhWindow *
new_window (RhApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (RH_IS_WINDOW (l->data) && !g_object_get_data (l->data, "test-seen") &&
        gtk_widget_get_mapped (l->data) &&
        !rh_decks_page_get_loading (rh_window_get_decks_page (l->data)))
      return l->data;
  return NULL;
}

static void
mark_windows (RhApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    g_object_set_data (l->data, "test-seen", GINT_TO_POINTER (1));
}

static gboolean
new_window_shown (gpointer data)
{
  return new_window (data) != NULL;
}

/* Waits for a window that was not there at the last mark_windows(). */
static RhWindow *
wait_for_new_window (RhApplication *app)
{
  RhWindow *window;

  g_assert_true (wait_for (new_window_shown, app));
  iterate ();
  window = new_window (app);
  mark_windows (app);
  return window;
}

static gboolean
has_deck (RhWindow   *window,
          const char *name)
{
  g_autoptr(GPtrArray) decks = rh_collection_list_decks (rh_window_get_collection (window), NULL);

  for (guint i = 0; decks != NULL && i < decks->len; i++)
    if (g_str_equal (rh_deck_get_name (((RhDeckSummary *) decks->pdata[i])->deck), name))
      return TRUE;
  return FALSE;
}

static void
test_restore_and_undo (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("rehearse-ui-restore-XXXXXX", NULL);
  g_autoptr(RhApplication) app = NULL;
  g_autoptr(RhCollection) other = NULL;
  g_autoptr(RhDeck) later = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *dir = NULL;
  const char *path;
  RhWindow *first;
  RhWindow *restored;
  RhWindow *undone;

  g_setenv ("REHEARSE_DATA_DIR", data_dir, TRUE);
  app = rh_application_new (g_get_monotonic_time ());
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  first = wait_for_new_window (app);
  path = rh_application_get_collection_path (app);
  dir = rh_backups_dir_for (path);

  /* a backup, then a deck made after it, through a connection of the
   * test's own */
  other = rh_composition_open (path, FALSE, &error);
  g_assert_no_error (error);
  backup = rh_backups_make (other, dir, g_get_real_time () - 60 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  later = rh_collection_create_deck (other, "Made after the backup", &error);
  g_assert_no_error (error);
  g_clear_object (&other);
  g_assert_true (has_deck (first, "Made after the backup"));

  /* the menu's restore dialog offers that backup */
  gtk_widget_activate_action (GTK_WIDGET (first), "window.restore-backup", NULL);
  iterate ();
  {
    GtkWindow *dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_autofree char *title = rh_backups_describe (backup);

    g_assert_nonnull (dialog);
    g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Restore a Backup", TRUE));
    /* made a minute ago: today, at that time */
    g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Today, ", FALSE));
    gtk_window_destroy (dialog);
  }

  /* in the middle of studying, with an answer given after the backup */
  gtk_widget_activate_action (GTK_WIDGET (first), "window.study", "s", "");
  iterate ();
  g_assert_cmpstr (rh_window_get_page (first), ==, "study");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rh_window_get_study_page (first)),
                                             "study.reveal", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rh_window_get_study_page (first)),
                                             "study.grade", "i", 3));
  iterate ();
  g_assert_nonnull (find_mapped_label (GTK_WIDGET (first), "1 done", FALSE));

  /* restored: a new window on the collection as the backup had it */
  g_action_group_activate_action (G_ACTION_GROUP (app), "restore-backup",
                                  g_variant_new_string (backup));
  restored = wait_for_new_window (app);
  g_assert_false (has_deck (restored, "Made after the backup"));
  g_assert_true (has_deck (restored, "Everyday English"));
  g_assert_nonnull (find_label (GTK_WIDGET (restored), "Restored the backup of ", FALSE));

  /* the collection as it was went into the newest backup: Undo restores it */
  backups = rh_backups_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, >=, 2);
  g_action_group_activate_action (G_ACTION_GROUP (app), "restore-backup",
                                  g_variant_new_string (backups->pdata[backups->len - 1]));
  undone = wait_for_new_window (app);
  g_assert_true (has_deck (undone, "Made after the backup"));

  /* a backup that is not one: a message, and the collection stays */
  {
    g_autofree char *junk = g_build_filename (data_dir, "junk.backup.rehearse.zst", NULL);

    g_assert_true (g_file_set_contents (junk, "junk", -1, NULL));
    g_action_group_activate_action (G_ACTION_GROUP (app), "restore-backup",
                                    g_variant_new_string (junk));
    g_assert_true (wait_for (is_mapped, undone));
    for (int i = 0; i < 200 && !find_label (GTK_WIDGET (undone), "cannot be restored", FALSE); i++)
      {
        iterate ();
        g_usleep (10000);
      }
    g_assert_nonnull (find_label (GTK_WIDGET (undone), "cannot be restored", FALSE));
    g_assert_true (has_deck (undone, "Made after the backup"));
  }

  g_application_quit (G_APPLICATION (app));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  iterate ();
  g_clear_object (&app);
  rh_fixture_remove_dir (data_dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/restore-and-undo", test_restore_and_undo);
  return g_test_run ();
}
