// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "rh-secret-store.h"

/**
 * RhSecretStore:
 *
 * Tokens in the Secret Service (GNOME Keyring, KWallet, the portal's
 * keyring inside Flatpak) through libsecret: one item per account and
 * kind, in the default collection, with the attributes "account" (the
 * subject), "kind" (refresh, access or id) and "expires" (seconds since
 * the epoch, for the access token). Never a plain file. Every call blocks
 * on D-Bus.
 */
struct _RhSecretStore
{
  GObject parent_instance;
};

static void rh_secret_store_repository_init (RhSecretRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSecretStore, rh_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SECRET_REPOSITORY,
                                                      rh_secret_store_repository_init))

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    RH_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "expires", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
rh_secret_store_class_init (RhSecretStoreClass *klass)
{
}

static void
rh_secret_store_init (RhSecretStore *self)
{
}

/**
 * rh_secret_store_new:
 *
 * Returns: (transfer full): the store
 */
RhSecretStore *
rh_secret_store_new (void)
{
  return g_object_new (RH_TYPE_SECRET_STORE, NULL);
}

/* @kind: (nullable): every kind */
static GHashTable *
new_attributes (const char *account,
                const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "account", g_strdup (account));
  if (kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind));
  return attributes;
}

static void
prefix_error (GError **error)
{
  if (error != NULL && *error != NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (error, "%s", _("The keyring could not be used: "));
}

static gboolean
clear_items (const char    *account,
             const char    *kind,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GHashTable) attributes = new_attributes (account, kind);
  g_autoptr(GError) local_error = NULL;

  /* FALSE without an error: there was nothing to remove */
  if (!secret_password_clearv_sync (get_schema (), attributes, cancellable, &local_error) &&
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      prefix_error (error);
      return FALSE;
    }
  return TRUE;
}

/* An item another process removed after it was found. GNOME Keyring
 * says so as an unknown method on the item's path. */
static gboolean
item_vanished (const GError *error)
{
  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
}

/* Removes the items of @account's @kind other than the one just stored
 * (an access token's expiry is an attribute, so storing it again makes a
 * new item rather than replacing the old one). */
static gboolean
remove_stale_items (const char    *account,
                    const char    *kind,
                    const char    *expires,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GHashTable) attributes = new_attributes (account, kind);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) search_error = NULL;
  GList *items;

  if (!(service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, error)))
    {
      prefix_error (error);
      return FALSE;
    }
  items = secret_service_search_sync (service, get_schema (), attributes, SECRET_SEARCH_ALL,
                                      cancellable, &search_error);
  if (search_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&search_error));
      prefix_error (error);
      return FALSE;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);
      g_autoptr(GError) local_error = NULL;

      if (g_strcmp0 (g_hash_table_lookup (item_attributes, "expires"), expires) == 0)
        continue;
      /* gone already: someone else tidied up */
      if (!secret_item_delete_sync (l->data, cancellable, &local_error) &&
          !item_vanished (local_error))
        {
          g_list_free_full (items, g_object_unref);
          g_propagate_error (error, g_steal_pointer (&local_error));
          prefix_error (error);
          return FALSE;
        }
    }
  g_list_free_full (items, g_object_unref);
  return TRUE;
}

/* The new item goes in before the old one goes, never the other way: a
 * reader in another process (the command line while the app refreshes)
 * always finds a token. An item with the same attributes is replaced in
 * one step by the Secret Service. */
