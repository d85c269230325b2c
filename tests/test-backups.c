// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/backups/daily-and-keep", RhFixture, NULL, rh_fixture_setup, test_daily_and_keep,
              rh_fixture_teardown);
  g_test_add ("/backups/restore", RhFixture, NULL, rh_fixture_setup, test_restore,
              rh_fixture_teardown);

  return g_test_run ();
}
