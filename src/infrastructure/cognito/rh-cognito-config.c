// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cognito"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rh-cognito-config.h"

/**
 * RhCognitoConfig:
 *
 * Where sign-in and sync go: the hosted UI's domain (authorize, token,
 * revoke, logout), the token issuer (`iss`, and its keys at
 * `/.well-known/jwks.json`), the app client id, scopes, how the browser
 * comes back, and the sync API's base URL.
 *
 * rh_cognito_config_load() takes the compiled-in defaults, then the
 * GSettings keys that are set (when the schema is installed: the command
 * line tool works without it), then the environment (for tests):
 * REHEARSE_AUTH_ISSUER (also the domain unless REHEARSE_AUTH_DOMAIN is
 * set), REHEARSE_AUTH_DOMAIN, REHEARSE_AUTH_CLIENT_ID, REHEARSE_AUTH_SCOPES,
 * REHEARSE_AUTH_REDIRECT (scheme|loopback), REHEARSE_AUTH_CALLBACK_PORT and
 * REHEARSE_API_URL.
 */
struct _RhCognitoConfig
{
  GObject         parent_instance;

  char           *domain;
  char           *issuer;
  char           *client_id;
  char           *scopes;
  RhRedirectMode  redirect_mode;
  guint           callback_port;
  char           *api_url;
};

G_DEFINE_FINAL_TYPE (RhCognitoConfig, rh_cognito_config, G_TYPE_OBJECT)

static void
rh_cognito_config_finalize (GObject *object)
{
  RhCognitoConfig *self = (RhCognitoConfig *)object;

  g_free (self->domain);
  g_free (self->issuer);
  g_free (self->client_id);
  g_free (self->scopes);
  g_free (self->api_url);

  G_OBJECT_CLASS (rh_cognito_config_parent_class)->finalize (object);
}

static void
rh_cognito_config_class_init (RhCognitoConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_cognito_config_finalize;
}

static void
rh_cognito_config_init (RhCognitoConfig *self)
{
  self->domain = g_strdup (RH_COGNITO_DEFAULT_DOMAIN);
  self->issuer = g_strdup (RH_COGNITO_DEFAULT_ISSUER);
  self->client_id = g_strdup (RH_COGNITO_DEFAULT_CLIENT_ID);
  self->scopes = g_strdup (RH_COGNITO_DEFAULT_SCOPES);
  self->redirect_mode = RH_REDIRECT_SCHEME;
  self->callback_port = RH_COGNITO_DEFAULT_CALLBACK_PORT;
  self->api_url = g_strdup (RH_COGNITO_DEFAULT_API_URL);
}

/**
 * rh_cognito_config_new:
 *
 * Returns: (transfer full): the compiled-in defaults only
 */
RhCognitoConfig *
rh_cognito_config_new (void)
{
  return g_object_new (RH_TYPE_COGNITO_CONFIG, NULL);
}

/* A base URL without the trailing slash, so paths can be appended. */
static void
set_url (char       **field,
         const char  *url)
{
  gsize len;

  if (url == NULL || *url == '\0')
    return;
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    len--;
  g_free (*field);
  *field = g_strndup (url, len);
}

static void
set_string (char       **field,
            const char  *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
parse_redirect_mode (const char     *text,
                     RhRedirectMode *out_mode)
{
  if (g_strcmp0 (text, "scheme") == 0)
    *out_mode = RH_REDIRECT_SCHEME;
  else if (g_strcmp0 (text, "loopback") == 0)
    *out_mode = RH_REDIRECT_LOOPBACK;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_port (const char *text,
            guint      *out_port)
{
  guint64 port;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, 65535, &port, NULL))
    return FALSE;
  *out_port = (guint) port;
  return TRUE;
}

static void
load_settings (RhCognitoConfig *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *scopes = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *api_url = NULL;
  int port;

  /* the command line tool runs without the schema installed */
  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, BASE_ID, TRUE)))
    return;
  if (!g_settings_schema_has_key (schema, "auth-issuer"))
    return;

  settings = g_settings_new_full (schema, NULL, NULL);
  /* empty strings and 0 mean "the compiled-in default" */
  issuer = g_settings_get_string (settings, "auth-issuer");
  domain = g_settings_get_string (settings, "auth-domain");
  client_id = g_settings_get_string (settings, "auth-client-id");
  scopes = g_settings_get_string (settings, "auth-scopes");
  redirect = g_settings_get_string (settings, "auth-redirect");
  port = g_settings_get_int (settings, "auth-callback-port");
  api_url = g_settings_get_string (settings, "api-url");

  set_url (&self->issuer, issuer);
  set_url (&self->domain, *domain != '\0' ? domain : issuer);
  set_string (&self->client_id, client_id);
  set_string (&self->scopes, scopes);
  parse_redirect_mode (redirect, &self->redirect_mode);
  if (port > 0 && port <= 65535)
    self->callback_port = (guint) port;
  set_url (&self->api_url, api_url);
}

