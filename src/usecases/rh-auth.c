// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-auth.h"

/**
 * RhAuth:
 *
 * Signing in and staying signed in: one sign-in attempt at a time (the
 * authorize URL to open, the callback to check and trade for tokens,
 * cancel and a timeout), the signed-in account restored from the secret
 * store, sign-out, and the access token for sync (#RhTokenSource).
 *
 * The object lives on the main context it was made on: its signals and
 * property notifications are emitted there, and the async calls must be
 * made there. The #RhTokenSource calls block and may come from any thread.
 */
struct _RhAuth
{
  GObject             parent_instance;

  RhAuthProvider     *provider;
  RhSecretRepository *secrets;
  RhCallbackReceiver *receiver;
  GMainContext       *context;
  guint               timeout_seconds;

  /* the attempt in progress; main context only */
  RhAuthRequest      *request;
  GCancellable       *attempt_cancellable;
  GSource            *timeout_source;
  guint               attempt_id;
  gboolean            completing;

  /* main context only */
  RhUser             *user;

  /* shared with the threads that ask for tokens */
  GMutex              lock;
  char               *account;
  char               *access_token;
  gint64              access_expires_at;
  guint               generation;

  /* one refresh or sign-out at a time touches the secrets */
  GMutex              refresh_lock;
};

static void rh_auth_token_source_init (RhTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhAuth, rh_auth, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_TOKEN_SOURCE,
                                                      rh_auth_token_source_init))

enum {
  PROP_0,
  PROP_USER,
  PROP_SIGNING_IN,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  SIGN_IN_FINISHED,
  SIGNED_OUT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
rh_auth_finalize (GObject *object)
{
  RhAuth *self = (RhAuth *)object;

  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (self->attempt_cancellable != NULL)
    g_cancellable_cancel (self->attempt_cancellable);
  g_clear_object (&self->attempt_cancellable);
  if (self->receiver != NULL)
    rh_callback_receiver_stop (self->receiver);
  g_clear_pointer (&self->request, rh_auth_request_free);
  g_clear_object (&self->user);
  g_clear_object (&self->provider);
  g_clear_object (&self->secrets);
  g_clear_object (&self->receiver);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->access_token, rh_secret_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->refresh_lock);

  G_OBJECT_CLASS (rh_auth_parent_class)->finalize (object);
}

