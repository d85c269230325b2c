// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-accounts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rh-accounts.h"
#include "rh-composition.h"
#include "rh-loopback-listener.h"
#include "rh-oauth-client.h"
#include "rh-secret-store.h"
#include "rh-sqlite-database.h"

/**
 * RhAccounts:
 *
 * The composition root of sign-in: builds the Cognito client, the secret
 * store, the loopback listener (when configured) and the #RhAuth use case,
 * and keeps each account's data apart.
 *
 * Every account has its own collection,
 * `DATA_DIR/accounts/<account id>/collection.rehearse`, next to the
 * signed-out learner's `DATA_DIR/local.rehearse`; so signing in as someone
 * else never shows or syncs the previous account's data. The account that
 * is signed in is remembered in `DATA_DIR/accounts/current`, which holds
 * its id and nothing else (the tokens are in the keyring).
 */
struct _RhAccounts
{
  GObject          parent_instance;

  char            *data_dir;
  char            *local_path;
  RhCognitoConfig *config;
  RhAuth          *auth;
  char            *current;
};

G_DEFINE_FINAL_TYPE (RhAccounts, rh_accounts, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CURRENT_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
rh_accounts_finalize (GObject *object)
{
  RhAccounts *self = (RhAccounts *)object;

  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->config);
  g_free (self->data_dir);
  g_free (self->local_path);
  g_free (self->current);

  G_OBJECT_CLASS (rh_accounts_parent_class)->finalize (object);
}

static void
rh_accounts_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RhAccounts *self = RH_ACCOUNTS (object);

  switch (prop_id)
    {
    case PROP_CURRENT_ACCOUNT:
      g_value_set_string (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_accounts_class_init (RhAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rh_accounts_finalize;
  object_class->get_property = rh_accounts_get_property;

  /**
   * RhAccounts:current-account:
   *
   * The id of the account whose collection is in use, or %NULL for the
   * signed-out learner's. When it changes, the collection to show changes
   * (rh_accounts_dup_collection_path()).
   */
  properties [PROP_CURRENT_ACCOUNT] =
    g_param_spec_string ("current-account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rh_accounts_init (RhAccounts *self)
{
}

/**
 * rh_accounts_sanitize_account_id:
 *
 * An account id as a folder name: a Cognito subject (a UUID) stays as it
 * is; anything else becomes a hash, so no id can name another folder.
 *
 * Returns: (transfer full): the folder name
 */
char *
rh_accounts_sanitize_account_id (const char *account_id)
{
  g_autofree char *digest = NULL;
  gboolean plain;
  gsize len;

  g_return_val_if_fail (account_id != NULL, NULL);

  len = strlen (account_id);
  plain = len > 0 && len <= 128 && account_id[0] != '.';
  for (gsize i = 0; plain && i < len; i++)
    plain = g_ascii_isalnum (account_id[i]) || account_id[i] == '-' || account_id[i] == '_';
  if (plain)
    return g_strdup (account_id);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_id, -1);
  return g_strconcat ("id-", digest, NULL);
}

static char *
dup_state_path (RhAccounts *self)
{
  return g_build_filename (self->data_dir, "accounts", "current", NULL);
}

static char *
read_current_in (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "accounts", "current", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0')
    return NULL;
  return g_steal_pointer (&contents);
}

/* Remembers which account is signed in: its id only. */
static void
set_current (RhAccounts *self,
             const char *account_id)
{
  g_autofree char *path = dup_state_path (self);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (self->current, account_id) == 0)
    return;

  if (account_id == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not forget the signed-in account: %s", g_strerror (errno));
    }
  else
    {
      g_autofree char *contents = g_strconcat (account_id, "\n", NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0600, &error))
        g_warning ("Could not remember the signed-in account: %s",
                   error ? error->message : g_strerror (errno));
    }

  g_free (self->current);
  self->current = g_strdup (account_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENT_ACCOUNT]);
}

static void
sign_in_finished_cb (RhAuth       *auth,
                     RhUser       *user,
                     const GError *error,
                     RhAccounts   *self)
{
  if (user != NULL)
    set_current (self, rh_user_get_id (user));
}

static void
signed_out_cb (RhAuth       *auth,
               const GError *reason,
               RhAccounts   *self)
{
  set_current (self, NULL);
}

