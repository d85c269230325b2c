// SPDX-License-Identifier: GPL-3.0-or-later
/* Sign-in: PKCE, the authorize URL, the code exchange and refresh against
 * an in-process SoupServer playing the provider's token endpoint and key
 * set (keys made here with cjose), ID token checks, the secret store (a
 * real Secret Service: run under tests/run-with-keyring.sh), the loopback
 * listener, sign-out, and what reaches the logs. */
#define G_LOG_DOMAIN "test-auth"

#include "config.h"

#include <arpa/inet.h>
#include <cjose/cjose.h>
#include <ifaddrs.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <string.h>

#include "rh-accounts.h"
#include "rh-auth.h"
#include "rh-cognito-config.h"
#include "rh-id-token.h"
#include "rh-loopback-listener.h"
#include "rh-oauth-client.h"
#include "rh-secret-store.h"
#include "rh-test-util.h"

#define CLIENT_ID "rehearse-test"
#define TEST_SUB "5b0c7a1e-2f4d-4c39-9e4e-0d9a7c1b2f10"
#define OTHER_SUB "7f3e9a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b"

/* Everything the logs must never show. */
static GPtrArray *secrets_seen;
static GString *captured_log;
static GMutex log_lock;

typedef enum
{
  TOKEN_OK,
  TOKEN_SERVER_ERROR,
  TOKEN_MALFORMED,
  TOKEN_SLOW,
  TOKEN_INVALID_GRANT,
} TokenMode;

typedef enum
{
  ID_OK,
  ID_FORGED,
  ID_EXPIRED,
  ID_WRONG_AUD,
  ID_WRONG_ISS,
  ID_WRONG_NONCE,
  ID_ALG_NONE,
} IdVariant;

/* The fake provider: a SoupServer on its own thread and main context. */
typedef struct
{
  GMutex        lock;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  char         *base;

  cjose_jwk_t  *key;
  cjose_jwk_t  *forger;

  /* what the next requests get; under lock */
  TokenMode     mode;
  IdVariant     id_variant;
  char         *sub;
  char         *code;
  char         *challenge;
  char         *redirect_uri;
  char         *nonce;
  gint64        expires_in;
  char         *refresh_token;
  gboolean      refresh_revoked;
  guint         token_requests;
  guint         refreshes;
  guint         revocations;
  char         *revoked_token;
  guint         jwks_requests;
  guint         pending_slow;
} FakeProvider;

static FakeProvider fake;

static char *
random_secret (const char *prefix)
{
  g_autofree char *random = rh_oauth_random_string (24);
  char *secret = g_strconcat (prefix, random, NULL);

  g_mutex_lock (&log_lock);
  g_ptr_array_add (secrets_seen, g_strdup (secret));
  g_mutex_unlock (&log_lock);
  return secret;
}

static void
remember_secret (const char *secret)
{
  if (secret == NULL || *secret == '\0')
    return;
  g_mutex_lock (&log_lock);
  g_ptr_array_add (secrets_seen, g_strdup (secret));
  g_mutex_unlock (&log_lock);
}

static char *
sign_jwt (cjose_jwk_t *key,
          const char  *alg,
          JsonNode    *payload)
{
  g_autofree char *json = json_to_string (payload, FALSE);
  cjose_header_t *header = cjose_header_new (NULL);
  cjose_jws_t *jws;
  const char *compact = NULL;
  char *token;

  cjose_header_set (header, CJOSE_HDR_ALG, alg, NULL);
  cjose_header_set (header, CJOSE_HDR_KID, "test-key-1", NULL);
  jws = cjose_jws_sign (key, header, (const uint8_t *) json, strlen (json), NULL);
  g_assert_nonnull (jws);
  g_assert_true (cjose_jws_export (jws, &compact, NULL));
  token = g_strdup (compact);
  cjose_jws_release (jws);
  cjose_header_release (header);
  return token;
}

static char *
base64url (const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

/* Called with fake.lock held. */
static char *
make_id_token (const char *nonce,
               IdVariant   variant)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  char *token;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "iss");
  json_builder_add_string_value (b, variant == ID_WRONG_ISS ? "https://evil.example" : fake.base);
  json_builder_set_member_name (b, "aud");
  json_builder_add_string_value (b, variant == ID_WRONG_AUD ? "another-client" : CLIENT_ID);
  json_builder_set_member_name (b, "sub");
  json_builder_add_string_value (b, fake.sub);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, g_strcmp0 (fake.sub, TEST_SUB) == 0 ? "learner@example.com"
                                                                        : "other@example.com");
  json_builder_set_member_name (b, "email_verified");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Test Learner");
  json_builder_set_member_name (b, "token_use");
  json_builder_add_string_value (b, "id");
  if (nonce != NULL)
    {
      json_builder_set_member_name (b, "nonce");
      json_builder_add_string_value (b, variant == ID_WRONG_NONCE ? "another-nonce" : nonce);
    }
  json_builder_set_member_name (b, "iat");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "exp");
  /* expired well beyond the leeway */
  json_builder_add_int_value (b, variant == ID_EXPIRED ? now - 600 : now + 3600);
  json_builder_end_object (b);
  payload = json_builder_get_root (b);

  if (variant == ID_ALG_NONE)
    {
      g_autofree char *json = json_to_string (payload, FALSE);
      g_autofree char *header = base64url ("{\"alg\":\"none\",\"kid\":\"test-key-1\"}");
      g_autofree char *body = base64url (json);

      token = g_strconcat (header, ".", body, ".", NULL);
    }
  else
    token = sign_jwt (variant == ID_FORGED ? fake.forger : fake.key, CJOSE_HDR_ALG_RS256, payload);
  remember_secret (token);
  return token;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_tokens (SoupServerMessage *msg,
                const char        *nonce,
                gboolean           with_refresh)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *access = random_secret ("AT.");
  g_autofree char *id = make_id_token (nonce, fake.id_variant);
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access);
  json_builder_set_member_name (b, "id_token");
  json_builder_add_string_value (b, id);
  if (with_refresh)
    {
      g_free (fake.refresh_token);
      fake.refresh_token = random_secret ("RT.");
      fake.refresh_revoked = FALSE;
      json_builder_set_member_name (b, "refresh_token");
      json_builder_add_string_value (b, fake.refresh_token);
    }
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, fake.expires_in);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  respond_json (msg, SOUP_STATUS_OK, body);
}

static gboolean
answer_slow_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  respond_json (msg, SOUP_STATUS_OK, "{\"error\":\"too late\"}");
  soup_server_message_unpause (msg);
  g_mutex_lock (&fake.lock);
  fake.pending_slow--;
  g_mutex_unlock (&fake.lock);
  return G_SOURCE_REMOVE;
}