static void
rh_auth_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RhAuth *self = RH_AUTH (object);

  switch (prop_id)
    {
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    case PROP_SIGNING_IN:
      g_value_set_boolean (value, self->request != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_auth_class_init (RhAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rh_auth_finalize;
  object_class->get_property = rh_auth_get_property;

  /**
   * RhAuth:user:
   *
   * The signed-in learner (from the ID token's claims), or %NULL.
   */
  properties [PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, RH_TYPE_USER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RhAuth:signing-in:
   *
   * Whether a sign-in attempt waits for the browser.
   */
  properties [PROP_SIGNING_IN] =
    g_param_spec_boolean ("signing-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RhAuth::sign-in-finished:
   * @user: (nullable): the learner who signed in
   * @error: (nullable): why the attempt ended without signing in
   *   (%RH_AUTH_ERROR_CANCELLED after a cancel or the timeout)
   *
   * Every attempt begun with rh_auth_begin_sign_in() ends with this,
   * whichever way it ends.
   */
  signals [SIGN_IN_FINISHED] =
    g_signal_new ("sign-in-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, RH_TYPE_USER, G_TYPE_ERROR);

  /**
   * RhAuth::signed-out:
   * @reason: (nullable): %NULL when the learner signed out; an error
   *   (%RH_AUTH_ERROR_REFUSED) when the provider ended the session and the
   *   learner has to be told
   */
  signals [SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
rh_auth_init (RhAuth *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->refresh_lock);
  self->timeout_seconds = RH_AUTH_SIGN_IN_TIMEOUT_SECONDS;
}

/**
 * rh_auth_new:
 * @provider: the OpenID provider
 * @secrets: where the tokens are kept
 * @receiver: (nullable): receives the redirect itself (loopback); %NULL
 *   when the redirect comes through the app's URI scheme and is handed to
 *   rh_auth_complete_sign_in_async()
 *
 * Returns: (transfer full): a signed-out #RhAuth; rh_auth_restore_async()
 *   brings back the account that was signed in
 */
RhAuth *
rh_auth_new (RhAuthProvider     *provider,
             RhSecretRepository *secrets,
             RhCallbackReceiver *receiver)
{
  RhAuth *self;

  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (provider), NULL);
  g_return_val_if_fail (RH_IS_SECRET_REPOSITORY (secrets), NULL);
  g_return_val_if_fail (receiver == NULL || RH_IS_CALLBACK_RECEIVER (receiver), NULL);

  self = g_object_new (RH_TYPE_AUTH, NULL);
  self->provider = g_object_ref (provider);
  self->secrets = g_object_ref (secrets);
  self->receiver = receiver ? g_object_ref (receiver) : NULL;
  self->context = g_main_context_ref_thread_default ();
  return self;
}

/**
 * rh_auth_set_sign_in_timeout:
 *
 * How long an attempt waits for the browser (for tests; the default is
 * %RH_AUTH_SIGN_IN_TIMEOUT_SECONDS). Applies to the next attempt.
 */
void
rh_auth_set_sign_in_timeout (RhAuth *self,
                             guint   seconds)
{
  g_return_if_fail (RH_IS_AUTH (self));
  g_return_if_fail (seconds > 0);
  self->timeout_seconds = seconds;
}

/**
 * rh_auth_get_user:
 *
 * Returns: (transfer none) (nullable): the signed-in learner
 */
RhUser *
rh_auth_get_user (RhAuth *self)
{
  g_return_val_if_fail (RH_IS_AUTH (self), NULL);
  return self->user;
}

/**
 * rh_auth_dup_account_id:
 *
 * Safe from any thread.
 *
 * Returns: (transfer full) (nullable): the signed-in account's subject
 */
char *
rh_auth_dup_account_id (RhAuth *self)
{
  char *account;

  g_return_val_if_fail (RH_IS_AUTH (self), NULL);
  g_mutex_lock (&self->lock);
  account = g_strdup (self->account);
  g_mutex_unlock (&self->lock);
  return account;
}

gboolean
rh_auth_get_signing_in (RhAuth *self)
{
  g_return_val_if_fail (RH_IS_AUTH (self), FALSE);
  return self->request != NULL;
}

/* The learner as the ID token describes them. A claim the domain refuses
 * (an odd e-mail address) is left out rather than refusing the sign-in:
 * the subject is what matters. */
static RhUser *
user_from_claims (const RhIdClaims  *claims,
                  GError           **error)
{
  g_autoptr(RhUser) user = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(user = rh_user_new (claims->sub, NULL, &local_error)))
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN,
                   _("The sign-in service sent an unusable account id: %s"),
                   local_error->message);
      return NULL;
    }
  if (claims->email != NULL && !rh_user_set_email (user, claims->email, &local_error))
    {
      g_debug ("The account’s e-mail address was left out: %s", local_error->message);
      g_clear_error (&local_error);
    }
  if (claims->name != NULL && !rh_user_set_display_name (user, claims->name, &local_error))
    {
      g_debug ("The account’s name was left out: %s", local_error->message);
      g_clear_error (&local_error);
    }
  return g_steal_pointer (&user);
}

static void
set_user (RhAuth *self,
          RhUser *user)
{
  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_USER]);
}

/* Main context: the account, as the threads see it. */
static void
set_account (RhAuth           *self,
             const char       *account,
             const RhTokenSet *tokens)
{
  g_mutex_lock (&self->lock);
  g_free (self->account);
  self->account = g_strdup (account);
  g_clear_pointer (&self->access_token, rh_secret_free);
  self->access_expires_at = 0;
  if (tokens != NULL && tokens->access_token != NULL)
    {
      self->access_token = g_strdup (tokens->access_token);
      self->access_expires_at = tokens->expires_at;
    }
  self->generation++;
  g_mutex_unlock (&self->lock);
}

/* Restore */

typedef struct
{
  char       *account;
  RhUser     *user;
  RhTokenSet *tokens;
} RestoreData;

