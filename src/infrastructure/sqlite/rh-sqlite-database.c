// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rh-hlc.h"
#include "rh-id.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-schema.h"
#include "rh-store.h"

#define META_DEVICE_ID "device_id"
#define META_CLOCK     "clock"

struct _RhSqliteDatabase
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;
  RhHlc      *hlc;
  int         schema_version;
  /* How many begin()s are open: 1 is the transaction, more are savepoints. */
  guint       depth;
  /* A stamp was made inside the open transaction and the clock's state
   * is written when it commits, once, rather than with every stamp. */
  gboolean    clock_dirty;
  char       *device_id;
  /* counts outermost transactions, so state kept for one transaction
   * can tell it is still in it */
  guint64     transaction_serial;
};

static void rh_sqlite_database_store_init (RhStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteDatabase, rh_sqlite_database, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_STORE,
                                                      rh_sqlite_database_store_init))

/**
 * rh_sqlite_statement_release:
 *
 * Gives a cached statement back: see #RhSqliteStatement.
 */
void
rh_sqlite_statement_release (RhSqliteStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
rh_sqlite_database_finalize (GObject *object)
{
  RhSqliteDatabase *self = RH_SQLITE_DATABASE (object);

  if (self->depth > 0)
    g_warning ("The collection %s was closed inside a transaction; its changes are lost",
               self->path);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->hlc, rh_hlc_free);
  g_clear_pointer (&self->device_id, g_free);
  g_free (self->path);

  G_OBJECT_CLASS (rh_sqlite_database_parent_class)->finalize (object);
}

static void
rh_sqlite_database_class_init (RhSqliteDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_database_finalize;
}

static void
rh_sqlite_database_init (RhSqliteDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

static RhStoreError
store_error_code (int code)
{
  switch (code & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RH_STORE_ERROR_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return RH_STORE_ERROR_CORRUPT;
    default:
      return RH_STORE_ERROR_FAILED;
    }
}

/**
 * rh_sqlite_database_set_error:
 * @what: what failed, as the learner would say it ("Could not save the card")
 *
 * Sets @error from the connection's last failure: the code becomes an
 * #RhStoreError, the message "@what: reason".
 */
void
rh_sqlite_database_set_error (RhSqliteDatabase  *self,
                              GError           **error,
                              const char        *what)
{
  int code = self->db ? sqlite3_extended_errcode (self->db) : SQLITE_NOMEM;
  const char *reason;

  switch (code & 0xff)
    {
    case SQLITE_FULL:
      reason = _("the disk is full");
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      reason = _("another program is using the collection");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      reason = _("the collection file is damaged");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      reason = _("the collection file is read-only");
      break;
    default:
      reason = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (code);
      break;
    }

  g_debug ("%s: %s (%d)", what, self->db ? sqlite3_errmsg (self->db) : "", code);
  g_set_error (error, RH_STORE_ERROR, store_error_code (code), "%s: %s", what, reason);
}

static gboolean
exec_sql (RhSqliteDatabase  *self,
          const char        *sql,
          const char        *what,
          GError           **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      rh_sqlite_database_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * rh_sqlite_database_exec:
 * @sql: one or more statements, without parameters
 *
 * Runs @sql (not cached: for schema work and tests).
 */
gboolean
rh_sqlite_database_exec (RhSqliteDatabase  *self,
                         const char        *sql,
                         GError           **error)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self, sql, _("Could not change the collection"), error);
}

/**
 * rh_sqlite_database_prepare:
 *
 * Statements are compiled once per connection and kept: the same SQL gets
 * the same statement back, reset and with its bindings cleared. Hold it in
 * a g_autoptr(RhSqliteStatement) and do not prepare the same SQL again
 * while stepping it.
 *
 * Returns: (transfer none) (nullable): the statement
 */
