// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cognito"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The JOSE library is cjose (Debian: libcjose-dev) rather than libjwt:
 * cjose imports a JWK straight from the issuer's key set (libjwt 1.10, the
 * version in Debian 12, wants PEM keys and has no JWK import) and verifies
 * RS256 compact JWS with OpenSSL; the tests use it to make keys and sign
 * tokens too. The claims are checked here, by hand, against the OpenID
 * Connect rules: cjose checks signatures only. */
#include <cjose/cjose.h>

#include "rh-cognito-private.h"
#include "rh-id-token.h"

/* A key set is fetched again for an unknown `kid` (the issuer rotated its
 * keys), but not more often than this. */
#define JWKS_REFETCH_SECONDS 30

/**
 * RhIdTokenVerifier:
 *
 * Verifies OpenID Connect ID tokens: the RS256 signature against the
 * issuer's JWKS (fetched from `/.well-known/jwks.json` on first use and
 * cached), `iss`, `aud` (the app client id), `exp` (with a small leeway),
 * `token_use` when present (Cognito), and `nonce`.
 *
 * Thread-safe: verify() blocks and runs on worker threads.
 */
struct _RhIdTokenVerifier
{
  GObject      parent_instance;

  SoupSession *session;
  char        *issuer;
  char        *jwks_uri;
  char        *client_id;
  guint        leeway_seconds;

  GMutex       lock;
  GHashTable  *keys;          /* kid → cjose_jwk_t */
  gint64       fetched_at;    /* monotonic µs, 0: never */
};

G_DEFINE_FINAL_TYPE (RhIdTokenVerifier, rh_id_token_verifier, G_TYPE_OBJECT)

static void
rh_id_token_verifier_finalize (GObject *object)
{
  RhIdTokenVerifier *self = (RhIdTokenVerifier *)object;

  g_clear_object (&self->session);
  g_free (self->issuer);
  g_free (self->jwks_uri);
  g_free (self->client_id);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rh_id_token_verifier_parent_class)->finalize (object);
}

static void
rh_id_token_verifier_class_init (RhIdTokenVerifierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_id_token_verifier_finalize;
}

static void
release_jwk (gpointer jwk)
{
  cjose_jwk_release (jwk);
}

static void
rh_id_token_verifier_init (RhIdTokenVerifier *self)
{
  g_mutex_init (&self->lock);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, release_jwk);
  self->leeway_seconds = RH_ID_TOKEN_DEFAULT_LEEWAY_SECONDS;
}

/**
 * rh_id_token_verifier_new:
 * @session: the HTTP session for the key set
 * @issuer: the expected `iss`
 * @jwks_uri: the issuer's key set
 * @client_id: the expected `aud`
 *
 * Returns: (transfer full): a verifier
 */
RhIdTokenVerifier *
rh_id_token_verifier_new (SoupSession *session,
                          const char  *issuer,
                          const char  *jwks_uri,
                          const char  *client_id)
{
  RhIdTokenVerifier *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (issuer != NULL && jwks_uri != NULL && client_id != NULL, NULL);

  self = g_object_new (RH_TYPE_ID_TOKEN_VERIFIER, NULL);
  self->session = g_object_ref (session);
  self->issuer = g_strdup (issuer);
  self->jwks_uri = g_strdup (jwks_uri);
  self->client_id = g_strdup (client_id);
  return self;
}

/**
 * rh_id_token_verifier_set_leeway:
 *
 * The clock skew allowed for `exp` (default
 * %RH_ID_TOKEN_DEFAULT_LEEWAY_SECONDS).
 */
void
rh_id_token_verifier_set_leeway (RhIdTokenVerifier *self,
                                 guint              seconds)
{
  g_return_if_fail (RH_IS_ID_TOKEN_VERIFIER (self));
  self->leeway_seconds = seconds;
}

static gboolean
set_invalid (GError     **error,
             const char  *why)
{
  g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_INVALID_TOKEN,
               _("The sign-in service sent an identity that cannot be trusted: %s"), why);
  return FALSE;
}

