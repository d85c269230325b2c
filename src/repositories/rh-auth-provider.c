// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-auth-provider"

#include "config.h"

#include "rh-auth-provider.h"

/**
 * rh_auth_request_copy:
 *
 * Returns: (transfer full): a copy
 */
RhAuthRequest *
rh_auth_request_copy (const RhAuthRequest *request)
{
  RhAuthRequest *copy = g_new0 (RhAuthRequest, 1);

  copy->mode = request->mode;
  copy->url = g_strdup (request->url);
  copy->redirect_uri = g_strdup (request->redirect_uri);
  copy->state = g_strdup (request->state);
  copy->nonce = g_strdup (request->nonce);
  copy->code_verifier = g_strdup (request->code_verifier);
  return copy;
}

/**
 * rh_auth_request_free:
 *
 * Frees the request, wiping its secrets.
 */
void
rh_auth_request_free (RhAuthRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->url);
  g_free (request->redirect_uri);
  rh_secret_free (request->state);
  rh_secret_free (request->nonce);
  rh_secret_free (request->code_verifier);
  g_free (request);
}

G_DEFINE_BOXED_TYPE (RhAuthRequest, rh_auth_request, rh_auth_request_copy, rh_auth_request_free)

/**
 * rh_token_set_copy:
 *
 * Returns: (transfer full): a copy
 */
RhTokenSet *
rh_token_set_copy (const RhTokenSet *tokens)
{
  RhTokenSet *copy = g_new0 (RhTokenSet, 1);

  copy->access_token = g_strdup (tokens->access_token);
  copy->id_token = g_strdup (tokens->id_token);
  copy->refresh_token = g_strdup (tokens->refresh_token);
  copy->expires_at = tokens->expires_at;
  return copy;
}

/**
 * rh_token_set_free:
 *
 * Frees the tokens, wiping them.
 */
void
rh_token_set_free (RhTokenSet *tokens)
{
  if (tokens == NULL)
    return;
  rh_secret_free (tokens->access_token);
  rh_secret_free (tokens->id_token);
  rh_secret_free (tokens->refresh_token);
  g_free (tokens);
}

G_DEFINE_BOXED_TYPE (RhTokenSet, rh_token_set, rh_token_set_copy, rh_token_set_free)

/**
 * rh_id_claims_copy:
 *
 * Returns: (transfer full): a copy
 */
RhIdClaims *
rh_id_claims_copy (const RhIdClaims *claims)
{
  RhIdClaims *copy = g_new0 (RhIdClaims, 1);

  copy->sub = g_strdup (claims->sub);
  copy->email = g_strdup (claims->email);
  copy->email_verified = claims->email_verified;
  copy->name = g_strdup (claims->name);
  copy->nonce = g_strdup (claims->nonce);
  copy->expires_at = claims->expires_at;
  return copy;
}

void
rh_id_claims_free (RhIdClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->sub);
  g_free (claims->email);
  g_free (claims->name);
  g_free (claims->nonce);
  g_free (claims);
}

G_DEFINE_BOXED_TYPE (RhIdClaims, rh_id_claims, rh_id_claims_copy, rh_id_claims_free)

G_DEFINE_INTERFACE (RhAuthProvider, rh_auth_provider, G_TYPE_OBJECT)

static void
rh_auth_provider_default_init (RhAuthProviderInterface *iface)
{
}

/**
 * rh_auth_provider_dup_redirect_uri:
 *
 * Returns: (transfer full): the configured redirect URI
 */
char *
rh_auth_provider_dup_redirect_uri (RhAuthProvider *self)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->dup_redirect_uri (self);
}

/**
 * rh_auth_provider_new_request:
 * @redirect_uri: (nullable): where the browser comes back; %NULL for the
 *   configured redirect URI
 *
 * Returns: (transfer full): a new attempt with fresh secrets
 */
RhAuthRequest *
rh_auth_provider_new_request (RhAuthProvider *self,
                              RhAuthMode      mode,
                              const char     *redirect_uri)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->new_request (self, mode, redirect_uri);
}

/**
 * rh_auth_provider_exchange_code:
 *
 * Returns: (transfer full) (nullable): the tokens
 */
RhTokenSet *
rh_auth_provider_exchange_code (RhAuthProvider       *self,
                                const RhAuthRequest  *request,
                                const char           *code,
                                GCancellable         *cancellable,
                                GError              **error)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->exchange_code (self, request, code,
                                                           cancellable, error);
}

/**
 * rh_auth_provider_refresh:
 *
 * Returns: (transfer full) (nullable): the new tokens
 */
RhTokenSet *
rh_auth_provider_refresh (RhAuthProvider  *self,
                          const char      *refresh_token,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->refresh (self, refresh_token, cancellable, error);
}

gboolean
rh_auth_provider_revoke (RhAuthProvider  *self,
                         const char      *refresh_token,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), FALSE);
  g_return_val_if_fail (refresh_token != NULL, FALSE);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->revoke (self, refresh_token, cancellable, error);
}

/**
 * rh_auth_provider_verify_id_token:
 * @nonce: (nullable): the nonce the token must carry; %NULL after a
 *   refresh, whose ID token carries none
 *
 * Returns: (transfer full) (nullable): the claims of a valid token
 */
RhIdClaims *
rh_auth_provider_verify_id_token (RhAuthProvider  *self,
                                  const char      *id_token,
                                  const char      *nonce,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  g_return_val_if_fail (id_token != NULL, NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->verify_id_token (self, id_token, nonce,
                                                             cancellable, error);
}

/**
 * rh_auth_provider_read_id_token:
 *
 * Returns: (transfer full) (nullable): the claims, unchecked
 */
RhIdClaims *
rh_auth_provider_read_id_token (RhAuthProvider  *self,
                                const char      *id_token,
                                GError         **error)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  g_return_val_if_fail (id_token != NULL, NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->read_id_token (self, id_token, error);
}

/**
 * rh_auth_provider_dup_logout_url:
 *
 * Returns: (transfer full): the hosted UI's sign-out URL
 */
char *
rh_auth_provider_dup_logout_url (RhAuthProvider *self)
{
  g_return_val_if_fail (RH_IS_AUTH_PROVIDER (self), NULL);
  return RH_AUTH_PROVIDER_GET_IFACE (self)->dup_logout_url (self);
}
