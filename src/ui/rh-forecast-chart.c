// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rh-forecast-chart.h"
#include "rh-heatmap.h"

#define MAX_DAYS       60
#define AXIS_GAP       6
#define MIN_BAR_PITCH  5
#define NAT_BAR_PITCH  22
#define PLOT_HEIGHT    120

struct _RhForecastChart
{
  GtkWidget  parent_instance;

  guint      counts[MAX_DAYS];
  guint      n_days;
  gint64     today_us;
  char      *description;
};

G_DEFINE_FINAL_TYPE (RhForecastChart, rh_forecast_chart, GTK_TYPE_WIDGET)

typedef struct
{
  int   plot_x;
  int   plot_y;
  int   plot_width;
  int   plot_height;
  float pitch;
  guint axis_max;
  int   label_height;
} Layout;

static PangoLayout *
create_small_layout (GtkWidget  *widget,
                     const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* The top of the axis: 1, 2 or 5 times a power of ten. */
static guint
nice_maximum (guint value)
{
  guint step = 1;

  if (value <= 4)
    return 4;
  for (;;)
    {
      if (value <= step)
        return step;
      if (value <= 2 * step)
        return 2 * step;
      if (value <= 5 * step)
        return 5 * step;
      if (step > G_MAXUINT / 10)
        return value;
      step *= 10;
    }
}

static GDateTime *
day_at (RhForecastChart *self,
        guint            index)
{
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (self->today_us / G_USEC_PER_SEC);

  return today ? g_date_time_add_days (today, (int) index) : NULL;
}

/* "today", "tomorrow" or a date. */
static char *
format_day (RhForecastChart *self,
            guint            index,
            gboolean         capital)
{
  g_autoptr(GDateTime) day = NULL;

  if (index == 0)
    return g_strdup (capital ? C_("forecast", "Today") : C_("forecast", "today"));
  if (index == 1)
    return g_strdup (capital ? C_("forecast", "Tomorrow") : C_("forecast", "tomorrow"));
  if (!(day = day_at (self, index)))
    return g_strdup ("");
  /* Translators: a day in the forecast, see g_date_time_format()
   * xgettext:no-c-format */
  return g_date_time_format (day, C_("forecast day", "%-d %b"));
}

static void
compute_layout (RhForecastChart *self,
                int              width,
                int              height,
                Layout          *out)
{
  g_autofree char *max_text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  guint max = 0;
  int w, h;

  for (guint i = 0; i < self->n_days; i++)
    max = MAX (max, self->counts[i]);
  out->axis_max = nice_maximum (max);

  max_text = _rh_chart_format_count (out->axis_max);
  layout = create_small_layout (GTK_WIDGET (self), max_text);
  pango_layout_get_pixel_size (layout, &w, &h);

  out->label_height = h;
  out->plot_x = w + AXIS_GAP;
  out->plot_y = h / 2;
  out->plot_width = MAX (1, width - out->plot_x);
  out->plot_height = MAX (1, height - out->plot_y - h - AXIS_GAP);
  out->pitch = (float) out->plot_width / MAX (self->n_days, 1);
}

static void
rh_forecast_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  RhForecastChart *self = RH_FORECAST_CHART (widget);
  Layout l;

  compute_layout (self, 0, 0, &l);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = l.plot_x + (int) MAX (self->n_days, 7) * MIN_BAR_PITCH;
      *natural = l.plot_x + (int) MAX (self->n_days, 7) * NAT_BAR_PITCH;
    }
  else
    {
      /* Scrolled pages give their content its minimum height: ask for
       * the full height there. */
      *minimum = *natural = l.label_height + AXIS_GAP + PLOT_HEIGHT + l.label_height / 2;
    }
}

static void
append_label (GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              float          x,
              float          y,
              const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
rh_forecast_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  RhForecastChart *self = RH_FORECAST_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA accent, foreground, dim, grid;
  float last_label_end = -1000;
  Layout l;

  _rh_chart_get_colors (widget, &accent, &foreground);
  dim = foreground;
  dim.alpha *= 0.6f;
  grid = foreground;
  grid.alpha *= adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.15f : 0.12f;
  compute_layout (self, width, height, &l);

  /* horizontal grid lines with their values: 0, half, top */
  for (guint t = 0; t <= 2; t++)
    {
      guint value = l.axis_max * t / 2;
      float y = l.plot_y + l.plot_height - (float) l.plot_height * t / 2;
      g_autofree char *text = _rh_chart_format_count (value);
      g_autoptr(PangoLayout) layout = create_small_layout (widget, text);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_label (snapshot, layout, l.plot_x - AXIS_GAP - w, y - h / 2.0f, &dim);
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (l.plot_x, y - 0.5f, l.plot_width, 1));
    }

  for (guint i = 0; i < self->n_days; i++)
    {
      float bar_width = MAX (2.0f, l.pitch * 0.7f);
      float x = l.plot_x + i * l.pitch + (l.pitch - bar_width) / 2;
      float bar_height = (float) l.plot_height * self->counts[i] / l.axis_max;

      if (self->counts[i] > 0)
        {
          GskRoundedRect rect;
          graphene_rect_t bounds;
          float radius = MIN (3.0f, bar_width / 3);

          /* a day with few cards still shows a sliver */
          bar_height = MAX (bar_height, 2.0f);
          bounds = GRAPHENE_RECT_INIT (x, l.plot_y + l.plot_height - bar_height,
                                       bar_width, bar_height);
          gsk_rounded_rect_init (&rect, &bounds,
                                 &GRAPHENE_SIZE_INIT (radius, radius),
                                 &GRAPHENE_SIZE_INIT (radius, radius),
                                 &GRAPHENE_SIZE_INIT (0, 0),
                                 &GRAPHENE_SIZE_INIT (0, 0));
          gtk_snapshot_push_rounded_clip (snapshot, &rect);
          gtk_snapshot_append_color (snapshot, &accent, &bounds);
          gtk_snapshot_pop (snapshot);
        }

      /* day labels under today and then weekly, where they fit */
      if (i % 7 == 0)
        {
          g_autofree char *text = format_day (self, i, TRUE);
          g_autoptr(PangoLayout) layout = create_small_layout (widget, text);
          int w, h;
          float lx;

          pango_layout_get_pixel_size (layout, &w, &h);
          lx = CLAMP (x + bar_width / 2 - w / 2.0f, l.plot_x, width - w);
          if (lx > last_label_end + 8)
            {
              append_label (snapshot, layout, lx, l.plot_y + l.plot_height + AXIS_GAP, &dim);
              last_label_end = lx + w;
            }
        }
    }
}