static GHashTable *
read_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static void
token_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fake.lock);
  const char *grant = g_hash_table_lookup (form, "grant_type");

  fake.token_requests++;
  remember_secret (g_hash_table_lookup (form, "code_verifier"));
  remember_secret (g_hash_table_lookup (form, "code"));

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), CLIENT_ID) != 0)
    {
      respond_json (msg, 400, "{\"error\":\"invalid_client\"}");
      return;
    }

  switch (fake.mode)
    {
    case TOKEN_SERVER_ERROR:
      respond_json (msg, 500, "{\"error\":\"server_error\"}");
      return;
    case TOKEN_MALFORMED:
      respond_json (msg, 200, "{\"access_token\": \"cut off");
      return;
    case TOKEN_SLOW:
      {
        GSource *source = g_timeout_source_new (3000);

        fake.pending_slow++;
        soup_server_message_pause (msg);
        g_source_set_callback (source, answer_slow_cb, g_object_ref (msg), g_object_unref);
        g_source_attach (source, fake.context);
        g_source_unref (source);
        return;
      }
    case TOKEN_INVALID_GRANT:
      respond_json (msg, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"gone\"}");
      return;
    case TOKEN_OK:
    default:
      break;
    }

  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *verifier = g_hash_table_lookup (form, "code_verifier");
      g_autofree char *challenge = verifier ? rh_oauth_pkce_challenge (verifier) : NULL;

      /* PKCE S256 and an exact redirect URI, as Cognito checks them */
      if (g_strcmp0 (g_hash_table_lookup (form, "code"), fake.code) != 0 ||
          g_strcmp0 (challenge, fake.challenge) != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "redirect_uri"), fake.redirect_uri) != 0)
        {
          respond_json (msg, 400, "{\"error\":\"invalid_grant\"}");
          return;
        }
      g_clear_pointer (&fake.code, g_free);
      respond_tokens (msg, fake.nonce, TRUE);
      return;
    }
  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      fake.refreshes++;
      if (fake.refresh_revoked ||
          g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), fake.refresh_token) != 0)
        {
          respond_json (msg, 400, "{\"error\":\"invalid_grant\"}");
          return;
        }
      respond_tokens (msg, NULL, FALSE);
      return;
    }
  respond_json (msg, 400, "{\"error\":\"unsupported_grant_type\"}");
}

static void
revoke_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fake.lock);

  fake.revocations++;
  g_free (fake.revoked_token);
  fake.revoked_token = g_strdup (g_hash_table_lookup (form, "token"));
  if (g_strcmp0 (fake.revoked_token, fake.refresh_token) == 0)
    fake.refresh_revoked = TRUE;
  respond_json (msg, 200, "{}");
}

static void
jwks_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fake.lock);
  char *key = cjose_jwk_to_json (fake.key, false, NULL);
  g_autofree char *body = g_strdup_printf ("{\"keys\":[%s]}", key);

  free (key);
  fake.jwks_requests++;
  respond_json (msg, 200, body);
}

static gpointer
fake_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake.context);
  fake.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake.server, "/oauth2/token", token_handler, NULL, NULL);
  soup_server_add_handler (fake.server, "/oauth2/revoke", revoke_handler, NULL, NULL);
  soup_server_add_handler (fake.server, "/.well-known/jwks.json", jwks_handler, NULL, NULL);
  soup_server_listen_local (fake.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake.server);
  {
    g_autofree char *text = g_uri_to_string (uris->data);

    g_mutex_lock (&fake.lock);
    fake.base = g_strndup (text, strlen (text) - (g_str_has_suffix (text, "/") ? 1 : 0));
    g_mutex_unlock (&fake.lock);
  }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake.loop);

  soup_server_disconnect (fake.server);
  g_clear_object (&fake.server);
  g_main_context_pop_thread_default (fake.context);
  return NULL;
}

static void
fake_start (void)
{
  static const uint8_t e[] = { 0x01, 0x00, 0x01 };

  g_mutex_init (&fake.lock);
  fake.key = cjose_jwk_create_RSA_random (2048, e, sizeof e, NULL);
  fake.forger = cjose_jwk_create_RSA_random (2048, e, sizeof e, NULL);
  g_assert_nonnull (fake.key);
  g_assert_nonnull (fake.forger);
  cjose_jwk_set_kid (fake.key, "test-key-1", strlen ("test-key-1"), NULL);
  cjose_jwk_set_kid (fake.forger, "test-key-1", strlen ("test-key-1"), NULL);
  fake.context = g_main_context_new ();
  fake.loop = g_main_loop_new (fake.context, FALSE);
  fake.thread = g_thread_new ("fake-provider", fake_thread, NULL);
  while (TRUE)
    {
      gboolean ready;

      g_mutex_lock (&fake.lock);
      ready = fake.base != NULL;
      g_mutex_unlock (&fake.lock);
      if (ready)
        break;
      g_usleep (1000);
    }
}

static void
fake_stop (void)
{
  /* let slow answers go out first */
  while (TRUE)
    {
      guint pending;

      g_mutex_lock (&fake.lock);
      pending = fake.pending_slow;
      g_mutex_unlock (&fake.lock);
      if (pending == 0)
        break;
      g_usleep (10000);
    }
  g_main_loop_quit (fake.loop);
  g_thread_join (fake.thread);
  g_main_loop_unref (fake.loop);
  g_main_context_unref (fake.context);
  cjose_jwk_release (fake.key);
  cjose_jwk_release (fake.forger);
  g_free (fake.base);
  g_free (fake.sub);
  g_free (fake.code);
  g_free (fake.challenge);
  g_free (fake.redirect_uri);
  g_free (fake.nonce);
  g_free (fake.refresh_token);
  g_free (fake.revoked_token);
}

static void
fake_reset (void)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fake.lock);

  fake.mode = TOKEN_OK;
  fake.id_variant = ID_OK;
  g_free (fake.sub);
  fake.sub = g_strdup (TEST_SUB);
  fake.expires_in = 3600;
  fake.token_requests = 0;
  fake.refreshes = 0;
  fake.revocations = 0;
  fake.refresh_revoked = FALSE;
  g_clear_pointer (&fake.revoked_token, g_free);
}

#define FAKE_SET(field, value) \
  G_STMT_START { g_mutex_lock (&fake.lock); fake.field = (value); g_mutex_unlock (&fake.lock); } G_STMT_END

static guint
fake_get (const guint *field)
{
  guint value;

  g_mutex_lock (&fake.lock);
  value = *field;
  g_mutex_unlock (&fake.lock);
  return value;
}

/* The app's side */

static RhCognitoConfig *
new_config (RhRedirectMode mode)
{
  RhCognitoConfig *config = rh_cognito_config_new ();

  rh_cognito_config_set_issuer (config, fake.base);
  rh_cognito_config_set_domain (config, fake.base);
  rh_cognito_config_set_client_id (config, CLIENT_ID);
  rh_cognito_config_set_redirect_mode (config, mode);
  rh_cognito_config_set_callback_port (config, 0);
  return config;
}

typedef struct
{
  RhOAuthClient      *client;
  RhSecretStore      *secrets;
  RhLoopbackListener *listener;
  RhAuth             *auth;
  guint               finished;
  RhUser             *finished_user;
  GError             *finished_error;
  guint               signed_out;
  GError             *signed_out_reason;
} Fixture;

static void
sign_in_finished_cb (RhAuth       *auth,
                     RhUser       *user,
                     const GError *error,
                     Fixture      *f)
{
  f->finished++;
  g_set_object (&f->finished_user, user);
  g_clear_error (&f->finished_error);
  if (error != NULL)
    f->finished_error = g_error_copy (error);
}

static void
signed_out_cb (RhAuth       *auth,
               const GError *reason,
               Fixture      *f)
{
  f->signed_out++;
  g_clear_error (&f->signed_out_reason);
  if (reason != NULL)
    f->signed_out_reason = g_error_copy (reason);
}

static void
fixture_setup_mode (Fixture        *f,
                    RhRedirectMode  mode)
{
  g_autoptr(RhCognitoConfig) config = new_config (mode);
  g_autoptr(GError) error = NULL;

  fake_reset ();
  f->client = rh_oauth_client_new (config, 1);
  f->secrets = rh_secret_store_new ();
  if (mode == RH_REDIRECT_LOOPBACK)
    f->listener = rh_loopback_listener_new (0);
  f->auth = rh_auth_new (RH_AUTH_PROVIDER (f->client), RH_SECRET_REPOSITORY (f->secrets),
                         f->listener ? RH_CALLBACK_RECEIVER (f->listener) : NULL);
  g_signal_connect (f->auth, "sign-in-finished", G_CALLBACK (sign_in_finished_cb), f);
  g_signal_connect (f->auth, "signed-out", G_CALLBACK (signed_out_cb), f);
  /* nothing left from an earlier test */
  rh_secret_repository_clear (RH_SECRET_REPOSITORY (f->secrets), TEST_SUB, NULL, &error);
  g_assert_no_error (error);
  rh_secret_repository_clear (RH_SECRET_REPOSITORY (f->secrets), OTHER_SUB, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_mode (f, RH_REDIRECT_SCHEME);
}

static void
fixture_setup_loopback (Fixture       *f,
                        gconstpointer  data)
{
  fixture_setup_mode (f, RH_REDIRECT_LOOPBACK);
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->auth, f);
  rh_auth_cancel_sign_in (f->auth);
  iterate_pending ();
  g_clear_object (&f->auth);
  g_clear_object (&f->listener);
  g_clear_object (&f->secrets);
  g_clear_object (&f->client);
  g_clear_object (&f->finished_user);
  g_clear_error (&f->finished_error);
  g_clear_error (&f->signed_out_reason);
  iterate_pending ();
}

