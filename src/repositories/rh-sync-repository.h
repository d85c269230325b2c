// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-sync-change.h"

G_BEGIN_DECLS

/**
 * RhSyncApplyStats:
 * @applied: remote changes that changed something here
 * @unchanged: remote changes this collection already had (its own echoed
 *   back, or older values)
 * @conflicts: fields that had been changed on both sides and were settled
 *   by their stamps, and deck names two devices both used
 * @skipped: remote changes that could not be stored (content this version
 *   cannot read); the rest of the page is applied
 * @reviews_added: reviews made elsewhere that arrived
 *
 * What applying remote changes did. Added to, never reset.
 */
typedef struct
{
  guint applied;
  guint unchanged;
  guint conflicts;
  guint skipped;
  guint reviews_added;
} RhSyncApplyStats;

#define RH_TYPE_SYNC_REPOSITORY (rh_sync_repository_get_type ())

G_DECLARE_INTERFACE (RhSyncRepository, rh_sync_repository, RH, SYNC_REPOSITORY, GObject)

/**
 * RhSyncRepositoryInterface:
 * @get_device_id: the id of this collection file, sent with every push
 * @count_pending: how many rows wait to be pushed
 * @list_pending: the next rows to push after @after (an opaque position,
 *   %NULL to start), at most @limit of them and about @max_bytes, as
 *   changes carrying every field with its stamp; sets @out_next to the
 *   position after them (%NULL when there are no more)
 * @mark_pushed: the server accepted @change: the row is no longer pending,
 *   unless it changed since it was read (its stamps differ from
 *   @change's signature): then it stays pending, to be pushed again.
 *   Returns %FALSE only on a storage error
 * @apply_changes: merges changes pulled from the server (in their order)
 *   into the collection; remembers the cards that got reviews, to rebuild
 * @settle: once a pull caught up, mends what the merge of two devices'
 *   work can leave: a deck deleted on one while a card in it was edited on
 *   the other comes back (the card's edit is newer than the delete). Sets
 *   @out_changed when that made local changes to push
 * @get_cursor: where the next pull starts ("0" at first)
 * @set_cursor: keeps it
 * @get_account: (nullable): the account the collection syncs with
 * @set_account: binds the collection to an account, once
 * @save_outbox: keeps the batch about to be sent, so that after a lost
 *   answer the same batch, with the same id, is sent again
 * @load_outbox: the kept batch, if any (%TRUE with %NULL outputs when none)
 * @clear_outbox: forgets it once it was answered
 * @list_cards_to_rebuild: cards whose reviews changed in a pull
 * @forget_card_to_rebuild: one of them was rebuilt
 * @get_last_synced: when the last sync finished (µs), 0 for never
 * @set_last_synced: keeps it
 *
 * What the sync engine reads from and writes to the collection. Every
 * call runs inside the caller's transaction (the #RhStore of the same
 * collection), so a page of changes and the cursor after it are stored
 * together or not at all.
 */
struct _RhSyncRepositoryInterface
{
  GTypeInterface parent_iface;

