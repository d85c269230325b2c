// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-backups"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "rh-backups.h"
#include "rh-composition.h"
#include "rh-sqlite-database.h"

/* A backup is the collection's compact copy, compressed with zstd: a
 * collection's text and sync stamps shrink to a fifth or so, and fourteen
 * of them add up. Backups made before they were compressed end in
 * PLAIN_SUFFIX, and still restore. */
#define SUFFIX ".backup.rehearse.zst"
#define PLAIN_SUFFIX ".backup.rehearse"
#define LEVEL 3

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_CCtx, ZSTD_freeCCtx)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

static gboolean
is_backup_name (const char *name)
{
  return g_str_has_suffix (name, SUFFIX) || g_str_has_suffix (name, PLAIN_SUFFIX);
}

/* The error of a failed read or write (errno), for @path. */
static gboolean
set_io_error (GError     **error,
              gboolean     writing,
              const char  *path)
{
  int saved = errno;

  if (writing)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write “%s”: %s"),
                 path, g_strerror (saved));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not read “%s”: %s"),
                 path, g_strerror (saved));
  return FALSE;
}

/* Streams @from through zstd into a new file @to, flushed to the disk:
 * compressing, with a checksum, or decompressing, where a backup that is
 * cut short or does not match its checksum is an error. */
static gboolean
zstd_file (const char  *from,
           const char  *to,
           gboolean     compress,
           GError     **error)
{
  g_autoptr(ZSTD_CCtx) cctx = compress ? ZSTD_createCCtx () : NULL;
  g_autoptr(ZSTD_DCtx) dctx = compress ? NULL : ZSTD_createDCtx ();
  size_t in_size = compress ? ZSTD_CStreamInSize () : ZSTD_DStreamInSize ();
  size_t out_size = compress ? ZSTD_CStreamOutSize () : ZSTD_DStreamOutSize ();
  g_autofree guint8 *in_buf = g_malloc (in_size);
  g_autofree guint8 *out_buf = g_malloc (out_size);
  FILE *in = NULL;
  FILE *out = NULL;
  gboolean ok = FALSE;
  gboolean last = FALSE;
  size_t left = 1;

  if (compress ? cctx == NULL : dctx == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           compress ? _("Could not back up the collection")
                                    : _("Could not start decompressing the collection"));
      return FALSE;
    }
  if (compress)
    {
      ZSTD_CCtx_setParameter (cctx, ZSTD_c_compressionLevel, LEVEL);
      ZSTD_CCtx_setParameter (cctx, ZSTD_c_checksumFlag, 1);
    }

  if (!(in = g_fopen (from, "rb")))
    return set_io_error (error, FALSE, from);
  if (!(out = g_fopen (to, "wb")))
    {
      set_io_error (error, TRUE, to);
      goto out;
    }

  while (!last)
    {
      size_t n = fread (in_buf, 1, in_size, in);
      ZSTD_inBuffer input = { in_buf, n, 0 };
      ZSTD_outBuffer output;

      if (ferror (in))
        {
          set_io_error (error, FALSE, from);
          goto out;
        }
      last = n < in_size;
      /* until the input is taken and nothing waits to come out; at the
       * end of a compression, until the frame is closed */
      do
        {
          output = (ZSTD_outBuffer) { out_buf, out_size, 0 };
          left = compress ? ZSTD_compressStream2 (cctx, &output, &input,
                                                  last ? ZSTD_e_end : ZSTD_e_continue)
                          : ZSTD_decompressStream (dctx, &output, &input);
          if (ZSTD_isError (left) && compress)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
                           _("Could not back up the collection"), ZSTD_getErrorName (left));
              goto out;
            }
          if (ZSTD_isError (left))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The backup is damaged (%s)"), ZSTD_getErrorName (left));
              goto out;
            }
          if (fwrite (out_buf, 1, output.pos, out) != output.pos)
            {
              set_io_error (error, TRUE, to);
              goto out;
            }
        }
      while (input.pos < input.size || output.pos == output.size ||
             (compress && last && left != 0));
    }

  /* decompressing, 0 comes only at the end of a whole frame */
  if (left != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The backup is cut short"));
      goto out;
    }
  if (fflush (out) != 0 || fsync (fileno (out)) != 0)
    {
      set_io_error (error, TRUE, to);
      goto out;
    }
  ok = TRUE;

