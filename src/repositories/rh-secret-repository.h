// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RhSecretKind:
 * @RH_SECRET_KIND_REFRESH: the refresh token
 * @RH_SECRET_KIND_ACCESS: the access token
 * @RH_SECRET_KIND_ID: the ID token
 *
 * The tokens kept for a signed-in account.
 */
typedef enum
{
  RH_SECRET_KIND_REFRESH,
  RH_SECRET_KIND_ACCESS,
  RH_SECRET_KIND_ID,
} RhSecretKind;

#define RH_TYPE_SECRET_REPOSITORY (rh_secret_repository_get_type ())

G_DECLARE_INTERFACE (RhSecretRepository, rh_secret_repository, RH, SECRET_REPOSITORY, GObject)

/**
 * RhSecretRepositoryInterface:
 * @store: keeps @secret for @account, replacing the one of the same kind;
 *   @expires_at (microseconds since the epoch, 0 for unknown) is kept with it
 * @lookup: the secret, or %NULL without an error when there is none
 * @clear: forgets every secret of @account
 *
 * Where tokens live: a keyring (the Secret Service), never a plain file.
 * Every call blocks (D-Bus): call them from a worker thread in the GUI.
 */
struct _RhSecretRepositoryInterface
{
  GTypeInterface parent_iface;

  gboolean  (*store)  (RhSecretRepository  *self,
                       const char          *account,
                       RhSecretKind         kind,
                       const char          *secret,
                       gint64               expires_at,
                       GCancellable        *cancellable,
                       GError             **error);
  char     *(*lookup) (RhSecretRepository  *self,
                       const char          *account,
                       RhSecretKind         kind,
                       gint64              *out_expires_at,
                       GCancellable        *cancellable,
                       GError             **error);
  gboolean  (*clear)  (RhSecretRepository  *self,
                       const char          *account,
                       GCancellable        *cancellable,
                       GError             **error);
};

void        rh_secret_free               (char                *secret);
const char *rh_secret_kind_to_string     (RhSecretKind         kind);
gboolean    rh_secret_repository_store   (RhSecretRepository  *self,
                                          const char          *account,
                                          RhSecretKind         kind,
                                          const char          *secret,
                                          gint64               expires_at,
                                          GCancellable        *cancellable,
                                          GError             **error);
char       *rh_secret_repository_lookup  (RhSecretRepository  *self,
                                          const char          *account,
                                          RhSecretKind         kind,
                                          gint64              *out_expires_at,
                                          GCancellable        *cancellable,
                                          GError             **error);
gboolean    rh_secret_repository_clear   (RhSecretRepository  *self,
                                          const char          *account,
                                          GCancellable        *cancellable,
                                          GError             **error);

G_END_DECLS