static GHashTable *
query_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);

  g_assert_nonnull (uri);
  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
}

/* Begins a sign-in and tells the fake provider what the browser would have
 * told it; returns the callback URI the browser would come back with. */
static char *
begin_and_authorize (Fixture    *f,
                     RhAuthMode  mode,
                     const char *sub)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = rh_auth_begin_sign_in (f->auth, mode, &error);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *code = random_secret ("CODE.");
  g_autofree char *escaped = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (url);
  g_assert_true (rh_auth_get_signing_in (f->auth));
  params = query_of (url);
  remember_secret (g_hash_table_lookup (params, "state"));
  remember_secret (g_hash_table_lookup (params, "nonce"));

  g_mutex_lock (&fake.lock);
  g_free (fake.code);
  fake.code = g_strdup (code);
  g_free (fake.challenge);
  fake.challenge = g_strdup (g_hash_table_lookup (params, "code_challenge"));
  g_free (fake.redirect_uri);
  fake.redirect_uri = g_strdup (g_hash_table_lookup (params, "redirect_uri"));
  g_free (fake.nonce);
  fake.nonce = g_strdup (g_hash_table_lookup (params, "nonce"));
  g_free (fake.sub);
  fake.sub = g_strdup (sub ? sub : TEST_SUB);
  g_mutex_unlock (&fake.lock);

  escaped = g_uri_escape_string (g_hash_table_lookup (params, "state"), NULL, FALSE);
  return g_strdup_printf ("%s?code=%s&state=%s", (char *) g_hash_table_lookup (params, "redirect_uri"),
                          code, escaped);
}

static gboolean
finished_done (gpointer data)
{
  return ((Fixture *) data)->finished > 0;
}

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ((AsyncWait *) user_data)->result = g_object_ref (result);
}

static gboolean
async_done (gpointer data)
{
  return ((AsyncWait *) data)->result != NULL;
}

static RhUser *
complete (Fixture     *f,
          const char  *callback_uri,
          GError     **error)
{
  AsyncWait wait = { NULL };
  RhUser *user;

  rh_auth_complete_sign_in_async (f->auth, callback_uri, NULL, async_done_cb, &wait);
  iterate_until (async_done, &wait);
  user = rh_auth_complete_sign_in_finish (f->auth, wait.result, error);
  g_object_unref (wait.result);
  iterate_pending ();
  return user;
}

static void
sign_in (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autoptr(RhUser) user = complete (f, callback, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
}

static char *
lookup_secret (Fixture      *f,
               const char   *account,
               RhSecretKind  kind)
{
  g_autoptr(GError) error = NULL;
  char *secret = rh_secret_repository_lookup (RH_SECRET_REPOSITORY (f->secrets), account, kind,
                                              NULL, NULL, &error);

  g_assert_no_error (error);
  return secret;
}

/* PKCE */

static void
test_pkce_rfc7636 (void)
{
  /* RFC 7636, appendix B */
  g_autofree char *challenge = rh_oauth_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_autofree char *verifier = rh_oauth_pkce_new_verifier ();
  g_autofree char *other = rh_oauth_pkce_new_verifier ();

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  /* 43 to 128 unreserved characters */
  g_assert_cmpuint (strlen (verifier), >=, 43);
  g_assert_cmpuint (strlen (verifier), <=, 128);
  for (const char *p = verifier; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~", *p));
  g_assert_cmpstr (verifier, !=, other);
}

static void
test_authorize_url (void)
{
  g_autoptr(RhCognitoConfig) config = new_config (RH_REDIRECT_SCHEME);
  g_autoptr(RhOAuthClient) client = rh_oauth_client_new (config, 1);
  g_autoptr(RhAuthRequest) a = NULL;
  g_autoptr(RhAuthRequest) b = NULL;
  g_autoptr(RhAuthRequest) up = NULL;
  g_autoptr(RhAuthRequest) google = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) google_params = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *logout = NULL;

  a = rh_auth_provider_new_request (RH_AUTH_PROVIDER (client), RH_AUTH_MODE_SIGN_IN, NULL);
  b = rh_auth_provider_new_request (RH_AUTH_PROVIDER (client), RH_AUTH_MODE_SIGN_IN, NULL);
  up = rh_auth_provider_new_request (RH_AUTH_PROVIDER (client), RH_AUTH_MODE_SIGN_UP, NULL);
  google = rh_auth_provider_new_request (RH_AUTH_PROVIDER (client), RH_AUTH_MODE_GOOGLE, NULL);

  prefix = g_strconcat (fake.base, "/oauth2/authorize?", NULL);
  g_assert_true (g_str_has_prefix (a->url, prefix));
  g_clear_pointer (&prefix, g_free);
  prefix = g_strconcat (fake.base, "/signup?", NULL);
  g_assert_true (g_str_has_prefix (up->url, prefix));

  params = query_of (a->url);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==,
                   "io.github.rehearse:/oauth2/callback");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "openid email profile");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, a->state);
  g_assert_cmpstr (g_hash_table_lookup (params, "nonce"), ==, a->nonce);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  challenge = rh_oauth_pkce_challenge (a->code_verifier);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, challenge);
  /* the verifier itself never goes into the URL */
  g_assert_null (strstr (a->url, a->code_verifier));
  g_assert_false (g_hash_table_contains (params, "identity_provider"));

  google_params = query_of (google->url);
  g_assert_cmpstr (g_hash_table_lookup (google_params, "identity_provider"), ==, "Google");

  /* fresh secrets every time */
  g_assert_cmpstr (a->state, !=, b->state);
  g_assert_cmpstr (a->nonce, !=, b->nonce);
  g_assert_cmpstr (a->code_verifier, !=, b->code_verifier);
  g_assert_cmpuint (strlen (a->state), >=, 32);

  logout = rh_auth_provider_dup_logout_url (RH_AUTH_PROVIDER (client));
  g_assert_true (g_str_has_prefix (logout, fake.base));
  g_assert_nonnull (strstr (logout, "/logout?client_id=" CLIENT_ID "&logout_uri="
                                    "io.github.rehearse%3A%2Foauth2%2Fsignout"));
}

