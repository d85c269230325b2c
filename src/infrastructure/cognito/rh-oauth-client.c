// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cognito"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "rh-cognito-private.h"
#include "rh-json-load.h"
#include "rh-oauth-client.h"

/**
 * RhOAuthClient:
 *
 * The OAuth 2.0 public client of the Cognito hosted UI (RFC 6749, PKCE per
 * RFC 7636, native-app redirects per RFC 8252): authorize URLs, the code
 * exchange and refresh at `/oauth2/token`, revocation at `/oauth2/revoke`,
 * and `/logout`. Implements #RhAuthProvider; errors are mapped to
 * %RH_AUTH_ERROR with readable messages: `invalid_grant` is
 * %RH_AUTH_ERROR_REFUSED, a 5xx or an unreadable answer
 * %RH_AUTH_ERROR_PROVIDER, a timeout or a failed connection
 * %RH_AUTH_ERROR_NETWORK.
 *
 * The blocking calls may run on any thread (libsoup ≥ 3.2 sends from any
 * thread); the session is set up once, at construction.
 */
struct _RhOAuthClient
{
  GObject            parent_instance;

  RhCognitoConfig   *config;
  SoupSession       *session;
  RhIdTokenVerifier *verifier;
};

static void rh_oauth_client_provider_init (RhAuthProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhOAuthClient, rh_oauth_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_AUTH_PROVIDER,
                                                      rh_oauth_client_provider_init))

static void
rh_oauth_client_finalize (GObject *object)
{
  RhOAuthClient *self = (RhOAuthClient *)object;

  g_clear_object (&self->verifier);
  g_clear_object (&self->session);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (rh_oauth_client_parent_class)->finalize (object);
}

static void
rh_oauth_client_class_init (RhOAuthClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_oauth_client_finalize;
}

static void
rh_oauth_client_init (RhOAuthClient *self)
{
}

/**
 * rh_oauth_client_new:
 * @config: where to go; kept, and not to be changed afterwards
 * @timeout_seconds: how long one request may take (0: the default,
 *   %RH_OAUTH_DEFAULT_TIMEOUT_SECONDS)
 *
 * Returns: (transfer full): the client
 */
RhOAuthClient *
rh_oauth_client_new (RhCognitoConfig *config,
                     guint            timeout_seconds)
{
  RhOAuthClient *self;
  g_autofree char *jwks_uri = NULL;
  g_autofree char *user_agent = g_strdup_printf ("Rehearse/%s ", PACKAGE_VERSION);

  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (config), NULL);

  self = g_object_new (RH_TYPE_OAUTH_CLIENT, NULL);
  self->config = g_object_ref (config);
  self->session = soup_session_new_with_options ("timeout",
                                                 timeout_seconds ? timeout_seconds
                                                                 : RH_OAUTH_DEFAULT_TIMEOUT_SECONDS,
                                                 "user-agent", user_agent,
                                                 NULL);
  jwks_uri = rh_cognito_config_dup_jwks_uri (config);
  self->verifier = rh_id_token_verifier_new (self->session,
                                             rh_cognito_config_get_issuer (config),
                                             jwks_uri,
                                             rh_cognito_config_get_client_id (config));
  return self;
}

/**
 * rh_oauth_client_get_config:
 *
 * Returns: (transfer none): the configuration
 */
RhCognitoConfig *
rh_oauth_client_get_config (RhOAuthClient *self)
{
  g_return_val_if_fail (RH_IS_OAUTH_CLIENT (self), NULL);
  return self->config;
}

/**
 * rh_oauth_client_get_verifier:
 *
 * Returns: (transfer none): the ID token verifier
 */
RhIdTokenVerifier *
rh_oauth_client_get_verifier (RhOAuthClient *self)
{
  g_return_val_if_fail (RH_IS_OAUTH_CLIENT (self), NULL);
  return self->verifier;
}

/* Helpers shared with rh-id-token.c */

/**
 * _rh_base64url_encode:
 *
 * Returns: (transfer full): base64url without padding (RFC 7515 §2)
 */
char *
_rh_base64url_encode (const guint8 *data,
                      gsize         len)
{
  char *text = g_base64_encode (data, len);
  gsize out = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (text[i] == '=')
        break;
      text[out++] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
    }
  text[out] = '\0';
  return text;
}

