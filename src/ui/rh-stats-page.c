// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rh-composition.h"
#include "rh-forecast-chart.h"
#include "rh-heatmap.h"
#include "rh-stats-page.h"
#include "rh-time.h"

struct _RhStatsPage
{
  AdwBin           parent_instance;

  RhCollection    *collection;
  char            *collection_path;
  GCancellable    *cancellable;
  gboolean         loading;
  gboolean         reload_again;
  gboolean         loaded_once;

  /* template */
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  GtkLabel        *reviews_today_label;
  GtkLabel        *time_today_label;
  GtkLabel        *due_today_label;
  AdwActionRow    *retention_7_row;
  AdwActionRow    *retention_30_row;
  AdwActionRow    *retention_365_row;
  GtkLabel        *retention_7_label;
  GtkLabel        *retention_30_label;
  GtkLabel        *retention_365_label;
  GtkLabel        *streak_label;
  GtkLabel        *time_studied_label;
  RhHeatmap       *heatmap;
  RhForecastChart *forecast;
};

G_DEFINE_FINAL_TYPE (RhStatsPage, rh_stats_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_COLLECTION_PATH,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* What a worker needs to compute the figures exactly as the page's own
 * collection would: the same file, settings and moment. */
typedef struct
{
  char            *path;
  RhStudySettings  settings;
  gint64           now_us;
  RhStats          stats;
} StatsJob;

static void
stats_job_free (StatsJob *job)
{
  g_free (job->path);
  g_free (job);
}

static gint64
job_clock (gpointer user_data)
{
  const StatsJob *job = user_data;

  return job->now_us;
}

static char *
format_duration (gint64 ms)
{
  gint64 minutes = ms / 60000;

  if (ms <= 0)
    return g_strdup (C_("duration", "0 min"));
  if (minutes < 1)
    return g_strdup (C_("duration", "< 1 min"));
  if (minutes < 60)
    /* Translators: a duration in minutes */
    return g_strdup_printf (C_("duration", "%d min"), (int) minutes);
  if (minutes % 60 == 0)
    /* Translators: a duration in whole hours */
    return g_strdup_printf (C_("duration", "%d h"), (int) (minutes / 60));
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (C_("duration", "%d h %d min"), (int) (minutes / 60),
                          (int) (minutes % 60));
}

static void
show_retention (AdwActionRow *row,
                GtkLabel     *label,
                double        retention,
                guint         n_reviews)
{
  g_autofree char *value = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *count = NULL;

  if (isnan (retention) || n_reviews == 0)
    {
      gtk_label_set_label (label, "—");
      adw_action_row_set_subtitle (row, _("No reviews of learned cards"));
      return;
    }

  /* Translators: a retention percentage */
  value = g_strdup_printf (_("%.0f%%"), retention * 100);
  count = _rh_chart_format_count (n_reviews);
  subtitle = g_strdup_printf (ngettext ("%s review", "%s reviews", n_reviews), count);
  gtk_label_set_label (label, value);
  adw_action_row_set_subtitle (row, subtitle);
}

static void
show_stats (RhStatsPage   *self,
            const RhStats *stats)
{
  g_autofree char *reviews = _rh_chart_format_count (stats->reviews_today);
  g_autofree char *due = _rh_chart_format_count (stats->due_today);
  g_autofree char *time_today = format_duration (stats->studied_today_ms);
  g_autofree char *time_total = format_duration (stats->time_studied_ms);
  g_autofree char *streak = NULL;

  gtk_label_set_label (self->reviews_today_label, reviews);
  gtk_label_set_label (self->time_today_label, time_today);
  gtk_label_set_label (self->due_today_label, due);

  show_retention (self->retention_7_row, self->retention_7_label,
                  stats->retention_7, stats->retention_n_7);
  show_retention (self->retention_30_row, self->retention_30_label,
                  stats->retention_30, stats->retention_n_30);
  show_retention (self->retention_365_row, self->retention_365_label,
                  stats->retention_365, stats->retention_n_365);

  streak = g_strdup_printf (ngettext ("%u day", "%u days", stats->streak_days),
                            stats->streak_days);
  gtk_label_set_label (self->streak_label, streak);
  gtk_label_set_label (self->time_studied_label, time_total);

  rh_heatmap_set_data (self->heatmap, stats->per_day, G_N_ELEMENTS (stats->per_day),
                       stats->first_day_us);
  rh_forecast_chart_set_data (self->forecast, stats->forecast, G_N_ELEMENTS (stats->forecast),
                              stats->first_day_us + 364 * RH_USEC_PER_DAY);

  gtk_stack_set_visible_child_name (self->stack, "stats");
}

static void
show_error (RhStatsPage  *self,
            const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
set_loading (RhStatsPage *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
load_stats_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StatsJob *job = task_data;
  g_autoptr(RhCollection) collection = NULL;
  GError *error = NULL;

  /* SQLite connections stay on their thread: this one is the worker's. */
  if (!(collection = rh_composition_open (job->path, FALSE, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  rh_collection_set_clock (collection, job_clock, job);
  if (!rh_collection_set_study_settings (collection, &job->settings, &error) ||
      !rh_collection_stats (collection, &job->stats, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void start_loading (RhStatsPage *self);

static void
load_stats_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RhStatsPage *self = RH_STATS_PAGE (object);
  StatsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* The page went away while the worker ran. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot compute statistics: %s", error->message);
      show_error (self, error);
    }
  else
    show_stats (self, &job->stats);

  self->loaded_once = TRUE;
  set_loading (self, FALSE);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      start_loading (self);
    }
}

static void
start_loading (RhStatsPage *self)
{
  g_autoptr(GTask) task = NULL;
  StatsJob *job;

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }

  if (!self->loaded_once)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);

  if (self->collection_path == NULL)
    {
      /* Without a file to open on another thread (an in-memory
       * collection), the page's own collection computes the figures. */
      g_autoptr(GError) error = NULL;
      RhStats stats;

      if (rh_collection_stats (self->collection, &stats, &error))
        show_stats (self, &stats);
      else
        show_error (self, error);
      self->loaded_once = TRUE;
      set_loading (self, FALSE);
      return;
    }

  job = g_new0 (StatsJob, 1);
  job->path = g_strdup (self->collection_path);
  job->settings = *rh_collection_get_study_settings (self->collection);
  job->now_us = rh_collection_now (self->collection);

  task = g_task_new (self, self->cancellable, load_stats_cb, NULL);
  g_task_set_source_tag (task, start_loading);
  g_task_set_task_data (task, job, (GDestroyNotify) stats_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_stats_thread);
}

static void
rh_stats_page_map (GtkWidget *widget)
{
  RhStatsPage *self = RH_STATS_PAGE (widget);

  GTK_WIDGET_CLASS (rh_stats_page_parent_class)->map (widget);

  /* The figures change with every answer: read them each time the page
   * is shown, in the background. */
  start_loading (self);
}

static void
rh_stats_page_dispose (GObject *object)
{
  RhStatsPage *self = RH_STATS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin 1.2 unparents its child itself: hand it over first, or the
   * template would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_STATS_PAGE);

  G_OBJECT_CLASS (rh_stats_page_parent_class)->dispose (object);
}

static void
rh_stats_page_finalize (GObject *object)
{
  RhStatsPage *self = RH_STATS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->collection);
  g_free (self->collection_path);

  G_OBJECT_CLASS (rh_stats_page_parent_class)->finalize (object);
}

static void
rh_stats_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RhStatsPage *self = RH_STATS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;
    case PROP_COLLECTION_PATH:
      g_value_set_string (value, self->collection_path);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_stats_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RhStatsPage *self = RH_STATS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;
    case PROP_COLLECTION_PATH:
      rh_stats_page_set_collection_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_stats_page_class_init (RhStatsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_stats_page_dispose;
  object_class->finalize = rh_stats_page_finalize;
  object_class->get_property = rh_stats_page_get_property;
  object_class->set_property = rh_stats_page_set_property;

  widget_class->map = rh_stats_page_map;

  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * RhStatsPage:collection-path:
   *
   * The collection's file. With it the figures are computed on a worker
   * thread that opens its own connection; without it (an in-memory
   * collection) on the main thread.
   */
  properties[PROP_COLLECTION_PATH] =
    g_param_spec_string ("collection-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RH_TYPE_HEATMAP);
  g_type_ensure (RH_TYPE_FORECAST_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-stats-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, reviews_today_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, time_today_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, due_today_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_7_row);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_30_row);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_365_row);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_7_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_30_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, retention_365_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, streak_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, time_studied_label);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, heatmap);
  gtk_widget_class_bind_template_child (widget_class, RhStatsPage, forecast);
}

