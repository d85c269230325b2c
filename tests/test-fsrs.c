// SPDX-License-Identifier: GPL-3.0-or-later
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "rh-fsrs.h"

/*
 * Reference vectors and where they come from:
 *
 *  - ts-fsrs __tests__/FSRS-6.test.ts ("ivl_history", "memory state",
 *    "first repeat", "get retrievability"); the same interval history and
 *    memory state are asserted by py-fsrs v6 tests/test_basic.py
 *    (test_review_card, test_memo_state), which also gives
 *    test_repeated_correct_reviews.
 *  - fsrs-rs src/inference.rs test_current_retrievability (S = 1, decay 0.2)
 *    and test_memory_state (defaults, and w17..w19 = 0).
 *  - the learning-step timings are py-fsrs v6's test_*_learning_steps,
 *    test_review_state, test_relearning and
 *    test_learning_card_rate_hard_one_learning_step.
 */

#define SEC (G_GINT64_CONSTANT (1000000))
#define MINUTE (60 * SEC)
#define DAY    (86400 * SEC)

/* Relative, because the vectors were printed with about 7 significant
 * digits (fsrs-rs works in f32). */
#define assert_close(got, want, rel) \
  g_assert_cmpfloat_with_epsilon ((got), (want), (rel) * fabs (want) + 1e-12)

static gint64
utc_us (int year,
        int month,
        int day,
        int hour,
        int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * SEC;
}

static gint64
reference_start (void)
{
  return utc_us (2022, 11, 29, 12, 30);
}

static void
test_default_params (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  /* ts-fsrs FSRS-6.test.ts, py-fsrs v6 DEFAULT_PARAMETERS. */
  static const double w[RH_FSRS_N_WEIGHTS] = {
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
    0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
    0.0912, 0.0658, 0.1542,
  };

  for (guint i = 0; i < RH_FSRS_N_WEIGHTS; i++)
    g_assert_cmpfloat (params->weights[i], ==, w[i]);

  g_assert_cmpfloat (params->desired_retention, ==, 0.9);
  g_assert_cmpint (params->maximum_interval, ==, 36500);
  g_assert_cmpuint (params->n_learning_steps, ==, 2);
  g_assert_cmpint (params->learning_steps_s[0], ==, 60);
  g_assert_cmpint (params->learning_steps_s[1], ==, 600);
  g_assert_cmpuint (params->n_relearning_steps, ==, 1);
  g_assert_cmpint (params->relearning_steps_s[0], ==, 600);
  g_assert_false (params->enable_fuzz);
  g_assert_true (params->enable_short_term);
}

/* (a) ts-fsrs "ivl_history" / py-fsrs test_review_card: default learning
 * steps (1 min, 10 min) and relearning step (10 min) on, fuzz off, each
 * answer given exactly when the card falls due. */
static void
test_interval_history (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  static const RhRating ratings[] = {
    RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD,
    RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_AGAIN, RH_RATING_AGAIN,
    RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD,
    RH_RATING_GOOD,
  };
  static const int expected[] = { 0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21 };
  RhCardState card;
  gint64 now = reference_start ();

  G_STATIC_ASSERT (G_N_ELEMENTS (ratings) == G_N_ELEMENTS (expected));

  params->enable_fuzz = FALSE;
  rh_card_state_init_new (&card, now);

  for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
    {
      rh_fsrs_schedule (params, &card, ratings[i], now, 0, &card);

      /* ts-fsrs reads scheduled_days, py-fsrs (due - last_review).days. */
      g_assert_cmpint (card.scheduled_days, ==, expected[i]);
      g_assert_cmpint ((card.due_us - card.last_review_us) / DAY, ==, expected[i]);
      g_assert_cmpint (card.last_review_us, ==, now);
      g_assert_cmpint (card.reps, ==, (int) i + 1);

      now = card.due_us;
    }

  /* The Again at index 6 is the only lapse from review; the one at index 7
   * happens in relearning. */
  g_assert_cmpint (card.lapses, ==, 1);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
}

