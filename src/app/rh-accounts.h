// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-auth.h"
#include "rh-cognito-config.h"

G_BEGIN_DECLS

#define RH_TYPE_ACCOUNTS (rh_accounts_get_type ())

G_DECLARE_FINAL_TYPE (RhAccounts, rh_accounts, RH, ACCOUNTS, GObject)

RhAccounts      *rh_accounts_new                      (const char           *data_dir,
                                                       RhCognitoConfig      *config);
RhAuth          *rh_accounts_get_auth                 (RhAccounts           *self);
RhCognitoConfig *rh_accounts_get_config               (RhAccounts           *self);
const char      *rh_accounts_get_data_dir             (RhAccounts           *self);
char            *rh_accounts_dup_local_path           (RhAccounts           *self);
char            *rh_accounts_dup_collection_path_for  (RhAccounts           *self,
                                                       const char           *account_id);
char            *rh_accounts_dup_collection_path      (RhAccounts           *self);
char            *rh_accounts_dup_current_account      (RhAccounts           *self);
void             rh_accounts_forget_current           (RhAccounts           *self);

void             rh_accounts_restore_async            (RhAccounts           *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
RhUser          *rh_accounts_restore_finish           (RhAccounts           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

gboolean         rh_accounts_can_bring_local          (RhAccounts           *self,
                                                       const char           *account_id);
gboolean         rh_accounts_bring_local              (RhAccounts           *self,
                                                       const char           *account_id,
                                                       GError              **error);
void             rh_accounts_bring_local_async        (RhAccounts           *self,
                                                       const char           *account_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         rh_accounts_bring_local_finish       (RhAccounts           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

char            *rh_accounts_sanitize_account_id      (const char           *account_id);
char            *rh_accounts_peek_collection_path     (const char           *data_dir);

G_END_DECLS
