// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-sqlite-session-repository.h"
#include "rh-store.h"

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

/* A run's results are written once, when it finishes; saving them again
 * replaces them whole, so a retried save cannot leave a mix. */
static gboolean
rh_sqlite_session_repository_save_turn_results (RhSessionRepository  *repo,
                                                const char           *session_id,
                                                GPtrArray            *results,
                                                GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  RhStore *store = RH_STORE (self->db);
  const char *what = _("Could not save the scenario results");
  g_autofree char *stamp = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!rh_id_validate (session_id, error))
    return FALSE;
  for (guint i = 0; i < results->len; i++)
    {
      const RhTurnResult *result = results->pdata[i];

      if (result->score < 0 || result->score > 100)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                       _("A score must be between 0 and 100"));
          return FALSE;
        }
    }

  if (!rh_store_begin (store, error))
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  if (!rh_sqlite_turn_results_replace (self->db, session_id, results, stamp, TRUE, what, NULL,
                                       &local_error))
    goto fail;

  if (!rh_store_commit (store, &local_error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rh_sqlite_turn_results_replace:
 * @results: (element-type RhTurnResult): a run's results, in turn order
 * @stamp: their stamp (one for the whole run)
 * @pending: whether they are still to be pushed
 * @what: the message for a failed write
 * @out_changed: (out) (optional): whether anything was there or written
 *
 * Writes a scenario run's results in place of the session's old ones: the
 * session repository when a run ends, the sync when results are pulled.
 * Inside the caller's transaction.
 */
gboolean
rh_sqlite_turn_results_replace (RhSqliteDatabase  *db,
                                const char        *session_id,
                                GPtrArray         *results,
                                const char        *stamp,
                                gboolean           pending,
                                const char        *what,
                                gboolean          *out_changed,
                                GError           **error)
{
  g_autoptr(RhSqliteStatement) remove = NULL;
  gboolean changed;

  remove = rh_sqlite_database_prepare (db, "DELETE FROM scenario_turn_results WHERE session_id = ?1",
                                       error);
  if (remove == NULL)
    return FALSE;
  sqlite3_bind_text (remove, 1, session_id, -1, SQLITE_TRANSIENT);
  if (!rh_sqlite_database_step_done (db, remove, what, error))
    return FALSE;
  changed = sqlite3_changes (rh_sqlite_database_get_handle (db)) > 0;

  for (guint i = 0; i < results->len; i++)
    {
      const RhTurnResult *result = results->pdata[i];
      g_autoptr(RhSqliteStatement) stmt = NULL;

      stmt = rh_sqlite_database_prepare (db,
                                         "INSERT INTO scenario_turn_results (session_id,"
                                         " turn_index, score, answer, hints_used, attempts,"
                                         " skipped, hlc, pending)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, result->turn_index);
      sqlite3_bind_int (stmt, 3, result->score);
      sqlite3_bind_text (stmt, 4, result->answer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, result->hints_used);
      sqlite3_bind_int64 (stmt, 6, result->attempts);
      sqlite3_bind_int (stmt, 7, result->skipped ? 1 : 0);
      sqlite3_bind_text (stmt, 8, stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 9, pending ? 1 : 0);
      if (!rh_sqlite_database_step_done (db, stmt, what, error))
        return FALSE;
      changed = TRUE;
    }
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;
}

static gpointer
turn_result_from_row (sqlite3_stmt  *stmt,
                      GError       **error)
{
  RhTurnResult *result = g_new0 (RhTurnResult, 1);

  result->turn_index = (guint) sqlite3_column_int64 (stmt, 0);
  result->score = sqlite3_column_int (stmt, 1);
  result->answer = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  result->hints_used = (guint) sqlite3_column_int64 (stmt, 3);
  result->attempts = (guint) sqlite3_column_int64 (stmt, 4);
  result->skipped = sqlite3_column_int (stmt, 5) != 0;
  return result;
}

static GPtrArray *
rh_sqlite_session_repository_list_turn_results (RhSessionRepository  *repo,
                                                const char           *session_id,
                                                GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT turn_index, score, answer, hints_used, attempts,"
                                     " skipped FROM scenario_turn_results"
                                     " WHERE session_id = ?1 ORDER BY turn_index",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_collect (self->db, stmt, turn_result_from_row,
                                     (GDestroyNotify) rh_turn_result_free, READ_FAILED, error);
}

static GPtrArray *
rh_sqlite_session_repository_list_for_scenario (RhSessionRepository  *repo,
                                                const char           *scenario_id,
                                                guint                 limit,
                                                GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SESSION_COLUMNS " FROM sessions"
                                     " WHERE scenario_id = ?1 AND kind = 'scenario'"
                                     " AND ended > 0 AND deleted = 0"
                                     " ORDER BY started DESC, id DESC LIMIT ?2",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scenario_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return rh_sqlite_database_collect (self->db, stmt, session_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static GHashTable *
rh_sqlite_session_repository_scenario_stats (RhSessionRepository  *repo,
                                             guint                 recent,
                                             GError              **error)
{
  RhSqliteSessionRepository *self = RH_SQLITE_SESSION_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GHashTable) stats = NULL;
  int rc;

  /* One pass over the scenario sessions (sessions_scenario covers it):
   * each run numbered from the latest, per scenario. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT scenario_id, count(*),"
                                     " max(score) FILTER (WHERE rn <= ?1),"
                                     " max(iif (rn = 1, score, NULL)), max(started)"
                                     " FROM (SELECT scenario_id, score, started,"
                                     "   row_number () OVER (PARTITION BY scenario_id"
                                     "     ORDER BY started DESC, id DESC) AS rn"
                                     "   FROM sessions WHERE scenario_id IS NOT NULL"
                                     "   AND kind = 'scenario' AND ended > 0 AND deleted = 0)"
                                     " GROUP BY scenario_id",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, recent);

  stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) rh_scenario_run_stats_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RhScenarioRunStats *entry = g_new0 (RhScenarioRunStats, 1);

      entry->scenario_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->runs = (guint) sqlite3_column_int64 (stmt, 1);
      entry->best_recent = sqlite3_column_double (stmt, 2);
      entry->last_score = sqlite3_column_double (stmt, 3);
      entry->last_practiced_us = sqlite3_column_int64 (stmt, 4);
      g_hash_table_replace (stats, entry->scenario_id, entry);
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }
  return g_steal_pointer (&stats);
}

static void
rh_sqlite_session_repository_iface_init (RhSessionRepositoryInterface *iface)
{
  iface->save = rh_sqlite_session_repository_save;
  iface->get = rh_sqlite_session_repository_get;
  iface->list_open = rh_sqlite_session_repository_list_open;
  iface->list_between = rh_sqlite_session_repository_list_between;
  iface->save_turn_results = rh_sqlite_session_repository_save_turn_results;
  iface->list_turn_results = rh_sqlite_session_repository_list_turn_results;
  iface->list_for_scenario = rh_sqlite_session_repository_list_for_scenario;
  iface->scenario_stats = rh_sqlite_session_repository_scenario_stats;
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