static void
restore_data_free (RestoreData *data)
{
  g_free (data->account);
  g_clear_object (&data->user);
  g_clear_pointer (&data->tokens, rh_token_set_free);
  g_free (data);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RhAuth *self = source_object;
  RestoreData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RhIdClaims) claims = NULL;
  g_autoptr(RhTokenSet) tokens = g_new0 (RhTokenSet, 1);

  tokens->refresh_token = rh_secret_repository_lookup (self->secrets, data->account,
                                                       RH_SECRET_KIND_REFRESH, NULL,
                                                       cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (tokens->refresh_token == NULL)
    {
      g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT,
                               _("You are signed out: sign in again to sync."));
      return;
    }
  tokens->id_token = rh_secret_repository_lookup (self->secrets, data->account,
                                                  RH_SECRET_KIND_ID, NULL, cancellable, &error);
  if (error == NULL)
    tokens->access_token = rh_secret_repository_lookup (self->secrets, data->account,
                                                        RH_SECRET_KIND_ACCESS,
                                                        &tokens->expires_at,
                                                        cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The ID token was verified when it arrived; the secret store is trusted
   * to hand back what was put in. Its expiry does not matter here. */
  if (tokens->id_token != NULL)
    claims = rh_auth_provider_read_id_token (self->provider, tokens->id_token, &error);
  if (claims != NULL && g_strcmp0 (claims->sub, data->account) != 0)
    {
      g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN,
                               _("The stored sign-in belongs to another account."));
      return;
    }
  if (claims == NULL)
    {
      g_clear_error (&error);
      claims = g_new0 (RhIdClaims, 1);
      claims->sub = g_strdup (data->account);
    }
  if (!(data->user = user_from_claims (claims, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->tokens = g_steal_pointer (&tokens);
  g_task_return_boolean (task, TRUE);
}

/**
 * rh_auth_restore_async:
 * @account_id: the account that was signed in last (its subject)
 *
 * Signs @account_id back in from the tokens in the secret store, without
 * the network. Fails with %RH_AUTH_ERROR_SIGNED_OUT when the store has no
 * refresh token for it.
 */
void
rh_auth_restore_async (RhAuth              *self,
                       const char          *account_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RestoreData *data;

  g_return_if_fail (RH_IS_AUTH (self));
  g_return_if_fail (account_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_auth_restore_async);
  data = g_new0 (RestoreData, 1);
  data->account = g_strdup (account_id);
  g_task_set_task_data (task, data, (GDestroyNotify) restore_data_free);
  g_task_run_in_thread (task, restore_thread);
}

/**
 * rh_auth_restore_finish:
 *
 * Returns: (transfer full) (nullable): the learner signed back in
 */
RhUser *
rh_auth_restore_finish (RhAuth        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  RestoreData *data;

  g_return_val_if_fail (RH_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  /* a sign-in that finished first wins */
  if (self->user == NULL)
    {
      set_account (self, data->account, data->tokens);
      set_user (self, data->user);
    }
  return g_object_ref (self->user);
}

/* The sign-in attempt */

static void
finish_attempt (RhAuth       *self,
                RhUser       *user,
                const GError *error)
{
  if (self->request == NULL)
    return;

  g_debug ("Sign-in attempt %u ends: %s", self->attempt_id,
           error ? error->message : "signed in");
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (error != NULL)
    g_cancellable_cancel (self->attempt_cancellable);
  g_clear_object (&self->attempt_cancellable);
  if (self->receiver != NULL)
    rh_callback_receiver_stop (self->receiver);
  g_clear_pointer (&self->request, rh_auth_request_free);
  self->completing = FALSE;

  g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIGNING_IN]);
  g_signal_emit (self, signals [SIGN_IN_FINISHED], 0, user, error);
  g_object_unref (self);
}

static gboolean
sign_in_timeout_cb (gpointer user_data)
{
  RhAuth *self = user_data;
  g_autoptr(GError) error = NULL;
  guint minutes = MAX (1, self->timeout_seconds / 60);

  g_clear_pointer (&self->timeout_source, g_source_unref);
  error = g_error_new (RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Nothing came back from the browser within %u minute, "
                                    "so sign-in was stopped. Try again.",
                                    "Nothing came back from the browser within %u minutes, "
                                    "so sign-in was stopped. Try again.",
                                    minutes),
                       minutes);
  finish_attempt (self, NULL, error);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RhAuth *self;
  guint   attempt_id;
} AttemptRef;

static void
receiver_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AttemptRef *ref = user_data;
  g_autoptr(RhAuth) self = ref->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint attempt_id = ref->attempt_id;

  g_free (ref);
  uri = rh_callback_receiver_wait_finish (RH_CALLBACK_RECEIVER (object), result, &error);
  if (self->request == NULL || self->attempt_id != attempt_id)
    return;
  if (uri == NULL)
    {
      finish_attempt (self, NULL, error);
      return;
    }
  /* the outcome reaches the learner through ::sign-in-finished */
  rh_auth_complete_sign_in_async (self, uri, NULL, NULL, NULL);
}

/**
 * rh_auth_begin_sign_in:
 * @mode: the page to open on: sign in, create account, or Google
 *
 * Starts an attempt (ending any attempt in progress): fresh PKCE verifier,
 * state and nonce, the loopback listener started when there is one, and
 * the timeout. The caller opens the URL in the learner's browser; the
 * attempt ends with #RhAuth::sign-in-finished.
 *
 * Returns: (transfer full) (nullable): the authorize URL to open
 */
