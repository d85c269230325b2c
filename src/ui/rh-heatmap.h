// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RH_TYPE_HEATMAP (rh_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (RhHeatmap, rh_heatmap, RH, HEATMAP, GtkWidget)

GtkWidget  *rh_heatmap_new             (void);
void        rh_heatmap_set_data        (RhHeatmap   *self,
                                        const guint *per_day,
                                        guint        n_days,
                                        gint64       first_day_us);
const char *rh_heatmap_get_description (RhHeatmap   *self);

/* Internal, shared with the forecast chart. */
void        _rh_chart_get_colors       (GtkWidget   *widget,
                                        GdkRGBA     *out_accent,
                                        GdkRGBA     *out_foreground);
char       *_rh_chart_format_count     (guint        count);

/* Internal, for the tests: no reviews, then four levels. */
#define _RH_HEATMAP_N_COLORS 5

void        _rh_heatmap_get_level_colors (RhHeatmap *self,
                                          GdkRGBA   *out_colors);

G_END_DECLS
