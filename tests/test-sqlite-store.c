// SPDX-License-Identifier: GPL-3.0-or-later
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rh-domain-error.h"
#include "rh-hlc.h"
#include "rh-id.h"
#include "rh-sqlite-card-repository.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-deck-repository.h"
#include "rh-sqlite-review-repository.h"
#include "rh-sqlite-scenario-repository.h"
#include "rh-sqlite-session-repository.h"
#include "rh-sqlite-user-repository.h"
#include "rh-store.h"

typedef struct
{
  char                 *dir;
  char                 *path;
  RhSqliteDatabase     *db;
  RhDeckRepository     *decks;
  RhCardRepository     *cards;
  RhReviewRepository   *reviews;
  RhSessionRepository  *sessions;
  RhScenarioRepository *scenarios;
  RhUserRepository     *users;
} Fixture;


/* Stamps end with the device's tag: the last group of its id. */
static const char *
device_tag (RhSqliteDatabase *db)
{
  const char *id = rh_sqlite_database_get_device_id (db);

  return id + strlen (id) - 12;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static void
open_repositories (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->db = rh_sqlite_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->db);
  f->decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (f->db));
  f->cards = RH_CARD_REPOSITORY (rh_sqlite_card_repository_new (f->db));
  f->reviews = RH_REVIEW_REPOSITORY (rh_sqlite_review_repository_new (f->db));
  f->sessions = RH_SESSION_REPOSITORY (rh_sqlite_session_repository_new (f->db));
  f->scenarios = RH_SCENARIO_REPOSITORY (rh_sqlite_scenario_repository_new (f->db));
  f->users = RH_USER_REPOSITORY (rh_sqlite_user_repository_new (f->db));
}

static void
close_repositories (Fixture *f)
{
  g_clear_object (&f->decks);
  g_clear_object (&f->cards);
  g_clear_object (&f->reviews);
  g_clear_object (&f->sessions);
  g_clear_object (&f->scenarios);
  g_clear_object (&f->users);
  g_clear_object (&f->db);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rehearse-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "collection.rehearse", NULL);
  open_repositories (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_repositories (f);
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
reopen (Fixture *f)
{
  close_repositories (f);
  open_repositories (f);
}

/* Raw SQL helpers, to look at what the repositories wrote. */

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  rh_sqlite_database_exec (f->db, sql, &error);
  g_assert_no_error (error);
}

static char *
query_text (Fixture    *f,
            const char *sql,
            const char *arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (f->db, sql, &error);

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           const char *arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (f->db, sql, &error);

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static RhDeck *
make_deck (Fixture    *f,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_deck_new (name, &error);

  g_assert_no_error (error);
  rh_deck_repository_save (f->decks, deck, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&deck);
}

static RhFlashcard *
make_card_at (Fixture    *f,
              RhDeck     *deck,
              const char *front,
              const char *back,
              gint64      created_us)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rh_id_new_at (created_us);
  g_autoptr(RhFlashcard) card = NULL;

  card = rh_flashcard_new_with_id (id, rh_deck_get_id (deck), front, back, created_us, &error);
  g_assert_no_error (error);
  rh_card_repository_insert (f->cards, card, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&card);
}

static RhFlashcard *
make_card (Fixture    *f,
           RhDeck     *deck,
           const char *front,
           const char *back)
{
  return make_card_at (f, deck, front, back, g_get_real_time ());
}

static void
set_state (Fixture         *f,
           RhFlashcard     *card,
           RhCardStateKind  kind,
           gint64           due_us,
           double           stability,
           int              reps)
{
  g_autoptr(GError) error = NULL;
  RhCardState state = *rh_flashcard_get_state (card);

  state.state = kind;
  state.due_us = due_us;
  state.stability = stability;
  state.reps = reps;
  rh_card_repository_update_state (f->cards, rh_flashcard_get_id (card), &state, &error);
  g_assert_no_error (error);
  rh_flashcard_set_state (card, &state);
}

static char *
card_fronts (GPtrArray *cards)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < cards->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, rh_flashcard_get_front (g_ptr_array_index (cards, i)));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Decks */

