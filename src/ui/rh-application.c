// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rh-account-row.h"
#include "rh-accounts.h"
#include "rh-application.h"
#include "rh-backups.h"
#include "rh-composition.h"
#include "rh-decks-page.h"
#include "rh-preferences-window.h"
#include "rh-sync-status.h"
#include "rh-window.h"

/* Backups wait until the window is up: they are a file copy, and the
 * learner should see the decks first. */
#define BACKUP_DELAY_S 2
/* After a study session: once the learner has moved on, not per answer. */
#define SYNC_AFTER_STUDY_S 10

typedef struct _OpenJob OpenJob;

struct _RhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  RhAccounts     *accounts;
  GtkWidget      *sign_in_dialog;
  gboolean        sign_in_cancelled;
  gboolean        switching;
  RhCollection   *collection;
  char           *collection_path;
  gint64          process_start_us;
  GThread        *open_thread;
  OpenJob        *open_job;
  GThread        *backup_thread;
  guint           backup_source;
  gboolean        probe;
  RhSyncEngine   *sync_engine;
  char           *sync_path;
};

G_DEFINE_FINAL_TYPE (RhApplication, rh_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SYNC_ENGINE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void open_job_free (OpenJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenJob, open_job_free)

/* Keys that change how the collection schedules and counts. */
static const char * const study_keys[] = {
  "new-cards-per-day",
  "reviews-per-day",
  "desired-retention",
  "learning-steps",
  "relearning-steps",
  "rollover-hour",
};

/**
 * rh_application_new:
 * @process_start_us: when the process started, on the monotonic clock
 *
 * Returns: (transfer full): the application
 */
RhApplication *
rh_application_new (gint64 process_start_us)
{
  RhApplication *self = g_object_new (RH_TYPE_APPLICATION,
                                      "application-id", APP_ID,
                                      /* HANDLES_OPEN: the sign-in redirect
                                       * (io.github.rehearse:/oauth2/callback?…)
                                       * comes back as `rehearse URI` */
                                      "flags", G_APPLICATION_DEFAULT_FLAGS |
                                               G_APPLICATION_HANDLES_OPEN,
                                      "resource-base-path", "/io/github/rehearse/Rehearse",
                                      NULL);

  self->process_start_us = process_start_us;
  return self;
}

/**
 * rh_application_get_collection:
 *
 * Returns: (transfer none) (nullable): the open collection, once activated
 */
RhCollection *
rh_application_get_collection (RhApplication *self)
{
  g_return_val_if_fail (RH_IS_APPLICATION (self), NULL);

  return self->collection;
}

/**
 * rh_application_get_collection_path:
 *
 * Returns: (transfer none) (nullable): where the collection lives
 */
const char *
rh_application_get_collection_path (RhApplication *self)
{
  g_return_val_if_fail (RH_IS_APPLICATION (self), NULL);

  return self->collection_path;
}

/**
 * rh_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
rh_application_get_settings (RhApplication *self)
{
  g_return_val_if_fail (RH_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * rh_application_get_accounts:
 *
 * Returns: (transfer none): the accounts (sign-in, and the token source
 *   for sync: rh_accounts_get_auth()), once started up
 */
RhAccounts *
rh_application_get_accounts (RhApplication *self)
{
  g_return_val_if_fail (RH_IS_APPLICATION (self), NULL);

  return self->accounts;
}

static void
read_steps (GSettings  *settings,
            const char *key,
            gint64     *steps,
            guint      *n_steps)
{
  g_auto(GStrv) strv = g_settings_get_strv (settings, key);
  g_autofree char *text = g_strjoinv (" ", strv);
  g_autoptr(GError) error = NULL;
  gint64 parsed[RH_STUDY_MAX_STEPS];
  guint n = 0;

  /* An invalid value (written behind our back) keeps the default. */
  if (!rh_study_steps_parse (text, parsed, &n, &error))
    {
      g_warning ("Ignoring the setting “%s”: %s", key, error->message);
      return;
    }
  memcpy (steps, parsed, n * sizeof (gint64));
  *n_steps = n;
}

/**
 * rh_study_settings_from_gsettings:
 *
 * Reads the study preferences the learner chose.
 */
void
rh_study_settings_from_gsettings (RhStudySettings *out,
                                  GSettings       *settings)
{
  rh_study_settings_init_default (out);
  out->new_per_day = g_settings_get_int (settings, "new-cards-per-day");
  out->reviews_per_day = g_settings_get_int (settings, "reviews-per-day");
  out->desired_retention = g_settings_get_double (settings, "desired-retention");
  out->rollover_hour = g_settings_get_int (settings, "rollover-hour");
  read_steps (settings, "learning-steps", out->learning_steps_s, &out->n_learning_steps);
  read_steps (settings, "relearning-steps", out->relearning_steps_s, &out->n_relearning_steps);
}

static void
apply_study_settings (RhApplication *self)
{
  g_autoptr(GError) error = NULL;
  RhStudySettings study;

  if (self->collection == NULL)
    return;

  rh_study_settings_from_gsettings (&study, self->settings);
  if (!rh_collection_set_study_settings (self->collection, &study, &error))
    g_warning ("Cannot use the study settings: %s", error->message);
  /* a sync that rebuilds cards schedules them with the same settings */
  if (self->sync_engine != NULL)
    rh_sync_engine_set_study_settings (self->sync_engine, &study);
}

static void
apply_style (RhApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *style = g_settings_get_string (self->settings, "style");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (style, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (style, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (manager, scheme);
}

static void
settings_changed_cb (RhApplication *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (g_strcmp0 (key, "style") == 0)
    {
      apply_style (self);
      return;
    }

  if (!g_strv_contains (study_keys, key))
    return;

  apply_study_settings (self);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (RH_IS_WINDOW (l->data))
      rh_window_reload (l->data);
}

/* ---- opening the collection ---- */

/* The collection is opened, and the overview's decks read, on a thread
 * of their own while GTK starts up: on a large collection that reading
 * takes as long as GTK's own startup, and the two overlap. */
struct _OpenJob
{
  char            *path;
  gboolean         seed;
  RhStudySettings  settings;
  RhCollection    *collection;
  RhDecksSnapshot *snapshot;
  GError          *error;
};

static void
open_job_free (OpenJob *job)
{
  g_free (job->path);
  g_clear_object (&job->collection);
  g_clear_pointer (&job->snapshot, rh_decks_snapshot_free);
  g_clear_error (&job->error);
  g_free (job);
}

static gpointer
open_thread_func (gpointer data)
{
  OpenJob *job = data;
  g_autoptr(GError) error = NULL;

  /* An account's collection gets no sample deck: its cards come from the
   * learner, or from a sync. */
  if (!(job->collection = rh_composition_open (job->path, job->seed, &job->error)))
    return NULL;

  if (!rh_collection_set_study_settings (job->collection, &job->settings, &error))
    {
      g_warning ("Cannot use the study settings: %s", error->message);
      g_clear_error (&error);
    }
  if (rh_collection_close_abandoned_sessions (job->collection, &error) == G_MAXUINT)
    {
      g_warning ("Cannot close the sessions left open: %s", error->message);
      g_clear_error (&error);
    }
  /* On failure the window reads the decks itself, and shows the error. */
  if (!(job->snapshot = rh_decks_snapshot_load (job->collection, &error)))
    g_warning ("Cannot read the decks: %s", error->message);
  return NULL;
}

static void
start_opening (RhApplication *self)
{
  g_autofree char *account = rh_accounts_dup_current_account (self->accounts);
  OpenJob *job = g_new0 (OpenJob, 1);

  /* the signed-in account's own collection, or the signed-out one */
  self->collection_path = rh_accounts_dup_collection_path (self->accounts);
  job->path = g_strdup (self->collection_path);
  job->seed = account == NULL;
  rh_study_settings_from_gsettings (&job->settings, self->settings);
  self->open_job = job;
  self->open_thread = g_thread_new ("rh-open", open_thread_func, job);
}

/* Returns: (transfer full) (nullable): the decks read ahead */
static RhDecksSnapshot *
finish_opening (RhApplication  *self,
                GError        **error)
{
  g_autoptr(OpenJob) job = g_steal_pointer (&self->open_job);

  if (job == NULL)
    return NULL;

  g_thread_join (g_steal_pointer (&self->open_thread));
  if (job->collection == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return NULL;
    }
  self->collection = g_steal_pointer (&job->collection);
  return g_steal_pointer (&job->snapshot);
}

/* ---- backups ---- */

static gpointer
backup_thread_func (gpointer data)
{
  g_autofree char *path = data;
  g_autofree char *dir = rh_backups_dir_for (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhCollection) collection = NULL;
  g_autofree char *made = NULL;

  /* A connection of its own: the main thread keeps using its own. */
  if (!(collection = rh_composition_open (path, FALSE, &error)))
    {
      g_warning ("Cannot open the collection for a backup: %s", error->message);
      return NULL;
    }
  made = rh_backups_run_daily (collection, dir, g_get_real_time (), &error);
  if (error != NULL)
    g_warning ("The daily backup failed: %s", error->message);
  else if (made != NULL)
    g_debug ("Backed up the collection to %s", made);
  return NULL;
}

static gboolean
start_backup_cb (gpointer data)
{
  RhApplication *self = data;

  self->backup_source = 0;
  if (self->backup_thread == NULL && self->collection_path != NULL)
    self->backup_thread = g_thread_new ("rh-backup", backup_thread_func,
                                        g_strdup (self->collection_path));
  return G_SOURCE_REMOVE;
}

/* ---- the startup probe ---- */

/* With the probe on, where the time before the first frame goes. */
static void
probe_mark (RhApplication *self,
            const char    *stage)
{
  if (self->probe)
    g_print ("stage-ms %s %" G_GINT64_FORMAT "\n", stage,
             (g_get_monotonic_time () - self->process_start_us) / 1000);
}

static void
probe_after_paint_cb (GdkFrameClock *clock,
                      RhApplication *self)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (clock, probe_after_paint_cb, self);
  g_print ("first-frame-ms %" G_GINT64_FORMAT "\n", (now - self->process_start_us) / 1000);
  /* The process start above is known to 10 ms (the kernel's clock
   * ticks); a caller that noted when it started the process subtracts
   * from this instead (the clock is the same across processes). */
  g_print ("first-frame-monotonic-us %" G_GINT64_FORMAT "\n", now);
  fflush (stdout);
  g_application_quit (G_APPLICATION (self));
}

static void
probe_window_map_cb (GtkWidget     *window,
                     RhApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, probe_window_map_cb, self);
  probe_mark (self, "mapped");
  g_signal_connect (clock, "after-paint", G_CALLBACK (probe_after_paint_cb), self);
}

/* ---- sign-in ---- */

static void install_account_row (RhApplication *self,
                                 GtkWindow     *window);

static RhAuth *
get_auth (RhApplication *self)
{
  return rh_accounts_get_auth (self->accounts);
}

static void
show_toast (RhApplication *self,
            const char    *message,
            const char    *button_label,
            const char    *action)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwToast *toast;

  if (!RH_IS_WINDOW (window))
    {
      g_message ("%s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_detailed_action_name (toast, action);
    }
  rh_window_add_toast (RH_WINDOW (window), toast);
}

/* ---- sync ---- */

static void
sync_finished_cb (RhSyncEngine        *engine,
                  const RhSyncSummary *summary,
                  const GError        *error,
                  RhApplication       *self)
{
  if (summary == NULL ||
      (summary->pulled == 0 && summary->reviews_added == 0 && summary->cards_rebuilt == 0))
    return;

  g_debug ("The sync brought changes: reading the collection again");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (RH_IS_WINDOW (l->data))
      rh_window_reload (l->data);
}

static void
drop_sync_engine (RhApplication *self)
{
  if (self->sync_engine == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->sync_engine, self);
  rh_sync_engine_stop (self->sync_engine);
  g_clear_object (&self->sync_engine);
  g_clear_pointer (&self->sync_path, g_free);
}

/* Syncs the collection in view while its account is signed in: makes
 * and starts the engine for it, or stops and drops the one of an
 * account that is gone. */
static void
update_sync (RhApplication *self)
{
  RhAuth *auth = rh_accounts_get_auth (self->accounts);
  g_autofree char *account = rh_accounts_dup_current_account (self->accounts);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *api_url;
  GAction *action;
  RhStudySettings study;

  if (account != NULL && rh_auth_get_user (auth) != NULL && self->collection != NULL &&
      !self->switching)
    path = rh_accounts_dup_collection_path (self->accounts);
  /* only the collection in view: the window shows what the engine syncs */
  if (g_strcmp0 (path, self->collection_path) != 0)
    g_clear_pointer (&path, g_free);
  if (g_strcmp0 (path, self->sync_path) == 0)
    return;

  drop_sync_engine (self);
  api_url = rh_cognito_config_get_api_url (rh_accounts_get_config (self->accounts));
  if (path != NULL && (api_url == NULL || *api_url == '\0'))
    g_warning ("No sync server is configured");
  else if (path != NULL &&
           !(self->sync_engine = rh_composition_new_sync_engine (path, RH_TOKEN_SOURCE (auth),
                                                                 api_url, &error)))
    g_warning ("Cannot sync: %s", error->message);
  else if (path != NULL)
    {
      g_debug ("Syncing %s with %s", path, api_url);
      self->sync_path = g_steal_pointer (&path);
      rh_study_settings_from_gsettings (&study, self->settings);
      rh_sync_engine_set_study_settings (self->sync_engine, &study);
      g_signal_connect_object (self->sync_engine, "finished",
                               G_CALLBACK (sync_finished_cb), self, 0);
      rh_sync_engine_start (self->sync_engine);
    }

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->sync_engine != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SYNC_ENGINE]);
}

