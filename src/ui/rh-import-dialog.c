// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rh-apkg-reader.h"
#include "rh-composition.h"
#include "rh-csv-reader.h"
#include "rh-json-backup.h"
#include "rh-import-dialog.h"

/* ---- the work, on the worker thread ---- */

static gboolean
is_anki_package (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".apkg") || g_str_has_suffix (lower, ".colpkg");
}

typedef struct
{
  RhImportStageFunc func;
  gpointer          data;
  RhImportStage     stage;   /* the one under way */
} StageProgress;

static void
stage_progress_cb (double   fraction,
                   gpointer user_data)
{
  StageProgress *progress = user_data;

  progress->func (progress->stage, CLAMP (fraction, 0.0, 1.0), progress->data);
}

/* A full backup keeps its ids; its counts are told as an import's. */
static gboolean
restore_backup (const char         *collection_path,
                const char         *file_path,
                GCancellable       *cancellable,
                RhImportStageFunc   progress,
                gpointer            progress_data,
                RhImportResult     *out_result,
                guint              *out_skipped,
                GError            **error)
{
  g_autoptr(RhCollection) collection = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  g_autoptr(GFileInputStream) in = NULL;
  RhJsonBackupResult result = { 0 };

  if (progress)
    progress (RH_IMPORT_STAGE_ADDING, -1, progress_data);
  if (!(in = g_file_read (file, cancellable, error)) ||
      !(collection = rh_composition_open (collection_path, FALSE, error)) ||
      !rh_json_backup_read (collection, G_INPUT_STREAM (in), &result, cancellable, error))
    return FALSE;

  if (out_result)
    {
      out_result->added = result.cards_added;
      out_result->duplicates = result.cards_skipped;
      out_result->decks_created = result.decks_added;
      out_result->reviews = result.reviews_added;
    }
  if (out_skipped)
    *out_skipped = 0;
  return TRUE;
}

/**
 * _rh_import_run_sync:
 * @collection_path: the collection file; it is opened anew, so this can
 *   run on any thread
 * @file_path: a CSV/TSV/text file, an Anki package or a JSON backup (by
 *   its extension)
 * @default_deck: (nullable): the deck for cards whose file names none
 * @progress: (nullable) (scope call): told how far the work is
 * @out_result: (out) (optional): what was added
 * @out_skipped: (out) (optional): entries left out as unreadable
 *
 * Reads the file and adds its cards in one transaction: on error or when
 * cancelled the collection is left as it was.
 */
gboolean
_rh_import_run_sync (const char         *collection_path,
                     const char         *file_path,
                     const char         *default_deck,
                     GCancellable       *cancellable,
                     RhImportStageFunc   progress,
                     gpointer            progress_data,
                     RhImportResult     *out_result,
                     guint              *out_skipped,
                     GError            **error)
{
  g_autoptr(RhCollection) collection = NULL;
  g_autoptr(RhImportData) data = NULL;
  StageProgress stage = { progress, progress_data, RH_IMPORT_STAGE_READING };
  RhImportProgressFunc stage_progress = progress ? stage_progress_cb : NULL;
  RhImportResult result = { 0 };

  g_return_val_if_fail (collection_path != NULL, FALSE);
  g_return_val_if_fail (file_path != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (rh_json_backup_is_backup_path (file_path))
    return restore_backup (collection_path, file_path, cancellable, progress, progress_data,
                           out_result, out_skipped, error);

  if (is_anki_package (file_path))
    data = rh_apkg_read_file (file_path, cancellable, stage_progress, &stage, error);
  else
    {
      RhCsvOptions options;

      rh_csv_options_init (&options);
      data = rh_csv_read_file (file_path, &options, cancellable, stage_progress, &stage, error);
    }
  if (data == NULL)
    return FALSE;

  stage.stage = RH_IMPORT_STAGE_ADDING;
  if (!(collection = rh_composition_open (collection_path, FALSE, error)) ||
      !rh_collection_import_full (collection, data, default_deck, stage_progress, &stage,
                                  &result, cancellable, error))
    return FALSE;

  if (out_result)
    *out_result = result;
  if (out_skipped)
    *out_skipped = data->skipped_cards;
  return TRUE;
}

/**
 * _rh_export_run_sync:
 * @collection_path: the collection file, opened anew
 * @file: where the CSV (or, for a .json name, the full backup) goes; it is
 *   replaced only when all is written
 *
 * Writes every card as CSV, or everything as a JSON backup.
 */
gboolean
_rh_export_run_sync (const char    *collection_path,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(RhCollection) collection = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  g_autofree char *name = NULL;
  gboolean ok;

  g_return_val_if_fail (collection_path != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(collection = rh_composition_open (collection_path, FALSE, error)))
    return FALSE;
  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 cancellable, error)))
    return FALSE;

  name = g_file_get_basename (file);
  if (name != NULL && rh_json_backup_is_backup_path (name))
    ok = rh_json_backup_write (collection, G_OUTPUT_STREAM (stream), cancellable, error);
  else
    ok = rh_collection_export_csv (collection, G_OUTPUT_STREAM (stream), NULL, cancellable,
                                   error);
  if (!ok)
    {
      /* A cancelled close drops the temporary file and keeps the old one. */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}