/* (b) ts-fsrs "first repeat". */
static void
test_first_review (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  static const double difficulty[] = { 6.4133, 5.11217071, 2.11810397, 1.0 };
  static const int scheduled[] = { 0, 0, 0, 8 };
  static const RhCardStateKind states[] = {
    RH_CARD_STATE_LEARNING, RH_CARD_STATE_LEARNING,
    RH_CARD_STATE_LEARNING, RH_CARD_STATE_REVIEW,
  };
  gint64 now = reference_start ();
  RhCardState card;

  rh_card_state_init_new (&card, now);

  for (RhRating rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
    {
      RhCardState next;

      rh_fsrs_schedule (params, &card, rating, now, 0, &next);

      g_assert_cmpfloat (next.stability, ==, params->weights[rating - 1]);
      g_assert_cmpfloat_with_epsilon (next.difficulty, difficulty[rating - 1], 1e-8);
      g_assert_cmpint (next.scheduled_days, ==, scheduled[rating - 1]);
      g_assert_cmpint (next.state, ==, states[rating - 1]);
      g_assert_cmpint (next.reps, ==, 1);
      g_assert_cmpint (next.lapses, ==, 0);
    }

  /* The input is not touched. */
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_NEW);
  g_assert_cmpint (card.reps, ==, 0);
}

static RhCardState
walk_memory_history (const RhFsrsParams *params)
{
  static const RhRating ratings[] = {
    RH_RATING_AGAIN, RH_RATING_GOOD, RH_RATING_GOOD,
    RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD,
  };
  static const int gaps[] = { 0, 0, 1, 3, 8, 21 };
  gint64 now = reference_start ();
  RhCardState card;

  rh_card_state_init_new (&card, now);

  for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
    {
      now += gaps[i] * DAY;
      rh_fsrs_schedule (params, &card, ratings[i], now,
                        rh_fsrs_fuzz_seed ("memo", now), &card);
    }

  return card;
}

/* (c) ts-fsrs "memory state[short-term]" / "[long-term]", py-fsrs
 * test_memo_state, fsrs-rs test_memory_state. */
static void
test_memory_state (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  RhCardState card;

  card = walk_memory_history (params);
  assert_close (card.stability, 53.62691, 1e-4);
  assert_close (card.difficulty, 6.3574867, 1e-4);

  /* Fuzz moves due dates, never the memory state (py-fsrs runs this
   * vector with fuzz on). */
  params->enable_fuzz = TRUE;
  card = walk_memory_history (params);
  assert_close (card.stability, 53.62691, 1e-4);
  assert_close (card.difficulty, 6.3574867, 1e-4);

  params->enable_fuzz = FALSE;
  params->enable_short_term = FALSE;
  card = walk_memory_history (params);
  assert_close (card.stability, 53.335106, 1e-4);
  assert_close (card.difficulty, 6.3574867, 1e-4);
}

/* fsrs-rs src/inference.rs test_memo_state and next_states: a 19-weight
 * FSRS-5 set, which fsrs-rs pads to 21 with w19 = 0 and w20 = 0.5. These
 * are the vectors that exercise Hard, Easy and a long-term Again. */
static const double fsrs5_weights[RH_FSRS_N_WEIGHTS] = {
  0.6845422, 1.6790825, 4.7349424, 10.042885, 7.4410233, 0.64219797,
  1.071918, 0.0025195254, 1.432437, 0.1544, 0.8692766, 2.0696752, 0.0953,
  0.2975, 2.4691248, 0.19542035, 3.201072, 0.18046261, 0.121442534,
  0.0, 0.5,
};

static void
test_memory_state_fsrs5 (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  g_autoptr(GError) error = NULL;
  static const RhRating ratings[] = {
    RH_RATING_AGAIN, RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_GOOD,
  };
  static const int gaps[] = { 0, 1, 3, 8, 21 };
  /* After the first four answers, 21 days later. */
  static const double next_s[] = { 2.9691455, 17.091452, 31.722992, 71.7502 };
  static const double next_d[] = { 8.000659, 7.6913934, 7.382128, 7.0728626 };
  gint64 now = reference_start ();
  RhCardState card;
  RhCardState next;

  g_assert_true (rh_fsrs_params_set_weights (params, fsrs5_weights, RH_FSRS_N_WEIGHTS, &error));
  g_assert_no_error (error);

  rh_card_state_init_new (&card, now);
  for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
    {
      now += gaps[i] * DAY;

      if (i == G_N_ELEMENTS (ratings) - 1)
        {
          for (RhRating rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
            {
              rh_fsrs_schedule (params, &card, rating, now, 0, &next);
              assert_close (next.stability, next_s[rating - 1], 1e-5);
              assert_close (next.difficulty, next_d[rating - 1], 1e-5);
            }
        }

      rh_fsrs_schedule (params, &card, ratings[i], now, 0, &card);
    }

  assert_close (card.stability, 31.722992, 1e-5);
  assert_close (card.difficulty, 7.382128, 1e-5);

  /* A known review card answered Good after 21 days. */
  card.state = RH_CARD_STATE_REVIEW;
  card.stability = 20.925528;
  card.difficulty = 7.005062;
  card.last_review_us = now;
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now + 21 * DAY, 0, &next);
  assert_close (next.stability, 40.87456, 1e-5);
  assert_close (next.difficulty, 6.9913807, 1e-5);
}