typedef struct
{
  RhApplication   *self;
  char            *path;
  gboolean         seed;
  RhStudySettings  settings;
  RhCollection    *collection;
  RhDecksSnapshot *snapshot;
  /* a restore: the backup to restore, and the one made of the collection
   * as it was, so that the restore can be undone */
  char            *restore;
  char            *undo;
} SwitchJob;

static void
switch_job_free (SwitchJob *job)
{
  g_clear_object (&job->self);
  g_free (job->path);
  g_free (job->restore);
  g_free (job->undo);
  g_clear_object (&job->collection);
  g_clear_pointer (&job->snapshot, rh_decks_snapshot_free);
  g_free (job);
}

static void
switch_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SwitchJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!(job->collection = rh_composition_open (job->path, job->seed, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* On a connection of its own, while the window's stays open: the
   * collection as it is goes into a backup first. */
  if (job->restore != NULL)
    {
      g_autofree char *dir = rh_backups_dir_for (job->path);

      if (!(job->undo = rh_backups_make (job->collection, dir, g_get_real_time (), &error)) ||
          !rh_backups_restore_into (job->collection, job->restore, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (!rh_collection_set_study_settings (job->collection, &job->settings, &error))
    {
      g_warning ("Cannot use the study settings: %s", error->message);
      g_clear_error (&error);
    }
  if (rh_collection_close_abandoned_sessions (job->collection, &error) == G_MAXUINT)
    {
      g_warning ("Cannot close the sessions left open: %s", error->message);
      g_clear_error (&error);
    }
  if (!(job->snapshot = rh_decks_snapshot_load (job->collection, &error)))
    g_warning ("Cannot read the decks: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
switch_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RhApplication *self = RH_APPLICATION (object);
  SwitchJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) windows = NULL;
  GtkWindow *window;

  self->switching = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message, NULL, NULL);
      g_application_release (G_APPLICATION (self));
      return;
    }

  /* The previous collection's windows go (closing ends their study
   * session), and nothing of it stays in view. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (RH_IS_WINDOW (l->data))
      gtk_window_close (l->data);

  g_set_object (&self->collection, job->collection);
  g_free (self->collection_path);
  self->collection_path = g_strdup (job->path);
  window = GTK_WINDOW (rh_window_new_with_decks (GTK_APPLICATION (self), self->collection,
                                                 self->collection_path, job->snapshot));
  install_account_row (self, window);
  gtk_window_present (window);
  update_sync (self);
  if (job->restore != NULL)
    {
      g_autofree char *when = rh_backups_describe (job->restore);
      /* Translators: %s is when the backup was made, like “24 November 2026, 09:14” */
      g_autofree char *message = g_strdup_printf (_("Restored the backup of %s"), when);
      g_autofree char *undo = g_action_print_detailed_name ("app.restore-backup",
                                                            g_variant_new_string (job->undo));

      show_toast (self, message, _("_Undo"), undo);
    }
  g_application_release (G_APPLICATION (self));
}

static SwitchJob *
switch_job_new (RhApplication *self,
                char          *path)
{
  SwitchJob *job = g_new0 (SwitchJob, 1);

  job->self = g_object_ref (self);
  job->path = path;
  rh_study_settings_from_gsettings (&job->settings, self->settings);
  return job;
}

/* Opens the job's collection on a thread, and shows it in a new window. */
static void
start_switch (RhApplication *self,
              SwitchJob     *job,
              gpointer       source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, switch_done_cb, NULL);

  self->switching = TRUE;
  /* the window goes before the new one comes: keep the app alive */
  g_application_hold (G_APPLICATION (self));
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) switch_job_free);
  g_task_run_in_thread (task, switch_thread);
}