static void
test_config_environment (void)
{
  g_autoptr(RhCognitoConfig) defaults = NULL;
  g_autoptr(RhCognitoConfig) config = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *jwks = NULL;

  g_unsetenv ("REHEARSE_AUTH_ISSUER");
  defaults = rh_cognito_config_load ();
  g_assert_cmpstr (rh_cognito_config_get_client_id (defaults), ==, RH_COGNITO_DEFAULT_CLIENT_ID);
  g_assert_cmpint (rh_cognito_config_get_redirect_mode (defaults), ==, RH_REDIRECT_SCHEME);
  redirect = rh_cognito_config_dup_redirect_uri (defaults);
  g_assert_cmpstr (redirect, ==, "io.github.rehearse:/oauth2/callback");
  g_clear_pointer (&redirect, g_free);

  g_setenv ("REHEARSE_AUTH_ISSUER", "http://127.0.0.1:9/", TRUE);
  g_setenv ("REHEARSE_AUTH_CLIENT_ID", "from-env", TRUE);
  g_setenv ("REHEARSE_AUTH_SCOPES", "openid email", TRUE);
  g_setenv ("REHEARSE_AUTH_REDIRECT", "loopback", TRUE);
  g_setenv ("REHEARSE_AUTH_CALLBACK_PORT", "9876", TRUE);
  g_setenv ("REHEARSE_API_URL", "http://127.0.0.1:10/", TRUE);
  config = rh_cognito_config_load ();
  g_unsetenv ("REHEARSE_AUTH_ISSUER");
  g_unsetenv ("REHEARSE_AUTH_CLIENT_ID");
  g_unsetenv ("REHEARSE_AUTH_SCOPES");
  g_unsetenv ("REHEARSE_AUTH_REDIRECT");
  g_unsetenv ("REHEARSE_AUTH_CALLBACK_PORT");
  g_unsetenv ("REHEARSE_API_URL");

  g_assert_cmpstr (rh_cognito_config_get_issuer (config), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (rh_cognito_config_get_domain (config), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (rh_cognito_config_get_client_id (config), ==, "from-env");
  g_assert_cmpstr (rh_cognito_config_get_scopes (config), ==, "openid email");
  g_assert_cmpuint (rh_cognito_config_get_callback_port (config), ==, 9876);
  g_assert_cmpstr (rh_cognito_config_get_api_url (config), ==, "http://127.0.0.1:10");
  redirect = rh_cognito_config_dup_redirect_uri (config);
  g_assert_cmpstr (redirect, ==, "http://localhost:9876/callback");
  jwks = rh_cognito_config_dup_jwks_uri (config);
  g_assert_cmpstr (jwks, ==, "http://127.0.0.1:9/.well-known/jwks.json");
}

/* Sign-in */

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autoptr(RhUser) user = complete (f, callback, &error);
  g_autofree char *refresh = NULL;
  g_autofree char *access = NULL;
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *account = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpstr (rh_user_get_id (user), ==, TEST_SUB);
  g_assert_cmpstr (rh_email_get_address (rh_user_get_email (user)), ==, "learner@example.com");
  g_assert_cmpstr (rh_user_get_display_name (user), ==, "Test Learner");
  g_assert_true (rh_auth_get_user (f->auth) == user);
  g_assert_false (rh_auth_get_signing_in (f->auth));
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_no_error (f->finished_error);
  g_assert_cmpuint (fake_get (&fake.jwks_requests), >=, 1);

  /* the tokens are in the Secret Service */
  refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  access = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_ACCESS);
  id = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_ID);
  g_mutex_lock (&fake.lock);
  g_assert_cmpstr (refresh, ==, fake.refresh_token);
  g_mutex_unlock (&fake.lock);
  g_assert_true (g_str_has_prefix (access, "AT."));
  g_assert_nonnull (id);

  /* the token source hands out the access token without a refresh */
  token = rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, access);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 0);
  account = rh_token_source_dup_user_id (RH_TOKEN_SOURCE (f->auth));
  g_assert_cmpstr (account, ==, TEST_SUB);

  /* a replayed callback gets nothing */
  {
    g_autoptr(GError) replay_error = NULL;
    g_autoptr(RhUser) again = complete (f, callback, &replay_error);

    g_assert_null (again);
    g_assert_error (replay_error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  }
}

static void
test_sign_in_modes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_UP, NULL);
  g_autoptr(RhUser) user = complete (f, callback, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_clear_pointer (&callback, g_free);
  callback = begin_and_authorize (f, RH_AUTH_MODE_GOOGLE, NULL);
  g_clear_object (&user);
  user = complete (f, callback, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
}

static void
test_state_mismatch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autofree char *forged = NULL;
  g_autoptr(RhUser) user = NULL;
  char *state = strstr (callback, "&state=");

  g_assert_nonnull (state);
  state[0] = '\0';
  forged = g_strconcat (callback, "&state=not-the-state", NULL);
  user = complete (f, forged, &error);
  g_assert_null (user);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  /* the attempt is over, and the code never went to the token endpoint */
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_error (f->finished_error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  g_assert_false (rh_auth_get_signing_in (f->auth));
  g_assert_cmpuint (fake_get (&fake.token_requests), ==, 0);
  g_assert_null (rh_auth_get_user (f->auth));
  g_clear_error (&error);

  /* a callback with no state at all */
  g_free (begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL));
  g_clear_object (&user);
  user = complete (f, "io.github.rehearse:/oauth2/callback?code=abc", &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);

  /* and one without an attempt */
  g_clear_object (&user);
  user = complete (f, forged, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  g_assert_cmpuint (fake_get (&fake.token_requests), ==, 0);
}

static void
test_access_denied (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autofree char *denied = NULL;
  g_autoptr(RhUser) user = NULL;
  const char *state = strstr (callback, "&state=");

  denied = g_strconcat ("io.github.rehearse:/oauth2/callback?error=access_denied", state, NULL);
  user = complete (f, denied, &error);
  g_assert_null (user);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
}

static void
check_exchange_error (Fixture   *f,
                      TokenMode  mode,
                      int        code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autoptr(RhUser) user = NULL;
  g_autofree char *refresh = NULL;

  FAKE_SET (mode, mode);
  f->finished = 0;
  user = complete (f, callback, &error);
  g_assert_null (user);
  g_assert_error (error, RH_AUTH_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_error (f->finished_error, RH_AUTH_ERROR, code);
  g_assert_null (rh_auth_get_user (f->auth));
  refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  g_assert_null (refresh);
  FAKE_SET (mode, TOKEN_OK);
}

static void
test_exchange_errors (Fixture       *f,
                      gconstpointer  data)
{
  check_exchange_error (f, TOKEN_SERVER_ERROR, RH_AUTH_ERROR_PROVIDER);
  check_exchange_error (f, TOKEN_MALFORMED, RH_AUTH_ERROR_PROVIDER);
  check_exchange_error (f, TOKEN_INVALID_GRANT, RH_AUTH_ERROR_REFUSED);
  /* the client waits one second (fixture), the provider three */
  check_exchange_error (f, TOKEN_SLOW, RH_AUTH_ERROR_NETWORK);
}

static void
test_unreachable (void)
{
  g_autoptr(RhCognitoConfig) config = new_config (RH_REDIRECT_SCHEME);
  g_autoptr(RhOAuthClient) client = NULL;
  g_autoptr(RhTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *base = NULL;
  guint port;

  /* a port nobody listens on: bound, never listening */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  rh_cognito_config_set_domain (config, base);
  client = rh_oauth_client_new (config, 1);

  tokens = rh_auth_provider_refresh (RH_AUTH_PROVIDER (client), "RT.none", NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_NETWORK);
}

/* ID tokens */

static void
check_id_variant (Fixture   *f,
                  IdVariant  variant)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autoptr(RhUser) user = NULL;
  g_autofree char *refresh = NULL;

  FAKE_SET (id_variant, variant);
  user = complete (f, callback, &error);
  g_assert_null (user);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN);
  g_assert_null (rh_auth_get_user (f->auth));
  refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  g_assert_null (refresh);
  FAKE_SET (id_variant, ID_OK);
}

static void
test_id_token_rejected (Fixture       *f,
                        gconstpointer  data)
{
  check_id_variant (f, ID_FORGED);
  check_id_variant (f, ID_EXPIRED);
  check_id_variant (f, ID_WRONG_AUD);
  check_id_variant (f, ID_WRONG_ISS);
  check_id_variant (f, ID_WRONG_NONCE);
  check_id_variant (f, ID_ALG_NONE);
}

static void
test_id_token_verifier (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *jwks = g_strconcat (fake.base, "/.well-known/jwks.json", NULL);
  g_autoptr(RhIdTokenVerifier) verifier = rh_id_token_verifier_new (session, fake.base, jwks,
                                                                     CLIENT_ID);
  g_autoptr(RhIdClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *tampered = NULL;
  char *payload;

  fake_reset ();
  g_mutex_lock (&fake.lock);
  good = make_id_token ("n-1", ID_OK);
  g_mutex_unlock (&fake.lock);

  claims = rh_id_token_verifier_verify (verifier, good, "n-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (claims->sub, ==, TEST_SUB);
  g_assert_cmpstr (claims->email, ==, "learner@example.com");
  g_assert_true (claims->email_verified);
  g_assert_cmpstr (claims->name, ==, "Test Learner");
  g_clear_pointer (&claims, rh_id_claims_free);

  /* without a nonce to check (after a refresh) */
  claims = rh_id_token_verifier_verify (verifier, good, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&claims, rh_id_claims_free);

  /* one byte of the payload changed */
  tampered = g_strdup (good);
  payload = strchr (tampered, '.') + 5;
  *payload = *payload == 'A' ? 'B' : 'A';
  claims = rh_id_token_verifier_verify (verifier, tampered, "n-1", NULL, &error);
  g_assert_null (claims);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN);
  g_clear_error (&error);

  claims = rh_id_token_verifier_verify (verifier, "not.a.jwt", NULL, NULL, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN);
  g_clear_error (&error);
  claims = rh_id_token_verifier_verify (verifier, "garbage", NULL, NULL, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN);
  g_clear_error (&error);

  /* the key set is cached */
  g_assert_cmpuint (fake_get (&fake.jwks_requests), >=, 1);
}

/* Refresh */

static void
test_refresh_before_expiry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *stored = NULL;

  /* an access token that expires within the refresh margin */
  FAKE_SET (expires_in, RH_AUTH_REFRESH_MARGIN_SECONDS / 2);
  sign_in (f);
  first = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_ACCESS);

  second = rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 1);
  g_assert_cmpstr (second, !=, first);
  stored = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_ACCESS);
  g_assert_cmpstr (stored, ==, second);

  /* a long-lived one is used as it is */
  FAKE_SET (expires_in, 3600);
  g_free (rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error));
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 2);
  third = rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 2);
  iterate_pending ();
  /* still signed in, with the refreshed ID token's claims */
  g_assert_nonnull (rh_auth_get_user (f->auth));
  g_assert_cmpuint (f->signed_out, ==, 0);
}

