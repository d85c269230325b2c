// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-secret-repository.h"
#include "rh-token-source.h"

G_BEGIN_DECLS

/**
 * RhAuthMode:
 * @RH_AUTH_MODE_SIGN_IN: the hosted UI's sign-in page
 * @RH_AUTH_MODE_SIGN_UP: the hosted UI's "Create account" page
 * @RH_AUTH_MODE_GOOGLE: straight to Google ("Continue with Google")
 *
 * Which page of the provider the browser opens on.
 */
typedef enum
{
  RH_AUTH_MODE_SIGN_IN,
  RH_AUTH_MODE_SIGN_UP,
  RH_AUTH_MODE_GOOGLE,
} RhAuthMode;

/**
 * RhAuthRequest:
 * @mode: the page the attempt started on
 * @url: the authorize URL to open in the browser
 * @redirect_uri: where the provider sends the browser back
 * @state: the random value the callback must carry back
 * @nonce: the random value the ID token must carry back
 * @code_verifier: the PKCE secret; never logged
 *
 * One sign-in attempt's secrets. rh_auth_request_free() wipes them.
 */
typedef struct
{
  RhAuthMode  mode;
  char       *url;
  char       *redirect_uri;
  char       *state;
  char       *nonce;
  char       *code_verifier;
} RhAuthRequest;

/**
 * RhTokenSet:
 * @access_token: for the API; never logged
 * @id_token: (nullable): who signed in (a JWT); a refresh may omit it
 * @refresh_token: (nullable): a refresh may omit it (Cognito does not rotate)
 * @expires_at: when @access_token expires, in microseconds since the epoch
 *   (g_get_real_time()), or 0 when the provider did not say
 *
 * What the token endpoint answered.
 */
typedef struct
{
  char   *access_token;
  char   *id_token;
  char   *refresh_token;
  gint64  expires_at;
} RhTokenSet;

/**
 * RhIdClaims:
 * @sub: the account's subject: the stable account id
 * @email: (nullable): the e-mail address
 * @email_verified: whether the provider checked @email
 * @name: (nullable): the display name
 * @nonce: (nullable): the nonce the token carries
 * @expires_at: the token's `exp`, in microseconds since the epoch
 *
 * The claims of an ID token that the app uses.
 */
typedef struct
{
  char     *sub;
  char     *email;
  gboolean  email_verified;
  char     *name;
  char     *nonce;
  gint64    expires_at;
} RhIdClaims;

#define RH_TYPE_AUTH_REQUEST (rh_auth_request_get_type ())
#define RH_TYPE_TOKEN_SET (rh_token_set_get_type ())
#define RH_TYPE_ID_CLAIMS (rh_id_claims_get_type ())

GType          rh_auth_request_get_type (void) G_GNUC_CONST;
RhAuthRequest *rh_auth_request_copy     (const RhAuthRequest *request);
void           rh_auth_request_free     (RhAuthRequest       *request);
GType          rh_token_set_get_type    (void) G_GNUC_CONST;
RhTokenSet    *rh_token_set_copy        (const RhTokenSet    *tokens);
void           rh_token_set_free        (RhTokenSet          *tokens);
GType          rh_id_claims_get_type    (void) G_GNUC_CONST;
RhIdClaims    *rh_id_claims_copy        (const RhIdClaims    *claims);
void           rh_id_claims_free        (RhIdClaims          *claims);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhAuthRequest, rh_auth_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhTokenSet, rh_token_set_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhIdClaims, rh_id_claims_free)

#define RH_TYPE_AUTH_PROVIDER (rh_auth_provider_get_type ())

G_DECLARE_INTERFACE (RhAuthProvider, rh_auth_provider, RH, AUTH_PROVIDER, GObject)

/**
 * RhAuthProviderInterface:
 * @dup_redirect_uri: the configured redirect URI (the app's URI scheme or
 *   the loopback address)
 * @new_request: a new attempt: fresh PKCE verifier, state and nonce, and
 *   the authorize URL for @mode that sends the browser back to
 *   @redirect_uri (%NULL: the configured one)
 * @exchange_code: trades the callback's code for tokens. Blocking.
 * @refresh: new tokens for a refresh token. Blocking. Fails with
 *   %RH_AUTH_ERROR_REFUSED when the provider no longer accepts it.
 * @revoke: makes a refresh token (and the tokens it issued) unusable.
 *   Blocking.
 * @verify_id_token: checks an ID token's signature against the issuer's
 *   keys and its `iss`, `aud`, `exp` and (when given) `nonce`. Blocking.
 * @read_id_token: the claims of an ID token that was verified when it
 *   arrived (it comes back out of the secret store): no signature or
 *   expiry check, no network
 * @dup_logout_url: the URL that ends the hosted-UI session in the browser
 *
 * What the sign-in use case needs from an OpenID provider (the Cognito
 * hosted UI). Errors are in %RH_AUTH_ERROR.
 */
struct _RhAuthProviderInterface
{
  GTypeInterface parent_iface;

  char          *(*dup_redirect_uri) (RhAuthProvider       *self);
  RhAuthRequest *(*new_request)      (RhAuthProvider       *self,
                                      RhAuthMode            mode,
                                      const char           *redirect_uri);
  RhTokenSet    *(*exchange_code)    (RhAuthProvider       *self,
                                      const RhAuthRequest  *request,
                                      const char           *code,
                                      GCancellable         *cancellable,
                                      GError              **error);
  RhTokenSet    *(*refresh)          (RhAuthProvider       *self,
                                      const char           *refresh_token,
                                      GCancellable         *cancellable,
                                      GError              **error);
  gboolean       (*revoke)           (RhAuthProvider       *self,
                                      const char           *refresh_token,
                                      GCancellable         *cancellable,
                                      GError              **error);
  RhIdClaims    *(*verify_id_token)  (RhAuthProvider       *self,
                                      const char           *id_token,
                                      const char           *nonce,
                                      GCancellable         *cancellable,
                                      GError              **error);
  RhIdClaims    *(*read_id_token)    (RhAuthProvider       *self,
                                      const char           *id_token,
                                      GError              **error);
  char          *(*dup_logout_url)   (RhAuthProvider       *self);
};

char          *rh_auth_provider_dup_redirect_uri (RhAuthProvider       *self);
RhAuthRequest *rh_auth_provider_new_request      (RhAuthProvider       *self,
                                                  RhAuthMode            mode,
                                                  const char           *redirect_uri);
RhTokenSet    *rh_auth_provider_exchange_code    (RhAuthProvider       *self,
                                                  const RhAuthRequest  *request,
                                                  const char           *code,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
RhTokenSet    *rh_auth_provider_refresh          (RhAuthProvider       *self,
                                                  const char           *refresh_token,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
gboolean       rh_auth_provider_revoke           (RhAuthProvider       *self,
                                                  const char           *refresh_token,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
RhIdClaims    *rh_auth_provider_verify_id_token  (RhAuthProvider       *self,
                                                  const char           *id_token,
                                                  const char           *nonce,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
RhIdClaims    *rh_auth_provider_read_id_token    (RhAuthProvider       *self,
                                                  const char           *id_token,
                                                  GError              **error);
char          *rh_auth_provider_dup_logout_url   (RhAuthProvider       *self);

G_END_DECLS
