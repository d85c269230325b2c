// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "rh-domain-error.h"
#include "rh-test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add (path, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

static void
set_limits (RhFixture *f,
            int        new_per_day,
            int        reviews_per_day,
            gboolean   fuzz)
{
  RhStudySettings s;
  g_autoptr(GError) error = NULL;

  rh_study_settings_init_default (&s);
  s.new_per_day = new_per_day;
  s.reviews_per_day = reviews_per_day;
  s.fuzz = fuzz;
  g_assert_true (rh_collection_set_study_settings (f->collection, &s, &error));
  g_assert_no_error (error);
}

static char *
next_id (RhFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhStudyCard) sc = rh_collection_next_card (f->collection, NULL, &error);

  g_assert_no_error (error);
  return sc ? g_strdup (rh_flashcard_get_id (sc->card)) : NULL;
}

static void
answer (RhFixture  *f,
        const char *id,
        RhRating    rating)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = rh_collection_answer (f->collection, id, rating, 1500, &error);

  g_assert_no_error (error);
  g_assert_nonnull (review);
}

static void
test_new_cards_in_order_and_limit (RhFixture     *f,
                                   gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  RhQueueCounts counts;
  g_autoptr(GError) error = NULL;

  set_limits (f, 2, 100, FALSE);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *front = g_strdup_printf ("card %d", i);
      f->now += G_USEC_PER_SEC;
      g_ptr_array_add (cards, rh_fixture_card (f, deck, front, "x"));
    }

  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.new_cards, ==, 2);

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *id = next_id (f);
      g_assert_cmpstr (id, ==, rh_flashcard_get_id (cards->pdata[i]));
      answer (f, id, RH_RATING_EASY);
    }

  /* the daily limit is reached: nothing new today */
  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.new_cards, ==, 0);
  {
    g_autofree char *id = next_id (f);
    g_assert_null (id);
  }

  /* the next study day brings two more, in the order they were added */
  f->now += RH_USEC_PER_DAY;
  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.new_cards, ==, 2);
}

static void
test_rollover_hour (RhFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, deck, "b", "x");
  RhQueueCounts counts;
  g_autoptr(GError) error = NULL;

  set_limits (f, 1, 100, FALSE);
  /* study at 23:00 */
  f->now += 11 * RH_USEC_PER_HOUR;
  answer (f, rh_flashcard_get_id (c1), RH_RATING_EASY);

  /* 03:00 next morning is still the same study day (rollover at 04:00) */
  f->now += 4 * RH_USEC_PER_HOUR;
  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.new_cards, ==, 0);

  /* 04:30: a new day */
  f->now += 90 * RH_USEC_PER_MINUTE;
  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.new_cards, ==, 1);
}

static void
test_learning_steps_come_back (RhFixture     *f,
                               gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) c2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  RhQueueCounts counts;

  f->now += G_USEC_PER_SEC;
  c2 = rh_fixture_card (f, deck, "b", "x");
  set_limits (f, 20, 100, FALSE);

  first = next_id (f);
  g_assert_cmpstr (first, ==, rh_flashcard_get_id (c1));
  answer (f, first, RH_RATING_AGAIN);          /* back in 1 minute */

  second = next_id (f);
  g_assert_cmpstr (second, ==, rh_flashcard_get_id (c2));
  answer (f, second, RH_RATING_GOOD);          /* back in 10 minutes */

  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  g_assert_cmpuint (counts.learning, ==, 2);
  g_assert_cmpuint (counts.new_cards, ==, 0);

  /* after a minute the first card's step is due and it comes back first */
  f->now += 61 * G_USEC_PER_SEC;
  third = next_id (f);
  g_assert_cmpstr (third, ==, rh_flashcard_get_id (c1));
  answer (f, third, RH_RATING_GOOD);
  answer (f, third, RH_RATING_GOOD);

  /* graduated: it is a review card now, due in days */
  {
    g_autoptr(RhFlashcard) card = rh_collection_get_card (f->collection, third, &error);
    const RhCardState *st = rh_flashcard_get_state (card);
    g_assert_cmpint (st->state, ==, RH_CARD_STATE_REVIEW);
    g_assert_cmpint (st->due_us, >, f->now + RH_USEC_PER_DAY / 2);
  }
}