typedef struct
{
  RhAuth *auth;
  char   *token;
  GError *error;
} ThreadCall;

static gpointer
refresh_in_thread (gpointer data)
{
  ThreadCall *call = data;

  call->token = rh_token_source_refresh_access_token (RH_TOKEN_SOURCE (call->auth), NULL,
                                                      &call->error);
  return NULL;
}

static void
test_refresh_after_401 (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  ThreadCall call = { f->auth, NULL, NULL };
  GThread *thread;

  sign_in (f);
  before = rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 0);

  /* the API said 401: a new token even though this one looks valid; the
   * sync engine calls from a worker thread */
  thread = g_thread_new ("sync", refresh_in_thread, &call);
  g_thread_join (thread);
  g_assert_no_error (call.error);
  g_assert_nonnull (call.token);
  g_assert_cmpstr (call.token, !=, before);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 1);
  g_free (call.token);
  iterate_pending ();
}

static void
test_refresh_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *account = NULL;

  sign_in (f);
  /* the provider forgot the session (revoked elsewhere, expired) */
  FAKE_SET (refresh_revoked, TRUE);
  token = rh_token_source_refresh_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_null (token);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED);
  iterate_pending ();

  /* signed out cleanly, and told */
  g_assert_null (rh_auth_get_user (f->auth));
  g_assert_cmpuint (f->signed_out, ==, 1);
  g_assert_error (f->signed_out_reason, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED);
  refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  g_assert_null (refresh);
  account = rh_token_source_dup_user_id (RH_TOKEN_SOURCE (f->auth));
  g_assert_null (account);
  g_clear_error (&error);
  token = rh_token_source_get_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT);
}

static void
test_refresh_errors_keep_session (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  sign_in (f);
  FAKE_SET (mode, TOKEN_SERVER_ERROR);
  token = rh_token_source_refresh_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER);
  g_clear_error (&error);
  FAKE_SET (mode, TOKEN_MALFORMED);
  token = rh_token_source_refresh_access_token (RH_TOKEN_SOURCE (f->auth), NULL, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER);
  g_clear_error (&error);
  iterate_pending ();
  /* a provider having trouble does not sign anyone out */
  g_assert_nonnull (rh_auth_get_user (f->auth));
  g_assert_cmpuint (f->signed_out, ==, 0);
  FAKE_SET (mode, TOKEN_OK);
}

/* Sign-out, restore, accounts */

