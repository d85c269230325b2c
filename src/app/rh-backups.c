// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-backups"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "rh-backups.h"
#include "rh-composition.h"
#include "rh-sqlite-database.h"

#define SUFFIX ".backup.rehearse"

/**
 * rh_backups_dir_for:
 *
 * Returns: (transfer full): where the backups of a collection go: a
 *   "backups" folder beside it, one subfolder per collection file
 */
char *
rh_backups_dir_for (const char *collection_path)
{
  g_autofree char *dir = g_path_get_dirname (collection_path);
  g_autofree char *base = g_path_get_basename (collection_path);

  return g_build_filename (dir, "backups", base, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * rh_backups_list:
 *
 * Returns: (transfer full) (element-type filename): backup paths, oldest
 *   first (their names start with the UTC time they were made)
 */
GPtrArray *
rh_backups_list (const char  *dir,
                 GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  if (!(d = g_dir_open (dir, 0, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&out);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, SUFFIX))
      g_ptr_array_add (out, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (out, compare_names);
  return g_steal_pointer (&out);
}

/**
 * rh_backups_run_daily:
 * @now_us: the time now
 *
 * Makes a compact copy of the collection unless one was made in the last
 * day, then keeps only the newest %RH_BACKUPS_KEEP.
 *
 * Returns: (transfer full) (nullable): the new backup's path; %NULL with
 *   no error when none was due
 */
char *
rh_backups_run_daily (RhCollection  *collection,
                      const char    *dir,
                      gint64         now_us,
                      GError       **error)
{
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (collection), "rh-sqlite-database");
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *name = g_strconcat (stamp, SUFFIX, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");

  g_return_val_if_fail (db != NULL, NULL);

  if (!(existing = rh_backups_list (dir, error)))
    return NULL;
  if (existing->len > 0)
    {
      g_autofree char *last = g_path_get_basename (g_ptr_array_index (existing,
                                                                      existing->len - 1));
      if (g_str_has_prefix (last, today))
        return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the backup folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  if (!rh_sqlite_database_backup_to (db, path, error))
    return NULL;

  g_ptr_array_add (existing, g_strdup (path));
  while (existing->len > RH_BACKUPS_KEEP)
    {
      if (g_unlink (g_ptr_array_index (existing, 0)) != 0)
        g_warning ("Cannot remove an old backup: %s", g_strerror (errno));
      g_ptr_array_remove_index (existing, 0);
    }

  return g_steal_pointer (&path);
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);

  return g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

/**
 * rh_backups_restore:
 *
 * Replaces the collection with a backup. The backup is checked first (it
 * must open as a collection), and the swap is a rename, so a failure
 * leaves the collection as it was. The collection must not be open.
 */
gboolean
rh_backups_restore (const char  *collection_path,
                    const char  *backup_path,
                    GError     **error)
{
  g_autofree char *tmp = g_strconcat (collection_path, ".restoring", NULL);
  g_autofree char *wal = g_strconcat (collection_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (collection_path, "-shm", NULL);
  g_autofree char *tmp_wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *tmp_shm = g_strconcat (tmp, "-shm", NULL);

  if (!copy_file (backup_path, tmp, error))
    return FALSE;

  {
    g_autoptr(RhSqliteDatabase) check = rh_sqlite_database_open (tmp, error);
    if (check == NULL)
      {
        g_prefix_error (error, _("The backup cannot be restored: "));
        g_unlink (tmp);
        return FALSE;
      }
    /* closing checkpoints the copy's WAL into the file */
  }
  g_unlink (tmp_wal);
  g_unlink (tmp_shm);

  g_unlink (wal);
  g_unlink (shm);
  if (g_rename (tmp, collection_path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot replace the collection: %s"), g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}