char *
rh_auth_begin_sign_in (RhAuth      *self,
                       RhAuthMode   mode,
                       GError     **error)
{
  g_autofree char *redirect_uri = NULL;

  g_return_val_if_fail (RH_IS_AUTH (self), NULL);

  if (self->request != NULL)
    rh_auth_cancel_sign_in (self);

  if (self->receiver != NULL && !(redirect_uri = rh_callback_receiver_start (self->receiver, error)))
    return NULL;

  self->request = rh_auth_provider_new_request (self->provider, mode, redirect_uri);
  self->attempt_cancellable = g_cancellable_new ();
  self->attempt_id++;
  self->completing = FALSE;
  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->timeout_source, sign_in_timeout_cb, self, NULL);
  g_source_set_static_name (self->timeout_source, "[rh-auth] sign-in timeout");
  g_source_attach (self->timeout_source, self->context);
  g_debug ("Sign-in attempt %u begins (mode %d)", self->attempt_id, mode);

  if (self->receiver != NULL)
    {
      AttemptRef *ref = g_new0 (AttemptRef, 1);

      ref->self = g_object_ref (self);
      ref->attempt_id = self->attempt_id;
      rh_callback_receiver_wait_async (self->receiver, self->attempt_cancellable,
                                       receiver_done_cb, ref);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIGNING_IN]);
  return g_strdup (self->request->url);
}

/**
 * rh_auth_cancel_sign_in:
 *
 * Ends the attempt in progress, if any, with %RH_AUTH_ERROR_CANCELLED.
 */
void
rh_auth_cancel_sign_in (RhAuth *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RH_IS_AUTH (self));

  if (self->request == NULL)
    return;
  error = g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                               _("Sign-in was cancelled."));
  finish_attempt (self, NULL, error);
}

/* Whether @uri is @redirect_uri with a query or fragment: the provider
 * sends the browser back to exactly the URI it was given. */
static gboolean
uri_matches_redirect (const char *uri,
                      const char *redirect_uri)
{
  gsize len;

  if (uri == NULL || redirect_uri == NULL)
    return FALSE;
  len = strlen (redirect_uri);
  return strncmp (uri, redirect_uri, len) == 0 &&
         (uri[len] == '\0' || uri[len] == '?' || uri[len] == '#');
}

/**
 * rh_auth_is_callback_uri:
 *
 * Whether @uri is a redirect back from the provider (to the configured
 * redirect URI or the attempt's): what the app's `open` hands here.
 */
gboolean
rh_auth_is_callback_uri (RhAuth     *self,
                         const char *uri)
{
  g_autofree char *configured = NULL;

  g_return_val_if_fail (RH_IS_AUTH (self), FALSE);

  if (self->request != NULL && uri_matches_redirect (uri, self->request->redirect_uri))
    return TRUE;
  configured = rh_auth_provider_dup_redirect_uri (self->provider);
  return uri_matches_redirect (uri, configured);
}

/* Both strings are secrets of the same length class: compare them without
 * stopping at the first difference. */
static gboolean
secret_equal (const char *a,
              const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);
  guint diff = len_a != len_b;

  for (gsize i = 0; i < len_a && i < len_b; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];
  return diff == 0;
}

typedef struct
{
  GTask         *outer;
  RhAuthRequest *request;
  char          *code;
  char          *previous_account;
  guint          attempt_id;
  RhUser        *user;
  RhTokenSet    *tokens;
} CompleteData;

static void
complete_data_free (CompleteData *data)
{
  g_clear_object (&data->outer);
  g_clear_pointer (&data->request, rh_auth_request_free);
  g_clear_pointer (&data->code, rh_secret_free);
  g_free (data->previous_account);
  g_clear_object (&data->user);
  g_clear_pointer (&data->tokens, rh_token_set_free);
  g_free (data);
}

/* The refresh token goes in last: it is what marks an account as signed
 * in (restore_thread() looks for it first), so another process reading the
 * store meanwhile sees either the whole sign-in or none of it. */
