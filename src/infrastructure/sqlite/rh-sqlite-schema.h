// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "RhRS" in the file header, so a collection can be told apart from any
 * other SQLite file. */
#define RH_SQLITE_APPLICATION_ID 1382568531

/**
 * RhSqliteMigration:
 * @version: the `user_version` the collection has once the step ran
 * @summary: what the step adds, for logs and error messages
 * @sql: the statements; they run in one transaction with the version bump
 */
typedef struct
{
  int         version;
  const char *summary;
  const char *sql;
} RhSqliteMigration;

const RhSqliteMigration *rh_sqlite_schema_get_migrations  (guint *n_migrations);
int                      rh_sqlite_schema_latest_version (void);

G_END_DECLS