sqlite3_stmt *
rh_sqlite_database_prepare (RhSqliteDatabase  *self,
                            const char        *sql,
                            GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      rh_sqlite_statement_release (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      rh_sqlite_database_set_error (self, error, _("Could not read the collection"));
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/**
 * rh_sqlite_database_step_done:
 * @what: what failed, for the message
 *
 * Runs a statement that writes. After a failure the connection's extended
 * error code still tells which constraint failed.
 */
gboolean
rh_sqlite_database_step_done (RhSqliteDatabase  *self,
                              sqlite3_stmt      *stmt,
                              const char        *what,
                              GError           **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * rh_sqlite_database_collect:
 * @row_func: makes an object of each row
 * @free_func: frees one
 *
 * Returns: (transfer full) (nullable): the objects of every row, or %NULL
 *   with @error set
 */
GPtrArray *
rh_sqlite_database_collect (RhSqliteDatabase  *self,
                            sqlite3_stmt      *stmt,
                            RhSqliteRowFunc    row_func,
                            GDestroyNotify     free_func,
                            const char        *what,
                            GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer item = row_func (stmt, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (rows, item);
    }

  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
query_int (RhSqliteDatabase  *self,
           const char        *sql,
           int               *out,
           const char        *what,
           GError           **error)
{
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self, error, what);
      return FALSE;
    }
  *out = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* RhStore */

static gboolean
rh_sqlite_database_begin (RhStore  *store,
                          GError  **error)
{
  RhSqliteDatabase *self = RH_SQLITE_DATABASE (store);
  g_autofree char *sql = NULL;

  /* IMMEDIATE takes the write lock now, while the busy timeout can still
   * wait for it, rather than failing half-way when a read turns into a
   * write. */
  if (self->depth == 0)
    {
      sql = g_strdup ("BEGIN IMMEDIATE");
      self->transaction_serial++;
    }
  else
    sql = g_strdup_printf ("SAVEPOINT rh_%u", self->depth);

  if (!exec_sql (self, sql, _("Could not start a change"), error))
    return FALSE;
  self->depth++;
  return TRUE;
}

/* On failure the transaction stays open: the caller rolls it back, as
 * rh_store_run() does. */
static gboolean
rh_sqlite_database_commit (RhStore  *store,
                           GError  **error)
{
  RhSqliteDatabase *self = RH_SQLITE_DATABASE (store);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1 && self->clock_dirty)
    {
      g_autofree char *now = rh_hlc_now (self->hlc, g_get_real_time ());

      if (!rh_sqlite_database_set_meta (self, META_CLOCK, now, error))
        return FALSE;
    }

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE rh_%u", self->depth - 1);

  if (!exec_sql (self, sql, _("Could not save the changes"), error))
    return FALSE;
  self->depth--;
  if (self->depth == 0)
    self->clock_dirty = FALSE;
  return TRUE;
}

static void
rh_sqlite_database_rollback (RhStore *store)
{
  RhSqliteDatabase *self = RH_SQLITE_DATABASE (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_return_if_fail (self->depth > 0);

  self->depth--;

  /* Some failures (disk full, I/O errors) make SQLite roll the whole
   * transaction back by itself: then there is nothing left to undo. */
  if (sqlite3_get_autocommit (self->db))
    return;

  if (self->depth == 0)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO rh_%u; RELEASE rh_%u", self->depth, self->depth);

  if (!exec_sql (self, sql, _("Could not undo the changes"), &error))
    g_warning ("%s", error->message);
}

static void
rh_sqlite_database_store_init (RhStoreInterface *iface)
{
  iface->begin = rh_sqlite_database_begin;
  iface->commit = rh_sqlite_database_commit;
  iface->rollback = rh_sqlite_database_rollback;
}

/* Opening */

static gboolean
is_memory (const char *path)
{
  return g_str_equal (path, ":memory:");
}

static gboolean
open_connection (RhSqliteDatabase  *self,
                 GError           **error)
{
  if (!is_memory (self->path))
    {
      g_autofree char *dir = g_path_get_dirname (self->path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED,
                       _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      rh_sqlite_database_set_error (self, error, _("Could not open the collection"));
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  /* No SQL may corrupt the file on purpose (writable_schema and the like).
   * The schema stays trusted: its triggers keep the search index, a
   * virtual table, in step. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  return TRUE;
}

/* Reads the header only, so a file that is not ours, or is too new, is
 * refused before anything is written to it. */
static gboolean
check_collection (RhSqliteDatabase  *self,
                  GError           **error)
{
  const char *what = _("Could not open the collection");
  int version;
  int app_id;
  int n_objects;

  if (!query_int (self, "PRAGMA user_version", &version, what, error) ||
      !query_int (self, "PRAGMA application_id", &app_id, what, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, what, error))
    return FALSE;

  if ((app_id != 0 && app_id != RH_SQLITE_APPLICATION_ID) ||
      (app_id == 0 && n_objects > 0))
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_CORRUPT,
                   _("%s is not a Rehearse collection"), self->path);
      return FALSE;
    }

  if (version > rh_sqlite_schema_latest_version ())
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_TOO_NEW,
                   _("The collection was saved by a newer version of Rehearse "
                     "(format %d; this version reads up to %d). Update Rehearse to open it."),
                   version, rh_sqlite_schema_latest_version ());
      return FALSE;
    }

  self->schema_version = version;
  return TRUE;
}

static gboolean
configure_connection (RhSqliteDatabase  *self,
                      GError           **error)
{
  const char *what = _("Could not open the collection");

  /* WAL lets readers go on while a sync writes; NORMAL is durable in WAL
   * mode except for the last moments before a power cut. */
  if (!is_memory (self->path) && !exec_sql (self, "PRAGMA journal_mode = WAL", what, error))
    return FALSE;

  return exec_sql (self,
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;"
                   /* a big import stays in memory until it commits,
                    * instead of spilling pages to the WAL as it goes */
                   "PRAGMA cache_size = -65536;"
                   "PRAGMA temp_store = MEMORY;",
                   what, error);
}

static gboolean
run_migration (RhSqliteDatabase         *self,
               const RhSqliteMigration  *step,
               GError                  **error)
{
  g_autofree char *what = g_strdup_printf (_("Could not upgrade the collection to format %d"),
                                           step->version);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", step->version);

  g_debug ("Upgrading %s to version %d: %s", self->path, step->version, step->summary);

  if (!exec_sql (self, "BEGIN IMMEDIATE", what, error))
    return FALSE;

  /* The version goes up in the same transaction as the step, so a step
   * either happened completely or not at all. */
  if (!exec_sql (self, step->sql, what, error) ||
      !exec_sql (self, bump, what, error) ||
      !exec_sql (self, "COMMIT", what, error))
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  self->schema_version = step->version;
  return TRUE;
}

static gboolean
migrate (RhSqliteDatabase  *self,
         int                target,
         GError           **error)
{
  const RhSqliteMigration *steps;
  guint n_steps;

  steps = rh_sqlite_schema_get_migrations (&n_steps);
  for (guint i = 0; i < n_steps; i++)
    {
      if (steps[i].version <= self->schema_version || steps[i].version > target)
        continue;
      if (!run_migration (self, &steps[i], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_clock (RhSqliteDatabase  *self,
            GError           **error)
{
  g_autofree char *device_id = rh_sqlite_database_get_meta (self, META_DEVICE_ID);
  g_autofree char *last = NULL;
  gint64 last_ms;

  if (device_id == NULL || !rh_id_is_valid (device_id))
    {
      g_free (device_id);
      device_id = rh_id_new ();
      if (!rh_sqlite_database_set_meta (self, META_DEVICE_ID, device_id, error))
        return FALSE;
    }

  /* Stamps carry the device's 48 random bits (the UUID's last group),
   * not the whole id: every editable field of every row has a stamp, and
   * 12 characters tell devices apart as well as 36 do. */
  self->hlc = rh_hlc_new (device_id + strlen (device_id) - 12);
  g_free (self->device_id);
  self->device_id = g_strdup (device_id);

  /* Not rh_hlc_observe(): it refuses stamps far ahead of the wall clock,
   * right for other devices but not for our own. If the wall clock was set
   * back, this device's stamps must still go forward. */
  last = rh_sqlite_database_get_meta (self, META_CLOCK);
  if (last != NULL && rh_hlc_stamp_parse (last, &last_ms, NULL, NULL))
    g_free (rh_hlc_now (self->hlc, (last_ms + 1) * 1000));

  return TRUE;
}

/**
 * rh_sqlite_database_open_at_version:
 * @path: a file path, or ":memory:"
 * @version: the schema version to upgrade to, at least 1 (tests use
 *   earlier versions; the app calls rh_sqlite_database_open())
 *
 * Opens (or creates) a collection and upgrades it, one step after the
 * other, up to @version. A file that is not a collection gives
 * %RH_STORE_ERROR_CORRUPT, one made by a newer Rehearse
 * %RH_STORE_ERROR_TOO_NEW; neither is changed.
 *
 * The object is one connection with its statement cache and transaction
 * depth: use it from one thread at a time.
 *
 * Returns: (transfer full) (nullable): the open collection
 */
RhSqliteDatabase *
rh_sqlite_database_open_at_version (const char  *path,
                                    int          version,
                                    GError     **error)
{
  g_autoptr(RhSqliteDatabase) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= rh_sqlite_schema_latest_version (), NULL);

  self = g_object_new (RH_TYPE_SQLITE_DATABASE, NULL);
  self->path = g_strdup (path);

  if (!open_connection (self, error) ||
      !check_collection (self, error) ||
      !configure_connection (self, error) ||
      !migrate (self, version, error) ||
      !load_clock (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rh_sqlite_database_open:
 * @path: a file path, or ":memory:"
 *
 * Opens (or creates) a collection and upgrades it to the latest schema.
 *
 * Returns: (transfer full) (nullable): the open collection
 */
RhSqliteDatabase *
rh_sqlite_database_open (const char  *path,
                         GError     **error)
{
  return rh_sqlite_database_open_at_version (path, rh_sqlite_schema_latest_version (), error);
}

/**
 * rh_sqlite_database_latest_version:
 *
 * Returns: the schema version this build writes
 */
int
rh_sqlite_database_latest_version (void)
{
  return rh_sqlite_schema_latest_version ();
}

int
rh_sqlite_database_get_schema_version (RhSqliteDatabase *self)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), 0);
  return self->schema_version;
}

const char *
rh_sqlite_database_get_path (RhSqliteDatabase *self)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);
  return self->path;
}

/**
 * rh_sqlite_database_get_device_id:
 *
 * Returns: the id this collection file was given when it was made; it
 *   breaks ties between equal clock times of two devices
 */
const char *
rh_sqlite_database_get_device_id (RhSqliteDatabase *self)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);
  return self->device_id;
}

/**
 * rh_sqlite_database_get_handle:
 *
 * Returns: (transfer none): the connection, for the repositories
 */
sqlite3 *
rh_sqlite_database_get_handle (RhSqliteDatabase *self)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);
  return self->db;
}