static gboolean
store_tokens (RhAuth            *self,
              const char        *account,
              const RhTokenSet  *tokens,
              GCancellable      *cancellable,
              GError           **error)
{
  if (tokens->id_token != NULL &&
      !rh_secret_repository_store (self->secrets, account, RH_SECRET_KIND_ID,
                                   tokens->id_token, 0, cancellable, error))
    return FALSE;
  if (tokens->access_token != NULL &&
      !rh_secret_repository_store (self->secrets, account, RH_SECRET_KIND_ACCESS,
                                   tokens->access_token, tokens->expires_at,
                                   cancellable, error))
    return FALSE;
  if (tokens->refresh_token != NULL &&
      !rh_secret_repository_store (self->secrets, account, RH_SECRET_KIND_REFRESH,
                                   tokens->refresh_token, 0, cancellable, error))
    return FALSE;
  return TRUE;
}

/* Forgets an account's tokens, telling the provider first (best effort:
 * the tokens go from this machine even when the provider cannot be
 * reached). */
static gboolean
forget_account (RhAuth        *self,
                const char    *account,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) revoke_error = NULL;
  g_autoptr(GError) lookup_error = NULL;
  char *refresh_token;

  refresh_token = rh_secret_repository_lookup (self->secrets, account, RH_SECRET_KIND_REFRESH,
                                               NULL, cancellable, &lookup_error);
  if (refresh_token != NULL)
    {
      if (!rh_auth_provider_revoke (self->provider, refresh_token, cancellable, &revoke_error))
        g_debug ("The refresh token could not be revoked: %s", revoke_error->message);
      rh_secret_free (refresh_token);
    }
  if (!rh_secret_repository_clear (self->secrets, account, cancellable, error))
    return FALSE;
  if (lookup_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&lookup_error));
      return FALSE;
    }
  if (revoke_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&revoke_error));
      return FALSE;
    }
  return TRUE;
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RhAuth *self = source_object;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->refresh_lock);
  if (!forget_account (self, task_data, cancellable, &error))
    g_debug ("An account was not fully forgotten: %s", error->message);
  g_mutex_unlock (&self->refresh_lock);
  g_task_return_boolean (task, TRUE);
}

static void
forget_in_thread (RhAuth     *self,
                  const char *account)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, forget_in_thread);
  g_task_set_task_data (task, g_strdup (account), g_free);
  g_task_run_in_thread (task, forget_thread);
}

