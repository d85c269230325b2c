// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

#include "rh-collection.h"

G_BEGIN_DECLS

/* How many rows one query fetches. */
#define RH_CARD_LIST_MODEL_PAGE_SIZE 200

#define RH_TYPE_CARD_ROW (rh_card_row_get_type ())

G_DECLARE_FINAL_TYPE (RhCardRow, rh_card_row, RH, CARD_ROW, GObject)

const char *rh_card_row_get_id        (RhCardRow *self);
const char *rh_card_row_get_front     (RhCardRow *self);
const char *rh_card_row_get_back      (RhCardRow *self);
const char *rh_card_row_get_deck_name (RhCardRow *self);
const char *rh_card_row_get_due       (RhCardRow *self);
double      rh_card_row_get_stability (RhCardRow *self);
guint       rh_card_row_get_reviews   (RhCardRow *self);
gboolean    rh_card_row_get_loaded    (RhCardRow *self);

#define RH_TYPE_CARD_LIST_MODEL (rh_card_list_model_get_type ())

G_DECLARE_FINAL_TYPE (RhCardListModel, rh_card_list_model, RH, CARD_LIST_MODEL, GObject)

RhCardListModel *rh_card_list_model_new                 (RhCollection      *collection);
void             rh_card_list_model_set_collection_path (RhCardListModel   *self,
                                                         const char        *path);
void             rh_card_list_model_set_query           (RhCardListModel   *self,
                                                         const RhCardQuery *query);
void             rh_card_list_model_get_query           (RhCardListModel   *self,
                                                         RhCardQuery       *out_query);
void             rh_card_list_model_reload              (RhCardListModel   *self);
const GError    *rh_card_list_model_get_error           (RhCardListModel   *self);
GStrv            rh_card_list_model_dup_ids             (RhCardListModel   *self,
                                                         GtkBitset         *positions,
                                                         GError           **error);

/* For tests: how many pages have been asked of the collection so far. */
guint            rh_card_list_model_get_pages_fetched   (RhCardListModel   *self);

G_END_DECLS