/* Shows the collection of the account signed in now (or the signed-out
 * one), when it is not the one in view. */
static void
follow_account (RhApplication *self)
{
  g_autofree char *path = rh_accounts_dup_collection_path (self->accounts);
  g_autofree char *account = rh_accounts_dup_current_account (self->accounts);
  SwitchJob *job;

  if (self->collection == NULL || self->switching ||
      g_strcmp0 (path, self->collection_path) == 0)
    return;

  g_debug ("Switching to the collection of the account now in use");
  job = switch_job_new (self, g_steal_pointer (&path));
  job->seed = account == NULL;
  start_switch (self, job, follow_account);
}

static void
close_sign_in_dialog (RhApplication *self)
{
  GtkWidget *dialog = self->sign_in_dialog;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
  self->sign_in_dialog = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
sign_in_dialog_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            RhApplication    *self)
{
  /* the dialog closes itself after a response */
  if (self->sign_in_dialog == GTK_WIDGET (dialog))
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
      self->sign_in_dialog = NULL;
    }
  if (g_strcmp0 (response, "cancel") == 0 && rh_auth_get_signing_in (get_auth (self)))
    {
      self->sign_in_cancelled = TRUE;
      rh_auth_cancel_sign_in (get_auth (self));
    }
}

static void
show_sign_in_dialog (RhApplication *self,
                     const char    *url,
                     gboolean       browser_failed)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwMessageDialog *dialog;

  close_sign_in_dialog (self);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Continue in Your Browser"),
                                                       NULL));
  if (browser_failed)
    adw_message_dialog_format_body (dialog,
                                    _("No browser could be opened. Open this address in your "
                                      "browser to sign in:\n\n%s"), url);
  else
    adw_message_dialog_set_body (dialog,
                                 _("Sign in on the page that opened in your browser. "
                                   "Rehearse continues by itself when you are done."));
  adw_message_dialog_set_body_use_markup (dialog, FALSE);
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (sign_in_dialog_response_cb), self);
  self->sign_in_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  RhApplication *self;
  char          *url;
} ShowUri;

