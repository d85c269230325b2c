// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include "rh-sync-repository.h"

G_DEFINE_INTERFACE (RhSyncRepository, rh_sync_repository, G_TYPE_OBJECT)

static void
rh_sync_repository_default_init (RhSyncRepositoryInterface *iface)
{
}

/**
 * rh_sync_repository_get_device_id:
 *
 * See #RhSyncRepositoryInterface.
 */
const char *
rh_sync_repository_get_device_id (RhSyncRepository *self)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), NULL);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->get_device_id (self);
}

/**
 * rh_sync_repository_count_pending:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_count_pending (RhSyncRepository  *self,
                                  guint             *out_count,
                                  GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->count_pending (self, out_count, error);
}

/**
 * rh_sync_repository_list_pending:
 *
 * See #RhSyncRepositoryInterface.
 */
GPtrArray *
rh_sync_repository_list_pending (RhSyncRepository  *self,
                                 const char        *after,
                                 guint              limit,
                                 gsize              max_bytes,
                                 char             **out_next,
                                 GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), NULL);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->list_pending (self, after, limit, max_bytes,
                                                            out_next, error);
}

/**
 * rh_sync_repository_mark_pushed:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_mark_pushed (RhSyncRepository    *self,
                                const RhSyncChange  *change,
                                GError             **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->mark_pushed (self, change, error);
}

/**
 * rh_sync_repository_apply_changes:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_apply_changes (RhSyncRepository  *self,
                                  GPtrArray         *changes,
                                  RhSyncApplyStats  *stats,
                                  GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->apply_changes (self, changes, stats, error);
}

/**
 * rh_sync_repository_settle:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_settle (RhSyncRepository  *self,
                           RhSyncApplyStats  *stats,
                           gboolean          *out_changed,
                           GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->settle (self, stats, out_changed, error);
}

/**
 * rh_sync_repository_get_cursor:
 *
 * See #RhSyncRepositoryInterface.
 */
char *
rh_sync_repository_get_cursor (RhSyncRepository  *self,
                               GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), NULL);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->get_cursor (self, error);
}

/**
 * rh_sync_repository_set_cursor:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_set_cursor (RhSyncRepository  *self,
                               const char        *cursor,
                               GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->set_cursor (self, cursor, error);
}

/**
 * rh_sync_repository_get_account:
 *
 * See #RhSyncRepositoryInterface.
 */
char *
rh_sync_repository_get_account (RhSyncRepository  *self,
                                GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), NULL);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->get_account (self, error);
}

/**
 * rh_sync_repository_set_account:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_set_account (RhSyncRepository  *self,
                                const char        *account,
                                GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->set_account (self, account, error);
}

/**
 * rh_sync_repository_save_outbox:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_save_outbox (RhSyncRepository  *self,
                                const char        *batch_id,
                                GPtrArray         *changes,
                                GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->save_outbox (self, batch_id, changes, error);
}

/**
 * rh_sync_repository_load_outbox:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_load_outbox (RhSyncRepository  *self,
                                char             **out_batch_id,
                                GPtrArray        **out_changes,
                                GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->load_outbox (self, out_batch_id, out_changes,
                                                           error);
}

/**
 * rh_sync_repository_clear_outbox:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_clear_outbox (RhSyncRepository  *self,
                                 GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->clear_outbox (self, error);
}

/**
 * rh_sync_repository_list_cards_to_rebuild:
 *
 * See #RhSyncRepositoryInterface.
 */
GPtrArray *
rh_sync_repository_list_cards_to_rebuild (RhSyncRepository  *self,
                                          guint              limit,
                                          GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), NULL);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->list_cards_to_rebuild (self, limit, error);
}

/**
 * rh_sync_repository_forget_card_to_rebuild:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_forget_card_to_rebuild (RhSyncRepository  *self,
                                           const char        *card_id,
                                           GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->forget_card_to_rebuild (self, card_id, error);
}

/**
 * rh_sync_repository_get_last_synced:
 *
 * See #RhSyncRepositoryInterface.
 */
gint64
rh_sync_repository_get_last_synced (RhSyncRepository *self)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), 0);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->get_last_synced (self);
}

/**
 * rh_sync_repository_set_last_synced:
 *
 * See #RhSyncRepositoryInterface.
 */
gboolean
rh_sync_repository_set_last_synced (RhSyncRepository  *self,
                                    gint64             time_us,
                                    GError           **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (self), FALSE);
  return RH_SYNC_REPOSITORY_GET_IFACE (self)->set_last_synced (self, time_us, error);
}
