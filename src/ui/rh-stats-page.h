// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_TYPE_STATS_PAGE (rh_stats_page_get_type ())

G_DECLARE_FINAL_TYPE (RhStatsPage, rh_stats_page, RH, STATS_PAGE, AdwBin)

GtkWidget  *rh_stats_page_new                 (RhCollection *collection);
void        rh_stats_page_set_collection_path (RhStatsPage  *self,
                                               const char   *path);
void        rh_stats_page_reload              (RhStatsPage  *self);
gboolean    rh_stats_page_get_loading         (RhStatsPage  *self);

/* Internal, for tests. */
GtkWidget  *_rh_stats_page_get_heatmap        (RhStatsPage  *self);
GtkWidget  *_rh_stats_page_get_forecast       (RhStatsPage  *self);

G_END_DECLS
