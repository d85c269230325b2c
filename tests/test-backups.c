// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>
#include <time.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "rh-backups.h"
#include "rh-test-util.h"

static guint
count_cards (RhFixture *f)
{
  RhCardQuery q = { 0 };
  guint n = 0;

  g_assert_true (rh_collection_count_cards (f->collection, &q, &n, NULL));
  return n;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static goffset
file_size (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  g_assert_nonnull (info);
  return g_file_info_get_size (info);
}

/* A backup of a collection with @n cards in it; the collection is left
 * closed. */
static char *
backup_of_cards (RhFixture *f,
                 guint      n)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Words");
  g_autoptr(GError) error = NULL;
  char *backup;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *front = g_strdup_printf ("word %u", i);
      g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, front, "a meaning");
    }
  backup = rh_backups_run_daily (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_clear_object (&f->collection);
  return backup;
}

static void
test_daily_and_keep (RhFixture     *f,
                     gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;

  first = rh_backups_run_daily (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  /* compressed, and nothing half-made left beside it */
  g_assert_true (g_str_has_suffix (first, ".backup.rehearse.zst"));
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* once a day */
  again = rh_backups_run_daily (f->collection, dir, f->now + RH_USEC_PER_HOUR, &error);
  g_assert_no_error (error);
  g_assert_null (again);

  for (int day = 1; day <= 20; day++)
    {
      g_autofree char *p = rh_backups_run_daily (f->collection, dir,
                                                 f->now + day * RH_USEC_PER_DAY, &error);
      g_assert_no_error (error);
      g_assert_nonnull (p);
    }

  list = rh_backups_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, RH_BACKUPS_KEEP);
  /* the oldest went first */
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));

  /* a day of many backups (restores and their undos) keeps the days
   * before: what goes is whole days, the oldest */
  {
    g_autofree char *oldest_kept = g_strdup (list->pdata[0]);
    g_autoptr(GPtrArray) after = NULL;

    for (int i = 0; i < 20; i++)
      {
        g_autofree char *p = rh_backups_make (f->collection, dir,
                                              f->now + 20 * RH_USEC_PER_DAY + i * G_USEC_PER_SEC,
                                              &error);
        g_assert_no_error (error);
      }
    after = rh_backups_list (dir, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->len, ==, RH_BACKUPS_KEEP - 1 + 21);
    g_assert_cmpstr (after->pdata[0], ==, oldest_kept);

    /* the next day, the oldest day goes */
    g_free (rh_backups_make (f->collection, dir, f->now + 21 * RH_USEC_PER_DAY, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (oldest_kept, G_FILE_TEST_EXISTS));
  }
}

static void
test_restore (RhFixture     *f,
              gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autofree char *backup = NULL;
  g_autofree char *junk = g_build_filename (f->dir, "junk.backup.rehearse", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "kept", "x");

  backup = rh_backups_run_daily (f->collection, dir, f->now, &error);
  g_assert_no_error (error);

  {
    g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, deck, "after the backup", "x");
  }
  g_assert_cmpuint (count_cards (f), ==, 2);
  g_clear_object (&f->collection);

  /* a damaged backup is refused and the collection stays as it was */
  g_assert_true (g_file_set_contents (junk, "definitely not sqlite", -1, NULL));
  g_assert_false (rh_backups_restore (f->path, junk, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 2);
  g_clear_object (&f->collection);

  g_assert_true (rh_backups_restore (f->path, backup, &error));
  g_assert_no_error (error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 1);
}

/* Two backups in the same second are two files, in the order they were
 * made: the second never replaces the first. */