static void
sign_out (Fixture   *f,
          gboolean   everywhere,
          char     **out_url)
{
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };

  rh_auth_sign_out_async (f->auth, everywhere, NULL, async_done_cb, &wait);
  iterate_until (async_done, &wait);
  g_assert_true (rh_auth_sign_out_finish (f->auth, wait.result, out_url, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  iterate_pending ();
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *refresh = NULL;
  g_autofree char *after = NULL;
  g_autofree char *url = NULL;

  sign_in (f);
  refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  sign_out (f, TRUE, &url);

  g_assert_null (rh_auth_get_user (f->auth));
  g_assert_cmpuint (f->signed_out, ==, 1);
  g_assert_null (f->signed_out_reason);
  /* revoked at the provider, gone from the keyring */
  g_assert_cmpuint (fake_get (&fake.revocations), ==, 1);
  g_mutex_lock (&fake.lock);
  g_assert_cmpstr (fake.revoked_token, ==, refresh);
  g_mutex_unlock (&fake.lock);
  for (RhSecretKind kind = RH_SECRET_KIND_REFRESH; kind <= RH_SECRET_KIND_ID; kind++)
    {
      g_autofree char *secret = lookup_secret (f, TEST_SUB, kind);

      g_assert_null (secret);
    }
  g_assert_nonnull (url);
  g_assert_nonnull (strstr (url, "/logout?client_id=" CLIENT_ID));

  /* signing out again is harmless, and without the hosted UI no URL */
  g_clear_pointer (&url, g_free);
  sign_out (f, FALSE, &url);
  g_assert_null (url);
  g_assert_cmpuint (fake_get (&fake.revocations), ==, 1);
}

/* The keyring store: storing a token again replaces it (an access token
 * with a new expiry too), and a reader never finds the token missing
 * while it is being replaced. */
typedef struct
{
  RhSecretStore *store;
  gint           stop;
  gint           lookups;
  guint          missing;
} Reader;

static gpointer
secret_reader_thread (gpointer data)
{
  Reader *reader = data;

  while (!g_atomic_int_get (&reader->stop))
    {
      g_autoptr(GError) error = NULL;
      gint64 expires = 0;
      char *access, *refresh;

      access = rh_secret_repository_lookup (RH_SECRET_REPOSITORY (reader->store), OTHER_SUB,
                                            RH_SECRET_KIND_ACCESS, &expires, NULL, &error);
      g_assert_no_error (error);
      refresh = rh_secret_repository_lookup (RH_SECRET_REPOSITORY (reader->store), OTHER_SUB,
                                             RH_SECRET_KIND_REFRESH, NULL, NULL, &error);
      g_assert_no_error (error);
      g_atomic_int_inc (&reader->lookups);
      if (access == NULL || refresh == NULL || expires == 0)
        reader->missing++;
      rh_secret_free (access);
      rh_secret_free (refresh);
    }
  return NULL;
}

static void
test_secret_replace (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Reader reader = { f->secrets, 0, 0, 0 };
  RhSecretRepository *secrets = RH_SECRET_REPOSITORY (f->secrets);
  gint64 base = g_get_real_time () / G_USEC_PER_SEC * G_USEC_PER_SEC;
  gint64 expires = 0;
  char *secret;

  g_assert_true (rh_secret_repository_store (secrets, OTHER_SUB, RH_SECRET_KIND_ACCESS, "AT.0",
                                             base, NULL, &error));
  g_assert_true (rh_secret_repository_store (secrets, OTHER_SUB, RH_SECRET_KIND_REFRESH, "RT.0",
                                             0, NULL, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("secret-reader", secret_reader_thread, &reader);
  /* the replacing starts once the reader reads */
  for (int waited = 0; g_atomic_int_get (&reader.lookups) == 0 && waited < 10000; waited++)
    g_usleep (1000);
  for (int i = 1; i <= 40; i++)
    {
      g_autofree char *access = g_strdup_printf ("AT.%d", i);
      g_autofree char *refresh = g_strdup_printf ("RT.%d", i);

      g_assert_true (rh_secret_repository_store (secrets, OTHER_SUB, RH_SECRET_KIND_ACCESS,
                                                 access, base + i * G_USEC_PER_SEC, NULL,
                                                 &error));
      g_assert_true (rh_secret_repository_store (secrets, OTHER_SUB, RH_SECRET_KIND_REFRESH,
                                                 refresh, 0, NULL, &error));
      g_assert_no_error (error);
    }
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (g_steal_pointer (&thread));
  g_test_message ("%d lookups while the tokens were replaced", reader.lookups);
  g_assert_cmpint (reader.lookups, >, 0);
  g_assert_cmpuint (reader.missing, ==, 0);

  /* the last of each, and only that one */
  secret = rh_secret_repository_lookup (secrets, OTHER_SUB, RH_SECRET_KIND_ACCESS, &expires,
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "AT.40");
  g_assert_cmpint (expires, ==, base + 40 * G_USEC_PER_SEC);
  rh_secret_free (secret);
  secret = rh_secret_repository_lookup (secrets, OTHER_SUB, RH_SECRET_KIND_REFRESH, NULL, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "RT.40");
  rh_secret_free (secret);
  {
    g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
    GList *items;

    g_assert_no_error (error);
    g_hash_table_insert (attributes, (gpointer) "xdg:schema", (gpointer) RH_SECRET_SCHEMA_NAME);
    g_hash_table_insert (attributes, (gpointer) "account", (gpointer) OTHER_SUB);
    items = secret_service_search_sync (service, NULL, attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_length (items), ==, 2);
    g_list_free_full (items, g_object_unref);
  }
  g_assert_true (rh_secret_repository_clear (secrets, OTHER_SUB, NULL, &error));
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RhAuth) again = NULL;
  g_autoptr(RhUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  AsyncWait wait = { NULL };

  sign_in (f);
  again = rh_auth_new (RH_AUTH_PROVIDER (f->client), RH_SECRET_REPOSITORY (f->secrets), NULL);
  rh_auth_restore_async (again, TEST_SUB, NULL, async_done_cb, &wait);
  iterate_until (async_done, &wait);
  user = rh_auth_restore_finish (again, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_user_get_id (user), ==, TEST_SUB);
  g_assert_cmpstr (rh_email_get_address (rh_user_get_email (user)), ==, "learner@example.com");
  /* the stored access token is still good: no refresh */
  token = rh_token_source_get_access_token (RH_TOKEN_SOURCE (again), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_get (&fake.refreshes), ==, 0);

  /* an account without tokens is signed out */
  g_clear_object (&user);
  rh_auth_restore_async (again, OTHER_SUB, NULL, async_done_cb, &wait);
  iterate_until (async_done, &wait);
  user = rh_auth_restore_finish (again, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_null (user);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_SIGNED_OUT);
}

static void
test_cancel_and_timeout (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autoptr(RhUser) user = NULL;
  g_autofree char *url = NULL;

  rh_auth_cancel_sign_in (f->auth);
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_error (f->finished_error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
  g_assert_false (rh_auth_get_signing_in (f->auth));
  /* the cancelled attempt's callback is refused */
  user = complete (f, callback, &error);
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);

  f->finished = 0;
  rh_auth_set_sign_in_timeout (f->auth, 1);
  url = rh_auth_begin_sign_in (f->auth, RH_AUTH_MODE_SIGN_IN, &error);
  g_assert_no_error (error);
  iterate_until (finished_done, f);
  g_assert_error (f->finished_error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
  g_assert_false (rh_auth_get_signing_in (f->auth));
}

static void
test_other_account (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = NULL;
  g_autoptr(RhUser) user = NULL;
  g_autofree char *first_refresh = NULL;
  g_autofree char *left = NULL;
  g_autofree char *account = NULL;

  sign_in (f);
  first_refresh = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  /* someone else signs in on this computer */
  callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, OTHER_SUB);
  user = complete (f, callback, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_user_get_id (user), ==, OTHER_SUB);
  account = rh_token_source_dup_user_id (RH_TOKEN_SOURCE (f->auth));
  g_assert_cmpstr (account, ==, OTHER_SUB);
  /* the first account's tokens are gone */
  left = lookup_secret (f, TEST_SUB, RH_SECRET_KIND_REFRESH);
  g_assert_null (left);
  g_mutex_lock (&fake.lock);
  g_assert_cmpstr (fake.revoked_token, ==, first_refresh);
  g_mutex_unlock (&fake.lock);
  rh_secret_repository_clear (RH_SECRET_REPOSITORY (f->secrets), OTHER_SUB, NULL, &error);
  g_assert_no_error (error);
}

/* Accounts keep their collections apart. */

static void
add_card (const char *path,
          const char *front)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhCollection) collection = rh_composition_open (path, FALSE, &error);
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  RhCardDraft draft = { 0 };

  g_assert_no_error (error);
  deck = rh_collection_ensure_deck (collection, "Deck", NULL, &error);
  g_assert_no_error (error);
  draft.deck_id = rh_deck_get_id (deck);
  draft.front = front;
  draft.back = "back";
  card = rh_collection_add_card (collection, &draft, &error);
  g_assert_no_error (error);
}

static guint
count_cards (const char *path,
             const char *front)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhCollection) collection = rh_composition_open (path, FALSE, &error);
  g_autoptr(GPtrArray) cards = NULL;
  RhCardQuery query = { 0 };
  guint found = 0;

  g_assert_no_error (error);
  cards = rh_collection_search_cards (collection, &query, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cards->len; i++)
    if (g_strcmp0 (rh_flashcard_get_front (cards->pdata[i]), front) == 0)
      found++;
  return found;
}

