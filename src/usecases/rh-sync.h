// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-collection.h"
#include "rh-sync-remote.h"
#include "rh-sync-repository.h"

G_BEGIN_DECLS

/**
 * RhSyncState:
 * @RH_SYNC_STATE_IDLE: not synced yet in this run of the app
 * @RH_SYNC_STATE_SYNCING: a sync is running (see the progress)
 * @RH_SYNC_STATE_SYNCED: the last sync finished
 * @RH_SYNC_STATE_OFFLINE: the server cannot be reached; changes are kept
 *   and sent when the network is back
 * @RH_SYNC_STATE_ERROR: the last sync failed (see the message); it is
 *   tried again later, or on demand
 *
 * What the UI shows about sync.
 */
typedef enum
{
  RH_SYNC_STATE_IDLE,
  RH_SYNC_STATE_SYNCING,
  RH_SYNC_STATE_SYNCED,
  RH_SYNC_STATE_OFFLINE,
  RH_SYNC_STATE_ERROR,
} RhSyncState;

GType rh_sync_state_get_type (void);
#define RH_TYPE_SYNC_STATE (rh_sync_state_get_type ())

/**
 * RhSyncSummary:
 * @pushed: local changes the server accepted
 * @rejected: local changes the server refused for good (too large)
 * @pulled: remote changes that changed something here
 * @unchanged: remote changes this collection already had
 * @conflicts: changes made on both sides, settled by their stamps
 * @skipped: remote changes this version could not store
 * @reviews_added: reviews made elsewhere that arrived
 * @cards_rebuilt: cards whose state was replayed from their reviews
 * @batches: batches sent
 * @pages: pages pulled
 * @retries: requests tried again after a transient failure
 * @finished: when the sync finished (µs since the epoch)
 *
 * What one sync did.
 */
typedef struct
{
  guint  pushed;
  guint  rejected;
  guint  pulled;
  guint  unchanged;
  guint  conflicts;
  guint  skipped;
  guint  reviews_added;
  guint  cards_rebuilt;
  guint  batches;
  guint  pages;
  guint  retries;
  gint64 finished;
} RhSyncSummary;

GType          rh_sync_summary_get_type (void);
#define RH_TYPE_SYNC_SUMMARY (rh_sync_summary_get_type ())
RhSyncSummary *rh_sync_summary_copy     (const RhSyncSummary *summary);
void           rh_sync_summary_free     (RhSyncSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSyncSummary, rh_sync_summary_free)

/**
 * RhSyncOpenFunc:
 * @out_collection: (out) (transfer full): the collection, opened anew
 * @out_repository: (out) (transfer full): the sync's view of it, on the
 *   same connection
 *
 * Opens the signed-in account's collection for one sync, in the thread
 * that syncs: a connection of its own to the same file (SQLite in WAL
 * mode lets the app read and write meanwhile).
 */
typedef gboolean (*RhSyncOpenFunc) (gpointer           user_data,
                                    RhCollection     **out_collection,
                                    RhSyncRepository **out_repository,
                                    GError           **error);

/**
 * RhSyncStep:
 * @RH_SYNC_STEP_BATCH_SAVED: a batch was kept, about to be sent
 * @RH_SYNC_STEP_BATCH_DONE: the server answered a batch
 * @RH_SYNC_STEP_PAGE_APPLIED: a pulled page and its cursor were stored
 *
 * For tests and tools: where a sync is.
 */
typedef enum
{
  RH_SYNC_STEP_BATCH_SAVED,
  RH_SYNC_STEP_BATCH_DONE,
  RH_SYNC_STEP_PAGE_APPLIED,
} RhSyncStep;

/**
 * RhSyncStepFunc:
 * @detail: the batch id, or the cursor after the page
 *
 * Called in the thread that syncs.
 */
typedef void (*RhSyncStepFunc) (RhSyncStep  step,
                                const char *detail,
                                gpointer    user_data);

#define RH_TYPE_SYNC_ENGINE (rh_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (RhSyncEngine, rh_sync_engine, RH, SYNC_ENGINE, GObject)

RhSyncEngine        *rh_sync_engine_new               (RhSyncRemote          *remote,
                                                       RhSyncOpenFunc         open_func,
                                                       gpointer               user_data,
                                                       GDestroyNotify         destroy);
void                 rh_sync_engine_set_study_settings (RhSyncEngine         *self,
                                                       const RhStudySettings *settings);
void                 rh_sync_engine_set_retry_policy  (RhSyncEngine          *self,
                                                       guint                  max_attempts,
                                                       guint                  base_delay_ms,
                                                       guint                  max_delay_ms);
void                 rh_sync_engine_set_page_size     (RhSyncEngine          *self,
                                                       guint                  page_size);
void                 rh_sync_engine_set_batch_size    (RhSyncEngine          *self,
                                                       guint                  batch_size);
void                 rh_sync_engine_set_step_func     (RhSyncEngine          *self,
                                                       RhSyncStepFunc         func,
                                                       gpointer               user_data);

gboolean             rh_sync_engine_sync              (RhSyncEngine          *self,
                                                       RhSyncSummary         *out_summary,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
void                 rh_sync_engine_sync_async        (RhSyncEngine          *self,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean             rh_sync_engine_sync_finish       (RhSyncEngine          *self,
                                                       GAsyncResult          *result,
                                                       RhSyncSummary         *out_summary,
                                                       GError               **error);

void                 rh_sync_engine_start             (RhSyncEngine          *self);
void                 rh_sync_engine_stop              (RhSyncEngine          *self);
void                 rh_sync_engine_request_sync      (RhSyncEngine          *self);
void                 rh_sync_engine_schedule_sync     (RhSyncEngine          *self,
                                                       guint                  delay_seconds);

RhSyncState          rh_sync_engine_get_state         (RhSyncEngine          *self);
double               rh_sync_engine_get_progress      (RhSyncEngine          *self);
const char          *rh_sync_engine_get_message       (RhSyncEngine          *self);
gint64               rh_sync_engine_get_last_synced   (RhSyncEngine          *self);
const RhSyncSummary *rh_sync_engine_get_last_summary  (RhSyncEngine          *self);
guint                rh_sync_engine_get_interval      (RhSyncEngine          *self);
void                 rh_sync_engine_set_interval      (RhSyncEngine          *self,
                                                       guint                  seconds);

G_END_DECLS
