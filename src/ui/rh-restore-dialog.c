// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-backups.h"
#include "rh-restore-dialog.h"

/*
 * Choosing a backup to restore: the collection's backups, newest first,
 * in a message dialog. The restore itself is the application's
 * (app.restore-backup), which backs up the collection as it is first and
 * offers to undo.
 */

static void
choice_toggled_cb (GtkCheckButton   *check,
                   AdwMessageDialog *dialog)
{
  if (!gtk_check_button_get_active (check))
    return;
  g_object_set_data_full (G_OBJECT (dialog), "rh-backup",
                          g_strdup (g_object_get_data (G_OBJECT (check), "rh-backup")), g_free);
  adw_message_dialog_set_response_enabled (dialog, "restore", TRUE);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             GtkWidget        *parent)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "rh-backup");

  if (g_str_equal (response, "restore") && backup != NULL)
    gtk_widget_activate_action (parent, "app.restore-backup", "s", backup);
}

/* “Today, 09:14”, “Yesterday, 09:14”, or the date and time */
static char *
backup_title (const char *path)
{
  g_autoptr(GDateTime) made = rh_backups_get_time (path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *time = NULL;
  int y, m, d;

  if (made == NULL)
    return rh_backups_describe (path);
  time = g_date_time_format (made, "%H:%M");
  g_date_time_get_ymd (made, &y, &m, &d);
  if (y == g_date_time_get_year (now) && m == g_date_time_get_month (now) &&
      d == g_date_time_get_day_of_month (now))
    /* Translators: a backup made today; %s is the time */
    return g_strdup_printf (_("Today, %s"), time);
  if (y == g_date_time_get_year (yesterday) && m == g_date_time_get_month (yesterday) &&
      d == g_date_time_get_day_of_month (yesterday))
    /* Translators: a backup made yesterday; %s is the time */
    return g_strdup_printf (_("Yesterday, %s"), time);
  return rh_backups_describe (path);
}

static GtkWidget *
backup_row (const char       *path,
            GtkCheckButton   *group,
            AdwMessageDialog *dialog)
{
  g_autofree char *title = backup_title (path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (info != NULL)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
    }
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  g_object_set_data_full (G_OBJECT (check), "rh-backup", g_strdup (path), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (choice_toggled_cb), dialog);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  return row;
}

/**
 * rh_restore_dialog_present:
 * @parent: the window whose collection it is
 * @collection_path: the collection
 * @synced: whether the collection syncs with an account
 *
 * Shows the collection's backups to choose one to restore.
 */
void
rh_restore_dialog_present (GtkWindow  *parent,
                           const char *collection_path,
                           gboolean    synced)
{
  g_autofree char *dir = rh_backups_dir_for (collection_path);
  g_autoptr(GPtrArray) backups = rh_backups_list (dir, NULL);
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GtkWidget *scrolled;
  GtkCheckButton *group = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore a Backup"), NULL));
  gtk_window_set_title (GTK_WINDOW (dialog), _("Restore a Backup"));
  if (backups == NULL || backups->len == 0)
    {
      adw_message_dialog_set_body (dialog, _("There is no backup yet. Rehearse backs up the "
                                             "collection each day it starts."));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (synced)
    adw_message_dialog_set_body (dialog, _("The collection goes back to how it was when the "
                                           "backup was made. It is backed up as it is now "
                                           "first, so this can be undone. Changes already "
                                           "synced come back from your account at the next "
                                           "sync."));
  else
    adw_message_dialog_set_body (dialog, _("The collection goes back to how it was when the "
                                           "backup was made. It is backed up as it is now "
                                           "first, so this can be undone."));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  /* room for the list's own shadow inside the scrolled window */
  gtk_widget_set_margin_top (list, 4);
  gtk_widget_set_margin_bottom (list, 4);
  gtk_widget_set_margin_start (list, 4);
  gtk_widget_set_margin_end (list, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backups"), -1);
  for (guint i = backups->len; i > 0; i--)
    {
      GtkWidget *row = backup_row (backups->pdata[i - 1], group, dialog);

      if (group == NULL)
        group = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  adw_message_dialog_set_extra_child (dialog, scrolled);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "restore", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), parent, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