/* The two FSRS-6 guards on same-day and lapse stability. */
static void
test_stability_guards (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  double weights[RH_FSRS_N_WEIGHTS];
  gint64 now = reference_start ();
  RhCardState card = { 0, };
  RhCardState next;

  card.state = RH_CARD_STATE_REVIEW;
  card.stability = 100.0;
  card.difficulty = 5.0;
  card.last_review_us = now - 2 * 3600 * SEC;

  /* For a card this stable S^-w19 is well below 1, yet a passing answer
   * on the same day must not lower stability. */
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &next);
  g_assert_cmpfloat (next.stability, ==, 100.0);
  rh_fsrs_schedule (params, &card, RH_RATING_EASY, now, 0, &next);
  g_assert_cmpfloat (next.stability, >, 100.0);
  rh_fsrs_schedule (params, &card, RH_RATING_HARD, now, 0, &next);
  g_assert_cmpfloat (next.stability, <, 100.0);

  /* With a large w11 the long-term lapse formula would give more than the
   * card had; the floor S / e^(w17 w18) caps it. */
  memcpy (weights, rh_fsrs_default_weights, sizeof weights);
  weights[11] = 5.0;
  g_assert_true (rh_fsrs_params_set_weights (params, weights, RH_FSRS_N_WEIGHTS, NULL));
  card.stability = 1.0;
  card.difficulty = 1.0;
  card.last_review_us = now - DAY;
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &next);
  assert_close (next.stability, 1.0 / exp (weights[17] * weights[18]), 1e-12);

  /* py-fsrs test_stability_lower_bound. */
  g_clear_pointer (&params, rh_fsrs_params_free);
  params = rh_fsrs_params_new_default ();
  rh_card_state_init_new (&card, now);
  for (int i = 0; i < 1000; i++)
    {
      now = card.due_us + DAY;
      rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &card);
      g_assert_cmpfloat (card.stability, >=, 0.001);
    }
}

/* py-fsrs test_repeated_correct_reviews: difficulty bottoms out at 1. */
static void
test_repeated_easy (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  gint64 start = reference_start ();
  RhCardState card;

  rh_card_state_init_new (&card, start);

  for (int i = 0; i < 10; i++)
    rh_fsrs_schedule (params, &card, RH_RATING_EASY, start + i, 0, &card);

  g_assert_cmpfloat (card.difficulty, ==, 1.0);
}

