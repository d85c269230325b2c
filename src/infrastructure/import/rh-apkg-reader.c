// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "rh-apkg-reader.h"
#include "rh-html-text.h"
#include "rh-json-load.h"

/* An .apkg (or .colpkg) is a zip holding an Anki collection, which is an
 * SQLite database. Anki 2.1.50+ writes "collection.anki21b" (zstd
 * compressed, schema 18, decks in their own table) next to a stub
 * "collection.anki2" telling old versions to upgrade; older versions write
 * "collection.anki21" or "collection.anki2" (schema 11, decks as JSON in
 * col.decks). Each Anki card (a note shown through one template) becomes
 * one card here. */

#define CHUNK_SIZE (64 * 1024)

/* Progress is split between unpacking and reading the cards. */
#define EXTRACT_SHARE 0.4

/* Anki ids are creation times in milliseconds; smaller ones were not made
 * that way (hand-built or very old collections) and say nothing. */
#define MIN_PLAUSIBLE_MS G_GINT64_CONSTANT (946684800000)   /* 2000-01-01 */
#define MAX_PLAUSIBLE_MS G_GINT64_CONSTANT (32503680000000) /* 3000-01-01 */

typedef enum
{
  COLLECTION_NONE,
  COLLECTION_ANKI2,
  COLLECTION_ANKI21,
  COLLECTION_ANKI21B,
} CollectionKind;

typedef struct
{
  GCancellable         *cancellable;
  RhImportProgressFunc  progress;
  gpointer              progress_data;
  double                last_fraction;
} Progress;

static void
progress_report (Progress *p,
                 double    fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  /* Never go backwards, even when a second collection file is unpacked. */
  if (p->progress == NULL || fraction <= p->last_fraction)
    return;
  p->last_fraction = fraction;
  p->progress (fraction, p->progress_data);
}

static gboolean
check_cancelled (Progress  *p,
                 GError   **error)
{
  if (!g_cancellable_is_cancelled (p->cancellable))
    return FALSE;

  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED, _("The import was cancelled"));
  return TRUE;
}

static void
set_not_apkg (GError     **error,
              const char  *reason)
{
  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED,
               _("Not a valid .apkg: %s"), reason);
}

static const char *
archive_reason (struct archive *archive)
{
  const char *reason = archive_error_string (archive);

  return reason != NULL ? reason : _("the archive cannot be read");
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL)
    return;

  /* SQLite may leave journal or shm files beside the database, so
   * everything in our private directory goes. */
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_unlink (path) != 0)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }

  if (g_rmdir (dir) != 0)
    g_debug ("Could not remove %s: %s", dir, g_strerror (errno));
}

static gboolean
write_all (int          fd,
           const void  *buf,
           gsize        len,
           GError     **error)
{
  const char *p = buf;

  while (len > 0)
    {
      gssize n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                       _("Could not unpack the collection: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      p += n;
      len -= n;
    }

  return TRUE;
}

typedef struct
{
  int            fd;
  ZSTD_DStream  *zstd;         /* NULL when the entry is stored plainly */
  guint64        written;
  gboolean       frame_done;   /* zstd: the last frame seen was complete */
  guchar        *out_buf;
  gsize          out_size;
} Sink;

static gboolean
sink_write (Sink        *sink,
            const void  *data,
            gsize        len,
            GError     **error)
{
  if (sink->zstd == NULL)
    {
      sink->written += len;
      if (sink->written > RH_APKG_MAX_COLLECTION_BYTES)
        goto too_large;
      return write_all (sink->fd, data, len, error);
    }

  {
    ZSTD_inBuffer in = { data, len, 0 };

    while (in.pos < in.size)
      {
        ZSTD_outBuffer out = { sink->out_buf, sink->out_size, 0 };
        size_t ret = ZSTD_decompressStream (sink->zstd, &out, &in);

        if (ZSTD_isError (ret))
          {
            g_autofree char *reason =
              g_strdup_printf (_("the collection cannot be decompressed (%s)"),
                               ZSTD_getErrorName (ret));
            set_not_apkg (error, reason);
            return FALSE;
          }
        sink->frame_done = (ret == 0);
        sink->written += out.pos;
        if (sink->written > RH_APKG_MAX_COLLECTION_BYTES)
          goto too_large;
        if (!write_all (sink->fd, sink->out_buf, out.pos, error))
          return FALSE;
      }
  }

  return TRUE;

too_large:
  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE,
               _("The collection unpacks to more than %u GiB"),
               (guint) (RH_APKG_MAX_COLLECTION_BYTES / (1024 * 1024 * 1024)));
  return FALSE;
}

