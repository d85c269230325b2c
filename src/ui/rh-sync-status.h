// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-sync.h"

G_BEGIN_DECLS

#define RH_TYPE_SYNC_STATUS (rh_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (RhSyncStatus, rh_sync_status, RH, SYNC_STATUS, GtkBox)

GtkWidget    *rh_sync_status_new        (void);
RhSyncEngine *rh_sync_status_get_engine (RhSyncStatus *self);
void          rh_sync_status_set_engine (RhSyncStatus *self,
                                         RhSyncEngine *engine);
const char   *rh_sync_status_get_text   (RhSyncStatus *self);
gboolean      rh_sync_status_install    (GtkWidget    *root,
                                         RhSyncStatus *status);

G_END_DECLS