static void
test_same_second (RhFixture     *f,
                  gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  first = rh_backups_make (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  second = rh_backups_make (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  list = rh_backups_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (list->pdata[0], ==, first);
  g_assert_cmpstr (list->pdata[1], ==, second);
}

/* What a backup left half made when its program stopped goes once it is
 * an hour old; a younger one may be another program's, and stays. */
static void
test_leftovers (RhFixture     *f,
                gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autofree char *old_copy = g_build_filename (dir, "20200101T000000Z.backup.rehearse.zst.copy",
                                                NULL);
  g_autofree char *old_part = g_build_filename (dir, "20200101T000000Z.backup.rehearse.zst.part",
                                                NULL);
  g_autofree char *young = g_build_filename (dir, "20200102T000000Z.backup.rehearse.zst.copy",
                                             NULL);
  g_autofree char *made = NULL;
  g_autoptr(GError) error = NULL;
  struct utimbuf hours_ago = { time (NULL) - 2 * 3600, time (NULL) - 2 * 3600 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old_copy, "half", -1, NULL));
  g_assert_true (g_file_set_contents (old_part, "half", -1, NULL));
  g_assert_true (g_file_set_contents (young, "half", -1, NULL));
  g_assert_cmpint (g_utime (old_copy, &hours_ago), ==, 0);
  g_assert_cmpint (g_utime (old_part, &hours_ago), ==, 0);

  made = rh_backups_make (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (old_copy, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_part, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (made, G_FILE_TEST_EXISTS));
}

static void
test_compressed (RhFixture     *f,
                 gconstpointer  data)
{
  g_autofree char *backup = backup_of_cards (f, 300);

  /* the collection's copy takes far less room than the collection */
  g_assert_cmpint (file_size (backup) * 3, <, file_size (f->path));
}

/* Restoring @bytes as a backup fails with an error that says so, and the
 * collection is as it was, with nothing left beside it. */
static void
assert_refused (RhFixture  *f,
                const char *name,
                const char *bytes,
                gsize       len,
                const char *before)
{
  g_autofree char *bad = g_build_filename (f->dir, name, NULL);
  g_autofree char *restoring = g_strconcat (f->path, ".restoring", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (bad, bytes, len, NULL));
  g_assert_false (rh_backups_restore (f->path, bad, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "The backup cannot be restored: "));
  g_assert_false (g_file_test (restoring, G_FILE_TEST_EXISTS));
  rh_fixture_open (f);
  after = rh_fixture_checksum (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_object (&f->collection);
}

static void
test_damaged (RhFixture     *f,
              gconstpointer  data)
{
  g_autofree char *backup = backup_of_cards (f, 50);
  g_autofree char *bytes = NULL;
  g_autofree char *flipped = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  rh_fixture_open (f);
  before = rh_fixture_checksum (f);
  g_clear_object (&f->collection);
  g_assert_true (g_file_get_contents (backup, &bytes, &len, &error));
  g_assert_no_error (error);

  /* cut short: at half, and just before the end */
  assert_refused (f, "half.backup.rehearse.zst", bytes, len / 2, before);
  assert_refused (f, "short.backup.rehearse.zst", bytes, len - 1, before);
  /* one byte changed inside: the checksum finds it */
  flipped = g_memdup2 (bytes, len);
  flipped[len / 2] ^= 0x55;
  assert_refused (f, "flipped.backup.rehearse.zst", flipped, len, before);
  /* not zstd at all */
  assert_refused (f, "text.backup.rehearse.zst", "not a backup", 12, before);
  assert_refused (f, "empty.backup.rehearse.zst", "", 0, before);

  /* the backup itself still restores */
  g_assert_true (rh_backups_restore (f->path, backup, &error));
  g_assert_no_error (error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 50);
}

/* A collection open somewhere (here: the fixture's own connection, as
 * the app would hold it) is not swapped from under it. */
static void
test_restore_while_open (RhFixture     *f,
                         gconstpointer  data)
{
  g_autofree char *backup = backup_of_cards (f, 3);
  g_autoptr(GError) error = NULL;

  rh_fixture_open (f);
  {
    g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Later");
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "added later", "x");
  }
  g_assert_false (rh_backups_restore (f->path, backup, &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, "The backup cannot be restored: "));
  g_clear_error (&error);
  /* the open collection goes on as it was */
  g_assert_cmpuint (count_cards (f), ==, 4);

  /* closed, the restore goes ahead */
  g_clear_object (&f->collection);
  g_assert_true (rh_backups_restore (f->path, backup, &error));
  g_assert_no_error (error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 3);
}

static guint
count_text (RhCollection *collection,
            const char   *text)
{
  RhCardQuery q = { .text = (char *) text };
  guint n = 0;

  g_assert_true (rh_collection_count_cards (collection, &q, &n, NULL));
  return n;
}

/* Restored into the open collection, through a connection of its own (as
 * the app's worker does): the fixture's connection, open all along, sees
 * the backup's cards, search included, and goes on working. */
static void
test_restore_into_open (RhFixture     *f,
                        gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autofree char *backup = NULL;
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.backup.rehearse.zst", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(RhCollection) worker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Words");

  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "kept", "x");
  }
  backup = rh_backups_make (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "later", "x");
  }
  g_assert_cmpuint (count_cards (f), ==, 2);

  worker = rh_composition_open (f->path, FALSE, &error);
  g_assert_no_error (error);

  /* a damaged backup changes nothing */
  before = rh_fixture_checksum (f);
  g_assert_true (g_file_set_contents (damaged, "not zstd", -1, NULL));
  g_assert_false (rh_backups_restore_into (worker, damaged, &error));
  g_assert_true (g_str_has_prefix (error->message, "The backup cannot be restored: "));
  g_clear_error (&error);
  after = rh_fixture_checksum (f);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (rh_backups_restore_into (worker, backup, &error));
  g_assert_no_error (error);
  g_clear_object (&worker);
  /* nothing of the unpacked copy is left beside the collection */
  {
    g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_null (strstr (name, "restoring"));
  }

  g_assert_cmpuint (count_cards (f), ==, 1);
  g_assert_cmpuint (count_text (f->collection, "kept"), ==, 1);
  g_assert_cmpuint (count_text (f->collection, "later"), ==, 0);
  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "after the restore", "x");
  }
  g_assert_cmpuint (count_cards (f), ==, 2);
  g_assert_cmpuint (count_text (f->collection, "restore"), ==, 1);
}