/**
 * rh_sqlite_database_get_transaction_serial:
 *
 * Returns: a number that changes with every outermost transaction
 */
guint64
rh_sqlite_database_get_transaction_serial (RhSqliteDatabase *self)
{
  return self->transaction_serial;
}

/**
 * rh_sqlite_database_in_transaction:
 *
 * Returns: whether a rh_store_begin() is still open
 */
gboolean
rh_sqlite_database_in_transaction (RhSqliteDatabase *self)
{
  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);
  return self->depth > 0;
}

/**
 * rh_sqlite_database_next_stamp:
 *
 * The clock's state is written to the collection with every stamp (or
 * once when the transaction holding the stamps commits), so stamps keep
 * growing across restarts even when the wall clock goes back.
 *
 * Returns: (transfer full): a clock stamp greater than every stamp this
 *   collection made or observed before
 */
char *
rh_sqlite_database_next_stamp (RhSqliteDatabase *self)
{
  g_autoptr(GError) error = NULL;
  char *stamp;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);

  stamp = rh_hlc_now (self->hlc, g_get_real_time ());
  if (self->depth > 0)
    self->clock_dirty = TRUE;
  else if (!rh_sqlite_database_set_meta (self, META_CLOCK, stamp, &error))
    g_warning ("Could not keep the clock: %s", error->message);
  return stamp;
}

