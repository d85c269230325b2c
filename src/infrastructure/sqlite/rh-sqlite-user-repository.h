// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-user-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_USER_REPOSITORY (rh_sqlite_user_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteUserRepository, rh_sqlite_user_repository,
                      RH, SQLITE_USER_REPOSITORY, GObject)

RhSqliteUserRepository *rh_sqlite_user_repository_new (RhSqliteDatabase *db);

G_END_DECLS