/**
 * rh_accounts_new:
 * @data_dir: (nullable): where the collections are; %NULL for the
 *   default (the folder of rh_composition_default_path())
 * @config: (nullable): the sign-in configuration; %NULL to load it
 *   (rh_cognito_config_load())
 *
 * The account remembered as signed in is current at once (its collection
 * is the one to open); rh_accounts_restore_async() signs it back in.
 *
 * Returns: (transfer full): the accounts
 */
RhAccounts *
rh_accounts_new (const char      *data_dir,
                 RhCognitoConfig *config)
{
  RhAccounts *self = g_object_new (RH_TYPE_ACCOUNTS, NULL);
  g_autoptr(RhOAuthClient) client = NULL;
  g_autoptr(RhSecretStore) secrets = NULL;
  g_autoptr(RhLoopbackListener) listener = NULL;

  if (data_dir != NULL)
    {
      self->data_dir = g_strdup (data_dir);
      self->local_path = g_build_filename (data_dir, "local.rehearse", NULL);
    }
  else
    {
      self->local_path = rh_composition_default_path ();
      self->data_dir = g_path_get_dirname (self->local_path);
    }
  self->config = config ? g_object_ref (config) : rh_cognito_config_load ();

  client = rh_oauth_client_new (self->config, 0);
  secrets = rh_secret_store_new ();
  if (rh_cognito_config_get_redirect_mode (self->config) == RH_REDIRECT_LOOPBACK)
    listener = rh_loopback_listener_new (rh_cognito_config_get_callback_port (self->config));
  self->auth = rh_auth_new (RH_AUTH_PROVIDER (client), RH_SECRET_REPOSITORY (secrets),
                            listener ? RH_CALLBACK_RECEIVER (listener) : NULL);
  g_signal_connect (self->auth, "sign-in-finished", G_CALLBACK (sign_in_finished_cb), self);
  g_signal_connect (self->auth, "signed-out", G_CALLBACK (signed_out_cb), self);

  self->current = read_current_in (self->data_dir);
  return self;
}

/**
 * rh_accounts_peek_collection_path:
 * @data_dir: (nullable): as for rh_accounts_new()
 *
 * The collection of the account remembered as signed in, without building
 * the sign-in machinery (for the command line's other commands).
 *
 * Returns: (transfer full) (nullable): the path, or %NULL when signed out
 */
char *
rh_accounts_peek_collection_path (const char *data_dir)
{
  g_autofree char *default_dir = NULL;
  g_autofree char *current = NULL;
  g_autofree char *folder = NULL;

  if (data_dir == NULL)
    {
      g_autofree char *local = rh_composition_default_path ();

      data_dir = default_dir = g_path_get_dirname (local);
    }
  if (!(current = read_current_in (data_dir)))
    return NULL;
  folder = rh_accounts_sanitize_account_id (current);
  return g_build_filename (data_dir, "accounts", folder, "collection.rehearse", NULL);
}

/**
 * rh_accounts_get_auth:
 *
 * Returns: (transfer none): the sign-in use case (also the #RhTokenSource
 *   for sync)
 */
RhAuth *
rh_accounts_get_auth (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  return self->auth;
}

/**
 * rh_accounts_get_config:
 *
 * Returns: (transfer none): the sign-in configuration (the API URL too)
 */
RhCognitoConfig *
rh_accounts_get_config (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  return self->config;
}

const char *
rh_accounts_get_data_dir (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  return self->data_dir;
}

/**
 * rh_accounts_dup_local_path:
 *
 * Returns: (transfer full): the signed-out learner's collection
 */
char *
rh_accounts_dup_local_path (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  return g_strdup (self->local_path);
}

/**
 * rh_accounts_dup_collection_path_for:
 *
 * Returns: (transfer full): the collection of @account_id
 */
char *
rh_accounts_dup_collection_path_for (RhAccounts *self,
                                     const char *account_id)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  folder = rh_accounts_sanitize_account_id (account_id);
  return g_build_filename (self->data_dir, "accounts", folder, "collection.rehearse", NULL);
}

/**
 * rh_accounts_dup_current_account:
 *
 * Returns: (transfer full) (nullable): the id of the account whose
 *   collection is in use
 */
