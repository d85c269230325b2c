// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include "rh-sync-remote.h"

/* What an API error carries besides its code and message. */
typedef struct
{
  gint64  retry_after_ms;
  char   *server_code;
} RhApiErrorPrivate;

static void
rh_api_error_private_init (RhApiErrorPrivate *priv)
{
  priv->retry_after_ms = -1;
  priv->server_code = NULL;
}

static void
rh_api_error_private_copy (const RhApiErrorPrivate *src,
                           RhApiErrorPrivate       *dest)
{
  dest->retry_after_ms = src->retry_after_ms;
  dest->server_code = g_strdup (src->server_code);
}

static void
rh_api_error_private_clear (RhApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_code, g_free);
}

G_DEFINE_EXTENDED_ERROR (RhApiError, rh_api_error)

/**
 * rh_api_error_set:
 * @server_code: (nullable): the `code` of the server's error body
 * @retry_after_ms: how long the server asked to wait, or -1
 *
 * Sets @error in the #RH_API_ERROR domain with what it carries.
 */
void
rh_api_error_set (GError     **error,
                  RhApiError   code,
                  const char  *server_code,
                  gint64       retry_after_ms,
                  const char  *format,
                  ...)
{
  g_autofree char *message = NULL;
  GError *local_error;
  RhApiErrorPrivate *priv;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  local_error = g_error_new_literal (RH_API_ERROR, code, message);
  priv = rh_api_error_get_private (local_error);
  priv->retry_after_ms = retry_after_ms;
  priv->server_code = g_strdup (server_code);
  g_propagate_error (error, local_error);
}

/**
 * rh_api_error_get_retry_after_ms:
 *
 * Returns: the wait the server asked for (Retry-After), or -1
 */
gint64
rh_api_error_get_retry_after_ms (const GError *error)
{
  RhApiErrorPrivate *priv = error ? rh_api_error_get_private (error) : NULL;

  return priv ? priv->retry_after_ms : -1;
}

/**
 * rh_api_error_get_server_code:
 *
 * Returns: (nullable): the server's error code ("batch_conflict")
 */
const char *
rh_api_error_get_server_code (const GError *error)
{
  RhApiErrorPrivate *priv = error ? rh_api_error_get_private (error) : NULL;

  return priv ? priv->server_code : NULL;
}

/**
 * rh_api_error_is_transient:
 *
 * Returns: whether trying the same request again later may succeed:
 *   rate limits, server failures, network trouble, and a batch another
 *   request is still applying
 */
gboolean
rh_api_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != RH_API_ERROR)
    return FALSE;

  switch ((RhApiError) error->code)
    {
    case RH_API_ERROR_RATE_LIMITED:
    case RH_API_ERROR_SERVER:
    case RH_API_ERROR_NETWORK:
      return TRUE;
    case RH_API_ERROR_CONFLICT:
      return g_strcmp0 (rh_api_error_get_server_code (error), "batch_in_progress") == 0;
    case RH_API_ERROR_UNAUTHORIZED:
    case RH_API_ERROR_INVALID_RESPONSE:
    case RH_API_ERROR_TOO_LARGE:
    case RH_API_ERROR_VALIDATION:
    default:
      return FALSE;
    }
}

void
rh_sync_push_answer_free (RhSyncPushAnswer *answer)
{
  if (answer == NULL)
    return;
  for (guint i = 0; i < answer->n_results; i++)
    {
      g_free (answer->results[i].code);
      g_free (answer->results[i].message);
    }
  g_free (answer->results);
  g_free (answer->cursor);
  g_free (answer);
}

void
rh_sync_page_free (RhSyncPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page);
}

void
rh_sync_profile_free (RhSyncProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->user_id);
  g_free (profile->display_name);
  g_free (profile);
}

G_DEFINE_INTERFACE (RhSyncRemote, rh_sync_remote, G_TYPE_OBJECT)

static void
rh_sync_remote_default_init (RhSyncRemoteInterface *iface)
{
}

/**
 * rh_sync_remote_dup_account_id:
 *
 * Returns: (transfer full) (nullable): the signed-in account
 */
char *
rh_sync_remote_dup_account_id (RhSyncRemote *self)
{
  g_return_val_if_fail (RH_IS_SYNC_REMOTE (self), NULL);
  return RH_SYNC_REMOTE_GET_IFACE (self)->dup_account_id (self);
}

/**
 * rh_sync_remote_push:
 * @changes: (element-type RhSyncChange): the batch
 *
 * Returns: (transfer full) (nullable): the server's answer
 */
RhSyncPushAnswer *
rh_sync_remote_push (RhSyncRemote  *self,
                     const char    *device_id,
                     const char    *batch_id,
                     GPtrArray     *changes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REMOTE (self), NULL);
  g_return_val_if_fail (changes != NULL && changes->len <= RH_SYNC_MAX_BATCH, NULL);
  return RH_SYNC_REMOTE_GET_IFACE (self)->push (self, device_id, batch_id, changes,
                                                cancellable, error);
}

/**
 * rh_sync_remote_pull:
 *
 * Returns: (transfer full) (nullable): one page of changes
 */
RhSyncPage *
rh_sync_remote_pull (RhSyncRemote  *self,
                     const char    *cursor,
                     guint          limit,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REMOTE (self), NULL);
  return RH_SYNC_REMOTE_GET_IFACE (self)->pull (self, cursor, limit, cancellable, error);
}

/**
 * rh_sync_remote_get_profile:
 *
 * Returns: (transfer full) (nullable): the profile
 */
RhSyncProfile *
rh_sync_remote_get_profile (RhSyncRemote  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REMOTE (self), NULL);
  return RH_SYNC_REMOTE_GET_IFACE (self)->get_profile (self, cancellable, error);
}

/**
 * rh_sync_remote_put_profile:
 *
 * Returns: (transfer full) (nullable): the profile after the change
 */
RhSyncProfile *
rh_sync_remote_put_profile (RhSyncRemote         *self,
                            const RhSyncProfile  *profile,
                            RhSyncProfileFields   fields,
                            gint64                expected_version,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_return_val_if_fail (RH_IS_SYNC_REMOTE (self), NULL);
  g_return_val_if_fail (profile != NULL && fields != 0, NULL);
  return RH_SYNC_REMOTE_GET_IFACE (self)->put_profile (self, profile, fields, expected_version,
                                                       cancellable, error);
}