/* ---- the progress window ---- */

struct _RhImportDialog
{
  AdwWindow       parent_instance;

  GCancellable   *cancellable;
  GCallback       done_cb;
  gpointer        done_data;
  guint           pulse_id;
  gboolean        running;
  gboolean        close_when_done;

  /* written by the worker, read by the main loop */
  GMutex          lock;
  RhImportStage   stage;
  double          fraction;
  guint           update_id;

  /* template */
  AdwHeaderBar   *header_bar;
  GtkStack       *stack;
  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
  GtkWidget      *cancel_button;
  GtkImage       *result_icon;
  GtkLabel       *result_title;
  GtkLabel       *result_label;
  GtkWidget      *close_button;
};

G_DEFINE_FINAL_TYPE (RhImportDialog, rh_import_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  char           *collection_path;
  char           *file_path;
  char           *default_deck;
  RhImportResult  result;
  guint           skipped;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->collection_path);
  g_free (job->file_path);
  g_free (job->default_deck);
  g_free (job);
}

static gboolean
pulse_cb (gpointer user_data)
{
  RhImportDialog *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static gboolean
update_progress_cb (gpointer user_data)
{
  RhImportDialog *self = user_data;
  RhImportStage stage;
  double fraction;

  g_mutex_lock (&self->lock);
  stage = self->stage;
  fraction = self->fraction;
  self->update_id = 0;
  g_mutex_unlock (&self->lock);

  if (!self->running || g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;

  if (stage == RH_IMPORT_STAGE_READING)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
      gtk_label_set_label (self->status_label, _("Reading the file…"));
    }
  else if (fraction >= 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
      gtk_label_set_label (self->status_label, _("Adding cards…"));
    }
  else if (self->pulse_id == 0)
    {
      /* a backup's restore has no measure of its own */
      gtk_label_set_label (self->status_label, _("Adding cards…"));
      gtk_progress_bar_pulse (self->progress_bar);
      self->pulse_id = g_timeout_add (100, pulse_cb, self);
    }
  return G_SOURCE_REMOVE;
}

/* Called on the worker: keeps the latest figure and wakes the main loop
 * once, however often the reader reports. */
static void
worker_progress_cb (RhImportStage stage,
                    double        fraction,
                    gpointer      user_data)
{
  RhImportDialog *self = user_data;

  g_mutex_lock (&self->lock);
  self->stage = stage;
  self->fraction = fraction;
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_DEFAULT, update_progress_cb,
                                       g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->lock);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  GError *error = NULL;

  if (!_rh_import_run_sync (job->collection_path, job->file_path, job->default_deck,
                            cancellable, worker_progress_cb, source_object,
                            &job->result, &job->skipped, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
describe_result (const RhImportResult *result,
                 guint                 skipped)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u card added", "%u cards added",
                                                     result->added),
                                           result->added));
  /* what did not happen goes unsaid */
  if (result->duplicates > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u duplicate skipped",
                                                       "%u duplicates skipped",
                                                       result->duplicates),
                                             result->duplicates));
  if (result->decks_created > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u deck created", "%u decks created",
                                                       result->decks_created),
                                             result->decks_created));
  if (result->reviews > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u review history entry kept",
                                                       "%u review history entries kept",
                                                       result->reviews),
                                             result->reviews));
  if (skipped > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u unreadable entry left out",
                                                       "%u unreadable entries left out",
                                                       skipped),
                                             skipped));
  g_ptr_array_add (parts, NULL);
  /* Translators: joins the parts of the import summary */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

