// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-session-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_SESSION_REPOSITORY (rh_sqlite_session_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteSessionRepository, rh_sqlite_session_repository,
                      RH, SQLITE_SESSION_REPOSITORY, GObject)

RhSqliteSessionRepository *rh_sqlite_session_repository_new (RhSqliteDatabase *db);

gboolean rh_sqlite_turn_results_replace (RhSqliteDatabase  *db,
                                         const char        *session_id,
                                         GPtrArray         *results,
                                         const char        *stamp,
                                         gboolean           pending,
                                         const char        *what,
                                         gboolean          *out_changed,
                                         GError           **error);

G_END_DECLS
