// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RH_AUTH_ERROR (rh_auth_error_quark ())

/**
 * RhAuthError:
 * @RH_AUTH_ERROR_SIGNED_OUT: nobody is signed in
 * @RH_AUTH_ERROR_REFUSED: the provider refused the refresh token
 *   (invalid_grant): the learner must sign in again
 * @RH_AUTH_ERROR_STATE_MISMATCH: a callback whose state is not the one sent
 * @RH_AUTH_ERROR_INVALID_TOKEN: a token that fails verification
 * @RH_AUTH_ERROR_PROVIDER: the provider answered with an error
 * @RH_AUTH_ERROR_NETWORK: the provider could not be reached
 * @RH_AUTH_ERROR_CANCELLED: the learner cancelled, or the attempt timed out
 */
typedef enum
{
  RH_AUTH_ERROR_SIGNED_OUT,
  RH_AUTH_ERROR_REFUSED,
  RH_AUTH_ERROR_STATE_MISMATCH,
  RH_AUTH_ERROR_INVALID_TOKEN,
  RH_AUTH_ERROR_PROVIDER,
  RH_AUTH_ERROR_NETWORK,
  RH_AUTH_ERROR_CANCELLED,
} RhAuthError;

GQuark rh_auth_error_quark (void);

#define RH_TYPE_TOKEN_SOURCE (rh_token_source_get_type ())

G_DECLARE_INTERFACE (RhTokenSource, rh_token_source, RH, TOKEN_SOURCE, GObject)

/**
 * RhTokenSourceInterface:
 * @get_access_token: a valid access token, refreshed first when it is
 *   about to expire. Blocking: call it from a worker thread.
 * @refresh_access_token: a new access token even if the current one looks
 *   valid (the API answered 401). Blocking.
 * @dup_user_id: the signed-in account's subject, or %NULL
 *
 * What sync needs from sign-in, and nothing more.
 */
struct _RhTokenSourceInterface
{
  GTypeInterface parent_iface;

  char *(*get_access_token)     (RhTokenSource  *self,
                                 GCancellable   *cancellable,
                                 GError        **error);
  char *(*refresh_access_token) (RhTokenSource  *self,
                                 GCancellable   *cancellable,
                                 GError        **error);
  char *(*dup_user_id)          (RhTokenSource  *self);
};

char *rh_token_source_get_access_token     (RhTokenSource  *self,
                                            GCancellable   *cancellable,
                                            GError        **error);
char *rh_token_source_refresh_access_token (RhTokenSource  *self,
                                            GCancellable   *cancellable,
                                            GError        **error);
char *rh_token_source_dup_user_id          (RhTokenSource  *self);

G_END_DECLS
