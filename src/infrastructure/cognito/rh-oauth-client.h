// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "rh-auth-provider.h"
#include "rh-cognito-config.h"
#include "rh-id-token.h"

G_BEGIN_DECLS

/* How long one request to the provider may take. */
#define RH_OAUTH_DEFAULT_TIMEOUT_SECONDS 30

#define RH_TYPE_OAUTH_CLIENT (rh_oauth_client_get_type ())

G_DECLARE_FINAL_TYPE (RhOAuthClient, rh_oauth_client, RH, OAUTH_CLIENT, GObject)

RhOAuthClient     *rh_oauth_client_new                 (RhCognitoConfig  *config,
                                                        guint             timeout_seconds);
RhCognitoConfig   *rh_oauth_client_get_config          (RhOAuthClient    *self);
RhIdTokenVerifier *rh_oauth_client_get_verifier        (RhOAuthClient    *self);
char              *rh_oauth_client_build_authorize_url (RhOAuthClient    *self,
                                                        RhAuthMode        mode,
                                                        const char       *redirect_uri,
                                                        const char       *state,
                                                        const char       *nonce,
                                                        const char       *code_challenge);

char              *rh_oauth_random_string              (gsize             n_bytes);
char              *rh_oauth_pkce_new_verifier          (void);
char              *rh_oauth_pkce_challenge             (const char       *verifier);

G_END_DECLS