/* (d) */
static void
test_retrievability (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  g_autoptr(GError) error = NULL;
  double weights[RH_FSRS_N_WEIGHTS];
  /* fsrs-rs test_current_retrievability: S = 1, decay 0.2. */
  static const double by_day[] = { 1.0, 0.9, 0.84028935, 0.7985001 };
  /* ts-fsrs "get retrievability": created 04:00, answered 04:05, read at
   * the new due time; only Easy leaves the same day. */
  static const double at_due[] = { 1.0, 1.0, 1.0, 0.9024733 };
  gint64 created = utc_us (2023, 12, 1, 4, 0);
  gint64 answered = utc_us (2023, 12, 1, 4, 5);
  RhCardState card;

  rh_card_state_init_new (&card, created);
  g_assert_cmpfloat (rh_fsrs_retrievability (params, &card, answered), ==, 0.0);

  for (RhRating rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
    {
      RhCardState next;

      rh_fsrs_schedule (params, &card, rating, answered, 0, &next);
      assert_close (rh_fsrs_retrievability (params, &next, next.due_us), at_due[rating - 1], 1e-6);
    }

  memcpy (weights, rh_fsrs_default_weights, sizeof weights);
  weights[20] = 0.2;
  g_assert_true (rh_fsrs_params_set_weights (params, weights, RH_FSRS_N_WEIGHTS, &error));
  g_assert_no_error (error);

  card.state = RH_CARD_STATE_REVIEW;
  card.stability = 1.0;
  card.difficulty = 5.0;
  card.last_review_us = created;

  for (guint t = 0; t < G_N_ELEMENTS (by_day); t++)
    assert_close (rh_fsrs_retrievability (params, &card, created + t * DAY), by_day[t], 1e-6);

  /* Whole days only, rounded down, as the references count them. */
  assert_close (rh_fsrs_retrievability (params, &card, created + 2 * DAY - SEC), 0.9, 1e-12);
  g_assert_cmpfloat (rh_fsrs_retrievability (params, &card, created - DAY), ==, 1.0);

  /* The curve's defining property, for the default decay too. */
  memcpy (params->weights, rh_fsrs_default_weights, sizeof weights);
  card.stability = 17.0;
  assert_close (rh_fsrs_retrievability (params, &card, created + 17 * DAY), 0.9, 1e-12);
}

/* (e) */
static void
test_fuzz (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  /* py-fsrs fuzz ranges worked out by hand: delta = 1 + 15% of the part
   * in 2.5..7 + 10% of 7..20 + 5% beyond, min >= 2. */
  static const struct { int ivl, lo, hi; } ranges[] = {
    { 3, 2, 4 },     /* delta 1.075 */
    { 5, 4, 6 },     /* delta 1.375 */
    { 10, 8, 12 },   /* delta 1.975 */
    { 50, 46, 54 },  /* delta 4.475 */
    { 400, 378, 422 }, /* delta 21.975 */
  };
  RhCardState card = { 0, };
  RhCardState plain;
  RhCardState fuzzed_a;
  RhCardState fuzzed_b;
  gint64 now = reference_start ();

  /* Off: the interval comes back untouched, whatever the seed. */
  params->enable_fuzz = FALSE;
  for (guint64 seed = 0; seed < 100; seed++)
    g_assert_cmpint (rh_fsrs_apply_fuzz (params, 50, seed), ==, 50);

  params->enable_fuzz = TRUE;

  /* Too short to fuzz. */
  for (guint64 seed = 0; seed < 100; seed++)
    {
      g_assert_cmpint (rh_fsrs_apply_fuzz (params, 1, seed), ==, 1);
      g_assert_cmpint (rh_fsrs_apply_fuzz (params, 2, seed), ==, 2);
    }

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      gboolean seen_lo = FALSE;
      gboolean seen_hi = FALSE;
      gboolean moved = FALSE;

      for (int i = 0; i < 2000; i++)
        {
          guint64 seed = rh_fsrs_fuzz_seed ("card", now + i * SEC);
          int ivl = rh_fsrs_apply_fuzz (params, ranges[r].ivl, seed);

          g_assert_cmpint (ivl, >=, ranges[r].lo);
          g_assert_cmpint (ivl, <=, ranges[r].hi);
          g_assert_cmpint (ivl, ==, rh_fsrs_apply_fuzz (params, ranges[r].ivl, seed));
          seen_lo |= ivl == ranges[r].lo;
          seen_hi |= ivl == ranges[r].hi;
          moved |= ivl != ranges[r].ivl;
        }

      /* Every day of the range is reachable, including both ends. */
      g_assert_true (seen_lo);
      g_assert_true (seen_hi);
      g_assert_true (moved);
    }

  /* The range never crosses the cap. */
  params->maximum_interval = 52;
  for (guint64 seed = 0; seed < 500; seed++)
    g_assert_cmpint (rh_fsrs_apply_fuzz (params, 50, seed), <=, 52);
  params->maximum_interval = 36500;

  /* The seed is a pure function of its inputs. */
  g_assert_cmpuint (rh_fsrs_fuzz_seed ("abc", 42), ==, rh_fsrs_fuzz_seed ("abc", 42));
  g_assert_cmpuint (rh_fsrs_fuzz_seed ("abc", 42), !=, rh_fsrs_fuzz_seed ("abd", 42));
  g_assert_cmpuint (rh_fsrs_fuzz_seed ("abc", 42), !=, rh_fsrs_fuzz_seed ("abc", 43));
  g_assert_cmpuint (rh_fsrs_fuzz_seed (NULL, 42), ==, rh_fsrs_fuzz_seed ("", 42));

  /* Through the scheduler: a well-learnt review card. */
  card.state = RH_CARD_STATE_REVIEW;
  card.stability = 30.0;
  card.difficulty = 5.0;
  card.last_review_us = now - 30 * DAY;
  card.due_us = now;

  params->enable_fuzz = FALSE;
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 7, &plain);
  g_assert_cmpint (plain.scheduled_days, >, 20);

  params->enable_fuzz = TRUE;
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 7, &fuzzed_a);
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 7, &fuzzed_b);
  g_assert_cmpmem (&fuzzed_a, sizeof fuzzed_a, &fuzzed_b, sizeof fuzzed_b);
  g_assert_cmpint (fuzzed_a.scheduled_days, ==,
                   rh_fsrs_apply_fuzz (params, plain.scheduled_days, 7));
  g_assert_cmpint (abs (fuzzed_a.scheduled_days - plain.scheduled_days), <=,
                   (int) ceil (plain.scheduled_days * 0.05 + 3));
  g_assert_cmpint (fuzzed_a.due_us, ==, now + fuzzed_a.scheduled_days * DAY);
  g_assert_cmpfloat (fuzzed_a.stability, ==, plain.stability);

  /* Steps are never fuzzed. */
  rh_card_state_init_new (&card, now);
  for (guint64 seed = 0; seed < 50; seed++)
    {
      rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, seed, &plain);
      g_assert_cmpint (plain.due_us, ==, now + 10 * MINUTE);
    }
}