/* No browser opened: a sign-in under way shows the address to copy. */
static void
no_browser (RhApplication *self,
            const char    *url,
            const GError  *error)
{
  g_debug ("No browser could be opened: %s", error->message);
  if (rh_auth_get_signing_in (get_auth (self)))
    show_sign_in_dialog (self, url, TRUE);
}

static void
show_uri_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ShowUri *data = user_data;
  g_autoptr(GError) error = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
  G_GNUC_END_IGNORE_DEPRECATIONS
    no_browser (data->self, data->url, error);
  g_object_unref (data->self);
  g_free (data->url);
  g_free (data);
}

/* Opens an address of the hosted sign-in pages in the learner's browser.
 * Tests (there is no browser on a test machine) read it from stdout
 * instead, and open it in their own browser. */
static void
open_in_browser (RhApplication *self,
                 const char    *url)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("REHEARSE_AUTH_PRINT_URL"), "1") == 0)
    {
      g_print ("%s\n", url);
      fflush (stdout);
    }
  else if (parent != NULL)
    {
      ShowUri *data = g_new0 (ShowUri, 1);

      data->self = g_object_ref (self);
      data->url = g_strdup (url);
      /* the OpenURI portal in Flatpak */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_show_uri_full (parent, url, GDK_CURRENT_TIME, NULL, show_uri_done_cb, data);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
  else if (!g_app_info_launch_default_for_uri (url, NULL, &error))
    no_browser (self, url, error);
}

