// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-collection.h"
#include "rh-sqlite-database.h"
#include "rh-sync-repository.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_SYNC_REPOSITORY (rh_sqlite_sync_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteSyncRepository, rh_sqlite_sync_repository,
                      RH, SQLITE_SYNC_REPOSITORY, GObject)

RhSqliteSyncRepository *rh_sqlite_sync_repository_new                (RhSqliteDatabase *db);
RhSqliteSyncRepository *rh_sqlite_sync_repository_new_for_collection (RhCollection     *collection);

G_END_DECLS
