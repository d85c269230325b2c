// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-sqlite-review-repository.h"

struct _RhSqliteReviewRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_review_repository_iface_init (RhReviewRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteReviewRepository, rh_sqlite_review_repository,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_REVIEW_REPOSITORY,
                                                      rh_sqlite_review_repository_iface_init))

#define REVIEW_COLUMNS "id, card_id, rating, time, duration_ms, state_before, session_id"

#define READ_FAILED _("Could not read the answers")

static gpointer
review_from_row (sqlite3_stmt  *stmt,
                 GError       **error)
{
  RhReview *review;
  int state_before = sqlite3_column_int (stmt, 5);

  review = rh_review_new ((const char *) sqlite3_column_text (stmt, 0),
                          (const char *) sqlite3_column_text (stmt, 1),
                          sqlite3_column_int (stmt, 2),
                          sqlite3_column_int64 (stmt, 3),
                          sqlite3_column_int64 (stmt, 4),
                          error);
  if (review == NULL)
    return NULL;

  rh_review_set_state_before (review, CLAMP (state_before, RH_CARD_STATE_NEW,
                                             RH_CARD_STATE_RELEARNING));
  rh_review_set_session_id (review, (const char *) sqlite3_column_text (stmt, 6));
  return review;
}

static gboolean
rh_sqlite_review_repository_append (RhReviewRepository  *repo,
                                    RhReview            *review,
                                    GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stamp = NULL;
  int code;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO reviews (" REVIEW_COLUMNS ", hlc)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, rh_review_get_id (review), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rh_review_get_card_id (review), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, rh_review_get_rating (review));
  sqlite3_bind_int64 (stmt, 4, rh_review_get_time (review));
  sqlite3_bind_int64 (stmt, 5, rh_review_get_duration_ms (review));
  sqlite3_bind_int (stmt, 6, rh_review_get_state_before (review));
  sqlite3_bind_text (stmt, 7, rh_review_get_session_id (review), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, stamp, -1, SQLITE_TRANSIENT);

  if (rh_sqlite_database_step_done (self->db, stmt, _("Could not record the answer"),
                                    &local_error))
    return TRUE;

  code = sqlite3_extended_errcode (rh_sqlite_database_get_handle (self->db));
  if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                 _("The answer is already recorded"));
  else if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                 _("The card does not exist"));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static GPtrArray *
rh_sqlite_review_repository_list_for_card (RhReviewRepository  *repo,
                                           const char          *card_id,
                                           GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " REVIEW_COLUMNS " FROM reviews"
                                     " WHERE card_id = ?1 AND deleted = 0 ORDER BY time, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_collect (self->db, stmt, review_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static GPtrArray *
rh_sqlite_review_repository_list_between (RhReviewRepository  *repo,
                                          gint64               from_us,
                                          gint64               to_us,
                                          GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " REVIEW_COLUMNS " FROM reviews"
                                     " WHERE time >= ?1 AND time < ?2 AND deleted = 0"
                                     " ORDER BY time, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  return rh_sqlite_database_collect (self->db, stmt, review_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static gboolean
rh_sqlite_review_repository_count_between (RhReviewRepository  *repo,
                                           gint64               from_us,
                                           gint64               to_us,
                                           guint               *out_by_state,
                                           GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  memset (out_by_state, 0, 4 * sizeof (guint));
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT state_before, count (*) FROM reviews"
                                     " WHERE time >= ?1 AND time < ?2 AND deleted = 0"
                                     " GROUP BY state_before",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int state = sqlite3_column_int (stmt, 0);
      if (state >= 0 && state < 4)
        out_by_state[state] = (guint) sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rh_sqlite_review_repository_count_session_cards (RhReviewRepository  *repo,
                                                 const char          *session_id,
                                                 guint               *out_cards,
                                                 GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  *out_cards = 0;
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT count (DISTINCT card_id) FROM reviews"
                                     " WHERE session_id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  *out_cards = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Undo's way to take an answer back: a tombstone, so the other devices
 * learn that it is gone. */
static gboolean
rh_sqlite_review_repository_remove (RhReviewRepository  *repo,
                                    const char          *id,
                                    GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *stamp = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE reviews SET deleted = 1, deleted_hlc = ?2, pending = 1"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not take the answer back"), error))
    return FALSE;
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                   _("The answer does not exist"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
rh_sqlite_review_repository_set_last_answer (RhReviewRepository  *repo,
                                             const RhLastAnswer  *answer,
                                             GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  g_return_val_if_fail (answer != NULL, FALSE);

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO last_answer"
                                     " (slot, review_id, card_id, session_id, previous_state)"
                                     " VALUES (1, ?1, ?2, ?3, ?4)"
                                     " ON CONFLICT (slot) DO UPDATE SET"
                                     " review_id = excluded.review_id,"
                                     " card_id = excluded.card_id,"
                                     " session_id = excluded.session_id,"
                                     " previous_state = excluded.previous_state",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, answer->review_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, answer->card_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, answer->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, answer->previous_state, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_step_done (self->db, stmt, _("Could not remember the answer"), error);
}

static RhLastAnswer *
rh_sqlite_review_repository_get_last_answer (RhReviewRepository  *repo,
                                             GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  RhLastAnswer *answer;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT review_id, card_id, session_id, previous_state"
                                     " FROM last_answer WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }

  answer = g_new0 (RhLastAnswer, 1);
  answer->review_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  answer->card_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  answer->session_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  answer->previous_state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return answer;
}

static gboolean
rh_sqlite_review_repository_clear_last_answer (RhReviewRepository  *repo,
                                               GError             **error)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db, "DELETE FROM last_answer", error);
  if (stmt == NULL)
    return FALSE;
  return rh_sqlite_database_step_done (self->db, stmt, _("Could not forget the answer"), error);
}

static void
rh_sqlite_review_repository_iface_init (RhReviewRepositoryInterface *iface)
{
  iface->append = rh_sqlite_review_repository_append;
  iface->list_for_card = rh_sqlite_review_repository_list_for_card;
  iface->list_between = rh_sqlite_review_repository_list_between;
  iface->remove = rh_sqlite_review_repository_remove;
  iface->count_between = rh_sqlite_review_repository_count_between;
  iface->count_session_cards = rh_sqlite_review_repository_count_session_cards;
  iface->set_last_answer = rh_sqlite_review_repository_set_last_answer;
  iface->get_last_answer = rh_sqlite_review_repository_get_last_answer;
  iface->clear_last_answer = rh_sqlite_review_repository_clear_last_answer;
}

static void
rh_sqlite_review_repository_finalize (GObject *object)
{
  RhSqliteReviewRepository *self = RH_SQLITE_REVIEW_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_review_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_review_repository_class_init (RhSqliteReviewRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_review_repository_finalize;
}

static void
rh_sqlite_review_repository_init (RhSqliteReviewRepository *self)
{
}

/**
 * rh_sqlite_review_repository_new:
 *
 * Returns: (transfer full): the answer log kept in @db
 */
RhSqliteReviewRepository *
rh_sqlite_review_repository_new (RhSqliteDatabase *db)
{
  RhSqliteReviewRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_REVIEW_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