static void
complete_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RhAuth *self = source_object;
  CompleteData *data = task_data;
  g_autoptr(RhTokenSet) tokens = NULL;
  g_autoptr(RhIdClaims) claims = NULL;
  g_autoptr(GError) error = NULL;

  if (!(tokens = rh_auth_provider_exchange_code (self->provider, data->request, data->code,
                                                 cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (tokens->id_token == NULL || tokens->refresh_token == NULL)
    {
      g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                               _("The sign-in service did not send the expected tokens."));
      return;
    }
  if (!(claims = rh_auth_provider_verify_id_token (self->provider, tokens->id_token,
                                                   data->request->nonce, cancellable, &error)) ||
      !(data->user = user_from_claims (claims, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_mutex_lock (&self->refresh_lock);
  /* Another account's tokens do not stay behind when someone else signs in
   * on this machine. */
  if (data->previous_account != NULL && g_strcmp0 (data->previous_account, claims->sub) != 0)
    {
      g_autoptr(GError) forget_error = NULL;

      if (!forget_account (self, data->previous_account, cancellable, &forget_error))
        g_debug ("The previous account was not fully forgotten: %s", forget_error->message);
    }
  if (!rh_secret_repository_clear (self->secrets, claims->sub, cancellable, &error) ||
      !store_tokens (self, claims->sub, tokens, cancellable, &error))
    {
      g_autoptr(GError) clear_error = NULL;

      rh_secret_repository_clear (self->secrets, claims->sub, NULL, &clear_error);
      g_mutex_unlock (&self->refresh_lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_mutex_unlock (&self->refresh_lock);

  data->tokens = g_steal_pointer (&tokens);
  g_task_return_boolean (task, TRUE);
}

static void
complete_thread_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  RhAuth *self = RH_AUTH (object);
  CompleteData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = g_object_ref (data->outer);
  g_autoptr(GError) error = NULL;
  gboolean current = self->request != NULL && self->attempt_id == data->attempt_id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                                       _("Sign-in was cancelled."));
        }
      if (current)
        finish_attempt (self, NULL, error);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  if (!current)
    {
      g_autofree char *account = rh_auth_dup_account_id (self);

      /* Cancelled while the tokens were on their way: an account that was
       * not signed in does not stay in the secret store; the one that is
       * keeps its new tokens. */
      if (g_strcmp0 (account, rh_user_get_id (data->user)) == 0)
        set_account (self, account, data->tokens);
      else
        forget_in_thread (self, rh_user_get_id (data->user));
      g_task_return_new_error (outer, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                               _("Sign-in was cancelled."));
      return;
    }

  set_account (self, rh_user_get_id (data->user), data->tokens);
  set_user (self, data->user);
  g_debug ("Signed in");
  finish_attempt (self, data->user, NULL);
  g_task_return_pointer (outer, g_object_ref (data->user), g_object_unref);
}

static void
fail_attempt (RhAuth *self,
              GTask  *task,
              GError *error)
{
  finish_attempt (self, NULL, error);
  g_task_return_error (task, error);
}

/**
 * rh_auth_complete_sign_in_async:
 * @callback_uri: the redirect the browser came back with
 *
 * Checks the callback's `state` against the attempt's (a mismatch ends the
 * attempt with %RH_AUTH_ERROR_STATE_MISMATCH, before any network), trades
 * the code for tokens, verifies the ID token, and keeps the tokens in the
 * secret store. The attempt ends with #RhAuth::sign-in-finished too.
 */
void
rh_auth_complete_sign_in_async (RhAuth              *self,
                                const char          *callback_uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *state;
  const char *code;
  const char *provider_error;
  CompleteData *data;

  g_return_if_fail (RH_IS_AUTH (self));
  g_return_if_fail (callback_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_auth_complete_sign_in_async);

  if (self->request == NULL || self->completing)
    {
      /* A stray or replayed callback: it does not touch the attempt (if
       * any) and gets nothing. */
      g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH,
                               _("This sign-in link does not belong to a sign-in in progress."));
      return;
    }

  if (!uri_matches_redirect (callback_uri, self->request->redirect_uri) ||
      !(uri = g_uri_parse (callback_uri, G_URI_FLAGS_ENCODED_QUERY, NULL)) ||
      g_uri_get_query (uri) == NULL ||
      !(params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM,
                                     NULL)))
    {
      fail_attempt (self, task,
                    g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH,
                                         _("The browser came back with an unexpected address.")));
      return;
    }

  state = g_hash_table_lookup (params, "state");
  if (state == NULL || !secret_equal (state, self->request->state))
    {
      fail_attempt (self, task,
                    g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH,
                                         _("The browser came back from a different sign-in "
                                           "than the one started here. Try again.")));
      return;
    }

  provider_error = g_hash_table_lookup (params, "error");
  if (g_strcmp0 (provider_error, "access_denied") == 0)
    {
      fail_attempt (self, task,
                    g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                                         _("Sign-in was cancelled in the browser.")));
      return;
    }
  if (provider_error != NULL)
    {
      const char *description = g_hash_table_lookup (params, "error_description");

      fail_attempt (self, task,
                    g_error_new (RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                                 _("The sign-in service refused: %s"),
                                 description ? description : provider_error));
      return;
    }

  code = g_hash_table_lookup (params, "code");
  if (code == NULL || *code == '\0')
    {
      fail_attempt (self, task,
                    g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                                         _("The sign-in service sent no authorization code.")));
      return;
    }

  /* The browser is back: the timeout is over, the network's own limits
   * apply to the exchange. */
  self->completing = TRUE;
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (self->receiver != NULL)
    rh_callback_receiver_stop (self->receiver);

  data = g_new0 (CompleteData, 1);
  data->outer = g_object_ref (task);
  data->request = rh_auth_request_copy (self->request);
  data->code = g_strdup (code);
  data->previous_account = rh_auth_dup_account_id (self);
  data->attempt_id = self->attempt_id;

  inner = g_task_new (self, self->attempt_cancellable, complete_thread_done_cb, NULL);
  g_task_set_source_tag (inner, complete_thread);
  g_task_set_task_data (inner, data, (GDestroyNotify) complete_data_free);
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_run_in_thread (inner, complete_thread);
}

/**
 * rh_auth_complete_sign_in_finish:
 *
 * Returns: (transfer full) (nullable): the learner who signed in
 */