static void
test_reviews_overdue_first (RhFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) early = rh_fixture_card (f, deck, "early", "x");
  g_autoptr(RhFlashcard) late = rh_fixture_card (f, deck, "late", "x");
  g_autoptr(GError) error = NULL;
  RhQueueCounts counts;

  set_limits (f, 20, 1, FALSE);
  /* "late" graduates with Easy first: longer interval, due later */
  answer (f, rh_flashcard_get_id (late), RH_RATING_EASY);
  answer (f, rh_flashcard_get_id (early), RH_RATING_GOOD);
  answer (f, rh_flashcard_get_id (early), RH_RATING_GOOD);

  f->now += 60 * RH_USEC_PER_DAY;
  g_assert_true (rh_collection_queue_counts (f->collection, NULL, &counts, &error));
  /* two are due but the review limit is one */
  g_assert_cmpuint (counts.review, ==, 1);
  {
    g_autoptr(GPtrArray) decks = rh_collection_list_decks (f->collection, &error);
    RhQueueCounts from_decks;

    g_assert_true (rh_collection_queue_counts_for_decks (f->collection, decks, &from_decks,
                                                         &error));
    g_assert_cmpuint (from_decks.review, ==, counts.review);
    g_assert_cmpuint (from_decks.new_cards, ==, counts.new_cards);
    g_assert_cmpuint (from_decks.learning, ==, counts.learning);
  }
  {
    g_autofree char *id = next_id (f);
    g_assert_cmpstr (id, ==, rh_flashcard_get_id (early));
    answer (f, id, RH_RATING_GOOD);
  }
  {
    g_autofree char *id = next_id (f);
    g_assert_null (id);
  }
}

static void
test_undo_restores_exactly (RhFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) before = NULL;
  g_autoptr(RhFlashcard) undone = NULL;
  g_autoptr(RhFlashcard) again = NULL;
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  const char *id = rh_flashcard_get_id (card);
  RhSession *session;

  set_limits (f, 20, 100, TRUE);
  answer (f, id, RH_RATING_GOOD);
  answer (f, id, RH_RATING_GOOD);
  f->now += 3 * RH_USEC_PER_DAY;
  before = rh_collection_get_card (f->collection, id, &error);

  answer (f, id, RH_RATING_AGAIN);
  session = rh_collection_get_session (f->collection);
  g_assert_cmpuint (rh_session_get_count (session, RH_RATING_AGAIN), ==, 1);
  g_assert_true (rh_collection_can_undo (f->collection));

  undone = rh_collection_undo (f->collection, &error);
  g_assert_no_error (error);
  g_assert_true (rh_card_state_equal (rh_flashcard_get_state (undone),
                                      rh_flashcard_get_state (before)));
  g_assert_cmpuint (rh_session_get_count (session, RH_RATING_AGAIN), ==, 0);
  {
    g_autoptr(GPtrArray) reviews = rh_review_repository_list_for_card (repos->reviews, id, &error);
    g_assert_cmpuint (reviews->len, ==, 2);
  }

  g_assert_false (rh_collection_can_undo (f->collection));
  again = rh_collection_undo (f->collection, &error);
  g_assert_null (again);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOTHING_TO_UNDO);
}

static void
test_undo_survives_restart (RhFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) undone = NULL;
  g_autoptr(GError) error = NULL;

  answer (f, rh_flashcard_get_id (card), RH_RATING_EASY);
  g_clear_object (&f->collection);
  rh_fixture_open (f);

  undone = rh_collection_undo (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rh_flashcard_get_state (undone)->state, ==, RH_CARD_STATE_NEW);
  g_assert_cmpint (rh_flashcard_get_state (undone)->reps, ==, 0);
}