static gboolean
rh_forecast_chart_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_tooltip,
                                 GtkTooltip *tooltip)
{
  RhForecastChart *self = RH_FORECAST_CHART (widget);
  g_autofree char *day = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  GdkRectangle area;
  Layout l;
  int index;

  if (self->n_days == 0 || keyboard_tooltip)
    return FALSE;

  compute_layout (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), &l);
  if (x < l.plot_x || y < l.plot_y || y > l.plot_y + l.plot_height)
    return FALSE;
  index = (int) ((x - l.plot_x) / l.pitch);
  if (index < 0 || index >= (int) self->n_days)
    return FALSE;

  day = format_day (self, index, TRUE);
  count = _rh_chart_format_count (self->counts[index]);
  /* Translators: "Tomorrow: 30 cards due" */
  text = g_strdup_printf (ngettext ("%s: %s card due", "%s: %s cards due",
                                    self->counts[index]),
                          day, count);
  gtk_tooltip_set_text (tooltip, text);

  area.x = l.plot_x + (int) (index * l.pitch);
  area.y = l.plot_y;
  area.width = MAX (1, (int) l.pitch);
  area.height = l.plot_height;
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static void
update_description (RhForecastChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint total = 0;

  for (guint i = 0; i < self->n_days; i++)
    total += self->counts[i];

  if (total == 0)
    g_string_append (text, _("No cards are due in the next 30 days"));
  else
    {
      gboolean first = TRUE;

      g_string_append (text, _("Due in the next 30 days:"));
      for (guint i = 0; i < self->n_days; i++)
        {
          g_autofree char *day = NULL;
          g_autofree char *count = NULL;

          if (self->counts[i] == 0)
            continue;
          day = format_day (self, i, FALSE);
          count = _rh_chart_format_count (self->counts[i]);
          g_string_append (text, first ? " " : ", ");
          /* Translators: one day of the forecast for screen readers: "tomorrow 30" */
          g_string_append_printf (text, C_("forecast day count", "%s %s"), day, count);
          first = FALSE;
        }
    }

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static void
rh_forecast_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rh_forecast_chart_parent_class)->css_changed (widget, change);

  gtk_widget_queue_resize (widget);
}

static void
dark_changed_cb (RhForecastChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rh_forecast_chart_finalize (GObject *object)
{
  RhForecastChart *self = RH_FORECAST_CHART (object);

  g_free (self->description);

  G_OBJECT_CLASS (rh_forecast_chart_parent_class)->finalize (object);
}

static void
rh_forecast_chart_class_init (RhForecastChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rh_forecast_chart_finalize;

  widget_class->measure = rh_forecast_chart_measure;
  widget_class->snapshot = rh_forecast_chart_snapshot;
  widget_class->query_tooltip = rh_forecast_chart_query_tooltip;
  widget_class->css_changed = rh_forecast_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "forecastchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rh_forecast_chart_init (RhForecastChart *self)
{
  self->n_days = 30;
  self->today_us = g_get_real_time ();

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cards due per day in the next 30 days"),
                                  -1);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_description (self);
}

/**
 * rh_forecast_chart_new:
 *
 * A bar chart of the cards that fall due each day, starting today.
 *
 * Returns: (transfer floating): the chart
 */
GtkWidget *
rh_forecast_chart_new (void)
{
  return g_object_new (RH_TYPE_FORECAST_CHART, NULL);
}

/**
 * rh_forecast_chart_set_data:
 * @counts: (array length=n_days): cards due each day, today first
 * @n_days: how many days, at most 60
 * @today_us: a time in the first day, UTC microseconds, for the dates
 *
 * Shows these counts and tells them to screen readers.
 */
void
rh_forecast_chart_set_data (RhForecastChart *self,
                            const guint     *counts,
                            guint            n_days,
                            gint64           today_us)
{
  g_return_if_fail (RH_IS_FORECAST_CHART (self));
  g_return_if_fail (counts != NULL || n_days == 0);

  self->n_days = MIN (n_days, MAX_DAYS);
  memset (self->counts, 0, sizeof self->counts);
  if (self->n_days > 0)
    memcpy (self->counts, counts, self->n_days * sizeof (guint));
  self->today_us = today_us;

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * rh_forecast_chart_get_description:
 *
 * Returns: what the chart says to a screen reader, e.g. "Due in the next
 *   30 days: today 12, tomorrow 30, …"
 */
const char *
rh_forecast_chart_get_description (RhForecastChart *self)
{
  g_return_val_if_fail (RH_IS_FORECAST_CHART (self), NULL);
  return self->description;
}