static void
rh_stats_page_init (RhStatsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

/**
 * rh_stats_page_new:
 * @collection: the collection to describe
 *
 * The statistics page: today's work, true retention, streak, a heatmap of
 * the last year's reviews and a forecast of the next 30 days. The figures
 * are read each time the page is shown; call
 * rh_stats_page_set_collection_path() so that happens off the main thread.
 *
 * Returns: (transfer floating): the page
 */
GtkWidget *
rh_stats_page_new (RhCollection *collection)
{
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_STATS_PAGE,
                       "collection", collection,
                       NULL);
}

/**
 * rh_stats_page_set_collection_path:
 * @path: (nullable): the file @collection was opened from, or %NULL
 *
 * Lets the page compute its figures on a worker thread with its own
 * connection to @path.
 */
void
rh_stats_page_set_collection_path (RhStatsPage *self,
                                   const char  *path)
{
  g_return_if_fail (RH_IS_STATS_PAGE (self));

  if (g_strcmp0 (path, ":memory:") == 0)
    path = NULL;
  if (g_strcmp0 (self->collection_path, path) == 0)
    return;
  g_free (self->collection_path);
  self->collection_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLECTION_PATH]);
}

/**
 * rh_stats_page_reload:
 *
 * Reads the figures again, in the background; the page keeps showing the
 * previous ones until the new ones are in.
 */
void
rh_stats_page_reload (RhStatsPage *self)
{
  g_return_if_fail (RH_IS_STATS_PAGE (self));

  start_loading (self);
}

/**
 * rh_stats_page_get_loading:
 *
 * Returns: whether the figures are being read
 */
gboolean
rh_stats_page_get_loading (RhStatsPage *self)
{
  g_return_val_if_fail (RH_IS_STATS_PAGE (self), FALSE);
  return self->loading;
}

/**
 * _rh_stats_page_get_heatmap:
 *
 * Returns: (transfer none): the review heatmap
 */
GtkWidget *
_rh_stats_page_get_heatmap (RhStatsPage *self)
{
  g_return_val_if_fail (RH_IS_STATS_PAGE (self), NULL);
  return GTK_WIDGET (self->heatmap);
}

/**
 * _rh_stats_page_get_forecast:
 *
 * Returns: (transfer none): the forecast chart
 */
GtkWidget *
_rh_stats_page_get_forecast (RhStatsPage *self)
{
  g_return_val_if_fail (RH_IS_STATS_PAGE (self), NULL);
  return GTK_WIDGET (self->forecast);
}
