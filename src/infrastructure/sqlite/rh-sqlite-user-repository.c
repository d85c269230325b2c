// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-sqlite-user-repository.h"

struct _RhSqliteUserRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_user_repository_iface_init (RhUserRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteUserRepository, rh_sqlite_user_repository, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_USER_REPOSITORY,
                                                      rh_sqlite_user_repository_iface_init))

static RhUser *
user_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(RhUser) user = NULL;

  user = rh_user_new ((const char *) sqlite3_column_text (stmt, 0),
                      (const char *) sqlite3_column_text (stmt, 1),
                      error);
  if (user == NULL ||
      !rh_user_set_display_name (user, (const char *) sqlite3_column_text (stmt, 2), error) ||
      !rh_user_set_new_cards_per_day (user, sqlite3_column_int (stmt, 3), error) ||
      !rh_user_set_reviews_per_day (user, sqlite3_column_int (stmt, 4), error) ||
      !rh_user_set_desired_retention (user, sqlite3_column_double (stmt, 5), error))
    return NULL;
  return g_steal_pointer (&user);
}

static RhUser *
rh_sqlite_user_repository_get (RhUserRepository  *repo,
                               GError           **error)
{
  RhSqliteUserRepository *self = RH_SQLITE_USER_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT user_id, email, display_name, new_cards_per_day,"
                                     " reviews_per_day, desired_retention"
                                     " FROM profile WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return user_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    rh_sqlite_database_set_error (self->db, error, _("Could not read the profile"));
  return NULL;
}

/* A collection belongs to one account for good: DESIGN.md promises that
 * a learner's data is never pushed into another account, and the profile
 * is what the sync reads the account from. */
static gboolean
rh_sqlite_user_repository_save (RhUserRepository  *repo,
                                RhUser            *user,
                                GError           **error)
{
  RhSqliteUserRepository *self = RH_SQLITE_USER_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  const RhEmail *email = rh_user_get_email (user);

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO profile (slot, user_id, email, display_name,"
                                     " new_cards_per_day, reviews_per_day, desired_retention)"
                                     " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)"
                                     " ON CONFLICT (slot) DO UPDATE SET"
                                     " email = excluded.email,"
                                     " display_name = excluded.display_name,"
                                     " new_cards_per_day = excluded.new_cards_per_day,"
                                     " reviews_per_day = excluded.reviews_per_day,"
                                     " desired_retention = excluded.desired_retention"
                                     " WHERE user_id = excluded.user_id",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rh_user_get_id (user), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, email ? rh_email_get_address (email) : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rh_user_get_display_name (user), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, rh_user_get_new_cards_per_day (user));
  sqlite3_bind_int (stmt, 5, rh_user_get_reviews_per_day (user));
  sqlite3_bind_double (stmt, 6, rh_user_get_desired_retention (user));

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not save the profile"), error))
    return FALSE;

  /* The upsert's WHERE kept the row of another account as it was. */
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("This collection belongs to another account"));
      return FALSE;
    }
  return TRUE;
}

static void
rh_sqlite_user_repository_iface_init (RhUserRepositoryInterface *iface)
{
  iface->get = rh_sqlite_user_repository_get;
  iface->save = rh_sqlite_user_repository_save;
}

static void
rh_sqlite_user_repository_finalize (GObject *object)
{
  RhSqliteUserRepository *self = RH_SQLITE_USER_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_user_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_user_repository_class_init (RhSqliteUserRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_user_repository_finalize;
}

static void
rh_sqlite_user_repository_init (RhSqliteUserRepository *self)
{
}

/**
 * rh_sqlite_user_repository_new:
 *
 * Returns: (transfer full): the profile kept in @db
 */
RhSqliteUserRepository *
rh_sqlite_user_repository_new (RhSqliteDatabase *db)
{
  RhSqliteUserRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_USER_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
