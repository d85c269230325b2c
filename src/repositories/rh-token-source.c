// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-token-source"

#include "config.h"

#include "rh-token-source.h"

G_DEFINE_QUARK (rh-auth-error-quark, rh_auth_error)
G_DEFINE_INTERFACE (RhTokenSource, rh_token_source, G_TYPE_OBJECT)

static void
rh_token_source_default_init (RhTokenSourceInterface *iface)
{
}

/**
 * rh_token_source_get_access_token:
 *
 * Returns: (transfer full) (nullable): the token; never log it
 */
char *
rh_token_source_get_access_token (RhTokenSource  *self,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  g_return_val_if_fail (RH_IS_TOKEN_SOURCE (self), NULL);
  return RH_TOKEN_SOURCE_GET_IFACE (self)->get_access_token (self, cancellable, error);
}

/**
 * rh_token_source_refresh_access_token:
 *
 * Returns: (transfer full) (nullable): a fresh token; never log it
 */
char *
rh_token_source_refresh_access_token (RhTokenSource  *self,
                                      GCancellable   *cancellable,
                                      GError        **error)
{
  g_return_val_if_fail (RH_IS_TOKEN_SOURCE (self), NULL);
  return RH_TOKEN_SOURCE_GET_IFACE (self)->refresh_access_token (self, cancellable, error);
}

/**
 * rh_token_source_dup_user_id:
 *
 * Returns: (transfer full) (nullable): the account's subject
 */
char *
rh_token_source_dup_user_id (RhTokenSource *self)
{
  g_return_val_if_fail (RH_IS_TOKEN_SOURCE (self), NULL);
  return RH_TOKEN_SOURCE_GET_IFACE (self)->dup_user_id (self);
}