/* (f) py-fsrs test_again/good/hard/easy_learning_steps. */
static void
test_learning_steps (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  static const gint64 one_step[] = { 600 };
  gint64 now = reference_start ();
  RhCardState card;
  RhCardState next;

  rh_card_state_init_new (&card, now);

  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (next.step, ==, 0);
  g_assert_cmpint (next.due_us - now, ==, 1 * MINUTE);
  g_assert_cmpint (next.lapses, ==, 0);

  rh_fsrs_schedule (params, &card, RH_RATING_HARD, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (next.step, ==, 0);
  g_assert_cmpint (next.due_us - now, ==, 330 * SEC);

  rh_fsrs_schedule (params, &card, RH_RATING_EASY, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (next.due_us - now, >=, DAY);

  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (card.step, ==, 1);
  g_assert_cmpint (card.due_us - now, ==, 10 * MINUTE);

  /* Hard on a later step repeats that step. */
  now = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_HARD, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (next.step, ==, 1);
  g_assert_cmpint (next.due_us - now, ==, 10 * MINUTE);

  /* Again goes back to the first step. */
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &next);
  g_assert_cmpint (next.step, ==, 0);
  g_assert_cmpint (next.due_us - now, ==, 1 * MINUTE);

  /* Good on the last step graduates with the long-term interval. */
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (card.step, ==, 0);
  g_assert_cmpint (card.scheduled_days, >=, 1);
  g_assert_cmpint (card.scheduled_days, ==, rh_fsrs_next_interval_days (params, card.stability));
  g_assert_cmpint (card.due_us - now, ==, card.scheduled_days * DAY);

  /* test_learning_card_rate_hard_one_learning_step: 1.5x the only step. */
  g_assert_true (rh_fsrs_params_set_learning_steps (params, one_step, 1, NULL));
  rh_card_state_init_new (&card, now);
  rh_fsrs_schedule (params, &card, RH_RATING_HARD, now, 0, &next);
  g_assert_cmpint (next.due_us - now, ==, 15 * MINUTE);

  /* A card past the last step (the steps got shorter) graduates on Hard. */
  card.state = RH_CARD_STATE_LEARNING;
  card.step = 1;
  card.stability = 2.0;
  card.difficulty = 5.0;
  card.last_review_us = now - 10 * MINUTE;
  rh_fsrs_schedule (params, &card, RH_RATING_HARD, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_REVIEW);
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_LEARNING);
  g_assert_cmpint (next.step, ==, 0);
}

/* (f) py-fsrs test_review_state / test_relearning. */
static void
test_relearning_steps (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  gint64 now = reference_start ();
  RhCardState card;
  gint64 prev_due;

  rh_card_state_init_new (&card, now);
  for (int i = 0; i < 3; i++)
    {
      rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
      now = card.due_us;
    }
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);

  prev_due = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_RELEARNING);
  g_assert_cmpint (card.step, ==, 0);
  g_assert_cmpint (card.due_us - prev_due, ==, 10 * MINUTE);
  g_assert_cmpint (card.scheduled_days, ==, 0);
  g_assert_cmpint (card.lapses, ==, 1);

  now = prev_due = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_RELEARNING);
  g_assert_cmpint (card.step, ==, 0);
  g_assert_cmpint (card.due_us - prev_due, ==, 10 * MINUTE);
  g_assert_cmpint (card.lapses, ==, 1);

  now = prev_due = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (card.due_us - prev_due, >=, DAY);
}

