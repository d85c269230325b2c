// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-auth-provider.h"
#include "rh-callback-receiver.h"
#include "rh-secret-repository.h"
#include "rh-token-source.h"
#include "rh-user.h"

G_BEGIN_DECLS

/* How long the learner has to finish in the browser. */
#define RH_AUTH_SIGN_IN_TIMEOUT_SECONDS 300
/* An access token this close to its expiry is refreshed before use. */
#define RH_AUTH_REFRESH_MARGIN_SECONDS 60

#define RH_TYPE_AUTH (rh_auth_get_type ())

G_DECLARE_FINAL_TYPE (RhAuth, rh_auth, RH, AUTH, GObject)

RhAuth   *rh_auth_new                     (RhAuthProvider       *provider,
                                           RhSecretRepository   *secrets,
                                           RhCallbackReceiver   *receiver);
void      rh_auth_set_sign_in_timeout     (RhAuth               *self,
                                           guint                 seconds);
RhUser   *rh_auth_get_user                (RhAuth               *self);
char     *rh_auth_dup_account_id          (RhAuth               *self);
gboolean  rh_auth_get_signing_in          (RhAuth               *self);

void      rh_auth_restore_async           (RhAuth               *self,
                                           const char           *account_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
RhUser   *rh_auth_restore_finish          (RhAuth               *self,
                                           GAsyncResult         *result,
                                           GError              **error);

char     *rh_auth_begin_sign_in           (RhAuth               *self,
                                           RhAuthMode            mode,
                                           GError              **error);
void      rh_auth_complete_sign_in_async  (RhAuth               *self,
                                           const char           *callback_uri,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
RhUser   *rh_auth_complete_sign_in_finish (RhAuth               *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void      rh_auth_cancel_sign_in          (RhAuth               *self);
gboolean  rh_auth_is_callback_uri         (RhAuth               *self,
                                           const char           *uri);

void      rh_auth_sign_out_async          (RhAuth               *self,
                                           gboolean              end_hosted_session,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  rh_auth_sign_out_finish         (RhAuth               *self,
                                           GAsyncResult         *result,
                                           char                **out_logout_url,
                                           GError              **error);

G_END_DECLS