static void
begin_sign_in (RhApplication *self,
               RhAuthMode     mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  self->sign_in_cancelled = FALSE;
  if (!(url = rh_auth_begin_sign_in (get_auth (self), mode, &error)))
    {
      show_toast (self, error->message, NULL, NULL);
      return;
    }

  show_sign_in_dialog (self, url, FALSE);
  open_in_browser (self, url);
}

static void
bring_local_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RhApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rh_accounts_bring_local_finish (RH_ACCOUNTS (object), result, &error))
    show_toast (self, error->message, NULL, NULL);
  else
    show_toast (self, _("Your collection was copied into your account"), NULL, NULL);
  follow_account (self);
}

static void
bring_local_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         RhApplication    *self)
{
  g_autofree char *account = rh_accounts_dup_current_account (self->accounts);

  if (g_strcmp0 (response, "copy") == 0 && account != NULL)
    rh_accounts_bring_local_async (self->accounts, account, NULL, bring_local_done_cb,
                                   g_object_ref (self));
  else
    follow_account (self);
}

/* The first sign-in on this computer: the cards studied while signed out
 * may come along (a copy: the signed-out collection stays). */
static void
offer_bring_local (RhApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Bring Your Cards Along?"),
                                                       NULL));
  adw_message_dialog_set_body (dialog,
                               _("Copy the decks, cards and reviews on this computer into your "
                                 "account, to have them wherever you sign in. The collection you "
                                 "used while signed out stays as it is."));
  adw_message_dialog_add_responses (dialog,
                                    "empty", _("_Start Empty"),
                                    "copy", _("_Copy My Cards"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "copy", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "copy");
  adw_message_dialog_set_close_response (dialog, "empty");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (bring_local_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_finished_cb (RhAuth        *auth,
                     RhUser        *user,
                     const GError  *error,
                     RhApplication *self)
{
  gboolean cancelled = self->sign_in_cancelled;

  self->sign_in_cancelled = FALSE;
  close_sign_in_dialog (self);

  if (user == NULL)
    {
      /* the learner's own Cancel needs no word; a timeout or a failure does */
      if (!(cancelled && g_error_matches (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED)))
        show_toast (self, error ? error->message : _("Sign-in failed"), NULL, NULL);
      return;
    }

  {
    const RhEmail *email = rh_user_get_email (user);
    g_autofree char *message =
      g_strdup_printf (_("Signed in as %s"),
                       email ? rh_email_get_address (email) : rh_user_get_id (user));

    show_toast (self, message, NULL, NULL);
  }
  if (rh_accounts_can_bring_local (self->accounts, rh_user_get_id (user)))
    offer_bring_local (self);
  else
    follow_account (self);
  update_sync (self);
}

static void
signed_out_cb (RhAuth        *auth,
               const GError  *reason,
               RhApplication *self)
{
  if (reason != NULL)
    show_toast (self, reason->message, _("Sign _In"), "app.sign-in");
  else
    show_toast (self, _("Signed out"), NULL, NULL);
  update_sync (self);
  follow_account (self);
}

static void
restore_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RhApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RhUser) user = rh_accounts_restore_finish (RH_ACCOUNTS (object), result, &error);

  if (error != NULL)
    g_debug ("The account was not signed back in: %s", error->message);
  /* without its tokens, the account's collection is not shown */
  follow_account (self);
  update_sync (self);
}