/**
 * _rh_base64url_decode:
 * @len: the length of @text, or -1 when it is nul-terminated
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when @text is
 *   not base64url
 */
GBytes *
_rh_base64url_decode (const char *text,
                      gssize      len)
{
  g_autoptr(GString) b64 = NULL;
  guchar *data;
  gsize data_len = 0;

  if (len < 0)
    len = strlen (text);
  b64 = g_string_sized_new (len + 3);
  for (gssize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (b64, c);
    }
  if (b64->len % 4 == 1)
    return NULL;
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  data = g_base64_decode (b64->str, &data_len);
  return g_bytes_new_take (data, data_len);
}

/**
 * _rh_cognito_parse_json:
 *
 * Returns: (transfer full) (nullable): the object @body holds, or %NULL
 *   with %RH_AUTH_ERROR_PROVIDER
 */
JsonObject *
_rh_cognito_parse_json (GBytes  *body,
                        GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || !rh_json_parser_load (parser, data, len, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                           _("The sign-in service sent an answer that could not be read."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/**
 * _rh_cognito_send:
 *
 * Sends @msg and reads the whole answer, whatever its status.
 *
 * Returns: (transfer full) (nullable): the body, or %NULL with
 *   %RH_AUTH_ERROR_NETWORK (or %RH_AUTH_ERROR_CANCELLED)
 */
GBytes *
_rh_cognito_send (SoupSession   *session,
                  SoupMessage   *msg,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (body != NULL)
    return body;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                         _("Sign-in was cancelled."));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_NETWORK,
                         _("The sign-in service did not answer in time. "
                           "Check your connection and try again."));
  else
    g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_NETWORK,
                 _("Could not reach the sign-in service: %s"), local_error->message);
  return NULL;
}

/* Randomness */

static void
fill_random (guint8 *buf,
             gsize   len)
{
  gsize done = 0;

  /* the kernel's CSPRNG: GRand is not meant for secrets */
  while (done < len)
    {
      gssize n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("No random numbers from the kernel: %s", g_strerror (errno));
        }
      done += n;
    }
}

/**
 * rh_oauth_random_string:
 * @n_bytes: how many random bytes
 *
 * Returns: (transfer full): @n_bytes from the kernel's random source, in
 *   base64url (for state and nonce)
 */
char *
rh_oauth_random_string (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  char *text;

  fill_random (buf, n_bytes);
  text = _rh_base64url_encode (buf, n_bytes);
  memset (buf, 0, n_bytes);
  return text;
}

/**
 * rh_oauth_pkce_new_verifier:
 *
 * Returns: (transfer full): a PKCE code verifier: 32 random bytes in
 *   base64url, 43 characters (RFC 7636 §4.1)
 */
char *
rh_oauth_pkce_new_verifier (void)
{
  return rh_oauth_random_string (32);
}

/**
 * rh_oauth_pkce_challenge:
 *
 * Returns: (transfer full): BASE64URL(SHA256(ASCII(@verifier))), the S256
 *   code challenge (RFC 7636 §4.2)
 */
char *
rh_oauth_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (sha, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sha, digest, &len);
  return _rh_base64url_encode (digest, len);
}

/* URLs */

