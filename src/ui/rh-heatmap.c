// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rh-heatmap.h"

#define N_ROWS       7
#define MAX_COLUMNS  54
#define MIN_PITCH    6
#define MAX_PITCH    18
#define LABEL_GAP    6
#define N_LEVELS     (_RH_HEATMAP_N_COLORS - 1)

struct _RhHeatmap
{
  GtkWidget  parent_instance;

  guint     *per_day;
  guint      n_days;
  gint64     first_day_us;
  /* weekday of the first day, 0 = Monday: the row it is drawn in */
  guint      first_row;
  guint      max_count;
  char      *description;
};

G_DEFINE_FINAL_TYPE (RhHeatmap, rh_heatmap, GTK_TYPE_WIDGET)

/**
 * _rh_chart_get_colors:
 * @out_accent: (out): the fill for data
 * @out_foreground: (out): the text colour
 *
 * The colours charts draw with, from the current style, so they follow
 * light and dark style and the accent colour.
 */
void
_rh_chart_get_colors (GtkWidget *widget,
                      GdkRGBA   *out_accent,
                      GdkRGBA   *out_foreground)
{
  gboolean found = FALSE;

#if ADW_CHECK_VERSION (1, 6, 0)
  {
    GdkRGBA *accent = adw_style_manager_get_accent_color_rgba (adw_style_manager_get_default ());

    *out_accent = *accent;
    gdk_rgba_free (accent);
    found = TRUE;
  }
#endif

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, out_foreground);
#endif

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkStyleContext *context = gtk_widget_get_style_context (widget);

    if (!found)
      found = gtk_style_context_lookup_color (context, "accent_bg_color", out_accent);
#if !GTK_CHECK_VERSION (4, 10, 0)
    gtk_style_context_get_color (context, out_foreground);
#endif
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (!found)
    gdk_rgba_parse (out_accent, "#3584e4");
}

/**
 * _rh_chart_format_count:
 *
 * Returns: (transfer full): @count with the locale's thousands separator
 */
char *
_rh_chart_format_count (guint count)
{
  return g_strdup_printf ("%'u", count);
}

static PangoLayout *
create_small_layout (GtkWidget  *widget,
                     const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
get_label_size (GtkWidget *widget,
                int       *out_width,
                int       *out_height)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w = 0, h = 0;
  g_autoptr(GDateTime) monday = g_date_time_new_local (2024, 1, 1, 12, 0, 0);

  /* The widest weekday label decides the left margin. */
  *out_width = 0;
  for (int d = 0; d < 7; d += 2)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, d);
      g_autofree char *name = g_date_time_format (day, "%a");

      g_clear_object (&layout);
      layout = create_small_layout (widget, name);
      pango_layout_get_pixel_size (layout, &w, &h);
      *out_width = MAX (*out_width, w);
    }
  *out_height = h;
}

static guint
n_columns (RhHeatmap *self)
{
  if (self->n_days == 0)
    return 53;
  return (self->first_row + self->n_days - 1) / N_ROWS + 1;
}

typedef struct
{
  int left;
  int top;
  int pitch;
  int cell;
  int label_height;
} Layout;

static void
compute_layout (RhHeatmap *self,
                int        width,
                Layout    *out)
{
  int label_width, label_height;
  int columns = (int) n_columns (self);

  get_label_size (GTK_WIDGET (self), &label_width, &label_height);
  out->label_height = label_height;
  out->pitch = CLAMP ((width - label_width - LABEL_GAP) / columns, MIN_PITCH, MAX_PITCH);
  out->cell = out->pitch - (out->pitch >= 10 ? 3 : 1);
  out->top = label_height + 4;
  /* Centre the grid when it is at its largest. */
  out->left = label_width + LABEL_GAP;
  out->left += MAX (0, (width - out->left - columns * out->pitch) / 2);
}

static int
legend_height (int label_height,
               int cell)
{
  return MAX (label_height, cell) + 10;
}

