// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-sqlite-session-repository.h"

struct _RhSqliteSessionRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_session_repository_iface_init (RhSessionRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteSessionRepository, rh_sqlite_session_repository,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SESSION_REPOSITORY,
                                                      rh_sqlite_session_repository_iface_init))

#define SESSION_COLUMNS \
  "id, kind, started, ended, again, hard, good, easy, time_ms, scenario_id, score"

#define READ_FAILED _("Could not read the study sessions")

static gpointer
session_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(RhSession) session = NULL;
  const char *scenario_id = (const char *) sqlite3_column_text (stmt, 9);
  gint64 ended = sqlite3_column_int64 (stmt, 3);
  RhSessionKind kind;

  if (!rh_session_kind_parse ((const char *) sqlite3_column_text (stmt, 1), &kind))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("A stored study session is damaged"));
      return NULL;
    }

  session = rh_session_new ((const char *) sqlite3_column_text (stmt, 0), kind,
                            sqlite3_column_int64 (stmt, 2), error);
  if (session == NULL)
    return NULL;

  for (RhRating r = RH_RATING_AGAIN; r <= RH_RATING_EASY; r++)
    rh_session_set_count (session, r, (guint) sqlite3_column_int64 (stmt, 4 + r - RH_RATING_AGAIN));
  rh_session_set_time_ms (session, sqlite3_column_int64 (stmt, 8));

  if (ended != 0 && !rh_session_end (session, ended, error))
    return NULL;
  if (scenario_id != NULL &&
      !rh_session_set_scenario (session, scenario_id, sqlite3_column_double (stmt, 10), error))
    return NULL;

  return g_steal_pointer (&session);
}

static gboolean
sessions_equal (RhSession *a,
                RhSession *b)
{
  if (rh_session_get_kind (a) != rh_session_get_kind (b) ||
      rh_session_get_started (a) != rh_session_get_started (b) ||
      rh_session_get_ended (a) != rh_session_get_ended (b) ||
      rh_session_get_time_ms (a) != rh_session_get_time_ms (b) ||
      g_strcmp0 (rh_session_get_scenario_id (a), rh_session_get_scenario_id (b)) != 0 ||
      rh_session_get_score (a) != rh_session_get_score (b))
    return FALSE;

  for (RhRating r = RH_RATING_AGAIN; r <= RH_RATING_EASY; r++)
    if (rh_session_get_count (a, r) != rh_session_get_count (b, r))
      return FALSE;
  return TRUE;
}

/* The row, or NULL without error when there is none (tombstones too). */
static RhSession *
lookup (RhSqliteSessionRepository  *self,
        const char                 *id,
        GError                    **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SESSION_COLUMNS " FROM sessions"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return session_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    rh_sqlite_database_set_error (self->db, error, READ_FAILED);
  return NULL;
}

/* Sessions have no remove(): a tombstone can only come from another
 * device. Saving such a session updates its content and leaves it
 * deleted, as the other device decided. */
static gboolean
rh_sqlite_session_repository_save (RhSessionRepository  *repo,
                                   RhSession            *session,
                                   GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(RhSession) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stamp = NULL;

  stored = lookup (self, rh_session_get_id (session), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (stored != NULL && sessions_equal (stored, session))
    return TRUE;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO sessions (" SESSION_COLUMNS ", hlc)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                                     " ON CONFLICT (id) DO UPDATE SET"
                                     " kind = excluded.kind, started = excluded.started,"
                                     " ended = excluded.ended, again = excluded.again,"
                                     " hard = excluded.hard, good = excluded.good,"
                                     " easy = excluded.easy, time_ms = excluded.time_ms,"
                                     " scenario_id = excluded.scenario_id,"
                                     " score = excluded.score, hlc = excluded.hlc, pending = 1",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, rh_session_get_id (session), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rh_session_kind_to_string (rh_session_get_kind (session)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rh_session_get_started (session));
  sqlite3_bind_int64 (stmt, 4, rh_session_get_ended (session));
  for (RhRating r = RH_RATING_AGAIN; r <= RH_RATING_EASY; r++)
    sqlite3_bind_int64 (stmt, 5 + r - RH_RATING_AGAIN, rh_session_get_count (session, r));
  sqlite3_bind_int64 (stmt, 9, rh_session_get_time_ms (session));
  sqlite3_bind_text (stmt, 10, rh_session_get_scenario_id (session), -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 11, rh_session_get_score (session));
  sqlite3_bind_text (stmt, 12, stamp, -1, SQLITE_TRANSIENT);

  return rh_sqlite_database_step_done (self->db, stmt, _("Could not save the study session"),
                                       error);
}

static RhSession *
rh_sqlite_session_repository_get (RhSessionRepository  *repo,
                                  const char           *id,
                                  GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(GError) local_error = NULL;
  RhSession *session;

  session = lookup (self, id, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (session == NULL)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                 _("The study session does not exist"));
  return session;
}

static GPtrArray *
rh_sqlite_session_repository_list_open (RhSessionRepository  *repo,
                                        GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SESSION_COLUMNS " FROM sessions"
                                     " WHERE ended = 0 AND deleted = 0 ORDER BY started, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  return rh_sqlite_database_collect (self->db, stmt, session_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static GPtrArray *
rh_sqlite_session_repository_list_between (RhSessionRepository  *repo,
                                           gint64                from_us,
                                           gint64                to_us,
                                           GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SESSION_COLUMNS " FROM sessions"
                                     " WHERE started >= ?1 AND started < ?2 AND deleted = 0"
                                     " ORDER BY started, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  return rh_sqlite_database_collect (self->db, stmt, session_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static void
rh_sqlite_session_repository_iface_init (RhSessionRepositoryInterface *iface)
{
  iface->save = rh_sqlite_session_repository_save;
  iface->get = rh_sqlite_session_repository_get;
  iface->list_open = rh_sqlite_session_repository_list_open;
  iface->list_between = rh_sqlite_session_repository_list_between;
}

static void
rh_sqlite_session_repository_finalize (GObject *object)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_session_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_session_repository_class_init (RhSqliteSessionRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_session_repository_finalize;
}

static void
rh_sqlite_session_repository_init (RhSqliteSessionRepository *self)
{
}

/**
 * rh_sqlite_session_repository_new:
 *
 * Returns: (transfer full): study sessions kept in @db
 */
RhSqliteSessionRepository *
rh_sqlite_session_repository_new (RhSqliteDatabase *db)
{
  RhSqliteSessionRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_SESSION_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