/* Error messages read as a clause ("Line 2: a quoted field is never
 * closed"); above a second sentence, they need their full stop. */
static char *
as_sentence (const char *message)
{
  size_t len = strlen (message);
  const char *last = len > 0 ? g_utf8_prev_char (message + len) : NULL;

  if (last == NULL || strchr (".!?", *last) != NULL || g_str_equal (last, "…"))
    return g_strdup (message);
  return g_strconcat (message, ".", NULL);
}

static void
finish_running (RhImportDialog *self)
{
  self->running = FALSE;
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, TRUE);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RhImportDialog *self = RH_IMPORT_DIALOG (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  finish_running (self);

  if (!ok && g_cancellable_is_cancelled (self->cancellable))
    {
      /* One transaction: nothing was added, nothing to report. */
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (ok)
    {
      summary = describe_result (&job->result, job->skipped);
      gtk_image_set_from_icon_name (self->result_icon, "object-select-symbolic");
      gtk_label_set_label (self->result_title, _("Import Complete"));
      gtk_label_set_label (self->result_label, summary);
    }
  else
    {
      g_autofree char *sentence = as_sentence (error->message);

      summary = g_strdup_printf (_("%s\nNothing was imported."), sentence);
      gtk_image_set_from_icon_name (self->result_icon, "dialog-error-symbolic");
      gtk_label_set_label (self->result_title, _("Import Failed"));
      gtk_label_set_label (self->result_label, summary);
    }
  gtk_stack_set_visible_child_name (self->stack, "result");
  gtk_widget_grab_focus (self->close_button);
#if GTK_CHECK_VERSION (4, 14, 0)
  gtk_accessible_announce (GTK_ACCESSIBLE (self), summary,
                           GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
#endif

  if (ok && self->done_cb != NULL)
    ((void (*) (gpointer)) self->done_cb) (self->done_data);

  if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhImportDialog *self = RH_IMPORT_DIALOG (widget);

  if (!self->running)
    return;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_label_set_label (self->status_label, _("Cancelling…"));
}

static gboolean
rh_import_dialog_close_request (GtkWindow *window)
{
  RhImportDialog *self = RH_IMPORT_DIALOG (window);

  /* The worker still holds the collection: stop it and close after. */
  if (self->running)
    {
      self->close_when_done = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "import.cancel", NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (rh_import_dialog_parent_class)->close_request (window);
}

static void
rh_import_dialog_dispose (GObject *object)
{
  RhImportDialog *self = RH_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (rh_import_dialog_parent_class)->dispose (object);
}

static void
rh_import_dialog_finalize (GObject *object)
{
  RhImportDialog *self = RH_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rh_import_dialog_parent_class)->finalize (object);
}

static void
rh_import_dialog_class_init (RhImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rh_import_dialog_dispose;
  object_class->finalize = rh_import_dialog_finalize;
  window_class->close_request = rh_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, result_title);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, RhImportDialog, close_button);

  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rh_import_dialog_init (RhImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}

static void
start_import (GtkWindow  *parent,
              const char *collection_path,
              GFile      *file,
              GCallback   done_cb,
              gpointer    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *title = NULL;
  RhImportDialog *self;
  ImportJob *job;
  char *dot;

  self = g_object_new (RH_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->done_cb = done_cb;
  self->done_data = user_data;
  self->running = TRUE;

  /* Translators: the import window's heading; %s is a file name */
  title = g_strdup_printf (_("Importing “%s”"), basename);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->status_label, _("Reading the file…"));

  job = g_new0 (ImportJob, 1);
  job->collection_path = g_strdup (collection_path);
  job->file_path = g_file_get_path (file);
  /* Cards of a file that names no deck go to a deck named after it. */
  if ((dot = strrchr (basename, '.')) != NULL && dot != basename)
    *dot = '\0';
  job->default_deck = g_strdup (basename);

  task = g_task_new (self, self->cancellable, import_done_cb, NULL);
  g_task_set_source_tag (task, start_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->cancel_button);
}

/**
 * rh_import_dialog_run_file:
 * @parent: (nullable): the window the dialog belongs to
 * @collection_path: the collection to import into
 * @file: a local file
 * @done_cb: (nullable): called with @user_data when cards were added
 * @user_data: for @done_cb
 *
 * Imports @file as the file dialog of rh_import_dialog_run() would, for
 * a file chosen another way.
 */
void
rh_import_dialog_run_file (GtkWindow  *parent,
                           const char *collection_path,
                           GFile      *file,
                           GCallback   done_cb,
                           gpointer    user_data)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (collection_path != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (g_file_peek_path (file) != NULL);

  start_import (parent, collection_path, file, done_cb, user_data);
}

static void
show_message (GtkWindow  *parent,
              const char *heading,
              const char *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GtkWindow *parent;
  char      *collection_path;
  GCallback  done_cb;
  gpointer   done_data;
} ChooserData;

static void
chooser_data_free (ChooserData *data)
{
  g_clear_object (&data->parent);
  g_free (data->collection_path);
  g_free (data);
}

static void
import_chooser_response_cb (GtkNativeDialog *native,
                            int              response,
                            ChooserData     *data)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL)
    {
      if (g_file_peek_path (file) != NULL)
        start_import (data->parent, data->collection_path, file, data->done_cb,
                      data->done_data);
      else
        show_message (data->parent, _("Cannot Import"),
                      _("Only files on this computer can be imported."));
    }

  chooser_data_free (data);
  g_object_unref (native);
}

