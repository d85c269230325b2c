// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "rh-auth-provider.h"

G_BEGIN_DECLS

/* Clock skew allowed when checking `exp`. */
#define RH_ID_TOKEN_DEFAULT_LEEWAY_SECONDS 60

#define RH_TYPE_ID_TOKEN_VERIFIER (rh_id_token_verifier_get_type ())

G_DECLARE_FINAL_TYPE (RhIdTokenVerifier, rh_id_token_verifier, RH, ID_TOKEN_VERIFIER, GObject)

RhIdTokenVerifier *rh_id_token_verifier_new        (SoupSession        *session,
                                                    const char         *issuer,
                                                    const char         *jwks_uri,
                                                    const char         *client_id);
void               rh_id_token_verifier_set_leeway (RhIdTokenVerifier  *self,
                                                    guint               seconds);
RhIdClaims        *rh_id_token_verifier_verify     (RhIdTokenVerifier  *self,
                                                    const char         *token,
                                                    const char         *nonce,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
RhIdClaims        *rh_id_token_read_claims         (const char         *token,
                                                    GError            **error);

G_END_DECLS