/* Without a last output flush, zstd may still hold decoded bytes when its
 * input ran out; drain them and check the frame really ended. */
static gboolean
sink_finish (Sink    *sink,
             GError **error)
{
  if (sink->zstd == NULL)
    return TRUE;

  for (;;)
    {
      ZSTD_inBuffer in = { NULL, 0, 0 };
      ZSTD_outBuffer out = { sink->out_buf, sink->out_size, 0 };
      size_t ret = ZSTD_decompressStream (sink->zstd, &out, &in);

      if (ZSTD_isError (ret))
        {
          set_not_apkg (error, ZSTD_getErrorName (ret));
          return FALSE;
        }
      if (out.pos > 0)
        {
          sink->written += out.pos;
          if (!write_all (sink->fd, sink->out_buf, out.pos, error))
            return FALSE;
        }
      if (ret == 0)
        sink->frame_done = TRUE;
      if (out.pos < out.size)
        break;
    }

  if (!sink->frame_done)
    {
      set_not_apkg (error, _("the compressed collection is cut short"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
extract_entry (struct archive        *archive,
               struct archive_entry  *entry,
               const char            *dest,
               gboolean               compressed,
               Progress              *progress,
               GError               **error)
{
  g_autofree guchar *in_buf = g_malloc (CHUNK_SIZE);
  Sink sink = { -1, NULL, 0, FALSE, NULL, 0 };
  gint64 size = archive_entry_size_is_set (entry) ? archive_entry_size (entry) : 0;
  gint64 read_total = 0;
  gboolean ok = FALSE;

  sink.fd = g_open (dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (sink.fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not unpack the collection: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  if (compressed)
    {
      sink.zstd = ZSTD_createDStream ();
      sink.out_size = ZSTD_DStreamOutSize ();
      sink.out_buf = g_malloc (sink.out_size);
      if (sink.zstd == NULL || ZSTD_isError (ZSTD_initDStream (sink.zstd)))
        {
          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                       _("Could not start decompressing the collection"));
          goto out;
        }
    }

  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, in_buf, CHUNK_SIZE);

      if (n == 0)
        break;
      if (n < 0)
        {
          set_not_apkg (error, archive_reason (archive));
          goto out;
        }
      if (check_cancelled (progress, error))
        goto out;
      if (!sink_write (&sink, in_buf, n, error))
        goto out;

      read_total += n;
      if (size > 0)
        progress_report (progress, EXTRACT_SHARE * read_total / size);
    }

  ok = sink_finish (&sink, error);

out:
  if (sink.zstd != NULL)
    ZSTD_freeDStream (sink.zstd);
  g_free (sink.out_buf);
  if (close (sink.fd) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not unpack the collection: %s"), g_strerror (saved_errno));
      ok = FALSE;
    }

  return ok;
}

static CollectionKind
collection_kind_for_name (const char *name)
{
  if (name == NULL)
    return COLLECTION_NONE;
  if (strcmp (name, "collection.anki21b") == 0)
    return COLLECTION_ANKI21B;
  if (strcmp (name, "collection.anki21") == 0)
    return COLLECTION_ANKI21;
  if (strcmp (name, "collection.anki2") == 0)
    return COLLECTION_ANKI2;
  return COLLECTION_NONE;
}

/* Unpacks the newest collection format the zip holds into @dir and
 * returns its path. */
static char *
extract_collection (const char  *path,
                    const char  *dir,
                    Progress    *progress,
                    GError     **error)
{
  struct archive *archive = NULL;
  g_autofree char *best_path = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  CollectionKind best = COLLECTION_NONE;
  gboolean ok = FALSE;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  archive = archive_read_new ();
  archive_read_support_format_zip (archive);

  if (archive_read_open_fd (archive, fd, CHUNK_SIZE) != ARCHIVE_OK)
    {
      set_not_apkg (error, archive_reason (archive));
      goto out;
    }

  for (;;)
    {
      struct archive_entry *entry;
      CollectionKind kind;
      g_autofree char *dest = NULL;
      int r = archive_read_next_header (archive, &entry);

      if (r == ARCHIVE_EOF)
        break;
      if (r < ARCHIVE_WARN)
        {
          set_not_apkg (error, archive_reason (archive));
          goto out;
        }

      kind = collection_kind_for_name (archive_entry_pathname (entry));
      if (kind <= best || archive_entry_filetype (entry) != AE_IFREG)
        continue;

      dest = g_build_filename (dir, kind == COLLECTION_ANKI21B ? "collection-21b.sqlite" :
                                    kind == COLLECTION_ANKI21 ? "collection-21.sqlite" :
                                    "collection-2.sqlite", NULL);
      if (!extract_entry (archive, entry, dest, kind == COLLECTION_ANKI21B, progress, error))
        goto out;

      /* Older formats may hold only a stub asking to upgrade Anki. */
      if (best_path != NULL)
        g_unlink (best_path);
      g_free (best_path);
      best_path = g_steal_pointer (&dest);
      best = kind;

      if (best == COLLECTION_ANKI21B)
        break;
    }

  if (best == COLLECTION_NONE)
    {
      set_not_apkg (error, _("it holds no Anki collection"));
      goto out;
    }

  ok = TRUE;

out:
  archive_read_free (archive);
  close (fd);

  return ok ? g_steal_pointer (&best_path) : NULL;
}

/* Checks the SQLite magic and switches WAL databases back to rollback
 * mode, so reading needs no -wal and -shm files beside the copy: Anki
 * checkpoints before exporting, and this copy is ours alone, so that
 * header flag is safe to change. */
static gboolean
prepare_database_file (const char  *path,
                       GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guchar header[100];
  gssize n;
  gboolean ok = TRUE;
  int fd;

  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not open the unpacked collection: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  n = pread (fd, header, sizeof header, 0);
  if (n < (gssize) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      set_not_apkg (error, _("its collection is not a database"));
      ok = FALSE;
    }
  else if (header[18] == 2 && header[19] == 2)
    {
      static const guchar legacy[2] = { 1, 1 };

      if (pwrite (fd, legacy, sizeof legacy, 18) != (gssize) sizeof legacy)
        {
          int saved_errno = errno;

          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                       _("Could not prepare the collection: %s"), g_strerror (saved_errno));
          ok = FALSE;
        }
    }

  close (fd);
  return ok;
}

static int
sqlite_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

static void
set_sqlite_error (sqlite3     *db,
                  const char  *table,
                  Progress    *progress,
                  GError     **error)
{
  if (check_cancelled (progress, error))
    return;

  if (sqlite3_errcode (db) == SQLITE_NOTADB || sqlite3_errcode (db) == SQLITE_CORRUPT)
    {
      set_not_apkg (error, sqlite3_errmsg (db));
      return;
    }

  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED,
               _("Not an Anki collection: the “%s” table cannot be read (%s)"),
               table, sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         const char  *table,
         Progress    *progress,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db, table, progress, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
has_table (sqlite3     *db,
           const char  *name,
           gboolean    *result,
           Progress    *progress,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
             "sqlite_master", progress, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (db, "sqlite_master", progress, error);
      return FALSE;
    }

  *result = (rc == SQLITE_ROW);
  return TRUE;
}

/* Invalid UTF-8 in a deck name or tags is repaired, as it is in the
 * fields (rh_html_to_text()): broken bytes in one name are no reason to
 * refuse a whole collection. */
static char *
native_deck_name (const char *name)
{
  g_autofree char *valid = NULL;
  g_auto(GStrv) parts = NULL;

  if (name == NULL || *name == '\0')
    return NULL;
  if (!g_utf8_validate (name, -1, NULL))
    name = valid = g_utf8_make_valid (name, -1);

  /* Schema 18 separates levels with 0x1f where the JSON used "::". */
  parts = g_strsplit (name, "\x1f", -1);
  return g_strjoinv ("::", parts);
}

static gboolean
load_decks_table (sqlite3     *db,
                  GHashTable  *decks,
                  Progress    *progress,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (db, "SELECT id, name FROM decks", "decks",
                                          progress, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      char *name = native_deck_name ((const char *) sqlite3_column_text (stmt, 1));

      if (name != NULL)
        g_hash_table_insert (decks, g_memdup2 (&id, sizeof id), name);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (db, "decks", progress, error);
      return FALSE;
    }

  return TRUE;
}

/* Reads one text column of the single col row (schema 11 keeps its deck
 * list and settings there as JSON). */
static char *
read_col_text (sqlite3     *db,
               const char  *column,
               Progress    *progress,
               GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM col LIMIT 1", column);
  g_autoptr(sqlite3_stmt) stmt = prepare (db, sql, "col", progress, error);
  const char *text;
  int rc;

  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return g_strdup ("");
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (db, "col", progress, error);
      return NULL;
    }

  text = (const char *) sqlite3_column_text (stmt, 0);
  return g_strdup (text ? text : "");
}

static JsonObject *
parse_json_object (const char *text,
                   JsonParser *parser)
{
  JsonNode *root;

  if (text == NULL || *text == '\0')
    return NULL;
  if (!rh_json_parser_load (parser, text, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_get_object (root);
}

static gboolean
load_decks_json (sqlite3     *db,
                 GHashTable  *decks,
                 Progress    *progress,
                 GError     **error)
{
  g_autofree char *text = read_col_text (db, "decks", progress, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (text == NULL)
    return FALSE;

  object = parse_json_object (text, parser);
  if (object == NULL)
    {
      set_not_apkg (error, _("its deck list cannot be read"));
      return FALSE;
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *deck;
      JsonNode *name_node;
      gint64 id;
      char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      deck = json_node_get_object (node);

      name_node = json_object_get_member (deck, "name");
      if (name_node == NULL || json_node_get_value_type (name_node) != G_TYPE_STRING)
        continue;

      /* The key is the id as text; "id" inside is the same number. */
      id = g_ascii_strtoll (key, NULL, 10);
      if (json_object_has_member (deck, "id") &&
          json_node_get_value_type (json_object_get_member (deck, "id")) == G_TYPE_INT64)
        id = json_object_get_int_member (deck, "id");

      name = native_deck_name (json_node_get_string (name_node));
      if (name != NULL)
        g_hash_table_insert (decks, g_memdup2 (&id, sizeof id), name);
    }

  return TRUE;
}

/* The scheduler version decides what revlog eases mean; Anki treats a
 * collection that never recorded one as version 1. */
static int
read_scheduler_version (sqlite3  *db,
                        gboolean  has_config_table,
                        Progress *progress)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *conf = NULL;
  JsonObject *object;

  if (has_config_table)
    {
      g_autoptr(sqlite3_stmt) stmt =
        prepare (db, "SELECT CAST(val AS TEXT) FROM config WHERE key = 'schedVer'", "config",
                 progress, NULL);

      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *val = (const char *) sqlite3_column_text (stmt, 0);
          gint64 version = val ? g_ascii_strtoll (val, NULL, 10) : 0;

          if (version > 0)
            return (int) version;
        }
    }

  conf = read_col_text (db, "conf", progress, NULL);
  object = parse_json_object (conf, parser);
  if (object != NULL && json_object_has_member (object, "schedVer") &&
      json_node_get_value_type (json_object_get_member (object, "schedVer")) == G_TYPE_INT64)
    return (int) json_object_get_int_member (object, "schedVer");

  return 1;
}

/* revlog.type: 0 learn, 1 review, 2 relearn, 3 filtered/cram, 4 manual,
 * 5 rescheduled. Returns 0 for entries that are not answers. */
static int
rating_for_revlog (int ease,
                   int type,
                   int scheduler_version)
{
  if (ease < 1 || ease > 4 || type == 4 || type == 5)
    return 0;

  /* The v1 scheduler showed three buttons (Again, Good, Easy) while
   * learning or relearning, and logged them as 1, 2, 3. */
  if (scheduler_version == 1 && (type == 0 || type == 2))
    {
      if (ease == 2)
        return 3;
      if (ease == 3)
        return 4;
      if (ease == 4)
        return 0;
    }

  return ease;
}

static void
free_review_array (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

static gboolean
load_reviews (sqlite3     *db,
              GHashTable  *reviews,
              int          scheduler_version,
              Progress    *progress,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (db, "SELECT id, cid, ease, time, type FROM revlog ORDER BY cid, id", "revlog",
             progress, error);
  GArray *current = NULL;
  gint64 current_cid = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RhImportReview review;
      gint64 id_ms = sqlite3_column_int64 (stmt, 0);
      gint64 cid = sqlite3_column_int64 (stmt, 1);
      int rating = rating_for_revlog (sqlite3_column_int (stmt, 2), sqlite3_column_int (stmt, 4),
                                      scheduler_version);

      /* The id is when the answer was given; one that is no time Anki
       * could have written cannot be placed among the others. */
      if (rating == 0 || id_ms < MIN_PLAUSIBLE_MS || id_ms >= MAX_PLAUSIBLE_MS)
        continue;

      if (current == NULL || cid != current_cid)
        {
          current = g_array_new (FALSE, FALSE, sizeof (RhImportReview));
          current_cid = cid;
          g_hash_table_insert (reviews, g_memdup2 (&cid, sizeof cid), current);
        }

      review.time_us = id_ms * 1000;
      review.rating = rating;
      review.duration_ms = MAX (0, sqlite3_column_int64 (stmt, 3));
      g_array_append_val (current, review);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (db, "revlog", progress, error);
      return FALSE;
    }

  return TRUE;
}

/* Rewrites cloze deletions "{{cN::text::hint}}": deletion @number becomes
 * "[hint]" or "[...]" unless @reveal, every other one shows its text. */
static char *
render_cloze (const char *text,
              int         number,
              gboolean    reveal)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  for (;;)
    {
      const char *open = strstr (p, "{{c");
      const char *q;
      const char *close;
      const char *body;
      const char *hint;
      gint64 n = 0;

      if (open == NULL)
        break;

      q = open + 3;
      while (g_ascii_isdigit (*q) && n < 10000)
        n = n * 10 + (*q++ - '0');
      close = (q > open + 3 && strncmp (q, "::", 2) == 0) ? strstr (q + 2, "}}") : NULL;
      if (close == NULL)
        {
          g_string_append_len (out, p, open + 3 - p);
          p = open + 3;
          continue;
        }

      g_string_append_len (out, p, open - p);
      body = q + 2;
      hint = g_strstr_len (body, close - body, "::");

      if (n == number && !reveal)
        {
          g_string_append_c (out, '[');
          if (hint != NULL && hint + 2 < close)
            g_string_append_len (out, hint + 2, close - (hint + 2));
          else
            g_string_append (out, "...");
          g_string_append_c (out, ']');
        }
      else
        g_string_append_len (out, body, (hint ? hint : close) - body);

      p = close + 2;
    }

  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static gboolean
has_cloze (const char *text,
           int         number)
{
  g_autofree char *marker = g_strdup_printf ("{{c%d::", number);

  return strstr (text, marker) != NULL;
}

static char *
text_or_null (const char *html)
{
  char *text = rh_html_to_text (html);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* Fields beyond the two shown become notes, so nothing is lost. */
static char *
join_other_fields (char   **fields,
                   guint    n_fields,
                   guint    first)
{
  g_autoptr(GString) notes = g_string_new (NULL);

  for (guint i = first; i < n_fields; i++)
    {
      g_autofree char *text = text_or_null (fields[i]);

      if (text == NULL)
        continue;
      if (notes->len > 0)
        g_string_append_c (notes, '\n');
      g_string_append (notes, text);
    }

  return notes->len > 0 ? g_string_free (g_steal_pointer (&notes), FALSE) : NULL;
}

/* Fills in front, back and notes for template @ord of a note:
 *  - a cloze deletion numbered ord + 1 in the first field: the cloze
 *    front and revealed back, the other fields as notes;
 *  - template 1 of a note with no such cloze: the reverse card, second
 *    field in front;
 *  - any other template: first field in front, second on the back. */
static void
fill_card_text (RhImportCard  *card,
                char         **fields,
                guint          n_fields,
                int            ord)
{
  /* Image occlusion notes are cloze notes over shapes on a picture, with
   * no text to learn; leaving the sides empty gets them skipped. */
  if (strstr (fields[0], "{{c") != NULL && strstr (fields[0], "image-occlusion:") != NULL)
    return;

  if (ord >= 0 && ord < 10000 && has_cloze (fields[0], ord + 1))
    {
      g_autofree char *front = render_cloze (fields[0], ord + 1, FALSE);
      g_autofree char *back = render_cloze (fields[0], ord + 1, TRUE);

      card->front = text_or_null (front);
      card->back = text_or_null (back);
      card->notes = join_other_fields (fields, n_fields, 1);
      return;
    }

  if (ord == 1)
    {
      card->front = text_or_null (fields[1]);
      card->back = text_or_null (fields[0]);
    }
  else
    {
      card->front = text_or_null (fields[0]);
      card->back = text_or_null (fields[1]);
    }
  card->notes = join_other_fields (fields, n_fields, 2);
}

static gboolean
read_cards (sqlite3       *db,
            RhImportData  *data,
            GHashTable    *decks,
            GHashTable    *reviews,
            Progress      *progress,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) count_stmt = prepare (db, "SELECT count(*) FROM cards", "cards",
                                                progress, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 total = 0;
  gint64 done = 0;
  gint64 last_nid = 0;
  guint note_index = 0;
  int rc;

  if (count_stmt == NULL)
    return FALSE;
  if (sqlite3_step (count_stmt) == SQLITE_ROW)
    total = sqlite3_column_int64 (count_stmt, 0);

  stmt = prepare (db,
                  "SELECT c.id, c.nid, c.did, c.odid, c.ord, n.flds, n.tags "
                  "FROM cards AS c JOIN notes AS n ON n.id = c.nid "
                  "ORDER BY c.nid, c.ord, c.id",
                  "cards", progress, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RhImportCard) card = NULL;
      g_auto(GStrv) fields = NULL;
      gint64 cid = sqlite3_column_int64 (stmt, 0);
      gint64 nid = sqlite3_column_int64 (stmt, 1);
      gint64 did = sqlite3_column_int64 (stmt, 2);
      gint64 odid = sqlite3_column_int64 (stmt, 3);
      int ord = sqlite3_column_int (stmt, 4);
      const char *flds = (const char *) sqlite3_column_text (stmt, 5);
      const char *tags = (const char *) sqlite3_column_text (stmt, 6);
      g_autofree char *valid_tags = NULL;
      const char *deck_name;
      gpointer key = NULL;
      gpointer value = NULL;
      guint n_fields;

      if (note_index == 0 || nid != last_nid)
        {
          note_index++;
          last_nid = nid;
        }

      fields = g_strsplit (flds ? flds : "", "\x1f", -1);
      n_fields = g_strv_length (fields);
      if (n_fields < 2)
        {
          /* the number is formatted apart: a G_GINT64_FORMAT in the
           * message would hide it from translators */
          g_autofree char *note = g_strdup_printf ("%" G_GINT64_FORMAT, nid);

          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD,
                       _("Note %s has fewer than two fields"), note);
          return FALSE;
        }

      card = rh_import_card_new ();
      card->source_line = note_index;
      fill_card_text (card, fields, n_fields, ord);

      /* A card in a filtered deck lives in its home deck (odid). */
      deck_name = odid != 0 ? g_hash_table_lookup (decks, &odid) : NULL;
      if (deck_name == NULL)
        deck_name = g_hash_table_lookup (decks, &did);
      card->deck_name = g_strdup (deck_name);

      g_strfreev (card->tags);
      /* repaired, as the deck names are */
      if (tags != NULL && !g_utf8_validate (tags, -1, NULL))
        tags = valid_tags = g_utf8_make_valid (tags, -1);
      card->tags = rh_import_split_tags (tags, -1);

      if (nid >= MIN_PLAUSIBLE_MS && nid < MAX_PLAUSIBLE_MS)
        card->created_us = nid * 1000;

      if (g_hash_table_steal_extended (reviews, &cid, &key, &value))
        {
          g_free (key);
          g_array_unref (card->reviews);
          card->reviews = value;
        }

      done++;
      if (done % 256 == 0)
        {
          if (check_cancelled (progress, error))
            return FALSE;
          if (total > 0)
            progress_report (progress, EXTRACT_SHARE + (1.0 - EXTRACT_SHARE) * done / total);
        }

      /* Image- or sound-only sides leave nothing to show as text. */
      if (card->front == NULL || card->back == NULL)
        {
          g_debug ("Skipping card %" G_GINT64_FORMAT " of note %" G_GINT64_FORMAT
                   ": a side has no text", cid, nid);
          data->skipped_cards++;
          continue;
        }

      rh_import_data_take_card (data, g_steal_pointer (&card));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (db, "cards", progress, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_tables (sqlite3     *db,
              gboolean    *has_decks_table,
              gboolean    *has_config_table,
              gboolean    *has_revlog,
              Progress    *progress,
              GError     **error)
{
  static const char * const required[] = { "notes", "cards" };
  gboolean has_col = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      gboolean found = FALSE;

      if (!has_table (db, required[i], &found, progress, error))
        return FALSE;
      if (!found)
        {
          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED,
                       _("Not an Anki collection: it has no “%s” table"), required[i]);
          return FALSE;
        }
    }

  if (!has_table (db, "decks", has_decks_table, progress, error) ||
      !has_table (db, "config", has_config_table, progress, error) ||
      !has_table (db, "revlog", has_revlog, progress, error) ||
      !has_table (db, "col", &has_col, progress, error))
    return FALSE;

  if (!*has_decks_table && !has_col)
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED,
                   _("Not an Anki collection: it has no “%s” table"), "col");
      return FALSE;
    }

  /* Preparing fails on a missing column, which names the table at fault
   * better than the later join would. */
  {
    g_autoptr(sqlite3_stmt) notes =
      prepare (db, "SELECT id, flds, tags FROM notes LIMIT 0", "notes", progress, error);
    g_autoptr(sqlite3_stmt) cards = NULL;

    if (notes == NULL)
      return FALSE;
    cards = prepare (db, "SELECT id, nid, did, odid, ord FROM cards LIMIT 0", "cards", progress,
                     error);
    if (cards == NULL)
      return FALSE;
  }

  return TRUE;
}