static void
test_accounts_separate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rehearse-accounts-XXXXXX", &error);
  g_autoptr(RhCognitoConfig) config = new_config (RH_REDIRECT_SCHEME);
  g_autoptr(RhAccounts) accounts = NULL;
  g_autofree char *local = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *odd = NULL;

  g_assert_no_error (error);
  accounts = rh_accounts_new (dir, config);
  local = rh_accounts_dup_local_path (accounts);
  first = rh_accounts_dup_collection_path_for (accounts, TEST_SUB);
  second = rh_accounts_dup_collection_path_for (accounts, OTHER_SUB);
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (first, !=, local);
  g_assert_nonnull (strstr (first, TEST_SUB));

  /* an id that could name another folder becomes a hash */
  odd = rh_accounts_dup_collection_path_for (accounts, "../../etc");
  g_assert_null (strstr (odd, ".."));
  g_assert_true (g_str_has_prefix (odd, dir));

  /* the signed-out learner studied something */
  add_card (local, "signed-out card");
  g_assert_true (rh_accounts_can_bring_local (accounts, TEST_SUB));
  g_assert_true (rh_accounts_bring_local (accounts, TEST_SUB, &error));
  g_assert_no_error (error);
  /* copied, not moved; and only once */
  g_assert_cmpuint (count_cards (first, "signed-out card"), ==, 1);
  g_assert_cmpuint (count_cards (local, "signed-out card"), ==, 1);
  g_assert_false (rh_accounts_can_bring_local (accounts, TEST_SUB));
  g_assert_false (rh_accounts_bring_local (accounts, TEST_SUB, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* the first account's own card never reaches the second account */
  add_card (first, "first account card");
  g_assert_cmpuint (count_cards (second, "first account card"), ==, 0);
  g_assert_cmpuint (count_cards (local, "first account card"), ==, 0);

  rh_fixture_remove_dir (dir);
}

/* The accounts follow sign-in and sign-out. */
static void
test_accounts_follow_auth (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rehearse-accounts-XXXXXX", &error);
  g_autoptr(RhCognitoConfig) config = new_config (RH_REDIRECT_SCHEME);
  g_autoptr(RhAccounts) accounts = NULL;
  g_autoptr(RhAccounts) reopened = NULL;
  g_autofree char *path = NULL;
  g_autofree char *state = NULL;
  g_autofree char *state_path = NULL;
  Fixture f = { 0 };
  RhAuth *saved;

  g_assert_no_error (error);
  fixture_setup_mode (&f, RH_REDIRECT_SCHEME);
  accounts = rh_accounts_new (dir, config);
  /* drive the accounts' own RhAuth */
  saved = f.auth;
  f.auth = g_object_ref (rh_accounts_get_auth (accounts));
  g_signal_connect (f.auth, "sign-in-finished", G_CALLBACK (sign_in_finished_cb), &f);
  g_signal_connect (f.auth, "signed-out", G_CALLBACK (signed_out_cb), &f);

  sign_in (&f);
  path = rh_accounts_dup_collection_path (accounts);
  g_assert_nonnull (strstr (path, TEST_SUB));
  /* remembered: the id only */
  state_path = g_build_filename (dir, "accounts", "current", NULL);
  g_file_get_contents (state_path, &state, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (state), ==, TEST_SUB);

  reopened = rh_accounts_new (dir, config);
  g_clear_pointer (&path, g_free);
  path = rh_accounts_dup_collection_path (reopened);
  g_assert_nonnull (strstr (path, TEST_SUB));

  sign_out (&f, FALSE, NULL);
  g_clear_pointer (&path, g_free);
  path = rh_accounts_dup_collection_path (accounts);
  g_assert_true (g_str_has_suffix (path, "local.rehearse"));
  g_assert_false (g_file_test (state_path, G_FILE_TEST_EXISTS));

  g_signal_handlers_disconnect_by_data (f.auth, &f);
  g_object_unref (f.auth);
  f.auth = saved;
  fixture_teardown (&f, NULL);
  rh_fixture_remove_dir (dir);
}

/* The loopback listener */

static char *
http_get (const char  *url,
          const char  *local_address,
          guint       *out_status)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *request = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  GOutputStream *out;
  GInputStream *in;
  char buf[4096];
  gssize n;

  if (local_address != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (local_address);
      g_autoptr(GSocketAddress) bind_to = g_inet_socket_address_new (address, 0);

      g_socket_client_set_local_address (client, bind_to);
    }
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  if (connection == NULL)
    {
      *out_status = 0;
      return NULL;
    }
  request = g_strdup_printf ("GET %s%s%s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                             g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
                             g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  /* the listener runs on this thread's main context: read without blocking it */
  g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (in));
  while (TRUE)
    {
      g_autoptr(GError) read_error = NULL;

      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (in), buf, sizeof buf,
                                                    NULL, &read_error);
      if (n > 0)
        g_string_append_len (answer, buf, n);
      else if (n == 0)
        break;
      else if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_main_context_iteration (NULL, TRUE);
      else
        break;
    }
  *out_status = 0;
  if (g_str_has_prefix (answer->str, "HTTP/1.1 "))
    *out_status = (guint) g_ascii_strtoull (answer->str + 9, NULL, 10);
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static gboolean
wait_done (gpointer data)
{
  return ((AsyncWait *) data)->result != NULL;
}

static void
test_loopback_listener (void)
{
  g_autoptr(RhLoopbackListener) listener = rh_loopback_listener_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *page = NULL;
  g_autofree char *second = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *other_path = NULL;
  AsyncWait wait = { NULL };
  guint status = 0;

  redirect = rh_callback_receiver_start (RH_CALLBACK_RECEIVER (listener), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (redirect, "http://localhost:"));
  g_assert_true (g_str_has_suffix (redirect, "/callback"));
  g_assert_cmpuint (rh_loopback_listener_get_port (listener), >, 0);
  rh_callback_receiver_wait_async (RH_CALLBACK_RECEIVER (listener), NULL, async_done_cb, &wait);

  /* another path is not the callback */
  other_path = g_strdup_printf ("http://127.0.0.1:%u/other?code=x",
                                rh_loopback_listener_get_port (listener));
  g_free (http_get (other_path, NULL, &status));
  g_assert_cmpuint (status, ==, 404);
  g_assert_null (wait.result);

  url = g_strconcat (redirect, "?code=abc&state=xyz", NULL);
  page = http_get (url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "close this tab"));
  g_assert_null (strstr (page, "abc"));

  /* a second callback is refused: answered 409, or nobody listens any more */
  second = http_get (url, NULL, &status);
  g_assert_true (status == 409 || status == 0);

  iterate_until (wait_done, &wait);
  uri = rh_callback_receiver_wait_finish (RH_CALLBACK_RECEIVER (listener), wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, url);
  iterate_pending ();
  g_assert_false (rh_loopback_listener_is_listening (listener));
  g_free (http_get (url, NULL, &status));
  g_assert_cmpuint (status, ==, 0);
}

/* A non-loopback address of this machine, if it has one. */
static char *
find_other_local_address (void)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;
  for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
    {
      char text[INET_ADDRSTRLEN];
      struct sockaddr_in *in;

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET)
        continue;
      in = (struct sockaddr_in *) ifa->ifa_addr;
      if ((ntohl (in->sin_addr.s_addr) >> 24) == 127)
        continue;
      if (inet_ntop (AF_INET, &in->sin_addr, text, sizeof text))
        found = g_strdup (text);
    }
  freeifaddrs (list);
  return found;
}

static void
test_loopback_refuses_others (void)
{
  g_autoptr(RhLoopbackListener) listener = rh_loopback_listener_new (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GInetAddress) lan = g_inet_address_new_from_string ("192.168.1.20");
  g_autoptr(GInetAddress) lan6 = g_inet_address_new_from_string ("2001:db8::1");
  g_autoptr(GSocketAddress) peer4 = g_inet_socket_address_new (v4, 5000);
  g_autoptr(GSocketAddress) peer6 = g_inet_socket_address_new (v6, 5000);
  g_autoptr(GSocketAddress) peer_lan = g_inet_socket_address_new (lan, 5000);
  g_autoptr(GSocketAddress) peer_lan6 = g_inet_socket_address_new (lan6, 5000);
  g_autofree char *redirect = NULL;
  g_autofree char *other = find_other_local_address ();
  AsyncWait wait = { NULL };

  /* the peer check itself */
  g_assert_true (rh_loopback_peer_is_allowed (peer4));
  g_assert_true (rh_loopback_peer_is_allowed (peer6));
  g_assert_false (rh_loopback_peer_is_allowed (peer_lan));
  g_assert_false (rh_loopback_peer_is_allowed (peer_lan6));
  g_assert_false (rh_loopback_peer_is_allowed (NULL));

  if (other == NULL)
    {
      g_test_message ("No non-loopback address here: only the check itself was tested");
      return;
    }

  /* a connection from this machine's LAN address is refused */
  redirect = rh_callback_receiver_start (RH_CALLBACK_RECEIVER (listener), &error);
  g_assert_no_error (error);
  rh_callback_receiver_wait_async (RH_CALLBACK_RECEIVER (listener), NULL, async_done_cb, &wait);
  {
    g_autofree char *url = g_strconcat (redirect, "?code=abc&state=xyz", NULL);
    g_autofree char *page = NULL;
    guint status = 0;

    page = http_get (url, other, &status);
    g_test_message ("From %s: HTTP %u", other, status);
    g_assert_true (status == 403 || status == 0);
    iterate_pending ();
    g_assert_null (wait.result);
    g_assert_true (rh_loopback_listener_is_listening (listener));
  }
  rh_callback_receiver_stop (RH_CALLBACK_RECEIVER (listener));
  iterate_until (wait_done, &wait);
  g_assert_null (rh_callback_receiver_wait_finish (RH_CALLBACK_RECEIVER (listener), wait.result,
                                                   &error));
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
  g_clear_object (&wait.result);
}