static gboolean
rh_secret_store_store (RhSecretRepository  *repository,
                       const char          *account,
                       RhSecretKind         kind,
                       const char          *secret,
                       gint64               expires_at,
                       GCancellable        *cancellable,
                       GError             **error)
{
  const char *kind_name = rh_secret_kind_to_string (kind);
  g_autoptr(GHashTable) attributes = new_attributes (account, kind_name);
  g_autofree char *expires = NULL;
  g_autofree char *label = NULL;

  if (expires_at > 0)
    {
      expires = g_strdup_printf ("%" G_GINT64_FORMAT, expires_at / G_USEC_PER_SEC);
      g_hash_table_insert (attributes, (gpointer) "expires", g_strdup (expires));
    }
  switch (kind)
    {
    case RH_SECRET_KIND_REFRESH:
      label = g_strdup (_("Rehearse sign-in (refresh token)"));
      break;
    case RH_SECRET_KIND_ACCESS:
      label = g_strdup (_("Rehearse sign-in (access token)"));
      break;
    case RH_SECRET_KIND_ID:
    default:
      label = g_strdup (_("Rehearse sign-in (ID token)"));
      break;
    }

  g_debug ("Keeping the %s token of an account in the keyring", kind_name);
  if (!secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                                    secret, cancellable, error))
    {
      prefix_error (error);
      return FALSE;
    }
  return remove_stale_items (account, kind_name, expires, cancellable, error);
}

/* The secret of the newest of @items that still has one: there should be
 * one item, but if a crash left two, the newest wins. */
static char *
newest_secret (GList  *items,
               gint64 *out_expires_at)
{
  char *secret = NULL;
  guint64 best_modified = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;
      g_autoptr(SecretValue) value = secret_item_get_secret (item);
      g_autoptr(GHashTable) item_attributes = NULL;
      const char *expires;
      guint64 modified = secret_item_get_modified (item);

      if (value == NULL || secret_value_get_text (value) == NULL)
        continue;
      if (secret != NULL && modified < best_modified)
        continue;
      rh_secret_free (secret);
      secret = g_strdup (secret_value_get_text (value));
      best_modified = modified;
      item_attributes = secret_item_get_attributes (item);
      expires = g_hash_table_lookup (item_attributes, "expires");
      if (out_expires_at != NULL)
        {
          guint64 seconds = 0;

          *out_expires_at = 0;
          if (expires != NULL &&
              g_ascii_string_to_unsigned (expires, 10, 0, G_MAXINT64 / G_USEC_PER_SEC,
                                          &seconds, NULL))
            *out_expires_at = (gint64) seconds * G_USEC_PER_SEC;
        }
    }
  return secret;
}

static char *
rh_secret_store_lookup (RhSecretRepository  *repository,
                        const char          *account,
                        RhSecretKind         kind,
                        gint64              *out_expires_at,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GHashTable) attributes = new_attributes (account, rh_secret_kind_to_string (kind));
  g_autoptr(SecretService) service = NULL;

  if (!(service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, error)))
    {
      prefix_error (error);
      return NULL;
    }
  /* Another process (the app, while the command line reads) may replace
   * an item between the search finding it and its secret being read. The
   * keyring then either fails the read or leaves the unlocked item
   * without its secret; either way the search is made again, and finds
   * the new item (which goes in before the old one goes). */
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean last_try = attempt >= 4;
      GList *items;
      char *secret;

      items = secret_service_search_sync (service, get_schema (), attributes,
                                          SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                          SECRET_SEARCH_LOAD_SECRETS,
                                          cancellable, &local_error);
      if (local_error != NULL && (last_try || !item_vanished (local_error)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          prefix_error (error);
          return NULL;
        }
      if (local_error == NULL)
        {
          /* Locked items are left alone: the learner chose not to unlock
           * the keyring, and looking again would ask again. */
          gboolean unlocked_items = FALSE;

          for (GList *l = items; l != NULL; l = l->next)
            unlocked_items |= !secret_item_get_locked (l->data);
          secret = newest_secret (items, out_expires_at);
          g_list_free_full (items, g_object_unref);
          if (secret != NULL || !unlocked_items || last_try)
            return secret;
        }
      g_debug ("A keyring item went while it was read: looking again");
      g_usleep ((attempt + 1) * 20 * 1000);
    }
}

static gboolean
rh_secret_store_clear (RhSecretRepository  *repository,
                       const char          *account,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_debug ("Removing an account’s tokens from the keyring");
  return clear_items (account, NULL, cancellable, error);
}

static void
rh_secret_store_repository_init (RhSecretRepositoryInterface *iface)
{
  iface->store = rh_secret_store_store;
  iface->lookup = rh_secret_store_lookup;
  iface->clear = rh_secret_store_clear;
}