static void
install_account_row (RhApplication *self,
                     GtkWindow     *window)
{
  GtkWidget *status;

  if (!rh_account_row_install (GTK_WIDGET (window), get_auth (self)))
    {
      g_debug ("This window has no main menu for the account");
      return;
    }
  status = rh_sync_status_new ();
  g_object_bind_property (self, "sync-engine", status, "engine", G_BINDING_SYNC_CREATE);
  rh_sync_status_install (GTK_WIDGET (window), RH_SYNC_STATUS (status));
}

static void
sign_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  begin_sign_in (RH_APPLICATION (user_data), RH_AUTH_MODE_SIGN_IN);
}

static void
sign_up_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  begin_sign_in (RH_APPLICATION (user_data), RH_AUTH_MODE_SIGN_UP);
}

static void
sign_in_google_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  begin_sign_in (RH_APPLICATION (user_data), RH_AUTH_MODE_GOOGLE);
}

static void
sign_out_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RhApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *logout_url = NULL;

  if (!rh_auth_sign_out_finish (RH_AUTH (object), result, &logout_url, &error))
    g_warning ("Signed out, but not everything was undone: %s", error->message);
  if (logout_url == NULL)
    return;

  /* the browser ends the hosted sign-in's session */
  open_in_browser (self, logout_url);
}

/* app.sign-out-now(b): signs out at once; TRUE also ends the hosted
 * sign-in's session in the browser */
static void
sign_out_now_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RhApplication *self = user_data;

  rh_auth_sign_out_async (get_auth (self), g_variant_get_boolean (parameter), NULL,
                          sign_out_done_cb, g_object_ref (self));
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RhApplication    *self)
{
  GtkCheckButton *browser = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));

  if (g_str_equal (response, "sign-out"))
    g_action_group_activate_action (G_ACTION_GROUP (self), "sign-out-now",
                                    g_variant_new_boolean (gtk_check_button_get_active (browser)));
}

