// SPDX-License-Identifier: GPL-3.0-or-later
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rh-domain-error.h"
#include "rh-sqlite-card-repository.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-deck-repository.h"
#include "rh-sqlite-review-repository.h"
#include "rh-sqlite-schema.h"
#include "rh-sqlite-session-repository.h"
#include "rh-sqlite-user-repository.h"
#include "rh-store.h"

#define DECK_ID   "01900000-0000-7000-8000-00000000d001"
#define CARD_ID   "01900000-0000-7000-8000-00000000c001"
#define BURIED_ID "01900000-0000-7000-8000-00000000c002"
#define REVIEW_ID "01900000-0000-7000-8000-00000000e001"

/* Rows as the first release wrote them: valid in every later version,
 * since the steps only ever add. */
static const char v1_rows[] =
  "INSERT INTO decks (id, name, name_key, created, modified, name_hlc, pending)"
  "  VALUES ('" DECK_ID "', 'Old deck', 'old deck', 10, 20, 'h-deck', 0);"
  "INSERT INTO cards (id, deck_id, front, back, notes, example, tags, created, modified,"
  "  front_hlc, back_hlc, notes_hlc, example_hlc, tags_hlc, deck_hlc, pending,"
  "  state, step, stability, difficulty, due, last_review, reps, lapses, scheduled_days)"
  "  VALUES ('" CARD_ID "', '" DECK_ID "', 'Ancient word', 'altes Wort', 'from v1', NULL,"
  "  'legacy old', 30, 40, 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 0,"
  "  2, 0, 3.5, 5.25, 1000, 500, 4, 1, 3);"
  "INSERT INTO cards (id, deck_id, front, back, created, modified, front_hlc, back_hlc,"
  "  notes_hlc, example_hlc, tags_hlc, deck_hlc, deleted, deleted_hlc, due)"
  "  VALUES ('" BURIED_ID "', '" DECK_ID "', 'Buried word', 'begraben', 50, 50,"
  "  'h', 'h', 'h', 'h', 'h', 'h', 1, 'h-gone', 50);"
  "INSERT INTO reviews (id, card_id, rating, time, duration_ms, state_before, hlc)"
  "  VALUES ('" REVIEW_ID "', '" CARD_ID "', 3, 500, 1200, 2, 'h-review');"
  "INSERT INTO profile (slot, user_id, email, display_name, new_cards_per_day,"
  "  desired_retention) VALUES (1, 'local', NULL, 'Old me', 12, 0.87);";

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (dir);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rehearse-migrations-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "collection.rehearse", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static RhSqliteDatabase *
open_at (Fixture *f,
         int      version)
{
  g_autoptr(GError) error = NULL;
  RhSqliteDatabase *db = rh_sqlite_database_open_at_version (f->path, version, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static gboolean
has_object (RhSqliteDatabase *db,
            const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (db, "SELECT 1 FROM sqlite_schema WHERE name = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
has_column (RhSqliteDatabase *db,
            const char       *table,
            const char       *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (db, "SELECT 1 FROM pragma_table_info (?1) WHERE name = ?2",
                                     &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static int
file_version (RhSqliteDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (db, "PRAGMA user_version",
                                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static char *
schema_text (RhSqliteDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  stmt = rh_sqlite_database_prepare (db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name",
                                     &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s %s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What each version has, and what it does not have yet. */
static void
assert_shape (RhSqliteDatabase *db,
              int               version)
{
  g_assert_cmpint (rh_sqlite_database_get_schema_version (db), ==, version);
  g_assert_cmpint (file_version (db), ==, version);

  g_assert_true (has_object (db, "meta"));
  g_assert_true (has_object (db, "decks"));
  g_assert_true (has_object (db, "cards"));
  g_assert_true (has_object (db, "reviews"));
  g_assert_true (has_object (db, "profile"));
  g_assert_true (has_object (db, "reviews_append_only"));
  g_assert_true (has_object (db, "cards_deck_counts"));

  g_assert_cmpint (has_object (db, "cards_fts"), ==, version >= 2);
  g_assert_cmpint (has_object (db, "cards_fts_update"), ==, version >= 2);

  g_assert_cmpint (has_object (db, "sessions"), ==, version >= 3);
  g_assert_cmpint (has_object (db, "scenarios"), ==, version >= 3);
  g_assert_cmpint (has_object (db, "last_answer"), ==, version >= 3);
  g_assert_cmpint (has_column (db, "reviews", "session_id"), ==, version >= 3);
  g_assert_cmpint (has_column (db, "profile", "reviews_per_day"), ==, version >= 3);

  g_assert_cmpint (has_object (db, "cards_fts_insert"), ==, version == 2 || version == 3);

  g_assert_cmpint (has_object (db, "scenario_turn_results"), ==, version >= 5);
  g_assert_cmpint (has_object (db, "scenario_phrase_cards"), ==, version >= 5);
  g_assert_cmpint (has_object (db, "scenario_phrase_cards_card"), ==, version >= 5);
  g_assert_cmpint (has_object (db, "sessions_scenario"), ==, version >= 5);

  g_assert_cmpint (has_object (db, "sync_state"), ==, version >= 6);
  g_assert_cmpint (has_object (db, "sync_rebuild"), ==, version >= 6);
  g_assert_cmpint (has_object (db, "decks_revive"), ==, version >= 6);
  g_assert_cmpint (has_object (db, "scenarios_revive"), ==, version >= 6);
}

/* The v1 rows, read back through the repositories of the latest schema. */
static void
assert_v1_rows_survived (RhSqliteDatabase *db,
                         gboolean          indexed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeckRepository) decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (db));
  g_autoptr(RhCardRepository) cards = RH_CARD_REPOSITORY (rh_sqlite_card_repository_new (db));
  g_autoptr(RhReviewRepository) reviews =
    RH_REVIEW_REPOSITORY (rh_sqlite_review_repository_new (db));
  g_autoptr(RhUserRepository) users = RH_USER_REPOSITORY (rh_sqlite_user_repository_new (db));
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhFlashcard) buried = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RhUser) user = NULL;
  const RhCardState *state;
  RhCardQuery query = { "ancient", NULL, RH_CARD_SORT_CREATED, FALSE };
  RhReview *review;
  guint count = 0;

  deck = rh_deck_repository_get (decks, DECK_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_deck_get_name (deck), ==, "Old deck");
  g_assert_cmpint (rh_deck_get_created (deck), ==, 10);
  g_clear_object (&deck);
  deck = rh_deck_repository_find_by_name (decks, "OLD DECK", &error);
  g_assert_no_error (error);
  g_assert_nonnull (deck);

  card = rh_card_repository_get (cards, CARD_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_front (card), ==, "Ancient word");
  g_assert_cmpstr (rh_flashcard_get_back (card), ==, "altes Wort");
  g_assert_cmpstr (rh_flashcard_get_notes (card), ==, "from v1");
  g_assert_null (rh_flashcard_get_example (card));
  g_assert_cmpstr (rh_flashcard_get_tags (card)[0], ==, "legacy");
  g_assert_cmpstr (rh_flashcard_get_tags (card)[1], ==, "old");
  g_assert_cmpint (rh_flashcard_get_created (card), ==, 30);
  g_assert_cmpint (rh_flashcard_get_modified (card), ==, 40);
  state = rh_flashcard_get_state (card);
  g_assert_cmpint (state->state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpfloat (state->stability, ==, 3.5);
  g_assert_cmpfloat (state->difficulty, ==, 5.25);
  g_assert_cmpint (state->due_us, ==, 1000);
  g_assert_cmpint (state->reps, ==, 4);
  g_assert_cmpint (state->scheduled_days, ==, 3);

  buried = rh_card_repository_get (cards, BURIED_ID, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The search index was built from the live cards that were there.
   * From version 4 the store indexes the cards it writes, so rows put in
   * with plain SQL at version 4 or later are not in the index. */
  g_assert_true (rh_card_repository_count (cards, &query, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, indexed ? 1 : 0);
  query.text = "legacy";
  g_assert_true (rh_card_repository_count (cards, &query, &count, &error));
  g_assert_cmpuint (count, ==, indexed ? 1 : 0);
  query.text = "buried";
  g_assert_true (rh_card_repository_count (cards, &query, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (db, "SELECT count(*) FROM cards_fts"
                                           " WHERE cards_fts MATCH 'buried OR ancient'", &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, indexed ? 1 : 0);
  }

  list = rh_review_repository_list_for_card (reviews, CARD_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  review = g_ptr_array_index (list, 0);
  g_assert_cmpstr (rh_review_get_id (review), ==, REVIEW_ID);
  g_assert_cmpint (rh_review_get_rating (review), ==, RH_RATING_GOOD);
  g_assert_cmpint (rh_review_get_time (review), ==, 500);
  g_assert_cmpint (rh_review_get_duration_ms (review), ==, 1200);
  g_assert_cmpint (rh_review_get_state_before (review), ==, RH_CARD_STATE_REVIEW);
  g_assert_null (rh_review_get_session_id (review));

  user = rh_user_repository_get (users, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_user_get_id (user), ==, "local");
  g_assert_cmpstr (rh_user_get_display_name (user), ==, "Old me");
  g_assert_cmpint (rh_user_get_new_cards_per_day (user), ==, 12);
  g_assert_cmpint (rh_user_get_reviews_per_day (user), ==, 200);
  g_assert_cmpfloat (rh_user_get_desired_retention (user), ==, 0.87);

  /* The log is still append-only, now with its new column too. */
  g_assert_false (rh_sqlite_database_exec (db, "UPDATE reviews SET rating = 1", &error));
  g_clear_error (&error);
  g_assert_false (rh_sqlite_database_exec (db, "UPDATE reviews SET session_id = 'x'", &error));
  g_clear_error (&error);
}

static void
test_each_earlier_version (Fixture       *f,
                           gconstpointer  data)
{
  int latest = rh_sqlite_database_latest_version ();

  g_assert_cmpint (latest, >=, 3);

  for (int version = 1; version < latest; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *device = NULL;

      g_test_message ("from version %d", version);
      remove_dir (f->dir);
      g_assert_cmpint (g_mkdir (f->dir, 0700), ==, 0);

      {
        g_autoptr(RhSqliteDatabase) old = open_at (f, version);

        assert_shape (old, version);
        g_assert_true (rh_sqlite_database_exec (old, v1_rows, &error));
        g_assert_no_error (error);
        device = g_strdup (rh_sqlite_database_get_device_id (old));
      }

      {
        g_autoptr(RhSqliteDatabase) db = rh_sqlite_database_open (f->path, &error);

        g_assert_no_error (error);
        assert_shape (db, latest);
        g_assert_cmpstr (rh_sqlite_database_get_device_id (db), ==, device);
        assert_v1_rows_survived (db, version < 4);
      }
    }
}

/* Each version from the one before, one open at a time. */
static void
test_step_by_step (Fixture       *f,
                   gconstpointer  data)
{
  int latest = rh_sqlite_database_latest_version ();
  guint n_steps;
  const RhSqliteMigration *steps = rh_sqlite_schema_get_migrations (&n_steps);

  g_assert_cmpuint (n_steps, ==, (guint) latest);
  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(RhSqliteDatabase) db = NULL;

      g_assert_cmpint (steps[i].version, ==, (int) i + 1);
      g_assert_nonnull (steps[i].summary);
      db = open_at (f, steps[i].version);
      assert_shape (db, steps[i].version);
      if (i == 0)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (rh_sqlite_database_exec (db, v1_rows, &error));
          g_assert_no_error (error);
        }
    }

  {
    g_autoptr(RhSqliteDatabase) db = open_at (f, latest);

    assert_v1_rows_survived (db, TRUE);
  }

  /* Never downwards. */
  {
    g_autoptr(RhSqliteDatabase) db = open_at (f, 1);

    assert_shape (db, latest);
  }
}

static void
test_empty_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteDatabase) db = NULL;
  g_autoptr(RhSqliteDatabase) memory = NULL;

  g_assert_true (g_file_set_contents (f->path, "", 0, &error));
  db = rh_sqlite_database_open (f->path, &error);
  g_assert_no_error (error);
  assert_shape (db, rh_sqlite_database_latest_version ());
  g_assert_nonnull (rh_sqlite_database_get_device_id (db));

  /* A file that is not there yet, in a folder that is not there yet. */
  g_clear_object (&db);
  g_unlink (f->path);
  {
    g_autofree char *nested = g_build_filename (f->dir, "sub", "new.rehearse", NULL);
    g_autofree char *sub = g_path_get_dirname (nested);

    db = rh_sqlite_database_open (nested, &error);
    g_assert_no_error (error);
    assert_shape (db, rh_sqlite_database_latest_version ());
    g_clear_object (&db);
    remove_dir (sub);
  }

  memory = rh_sqlite_database_open (":memory:", &error);
  g_assert_no_error (error);
  assert_shape (memory, rh_sqlite_database_latest_version ());
}

/* A step that fails leaves the collection as the step before left it. */
static void
test_failed_step_rolls_back (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteDatabase) db = NULL;

  {
    g_autoptr(RhSqliteDatabase) old = open_at (f, 2);

    g_assert_true (rh_sqlite_database_exec (old, v1_rows, &error));
    /* Step 3 adds columns, then creates this table: it will fail half-way. */
    g_assert_true (rh_sqlite_database_exec (old, "CREATE TABLE sessions (x)", &error));
    g_assert_no_error (error);
  }

  db = rh_sqlite_database_open (f->path, &error);
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_null (db);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  db = open_at (f, 2);
  g_assert_cmpint (file_version (db), ==, 2);
  g_assert_false (has_column (db, "reviews", "session_id"));
  g_assert_false (has_column (db, "profile", "reviews_per_day"));
  g_assert_false (has_object (db, "reviews_session"));
  g_assert_false (has_object (db, "scenarios"));
  g_assert_true (has_object (db, "reviews_append_only"));
  g_assert_true (has_object (db, "cards_fts"));

  /* Once the obstacle is gone, the upgrade goes through. */
  g_assert_true (rh_sqlite_database_exec (db, "DROP TABLE sessions", &error));
  g_assert_no_error (error);
  g_clear_object (&db);
  db = rh_sqlite_database_open (f->path, &error);
  g_assert_no_error (error);
  assert_shape (db, rh_sqlite_database_latest_version ());
  assert_v1_rows_survived (db, TRUE);
}

static void
test_reopen_is_idempotent (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *device = NULL;
  g_autofree char *deck_id = NULL;

  {
    g_autoptr(RhSqliteDatabase) db = rh_sqlite_database_open (f->path, &error);
    g_autoptr(RhDeckRepository) decks = NULL;
    g_autoptr(RhDeck) deck = rh_deck_new ("Kept", &error);

    g_assert_no_error (error);
    decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (db));
    g_assert_true (rh_deck_repository_save (decks, deck, &error));
    g_assert_no_error (error);
    deck_id = g_strdup (rh_deck_get_id (deck));
    schema = schema_text (db);
    device = g_strdup (rh_sqlite_database_get_device_id (db));
  }

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RhSqliteDatabase) db = rh_sqlite_database_open (f->path, &error);
      g_autoptr(RhDeckRepository) decks = NULL;
      g_autoptr(RhDeck) deck = NULL;
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      assert_shape (db, rh_sqlite_database_latest_version ());
      again = schema_text (db);
      g_assert_cmpstr (again, ==, schema);
      g_assert_cmpstr (rh_sqlite_database_get_device_id (db), ==, device);
      decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (db));
      deck = rh_deck_repository_get (decks, deck_id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (rh_deck_get_name (deck), ==, "Kept");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sqlite/migrations/each-earlier-version", test_each_earlier_version);
  ADD ("/sqlite/migrations/step-by-step", test_step_by_step);
  ADD ("/sqlite/migrations/empty-file", test_empty_file);
  ADD ("/sqlite/migrations/failed-step-rolls-back", test_failed_step_rolls_back);
  ADD ("/sqlite/migrations/reopen-is-idempotent", test_reopen_is_idempotent);

  return g_test_run ();
}