RhUser *
rh_auth_complete_sign_in_finish (RhAuth        *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RH_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sign-out */

typedef struct
{
  char     *account;
  gboolean  end_hosted_session;
  char     *logout_url;
} SignOutData;

static void
sign_out_data_free (SignOutData *data)
{
  g_free (data->account);
  g_free (data->logout_url);
  g_free (data);
}

static void
sign_out_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RhAuth *self = source_object;
  SignOutData *data = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (data->end_hosted_session)
    data->logout_url = rh_auth_provider_dup_logout_url (self->provider);
  if (data->account != NULL)
    {
      g_mutex_lock (&self->refresh_lock);
      ok = forget_account (self, data->account, cancellable, &error);
      g_mutex_unlock (&self->refresh_lock);
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * rh_auth_sign_out_async:
 * @end_hosted_session: also give the URL that ends the hosted UI's
 *   session in the browser (so the next sign-in asks for the password)
 *
 * Signs out at once (#RhAuth:user becomes %NULL, #RhAuth::signed-out is
 * emitted), then revokes the refresh token at the provider and forgets the
 * tokens.
 */
void
rh_auth_sign_out_async (RhAuth              *self,
                        gboolean             end_hosted_session,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignOutData *data;
  gboolean was_signed_in;

  g_return_if_fail (RH_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_auth_sign_out_async);
  data = g_new0 (SignOutData, 1);
  data->account = rh_auth_dup_account_id (self);
  data->end_hosted_session = end_hosted_session;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_out_data_free);

  was_signed_in = data->account != NULL || self->user != NULL;
  set_account (self, NULL, NULL);
  set_user (self, NULL);
  if (was_signed_in)
    g_signal_emit (self, signals [SIGNED_OUT], 0, NULL);

  g_task_run_in_thread (task, sign_out_thread);
}

/**
 * rh_auth_sign_out_finish:
 * @out_logout_url: (out) (optional) (nullable): the hosted UI's sign-out
 *   URL to open, when asked for
 *
 * Returns: %TRUE when everything was undone; %FALSE when the provider could
 *   not be told or the secrets not removed: the learner is signed out on
 *   this machine all the same
 */
gboolean
rh_auth_sign_out_finish (RhAuth        *self,
                         GAsyncResult  *result,
                         char         **out_logout_url,
                         GError       **error)
{
  SignOutData *data;

  g_return_val_if_fail (RH_IS_AUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_logout_url != NULL)
    *out_logout_url = g_strdup (data->logout_url);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* RhTokenSource: any thread */

typedef struct
{
  RhAuth *self;
  guint   generation;
  RhUser *user;
  GError *reason;
} MainCall;

static void
main_call_free (MainCall *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->user);
  g_clear_error (&call->reason);
  g_free (call);
}

static gboolean
ended_session_cb (gpointer user_data)
{
  MainCall *call = user_data;
  RhAuth *self = call->self;

  g_mutex_lock (&self->lock);
  if (call->generation != self->generation)
    {
      g_mutex_unlock (&self->lock);
      return G_SOURCE_REMOVE;
    }
  g_mutex_unlock (&self->lock);

  set_user (self, NULL);
  g_signal_emit (self, signals [SIGNED_OUT], 0, call->reason);
  return G_SOURCE_REMOVE;
}

static gboolean
update_user_cb (gpointer user_data)
{
  MainCall *call = user_data;
  RhAuth *self = call->self;
  gboolean current;

  g_mutex_lock (&self->lock);
  current = call->generation == self->generation;
  g_mutex_unlock (&self->lock);
  if (current && self->user != NULL &&
      g_strcmp0 (rh_user_get_id (self->user), rh_user_get_id (call->user)) == 0)
    set_user (self, call->user);
  return G_SOURCE_REMOVE;
}

static void
invoke_on_main (RhAuth      *self,
                GSourceFunc  func,
                MainCall    *call)
{
  call->self = g_object_ref (self);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, func, call,
                              (GDestroyNotify) main_call_free);
}

/* The provider refused the refresh token: the session is over. Signed out
 * cleanly, and the learner is told why. Called with refresh_lock held. */
static void
end_refused_session (RhAuth       *self,
                     const char   *account,
                     guint         generation,
                     const GError *reason)
{
  g_autoptr(GError) clear_error = NULL;
  MainCall *call;

  g_mutex_lock (&self->lock);
  if (generation != self->generation)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->access_token, rh_secret_free);
  self->access_expires_at = 0;
  self->generation++;
  generation = self->generation;
  g_mutex_unlock (&self->lock);

  if (!rh_secret_repository_clear (self->secrets, account, NULL, &clear_error))
    g_warning ("Could not remove the ended session’s tokens: %s", clear_error->message);

  call = g_new0 (MainCall, 1);
  call->generation = generation;
  call->reason = g_error_copy (reason);
  invoke_on_main (self, ended_session_cb, call);
}