static void
rh_heatmap_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  RhHeatmap *self = RH_HEATMAP (widget);
  int label_width, label_height;
  int columns = (int) n_columns (self);

  get_label_size (widget, &label_width, &label_height);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = label_width + LABEL_GAP + columns * MIN_PITCH;
      *natural = label_width + LABEL_GAP + columns * MAX_PITCH;
    }
  else
    {
      Layout layout;

      compute_layout (self, for_size < 0 ? label_width + LABEL_GAP + columns * MAX_PITCH
                                         : for_size, &layout);
      *minimum = *natural = layout.top + N_ROWS * layout.pitch +
                            legend_height (label_height, layout.cell);
    }
}

static GtkSizeRequestMode
rh_heatmap_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mix_colors (const GdkRGBA *from,
            const GdkRGBA *to,
            float          amount,
            GdkRGBA       *out)
{
  out->red = from->red + amount * (to->red - from->red);
  out->green = from->green + amount * (to->green - from->green);
  out->blue = from->blue + amount * (to->blue - from->blue);
  out->alpha = from->alpha + amount * (to->alpha - from->alpha);
}

/**
 * _rh_heatmap_get_level_colors:
 * @out_colors: (out caller-allocates) (array fixed-size=5): the colour
 *   of a day without reviews, then of each level from the fewest reviews
 *   to the most
 *
 * The colours come from the current style, light or dark, and its accent.
 */
void
_rh_heatmap_get_level_colors (RhHeatmap *self,
                              GdkRGBA   *out_colors)
{
  /* From the accent's fill to the standalone accent (the one text uses:
   * darker in light style, lighter in dark style), each level a step
   * more opaque: about even steps of lightness away from an empty day in
   * both styles. The fill alone sank into the grey of the empty days on
   * a dark card; there the first level also needs a bigger step. */
  static const float light_alphas[N_LEVELS + 1] = { 0, 0.45f, 0.65f, 0.83f, 1.0f };
  static const float dark_alphas[N_LEVELS + 1] = { 0, 0.55f, 0.73f, 0.87f, 1.0f };
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);
  const float *alphas = dark ? dark_alphas : light_alphas;
  GdkRGBA accent, foreground, strong;
  gboolean found = FALSE;

  g_return_if_fail (RH_IS_HEATMAP (self));

  _rh_chart_get_colors (GTK_WIDGET (self), &accent, &foreground);

#if ADW_CHECK_VERSION (1, 6, 0)
  adw_accent_color_to_standalone_rgba (adw_style_manager_get_accent_color (manager), dark,
                                       &strong);
  found = TRUE;
#else
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  found = gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                          "accent_color", &strong);
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif

  /* a style without one: the fill, a step towards the text colour */
  if (!found)
    mix_colors (&accent, &foreground, 0.3f, &strong);

  /* An empty day is a faint square that still shows the grid. */
  out_colors[0] = foreground;
  out_colors[0].alpha = 0.08f;
  for (guint level = 1; level <= N_LEVELS; level++)
    {
      float t = (float) (level - 1) / (N_LEVELS - 1);

      mix_colors (&accent, &strong, t, &out_colors[level]);
      out_colors[level].alpha *= alphas[level];
    }
}

static guint
count_level (RhHeatmap *self,
             guint      count)
{
  if (count == 0 || self->max_count == 0)
    return 0;
  return MAX (1, (count * N_LEVELS + self->max_count - 1) / self->max_count);
}