static void
add_filter (GtkFileChooser      *chooser,
            const char          *name,
            const char * const  *patterns,
            const char * const  *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns && patterns[i]; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types && mime_types[i]; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/**
 * rh_import_dialog_run:
 * @parent: (nullable): the window the dialogs belong to
 * @collection: the collection (its file is opened again on a worker)
 * @collection_path: the file @collection was opened from
 * @done_cb: (nullable) (scope async): a `void (*) (gpointer user_data)`
 *   called after cards were imported
 * @user_data: data for @done_cb
 *
 * Asks for a CSV/TSV/text file or an Anki package, imports it off the
 * main thread with progress and a Cancel button, and shows what was
 * added or why nothing was.
 */
void
rh_import_dialog_run (GtkWindow    *parent,
                      RhCollection *collection,
                      const char   *collection_path,
                      GCallback     done_cb,
                      gpointer      user_data)
{
  static const char * const all_patterns[] = {
    "*.csv", "*.tsv", "*.txt", "*.CSV", "*.TSV", "*.TXT", "*.apkg", "*.colpkg", "*.json", "*.JSON",
    NULL
  };
  static const char * const text_patterns[] = {
    "*.csv", "*.tsv", "*.txt", "*.CSV", "*.TSV", "*.TXT", NULL
  };
  static const char * const text_types[] = {
    "text/csv", "text/tab-separated-values", NULL
  };
  static const char * const anki_patterns[] = { "*.apkg", "*.colpkg", NULL };
  static const char * const backup_patterns[] = { "*.json", "*.JSON", NULL };
  GtkFileChooserNative *native;
  ChooserData *data;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (RH_IS_COLLECTION (collection));
  g_return_if_fail (collection_path != NULL);

  native = gtk_file_chooser_native_new (_("Import Cards"), parent,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  add_filter (GTK_FILE_CHOOSER (native), _("Flashcard Files"), all_patterns, text_types);
  add_filter (GTK_FILE_CHOOSER (native), _("CSV, TSV and Text Files"), text_patterns,
              text_types);
  add_filter (GTK_FILE_CHOOSER (native), _("Anki Packages"), anki_patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (native), _("Rehearse Backups (.json)"), backup_patterns, NULL);

  data = g_new0 (ChooserData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->collection_path = g_strdup (collection_path);
  data->done_cb = done_cb;
  data->done_data = user_data;
  g_signal_connect (native, "response", G_CALLBACK (import_chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- export ---- */

typedef struct
{
  GtkWindow *parent;
  GFile     *file;
  char      *collection_path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->parent);
  g_clear_object (&job->file);
  g_free (job->collection_path);
  g_free (job);
}

/* The first toast overlay in @widget, depth first: the window's own. */
static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (widget == NULL)
    return NULL;
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_toast_overlay (child);

      if (overlay != NULL)
        return overlay;
    }
  return NULL;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (!_rh_export_run_sync (job->collection_path, job->file, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (job->file);
  g_autofree char *message = NULL;
  AdwToastOverlay *overlay;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_message (job->parent, _("Export Failed"), error->message);
      return;
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Cards exported to “%s”"), basename);
  if (job->parent != NULL && gtk_widget_get_visible (GTK_WIDGET (job->parent)) &&
      (overlay = find_toast_overlay (GTK_WIDGET (job->parent))) != NULL)
    adw_toast_overlay_add_toast (overlay, adw_toast_new (message));
  else
    show_message (job->parent, _("Export Complete"), message);
}

static void
export_chooser_response_cb (GtkNativeDialog *native,
                            int              response,
                            ChooserData     *data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  if (response != GTK_RESPONSE_ACCEPT ||
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) == NULL)
    {
      chooser_data_free (data);
      g_object_unref (native);
      return;
    }

  /* the backup filter chosen with a name that says nothing: make it one */
  {
    GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (native));
    g_autofree char *name = g_file_get_basename (file);

    if (filter != NULL && name != NULL &&
        g_strcmp0 (gtk_file_filter_get_name (filter), _("Full Backup (.json)")) == 0 &&
        !rh_json_backup_is_backup_path (name))
      {
        g_autofree char *json_name = g_strconcat (name, ".json", NULL);
        g_autoptr(GFile) parent_dir = g_file_get_parent (file);

        g_clear_object (&file);
        file = g_file_get_child (parent_dir, json_name);
      }
  }

  job = g_new0 (ExportJob, 1);
  job->parent = g_steal_pointer (&data->parent);
  job->file = g_steal_pointer (&file);
  job->collection_path = g_steal_pointer (&data->collection_path);
  chooser_data_free (data);
  g_object_unref (native);

  task = g_task_new (NULL, NULL, export_done_cb, NULL);
  g_task_set_source_tag (task, rh_export_dialog_run);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * rh_export_dialog_run:
 * @parent: (nullable): the window the dialogs belong to
 * @collection: the collection (its file is opened again on a worker)
 * @collection_path: the file @collection was opened from
 *
 * Asks where to save, writes every card there as CSV (or everything as a
 * JSON backup, for a .json name) off the main thread
 * and says when it is done, with a toast when @parent has a toast
 * overlay.
 */
void
rh_export_dialog_run (GtkWindow    *parent,
                      RhCollection *collection,
                      const char   *collection_path)
{
  static const char * const csv_patterns[] = { "*.csv", NULL };
  static const char * const csv_types[] = { "text/csv", NULL };
  static const char * const backup_patterns[] = { "*.json", NULL };
  static const char * const backup_types[] = { "application/json", NULL };
  GtkFileChooserNative *native;
  ChooserData *data;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (RH_IS_COLLECTION (collection));
  g_return_if_fail (collection_path != NULL);

  native = gtk_file_chooser_native_new (_("Export Cards"), parent,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  /* Translators: the suggested name of an exported file */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), _("Rehearse cards.csv"));
  add_filter (GTK_FILE_CHOOSER (native), _("CSV Files"), csv_patterns, csv_types);
  /* the file's name picks the format: a .json name gets the full backup */
  add_filter (GTK_FILE_CHOOSER (native), _("Full Backup (.json)"), backup_patterns, backup_types);

  data = g_new0 (ChooserData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->collection_path = g_strdup (collection_path);
  g_signal_connect (native, "response", G_CALLBACK (export_chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
