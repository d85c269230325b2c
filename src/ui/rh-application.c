// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rh-application.h"
#include "rh-backups.h"
#include "rh-composition.h"
#include "rh-decks-page.h"
#include "rh-preferences-window.h"
#include "rh-window.h"

/* Backups wait until the window is up: they are a file copy, and the
 * learner should see the decks first. */
#define BACKUP_DELAY_S 2

typedef struct _OpenJob OpenJob;

struct _RhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  RhCollection   *collection;
  char           *collection_path;
  gint64          process_start_us;
  GThread        *open_thread;
  OpenJob        *open_job;
  GThread        *backup_thread;
  guint           backup_source;
  gboolean        probe;
};

G_DEFINE_FINAL_TYPE (RhApplication, rh_application, ADW_TYPE_APPLICATION)

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
                                      "flags", G_APPLICATION_DEFAULT_FLAGS,
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

  if (!(job->collection = rh_composition_open (job->path, TRUE, &job->error)))
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
  OpenJob *job = g_new0 (OpenJob, 1);

  self->collection_path = rh_composition_default_path ();
  job->path = g_strdup (self->collection_path);
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

static void
probe_after_paint_cb (GdkFrameClock *clock,
                      RhApplication *self)
{
  gint64 elapsed = g_get_monotonic_time () - self->process_start_us;

  g_signal_handlers_disconnect_by_func (clock, probe_after_paint_cb, self);
  g_print ("first-frame-ms %" G_GINT64_FORMAT "\n", elapsed / 1000);
  fflush (stdout);
  g_application_quit (G_APPLICATION (self));
}

static void
probe_window_map_cb (GtkWidget     *window,
                     RhApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, probe_window_map_cb, self);
  g_signal_connect (clock, "after-paint", G_CALLBACK (probe_after_paint_cb), self);
}

/* ---- actions ---- */

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
                        "application-icon", BASE_ID,
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
};

static const struct
{
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
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

  /* Before GTK's startup, so that the two overlap. */
  self->settings = g_settings_new (BASE_ID);
  start_opening (self);

  G_APPLICATION_CLASS (rh_application_parent_class)->startup (application);

  g_set_application_name (_("Rehearse"));
  gtk_window_set_default_icon_name (BASE_ID);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  apply_style (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
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

  snapshot = finish_opening (self, &error);
  if (self->collection == NULL)
    {
      if (error != NULL)
        show_open_error (self, error);
      return;
    }

  window = GTK_WINDOW (rh_window_new_with_decks (GTK_APPLICATION (self), self->collection,
                                                 self->collection_path, snapshot));

  if (self->probe)
    g_signal_connect (window, "map", G_CALLBACK (probe_window_map_cb), self);
  else if (self->backup_source == 0 && self->backup_thread == NULL)
    self->backup_source = g_timeout_add_seconds (BACKUP_DELAY_S, start_backup_cb, self);

  gtk_window_present (window);
}

static void
rh_application_shutdown (GApplication *application)
{
  RhApplication *self = RH_APPLICATION (application);

  g_clear_handle_id (&self->backup_source, g_source_remove);
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
  g_clear_object (&self->collection);
  g_clear_pointer (&self->collection_path, g_free);

  G_OBJECT_CLASS (rh_application_parent_class)->finalize (object);
}

static void
rh_application_class_init (RhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rh_application_finalize;

  app_class->startup = rh_application_startup;
  app_class->activate = rh_application_activate;
  app_class->shutdown = rh_application_shutdown;
}

static void
rh_application_init (RhApplication *self)
{
  self->probe = g_strcmp0 (g_getenv ("REHEARSE_STARTUP_PROBE"), "1") == 0;
}