static void
test_replay_gives_stored_state (RhFixture     *f,
                                gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = rh_flashcard_get_id (card);
  const RhRating ratings[] = { 3, 3, 3, 1, 3, 2, 4, 3, 1, 1, 3, 3 };
  RhCardState rebuilt;

  set_limits (f, 20, 100, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
    {
      g_autoptr(RhFlashcard) now = rh_collection_get_card (f->collection, id, &error);
      gint64 due = rh_flashcard_get_state (now)->due_us;
      /* study when due, sometimes a little late */
      f->now = MAX (f->now, due) + (i % 3) * RH_USEC_PER_HOUR;
      answer (f, id, ratings[i]);
    }

  stored = rh_collection_get_card (f->collection, id, &error);
  g_assert_true (rh_collection_rebuild_card (f->collection, id, &rebuilt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rebuilt.state, ==, rh_flashcard_get_state (stored)->state);
  g_assert_cmpfloat (rebuilt.stability, ==, rh_flashcard_get_state (stored)->stability);
  g_assert_cmpfloat (rebuilt.difficulty, ==, rh_flashcard_get_state (stored)->difficulty);
  g_assert_cmpint (rebuilt.due_us, ==, rh_flashcard_get_state (stored)->due_us);
  g_assert_true (rh_card_state_equal (&rebuilt, rh_flashcard_get_state (stored)));
  g_assert_cmpint (rebuilt.reps, ==, G_N_ELEMENTS (ratings));
}

static void
test_sessions (RhFixture     *f,
               gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, deck, "b", "x");
  g_autoptr(RhSession) ended = NULL;
  g_autoptr(RhSession) stored = NULL;
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos;
  g_autofree char *session_id = NULL;
  guint closed;

  answer (f, rh_flashcard_get_id (c1), RH_RATING_GOOD);
  f->now += 5 * G_USEC_PER_SEC;
  answer (f, rh_flashcard_get_id (c2), RH_RATING_HARD);
  f->now += 5 * G_USEC_PER_SEC;
  ended = rh_collection_end_session (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rh_session_get_total (ended), ==, 2);
  g_assert_cmpuint (rh_session_get_count (ended, RH_RATING_HARD), ==, 1);
  g_assert_cmpint (rh_session_get_time_ms (ended), ==, 3000);
  g_assert_false (rh_session_is_open (ended));

  /* an abandoned session: answers, then the app goes away */
  f->now += RH_USEC_PER_HOUR;
  answer (f, rh_flashcard_get_id (c1), RH_RATING_GOOD);
  session_id = g_strdup (rh_session_get_id (rh_collection_get_session (f->collection)));
  g_clear_object (&f->collection);

  rh_fixture_open (f);
  closed = rh_collection_close_abandoned_sessions (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (closed, ==, 1);
  repos = rh_collection_get_repositories (f->collection);
  stored = rh_session_repository_get (repos->sessions, session_id, &error);
  g_assert_no_error (error);
  g_assert_false (rh_session_is_open (stored));
  g_assert_cmpuint (rh_session_get_total (stored), ==, 1);
  g_assert_cmpuint (rh_collection_close_abandoned_sessions (f->collection, &error), ==, 0);
}

/* The summary's "cards studied": cards, not answers */
static void
test_session_cards (RhFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, deck, "b", "x");
  g_autoptr(RhFlashcard) undone = NULL;
  g_autoptr(GError) error = NULL;
  RhSession *session;
  guint cards = G_MAXUINT;

  /* c1 comes back in its learning step: one card, two answers */
  answer (f, rh_flashcard_get_id (c1), RH_RATING_AGAIN);
  f->now += 2 * 60 * G_USEC_PER_SEC;
  answer (f, rh_flashcard_get_id (c1), RH_RATING_GOOD);
  answer (f, rh_flashcard_get_id (c2), RH_RATING_GOOD);
  session = rh_collection_get_session (f->collection);
  g_assert_cmpuint (rh_session_get_total (session), ==, 3);
  g_assert_true (rh_collection_count_session_cards (f->collection, session, &cards, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cards, ==, 2);

  /* an answer taken back is no card */
  undone = rh_collection_undo (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_id (undone), ==, rh_flashcard_get_id (c2));
  g_assert_true (rh_collection_count_session_cards (f->collection, session, &cards, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cards, ==, 1);
}

static void
test_stats (RhFixture     *f,
            gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "D");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, deck, "a", "x");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, deck, "b", "x");
  g_autofree RhStats *stats = g_new0 (RhStats, 1);
  g_autoptr(GError) error = NULL;

  set_limits (f, 20, 100, FALSE);
  answer (f, rh_flashcard_get_id (c1), RH_RATING_EASY);
  answer (f, rh_flashcard_get_id (c2), RH_RATING_EASY);
  f->now += 40 * RH_USEC_PER_DAY;
  answer (f, rh_flashcard_get_id (c1), RH_RATING_GOOD);
  answer (f, rh_flashcard_get_id (c2), RH_RATING_AGAIN);

  g_assert_true (rh_collection_stats (f->collection, stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats->reviews_today, ==, 2);
  g_assert_cmpuint (stats->per_day[364], ==, 2);
  g_assert_cmpuint (stats->per_day[364 - 40], ==, 2);
  /* true retention counts only answers to review cards: 1 of 2 */
  g_assert_cmpuint (stats->retention_n_30, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats->retention_30, 0.5, 1e-9);
  g_assert_cmpuint (stats->streak_days, ==, 1);
  /* c2 relearns today */
  g_assert_cmpuint (stats->forecast[0], >=, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  FIXTURE_TEST ("/study/new-order-and-limit", test_new_cards_in_order_and_limit);
  FIXTURE_TEST ("/study/rollover-hour", test_rollover_hour);
  FIXTURE_TEST ("/study/learning-comes-back", test_learning_steps_come_back);
  FIXTURE_TEST ("/study/reviews-overdue-first", test_reviews_overdue_first);
  FIXTURE_TEST ("/study/undo-exact", test_undo_restores_exactly);
  FIXTURE_TEST ("/study/undo-after-restart", test_undo_survives_restart);
  FIXTURE_TEST ("/study/replay-equals-stored", test_replay_gives_stored_state);
  FIXTURE_TEST ("/study/sessions", test_sessions);
  FIXTURE_TEST ("/study/session-cards", test_session_cards);
  FIXTURE_TEST ("/study/stats", test_stats);

  return g_test_run ();
}