/* app.sign-out: asks first, and whether to sign out in the browser too (on
 * a computer others use, the hosted sign-in would otherwise let the next
 * person straight in) */
static void
sign_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwMessageDialog *dialog;
  GtkWidget *browser;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Sign Out?"), NULL));
  adw_message_dialog_set_body (dialog,
                               _("This account’s cards stay on this computer and sync again "
                                 "when you sign back in."));
  browser = gtk_check_button_new_with_mnemonic (_("Also sign out in the _browser"));
  gtk_widget_set_halign (browser, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (dialog, browser);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("Sign _Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "sign-out");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
complete_sign_in_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(RhApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RhUser) user = rh_auth_complete_sign_in_finish (RH_AUTH (object), result, &error);

  /* an attempt in progress reports through ::sign-in-finished; a callback
   * without one (a stale browser tab, a restarted app) is said here */
  if (user == NULL && g_error_matches (error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH) &&
      !rh_auth_get_signing_in (RH_AUTH (object)))
    show_toast (self, error->message, NULL, NULL);
}

/* ---- actions ---- */

/* Restores a backup into the collection in view, and shows it anew. */
static void
restore_backup_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  RhApplication *self = user_data;
  SwitchJob *job;

  if (self->collection == NULL || self->switching)
    return;

  job = switch_job_new (self, g_strdup (self->collection_path));
  job->restore = g_variant_dup_string (parameter, NULL);
  start_switch (self, job, restore_backup_activated);
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RhApplication *self = user_data;

  if (self->sync_engine != NULL)
    rh_sync_engine_request_sync (self->sync_engine);
}

/* For the study page when a session ends: one sync for a burst of
 * sessions. */
static void
sync_soon_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RhApplication *self = user_data;

  if (self->sync_engine != NULL)
    rh_sync_engine_schedule_sync (self->sync_engine, SYNC_AFTER_STUDY_S);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RhApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing lets each window save its size and end the study session. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Rehearse developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Rehearse"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Rehearse developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Study flashcards with spaced repetition, fully offline."),
                        "developers", developers,
                        "copyright", _("© 2025 The Rehearse developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name, to be credited in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences = rh_preferences_window_new (parent, self->settings);

  gtk_window_present (preferences);
}

/* Built when asked for: GtkApplication would build a help overlay for
 * every window at startup. */
static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/rehearse/Rehearse/rh-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (window, parent);
  gtk_window_set_application (window, GTK_APPLICATION (self));
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_activated, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_activated, NULL, NULL, NULL, { 0 } },
  { "sign-in", sign_in_activated, NULL, NULL, NULL, { 0 } },
  { "sign-up", sign_up_activated, NULL, NULL, NULL, { 0 } },
  { "sign-in-google", sign_in_google_activated, NULL, NULL, NULL, { 0 } },
  { "sign-out", sign_out_activated, NULL, NULL, NULL, { 0 } },
  { "sign-out-now", sign_out_now_activated, "b", NULL, NULL, { 0 } },
  { "sync-now", sync_now_activated, NULL, NULL, NULL, { 0 } },
  { "restore-backup", restore_backup_activated, "s", NULL, NULL, { 0 } },
  { "sync-soon", sync_soon_activated, NULL, NULL, NULL, { 0 } },
};

static const struct
{
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  /* Ctrl+R is the scenario practice's "Try again" */
  { "app.sync-now", { "F5", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "window.add-card", { "<Control>n", NULL } },
  { "window.new-deck", { "<Control><Shift>n", NULL } },
  { "window.browse::", { "<Control>f", NULL } },
  { "window.statistics", { "<Control><Shift>s", NULL } },
  { "window.import", { "<Control>i", NULL } },
  { "window.export", { "<Control>e", NULL } },
};

/* ---- GApplication ---- */

static void
rh_application_startup (GApplication *application)
{
  RhApplication *self = RH_APPLICATION (application);

  probe_mark (self, "startup");
  /* Before GTK's startup, so that the two overlap. */
  self->settings = g_settings_new (BASE_ID);
  /* which account's collection to open: a small file, no keyring yet */
  self->accounts = rh_accounts_new (NULL, NULL);
  start_opening (self);

  G_APPLICATION_CLASS (rh_application_parent_class)->startup (application);
  probe_mark (self, "gtk-ready");

  g_set_application_name (_("Rehearse"));
  gtk_window_set_default_icon_name (APP_ID);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  apply_style (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  /* enabled while an account syncs */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "sync-now")),
                               FALSE);

  g_signal_connect_object (get_auth (self), "sign-in-finished",
                           G_CALLBACK (sign_in_finished_cb), self, 0);
  g_signal_connect_object (get_auth (self), "signed-out", G_CALLBACK (signed_out_cb), self, 0);
  /* the keyring answers on D-Bus: off the main loop */
  rh_accounts_restore_async (self->accounts, NULL, restore_done_cb, g_object_ref (self));
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action,
                                           app_accels[i].accels);
}