static void
test_deck_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) spanish = make_deck (f, "Spanish");
  g_autoptr(RhDeck) other = NULL;
  g_autoptr(RhDeck) got = NULL;
  g_autoptr(RhDeck) found = NULL;
  g_autoptr(RhDeck) none = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *name_hlc = NULL;
  g_autofree char *key = NULL;
  const char *names[] = { "b deck", "A deck", "c deck" };

  got = rh_deck_repository_get (f->decks, rh_deck_get_id (spanish), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_deck_get_id (got), ==, rh_deck_get_id (spanish));
  g_assert_cmpstr (rh_deck_get_name (got), ==, "Spanish");
  g_assert_cmpint (rh_deck_get_created (got), ==, rh_deck_get_created (spanish));
  g_assert_cmpint (rh_deck_get_modified (got), ==, rh_deck_get_modified (spanish));

  /* The sync-facing columns of a new row. */
  name_hlc = query_text (f, "SELECT name_hlc FROM decks WHERE id = ?1", rh_deck_get_id (spanish));
  g_assert_nonnull (name_hlc);
  g_assert_true (g_str_has_suffix (name_hlc, device_tag (f->db)));
  g_assert_cmpint (query_int (f, "SELECT pending FROM decks WHERE id = ?1",
                              rh_deck_get_id (spanish)), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT deleted FROM decks WHERE id = ?1",
                              rh_deck_get_id (spanish)), ==, 0);
  key = query_text (f, "SELECT name_key FROM decks WHERE id = ?1", rh_deck_get_id (spanish));
  g_assert_cmpstr (key, ==, "spanish");

  found = rh_deck_repository_find_by_name (f->decks, "  SPANISH ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (rh_deck_get_id (found), ==, rh_deck_get_id (spanish));

  none = rh_deck_repository_find_by_name (f->decks, "French", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  none = rh_deck_repository_find_by_name (f->decks, "", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* Unique without regard to case. */
  other = rh_deck_new ("sPANISH", &error);
  g_assert_no_error (error);
  g_assert_false (rh_deck_repository_save (f->decks, other, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "sPANISH"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_unref (make_deck (f, names[i]));

  list = rh_deck_repository_list (f->decks, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpstr (rh_deck_get_name (g_ptr_array_index (list, 0)), ==, "A deck");
  g_assert_cmpstr (rh_deck_get_name (g_ptr_array_index (list, 1)), ==, "b deck");
  g_assert_cmpstr (rh_deck_get_name (g_ptr_array_index (list, 2)), ==, "c deck");
  g_assert_cmpstr (rh_deck_get_name (g_ptr_array_index (list, 3)), ==, "Spanish");

  g_clear_object (&got);
  got = rh_deck_repository_get (f->decks, "01900000-0000-7000-8000-000000000000", &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
}

static void
test_deck_stamps (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Verbs");
  g_autoptr(RhDeck) other = make_deck (f, "Nouns");
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *clock = NULL;
  const char *id = rh_deck_get_id (deck);
  gint64 modified;

  exec (f, "UPDATE decks SET pending = 0");
  first = query_text (f, "SELECT name_hlc FROM decks WHERE id = ?1", id);
  modified = query_int (f, "SELECT modified FROM decks WHERE id = ?1", id);
  clock = rh_sqlite_database_get_meta (f->db, "clock");

  /* Saving what is stored writes nothing, not even a clock tick. */
  g_assert_true (rh_deck_repository_save (f->decks, deck, &error));
  g_assert_no_error (error);
  again = query_text (f, "SELECT name_hlc FROM decks WHERE id = ?1", id);
  g_assert_cmpstr (again, ==, first);
  g_assert_cmpint (query_int (f, "SELECT pending FROM decks WHERE id = ?1", id), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT modified FROM decks WHERE id = ?1", id), ==, modified);
  g_free (again);
  again = rh_sqlite_database_get_meta (f->db, "clock");
  g_assert_cmpstr (again, ==, clock);

  g_assert_true (rh_deck_set_name (deck, "Irregular verbs", &error));
  g_assert_true (rh_deck_repository_save (f->decks, deck, &error));
  g_assert_no_error (error);
  renamed = query_text (f, "SELECT name_hlc FROM decks WHERE id = ?1", id);
  g_assert_cmpstr (renamed, >, first);
  g_assert_cmpint (query_int (f, "SELECT pending FROM decks WHERE id = ?1", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM decks WHERE id = ?1",
                              rh_deck_get_id (other)), ==, 0);

  /* A rename onto another deck's name is refused and changes nothing. */
  g_assert_true (rh_deck_set_name (deck, "NOUNS", &error));
  g_assert_false (rh_deck_repository_save (f->decks, deck, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_free (again);
  again = query_text (f, "SELECT name FROM decks WHERE id = ?1", id);
  g_assert_cmpstr (again, ==, "Irregular verbs");
}

static void
test_deck_remove (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Kitchen");
  g_autoptr(RhDeck) again = NULL;
  g_autoptr(RhDeck) got = NULL;
  g_autoptr(RhFlashcard) card = make_card (f, deck, "pot", "Topf");
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *tombstone = NULL;
  g_autofree char *revived = NULL;
  const char *id = rh_deck_get_id (deck);

  g_assert_false (rh_deck_repository_remove (f->decks, id, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_EMPTY);
  g_assert_nonnull (strstr (error->message, "Kitchen"));
  g_clear_error (&error);

  g_assert_true (rh_card_repository_remove (f->cards, rh_flashcard_get_id (card), &error));
  g_assert_no_error (error);
  exec (f, "UPDATE decks SET pending = 0");
  g_assert_true (rh_deck_repository_remove (f->decks, id, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (f, "SELECT deleted FROM decks WHERE id = ?1", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM decks WHERE id = ?1", id), ==, 1);
  tombstone = query_text (f, "SELECT deleted_hlc FROM decks WHERE id = ?1", id);
  g_assert_nonnull (tombstone);

  got = rh_deck_repository_get (f->decks, id, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);
  list = rh_deck_repository_list (f->decks, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (rh_deck_repository_remove (f->decks, id, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* No cards go into a deleted deck. */
  {
    g_autoptr(RhFlashcard) orphan = rh_flashcard_new (id, "lid", "Deckel", &error);

    g_assert_no_error (error);
    g_assert_false (rh_card_repository_insert (f->cards, orphan, &error));
    g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Saving the deck again brings it back, with a newer tombstone stamp. */
  g_assert_true (rh_deck_repository_save (f->decks, deck, &error));
  g_assert_no_error (error);
  got = rh_deck_repository_get (f->decks, id, &error);
  g_assert_no_error (error);
  revived = query_text (f, "SELECT deleted_hlc FROM decks WHERE id = ?1", id);
  g_assert_cmpstr (revived, >, tombstone);

  /* A deleted deck's name is free again. */
  g_assert_true (rh_deck_repository_remove (f->decks, id, &error));
  g_assert_no_error (error);
  again = make_deck (f, "kitchen");
  g_assert_cmpstr (rh_deck_get_id (again), !=, id);
}

/* Cards */

static void
test_card_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "German");
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhFlashcard) got = NULL;
  g_autoptr(RhFlashcard) orphan = NULL;
  const char *tags[] = { "noun", "Home", NULL };
  RhCardState state = { RH_CARD_STATE_REVIEW, 0, 12.375, 4.0625, 1700000000123456,
                        1690000000654321, 7, 2, 12 };
  const RhCardState *s;

  card = rh_flashcard_new (rh_deck_get_id (deck), "das Haus", "the house", &error);
  g_assert_no_error (error);
  g_assert_true (rh_flashcard_set_notes (card, "neuter \"das\"", &error));
  g_assert_true (rh_flashcard_set_example (card, "Das Haus ist groß.", &error));
  g_assert_true (rh_flashcard_set_tags (card, tags, &error));
  rh_flashcard_set_state (card, &state);
  g_assert_true (rh_card_repository_insert (f->cards, card, &error));
  g_assert_no_error (error);

  got = rh_card_repository_get (f->cards, rh_flashcard_get_id (card), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_id (got), ==, rh_flashcard_get_id (card));
  g_assert_cmpstr (rh_flashcard_get_deck_id (got), ==, rh_deck_get_id (deck));
  g_assert_cmpstr (rh_flashcard_get_front (got), ==, "das Haus");
  g_assert_cmpstr (rh_flashcard_get_back (got), ==, "the house");
  g_assert_cmpstr (rh_flashcard_get_notes (got), ==, "neuter \"das\"");
  g_assert_cmpstr (rh_flashcard_get_example (got), ==, "Das Haus ist groß.");
  g_assert_cmpstrv (rh_flashcard_get_tags (got), rh_flashcard_get_tags (card));
  g_assert_cmpint (rh_flashcard_get_created (got), ==, rh_flashcard_get_created (card));
  g_assert_cmpint (rh_flashcard_get_modified (got), ==, rh_flashcard_get_modified (card));
  s = rh_flashcard_get_state (got);
  g_assert_cmpint (s->state, ==, state.state);
  g_assert_cmpint (s->step, ==, state.step);
  g_assert_cmpfloat (s->stability, ==, state.stability);
  g_assert_cmpfloat (s->difficulty, ==, state.difficulty);
  g_assert_cmpint (s->due_us, ==, state.due_us);
  g_assert_cmpint (s->last_review_us, ==, state.last_review_us);
  g_assert_cmpint (s->reps, ==, state.reps);
  g_assert_cmpint (s->lapses, ==, state.lapses);
  g_assert_cmpint (s->scheduled_days, ==, state.scheduled_days);

  /* A card without the optional fields. */
  g_clear_object (&got);
  g_clear_object (&card);
  card = make_card (f, deck, "der Hund", "the dog");
  got = rh_card_repository_get (f->cards, rh_flashcard_get_id (card), &error);
  g_assert_no_error (error);
  g_assert_null (rh_flashcard_get_notes (got));
  g_assert_null (rh_flashcard_get_example (got));
  g_assert_cmpuint (g_strv_length ((char **) rh_flashcard_get_tags (got)), ==, 0);

  g_assert_false (rh_card_repository_insert (f->cards, card, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_clear_error (&error);

  orphan = rh_flashcard_new ("01900000-0000-7000-8000-000000000000", "x", "y", &error);
  g_assert_no_error (error);
  g_assert_false (rh_card_repository_insert (f->cards, orphan, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&got);
  got = rh_card_repository_get (f->cards, rh_flashcard_get_id (orphan), &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
}

typedef struct
{
  char *stamps[6];
} CardStamps;

static const char *stamp_columns[] = {
  "deck_hlc", "front_hlc", "back_hlc", "notes_hlc", "example_hlc", "tags_hlc",
};

static void
read_stamps (Fixture    *f,
             const char *id,
             CardStamps *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (stamp_columns); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM cards WHERE id = ?1",
                                              stamp_columns[i]);

      g_free (out->stamps[i]);
      out->stamps[i] = query_text (f, sql, id);
      g_assert_nonnull (out->stamps[i]);
    }
}

static void
clear_stamps (CardStamps *s)
{
  for (guint i = 0; i < G_N_ELEMENTS (s->stamps); i++)
    g_clear_pointer (&s->stamps[i], g_free);
}

/* Asserts that exactly the fields in @changed (a mask over stamp_columns)
 * got a newer stamp. */
static void
assert_stamped (const CardStamps *before,
                const CardStamps *after,
                guint             changed)
{
  for (guint i = 0; i < G_N_ELEMENTS (stamp_columns); i++)
    {
      if (changed & (1u << i))
        g_assert_cmpstr (after->stamps[i], >, before->stamps[i]);
      else
        g_assert_cmpstr (after->stamps[i], ==, before->stamps[i]);
    }
}

enum {
  DECK = 1 << 0, FRONT = 1 << 1, BACK = 1 << 2, NOTES = 1 << 3, EXAMPLE = 1 << 4, TAGS = 1 << 5,
};

static void
test_card_stamps (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "One");
  g_autoptr(RhDeck) other = make_deck (f, "Two");
  g_autoptr(RhFlashcard) card = make_card (f, deck, "front", "back");
  g_autoptr(RhFlashcard) got = NULL;
  const char *id = rh_flashcard_get_id (card);
  const char *tags[] = { "a", NULL };
  CardStamps before = { { NULL } };
  CardStamps after = { { NULL } };
  RhCardState state;

  /* A new card: every field has the same first stamp. */
  read_stamps (f, id, &before);
  for (guint i = 1; i < G_N_ELEMENTS (stamp_columns); i++)
    g_assert_cmpstr (before.stamps[i], ==, before.stamps[0]);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 1);
  exec (f, "UPDATE cards SET pending = 0");

  /* Nothing changed: nothing written. */
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  g_assert_no_error (error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, 0);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 0);

  g_assert_true (rh_flashcard_set_front (card, "new front", &error));
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  g_assert_no_error (error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, FRONT);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT modified FROM cards WHERE id = ?1", id), ==,
                   rh_flashcard_get_modified (card));

  exec (f, "UPDATE cards SET pending = 0");
  read_stamps (f, id, &before);
  g_assert_true (rh_flashcard_set_notes (card, "some notes", &error));
  g_assert_true (rh_flashcard_set_tags (card, tags, &error));
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  g_assert_no_error (error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, NOTES | TAGS);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 1);

  read_stamps (f, id, &before);
  g_assert_true (rh_flashcard_set_example (card, "an example", &error));
  g_assert_true (rh_flashcard_set_back (card, "other back", &error));
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, EXAMPLE | BACK);

  read_stamps (f, id, &before);
  g_assert_true (rh_flashcard_set_deck_id (card, rh_deck_get_id (other), &error));
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  g_assert_no_error (error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, DECK);

  got = rh_card_repository_get (f->cards, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_deck_id (got), ==, rh_deck_get_id (other));
  g_assert_cmpstr (rh_flashcard_get_front (got), ==, "new front");
  g_assert_cmpstr (rh_flashcard_get_back (got), ==, "other back");
  g_assert_cmpstr (rh_flashcard_get_notes (got), ==, "some notes");
  g_assert_cmpstr (rh_flashcard_get_example (got), ==, "an example");
  g_assert_cmpstrv (rh_flashcard_get_tags (got), tags);

  /* Clearing an optional field is a change too. */
  read_stamps (f, id, &before);
  g_assert_true (rh_flashcard_set_notes (card, NULL, &error));
  g_assert_true (rh_card_repository_update (f->cards, card, &error));
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, NOTES);

  /* Moving to a deck that does not exist changes nothing. */
  read_stamps (f, id, &before);
  g_assert_true (rh_flashcard_set_deck_id (card, "01900000-0000-7000-8000-000000000000", &error));
  g_assert_true (rh_flashcard_set_front (card, "lost front", &error));
  g_assert_false (rh_card_repository_update (f->cards, card, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, 0);

  /* The scheduling state is a cache: neither stamped nor pending. */
  exec (f, "UPDATE cards SET pending = 0");
  state = *rh_flashcard_get_state (got);
  state.state = RH_CARD_STATE_LEARNING;
  state.step = 1;
  state.reps = 1;
  state.due_us += 600 * G_USEC_PER_SEC;
  g_assert_true (rh_card_repository_update_state (f->cards, id, &state, &error));
  g_assert_no_error (error);
  read_stamps (f, id, &after);
  assert_stamped (&before, &after, 0);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 0);
  g_clear_object (&got);
  got = rh_card_repository_get (f->cards, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rh_flashcard_get_state (got)->state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (rh_flashcard_get_state (got)->step, ==, 1);
  g_assert_cmpint (rh_flashcard_get_state (got)->due_us, ==, state.due_us);

  g_assert_false (rh_card_repository_update_state (f->cards, "01900000-0000-7000-8000-000000000000",
                                                   &state, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);

  clear_stamps (&before);
  clear_stamps (&after);
}

static void
test_card_remove (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Deck");
  g_autoptr(RhFlashcard) card = make_card (f, deck, "unique word", "back");
  g_autoptr(RhFlashcard) kept = make_card (f, deck, "kept", "back");
  g_autoptr(RhFlashcard) got = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) fronts = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autofree char *tombstone = NULL;
  const char *id = rh_flashcard_get_id (card);
  RhCardQuery query = { "unique", NULL, RH_CARD_SORT_CREATED, FALSE };
  guint count = 99;

  exec (f, "UPDATE cards SET pending = 0");
  g_assert_true (rh_card_repository_remove (f->cards, id, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (f, "SELECT deleted FROM cards WHERE id = ?1", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1", id), ==, 1);
  tombstone = query_text (f, "SELECT deleted_hlc FROM cards WHERE id = ?1", id);
  g_assert_nonnull (tombstone);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = ?1",
                              rh_flashcard_get_id (kept)), ==, 0);

  got = rh_card_repository_get (f->cards, id, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  found = rh_card_repository_search (f->cards, &query, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_true (rh_card_repository_count (f->cards, &query, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  query.text = NULL;
  g_assert_true (rh_card_repository_count (f->cards, &query, &count, &error));
  g_assert_cmpuint (count, ==, 1);

  fronts = rh_card_repository_list_fronts (f->cards, rh_deck_get_id (deck), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fronts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fronts, 0), ==, "kept");
  fresh = rh_card_repository_list_new (f->cards, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fresh->len, ==, 1);

  g_assert_false (rh_card_repository_remove (f->cards, id, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rh_card_repository_update (f->cards, card, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rh_card_repository_update_state (f->cards, id, rh_flashcard_get_state (card),
                                                   &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
}

/* search_ids() lists what search() pages through, in the same order, and
 * get_many() reads those cards back in that order. */
static void
assert_ids_match (Fixture           *f,
                  const RhCardQuery *query,
                  GPtrArray         *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = rh_card_repository_search_ids (f->cards, query, &error);
  g_autoptr(GPtrArray) cards = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, expected->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (ids->pdata[i], ==, rh_flashcard_get_id (expected->pdata[i]));

  cards = rh_card_repository_get_many (f->cards, (const char * const *) ids->pdata, ids->len,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, ids->len);
  for (guint i = 0; i < cards->len; i++)
    {
      g_assert_nonnull (cards->pdata[i]);
      g_assert_cmpstr (rh_flashcard_get_id (cards->pdata[i]), ==, ids->pdata[i]);
      g_assert_cmpstr (rh_flashcard_get_front (cards->pdata[i]), ==,
                       rh_flashcard_get_front (expected->pdata[i]));
    }
}

/* Search */

static guint
search_count (Fixture    *f,
              const char *text,
              const char *deck_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  RhCardQuery query = { text, deck_id, RH_CARD_SORT_CREATED, FALSE };
  guint count = G_MAXUINT;

  found = rh_card_repository_search (f->cards, &query, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (rh_card_repository_count (f->cards, &query, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, found->len);
  assert_ids_match (f, &query, found);
  return count;
}

static void
test_search_text (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Words");
  g_autoptr(RhDeck) other = make_deck (f, "Other");
  g_autoptr(RhFlashcard) house = make_card (f, deck, "house", "casa");
  g_autoptr(RhFlashcard) big = make_card (f, deck, "big house", "casa grande");
  g_autoptr(RhFlashcard) cafe = make_card (f, deck, "café au lait", "coffee with milk");
  g_autoptr(RhFlashcard) verb = make_card (f, other, "to go", "gehen");
  g_autoptr(RhFlashcard) quote = make_card (f, other, "say \"hello\"", "don't stop");
  const char *tags[] = { "food", NULL };
  /* Things a learner may type that mean something to FTS5. */
  const char *odd[] = {
    "\"", "\"\"", "\"\"\"", "\"house", "house\"", "a\"b", "'", "don't", "(", ")", "(house",
    "*", "house*", "-", "-house", "house -big", "+", "^", "^house", ":", "front:house",
    "{front}: house", "AND", "OR", "NOT", "house AND", "OR house", "NOT house", "NEAR(", "NEAR",
    "house NEAR big", "...", "?", "!", "\\", "%", "_", "'; DROP TABLE cards; --", "\t\n",
  };

  g_assert_true (rh_flashcard_set_notes (verb, "an irregular verb", &error));
  g_assert_true (rh_flashcard_set_example (verb, "Ich gehe nach Hause", &error));
  g_assert_true (rh_card_repository_update (f->cards, verb, &error));
  g_assert_true (rh_flashcard_set_tags (cafe, tags, &error));
  g_assert_true (rh_card_repository_update (f->cards, cafe, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (search_count (f, NULL, NULL), ==, 5);
  g_assert_cmpuint (search_count (f, "", NULL), ==, 5);
  g_assert_cmpuint (search_count (f, "   ", NULL), ==, 5);
  g_assert_cmpuint (search_count (f, "house", NULL), ==, 2);
  g_assert_cmpuint (search_count (f, "hou", NULL), ==, 2);          /* prefix */
  g_assert_cmpuint (search_count (f, "HOUSE", NULL), ==, 2);
  g_assert_cmpuint (search_count (f, "big hou", NULL), ==, 1);      /* every word */
  g_assert_cmpuint (search_count (f, "hou  big", NULL), ==, 1);
  g_assert_cmpuint (search_count (f, "big hello", NULL), ==, 0);
  g_assert_cmpuint (search_count (f, "casa", NULL), ==, 2);         /* back */
  g_assert_cmpuint (search_count (f, "cafe", NULL), ==, 1);         /* diacritics */
  g_assert_cmpuint (search_count (f, "CAFÉ", NULL), ==, 1);
  g_assert_cmpuint (search_count (f, "irregular", NULL), ==, 1);    /* notes */
  g_assert_cmpuint (search_count (f, "hause", NULL), ==, 1);        /* example */
  g_assert_cmpuint (search_count (f, "food", NULL), ==, 1);         /* tags */
  g_assert_cmpuint (search_count (f, "\"hello\"", NULL), ==, 1);
  g_assert_cmpuint (search_count (f, "don't", NULL), ==, 1);
  g_assert_cmpuint (search_count (f, "house", rh_deck_get_id (deck)), ==, 2);
  g_assert_cmpuint (search_count (f, "house", rh_deck_get_id (other)), ==, 0);
  g_assert_cmpuint (search_count (f, NULL, rh_deck_get_id (other)), ==, 2);

  /* None of these is a syntax error; each finds what its words find. */
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    search_count (f, odd[i], NULL);
  g_assert_cmpuint (search_count (f, "house*", NULL), ==, 2);
  g_assert_cmpuint (search_count (f, "(house", NULL), ==, 2);
  g_assert_cmpuint (search_count (f, "NOT house", NULL), ==, 0);
  g_assert_cmpuint (search_count (f, "\"house", NULL), ==, 2);

  /* The index follows edits. */
  g_assert_true (rh_flashcard_set_front (house, "home", &error));
  g_assert_true (rh_card_repository_update (f->cards, house, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (f, "hou", NULL), ==, 1);
  g_assert_cmpuint (search_count (f, "hom", NULL), ==, 1);

  /* And deletions. */
  g_assert_true (rh_card_repository_remove (f->cards, rh_flashcard_get_id (big), &error));
  g_assert_cmpuint (search_count (f, "hou", NULL), ==, 0);
  g_assert_cmpuint (search_count (f, "grande", NULL), ==, 0);
  g_assert_cmpuint (search_count (f, "casa", NULL), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'grande'",
                              NULL), ==, 0);
  exec (f, "INSERT INTO cards_fts (cards_fts) VALUES ('integrity-check')");
}

static void
test_search_sort (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) beta = make_deck (f, "Beta");
  g_autoptr(RhDeck) alpha = make_deck (f, "alpha");
  g_autoptr(RhFlashcard) a = make_card_at (f, beta, "banana", "Zeta", 300);
  g_autoptr(RhFlashcard) b = make_card_at (f, alpha, "Apple", "yellow", 100);
  g_autoptr(RhFlashcard) c = make_card_at (f, beta, "cherry", "Xray", 200);
  g_autoptr(RhFlashcard) d = make_card_at (f, alpha, "date", "water", 400);
  static const struct
  {
    RhCardSort  sort;
    const char *ascending;
    const char *descending;
  } cases[] = {
    { RH_CARD_SORT_CREATED, "Apple,cherry,banana,date", "date,banana,cherry,Apple" },
    { RH_CARD_SORT_FRONT, "Apple,banana,cherry,date", "date,cherry,banana,Apple" },
    { RH_CARD_SORT_BACK, "date,cherry,Apple,banana", "banana,Apple,cherry,date" },
    { RH_CARD_SORT_DECK, "Apple,date,banana,cherry", "cherry,banana,date,Apple" },
    { RH_CARD_SORT_DUE, "cherry,banana,date,Apple", "Apple,date,banana,cherry" },
    { RH_CARD_SORT_STABILITY, "banana,date,cherry,Apple", "Apple,cherry,date,banana" },
    /* banana and cherry tie on reviews: the order added breaks it */
    { RH_CARD_SORT_REVIEWS, "date,Apple,banana,cherry", "cherry,banana,Apple,date" },
  };

  set_state (f, a, RH_CARD_STATE_REVIEW, 20, 1.0, 5);
  set_state (f, b, RH_CARD_STATE_REVIEW, 40, 9.0, 1);
  set_state (f, c, RH_CARD_STATE_REVIEW, 10, 4.0, 5);
  set_state (f, d, RH_CARD_STATE_REVIEW, 30, 2.0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (int desc = 0; desc <= 1; desc++)
        {
          RhCardQuery query = { NULL, NULL, cases[i].sort, desc };
          g_autoptr(GPtrArray) all = rh_card_repository_search (f->cards, &query, 0, 100, &error);
          g_autofree char *got = NULL;
          g_autoptr(GPtrArray) paged = g_ptr_array_new_with_free_func (g_object_unref);
          g_autofree char *got_paged = NULL;

          g_assert_no_error (error);
          got = card_fronts (all);
          g_assert_cmpstr (got, ==, desc ? cases[i].descending : cases[i].ascending);
          assert_ids_match (f, &query, all);

          /* Pages put together give the whole list. */
          for (guint offset = 0; offset < 6; offset += 3)
            {
              g_autoptr(GPtrArray) page = rh_card_repository_search (f->cards, &query,
                                                                     offset, 3, &error);

              g_assert_no_error (error);
              g_assert_cmpuint (page->len, ==, offset == 0 ? 3 : 1);
              for (guint j = 0; j < page->len; j++)
                g_ptr_array_add (paged, g_object_ref (g_ptr_array_index (page, j)));
            }
          got_paged = card_fronts (paged);
          g_assert_cmpstr (got_paged, ==, got);
        }
    }

  {
    RhCardQuery query = { NULL, rh_deck_get_id (alpha), RH_CARD_SORT_FRONT, FALSE };
    g_autoptr(GPtrArray) none = rh_card_repository_search (f->cards, &query, 0, 0, &error);
    g_autoptr(GPtrArray) beyond = rh_card_repository_search (f->cards, &query, 10, 10, &error);
    g_autoptr(GPtrArray) in_deck = rh_card_repository_search (f->cards, &query, 0, 10, &error);
    g_autofree char *fronts = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (beyond->len, ==, 0);
    fronts = card_fronts (in_deck);
    g_assert_cmpstr (fronts, ==, "Apple,date");
  }
}

/* Reading cards by id: in the order asked, a hole where a card is gone,
 * and more ids than one statement takes. */
static void
test_get_many (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Many");
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *unknown = rh_id_new ();
  const guint n = 1100;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *front = g_strdup_printf ("card %u", i);

      g_ptr_array_add (made, make_card (f, deck, front, "back"));
    }
  g_assert_true (rh_card_repository_remove (f->cards, rh_flashcard_get_id (made->pdata[700]),
                                            &error));
  g_assert_no_error (error);

  /* backwards, with a stranger and a repeat in the middle */
  for (guint i = n; i-- > 0;)
    {
      g_ptr_array_add (ids, (gpointer) rh_flashcard_get_id (made->pdata[i]));
      if (i == 600)
        {
          g_ptr_array_add (ids, unknown);
          g_ptr_array_add (ids, (gpointer) rh_flashcard_get_id (made->pdata[5]));
        }
    }
  got = rh_card_repository_get_many (f->cards, (const char * const *) ids->pdata, ids->len,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      if (ids->pdata[i] == unknown ||
          g_str_equal (ids->pdata[i], rh_flashcard_get_id (made->pdata[700])))
        {
          g_assert_null (got->pdata[i]);
          continue;
        }
      g_assert_nonnull (got->pdata[i]);
      g_assert_cmpstr (rh_flashcard_get_id (got->pdata[i]), ==, ids->pdata[i]);
    }

  g_clear_pointer (&got, g_ptr_array_unref);
  got = rh_card_repository_get_many (f->cards, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 0);
}

/* Study queues */

static void
test_study_queues (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) one = make_deck (f, "One");
  g_autoptr(RhDeck) two = make_deck (f, "Two");
  g_autoptr(RhDeck) empty = make_deck (f, "Empty");
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *fronts = NULL;
  RhDeckCounts *c;
  const gint64 day_end = 1000;

  /* new cards: n2 and n3 share a creation time; n3 was added later */
  g_ptr_array_add (cards, make_card_at (f, one, "n1", "x", 100));
  g_ptr_array_add (cards, make_card_at (f, one, "n2", "x", 50));
  g_ptr_array_add (cards, make_card_at (f, one, "n3", "x", 50));
  /* An earlier due, so only the order added puts n2 first. */
  set_state (f, g_ptr_array_index (cards, 2), RH_CARD_STATE_NEW, 10, 0, 0);
  g_ptr_array_add (cards, make_card_at (f, one, "r1", "x", 1));
  set_state (f, g_ptr_array_index (cards, 3), RH_CARD_STATE_REVIEW, 500, 1, 1);
  g_ptr_array_add (cards, make_card_at (f, one, "r2", "x", 1));
  set_state (f, g_ptr_array_index (cards, 4), RH_CARD_STATE_REVIEW, 100, 1, 1);
  g_ptr_array_add (cards, make_card_at (f, one, "r3", "x", 1));
  set_state (f, g_ptr_array_index (cards, 5), RH_CARD_STATE_REVIEW, 300, 1, 1);
  g_ptr_array_add (cards, make_card_at (f, one, "r4", "x", 1));
  set_state (f, g_ptr_array_index (cards, 6), RH_CARD_STATE_REVIEW, 2000, 1, 1);
  g_ptr_array_add (cards, make_card_at (f, one, "l1", "x", 1));
  set_state (f, g_ptr_array_index (cards, 7), RH_CARD_STATE_LEARNING, 700, 0, 1);
  g_ptr_array_add (cards, make_card_at (f, one, "l2", "x", 1));
  set_state (f, g_ptr_array_index (cards, 8), RH_CARD_STATE_RELEARNING, 600, 1, 3);
  g_ptr_array_add (cards, make_card_at (f, one, "l3", "x", 1));
  set_state (f, g_ptr_array_index (cards, 9), RH_CARD_STATE_LEARNING, 5000, 0, 1);
  g_ptr_array_add (cards, make_card_at (f, two, "r5", "x", 1));
  set_state (f, g_ptr_array_index (cards, 10), RH_CARD_STATE_REVIEW, 50, 1, 1);
  g_ptr_array_add (cards, make_card_at (f, two, "gone", "x", 1));
  set_state (f, g_ptr_array_index (cards, 11), RH_CARD_STATE_REVIEW, 10, 1, 1);
  g_assert_true (rh_card_repository_remove (f->cards,
                                            rh_flashcard_get_id (g_ptr_array_index (cards, 11)),
                                            &error));

  list = rh_card_repository_list_new (f->cards, rh_deck_get_id (one), 10, &error);
  g_assert_no_error (error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "n2,n3,n1");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);
  list = rh_card_repository_list_new (f->cards, NULL, 2, &error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "n2,n3");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);
  list = rh_card_repository_list_new (f->cards, NULL, 0, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = rh_card_repository_list_due (f->cards, rh_deck_get_id (one), day_end, 10, &error);
  g_assert_no_error (error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "r2,r3,r1");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);
  list = rh_card_repository_list_due (f->cards, NULL, day_end, 3, &error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "r5,r2,r3");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);
  list = rh_card_repository_list_due (f->cards, NULL, 100, 10, &error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "r5");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);

  list = rh_card_repository_list_learning (f->cards, rh_deck_get_id (one), G_MAXUINT, &error);
  g_assert_no_error (error);
  fronts = card_fronts (list);
  g_assert_cmpstr (fronts, ==, "l2,l1,l3");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&fronts, g_free);
  list = rh_card_repository_list_learning (f->cards, rh_deck_get_id (two), G_MAXUINT, &error);
  g_assert_cmpuint (list->len, ==, 0);

  counts = rh_card_repository_count_by_deck (f->cards, day_end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_false (g_hash_table_contains (counts, rh_deck_get_id (empty)));
  c = g_hash_table_lookup (counts, rh_deck_get_id (one));
  g_assert_nonnull (c);
  g_assert_cmpuint (c->total, ==, 10);
  g_assert_cmpuint (c->new_cards, ==, 3);
  g_assert_cmpuint (c->learning, ==, 2);
  g_assert_cmpuint (c->due, ==, 3);
  c = g_hash_table_lookup (counts, rh_deck_get_id (two));
  g_assert_nonnull (c);
  g_assert_cmpuint (c->total, ==, 1);
  g_assert_cmpuint (c->new_cards, ==, 0);
  g_assert_cmpuint (c->learning, ==, 0);
  g_assert_cmpuint (c->due, ==, 1);

  /* Days of 100 from 400: r2, r3 and r5, days overdue, are due on day 0;
   * new cards (n3 is due at 10) and the deleted card are not counted. */
  {
    guint forecast[5] = { 9, 9, 9, 9, 9 };
    guint expected[5] = { 3, 1, 1, 1, 0 };

    g_assert_true (rh_card_repository_due_forecast (f->cards, 400, 100, 5, forecast, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (forecast, sizeof forecast, expected, sizeof expected);
    g_assert_true (rh_card_repository_due_forecast (f->cards, 200, 200, 0, forecast, &error));
  }
}

/* The per-deck counts read the (deck_id, deleted, state, due) index only:
 * the plan of the statement the repository really ran. */
static void
test_count_by_deck_plan (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *explain = NULL;
  sqlite3 *handle = rh_sqlite_database_get_handle (f->db);

  counts = rh_card_repository_count_by_deck (f->cards, 0, &error);
  g_assert_no_error (error);

  for (sqlite3_stmt *s = sqlite3_next_stmt (handle, NULL); s; s = sqlite3_next_stmt (handle, s))
    if (strstr (sqlite3_sql (s), "GROUP BY deck_id") != NULL)
      explain = g_strconcat ("EXPLAIN QUERY PLAN ", sqlite3_sql (s), NULL);
  g_assert_nonnull (explain);

  {
    g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (f->db, explain, &error);

    g_assert_no_error (error);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  }
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "COVERING INDEX cards_deck_counts"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

/* Run with -m perf: a collection of 100,000 cards. */
static void
test_large_collection (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(RhSqliteStatement) stmt = NULL;
  RhCardQuery query = { NULL, NULL, RH_CARD_SORT_FRONT, FALSE };
  guint count = 0;

  if (!g_test_perf ())
    {
      g_test_skip ("a performance test: run with -m perf");
      return;
    }

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Deck %u", i);

      g_ptr_array_add (decks, make_deck (f, name));
    }

  g_timer_start (timer);
  g_assert_true (rh_store_begin (RH_STORE (f->db), &error));
  stmt = rh_sqlite_database_prepare (f->db,
                                     "INSERT INTO cards (id, deck_id, front, back, created,"
                                     " modified, front_hlc, back_hlc, notes_hlc, example_hlc,"
                                     " tags_hlc, deck_hlc, state, due)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 'h', 'h', 'h', 'h', 'h',"
                                     " 'h', ?6, ?7)",
                                     &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *id = rh_id_new_at (i + 1);
      g_autofree char *front = g_strdup_printf ("word %u front%u", i, g_test_rand_int () % 1000);
      g_autofree char *back = g_strdup_printf ("meaning %u", i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, rh_deck_get_id (g_ptr_array_index (decks, i % 20)), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, front, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, back, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, i);
      sqlite3_bind_int (stmt, 6, i % 4);
      sqlite3_bind_int64 (stmt, 7, g_test_rand_int_range (0, 2000));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  g_assert_true (rh_store_commit (RH_STORE (f->db), &error));
  g_test_message ("inserted 100,000 cards in %.3f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  counts = rh_card_repository_count_by_deck (f->cards, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 20);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "count_by_deck: %.4f s",
                           g_timer_elapsed (timer, NULL));
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 0.5);

  g_timer_start (timer);
  g_assert_true (rh_card_repository_count (f->cards, &query, &count, &error));
  g_assert_cmpuint (count, ==, 100000);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "count: %.4f s",
                           g_timer_elapsed (timer, NULL));

  query.text = "front12";
  g_timer_start (timer);
  g_assert_true (rh_card_repository_count (f->cards, &query, &count, &error));
  g_assert_cmpuint (count, >, 0);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "count with text: %.4f s",
                           g_timer_elapsed (timer, NULL));

  query.text = NULL;
  g_timer_start (timer);
  page = rh_card_repository_search (f->cards, &query, 50000, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 100);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "a page sorted by front: %.4f s",
                           g_timer_elapsed (timer, NULL));
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 0.5);
  g_clear_pointer (&page, g_ptr_array_unref);

  query.deck_id = rh_deck_get_id (g_ptr_array_index (decks, 3));
  query.sort = RH_CARD_SORT_DUE;
  query.descending = TRUE;
  g_timer_start (timer);
  page = rh_card_repository_search (f->cards, &query, 2000, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 100);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "a page of a deck by due: %.4f s",
                           g_timer_elapsed (timer, NULL));
  g_clear_pointer (&page, g_ptr_array_unref);

  query.deck_id = NULL;
  query.text = "front5";
  query.sort = RH_CARD_SORT_DECK;
  g_timer_start (timer);
  page = rh_card_repository_search (f->cards, &query, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 100);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "a page of a search by deck: %.4f s",
                           g_timer_elapsed (timer, NULL));
}

/* Transactions */

static guint
n_decks (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = rh_deck_repository_list (f->decks, &error);

  g_assert_no_error (error);
  return list->len;
}

static gboolean
failing_work (gpointer   user_data,
              GError   **error)
{
  Fixture *f = user_data;

  g_object_unref (make_deck (f, "Doomed"));
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT, "no");
  return FALSE;
}

static gboolean
good_work (gpointer   user_data,
           GError   **error)
{
  Fixture *f = user_data;

  g_object_unref (make_deck (f, "Kept"));
  return TRUE;
}

static void
test_transactions (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RhStore *store = RH_STORE (f->db);
  g_autoptr(RhDeck) a = NULL;
  g_autoptr(RhDeck) b = NULL;
  g_autoptr(RhDeck) got = NULL;

  g_assert_true (rh_store_begin (store, &error));
  g_assert_true (rh_sqlite_database_in_transaction (f->db));
  g_object_unref (make_deck (f, "Gone"));
  g_assert_cmpuint (n_decks (f), ==, 1);
  rh_store_rollback (store);
  g_assert_false (rh_sqlite_database_in_transaction (f->db));
  g_assert_cmpuint (n_decks (f), ==, 0);

  /* An inner rollback undoes only the inner work. */
  g_assert_true (rh_store_begin (store, &error));
  a = make_deck (f, "Outer");
  g_assert_true (rh_store_begin (store, &error));
  b = make_deck (f, "Inner");
  rh_store_rollback (store);
  g_assert_true (rh_sqlite_database_in_transaction (f->db));
  g_assert_true (rh_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_false (rh_sqlite_database_in_transaction (f->db));
  got = rh_deck_repository_get (f->decks, rh_deck_get_id (a), &error);
  g_assert_no_error (error);
  g_clear_object (&got);
  got = rh_deck_repository_get (f->decks, rh_deck_get_id (b), &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An inner commit is undone by an outer rollback. */
  g_assert_true (rh_store_begin (store, &error));
  g_assert_true (rh_store_begin (store, &error));
  g_object_unref (make_deck (f, "Inner committed"));
  g_assert_true (rh_store_commit (store, &error));
  rh_store_rollback (store);
  g_assert_cmpuint (n_decks (f), ==, 1);

  g_assert_false (rh_store_run (store, failing_work, f, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (n_decks (f), ==, 1);
  g_assert_false (rh_sqlite_database_in_transaction (f->db));

  g_assert_true (rh_store_run (store, good_work, f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_decks (f), ==, 2);

  /* What was committed is in the file. */
  reopen (f);
  g_assert_cmpuint (n_decks (f), ==, 2);
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteDatabase) second = rh_sqlite_database_open (f->path, &error);

  g_assert_no_error (error);
  /* Not the 5 s a learner's second window would wait. */
  sqlite3_busy_timeout (rh_sqlite_database_get_handle (second), 0);

  g_assert_true (rh_store_begin (RH_STORE (f->db), &error));
  g_assert_false (rh_store_begin (RH_STORE (second), &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY);
  g_assert_false (rh_sqlite_database_in_transaction (second));
  g_clear_error (&error);
  g_assert_true (rh_store_commit (RH_STORE (f->db), &error));
  g_assert_true (rh_store_begin (RH_STORE (second), &error));
  g_assert_true (rh_store_commit (RH_STORE (second), &error));
  g_assert_no_error (error);
}

/* Reviews */

static RhReview *
make_review (Fixture     *f,
             RhFlashcard *card,
             gint64       time_us,
             RhRating     rating)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = NULL;

  review = rh_review_new (NULL, rh_flashcard_get_id (card), rating, time_us, 1500, &error);
  g_assert_no_error (error);
  rh_review_repository_append (f->reviews, review, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&review);
}

static void
test_reviews (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = make_deck (f, "Deck");
  g_autoptr(RhFlashcard) card = make_card (f, deck, "front", "back");
  g_autoptr(RhFlashcard) other = make_card (f, deck, "other", "back");
  g_autoptr(RhReview) r1 = NULL;
  g_autoptr(RhReview) r2 = NULL;
  g_autoptr(RhReview) r3 = NULL;
  g_autoptr(RhReview) r4 = NULL;
  g_autoptr(RhReview) orphan = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RhLastAnswer) answer = NULL;
  g_autofree char *sid = rh_id_new ();
  const char *first_tie;
  RhReview *got;
  RhLastAnswer set = { NULL, NULL, NULL, NULL };

  r1 = rh_review_new (NULL, rh_flashcard_get_id (card), RH_RATING_GOOD, 2000, 4200, &error);
  g_assert_no_error (error);
  rh_review_set_state_before (r1, RH_CARD_STATE_REVIEW);
  rh_review_set_session_id (r1, sid);
  g_assert_true (rh_review_repository_append (f->reviews, r1, &error));
  g_assert_no_error (error);
  r2 = make_review (f, card, 1000, RH_RATING_AGAIN);
  r3 = make_review (f, card, 1000, RH_RATING_EASY);
  r4 = make_review (f, other, 1500, RH_RATING_HARD);
  first_tie = strcmp (rh_review_get_id (r2), rh_review_get_id (r3)) < 0 ? rh_review_get_id (r2)
                                                                        : rh_review_get_id (r3);

  list = rh_review_repository_list_for_card (f->reviews, rh_flashcard_get_id (card), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (rh_review_get_id (g_ptr_array_index (list, 0)), ==, first_tie);
  got = g_ptr_array_index (list, 2);
  g_assert_cmpstr (rh_review_get_id (got), ==, rh_review_get_id (r1));
  g_assert_cmpstr (rh_review_get_card_id (got), ==, rh_flashcard_get_id (card));
  g_assert_cmpint (rh_review_get_rating (got), ==, RH_RATING_GOOD);
  g_assert_cmpint (rh_review_get_time (got), ==, 2000);
  g_assert_cmpint (rh_review_get_duration_ms (got), ==, 4200);
  g_assert_cmpint (rh_review_get_state_before (got), ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpstr (rh_review_get_session_id (got), ==, sid);
  g_assert_null (rh_review_get_session_id (g_ptr_array_index (list, 0)));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = rh_review_repository_list_between (f->reviews, 1000, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (rh_review_get_id (g_ptr_array_index (list, 2)), ==, rh_review_get_id (r4));
  g_clear_pointer (&list, g_ptr_array_unref);

  {
    guint by_state[4];

    /* make_review answers new cards; r1 was a review */
    g_assert_true (rh_review_repository_count_between (f->reviews, 1000, 2001, by_state, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (by_state[RH_CARD_STATE_REVIEW], ==, 1);
    g_assert_cmpuint (by_state[RH_CARD_STATE_NEW] + by_state[RH_CARD_STATE_LEARNING] +
                      by_state[RH_CARD_STATE_RELEARNING], ==, 3);
    g_assert_true (rh_review_repository_count_between (f->reviews, 1000, 1500, by_state, &error));
    g_assert_cmpuint (by_state[0] + by_state[1] + by_state[2] + by_state[3], ==, 2);
  }

  g_assert_false (rh_review_repository_append (f->reviews, r1, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_clear_error (&error);
  orphan = rh_review_new (NULL, "01900000-0000-7000-8000-000000000000", 3, 5, 0, &error);
  g_assert_false (rh_review_repository_append (f->reviews, orphan, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (query_int (f, "SELECT pending FROM reviews WHERE id = ?1",
                              rh_review_get_id (r1)), ==, 1);
  exec (f, "UPDATE reviews SET pending = 0");

  /* Append-only, enforced by the schema itself. */
  g_assert_false (rh_sqlite_database_exec (f->db, "UPDATE reviews SET rating = 1", &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  g_assert_false (rh_sqlite_database_exec (f->db, "UPDATE reviews SET session_id = NULL",
                                           &error));
  g_clear_error (&error);
  g_assert_false (rh_sqlite_database_exec (f->db, "DELETE FROM reviews", &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews", NULL), ==, 4);

  /* Undo leaves a tombstone, and a tombstone stays. */
  g_assert_true (rh_review_repository_remove (f->reviews, rh_review_get_id (r1), &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT pending FROM reviews WHERE id = ?1",
                              rh_review_get_id (r1)), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM reviews WHERE id = ?1",
                              rh_review_get_id (r2)), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT deleted_hlc IS NOT NULL FROM reviews WHERE id = ?1",
                              rh_review_get_id (r1)), ==, 1);
  list = rh_review_repository_list_for_card (f->reviews, rh_flashcard_get_id (card), &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rh_review_repository_list_between (f->reviews, 0, G_MAXINT64, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_false (rh_review_repository_remove (f->reviews, rh_review_get_id (r1), &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rh_sqlite_database_exec (f->db, "UPDATE reviews SET deleted = 0", &error));
  g_clear_error (&error);

  /* The last answer, for undo. */
  answer = rh_review_repository_get_last_answer (f->reviews, &error);
  g_assert_no_error (error);
  g_assert_null (answer);
  set.review_id = (char *) rh_review_get_id (r2);
  set.card_id = (char *) rh_flashcard_get_id (card);
  set.session_id = sid;
  set.previous_state = rh_card_state_serialize (rh_flashcard_get_state (card));
  g_assert_true (rh_review_repository_set_last_answer (f->reviews, &set, &error));
  g_assert_no_error (error);
  answer = rh_review_repository_get_last_answer (f->reviews, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer->review_id, ==, set.review_id);
  g_assert_cmpstr (answer->card_id, ==, set.card_id);
  g_assert_cmpstr (answer->session_id, ==, sid);
  g_assert_cmpstr (answer->previous_state, ==, set.previous_state);
  g_clear_pointer (&answer, rh_last_answer_free);

  set.review_id = (char *) rh_review_get_id (r3);
  set.session_id = NULL;
  g_assert_true (rh_review_repository_set_last_answer (f->reviews, &set, &error));
  answer = rh_review_repository_get_last_answer (f->reviews, &error);
  g_assert_cmpstr (answer->review_id, ==, rh_review_get_id (r3));
  g_assert_null (answer->session_id);
  g_clear_pointer (&answer, rh_last_answer_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM last_answer", NULL), ==, 1);

  g_assert_true (rh_review_repository_clear_last_answer (f->reviews, &error));
  g_assert_no_error (error);
  answer = rh_review_repository_get_last_answer (f->reviews, &error);
  g_assert_no_error (error);
  g_assert_null (answer);
  g_free (set.previous_state);
}

/* Sessions */

static void
assert_sessions_equal (RhSession *a,
                       RhSession *b)
{
  g_assert_cmpstr (rh_session_get_id (a), ==, rh_session_get_id (b));
  g_assert_cmpint (rh_session_get_kind (a), ==, rh_session_get_kind (b));
  g_assert_cmpint (rh_session_get_started (a), ==, rh_session_get_started (b));
  g_assert_cmpint (rh_session_get_ended (a), ==, rh_session_get_ended (b));
  for (RhRating r = RH_RATING_AGAIN; r <= RH_RATING_EASY; r++)
    g_assert_cmpuint (rh_session_get_count (a, r), ==, rh_session_get_count (b, r));
  g_assert_cmpint (rh_session_get_time_ms (a), ==, rh_session_get_time_ms (b));
  g_assert_cmpstr (rh_session_get_scenario_id (a), ==, rh_session_get_scenario_id (b));
  g_assert_cmpfloat (rh_session_get_score (a), ==, rh_session_get_score (b));
}

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSession) review = NULL;
  g_autoptr(RhSession) practice = NULL;
  g_autoptr(RhSession) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *hlc2 = NULL;
  g_autofree char *scenario_id = rh_id_new ();

  review = rh_session_new (NULL, RH_SESSION_KIND_REVIEW, 1000, &error);
  g_assert_no_error (error);
  rh_session_record (review, RH_RATING_AGAIN, 3000);
  rh_session_record (review, RH_RATING_GOOD, 2000);
  rh_session_record (review, RH_RATING_GOOD, 1000);
  rh_session_record (review, RH_RATING_EASY, 500);
  g_assert_true (rh_session_repository_save (f->sessions, review, &error));
  g_assert_no_error (error);

  got = rh_session_repository_get (f->sessions, rh_session_get_id (review), &error);
  g_assert_no_error (error);
  assert_sessions_equal (got, review);
  g_clear_object (&got);

  practice = rh_session_new (NULL, RH_SESSION_KIND_SCENARIO, 5000, &error);
  g_assert_true (rh_session_set_scenario (practice, scenario_id, 72.5, &error));
  g_assert_true (rh_session_end (practice, 9000, &error));
  g_assert_true (rh_session_repository_save (f->sessions, practice, &error));
  g_assert_no_error (error);
  got = rh_session_repository_get (f->sessions, rh_session_get_id (practice), &error);
  g_assert_no_error (error);
  assert_sessions_equal (got, practice);
  g_clear_object (&got);

  list = rh_session_repository_list_open (f->sessions, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  assert_sessions_equal (g_ptr_array_index (list, 0), review);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Saving it unchanged writes nothing; a change gets a new stamp. */
  exec (f, "UPDATE sessions SET pending = 0");
  hlc = query_text (f, "SELECT hlc FROM sessions WHERE id = ?1", rh_session_get_id (review));
  g_assert_true (rh_session_repository_save (f->sessions, review, &error));
  hlc2 = query_text (f, "SELECT hlc FROM sessions WHERE id = ?1", rh_session_get_id (review));
  g_assert_cmpstr (hlc2, ==, hlc);
  g_assert_cmpint (query_int (f, "SELECT pending FROM sessions WHERE id = ?1",
                              rh_session_get_id (review)), ==, 0);
  g_assert_true (rh_session_end (review, 4000, &error));
  g_assert_true (rh_session_repository_save (f->sessions, review, &error));
  g_assert_no_error (error);
  g_free (hlc2);
  hlc2 = query_text (f, "SELECT hlc FROM sessions WHERE id = ?1", rh_session_get_id (review));
  g_assert_cmpstr (hlc2, >, hlc);
  g_assert_cmpint (query_int (f, "SELECT pending FROM sessions WHERE id = ?1",
                              rh_session_get_id (review)), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM sessions WHERE id = ?1",
                              rh_session_get_id (practice)), ==, 0);

  list = rh_session_repository_list_open (f->sessions, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = rh_session_repository_list_between (f->sessions, 0, 10000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (rh_session_get_id (g_ptr_array_index (list, 0)), ==,
                   rh_session_get_id (review));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rh_session_repository_list_between (f->sessions, 1000, 5000, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  got = rh_session_repository_get (f->sessions, "01900000-0000-7000-8000-000000000000", &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
}

/* Scenarios */

static RhScenario *
build_scenario (const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = rh_scenario_new (NULL, title, "B1", &error);
  const char *hints[] = { "Say your name", "Use “I have”", NULL };
  const char *accepted[] = { "I have a reservation", "I booked a room", NULL };
  const char *phrases[] = { "reservation", NULL };
  RhScenarioTurn *turn;

  g_assert_no_error (error);
  g_assert_true (rh_scenario_set_topic (scenario, "Travel", &error));
  g_assert_true (rh_scenario_set_description (scenario, "At the \"front desk\"\nof a hotel",
                                              &error));
  g_assert_true (rh_scenario_set_goal (scenario, "Check in", &error));
  turn = rh_scenario_turn_new (RH_TURN_PARTNER, "Good evening! How can I help?", NULL, NULL,
                               hints, &error);
  g_assert_true (rh_scenario_add_turn (scenario, turn, &error));
  turn = rh_scenario_turn_new (RH_TURN_LEARNER, "Say you have a reservation", accepted, phrases,
                               NULL, &error);
  g_assert_true (rh_scenario_add_turn (scenario, turn, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&scenario);
}

static void
assert_strv_equal (char **a,
                   char **b)
{
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i]; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_scenarios_equal (RhScenario *a,
                        RhScenario *b)
{
  g_assert_cmpstr (rh_scenario_get_id (a), ==, rh_scenario_get_id (b));
  g_assert_cmpstr (rh_scenario_get_title (a), ==, rh_scenario_get_title (b));
  g_assert_cmpstr (rh_scenario_get_level (a), ==, rh_scenario_get_level (b));
  g_assert_cmpstr (rh_scenario_get_topic (a), ==, rh_scenario_get_topic (b));
  g_assert_cmpstr (rh_scenario_get_description (a), ==, rh_scenario_get_description (b));
  g_assert_cmpstr (rh_scenario_get_goal (a), ==, rh_scenario_get_goal (b));
  g_assert_cmpstr (rh_scenario_get_bundle_key (a), ==, rh_scenario_get_bundle_key (b));
  g_assert_cmpint (rh_scenario_get_bundle_version (a), ==, rh_scenario_get_bundle_version (b));
  g_assert_cmpuint (rh_scenario_get_n_turns (a), ==, rh_scenario_get_n_turns (b));
  for (guint i = 0; i < rh_scenario_get_n_turns (a); i++)
    {
      const RhScenarioTurn *ta = rh_scenario_get_turn (a, i);
      const RhScenarioTurn *tb = rh_scenario_get_turn (b, i);

      g_assert_cmpint (ta->kind, ==, tb->kind);
      g_assert_cmpstr (ta->text, ==, tb->text);
      assert_strv_equal (ta->accepted, tb->accepted);
      assert_strv_equal (ta->key_phrases, tb->key_phrases);
      assert_strv_equal (ta->hints, tb->hints);
    }
}

static void
test_scenarios (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) hotel = build_scenario ("b: Hotel");
  g_autoptr(RhScenario) mine = build_scenario ("A: my own");
  g_autoptr(RhScenario) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *hlc2 = NULL;
  const char *id = rh_scenario_get_id (hotel);

  rh_scenario_set_bundle (hotel, "hotel-check-in", 3);
  g_assert_true (rh_scenario_repository_save (f->scenarios, hotel, &error));
  g_assert_true (rh_scenario_repository_save (f->scenarios, mine, &error));
  g_assert_no_error (error);

  got = rh_scenario_repository_get (f->scenarios, id, &error);
  g_assert_no_error (error);
  assert_scenarios_equal (got, hotel);
  g_clear_object (&got);

  got = rh_scenario_repository_find_by_bundle_key (f->scenarios, "hotel-check-in", &error);
  g_assert_no_error (error);
  assert_scenarios_equal (got, hotel);
  g_clear_object (&got);
  got = rh_scenario_repository_find_by_bundle_key (f->scenarios, "nope", &error);
  g_assert_no_error (error);
  g_assert_null (got);

  list = rh_scenario_repository_list (f->scenarios, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  assert_scenarios_equal (g_ptr_array_index (list, 0), mine);
  assert_scenarios_equal (g_ptr_array_index (list, 1), hotel);
  g_clear_pointer (&list, g_ptr_array_unref);

  exec (f, "UPDATE scenarios SET pending = 0");
  hlc = query_text (f, "SELECT content_hlc FROM scenarios WHERE id = ?1", id);
  g_assert_true (rh_scenario_repository_save (f->scenarios, hotel, &error));
  hlc2 = query_text (f, "SELECT content_hlc FROM scenarios WHERE id = ?1", id);
  g_assert_cmpstr (hlc2, ==, hlc);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenarios WHERE id = ?1", id), ==, 0);

  /* Any change, even deep in a turn, is a change of the document. */
  {
    const char *hints[] = { "Smile", NULL };
    RhScenarioTurn *turn = rh_scenario_turn_new (RH_TURN_PARTNER, "Here is your key.", NULL,
                                                 NULL, hints, &error);

    g_assert_true (rh_scenario_add_turn (hotel, turn, &error));
  }
  g_assert_true (rh_scenario_repository_save (f->scenarios, hotel, &error));
  g_assert_no_error (error);
  g_free (hlc2);
  hlc2 = query_text (f, "SELECT content_hlc FROM scenarios WHERE id = ?1", id);
  g_assert_cmpstr (hlc2, >, hlc);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenarios WHERE id = ?1", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenarios WHERE id = ?1",
                              rh_scenario_get_id (mine)), ==, 0);
  got = rh_scenario_repository_get (f->scenarios, id, &error);
  assert_scenarios_equal (got, hotel);
  g_clear_object (&got);

  rh_scenario_set_bundle (hotel, "hotel-check-in", 4);
  g_free (hlc);
  hlc = g_steal_pointer (&hlc2);
  g_assert_true (rh_scenario_repository_save (f->scenarios, hotel, &error));
  hlc2 = query_text (f, "SELECT content_hlc FROM scenarios WHERE id = ?1", id);
  g_assert_cmpstr (hlc2, >, hlc);

  g_assert_true (rh_scenario_repository_remove (f->scenarios, id, &error));
  g_assert_no_error (error);
  got = rh_scenario_repository_get (f->scenarios, id, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);
  got = rh_scenario_repository_find_by_bundle_key (f->scenarios, "hotel-check-in", &error);
  g_assert_no_error (error);
  g_assert_null (got);
  list = rh_scenario_repository_list (f->scenarios, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT deleted_hlc IS NOT NULL FROM scenarios WHERE id = ?1",
                              id), ==, 1);
  g_assert_false (rh_scenario_repository_remove (f->scenarios, id, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Saved again, it comes back. */
  g_assert_true (rh_scenario_repository_save (f->scenarios, hotel, &error));
  got = rh_scenario_repository_get (f->scenarios, id, &error);
  g_assert_no_error (error);
  assert_scenarios_equal (got, hotel);
}

/* The profile */

static void
test_user (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhUser) user = NULL;
  g_autoptr(RhUser) got = NULL;
  g_autoptr(RhUser) stranger = NULL;

  got = rh_user_repository_get (f->users, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  user = rh_user_new ("local", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rh_user_repository_save (f->users, user, &error));
  g_assert_no_error (error);
  got = rh_user_repository_get (f->users, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_user_get_id (got), ==, "local");
  g_assert_null (rh_user_get_email (got));
  g_assert_null (rh_user_get_display_name (got));
  g_assert_cmpint (rh_user_get_new_cards_per_day (got), ==, rh_user_get_new_cards_per_day (user));
  g_clear_object (&got);

  g_assert_true (rh_user_set_email (user, "Ana@Example.ORG", &error));
  g_assert_true (rh_user_set_display_name (user, "Ana", &error));
  g_assert_true (rh_user_set_new_cards_per_day (user, 15, &error));
  g_assert_true (rh_user_set_reviews_per_day (user, 150, &error));
  g_assert_true (rh_user_set_desired_retention (user, 0.85, &error));
  g_assert_true (rh_user_repository_save (f->users, user, &error));
  g_assert_no_error (error);

  reopen (f);
  got = rh_user_repository_get (f->users, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_user_get_id (got), ==, "local");
  g_assert_true (rh_email_equal (rh_user_get_email (got), rh_user_get_email (user)));
  g_assert_cmpstr (rh_user_get_display_name (got), ==, "Ana");
  g_assert_cmpint (rh_user_get_new_cards_per_day (got), ==, 15);
  g_assert_cmpint (rh_user_get_reviews_per_day (got), ==, 150);
  g_assert_cmpfloat (rh_user_get_desired_retention (got), ==, 0.85);
  g_clear_object (&got);

  /* A collection stays with its account. */
  stranger = rh_user_new ("other-account", "eve@example.org", &error);
  g_assert_false (rh_user_repository_save (f->users, stranger, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  got = rh_user_repository_get (f->users, &error);
  g_assert_cmpstr (rh_user_get_id (got), ==, "local");
  g_assert_cmpstr (rh_user_get_display_name (got), ==, "Ana");
}

/* The file */

static void
test_corrupt_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "noise.rehearse", NULL);
  g_autofree char *foreign_path = g_build_filename (f->dir, "foreign.sqlite", NULL);
  g_autofree char *after = NULL;
  g_autoptr(RhSqliteDatabase) db = NULL;
  char noise[8192];
  gsize len = 0;

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (char) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (path, noise, sizeof noise, &error));

  db = rh_sqlite_database_open (path, &error);
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_CORRUPT);
  g_assert_null (db);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &len, &error));
  g_assert_cmpmem (after, len, noise, sizeof noise);

  /* Some other program's SQLite file is not a collection either. */
  {
    sqlite3 *raw = NULL;

    g_assert_cmpint (sqlite3_open (foreign_path, &raw), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE notes (x)", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    sqlite3_close (raw);
  }
  db = rh_sqlite_database_open (foreign_path, &error);
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_CORRUPT);
  g_assert_null (db);
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSqliteDatabase) db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          rh_sqlite_database_latest_version () + 1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0;
  gsize after_len = 0;

  g_object_unref (make_deck (f, "Deck"));
  exec (f, sql);
  close_repositories (f);
  g_assert_true (g_file_get_contents (f->path, &before, &before_len, &error));

  db = rh_sqlite_database_open (f->path, &error);
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_TOO_NEW);
  g_assert_null (db);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (f->path, &after, &after_len, &error));
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_meta_and_clock (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *device = g_strdup (rh_sqlite_database_get_device_id (f->db));
  g_autofree char *last = NULL;
  g_autofree char *future = NULL;
  g_autofree char *value = NULL;
  g_autofree char *remote = NULL;
  gint64 ms;

  g_assert_true (rh_id_is_valid (device));
  g_assert_cmpstr (rh_sqlite_database_get_path (f->db), ==, f->path);
  g_assert_cmpint (rh_sqlite_database_get_schema_version (f->db), ==,
                   rh_sqlite_database_latest_version ());

  last = rh_sqlite_database_next_stamp (f->db);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *next = rh_sqlite_database_next_stamp (f->db);

      g_assert_cmpstr (next, >, last);
      g_free (last);
      last = g_steal_pointer (&next);
    }

  reopen (f);
  g_assert_cmpstr (rh_sqlite_database_get_device_id (f->db), ==, device);
  {
    g_autofree char *next = rh_sqlite_database_next_stamp (f->db);

    g_assert_cmpstr (next, >, last);
  }

  /* The wall clock went back an hour: the stamps still go forward. */
  g_assert_true (rh_hlc_stamp_parse (last, &ms, NULL, NULL));
  future = g_strdup_printf ("%012" G_GINT64_MODIFIER "x-0005-%s", ms + 3600 * 1000, device);
  g_assert_true (rh_sqlite_database_set_meta (f->db, "clock", future, &error));
  g_assert_no_error (error);
  reopen (f);
  {
    g_autofree char *next = rh_sqlite_database_next_stamp (f->db);

    g_assert_cmpstr (next, >, future);
  }

  /* A stamp from another device moves the clock past it, for good. */
  remote = g_strdup_printf ("%012" G_GINT64_MODIFIER "x-0009-ffffffff-0000-7000-8000-000000000000",
                            ms + 7200 * 1000);
  g_assert_true (rh_sqlite_database_observe_stamp (f->db, remote, &error));
  g_assert_no_error (error);
  reopen (f);
  {
    g_autofree char *next = rh_sqlite_database_next_stamp (f->db);

    g_assert_cmpstr (next, >, remote);
  }
  g_assert_false (rh_sqlite_database_observe_stamp (f->db, "not a stamp", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_null (rh_sqlite_database_get_meta (f->db, "cursor"));
  g_assert_true (rh_sqlite_database_set_meta (f->db, "cursor", "42", &error));
  g_assert_true (rh_sqlite_database_set_meta (f->db, "cursor", "43", &error));
  g_assert_no_error (error);
  value = rh_sqlite_database_get_meta (f->db, "cursor");
  g_assert_cmpstr (value, ==, "43");
  g_assert_true (rh_sqlite_database_set_meta (f->db, "cursor", NULL, &error));
  g_assert_null (rh_sqlite_database_get_meta (f->db, "cursor"));
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = g_build_filename (f->dir, "backup.rehearse", NULL);
  g_autoptr(RhDeck) deck = make_deck (f, "Saved");
  g_autoptr(RhSqliteDatabase) copy = NULL;
  g_autoptr(RhDeckRepository) decks = NULL;
  g_autoptr(RhDeck) got = NULL;

  g_assert_true (rh_store_begin (RH_STORE (f->db), &error));
  g_assert_false (rh_sqlite_database_backup_to (f->db, dest, &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_BUSY);
  g_clear_error (&error);
  rh_store_rollback (RH_STORE (f->db));

  g_assert_true (rh_sqlite_database_backup_to (f->db, dest, &error));
  g_assert_no_error (error);
  /* Twice: an existing backup is replaced. */
  g_assert_true (rh_sqlite_database_backup_to (f->db, dest, &error));
  g_assert_no_error (error);

  copy = rh_sqlite_database_open (dest, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_sqlite_database_get_device_id (copy), ==,
                   rh_sqlite_database_get_device_id (f->db));
  decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (copy));
  got = rh_deck_repository_get (decks, rh_deck_get_id (deck), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_deck_get_name (got), ==, "Saved");
}

static void
test_statements (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *a = rh_sqlite_database_prepare (f->db, "SELECT 1", &error);
  sqlite3_stmt *b = NULL;

  g_assert_no_error (error);
  b = rh_sqlite_database_prepare (f->db, "SELECT 1", &error);
  g_assert_true (a == b);

  b = rh_sqlite_database_prepare (f->db, "SELEKT nonsense", &error);
  g_assert_null (b);
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "syntax error"));
  g_clear_error (&error);

  g_assert_false (rh_sqlite_database_exec (f->db, "INSERT INTO nowhere VALUES (1)", &error));
  g_assert_error (error, RH_STORE_ERROR, RH_STORE_ERROR_FAILED);
}

/* The connection is defensive: SQL cannot rewrite the schema behind
 * SQLite's back, so a file stays a sound database whatever runs on it. */
static void
test_defensive (Fixture       *f,
                gconstpointer  data)
{
  sqlite3 *db = rh_sqlite_database_get_handle (f->db);

  /* asked for, and of no use */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sqlite_schema SET sql = 'junk' WHERE name = 'cards'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM cards", NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sqlite/defensive", test_defensive);
  ADD ("/sqlite/deck/round-trip", test_deck_round_trip);
  ADD ("/sqlite/deck/stamps", test_deck_stamps);
  ADD ("/sqlite/deck/remove", test_deck_remove);
  ADD ("/sqlite/card/round-trip", test_card_round_trip);
  ADD ("/sqlite/card/stamps", test_card_stamps);
  ADD ("/sqlite/card/remove", test_card_remove);
  ADD ("/sqlite/card/search-text", test_search_text);
  ADD ("/sqlite/card/search-sort", test_search_sort);
  ADD ("/sqlite/card/get-many", test_get_many);
  ADD ("/sqlite/card/study-queues", test_study_queues);
  ADD ("/sqlite/card/count-by-deck-plan", test_count_by_deck_plan);
  ADD ("/sqlite/card/large-collection", test_large_collection);
  ADD ("/sqlite/store/transactions", test_transactions);
  ADD ("/sqlite/store/busy", test_busy);
  ADD ("/sqlite/review/log", test_reviews);
  ADD ("/sqlite/session/round-trip", test_sessions);
  ADD ("/sqlite/scenario/round-trip", test_scenarios);
  ADD ("/sqlite/user/round-trip", test_user);
  ADD ("/sqlite/file/corrupt", test_corrupt_file);
  ADD ("/sqlite/file/too-new", test_too_new);
  ADD ("/sqlite/file/meta-and-clock", test_meta_and_clock);
  ADD ("/sqlite/file/backup", test_backup);
  ADD ("/sqlite/file/statements", test_statements);

  return g_test_run ();
}