/* One part of a compact JWS, decoded and parsed as a JSON object. */
static JsonObject *
decode_part (const char  *part,
             gssize       len,
             GError     **error)
{
  g_autoptr(GBytes) bytes = _rh_base64url_decode (part, len);
  JsonObject *object;

  if (bytes == NULL || !(object = _rh_cognito_parse_json (bytes, NULL)))
    {
      set_invalid (error, _("it is not a JSON Web Token"));
      return NULL;
    }
  return object;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_number (JsonObject *object,
            const char *member,
            gint64     *out_value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out_value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out_value = (gint64) json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

/* Cognito has sent `email_verified` both as a boolean and as a string. */
static gboolean
get_flag (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (node), "true") == 0;
  return FALSE;
}

static RhIdClaims *
claims_from_payload (JsonObject  *payload,
                     GError     **error)
{
  g_autoptr(RhIdClaims) claims = g_new0 (RhIdClaims, 1);
  const char *sub = get_string (payload, "sub");
  gint64 exp;

  if (sub == NULL || *sub == '\0')
    {
      set_invalid (error, _("it names no account"));
      return NULL;
    }
  if (!get_number (payload, "exp", &exp))
    {
      set_invalid (error, _("it has no expiry"));
      return NULL;
    }
  claims->sub = g_strdup (sub);
  claims->email = g_strdup (get_string (payload, "email"));
  claims->email_verified = get_flag (payload, "email_verified");
  claims->name = g_strdup (get_string (payload, "name"));
  claims->nonce = g_strdup (get_string (payload, "nonce"));
  claims->expires_at = exp * G_USEC_PER_SEC;
  return g_steal_pointer (&claims);
}

/**
 * rh_id_token_read_claims:
 *
 * The claims of a token without checking anything: only for tokens that
 * were verified when they arrived.
 *
 * Returns: (transfer full) (nullable): the claims
 */
RhIdClaims *
rh_id_token_read_claims (const char  *token,
                         GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) payload = NULL;

  g_return_val_if_fail (token != NULL, NULL);

  parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3)
    {
      set_invalid (error, _("it is not a JSON Web Token"));
      return NULL;
    }
  if (!(payload = decode_part (parts[1], -1, error)))
    return NULL;
  return claims_from_payload (payload, error);
}

/* Replaces the cached keys with the issuer's current set. */
static gboolean
fetch_keys_locked (RhIdTokenVerifier  *self,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *keys;
  guint imported = 0;

  g_debug ("Fetching the issuer’s keys from %s", self->jwks_uri);
  if (!(msg = soup_message_new (SOUP_METHOD_GET, self->jwks_uri)))
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                   _("The sign-in service’s address “%s” is not valid."), self->jwks_uri);
      return FALSE;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/json");
  if (!(body = _rh_cognito_send (self->session, msg, cancellable, error)))
    return FALSE;
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                   _("The sign-in service did not give its keys (HTTP %u)."),
                   soup_message_get_status (msg));
      return FALSE;
    }
  if (!(root = _rh_cognito_parse_json (body, error)))
    return FALSE;
  if (!json_object_has_member (root, "keys") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "keys")))
    {
      g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_PROVIDER,
                           _("The sign-in service’s key set is not valid."));
      return FALSE;
    }

  g_hash_table_remove_all (self->keys);
  keys = json_object_get_array_member (root, "keys");
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *node = json_array_get_element (keys, i);
      JsonObject *key;
      g_autofree char *json = NULL;
      cjose_jwk_t *jwk;
      cjose_err err = { 0 };
      const char *kid;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      key = json_node_get_object (node);
      /* only RSA signing keys can verify RS256 */
      if (g_strcmp0 (get_string (key, "kty"), "RSA") != 0 ||
          (get_string (key, "use") != NULL && g_strcmp0 (get_string (key, "use"), "sig") != 0))
        continue;
      json = json_to_string (node, FALSE);
      if (!(jwk = cjose_jwk_import (json, strlen (json), &err)))
        {
          g_debug ("A key of the set was skipped: %s", err.message ? err.message : "?");
          continue;
        }
      kid = get_string (key, "kid");
      g_hash_table_replace (self->keys, g_strdup (kid ? kid : ""), jwk);
      imported++;
    }
  self->fetched_at = g_get_monotonic_time ();
  g_debug ("The issuer has %u usable keys", imported);
  return TRUE;
}

/* A new reference to the key for @kid, fetching the set when needed. */
static cjose_jwk_t *
find_key (RhIdTokenVerifier  *self,
          const char         *kid,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gboolean fetched = FALSE;

  for (guint round = 0; round < 2; round++)
    {
      cjose_jwk_t *jwk = NULL;

      if (kid != NULL)
        jwk = g_hash_table_lookup (self->keys, kid);
      else if (g_hash_table_size (self->keys) == 1)
        {
          GHashTableIter iter;

          g_hash_table_iter_init (&iter, self->keys);
          g_hash_table_iter_next (&iter, NULL, (gpointer *) &jwk);
        }
      if (jwk != NULL)
        return cjose_jwk_retain (jwk, NULL);

      if (fetched || (self->fetched_at != 0 &&
                      g_get_monotonic_time () - self->fetched_at <
                      JWKS_REFETCH_SECONDS * G_USEC_PER_SEC))
        break;
      if (!fetch_keys_locked (self, cancellable, error))
        return NULL;
      fetched = TRUE;
    }

  set_invalid (error, _("it is signed with a key the issuer does not have"));
  return NULL;
}