/* py-fsrs test_no_learning_steps / test_no_relearning_steps, and the
 * long-term-only mode of ts-fsrs. */
static void
test_no_steps (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  gint64 now = reference_start ();
  RhCardState card;
  RhCardState next;

  g_assert_true (rh_fsrs_params_set_learning_steps (params, NULL, 0, NULL));
  rh_card_state_init_new (&card, now);
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &next);
  g_assert_cmpint (next.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint ((next.due_us - next.last_review_us) / DAY, >=, 1);
  g_assert_cmpint (next.lapses, ==, 0);

  g_clear_pointer (&params, rh_fsrs_params_free);
  params = rh_fsrs_params_new_default ();
  g_assert_true (rh_fsrs_params_set_relearning_steps (params, NULL, 0, NULL));
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_LEARNING);
  now = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  now = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (card.lapses, ==, 1);
  g_assert_cmpint ((card.due_us - card.last_review_us) / DAY, >=, 1);

  /* Without short-term scheduling the steps are not used at all. */
  g_clear_pointer (&params, rh_fsrs_params_free);
  params = rh_fsrs_params_new_default ();
  params->enable_short_term = FALSE;
  rh_card_state_init_new (&card, now);
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (card.scheduled_days, ==,
                   rh_fsrs_next_interval_days (params, params->weights[2]));
  now = card.due_us;
  rh_fsrs_schedule (params, &card, RH_RATING_AGAIN, now, 0, &card);
  g_assert_cmpint (card.state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (card.scheduled_days, >=, 1);
}

/* (g) */
static void
test_invalid_input (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  static const gint64 zero_step[] = { 60, 0 };
  static const gint64 negative_step[] = { -60 };
  static const gint64 good_steps[] = { 30, 120, 900 };
  double weights[RH_FSRS_N_WEIGHTS];
  gint64 many_steps[RH_FSRS_MAX_STEPS + 1];
  static const double bad_retention[] = { 0.0, 0.5, 0.69, 0.995, 1.0, 1.5, -1.0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad_retention); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (rh_fsrs_params_set_retention (params, bad_retention[i], &error));
      g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
      g_assert_cmpfloat (params->desired_retention, ==, 0.9);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_retention (params, NAN, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
  }

  g_assert_true (rh_fsrs_params_set_retention (params, 0.70, NULL));
  g_assert_true (rh_fsrs_params_set_retention (params, 0.99, NULL));
  g_assert_true (rh_fsrs_params_set_retention (params, 0.85, NULL));
  g_assert_cmpfloat (params->desired_retention, ==, 0.85);

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_learning_steps (params, zero_step, 2, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
    g_assert_cmpuint (params->n_learning_steps, ==, 2);
    g_assert_cmpint (params->learning_steps_s[1], ==, 600);
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_relearning_steps (params, negative_step, 1, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
    g_assert_cmpuint (params->n_relearning_steps, ==, 1);
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_learning_steps (params, NULL, 2, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
  }

  {
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (many_steps); i++)
      many_steps[i] = 60;
    g_assert_false (rh_fsrs_params_set_learning_steps (params, many_steps,
                                                       G_N_ELEMENTS (many_steps), &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
  }

  g_assert_true (rh_fsrs_params_set_learning_steps (params, good_steps, 3, NULL));
  g_assert_cmpuint (params->n_learning_steps, ==, 3);
  g_assert_cmpint (params->learning_steps_s[2], ==, 900);

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_maximum_interval (params, 0, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
    g_assert_cmpint (params->maximum_interval, ==, 36500);
  }

  /* Weights outside the optimizer's bounds (py-fsrs
   * test_scheduler_parameter_validation). */
  memcpy (weights, rh_fsrs_default_weights, sizeof weights);
  weights[6] = 100;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_weights (params, weights, RH_FSRS_N_WEIGHTS, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
    g_assert_cmpfloat (params->weights[6], ==, rh_fsrs_default_weights[6]);
  }

  weights[6] = rh_fsrs_default_weights[6];
  weights[0] = 0;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_weights (params, weights, RH_FSRS_N_WEIGHTS, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (rh_fsrs_params_set_weights (params, rh_fsrs_default_weights, 19, &error));
    g_assert_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID);
  }
}

/* (h) py-fsrs test_maximum_interval. */
static void
test_maximum_interval (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  gint64 now = reference_start ();
  gboolean reached = FALSE;
  RhCardState card;

  g_assert_true (rh_fsrs_params_set_maximum_interval (params, 100, NULL));
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 1e9), ==, 100);
  g_assert_cmpint (rh_fsrs_next_interval_days (params, INFINITY), ==, 100);
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 0.0), ==, 1);
  g_assert_cmpint (rh_fsrs_next_interval_days (params, NAN), ==, 1);

  /* At 90% retention the interval is the stability itself. */
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 42.4), ==, 42);
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 42.6), ==, 43);
  /* Ties round to even, like the reference's Python round(). */
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 2.5), ==, 2);
  g_assert_cmpint (rh_fsrs_next_interval_days (params, 3.5), ==, 4);

  for (int fuzz = 0; fuzz < 2; fuzz++)
    {
      params->enable_fuzz = fuzz;
      rh_card_state_init_new (&card, now);

      for (int i = 0; i < 12; i++)
        {
          RhRating rating = i % 2 ? RH_RATING_GOOD : RH_RATING_EASY;

          rh_fsrs_schedule (params, &card, rating, now, rh_fsrs_fuzz_seed ("max", now), &card);
          g_assert_cmpint (card.scheduled_days, <=, 100);
          g_assert_cmpint ((card.due_us - card.last_review_us) / DAY, <=, 100);
          reached |= card.scheduled_days == 100;
          now = card.due_us;
        }
    }

  g_assert_true (reached);
}

