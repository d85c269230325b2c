// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

/**
 * RhDecksSnapshot:
 * @summaries: (element-type RhDeckSummary): the decks with their raw counts
 * @queue: what all decks together have left today, within the daily limits
 *
 * What the overview shows, read in one go (on any thread).
 */
typedef struct
{
  GPtrArray     *summaries;
  RhQueueCounts  queue;
} RhDecksSnapshot;

RhDecksSnapshot *rh_decks_snapshot_load (RhCollection    *collection,
                                         GError         **error);
void             rh_decks_snapshot_free (RhDecksSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhDecksSnapshot, rh_decks_snapshot_free)

#define RH_TYPE_DECKS_PAGE (rh_decks_page_get_type ())

G_DECLARE_FINAL_TYPE (RhDecksPage, rh_decks_page, RH, DECKS_PAGE, AdwBin)

RhCollection *rh_decks_page_get_collection      (RhDecksPage           *self);
void          rh_decks_page_set_collection      (RhDecksPage           *self,
                                                 RhCollection          *collection);
void          rh_decks_page_set_collection_path (RhDecksPage           *self,
                                                 const char            *path);
gboolean      rh_decks_page_reload              (RhDecksPage           *self);
void          rh_decks_page_show_snapshot       (RhDecksPage           *self,
                                                 const RhDecksSnapshot *snapshot);
gboolean      rh_decks_page_get_loading         (RhDecksPage           *self);
guint         rh_decks_page_get_n_decks         (RhDecksPage           *self);
void          rh_decks_page_focus_deck          (RhDecksPage           *self,
                                                 const char            *deck_id);
char         *rh_decks_page_dup_deck_name       (RhDecksPage           *self,
                                                 const char            *deck_id);
void          rh_decks_page_get_counts          (RhDecksPage           *self,
                                                 const char            *deck_id,
                                                 RhDeckCounts          *out);
GListModel   *rh_decks_page_list_decks          (RhDecksPage           *self);

GMenuModel   *rh_deck_menu_new                  (const char            *deck_id);

G_END_DECLS