out:
  fclose (in);
  if (out != NULL && fclose (out) != 0 && ok)
    ok = set_io_error (error, TRUE, to);
  return ok;
}

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

/**
 * rh_backups_get_time:
 * @path: a backup
 *
 * Returns: (transfer full) (nullable): when the backup was made, which its
 *   name says, in local time; %NULL for a name that does not
 */
GDateTime *
rh_backups_get_time (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) made = NULL;
  int y, mo, d, h, mi, sec;
  char z = 0;

  if (sscanf (name, "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 || z != 'Z' ||
      !(made = g_date_time_new (utc, y, mo, d, h, mi, sec)))
    return NULL;
  return g_date_time_to_local (made);
}

/**
 * rh_backups_describe:
 * @path: a backup
 *
 * Returns: (transfer full): when the backup was made, for people to read,
 *   or its file name when the name does not say
 */
char *
rh_backups_describe (const char *path)
{
  g_autoptr(GDateTime) made = rh_backups_get_time (path);

  if (made == NULL)
    return g_path_get_basename (path);
  /* Translators: when a backup was made; see g_date_time_format() */
  return g_date_time_format (made, _("%-d %B %Y, %H:%M"));
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
    if (is_backup_name (name))
      g_ptr_array_add (out, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (out, compare_names);
  return g_steal_pointer (&out);
}

/* Removes what a backup left half made when its program stopped: copies
 * and parts an hour old (a younger one may be another program's, being
 * written now). */
static void
remove_leftovers (const char *dir,
                  gint64      now_us)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".copy") && !g_str_has_suffix (name, ".part"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_stat (path, &st) == 0 && (gint64) st.st_mtime < now_us / G_USEC_PER_SEC - 3600)
        g_unlink (path);
    }
}

/* Keeps the backups of the %RH_BACKUPS_KEEP newest days they were made
 * on, all of them: a day of restores and undos, each with its backup,
 * does not push out the days before. @backups: oldest first. */
static void
prune (GPtrArray *backups)
{
  guint days = 0;
  guint keep_from = 0;
  char last_day[9] = "";

  for (guint i = backups->len; i > 0; i--)
    {
      g_autofree char *name = g_path_get_basename (backups->pdata[i - 1]);

      /* the name starts with the UTC day, YYYYMMDD */
      if (strncmp (name, last_day, 8) != 0)
        {
          if (++days > RH_BACKUPS_KEEP)
            {
              keep_from = i;
              break;
            }
          g_strlcpy (last_day, name, sizeof last_day);
        }
    }
  for (guint i = 0; i < keep_from; i++)
    if (g_unlink (backups->pdata[i]) != 0)
      g_warning ("Cannot remove an old backup: %s", g_strerror (errno));
}

/**
 * rh_backups_make:
 * @now_us: the time now, which names the backup
 *
 * Makes a compact copy of the collection now, then keeps only the backups
 * of the %RH_BACKUPS_KEEP newest days.
 *
 * Returns: (transfer full) (nullable): the new backup's path
 */
char *
rh_backups_make (RhCollection  *collection,
                 const char    *dir,
                 gint64         now_us,
                 GError       **error)
{
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (collection), "rh-sqlite-database");
  g_autoptr(GPtrArray) existing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *part = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  /* Named by the second it is made; never over another backup of the same
   * second (the one a restore is about to read, say): the next free
   * second keeps the names in the order they were made. */
  for (gint64 s = now_us / G_USEC_PER_SEC; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS);
       s++)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (s);
      g_autofree char *stamp = g_date_time_format (when, "%Y%m%dT%H%M%SZ");
      g_autofree char *name = g_strconcat (stamp, SUFFIX, NULL);

      g_free (path);
      path = g_build_filename (dir, name, NULL);
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the backup folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  /* the copy, then the compressed copy under a name no listing shows,
   * then the rename: a backup is whole or not there */
  copy = g_strconcat (path, ".copy", NULL);
  part = g_strconcat (path, ".part", NULL);
  if (!rh_sqlite_database_backup_to (db, copy, error))
    return NULL;
  if (!zstd_file (copy, part, TRUE, error) || g_rename (part, path) != 0)
    {
      if (error != NULL && *error == NULL)
        set_io_error (error, TRUE, path);
      g_unlink (part);
      g_unlink (copy);
      return NULL;
    }
  g_unlink (copy);

  if (!(existing = rh_backups_list (dir, error)))
    return NULL;
  prune (existing);
  remove_leftovers (dir, g_get_real_time ());
  return g_steal_pointer (&path);
}

