// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_TYPE_DECKS_PAGE (rh_decks_page_get_type ())

G_DECLARE_FINAL_TYPE (RhDecksPage, rh_decks_page, RH, DECKS_PAGE, AdwBin)

RhCollection *rh_decks_page_get_collection (RhDecksPage   *self);
void          rh_decks_page_set_collection (RhDecksPage   *self,
                                            RhCollection  *collection);
gboolean      rh_decks_page_reload         (RhDecksPage   *self);
guint         rh_decks_page_get_n_decks    (RhDecksPage   *self);
char         *rh_decks_page_dup_deck_name  (RhDecksPage   *self,
                                            const char    *deck_id);
void          rh_decks_page_get_counts     (RhDecksPage   *self,
                                            const char    *deck_id,
                                            RhDeckCounts  *out);
GListModel   *rh_decks_page_list_decks     (RhDecksPage   *self);

G_END_DECLS