static gboolean
audience_matches (JsonObject *payload,
                  const char *client_id)
{
  JsonNode *aud = json_object_get_member (payload, "aud");

  if (aud == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (aud) && json_node_get_value_type (aud) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (aud), client_id) == 0;
  if (JSON_NODE_HOLDS_ARRAY (aud))
    {
      JsonArray *array = json_node_get_array (aud);
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *el = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (el) && json_node_get_value_type (el) == G_TYPE_STRING &&
              g_strcmp0 (json_node_get_string (el), client_id) == 0)
            found = TRUE;
        }
      /* several audiences: the token must have been issued to this client */
      if (found && json_array_get_length (array) > 1)
        return g_strcmp0 (get_string (payload, "azp"), client_id) == 0;
      return found;
    }
  return FALSE;
}

/**
 * rh_id_token_verifier_verify:
 * @token: the compact JWS
 * @nonce: (nullable): the nonce the token must carry (the sign-in
 *   attempt's); %NULL after a refresh
 *
 * Blocking (the key set may be fetched).
 *
 * Returns: (transfer full) (nullable): the claims of a valid token, or
 *   %NULL with %RH_AUTH_ERROR_INVALID_TOKEN (or a network error while
 *   fetching the keys)
 */
RhIdClaims *
rh_id_token_verifier_verify (RhIdTokenVerifier  *self,
                             const char         *token,
                             const char         *nonce,
                             GCancellable       *cancellable,
                             GError            **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(RhIdClaims) claims = NULL;
  g_autoptr(GBytes) plain_bytes = NULL;
  cjose_jws_t *jws = NULL;
  cjose_jwk_t *jwk = NULL;
  cjose_err err = { 0 };
  uint8_t *plain = NULL;
  size_t plain_len = 0;
  const char *token_use;
  gboolean verified;
  gint64 now;

  g_return_val_if_fail (RH_IS_ID_TOKEN_VERIFIER (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3)
    {
      set_invalid (error, _("it is not a JSON Web Token"));
      return NULL;
    }
  if (!(header = decode_part (parts[0], -1, error)))
    return NULL;
  /* Only RS256: never "none", and never an HMAC keyed with the public key. */
  if (g_strcmp0 (get_string (header, "alg"), "RS256") != 0)
    {
      set_invalid (error, _("it is not signed with RS256"));
      return NULL;
    }

  if (!(jwk = find_key (self, get_string (header, "kid"), cancellable, error)))
    return NULL;
  if (!(jws = cjose_jws_import (token, strlen (token), &err)))
    {
      cjose_jwk_release (jwk);
      set_invalid (error, _("it is not a JSON Web Token"));
      return NULL;
    }
  verified = cjose_jws_verify (jws, jwk, &err);
  cjose_jwk_release (jwk);
  if (!verified || !cjose_jws_get_plaintext (jws, &plain, &plain_len, &err))
    {
      cjose_jws_release (jws);
      set_invalid (error, _("its signature does not match"));
      return NULL;
    }
  plain_bytes = g_bytes_new (plain, plain_len);
  cjose_jws_release (jws);

  if (!(payload = _rh_cognito_parse_json (plain_bytes, NULL)))
    {
      set_invalid (error, _("it is not a JSON Web Token"));
      return NULL;
    }
  if (!(claims = claims_from_payload (payload, error)))
    return NULL;

  if (g_strcmp0 (get_string (payload, "iss"), self->issuer) != 0)
    {
      set_invalid (error, _("it comes from another issuer"));
      return NULL;
    }
  if (!audience_matches (payload, self->client_id))
    {
      set_invalid (error, _("it was issued to another application"));
      return NULL;
    }
  token_use = get_string (payload, "token_use");
  if (token_use != NULL && g_strcmp0 (token_use, "id") != 0)
    {
      set_invalid (error, _("it is not an ID token"));
      return NULL;
    }
  now = g_get_real_time ();
  if (claims->expires_at + (gint64) self->leeway_seconds * G_USEC_PER_SEC <= now)
    {
      set_invalid (error, _("it has expired (is the computer’s clock right?)"));
      return NULL;
    }
  if (nonce != NULL && g_strcmp0 (claims->nonce, nonce) != 0)
    {
      set_invalid (error, _("it belongs to another sign-in"));
      return NULL;
    }

  return g_steal_pointer (&claims);
}
