// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-sqlite-search-index.h"

/*
 * Since schema version 4 new cards are indexed for search by the code
 * that inserts them, not by a trigger (a trigger put a statement journal
 * on every insert). Every writer of new card rows goes through here.
 * Updates and tombstones are still kept in step by the triggers.
 */

/**
 * rh_sqlite_search_index_add:
 * @seq: the card's row
 *
 * Indexes one new, live card.
 */
gboolean
rh_sqlite_search_index_add (RhSqliteDatabase  *db,
                            gint64             seq,
                            const char        *front,
                            const char        *back,
                            const char        *notes,
                            const char        *example,
                            const char        *tags,
                            GError           **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (db,
                                     "INSERT INTO cards_fts (rowid, front, back, notes, example,"
                                     " tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, front, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, back, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, notes, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, example, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, tags, -1, SQLITE_STATIC);
  return rh_sqlite_database_step_done (db, stmt, _("Could not index the card"), error);
}

/**
 * rh_sqlite_search_index_add_after:
 * @after_seq: the last row that is already indexed
 *
 * Indexes, in one statement, the live cards inserted after @after_seq:
 * the end of a bulk import.
 */
gboolean
rh_sqlite_search_index_add_after (RhSqliteDatabase  *db,
                                  gint64             after_seq,
                                  GError           **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (db,
                                     "INSERT INTO cards_fts (rowid, front, back, notes, example,"
                                     " tags) SELECT seq, front, back, notes, example, tags"
                                     " FROM cards WHERE seq > ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  return rh_sqlite_database_step_done (db, stmt, _("Could not index the new cards"), error);
}