char *
rh_accounts_dup_current_account (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  return g_strdup (self->current);
}

/**
 * rh_accounts_dup_collection_path:
 *
 * Returns: (transfer full): the collection to open: the current account's,
 *   or the signed-out learner's
 */
char *
rh_accounts_dup_collection_path (RhAccounts *self)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);

  if (self->current != NULL)
    return rh_accounts_dup_collection_path_for (self, self->current);
  return g_strdup (self->local_path);
}

static void
restore_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RhAccounts *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  RhUser *user;

  user = rh_auth_restore_finish (RH_AUTH (object), result, &error);
  if (user == NULL)
    {
      /* No tokens for it any more: the learner is signed out. A keyring
       * that cannot be reached keeps the account current (its data stays
       * in view; sync says what is wrong). */
      if (g_error_matches (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT) ||
          g_error_matches (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN))
        set_current (self, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, user, g_object_unref);
}

/**
 * rh_accounts_restore_async:
 *
 * Signs the remembered account back in from the keyring (no network).
 * Completes with %NULL and no error when nobody was signed in.
 */
void
rh_accounts_restore_async (RhAccounts          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RH_IS_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_accounts_restore_async);
  if (self->current == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  rh_auth_restore_async (self->auth, self->current, cancellable, restore_done_cb,
                         g_steal_pointer (&task));
}

/**
 * rh_accounts_restore_finish:
 *
 * Returns: (transfer full) (nullable): the learner signed back in, or
 *   %NULL (without an error when nobody was signed in)
 */
RhUser *
rh_accounts_restore_finish (RhAccounts    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rh_accounts_forget_current:
 *
 * Stops using the remembered account's collection without signing out
 * through #RhAuth: for when its tokens cannot be read at all.
 */
void
rh_accounts_forget_current (RhAccounts *self)
{
  g_return_if_fail (RH_IS_ACCOUNTS (self));
  set_current (self, NULL);
}

/**
 * rh_accounts_can_bring_local:
 *
 * Whether signing in as @account_id should offer to bring the signed-out
 * collection along: it exists and the account has no collection here yet
 * (the first sign-in on this computer).
 */
gboolean
rh_accounts_can_bring_local (RhAccounts *self,
                             const char *account_id)
{
  g_autofree char *dest = NULL;

  g_return_val_if_fail (RH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  dest = rh_accounts_dup_collection_path_for (self, account_id);
  return g_file_test (self->local_path, G_FILE_TEST_IS_REGULAR) &&
         !g_file_test (dest, G_FILE_TEST_EXISTS);
}

/**
 * rh_accounts_bring_local:
 *
 * Copies the signed-out collection to be @account_id's collection, with
 * SQLite's own consistent copy (`VACUUM INTO`); the signed-out collection
 * stays as it is. Only for an account with no collection here yet.
 * Blocking.
 */
gboolean
rh_accounts_bring_local (RhAccounts  *self,
                         const char  *account_id,
                         GError     **error)
{
  g_autofree char *dest = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(RhSqliteDatabase) db = NULL;

  g_return_val_if_fail (RH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  dest = rh_accounts_dup_collection_path_for (self, account_id);
  if (!g_file_test (self->local_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no collection on this computer to bring along."));
      return FALSE;
    }
  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("This account already has a collection on this computer."));
      return FALSE;
    }

  dir = g_path_get_dirname (dest);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (!(db = rh_sqlite_database_open (self->local_path, error)))
    return FALSE;
  g_debug ("Copying the signed-out collection into an account");
  return rh_sqlite_database_backup_to (db, dest, error);
}

static void
bring_local_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (rh_accounts_bring_local (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * rh_accounts_bring_local_async:
 *
 * rh_accounts_bring_local() on a worker thread.
 */
void
rh_accounts_bring_local_async (RhAccounts          *self,
                               const char          *account_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RH_IS_ACCOUNTS (self));
  g_return_if_fail (account_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_accounts_bring_local_async);
  g_task_set_task_data (task, g_strdup (account_id), g_free);
  g_task_run_in_thread (task, bring_local_thread);
}

gboolean
rh_accounts_bring_local_finish (RhAccounts    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (RH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
