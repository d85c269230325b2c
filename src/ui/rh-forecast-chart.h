// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RH_TYPE_FORECAST_CHART (rh_forecast_chart_get_type ())

G_DECLARE_FINAL_TYPE (RhForecastChart, rh_forecast_chart, RH, FORECAST_CHART, GtkWidget)

GtkWidget  *rh_forecast_chart_new             (void);
void        rh_forecast_chart_set_data        (RhForecastChart *self,
                                               const guint     *counts,
                                               guint            n_days,
                                               gint64           today_us);
const char *rh_forecast_chart_get_description (RhForecastChart *self);

G_END_DECLS
