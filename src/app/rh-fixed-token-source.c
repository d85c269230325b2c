// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-tokens"

#include "config.h"

#include "rh-fixed-token-source.h"

/*
 * An access token given from outside (a script's environment, the
 * benchmark's own sign-in): sync without a browser or a keyring.
 */
struct _RhFixedTokenSource
{
  GObject  parent_instance;

  char    *token;
  char    *user_id;
  char    *refused_message;
};

static void rh_fixed_token_source_iface_init (RhTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhFixedTokenSource, rh_fixed_token_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_TOKEN_SOURCE,
                                                      rh_fixed_token_source_iface_init))

static char *
rh_fixed_token_source_get (RhTokenSource  *source,
                           GCancellable   *cancellable,
                           GError        **error)
{
  return g_strdup (RH_FIXED_TOKEN_SOURCE (source)->token);
}

/* There is nothing to refresh with: either the same token again, or the
 * refusal the caller chose to report. */
static char *
rh_fixed_token_source_refresh (RhTokenSource  *source,
                               GCancellable   *cancellable,
                               GError        **error)
{
  RhFixedTokenSource *self = RH_FIXED_TOKEN_SOURCE (source);

  if (self->refused_message == NULL)
    return g_strdup (self->token);
  g_set_error_literal (error, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED, self->refused_message);
  return NULL;
}

static char *
rh_fixed_token_source_dup_user_id (RhTokenSource *source)
{
  return g_strdup (RH_FIXED_TOKEN_SOURCE (source)->user_id);
}

static void
rh_fixed_token_source_iface_init (RhTokenSourceInterface *iface)
{
  iface->get_access_token = rh_fixed_token_source_get;
  iface->refresh_access_token = rh_fixed_token_source_refresh;
  iface->dup_user_id = rh_fixed_token_source_dup_user_id;
}

static void
rh_fixed_token_source_finalize (GObject *object)
{
  RhFixedTokenSource *self = RH_FIXED_TOKEN_SOURCE (object);

  g_free (self->token);
  g_free (self->user_id);
  g_free (self->refused_message);

  G_OBJECT_CLASS (rh_fixed_token_source_parent_class)->finalize (object);
}

static void
rh_fixed_token_source_class_init (RhFixedTokenSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_fixed_token_source_finalize;
}

static void
rh_fixed_token_source_init (RhFixedTokenSource *self)
{
}

/**
 * rh_fixed_token_source_new:
 * @access_token: the token; never logged
 * @user_id: (nullable): the account it belongs to
 * @refused_message: (nullable): what a refresh reports; %NULL makes a
 *   refresh give the same token again
 *
 * Returns: (transfer full): the token source
 */
RhTokenSource *
rh_fixed_token_source_new (const char *access_token,
                           const char *user_id,
                           const char *refused_message)
{
  RhFixedTokenSource *self = g_object_new (RH_TYPE_FIXED_TOKEN_SOURCE, NULL);

  g_return_val_if_fail (access_token != NULL, NULL);

  self->token = g_strdup (access_token);
  self->user_id = g_strdup (user_id);
  self->refused_message = g_strdup (refused_message);
  return RH_TOKEN_SOURCE (self);
}