static void
test_loopback_timeout_and_cancel (void)
{
  g_autoptr(RhLoopbackListener) listener = rh_loopback_listener_new (0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };

  rh_loopback_listener_set_timeout (listener, 1);
  g_free (rh_callback_receiver_start (RH_CALLBACK_RECEIVER (listener), &error));
  g_assert_no_error (error);
  rh_callback_receiver_wait_async (RH_CALLBACK_RECEIVER (listener), NULL, async_done_cb, &wait);
  iterate_until (wait_done, &wait);
  g_assert_null (rh_callback_receiver_wait_finish (RH_CALLBACK_RECEIVER (listener), wait.result,
                                                   &error));
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
  g_assert_false (rh_loopback_listener_is_listening (listener));
  g_clear_error (&error);
  g_clear_object (&wait.result);

  g_free (rh_callback_receiver_start (RH_CALLBACK_RECEIVER (listener), &error));
  g_assert_no_error (error);
  rh_callback_receiver_wait_async (RH_CALLBACK_RECEIVER (listener), cancellable, async_done_cb,
                                   &wait);
  g_cancellable_cancel (cancellable);
  iterate_until (wait_done, &wait);
  g_assert_null (rh_callback_receiver_wait_finish (RH_CALLBACK_RECEIVER (listener), wait.result,
                                                   &error));
  g_assert_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED);
  g_assert_false (rh_loopback_listener_is_listening (listener));
  g_clear_object (&wait.result);
}

/* The whole loopback sign-in, the browser played by http_get(). */
static void
test_loopback_sign_in (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *callback = begin_and_authorize (f, RH_AUTH_MODE_SIGN_IN, NULL);
  g_autofree char *page = NULL;
  guint status = 0;

  g_assert_true (g_str_has_prefix (callback, "http://localhost:"));
  page = http_get (callback, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  iterate_until (finished_done, f);
  g_assert_no_error (f->finished_error);
  g_assert_nonnull (f->finished_user);
  g_assert_cmpstr (rh_user_get_id (f->finished_user), ==, TEST_SUB);
  g_assert_false (rh_loopback_listener_is_listening (f->listener));
}

/* Logs */

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, ' ');
    }
  g_string_append_c (captured_log, '\n');
  g_mutex_unlock (&log_lock);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
test_logs_hold_no_secret (void)
{
  guint checked = 0;

  g_mutex_lock (&log_lock);
  /* the logs were written (G_MESSAGES_DEBUG=all) and say what happened */
  g_assert_nonnull (strstr (captured_log->str, "Signed in"));
  g_assert_nonnull (strstr (captured_log->str, "Refreshing the access token"));
  for (guint i = 0; i < secrets_seen->len; i++)
    {
      const char *secret = secrets_seen->pdata[i];

      if (strlen (secret) < 8)
        continue;
      if (strstr (captured_log->str, secret) != NULL)
        g_error ("A secret reached the logs: %.6s…", secret);
      checked++;
    }
  g_mutex_unlock (&log_lock);
  g_test_message ("%u tokens, codes and verifiers checked against %zu bytes of logs",
                  checked, captured_log->len);
  g_assert_cmpuint (checked, >, 20);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* never the learner's own keyring */
  if (g_strcmp0 (g_getenv ("RH_KEYRING_INNER"), "1") != 0)
    {
      g_printerr ("test-auth uses a Secret Service: run it under tests/run-with-keyring.sh\n");
      return 77;
    }

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  captured_log = g_string_new (NULL);
  secrets_seen = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  fake_start ();

  g_test_add_func ("/auth/pkce/rfc7636", test_pkce_rfc7636);
  g_test_add_func ("/auth/authorize-url", test_authorize_url);
  g_test_add_func ("/auth/config/environment", test_config_environment);
  g_test_add_func ("/auth/id-token/verifier", test_id_token_verifier);
  g_test_add_func ("/auth/network/unreachable", test_unreachable);
  g_test_add ("/auth/sign-in/success", Fixture, NULL, fixture_setup, test_sign_in,
              fixture_teardown);
  g_test_add ("/auth/sign-in/modes", Fixture, NULL, fixture_setup, test_sign_in_modes,
              fixture_teardown);
  g_test_add ("/auth/sign-in/state-mismatch", Fixture, NULL, fixture_setup, test_state_mismatch,
              fixture_teardown);
  g_test_add ("/auth/sign-in/access-denied", Fixture, NULL, fixture_setup, test_access_denied,
              fixture_teardown);
  g_test_add ("/auth/sign-in/exchange-errors", Fixture, NULL, fixture_setup, test_exchange_errors,
              fixture_teardown);
  g_test_add ("/auth/sign-in/id-token-rejected", Fixture, NULL, fixture_setup,
              test_id_token_rejected, fixture_teardown);
  g_test_add ("/auth/sign-in/cancel-and-timeout", Fixture, NULL, fixture_setup,
              test_cancel_and_timeout, fixture_teardown);
  g_test_add ("/auth/sign-in/other-account", Fixture, NULL, fixture_setup, test_other_account,
              fixture_teardown);
  g_test_add ("/auth/refresh/before-expiry", Fixture, NULL, fixture_setup,
              test_refresh_before_expiry, fixture_teardown);
  g_test_add ("/auth/refresh/after-401", Fixture, NULL, fixture_setup, test_refresh_after_401,
              fixture_teardown);
  g_test_add ("/auth/refresh/refused", Fixture, NULL, fixture_setup, test_refresh_refused,
              fixture_teardown);
  g_test_add ("/auth/refresh/errors-keep-session", Fixture, NULL, fixture_setup,
              test_refresh_errors_keep_session, fixture_teardown);
  g_test_add ("/auth/sign-out", Fixture, NULL, fixture_setup, test_sign_out, fixture_teardown);
  g_test_add ("/auth/restore", Fixture, NULL, fixture_setup, test_restore, fixture_teardown);
  g_test_add ("/auth/secrets/replace", Fixture, NULL, fixture_setup, test_secret_replace,
              fixture_teardown);
  g_test_add_func ("/auth/accounts/separate", test_accounts_separate);
  g_test_add_func ("/auth/accounts/follow-sign-in", test_accounts_follow_auth);
  g_test_add_func ("/auth/loopback/callback-once", test_loopback_listener);
  g_test_add_func ("/auth/loopback/refuses-others", test_loopback_refuses_others);
  g_test_add_func ("/auth/loopback/timeout-and-cancel", test_loopback_timeout_and_cancel);
  g_test_add ("/auth/loopback/sign-in", Fixture, NULL, fixture_setup_loopback,
              test_loopback_sign_in, fixture_teardown);
  /* last: everything above logged */
  g_test_add_func ("/auth/logs/no-secrets", test_logs_hold_no_secret);

  status = g_test_run ();
  fake_stop ();
  g_ptr_array_unref (secrets_seen);
  g_string_free (captured_log, TRUE);
  return status;
}