static char *
refresh_tokens (RhAuth        *self,
                gboolean       force,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GMutexLocker) refresh_locker = g_mutex_locker_new (&self->refresh_lock);
  g_autofree char *account = NULL;
  g_autoptr(RhTokenSet) tokens = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhIdClaims) claims = NULL;
  char *refresh_token;
  char *access_token = NULL;
  guint generation;

  g_mutex_lock (&self->lock);
  account = g_strdup (self->account);
  generation = self->generation;
  /* someone else refreshed while this thread waited */
  if (!force && self->access_token != NULL &&
      self->access_expires_at - g_get_real_time () > RH_AUTH_REFRESH_MARGIN_SECONDS * G_USEC_PER_SEC)
    access_token = g_strdup (self->access_token);
  g_mutex_unlock (&self->lock);

  if (access_token != NULL)
    return access_token;
  if (account == NULL)
    {
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT,
                           _("You are not signed in."));
      return NULL;
    }

  refresh_token = rh_secret_repository_lookup (self->secrets, account, RH_SECRET_KIND_REFRESH,
                                               NULL, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (refresh_token == NULL)
    {
      local_error = g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED,
                                         _("Your sign-in is no longer stored on this computer. "
                                           "Sign in again to sync."));
      end_refused_session (self, account, generation, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_debug ("Refreshing the access token");
  tokens = rh_auth_provider_refresh (self->provider, refresh_token, cancellable, &local_error);
  rh_secret_free (refresh_token);
  if (tokens == NULL)
    {
      if (g_error_matches (local_error, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED))
        {
          g_autoptr(GError) reason = NULL;

          reason = g_error_new_literal (RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED,
                                        _("Your session has ended, so you were signed out. "
                                          "Sign in again to sync."));
          end_refused_session (self, account, generation, reason);
          g_propagate_error (error, g_steal_pointer (&reason));
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* A refreshed ID token (no nonce) may bring a changed name or address;
   * one that fails verification is not kept. */
  if (tokens->id_token != NULL)
    {
      claims = rh_auth_provider_verify_id_token (self->provider, tokens->id_token, NULL,
                                                 cancellable, &local_error);
      if (claims == NULL || g_strcmp0 (claims->sub, account) != 0)
        {
          g_debug ("The refreshed ID token was not kept: %s",
                   local_error ? local_error->message : "another account");
          g_clear_error (&local_error);
          g_clear_pointer (&claims, rh_id_claims_free);
          g_clear_pointer (&tokens->id_token, rh_secret_free);
        }
    }

  g_mutex_lock (&self->lock);
  if (generation != self->generation)
    {
      g_mutex_unlock (&self->lock);
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT,
                           _("You are not signed in."));
      return NULL;
    }
  g_clear_pointer (&self->access_token, rh_secret_free);
  self->access_token = g_strdup (tokens->access_token);
  self->access_expires_at = tokens->expires_at;
  g_mutex_unlock (&self->lock);

  if (!store_tokens (self, account, tokens, cancellable, &local_error))
    g_warning ("Could not keep the refreshed tokens: %s", local_error->message);

  if (claims != NULL)
    {
      MainCall *call = g_new0 (MainCall, 1);

      call->generation = generation;
      if ((call->user = user_from_claims (claims, NULL)))
        invoke_on_main (self, update_user_cb, call);
      else
        main_call_free (call);
    }

  return g_strdup (tokens->access_token);
}

static char *
rh_auth_get_access_token (RhTokenSource  *source,
                          GCancellable   *cancellable,
                          GError        **error)
{
  RhAuth *self = RH_AUTH (source);
  char *token = NULL;
  gboolean signed_in;

  g_mutex_lock (&self->lock);
  signed_in = self->account != NULL;
  if (signed_in && self->access_token != NULL &&
      self->access_expires_at - g_get_real_time () > RH_AUTH_REFRESH_MARGIN_SECONDS * G_USEC_PER_SEC)
    token = g_strdup (self->access_token);
  g_mutex_unlock (&self->lock);

  if (token != NULL)
    return token;
  if (!signed_in)
    {
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT,
                           _("You are not signed in."));
      return NULL;
    }
  return refresh_tokens (self, FALSE, cancellable, error);
}

static char *
rh_auth_refresh_access_token (RhTokenSource  *source,
                              GCancellable   *cancellable,
                              GError        **error)
{
  return refresh_tokens (RH_AUTH (source), TRUE, cancellable, error);
}

static char *
rh_auth_token_source_dup_user_id (RhTokenSource *source)
{
  return rh_auth_dup_account_id (RH_AUTH (source));
}

static void
rh_auth_token_source_init (RhTokenSourceInterface *iface)
{
  iface->get_access_token = rh_auth_get_access_token;
  iface->refresh_access_token = rh_auth_refresh_access_token;
  iface->dup_user_id = rh_auth_token_source_dup_user_id;
}
