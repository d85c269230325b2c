// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_DATABASE (rh_sqlite_database_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteDatabase, rh_sqlite_database, RH, SQLITE_DATABASE, GObject)

/**
 * RhSqliteStatement:
 *
 * A statement borrowed from the connection's cache. Declare it with
 * g_autoptr() so it is reset (and its bindings cleared) when it goes out
 * of scope: a statement left mid-step would hold a read snapshot open.
 * Never finalize it yourself.
 */
typedef sqlite3_stmt RhSqliteStatement;

void rh_sqlite_statement_release (RhSqliteStatement *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSqliteStatement, rh_sqlite_statement_release)

/**
 * RhSqliteRowFunc:
 *
 * Turns the current row of @stmt into an object.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL with @error set
 */
typedef gpointer (*RhSqliteRowFunc) (sqlite3_stmt  *stmt,
                                     GError       **error);

RhSqliteDatabase  *rh_sqlite_database_open               (const char        *path,
                                                          GError           **error);
RhSqliteDatabase  *rh_sqlite_database_open_at_version    (const char        *path,
                                                          int                version,
                                                          GError           **error);
int                rh_sqlite_database_latest_version     (void);
int                rh_sqlite_database_get_schema_version (RhSqliteDatabase  *self);
const char        *rh_sqlite_database_get_path           (RhSqliteDatabase  *self);
const char        *rh_sqlite_database_get_device_id      (RhSqliteDatabase  *self);
sqlite3           *rh_sqlite_database_get_handle         (RhSqliteDatabase  *self);
gboolean           rh_sqlite_database_in_transaction     (RhSqliteDatabase  *self);
guint64            rh_sqlite_database_get_transaction_serial (RhSqliteDatabase *self);

char              *rh_sqlite_database_next_stamp         (RhSqliteDatabase  *self);
gboolean           rh_sqlite_database_observe_stamp      (RhSqliteDatabase  *self,
                                                          const char        *stamp,
                                                          GError           **error);

char              *rh_sqlite_database_get_meta           (RhSqliteDatabase  *self,
                                                          const char        *key);
gboolean           rh_sqlite_database_set_meta           (RhSqliteDatabase  *self,
                                                          const char        *key,
                                                          const char        *value,
                                                          GError           **error);

gboolean           rh_sqlite_database_copy_from          (RhSqliteDatabase  *self,
                                                          const char        *source_path,
                                                          GError           **error);
gboolean           rh_sqlite_database_check_unused       (const char        *path,
                                                          GError           **error);
gboolean           rh_sqlite_database_backup_to          (RhSqliteDatabase  *self,
                                                          const char        *dest_path,
                                                          GError           **error);

sqlite3_stmt      *rh_sqlite_database_prepare            (RhSqliteDatabase  *self,
                                                          const char        *sql,
                                                          GError           **error);
gboolean           rh_sqlite_database_exec               (RhSqliteDatabase  *self,
                                                          const char        *sql,
                                                          GError           **error);
gboolean           rh_sqlite_database_step_done          (RhSqliteDatabase  *self,
                                                          sqlite3_stmt      *stmt,
                                                          const char        *what,
                                                          GError           **error);
GPtrArray         *rh_sqlite_database_collect            (RhSqliteDatabase  *self,
                                                          sqlite3_stmt      *stmt,
                                                          RhSqliteRowFunc    row_func,
                                                          GDestroyNotify     free_func,
                                                          const char        *what,
                                                          GError           **error);
void               rh_sqlite_database_set_error          (RhSqliteDatabase  *self,
                                                          GError           **error,
                                                          const char        *what);

G_END_DECLS