static void
append_param (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (url, strchr (url->str, '?') ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

/**
 * rh_oauth_client_build_authorize_url:
 * @mode: sign in (`/oauth2/authorize`), create account (`/signup`), or
 *   straight to Google (`identity_provider=Google`)
 *
 * Returns: (transfer full): the URL to open in the browser
 */
char *
rh_oauth_client_build_authorize_url (RhOAuthClient *self,
                                     RhAuthMode     mode,
                                     const char    *redirect_uri,
                                     const char    *state,
                                     const char    *nonce,
                                     const char    *code_challenge)
{
  g_autoptr(GString) url = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (RH_IS_OAUTH_CLIENT (self), NULL);

  base = rh_cognito_config_dup_endpoint (self->config,
                                         mode == RH_AUTH_MODE_SIGN_UP ? "/signup"
                                                                      : "/oauth2/authorize");
  url = g_string_new (base);
  append_param (url, "response_type", "code");
  append_param (url, "client_id", rh_cognito_config_get_client_id (self->config));
  append_param (url, "redirect_uri", redirect_uri);
  append_param (url, "scope", rh_cognito_config_get_scopes (self->config));
  append_param (url, "state", state);
  append_param (url, "nonce", nonce);
  append_param (url, "code_challenge", code_challenge);
  append_param (url, "code_challenge_method", "S256");
  if (mode == RH_AUTH_MODE_GOOGLE)
    append_param (url, "identity_provider", "Google");
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* The token endpoint */

/* A string member, or NULL when it is missing or not a string. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static RhTokenSet *
parse_token_response (SoupMessage  *msg,
                      GBytes       *body,
                      GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(RhTokenSet) tokens = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *token_type;

  if (status >= 500)
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                   _("The sign-in service has a problem (HTTP %u). Try again later."), status);
      return NULL;
    }

  root = _rh_cognito_parse_json (body, &parse_error);
  if (status != SOUP_STATUS_OK)
    {
      const char *code = get_string (root, "error");
      const char *description = get_string (root, "error_description");

      g_debug ("The token endpoint answered HTTP %u, %s", status, code ? code : "no error code");
      if (g_strcmp0 (code, "invalid_grant") == 0)
        g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED,
                             _("The sign-in service no longer accepts this sign-in. "
                               "Sign in again."));
      else
        g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                     _("The sign-in service refused the request: %s"),
                     description ? description : code ? code : soup_status_get_phrase (status));
      return NULL;
    }
  if (root == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parse_error));
      return NULL;
    }

  tokens = g_new0 (RhTokenSet, 1);
  tokens->access_token = g_strdup (get_string (root, "access_token"));
  tokens->id_token = g_strdup (get_string (root, "id_token"));
  tokens->refresh_token = g_strdup (get_string (root, "refresh_token"));
  token_type = get_string (root, "token_type");
  if (tokens->access_token == NULL || *tokens->access_token == '\0' ||
      (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                           _("The sign-in service sent an answer that could not be read."));
      return NULL;
    }
  if (json_object_has_member (root, "expires_in"))
    {
      gint64 expires_in = json_object_get_int_member_with_default (root, "expires_in", 0);

      if (expires_in > 0)
        tokens->expires_at = g_get_real_time () + expires_in * G_USEC_PER_SEC;
    }
  return g_steal_pointer (&tokens);
}

static SoupMessage *
new_form_post (RhOAuthClient *self,
               const char    *path,
               char          *encoded_form)
{
  g_autofree char *url = rh_cognito_config_dup_endpoint (self->config, path);
  SoupMessage *msg;

  /* soup takes the form; it holds a secret, so it is not logged */
  msg = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url, encoded_form);
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json");
  return msg;
}

static RhTokenSet *
post_token_request (RhOAuthClient  *self,
                    char           *encoded_form,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  if (!(msg = new_form_post (self, "/oauth2/token", encoded_form)))
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                   _("The sign-in service’s address “%s” is not valid."),
                   rh_cognito_config_get_domain (self->config));
      return NULL;
    }
  if (!(body = _rh_cognito_send (self->session, msg, cancellable, error)))
    return NULL;
  return parse_token_response (msg, body, error);
}

/* RhAuthProvider */

static char *
rh_oauth_client_dup_redirect_uri (RhAuthProvider *provider)
{
  return rh_cognito_config_dup_redirect_uri (RH_OAUTH_CLIENT (provider)->config);
}

static RhAuthRequest *
rh_oauth_client_new_request (RhAuthProvider *provider,
                             RhAuthMode      mode,
                             const char     *redirect_uri)
{
  RhOAuthClient *self = RH_OAUTH_CLIENT (provider);
  RhAuthRequest *request = g_new0 (RhAuthRequest, 1);
  g_autofree char *challenge = NULL;

  request->mode = mode;
  request->redirect_uri = redirect_uri ? g_strdup (redirect_uri)
                                       : rh_cognito_config_dup_redirect_uri (self->config);
  request->state = rh_oauth_random_string (24);
  request->nonce = rh_oauth_random_string (24);
  request->code_verifier = rh_oauth_pkce_new_verifier ();
  challenge = rh_oauth_pkce_challenge (request->code_verifier);
  request->url = rh_oauth_client_build_authorize_url (self, mode, request->redirect_uri,
                                                      request->state, request->nonce, challenge);
  return request;
}