static void
load_environment (RhCognitoConfig *self)
{
  const char *issuer = g_getenv ("REHEARSE_AUTH_ISSUER");
  const char *domain = g_getenv ("REHEARSE_AUTH_DOMAIN");
  const char *redirect = g_getenv ("REHEARSE_AUTH_REDIRECT");
  const char *port = g_getenv ("REHEARSE_AUTH_CALLBACK_PORT");

  set_url (&self->issuer, issuer);
  set_url (&self->domain, domain != NULL && *domain != '\0' ? domain : issuer);
  set_string (&self->client_id, g_getenv ("REHEARSE_AUTH_CLIENT_ID"));
  set_string (&self->scopes, g_getenv ("REHEARSE_AUTH_SCOPES"));
  if (redirect != NULL && !parse_redirect_mode (redirect, &self->redirect_mode))
    g_warning ("REHEARSE_AUTH_REDIRECT is “%s”: expected scheme or loopback", redirect);
  if (port != NULL && !parse_port (port, &self->callback_port))
    g_warning ("REHEARSE_AUTH_CALLBACK_PORT is “%s”: expected a port number", port);
  set_url (&self->api_url, g_getenv ("REHEARSE_API_URL"));
}

/**
 * rh_cognito_config_load:
 *
 * Returns: (transfer full): the defaults, overridden by GSettings, then by
 *   the environment
 */
RhCognitoConfig *
rh_cognito_config_load (void)
{
  RhCognitoConfig *self = rh_cognito_config_new ();

  load_settings (self);
  load_environment (self);
  g_debug ("Sign-in configuration: domain %s, issuer %s, client %s, redirect %s, port %u, API %s",
           self->domain, self->issuer, self->client_id,
           self->redirect_mode == RH_REDIRECT_SCHEME ? "scheme" : "loopback",
           self->callback_port, self->api_url);
  return self;
}

const char *
rh_cognito_config_get_domain (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return self->domain;
}

void
rh_cognito_config_set_domain (RhCognitoConfig *self,
                              const char      *domain)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  set_url (&self->domain, domain);
}

const char *
rh_cognito_config_get_issuer (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return self->issuer;
}

void
rh_cognito_config_set_issuer (RhCognitoConfig *self,
                              const char      *issuer)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  set_url (&self->issuer, issuer);
}

const char *
rh_cognito_config_get_client_id (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return self->client_id;
}

void
rh_cognito_config_set_client_id (RhCognitoConfig *self,
                                 const char      *client_id)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  set_string (&self->client_id, client_id);
}

const char *
rh_cognito_config_get_scopes (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return self->scopes;
}

void
rh_cognito_config_set_scopes (RhCognitoConfig *self,
                              const char      *scopes)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  set_string (&self->scopes, scopes);
}

RhRedirectMode
rh_cognito_config_get_redirect_mode (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), RH_REDIRECT_SCHEME);
  return self->redirect_mode;
}

void
rh_cognito_config_set_redirect_mode (RhCognitoConfig *self,
                                     RhRedirectMode   mode)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  self->redirect_mode = mode;
}

guint
rh_cognito_config_get_callback_port (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), 0);
  return self->callback_port;
}

/**
 * rh_cognito_config_set_callback_port:
 * @port: the loopback listener's port; 0 lets the system choose (tests)
 */
void
rh_cognito_config_set_callback_port (RhCognitoConfig *self,
                                     guint            port)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  g_return_if_fail (port <= 65535);
  self->callback_port = port;
}

const char *
rh_cognito_config_get_api_url (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return self->api_url;
}

void
rh_cognito_config_set_api_url (RhCognitoConfig *self,
                               const char      *api_url)
{
  g_return_if_fail (RH_IS_COGNITO_CONFIG (self));
  set_url (&self->api_url, api_url);
}

/**
 * rh_cognito_config_dup_redirect_uri:
 *
 * Returns: (transfer full): the redirect URI registered with the app
 *   client for the configured mode
 */
char *
rh_cognito_config_dup_redirect_uri (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  if (self->redirect_mode == RH_REDIRECT_SCHEME)
    return g_strdup (RH_COGNITO_SCHEME_REDIRECT_URI);
  return g_strdup_printf ("http://localhost:%u/callback", self->callback_port);
}

/**
 * rh_cognito_config_dup_logout_uri:
 *
 * Returns: (transfer full): where /logout sends the browser afterwards
 */
char *
rh_cognito_config_dup_logout_uri (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  if (self->redirect_mode == RH_REDIRECT_SCHEME)
    return g_strdup (RH_COGNITO_SCHEME_LOGOUT_URI);
  return g_strdup_printf ("http://localhost:%u/signout", self->callback_port);
}

/**
 * rh_cognito_config_dup_endpoint:
 * @path: an absolute path on the hosted UI's domain, e.g. "/oauth2/token"
 *
 * Returns: (transfer full): the URL
 */
char *
rh_cognito_config_dup_endpoint (RhCognitoConfig *self,
                                const char      *path)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  return g_strconcat (self->domain, path, NULL);
}

/**
 * rh_cognito_config_dup_jwks_uri:
 *
 * Returns: (transfer full): the issuer's key set
 */
char *
rh_cognito_config_dup_jwks_uri (RhCognitoConfig *self)
{
  g_return_val_if_fail (RH_IS_COGNITO_CONFIG (self), NULL);
  return g_strconcat (self->issuer, "/.well-known/jwks.json", NULL);
}
