// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-auth.h"

G_BEGIN_DECLS

#define RH_TYPE_ACCOUNT_ROW (rh_account_row_get_type ())

G_DECLARE_FINAL_TYPE (RhAccountRow, rh_account_row, RH, ACCOUNT_ROW, GtkBox)

GtkWidget *rh_account_row_new     (RhAuth    *auth);
gboolean   rh_account_row_install (GtkWidget *root,
                                   RhAuth    *auth);

G_END_DECLS