/**
 * rh_sqlite_database_observe_stamp:
 * @stamp: a stamp received from another device
 *
 * Moves the clock past @stamp, so the next local change wins over it.
 */
gboolean
rh_sqlite_database_observe_stamp (RhSqliteDatabase  *self,
                                  const char        *stamp,
                                  GError           **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);

  if (!rh_hlc_observe (self->hlc, stamp, error))
    return FALSE;

  /* Kept like a stamp of our own: a restart must not forget it. */
  now = rh_hlc_now (self->hlc, g_get_real_time ());
  return rh_sqlite_database_set_meta (self, META_CLOCK, now, error);
}

/**
 * rh_sqlite_database_get_meta:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unset
 */
char *
rh_sqlite_database_get_meta (RhSqliteDatabase *self,
                             const char       *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = rh_sqlite_database_prepare (self, "SELECT value FROM meta WHERE key = ?1", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self, &error, "meta");
      g_warning ("%s", error->message);
    }
  return NULL;
}

/**
 * rh_sqlite_database_set_meta:
 * @value: (nullable): the value, or %NULL to remove the key
 *
 * Keeps a setting of this collection file (device id, sync cursors, ...).
 */
gboolean
rh_sqlite_database_set_meta (RhSqliteDatabase  *self,
                             const char        *key,
                             const char        *value,
                             GError           **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    stmt = rh_sqlite_database_prepare (self, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = rh_sqlite_database_prepare (self,
                                       "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_step_done (self, stmt, _("Could not save a setting"), error);
}

/**
 * rh_sqlite_database_copy_from:
 * @source_path: a collection file, of this schema version, not open
 *
 * Replaces the whole contents of the collection with those of
 * @source_path, in one write through SQLite's backup API: the file stays
 * the same, so every other connection to it sees the new contents from
 * its next read. Not inside a transaction.
 */
gboolean
rh_sqlite_database_copy_from (RhSqliteDatabase  *self,
                              const char        *source_path,
                              GError           **error)
{
  const char *what = _("Could not change the collection");
  sqlite3 *source = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);
  g_return_val_if_fail (source_path != NULL, FALSE);

  if (self->depth > 0)
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY,
                   _("%s: a change is still being saved"), what);
      return FALSE;
    }
  if (sqlite3_open_v2 (source_path, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED, "%s: %s", what,
                   source != NULL ? sqlite3_errmsg (source) : g_strerror (ENOMEM));
      sqlite3_close (source);
      return FALSE;
    }
  if (!(backup = sqlite3_backup_init (self->db, "main", source, "main")))
    {
      rh_sqlite_database_set_error (self, error, what);
      sqlite3_close (source);
      return FALSE;
    }
  /* all of it in one step: one write transaction on the collection */
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RH_STORE_ERROR,
                   rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? RH_STORE_ERROR_BUSY
                                                            : RH_STORE_ERROR_FAILED,
                   "%s: %s", what, sqlite3_errstr (rc));
      sqlite3_close (source);
      return FALSE;
    }
  sqlite3_close (source);
  return TRUE;
}