static void
test_replay (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  static const RhRating ratings[] = {
    RH_RATING_GOOD, RH_RATING_GOOD, RH_RATING_HARD, RH_RATING_GOOD,
    RH_RATING_AGAIN, RH_RATING_GOOD, RH_RATING_EASY, RH_RATING_GOOD,
  };
  static const int gaps_min[] = {
    0, 10, 60 * 24, 60 * 24 * 5, 60 * 24 * 20, 10, 60 * 24 * 3, 60 * 24 * 30,
  };
  RhFsrsReviewInput reviews[G_N_ELEMENTS (ratings)];
  RhCardState each[G_N_ELEMENTS (ratings)];
  double r[G_N_ELEMENTS (ratings)];
  RhCardState final;
  RhCardState again;
  RhCardState card;
  gint64 now = reference_start ();

  params->enable_fuzz = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
    {
      now += gaps_min[i] * MINUTE;
      reviews[i].rating = ratings[i];
      reviews[i].time_us = now;
    }

  rh_fsrs_replay (params, reviews, G_N_ELEMENTS (reviews), "card-1", &final, each, r);

  /* The same as answering one by one with the per-review seed. */
  rh_card_state_init_new (&card, reviews[0].time_us);
  for (guint i = 0; i < G_N_ELEMENTS (reviews); i++)
    {
      if (i == 0)
        g_assert_true (isnan (r[i]));
      else
        g_assert_cmpfloat (r[i], ==, rh_fsrs_retrievability (params, &card, reviews[i].time_us));

      rh_fsrs_schedule (params, &card, reviews[i].rating, reviews[i].time_us,
                        rh_fsrs_fuzz_seed ("card-1", reviews[i].time_us), &card);
      g_assert_cmpmem (&card, sizeof card, &each[i], sizeof each[i]);
    }
  g_assert_cmpmem (&card, sizeof card, &final, sizeof final);
  g_assert_cmpint (final.reps, ==, G_N_ELEMENTS (reviews));
  g_assert_cmpint (final.lapses, ==, 1);

  /* Deterministic, and the optional outputs are optional. */
  rh_fsrs_replay (params, reviews, G_N_ELEMENTS (reviews), "card-1", &again, NULL, NULL);
  g_assert_cmpmem (&again, sizeof again, &final, sizeof final);

  /* An empty history is a new card. */
  rh_fsrs_replay (params, NULL, 0, NULL, &again, NULL, NULL);
  g_assert_cmpint (again.state, ==, RH_CARD_STATE_NEW);
  g_assert_cmpint (again.reps, ==, 0);
}

