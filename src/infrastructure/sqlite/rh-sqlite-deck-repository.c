// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-sqlite-deck-repository.h"

struct _RhSqliteDeckRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_deck_repository_iface_init (RhDeckRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteDeckRepository, rh_sqlite_deck_repository, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_DECK_REPOSITORY,
                                                      rh_sqlite_deck_repository_iface_init))

#define DECK_COLUMNS "id, name, created, modified"

static gpointer
deck_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  return rh_deck_new_full ((const char *) sqlite3_column_text (stmt, 0),
                           (const char *) sqlite3_column_text (stmt, 1),
                           sqlite3_column_int64 (stmt, 2),
                           sqlite3_column_int64 (stmt, 3),
                           error);
}

static RhDeck *
fetch_one (RhSqliteDeckRepository  *self,
           sqlite3_stmt            *stmt,
           GError                 **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return deck_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    rh_sqlite_database_set_error (self->db, error, _("Could not read the decks"));
  return NULL;
}

static GPtrArray *
rh_sqlite_deck_repository_list (RhDeckRepository  *repo,
                                GError           **error)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " DECK_COLUMNS " FROM decks"
                                     " WHERE deleted = 0 ORDER BY name_key, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  return rh_sqlite_database_collect (self->db, stmt, deck_from_row, g_object_unref,
                                     _("Could not read the decks"), error);
}

static RhDeck *
rh_sqlite_deck_repository_get (RhDeckRepository  *repo,
                               const char        *id,
                               GError           **error)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  RhDeck *deck;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " DECK_COLUMNS " FROM decks"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  if ((deck = fetch_one (self, stmt, &local_error)) == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                     _("The deck does not exist"));
    }
  return deck;
}

static RhDeck *
rh_sqlite_deck_repository_find_by_name (RhDeckRepository  *repo,
                                        const char        *name,
                                        GError           **error)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;

  /* A name no deck could have (empty, too long) names no deck. */
  if (!(clean = rh_deck_name_normalize (name, NULL)))
    return NULL;
  key = rh_deck_name_key (clean);

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " DECK_COLUMNS " FROM decks"
                                     " WHERE name_key = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  return fetch_one (self, stmt, error);
}

static gboolean
write_failed (RhSqliteDeckRepository  *self,
              RhDeck                  *deck,
              GError                  *local_error,
              GError                 **error)
{
  sqlite3 *db = rh_sqlite_database_get_handle (self->db);

  if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_error_free (local_error);
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                   _("A deck named “%s” already exists"), rh_deck_get_name (deck));
    }
  else
    g_propagate_error (error, local_error);
  return FALSE;
}

/* Inserts the deck, or writes what changed: the name with a new stamp,
 * and a tombstone is lifted (saving a deleted deck brings it back, which
 * is how undo restores one). */
static gboolean
rh_sqlite_deck_repository_save (RhDeckRepository  *repo,
                                RhDeck            *deck,
                                GError           **error)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (repo);
  const char *what = _("Could not save the deck");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = rh_deck_name_key (rh_deck_get_name (deck));
  g_autofree char *stamp = NULL;
  gboolean exists = FALSE;
  gboolean name_changed = TRUE;
  gboolean revive = FALSE;
  gint64 now = g_get_real_time ();

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;
    int rc;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT name, deleted FROM decks WHERE id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, rh_deck_get_id (deck), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        exists = TRUE;
        name_changed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
                                  rh_deck_get_name (deck)) != 0;
        revive = sqlite3_column_int (stmt, 1) != 0;
      }
    else if (rc != SQLITE_DONE)
      {
        rh_sqlite_database_set_error (self->db, error, what);
        return FALSE;
      }
  }

  if (exists && !name_changed && !revive)
    return TRUE;

  stamp = rh_sqlite_database_next_stamp (self->db);

  if (!exists)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;

      stmt = rh_sqlite_database_prepare (self->db,
                                         "INSERT INTO decks"
                                         " (id, name, name_key, created, modified, name_hlc)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, rh_deck_get_id (deck), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, rh_deck_get_name (deck), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, rh_deck_get_created (deck));
      sqlite3_bind_int64 (stmt, 5, rh_deck_get_modified (deck));
      sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_TRANSIENT);
      if (!rh_sqlite_database_step_done (self->db, stmt, what, &local_error))
        return write_failed (self, deck, g_steal_pointer (&local_error), error);
      return TRUE;
    }

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "UPDATE decks SET name = ?2, name_key = ?3,"
                                       " name_hlc = iif (?4, ?6, name_hlc),"
                                       " deleted = 0, deleted_hlc = iif (?5, ?6, deleted_hlc),"
                                       " modified = ?7, pending = 1"
                                       " WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, rh_deck_get_id (deck), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, rh_deck_get_name (deck), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 4, name_changed);
    sqlite3_bind_int (stmt, 5, revive);
    sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 7, now);
    if (!rh_sqlite_database_step_done (self->db, stmt, what, &local_error))
      return write_failed (self, deck, g_steal_pointer (&local_error), error);
  }

  rh_deck_set_modified (deck, now);
  return TRUE;
}

static gboolean
rh_sqlite_deck_repository_remove (RhDeckRepository  *repo,
                                  const char        *id,
                                  GError           **error)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (repo);
  const char *what = _("Could not delete the deck");
  g_autoptr(RhDeck) deck = NULL;
  g_autofree char *stamp = NULL;

  if (!(deck = rh_sqlite_deck_repository_get (repo, id, error)))
    return FALSE;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT EXISTS (SELECT 1 FROM cards"
                                       " WHERE deck_id = ?1 AND deleted = 0)",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        rh_sqlite_database_set_error (self->db, error, what);
        return FALSE;
      }
    if (sqlite3_column_int (stmt, 0))
      {
        g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_EMPTY,
                     _("The deck “%s” still has cards"), rh_deck_get_name (deck));
        return FALSE;
      }
  }

  stamp = rh_sqlite_database_next_stamp (self->db);

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "UPDATE decks SET deleted = 1, deleted_hlc = ?2,"
                                       " modified = ?3, pending = 1 WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
    return rh_sqlite_database_step_done (self->db, stmt, what, error);
  }
}

static void
rh_sqlite_deck_repository_iface_init (RhDeckRepositoryInterface *iface)
{
  iface->list = rh_sqlite_deck_repository_list;
  iface->get = rh_sqlite_deck_repository_get;
  iface->find_by_name = rh_sqlite_deck_repository_find_by_name;
  iface->save = rh_sqlite_deck_repository_save;
  iface->remove = rh_sqlite_deck_repository_remove;
}

static void
rh_sqlite_deck_repository_finalize (GObject *object)
{
  RhSqliteDeckRepository *self = RH_SQLITE_DECK_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_deck_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_deck_repository_class_init (RhSqliteDeckRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_deck_repository_finalize;
}

static void
rh_sqlite_deck_repository_init (RhSqliteDeckRepository *self)
{
}

/**
 * rh_sqlite_deck_repository_new:
 *
 * Returns: (transfer full): decks kept in @db
 */
RhSqliteDeckRepository *
rh_sqlite_deck_repository_new (RhSqliteDatabase *db)
{
  RhSqliteDeckRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_DECK_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
