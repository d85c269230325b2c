// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Compiled-in defaults: the production user pool's hosted UI. */
#define RH_COGNITO_DEFAULT_DOMAIN        "https://rehearse.auth.eu-central-1.amazoncognito.com"
#define RH_COGNITO_DEFAULT_ISSUER        "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_rehearse"
#define RH_COGNITO_DEFAULT_CLIENT_ID     "rehearse-desktop"
#define RH_COGNITO_DEFAULT_SCOPES        "openid email profile"
#define RH_COGNITO_DEFAULT_CALLBACK_PORT 8765
#define RH_COGNITO_DEFAULT_API_URL       "https://api.rehearse.app"
#define RH_COGNITO_SCHEME_REDIRECT_URI   "io.github.rehearse:/oauth2/callback"
#define RH_COGNITO_SCHEME_LOGOUT_URI     "io.github.rehearse:/oauth2/signout"

/**
 * RhRedirectMode:
 * @RH_REDIRECT_SCHEME: back through the app's URI scheme
 *   (`io.github.rehearse:/oauth2/callback`), handed over by the desktop
 * @RH_REDIRECT_LOOPBACK: back to a one-shot listener on
 *   `http://localhost:PORT/callback`
 */
typedef enum
{
  RH_REDIRECT_SCHEME,
  RH_REDIRECT_LOOPBACK,
} RhRedirectMode;

#define RH_TYPE_COGNITO_CONFIG (rh_cognito_config_get_type ())

G_DECLARE_FINAL_TYPE (RhCognitoConfig, rh_cognito_config, RH, COGNITO_CONFIG, GObject)

RhCognitoConfig *rh_cognito_config_new                (void);
RhCognitoConfig *rh_cognito_config_load               (void);
const char      *rh_cognito_config_get_domain         (RhCognitoConfig *self);
void             rh_cognito_config_set_domain         (RhCognitoConfig *self,
                                                       const char      *domain);
const char      *rh_cognito_config_get_issuer         (RhCognitoConfig *self);
void             rh_cognito_config_set_issuer         (RhCognitoConfig *self,
                                                       const char      *issuer);
const char      *rh_cognito_config_get_client_id      (RhCognitoConfig *self);
void             rh_cognito_config_set_client_id      (RhCognitoConfig *self,
                                                       const char      *client_id);
const char      *rh_cognito_config_get_scopes         (RhCognitoConfig *self);
void             rh_cognito_config_set_scopes         (RhCognitoConfig *self,
                                                       const char      *scopes);
RhRedirectMode   rh_cognito_config_get_redirect_mode  (RhCognitoConfig *self);
void             rh_cognito_config_set_redirect_mode  (RhCognitoConfig *self,
                                                       RhRedirectMode   mode);
guint            rh_cognito_config_get_callback_port  (RhCognitoConfig *self);
void             rh_cognito_config_set_callback_port  (RhCognitoConfig *self,
                                                       guint            port);
const char      *rh_cognito_config_get_api_url        (RhCognitoConfig *self);
void             rh_cognito_config_set_api_url        (RhCognitoConfig *self,
                                                       const char      *api_url);
char            *rh_cognito_config_dup_redirect_uri   (RhCognitoConfig *self);
char            *rh_cognito_config_dup_logout_uri     (RhCognitoConfig *self);
char            *rh_cognito_config_dup_endpoint       (RhCognitoConfig *self,
                                                       const char      *path);
char            *rh_cognito_config_dup_jwks_uri       (RhCognitoConfig *self);

G_END_DECLS