static void
test_replay_invalid_rating (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
      RhFsrsReviewInput reviews[] = {
        { RH_RATING_GOOD, reference_start () },
        { (RhRating) 7, reference_start () + MINUTE },
        { RH_RATING_GOOD, reference_start () + 10 * MINUTE },
      };
      RhCardState final;

      rh_fsrs_replay (params, reviews, G_N_ELEMENTS (reviews), NULL, &final, NULL, NULL);
      g_assert_cmpint (final.reps, ==, 2);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*invalid rating 7*");
}

static void
test_preview (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  gint64 now = reference_start ();
  RhCardState card;
  RhCardState out[4];

  rh_card_state_init_new (&card, now);
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, now, 0, &card);
  rh_fsrs_schedule (params, &card, RH_RATING_GOOD, card.due_us, 0, &card);
  now = card.due_us;

  rh_fsrs_preview (params, &card, now, 99, out);

  for (RhRating rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
    {
      RhCardState next;

      rh_fsrs_schedule (params, &card, rating, now, 99, &next);
      g_assert_cmpmem (&next, sizeof next, &out[rating - 1], sizeof out[rating - 1]);
    }

  /* Harder answers never come back later than easier ones. */
  g_assert_cmpint (out[0].due_us, <, out[1].due_us);
  g_assert_cmpint (out[1].due_us, <=, out[2].due_us);
  g_assert_cmpint (out[2].due_us, <=, out[3].due_us);
}

static void
test_params_copy (void)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  g_autoptr(RhFsrsParams) copy = NULL;
  static const gint64 steps[] = { 120 };

  params->enable_fuzz = TRUE;
  copy = rh_fsrs_params_copy (params);

  g_assert_true (copy->enable_fuzz);
  g_assert_true (copy->learning_steps_s != params->learning_steps_s);
  g_assert_cmpmem (copy->learning_steps_s, copy->n_learning_steps * sizeof (gint64),
                   params->learning_steps_s, params->n_learning_steps * sizeof (gint64));

  g_assert_true (rh_fsrs_params_set_learning_steps (params, steps, 1, NULL));
  g_assert_cmpuint (copy->n_learning_steps, ==, 2);
  g_assert_cmpint (copy->learning_steps_s[0], ==, 60);
}

/* (i) */
static void
test_format_interval (void)
{
  static const struct { gint64 seconds; const char *text; } cases[] = {
    { -5, "0 s" },
    { 0, "0 s" },
    { 45, "45 s" },
    { 60, "1 min" },
    { 330, "5.5 min" },
    { 600, "10 min" },
    { 3598, "1 h" },
    { 3600, "1 h" },
    { 5400, "1.5 h" },
    { 86400, "1 d" },
    { 2 * 86400, "2 d" },
    { 29 * 86400, "29 d" },
    { 30 * 86400, "1 mo" },
    { 90 * 86400, "3 mo" },
    { 100 * 86400, "3.3 mo" },
    { 364 * 86400, "12.1 mo" },
    { 365 * 86400, "1 y" },
    { 438 * 86400, "1.2 y" },
    { 36500 * G_GINT64_CONSTANT (86400), "100 y" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rh_fsrs_format_interval (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fsrs/default-params", test_default_params);
  g_test_add_func ("/fsrs/interval-history", test_interval_history);
  g_test_add_func ("/fsrs/first-review", test_first_review);
  g_test_add_func ("/fsrs/memory-state", test_memory_state);
  g_test_add_func ("/fsrs/memory-state-fsrs5", test_memory_state_fsrs5);
  g_test_add_func ("/fsrs/stability-guards", test_stability_guards);
  g_test_add_func ("/fsrs/repeated-easy", test_repeated_easy);
  g_test_add_func ("/fsrs/retrievability", test_retrievability);
  g_test_add_func ("/fsrs/fuzz", test_fuzz);
  g_test_add_func ("/fsrs/learning-steps", test_learning_steps);
  g_test_add_func ("/fsrs/relearning-steps", test_relearning_steps);
  g_test_add_func ("/fsrs/no-steps", test_no_steps);
  g_test_add_func ("/fsrs/invalid-input", test_invalid_input);
  g_test_add_func ("/fsrs/maximum-interval", test_maximum_interval);
  g_test_add_func ("/fsrs/replay", test_replay);
  g_test_add_func ("/fsrs/replay-invalid-rating", test_replay_invalid_rating);
  g_test_add_func ("/fsrs/preview", test_preview);
  g_test_add_func ("/fsrs/params-copy", test_params_copy);
  g_test_add_func ("/fsrs/format-interval", test_format_interval);

  return g_test_run ();
}