/**
 * rh_backups_run_daily:
 * @now_us: the time now
 *
 * Makes a backup (rh_backups_make()) unless one was made in the last day.
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
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");

  if (!(existing = rh_backups_list (dir, error)))
    return NULL;
  if (existing->len > 0)
    {
      g_autofree char *last = g_path_get_basename (g_ptr_array_index (existing,
                                                                      existing->len - 1));
      if (g_str_has_prefix (last, today))
        return NULL;
    }
  return rh_backups_make (collection, dir, now_us, error);
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

/* Removes a closed database file with its -wal and -shm. */
static void
remove_database_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* Unpacks @backup_path beside @collection_path and opens it as a
 * collection, which checks it and brings an older one up to date.
 * Returns the unpacked file's path, closed and whole. */
static char *
unpack_checked (const char  *collection_path,
                const char  *backup_path,
                GError     **error)
{
  g_autofree char *tmp = g_strconcat (collection_path, ".restoring", NULL);
  g_autofree char *tmp_wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *tmp_shm = g_strconcat (tmp, "-shm", NULL);

  if (g_str_has_suffix (backup_path, ".zst") ? !zstd_file (backup_path, tmp, FALSE, error)
                                             : !copy_file (backup_path, tmp, error))
    {
      g_prefix_error (error, _("The backup cannot be restored: "));
      g_unlink (tmp);
      return NULL;
    }

  {
    g_autoptr(RhSqliteDatabase) check = rh_sqlite_database_open (tmp, error);
    if (check == NULL)
      {
        g_prefix_error (error, _("The backup cannot be restored: "));
        remove_database_files (tmp);
        return NULL;
      }
    /* closing checkpoints the copy's WAL into the file */
  }
  g_unlink (tmp_wal);
  g_unlink (tmp_shm);
  return g_steal_pointer (&tmp);
}

/**
 * rh_backups_restore:
 *
 * Replaces the collection with a backup. The backup is checked first (it
 * must open as a collection), and the swap is a rename, so a failure
 * leaves the collection as it was. While the collection is open, in this
 * program or another, the restore is refused (%RH_STORE_ERROR_BUSY): see
 * rh_backups_restore_into() for an open one.
 */
gboolean
rh_backups_restore (const char  *collection_path,
                    const char  *backup_path,
                    GError     **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *wal = g_strconcat (collection_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (collection_path, "-shm", NULL);

  /* the app open on it would go on with the file that was */
  if (!rh_sqlite_database_check_unused (collection_path, error))
    {
      g_prefix_error (error, _("The backup cannot be restored: "));
      return FALSE;
    }
  if (!(tmp = unpack_checked (collection_path, backup_path, error)))
    return FALSE;

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

/**
 * rh_backups_restore_into:
 * @collection: an open collection
 *
 * Gives the open @collection the contents of a backup, in one write
 * through SQLite's backup API: every connection to it, in this program or
 * another, sees the restored collection from its next read. The backup is
 * checked first; a failure leaves the collection as it was.
 */
gboolean
rh_backups_restore_into (RhCollection  *collection,
                         const char    *backup_path,
                         GError       **error)
{
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (collection), "rh-sqlite-database");
  g_autofree char *tmp = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!(tmp = unpack_checked (rh_sqlite_database_get_path (db), backup_path, error)))
    return FALSE;
  ok = rh_sqlite_database_copy_from (db, tmp, error);
  if (!ok)
    g_prefix_error (error, _("The backup cannot be restored: "));
  remove_database_files (tmp);
  return ok;
}