static void
append_cell (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          size,
             const GdkRGBA *color)
{
  GskRoundedRect rect;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (x, y, size, size);

  gsk_rounded_rect_init_from_rect (&rect, &bounds, size > 8 ? 2.5f : 1.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, color, &bounds);
  gtk_snapshot_pop (snapshot);
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
rh_heatmap_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  RhHeatmap *self = RH_HEATMAP (widget);
  int width = gtk_widget_get_width (widget);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) monday = g_date_time_new_local (2024, 1, 1, 12, 0, 0);
  GdkRGBA levels[_RH_HEATMAP_N_COLORS];
  GdkRGBA accent, foreground, dim;
  Layout l;
  int last_month_x = -1000;
  int legend_y, x;

  _rh_chart_get_colors (widget, &accent, &foreground);
  _rh_heatmap_get_level_colors (self, levels);
  dim = foreground;
  dim.alpha *= 0.6f;
  compute_layout (self, width, &l);

  /* weekday names on every other row, or every third when rows are
   * too low for that */
  for (int d = 0; d < N_ROWS; d += 2 * l.pitch >= l.label_height ? 2 : 3)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, d);
      g_autofree char *name = g_date_time_format (day, "%a");
      g_autoptr(PangoLayout) layout = create_small_layout (widget, name);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_label (snapshot, layout, l.left - LABEL_GAP - w,
                    l.top + d * l.pitch + (l.cell - h) / 2.0f, &dim);
    }

  if (self->n_days > 0)
    first = g_date_time_new_from_unix_local (self->first_day_us / G_USEC_PER_SEC);

  for (guint i = 0; i < self->n_days; i++)
    {
      guint slot = self->first_row + i;
      int cx = l.left + (int) (slot / N_ROWS) * l.pitch;
      int cy = l.top + (int) (slot % N_ROWS) * l.pitch;
      g_autoptr(GDateTime) day = first ? g_date_time_add_days (first, (int) i) : NULL;

      append_cell (snapshot, cx, cy, l.cell, &levels[count_level (self, self->per_day[i])]);

      /* a month's name over the week of its first day */
      if (day != NULL && g_date_time_get_day_of_month (day) == 1 && cx - last_month_x > l.pitch)
        {
          g_autofree char *name = g_date_time_format (day, "%b");
          g_autoptr(PangoLayout) layout = create_small_layout (widget, name);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          if (cx + w <= width)
            {
              append_label (snapshot, layout, cx, 0, &dim);
              last_month_x = cx + w;
            }
        }
    }

  /* legend: Less ■■■■■ More, under the grid on the right */
  legend_y = l.top + N_ROWS * l.pitch + 8;
  {
    g_autoptr(PangoLayout) less = create_small_layout (widget, C_("heatmap legend", "Less"));
    g_autoptr(PangoLayout) more = create_small_layout (widget, C_("heatmap legend", "More"));
    int less_w, more_w, h;
    int grid_right = l.left + (int) n_columns (self) * l.pitch - (l.pitch - l.cell);

    pango_layout_get_pixel_size (less, &less_w, &h);
    pango_layout_get_pixel_size (more, &more_w, &h);

    x = grid_right - more_w;
    append_label (snapshot, more, x, legend_y + (l.cell - h) / 2.0f, &dim);
    x -= 4 + N_LEVELS * l.pitch + l.cell;
    for (guint level = 0; level <= N_LEVELS; level++)
      append_cell (snapshot, x + level * l.pitch, legend_y, l.cell, &levels[level]);
    x -= 4 + less_w;
    append_label (snapshot, less, x, legend_y + (l.cell - h) / 2.0f, &dim);
  }
}

static gboolean
rh_heatmap_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_tooltip,
                          GtkTooltip *tooltip)
{
  RhHeatmap *self = RH_HEATMAP (widget);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *date = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  GdkRectangle area;
  Layout l;
  int column, row;
  gint64 index;

  if (self->n_days == 0 || keyboard_tooltip)
    return FALSE;

  compute_layout (self, gtk_widget_get_width (widget), &l);
  if (x < l.left || y < l.top)
    return FALSE;
  column = (x - l.left) / l.pitch;
  row = (y - l.top) / l.pitch;
  if (row >= N_ROWS || (x - l.left) % l.pitch >= l.cell || (y - l.top) % l.pitch >= l.cell)
    return FALSE;

  index = (gint64) column * N_ROWS + row - self->first_row;
  if (index < 0 || index >= self->n_days)
    return FALSE;

  first = g_date_time_new_from_unix_local (self->first_day_us / G_USEC_PER_SEC);
  day = g_date_time_add_days (first, (int) index);
  /* Translators: the day in the heatmap's tooltip, see g_date_time_format()
   * xgettext:no-c-format */
  date = g_date_time_format (day, C_("heatmap tooltip", "%-d %B %Y"));
  count = _rh_chart_format_count (self->per_day[index]);
  /* Translators: "12 reviews on 3 May 2024" */
  text = g_strdup_printf (ngettext ("%s review on %s", "%s reviews on %s",
                                    self->per_day[index]),
                          count, date);
  gtk_tooltip_set_text (tooltip, text);

  area.x = l.left + column * l.pitch;
  area.y = l.top + row * l.pitch;
  area.width = area.height = l.cell;
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static void
rh_heatmap_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rh_heatmap_parent_class)->css_changed (widget, change);

  /* Colours come from the style: redraw on a style or accent change. */
  gtk_widget_queue_resize (widget);
}

