// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rh-discard-dialog.h"

/*
 * The question an editor asks when it is closed over changes not yet
 * saved. The editor's close-request handler presents it and refuses to
 * close; "Discard" sets the editor's flag and closes it again.
 */

typedef struct
{
  GtkWindow *editor;
  gboolean  *may_close;
} Discard;

static void
discard_free (gpointer data,
              GClosure *closure)
{
  Discard *discard = data;

  g_object_unref (discard->editor);
  g_free (discard);
}

static gboolean
close_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Discard          *discard)
{
  if (!g_str_equal (response, "discard"))
    return;
  *discard->may_close = TRUE;
  /* once the dialog, which is transient for the editor, is gone */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_cb, g_object_ref (discard->editor),
                   g_object_unref);
}

/**
 * rh_discard_dialog_present:
 * @editor: the editor being closed
 * @body: what would be lost
 * @may_close: the editor's flag that lets the next close through; it
 *   must live as long as @editor
 *
 * Asks whether to discard the changes: "Keep Editing" (the default, and
 * what Escape answers) leaves the editor as it is, "Discard" closes it.
 */
void
rh_discard_dialog_present (GtkWindow  *editor,
                           const char *body,
                           gboolean   *may_close)
{
  AdwMessageDialog *dialog;
  Discard *discard;

  g_return_if_fail (GTK_IS_WINDOW (editor));
  g_return_if_fail (may_close != NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (editor, _("Discard Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");

  discard = g_new0 (Discard, 1);
  discard->editor = g_object_ref (editor);
  discard->may_close = may_close;
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), discard, discard_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