/**
 * rh_sqlite_database_check_unused:
 * @path: a collection file
 *
 * Checks that no connection, in this program or another, has the
 * collection at @path open, before the file is replaced: a program that
 * had it open would go on writing to the file that was. A file that does
 * not exist is unused.
 *
 * Returns: %FALSE with %RH_STORE_ERROR_BUSY when it is in use
 */
gboolean
rh_sqlite_database_check_unused (const char  *path,
                                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  /* In WAL mode every open connection holds a shared lock on the file: an
   * exclusive lock is had only by the one connection there is. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK",
                       NULL, NULL, NULL);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    {
      g_set_error_literal (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY,
                           _("The collection is open in another program: quit Rehearse "
                             "and try again"));
      sqlite3_close (db);
      return FALSE;
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED, "%s: %s",
                   _("Could not open the collection"),
                   db != NULL ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);
  return TRUE;
}

/**
 * rh_sqlite_database_backup_to:
 * @dest_path: where the copy goes; an existing file is replaced
 *
 * Writes a compact, consistent copy of the collection (VACUUM INTO) next
 * to @dest_path, then renames it into place, so @dest_path is never half
 * written. Not inside a transaction.
 */
gboolean
rh_sqlite_database_backup_to (RhSqliteDatabase  *self,
                              const char        *dest_path,
                              GError           **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *part = NULL;
  const char *what = _("Could not back up the collection");

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (self->depth > 0)
    {
      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY,
                   _("%s: a change is still being saved"), what);
      return FALSE;
    }

  part = g_strconcat (dest_path, ".part", NULL);
  g_unlink (part);

  if (!(stmt = rh_sqlite_database_prepare (self, "VACUUM INTO ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, part, -1, SQLITE_TRANSIENT);
  if (!rh_sqlite_database_step_done (self, stmt, what, error))
    {
      g_unlink (part);
      return FALSE;
    }

  if (g_rename (part, dest_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED,
                   "%s: %s", what, g_strerror (saved_errno));
      g_unlink (part);
      return FALSE;
    }
  return TRUE;
}
