// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"
#include "rh-decks-page.h"
#include "rh-study-page.h"

G_BEGIN_DECLS

#define RH_TYPE_WINDOW (rh_window_get_type ())

G_DECLARE_FINAL_TYPE (RhWindow, rh_window, RH, WINDOW, AdwApplicationWindow)

RhWindow     *rh_window_new                  (GtkApplication        *application,
                                              RhCollection          *collection,
                                              const char            *collection_path);
RhWindow     *rh_window_new_with_decks       (GtkApplication        *application,
                                              RhCollection          *collection,
                                              const char            *collection_path,
                                              const RhDecksSnapshot *snapshot);
RhCollection *rh_window_get_collection       (RhWindow              *self);
void          rh_window_reload               (RhWindow              *self);
void          rh_window_add_toast            (RhWindow              *self,
                                              AdwToast              *toast);
const char   *rh_window_get_page             (RhWindow              *self);
RhDecksPage  *rh_window_get_decks_page       (RhWindow              *self);
RhStudyPage  *rh_window_get_study_page       (RhWindow              *self);
GtkWidget    *rh_window_get_card_browser     (RhWindow              *self);
GtkWidget    *rh_window_get_stats_page       (RhWindow              *self);
void          rh_window_show_screenshot_page (RhWindow              *self,
                                              const char            *page);

G_END_DECLS