/* Backups made before they were compressed are listed and restore. */
static void
test_plain_backup (RhFixture     *f,
                   gconstpointer  data)
{
  g_autofree char *dir = rh_backups_dir_for (f->path);
  g_autofree char *plain = g_build_filename (dir, "20250101T080000Z.backup.rehearse", NULL);
  g_autofree char *compressed = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (f->path);
  g_autoptr(GFile) to = g_file_new_for_path (plain);
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Old");

  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "from before", "x");
  }
  /* closing writes everything into the file itself */
  g_clear_object (&f->collection);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  rh_fixture_open (f);
  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "since then", "x");
  }
  compressed = rh_backups_run_daily (f->collection, dir, f->now, &error);
  g_assert_no_error (error);
  list = rh_backups_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (list->pdata[0], ==, plain);
  g_assert_cmpstr (list->pdata[1], ==, compressed);
  g_clear_object (&f->collection);

  g_assert_true (rh_backups_restore (f->path, plain, &error));
  g_assert_no_error (error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 1);
  g_clear_object (&f->collection);

  g_assert_true (rh_backups_restore (f->path, compressed, &error));
  g_assert_no_error (error);
  rh_fixture_open (f);
  g_assert_cmpuint (count_cards (f), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/backups/daily-and-keep", RhFixture, NULL, rh_fixture_setup, test_daily_and_keep,
              rh_fixture_teardown);
  g_test_add ("/backups/restore", RhFixture, NULL, rh_fixture_setup, test_restore,
              rh_fixture_teardown);
  g_test_add ("/backups/same-second", RhFixture, NULL, rh_fixture_setup, test_same_second,
              rh_fixture_teardown);
  g_test_add ("/backups/leftovers", RhFixture, NULL, rh_fixture_setup, test_leftovers,
              rh_fixture_teardown);
  g_test_add ("/backups/compressed", RhFixture, NULL, rh_fixture_setup, test_compressed,
              rh_fixture_teardown);
  g_test_add ("/backups/damaged", RhFixture, NULL, rh_fixture_setup, test_damaged,
              rh_fixture_teardown);
  g_test_add ("/backups/restore-while-open", RhFixture, NULL, rh_fixture_setup,
              test_restore_while_open, rh_fixture_teardown);
  g_test_add ("/backups/restore-into-open", RhFixture, NULL, rh_fixture_setup,
              test_restore_into_open, rh_fixture_teardown);
  g_test_add ("/backups/plain", RhFixture, NULL, rh_fixture_setup, test_plain_backup,
              rh_fixture_teardown);

  return g_test_run ();
}
