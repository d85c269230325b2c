// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-secret-repository"

#include "config.h"

#include "rh-secret-repository.h"

/**
 * rh_secret_free:
 * @secret: (nullable): a token, verifier or other secret string
 *
 * Overwrites the secret before freeing it, so it does not linger in freed
 * memory.
 */
void
rh_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  /* volatile: the compiler may not drop a write to memory freed next */
  for (volatile char *p = secret; *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
}

G_DEFINE_INTERFACE (RhSecretRepository, rh_secret_repository, G_TYPE_OBJECT)

static void
rh_secret_repository_default_init (RhSecretRepositoryInterface *iface)
{
}

/**
 * rh_secret_kind_to_string:
 *
 * Returns: (transfer none): "refresh", "access" or "id"
 */
const char *
rh_secret_kind_to_string (RhSecretKind kind)
{
  switch (kind)
    {
    case RH_SECRET_KIND_REFRESH:
      return "refresh";
    case RH_SECRET_KIND_ACCESS:
      return "access";
    case RH_SECRET_KIND_ID:
      return "id";
    default:
      g_return_val_if_reached ("unknown");
    }
}

gboolean
rh_secret_repository_store (RhSecretRepository  *self,
                            const char          *account,
                            RhSecretKind         kind,
                            const char          *secret,
                            gint64               expires_at,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (RH_IS_SECRET_REPOSITORY (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  return RH_SECRET_REPOSITORY_GET_IFACE (self)->store (self, account, kind, secret, expires_at,
                                                       cancellable, error);
}

/**
 * rh_secret_repository_lookup:
 * @out_expires_at: (out) (optional): when the secret expires, or 0
 *
 * Returns: (transfer full) (nullable): the secret (free it with
 *   rh_secret_free()), or %NULL, with @error unset when there is none
 */
char *
rh_secret_repository_lookup (RhSecretRepository  *self,
                             const char          *account,
                             RhSecretKind         kind,
                             gint64              *out_expires_at,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_return_val_if_fail (RH_IS_SECRET_REPOSITORY (self), NULL);
  g_return_val_if_fail (account != NULL, NULL);
  if (out_expires_at != NULL)
    *out_expires_at = 0;
  return RH_SECRET_REPOSITORY_GET_IFACE (self)->lookup (self, account, kind, out_expires_at,
                                                        cancellable, error);
}

gboolean
rh_secret_repository_clear (RhSecretRepository  *self,
                            const char          *account,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (RH_IS_SECRET_REPOSITORY (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);
  return RH_SECRET_REPOSITORY_GET_IFACE (self)->clear (self, account, cancellable, error);
}