static RhImportData *
read_database (const char  *db_path,
               Progress    *progress,
               GError     **error)
{
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GHashTable) decks = NULL;
  g_autoptr(GHashTable) reviews = NULL;
  sqlite3 *db = NULL;
  gboolean has_decks_table = FALSE;
  gboolean has_config_table = FALSE;
  gboolean has_revlog = FALSE;
  gboolean ok = FALSE;
  int scheduler_version;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_not_apkg (error, db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }

  /* The file comes from elsewhere: do not let its schema run anything
   * clever, and let cancellation interrupt long queries. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  if (progress->cancellable != NULL)
    sqlite3_progress_handler (db, 10000, sqlite_progress_cb, progress->cancellable);

  decks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  reviews = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_review_array);
  data = rh_import_data_new ();

  if (!check_tables (db, &has_decks_table, &has_config_table, &has_revlog, progress, error))
    goto out;

  if (has_decks_table ? !load_decks_table (db, decks, progress, error)
                      : !load_decks_json (db, decks, progress, error))
    goto out;

  scheduler_version = read_scheduler_version (db, has_config_table, progress);

  if (has_revlog && !load_reviews (db, reviews, scheduler_version, progress, error))
    goto out;

  if (!read_cards (db, data, decks, reviews, progress, error))
    goto out;

  ok = TRUE;

out:
  sqlite3_close (db);
  return ok ? g_steal_pointer (&data) : NULL;
}

/**
 * rh_apkg_read_file:
 * @path: an Anki package (.apkg or .colpkg) in the file system's encoding
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called now and then with the share done
 * @progress_data: data for @progress
 * @error: return location for a #RH_IMPORT_ERROR
 *
 * Reads the cards of an Anki package, one per Anki card, ordered by note
 * and template, with their home deck, tags and review history. Fields are
 * reduced from HTML to text. Cards a side of which has no text left (only
 * an image, say) are counted in skipped_cards rather than imported. The
 * collection is unpacked into a private temporary directory that is
 * removed before returning.
 *
 * Returns: (transfer full): the cards, or %NULL with @error set
 */
RhImportData *
rh_apkg_read_file (const char            *path,
                   GCancellable          *cancellable,
                   RhImportProgressFunc   progress,
                   gpointer               progress_data,
                   GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  RhImportData *data = NULL;
  Progress p = { cancellable, progress, progress_data, -1.0 };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (check_cancelled (&p, error))
    return NULL;

  dir = g_dir_make_tmp ("rehearse-apkg-XXXXXX", &local_error);
  if (dir == NULL)
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not make a temporary folder: %s"), local_error->message);
      return NULL;
    }

  db_path = extract_collection (path, dir, &p, error);
  if (db_path != NULL && !check_cancelled (&p, error) && prepare_database_file (db_path, error))
    data = read_database (db_path, &p, error);

  remove_temp_dir (dir);

  /* Small collections finish between the periodic checks. */
  if (data != NULL && check_cancelled (&p, error))
    g_clear_pointer (&data, rh_import_data_free);

  if (data != NULL)
    progress_report (&p, 1.0);

  return data;
}