  const char *(*get_device_id)          (RhSyncRepository  *self);
  gboolean    (*count_pending)          (RhSyncRepository  *self,
                                         guint             *out_count,
                                         GError           **error);
  GPtrArray  *(*list_pending)           (RhSyncRepository  *self,
                                         const char        *after,
                                         guint              limit,
                                         gsize              max_bytes,
                                         char             **out_next,
                                         GError           **error);
  gboolean    (*mark_pushed)            (RhSyncRepository  *self,
                                         const RhSyncChange *change,
                                         GError           **error);
  gboolean    (*apply_changes)          (RhSyncRepository  *self,
                                         GPtrArray         *changes,
                                         RhSyncApplyStats  *stats,
                                         GError           **error);
  gboolean    (*settle)                 (RhSyncRepository  *self,
                                         RhSyncApplyStats  *stats,
                                         gboolean          *out_changed,
                                         GError           **error);
  char       *(*get_cursor)             (RhSyncRepository  *self,
                                         GError           **error);
  gboolean    (*set_cursor)             (RhSyncRepository  *self,
                                         const char        *cursor,
                                         GError           **error);
  char       *(*get_account)            (RhSyncRepository  *self,
                                         GError           **error);
  gboolean    (*set_account)            (RhSyncRepository  *self,
                                         const char        *account,
                                         GError           **error);
  gboolean    (*save_outbox)            (RhSyncRepository  *self,
                                         const char        *batch_id,
                                         GPtrArray         *changes,
                                         GError           **error);
  gboolean    (*load_outbox)            (RhSyncRepository  *self,
                                         char             **out_batch_id,
                                         GPtrArray        **out_changes,
                                         GError           **error);
  gboolean    (*clear_outbox)           (RhSyncRepository  *self,
                                         GError           **error);
  GPtrArray  *(*list_cards_to_rebuild)  (RhSyncRepository  *self,
                                         guint              limit,
                                         GError           **error);
  gboolean    (*forget_card_to_rebuild) (RhSyncRepository  *self,
                                         const char        *card_id,
                                         GError           **error);
  gint64      (*get_last_synced)        (RhSyncRepository  *self);
  gboolean    (*set_last_synced)        (RhSyncRepository  *self,
                                         gint64             time_us,
                                         GError           **error);
};

const char *rh_sync_repository_get_device_id          (RhSyncRepository   *self);
gboolean    rh_sync_repository_count_pending          (RhSyncRepository   *self,
                                                       guint              *out_count,
                                                       GError            **error);
GPtrArray  *rh_sync_repository_list_pending           (RhSyncRepository   *self,
                                                       const char         *after,
                                                       guint               limit,
                                                       gsize               max_bytes,
                                                       char              **out_next,
                                                       GError            **error);
gboolean    rh_sync_repository_mark_pushed            (RhSyncRepository   *self,
                                                       const RhSyncChange *change,
                                                       GError            **error);
gboolean    rh_sync_repository_apply_changes          (RhSyncRepository   *self,
                                                       GPtrArray          *changes,
                                                       RhSyncApplyStats   *stats,
                                                       GError            **error);
gboolean    rh_sync_repository_settle                 (RhSyncRepository   *self,
                                                       RhSyncApplyStats   *stats,
                                                       gboolean           *out_changed,
                                                       GError            **error);
char       *rh_sync_repository_get_cursor             (RhSyncRepository   *self,
                                                       GError            **error);
gboolean    rh_sync_repository_set_cursor             (RhSyncRepository   *self,
                                                       const char         *cursor,
                                                       GError            **error);
char       *rh_sync_repository_get_account            (RhSyncRepository   *self,
                                                       GError            **error);
gboolean    rh_sync_repository_set_account            (RhSyncRepository   *self,
                                                       const char         *account,
                                                       GError            **error);
gboolean    rh_sync_repository_save_outbox            (RhSyncRepository   *self,
                                                       const char         *batch_id,
                                                       GPtrArray          *changes,
                                                       GError            **error);
gboolean    rh_sync_repository_load_outbox            (RhSyncRepository   *self,
                                                       char              **out_batch_id,
                                                       GPtrArray         **out_changes,
                                                       GError            **error);
gboolean    rh_sync_repository_clear_outbox           (RhSyncRepository   *self,
                                                       GError            **error);
GPtrArray  *rh_sync_repository_list_cards_to_rebuild  (RhSyncRepository   *self,
                                                       guint               limit,
                                                       GError            **error);
gboolean    rh_sync_repository_forget_card_to_rebuild (RhSyncRepository   *self,
                                                       const char         *card_id,
                                                       GError            **error);
gint64      rh_sync_repository_get_last_synced        (RhSyncRepository   *self);
gboolean    rh_sync_repository_set_last_synced        (RhSyncRepository   *self,
                                                       gint64              time_us,
                                                       GError            **error);

G_END_DECLS