static void
open_failed_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         RhApplication    *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_open_error (RhApplication *self,
                 const GError  *error)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Cannot Open the Collection"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” could not be opened: %s"),
                                  self->collection_path, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (open_failed_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rh_application_activate (GApplication *application)
{
  RhApplication *self = RH_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDecksSnapshot) snapshot = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  probe_mark (self, "activate");
  snapshot = finish_opening (self, &error);
  probe_mark (self, "decks-read");
  if (self->collection == NULL)
    {
      if (error != NULL)
        show_open_error (self, error);
      return;
    }

  window = GTK_WINDOW (rh_window_new_with_decks (GTK_APPLICATION (self), self->collection,
                                                 self->collection_path, snapshot));
  probe_mark (self, "window-built");
  install_account_row (self, window);
  update_sync (self);

  if (self->probe)
    g_signal_connect (window, "map", G_CALLBACK (probe_window_map_cb), self);
  else if (self->backup_source == 0 && self->backup_thread == NULL)
    self->backup_source = g_timeout_add_seconds (BACKUP_DELAY_S, start_backup_cb, self);

  gtk_window_present (window);
  probe_mark (self, "presented");
}

/* `rehearse URI`: the desktop hands over the sign-in redirect (the app's
 * URI scheme); GApplication brings it to the instance that began the
 * sign-in. */
static void
rh_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  RhApplication *self = RH_APPLICATION (application);

  g_application_activate (application);
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      if (self->accounts != NULL && rh_auth_is_callback_uri (get_auth (self), uri))
        rh_auth_complete_sign_in_async (get_auth (self), uri, NULL, complete_sign_in_done_cb,
                                        g_object_ref (self));
      else
        g_debug ("Not an address Rehearse opens (%s:)",
                 g_uri_peek_scheme (uri) ? g_uri_peek_scheme (uri) : "?");
    }
}

static void
rh_application_shutdown (GApplication *application)
{
  RhApplication *self = RH_APPLICATION (application);

  if (self->accounts != NULL)
    {
      g_signal_handlers_disconnect_by_data (get_auth (self), self);
      rh_auth_cancel_sign_in (get_auth (self));
    }
  g_clear_handle_id (&self->backup_source, g_source_remove);
  drop_sync_engine (self);
  if (self->open_thread != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RhDecksSnapshot) snapshot = finish_opening (self, &error);
    }
  /* A half-written backup would count as today's: let it finish. */
  if (self->backup_thread != NULL)
    g_thread_join (g_steal_pointer (&self->backup_thread));

  G_APPLICATION_CLASS (rh_application_parent_class)->shutdown (application);
}

static void
rh_application_finalize (GObject *object)
{
  RhApplication *self = RH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->collection);
  g_clear_pointer (&self->collection_path, g_free);
  g_clear_object (&self->sync_engine);
  g_clear_pointer (&self->sync_path, g_free);

  G_OBJECT_CLASS (rh_application_parent_class)->finalize (object);
}

static void
rh_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RhApplication *self = RH_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync_engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_application_class_init (RhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rh_application_finalize;
  object_class->get_property = rh_application_get_property;

  /**
   * RhApplication:sync-engine: (nullable)
   *
   * The signed-in account's sync engine (what the sync status shows).
   */
  properties [PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL, RH_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->startup = rh_application_startup;
  app_class->activate = rh_application_activate;
  app_class->open = rh_application_open;
  app_class->shutdown = rh_application_shutdown;
}

static void
rh_application_init (RhApplication *self)
{
  self->probe = g_strcmp0 (g_getenv ("REHEARSE_STARTUP_PROBE"), "1") == 0;
}