static void
update_description (RhHeatmap *self)
{
  guint total = 0, best = 0;
  g_autofree char *description = NULL;

  for (guint i = 0; i < self->n_days; i++)
    {
      total += self->per_day[i];
      if (self->per_day[i] > self->per_day[best])
        best = i;
    }

  if (total == 0)
    description = g_strdup (_("No reviews in the last year"));
  else
    {
      g_autoptr(GDateTime) first = g_date_time_new_from_unix_local (self->first_day_us /
                                                                    G_USEC_PER_SEC);
      g_autoptr(GDateTime) day = g_date_time_add_days (first, (int) best);
      /* Translators: the busiest day, see g_date_time_format()
       * xgettext:no-c-format */
      g_autofree char *date = g_date_time_format (day, C_("heatmap busiest day", "%-d %B"));
      g_autofree char *total_text = _rh_chart_format_count (total);
      g_autofree char *best_text = _rh_chart_format_count (self->per_day[best]);

      /* Translators: "1,234 reviews in the last year, most on 3 May (56)" */
      description = g_strdup_printf (ngettext ("%s review in the last year, most on %s (%s)",
                                               "%s reviews in the last year, most on %s (%s)",
                                               total),
                                     total_text, date, best_text);
    }

  g_free (self->description);
  self->description = g_steal_pointer (&description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static void
dark_changed_cb (RhHeatmap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rh_heatmap_finalize (GObject *object)
{
  RhHeatmap *self = RH_HEATMAP (object);

  g_free (self->per_day);
  g_free (self->description);

  G_OBJECT_CLASS (rh_heatmap_parent_class)->finalize (object);
}

static void
rh_heatmap_class_init (RhHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rh_heatmap_finalize;

  widget_class->measure = rh_heatmap_measure;
  widget_class->get_request_mode = rh_heatmap_get_request_mode;
  widget_class->snapshot = rh_heatmap_snapshot;
  widget_class->query_tooltip = rh_heatmap_query_tooltip;
  widget_class->css_changed = rh_heatmap_css_changed;

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rh_heatmap_init (RhHeatmap *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reviews per day in the last year"),
                                  -1);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_description (self);
}

/**
 * rh_heatmap_new:
 *
 * A calendar of squares, one per day and a column per week, darker on
 * days with more reviews.
 *
 * Returns: (transfer floating): the heatmap
 */
GtkWidget *
rh_heatmap_new (void)
{
  return g_object_new (RH_TYPE_HEATMAP, NULL);
}

/**
 * rh_heatmap_set_data:
 * @per_day: (array length=n_days): reviews per day, oldest first
 * @n_days: how many days; up to a year
 * @first_day_us: the start of the first day, UTC microseconds
 *
 * Shows these counts and tells them to screen readers.
 */
void
rh_heatmap_set_data (RhHeatmap   *self,
                     const guint *per_day,
                     guint        n_days,
                     gint64       first_day_us)
{
  g_autoptr(GDateTime) first = NULL;

  g_return_if_fail (RH_IS_HEATMAP (self));
  g_return_if_fail (per_day != NULL || n_days == 0);

  n_days = MIN (n_days, (MAX_COLUMNS - 1) * N_ROWS);
  g_free (self->per_day);
  self->per_day = g_memdup2 (per_day, n_days * sizeof (guint));
  self->n_days = n_days;
  self->first_day_us = first_day_us;
  self->max_count = 0;
  for (guint i = 0; i < n_days; i++)
    self->max_count = MAX (self->max_count, per_day[i]);

  first = g_date_time_new_from_unix_local (first_day_us / G_USEC_PER_SEC);
  self->first_row = first ? (guint) g_date_time_get_day_of_week (first) - 1 : 0;

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * rh_heatmap_get_description:
 *
 * Returns: what the heatmap says to a screen reader, e.g. "1,234
 *   reviews in the last year, most on 3 May (56)"
 */
const char *
rh_heatmap_get_description (RhHeatmap *self)
{
  g_return_val_if_fail (RH_IS_HEATMAP (self), NULL);
  return self->description;
}