static RhTokenSet *
rh_oauth_client_exchange_code (RhAuthProvider       *provider,
                               const RhAuthRequest  *request,
                               const char           *code,
                               GCancellable         *cancellable,
                               GError              **error)
{
  RhOAuthClient *self = RH_OAUTH_CLIENT (provider);

  g_debug ("Exchanging the authorization code at the token endpoint");
  return post_token_request (self,
                             soup_form_encode ("grant_type", "authorization_code",
                                               "client_id", rh_cognito_config_get_client_id (self->config),
                                               "code", code,
                                               "redirect_uri", request->redirect_uri,
                                               "code_verifier", request->code_verifier,
                                               NULL),
                             cancellable, error);
}

static RhTokenSet *
rh_oauth_client_refresh (RhAuthProvider  *provider,
                         const char      *refresh_token,
                         GCancellable    *cancellable,
                         GError         **error)
{
  RhOAuthClient *self = RH_OAUTH_CLIENT (provider);

  return post_token_request (self,
                             soup_form_encode ("grant_type", "refresh_token",
                                               "client_id", rh_cognito_config_get_client_id (self->config),
                                               "refresh_token", refresh_token,
                                               NULL),
                             cancellable, error);
}

static gboolean
rh_oauth_client_revoke (RhAuthProvider  *provider,
                        const char      *refresh_token,
                        GCancellable    *cancellable,
                        GError         **error)
{
  RhOAuthClient *self = RH_OAUTH_CLIENT (provider);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  msg = new_form_post (self, "/oauth2/revoke",
                       soup_form_encode ("token", refresh_token,
                                         "token_type_hint", "refresh_token",
                                         "client_id", rh_cognito_config_get_client_id (self->config),
                                         NULL));
  if (msg == NULL)
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                   _("The sign-in service’s address “%s” is not valid."),
                   rh_cognito_config_get_domain (self->config));
      return FALSE;
    }
  if (!(body = _rh_cognito_send (self->session, msg, cancellable, error)))
    return FALSE;

  status = soup_message_get_status (msg);
  g_debug ("The revocation endpoint answered HTTP %u", status);
  if (status == SOUP_STATUS_OK)
    return TRUE;
  if (status >= 500)
    g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                 _("The sign-in service has a problem (HTTP %u). Try again later."), status);
  else
    g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                 _("The sign-in service did not end the session (HTTP %u)."), status);
  return FALSE;
}

static RhIdClaims *
rh_oauth_client_verify_id_token (RhAuthProvider  *provider,
                                 const char      *id_token,
                                 const char      *nonce,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  return rh_id_token_verifier_verify (RH_OAUTH_CLIENT (provider)->verifier, id_token, nonce,
                                      cancellable, error);
}

static RhIdClaims *
rh_oauth_client_read_id_token (RhAuthProvider  *provider,
                               const char      *id_token,
                               GError         **error)
{
  return rh_id_token_read_claims (id_token, error);
}

static char *
rh_oauth_client_dup_logout_url (RhAuthProvider *provider)
{
  RhOAuthClient *self = RH_OAUTH_CLIENT (provider);
  g_autofree char *base = rh_cognito_config_dup_endpoint (self->config, "/logout");
  g_autofree char *logout_uri = rh_cognito_config_dup_logout_uri (self->config);
  g_autoptr(GString) url = g_string_new (base);

  append_param (url, "client_id", rh_cognito_config_get_client_id (self->config));
  append_param (url, "logout_uri", logout_uri);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static void
rh_oauth_client_provider_init (RhAuthProviderInterface *iface)
{
  iface->dup_redirect_uri = rh_oauth_client_dup_redirect_uri;
  iface->new_request = rh_oauth_client_new_request;
  iface->exchange_code = rh_oauth_client_exchange_code;
  iface->refresh = rh_oauth_client_refresh;
  iface->revoke = rh_oauth_client_revoke;
  iface->verify_id_token = rh_oauth_client_verify_id_token;
  iface->read_id_token = rh_oauth_client_read_id_token;
  iface->dup_logout_url = rh_oauth_client_dup_logout_url;
}
