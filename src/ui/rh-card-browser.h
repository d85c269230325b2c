// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-card-list-model.h"
#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_TYPE_CARD_BROWSER (rh_card_browser_get_type ())

G_DECLARE_FINAL_TYPE (RhCardBrowser, rh_card_browser, RH, CARD_BROWSER, AdwBin)

GtkWidget *rh_card_browser_new                 (RhCollection  *collection);
void       rh_card_browser_set_collection_path (RhCardBrowser *self,
                                                const char    *path);
void       rh_card_browser_set_deck            (RhCardBrowser *self,
                                                const char    *deck_id);
void       rh_card_browser_reload              (RhCardBrowser *self);

/* Internal, for tests. */
RhCardListModel *_rh_card_browser_get_model        (RhCardBrowser *self);
GtkEditable     *_rh_card_browser_get_search_entry (RhCardBrowser *self);
GtkColumnView   *_rh_card_browser_get_column_view  (RhCardBrowser *self);
void             _rh_card_browser_sort_by          (RhCardBrowser *self,
                                                    RhCardSort     sort,
                                                    gboolean       descending);

G_END_DECLS
