// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-fsrs"

#include <math.h>
#include <string.h>

#include "rh-fsrs.h"

/*
 * FSRS-6 scheduler.
 *
 * The memory model (stability, difficulty, retrievability) is FSRS-6 as
 * fsrs-rs defines it. Everything around it -- learning and relearning steps,
 * when a review counts as "same day", how elapsed days are counted, fuzz
 * ranges -- follows py-fsrs v6 (fsrs/scheduler.py, Scheduler.review_card)
 * so that its published test vectors hold here. Where py-fsrs has no
 * equivalent, ts-fsrs v5 decides:
 *
 *  - enable_short_term = FALSE behaves like ts-fsrs' long-term scheduler:
 *    no steps, no same-day stability formula, no lapse floor.
 *  - reps, lapses and scheduled_days are counted as ts-fsrs counts them.
 *  - the fuzzed interval is picked with floor(), as ts-fsrs and Anki do,
 *    so it never leaves the fuzz range; py-fsrs rounds and can overshoot
 *    its range by one day.
 */

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)
#define USEC_PER_DAY (G_GINT64_CONSTANT (86400) * USEC_PER_SEC)

#define STABILITY_MIN  0.001
#define DIFFICULTY_MIN 1.0
#define DIFFICULTY_MAX 10.0

/* The longest step we accept; long enough for any sane setting, short
 * enough that microsecond arithmetic on it cannot overflow. */
#define MAX_STEP_S (G_GINT64_CONSTANT (36500) * 86400)

G_DEFINE_QUARK (rh-fsrs-error-quark, rh_fsrs_error)

const double rh_fsrs_default_weights[RH_FSRS_N_WEIGHTS] = {
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
  0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
  0.0912, 0.0658, 0.1542,
};

/* The bounds the optimizer clips to (py-fsrs v6). Outside them the model
 * stops making sense: an easy bonus below 1, say, would bring Easy cards
 * back sooner than Good ones. */
static const double weight_lower[RH_FSRS_N_WEIGHTS] = {
  STABILITY_MIN, STABILITY_MIN, STABILITY_MIN, STABILITY_MIN,
  1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001, 0.001, 0.001, 0.001,
  0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
};

static const double weight_upper[RH_FSRS_N_WEIGHTS] = {
  100.0, 100.0, 100.0, 100.0,
  10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9,
  4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
};

static const struct
{
  double start;
  double end;
  double factor;
} fuzz_ranges[] = {
  { 2.5, 7.0, 0.15 },
  { 7.0, 20.0, 0.10 },
  { 20.0, INFINITY, 0.05 },
};

static const gint64 default_learning_steps_s[] = { 60, 600 };
static const gint64 default_relearning_steps_s[] = { 600 };

/* Python's round(), which the reference uses for intervals: ties go to
 * the even neighbour. Spelled out so the result does not depend on the
 * floating-point environment. */
static double
round_half_even (double x)
{
  double r = floor (x);
  double diff = x - r;

  if (diff > 0.5 || (diff == 0.5 && fmod (r, 2.0) != 0.0))
    r += 1.0;

  return r;
}

/* Like Python's timedelta.days: whole days, rounded towards minus
 * infinity so that a clock that went backwards still counts as "today". */
static gint64
elapsed_days (gint64 from_us,
              gint64 to_us)
{
  gint64 delta = to_us - from_us;
  gint64 days = delta / USEC_PER_DAY;

  if (delta % USEC_PER_DAY != 0 && delta < 0)
    days -= 1;

  return days;
}

static double
decay (const RhFsrsParams *params)
{
  return -params->weights[20];
}

/* Chosen so that R = 0.9 exactly when t = S, whatever the decay. */
static double
factor (const RhFsrsParams *params)
{
  return pow (0.9, 1.0 / decay (params)) - 1.0;
}

static double
forgetting_curve (const RhFsrsParams *params,
                  double              days,
                  double              stability)
{
  return pow (1.0 + factor (params) * days / stability, decay (params));
}

static double
clamp_stability (double stability)
{
  return MAX (stability, STABILITY_MIN);
}

static double
clamp_difficulty (double difficulty)
{
  return CLAMP (difficulty, DIFFICULTY_MIN, DIFFICULTY_MAX);
}

static double
initial_stability (const RhFsrsParams *params,
                   RhRating            rating)
{
  return clamp_stability (params->weights[rating - 1]);
}

static double
initial_difficulty (const RhFsrsParams *params,
                    RhRating            rating)
{
  const double *w = params->weights;

  return w[4] - exp (w[5] * ((double) rating - 1.0)) + 1.0;
}

static double
next_difficulty (const RhFsrsParams *params,
                 double              difficulty,
                 RhRating            rating)
{
  const double *w = params->weights;
  /* RhRating is an unsigned enum: do the arithmetic in double. */
  double delta = -w[6] * ((double) rating - 3.0);
  /* The closer to 10, the less an Again can push difficulty up, so cards
   * do not get stuck at the ceiling. */
  double damped = difficulty + (10.0 - difficulty) * delta / 9.0;
  /* Mean reversion targets the unclamped easy start, as the reference
   * does; clamping it first would shift every long history a little. */
  double reverted = w[7] * initial_difficulty (params, RH_RATING_EASY) + (1.0 - w[7]) * damped;

  return clamp_difficulty (reverted);
}

static double
recall_stability (const RhFsrsParams *params,
                  double              difficulty,
                  double              stability,
                  double              retrievability,
                  RhRating            rating)
{
  const double *w = params->weights;
  double hard_penalty = rating == RH_RATING_HARD ? w[15] : 1.0;
  double easy_bonus = rating == RH_RATING_EASY ? w[16] : 1.0;

  return stability * (1.0
                      + exp (w[8])
                      * (11.0 - difficulty)
                      * pow (stability, -w[9])
                      * (exp ((1.0 - retrievability) * w[10]) - 1.0)
                      * hard_penalty
                      * easy_bonus);
}

static double
forget_stability (const RhFsrsParams *params,
                  double              difficulty,
                  double              stability,
                  double              retrievability)
{
  const double *w = params->weights;
  double long_term = w[11]
                     * pow (difficulty, -w[12])
                     * (pow (stability + 1.0, w[13]) - 1.0)
                     * exp ((1.0 - retrievability) * w[14]);

  if (!params->enable_short_term)
    return long_term;

  /* A lapse must not leave the card more stable than a same-day Again
   * would have. */
  return MIN (long_term, stability / exp (w[17] * w[18]));
}

static double
short_term_stability (const RhFsrsParams *params,
                      double              stability,
                      RhRating            rating)
{
  const double *w = params->weights;
  double increase = exp (w[17] * ((double) rating - 3.0 + w[18])) * pow (stability, -w[19]);

  /* FSRS-6: a passing same-day answer never lowers stability, even for
   * cards that are already very stable (where S^-w19 is small). */
  if (rating >= RH_RATING_GOOD)
    increase = MAX (increase, 1.0);

  return clamp_stability (stability * increase);
}

static gboolean
has_memory (const RhCardState *card)
{
  return card->state != RH_CARD_STATE_NEW && card->stability > 0.0 && card->difficulty > 0.0;
}

static void
update_memory (const RhFsrsParams *params,
               RhCardState        *card,
               RhRating            rating,
               gint64              now_us)
{
  double r;

  if (!has_memory (card))
    {
      card->stability = initial_stability (params, rating);
      card->difficulty = clamp_difficulty (initial_difficulty (params, rating));
      return;
    }

  if (params->enable_short_term && elapsed_days (card->last_review_us, now_us) < 1)
    {
      card->stability = short_term_stability (params, card->stability, rating);
    }
  else
    {
      r = rh_fsrs_retrievability (params, card, now_us);
      if (rating == RH_RATING_AGAIN)
        card->stability = forget_stability (params, card->difficulty, card->stability, r);
      else
        card->stability = recall_stability (params, card->difficulty, card->stability, r, rating);
      card->stability = clamp_stability (card->stability);
    }

  card->difficulty = next_difficulty (params, card->difficulty, rating);
}

static gboolean
validate_steps (const gint64  *steps_s,
                guint          n_steps,
                GError       **error)
{
  if (n_steps > RH_FSRS_MAX_STEPS)
    {
      g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                   "At most %d steps are allowed", RH_FSRS_MAX_STEPS);
      return FALSE;
    }

  if (n_steps > 0 && steps_s == NULL)
    {
      g_set_error_literal (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                           "Steps are missing");
      return FALSE;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      if (steps_s[i] <= 0 || steps_s[i] > MAX_STEP_S)
        {
          g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                       "Step %u must be between 1 second and 100 years", i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

static void
replace_steps (gint64       **slot,
               guint         *n_slot,
               const gint64  *steps_s,
               guint          n_steps)
{
  g_clear_pointer (slot, g_free);
  *n_slot = n_steps;
  if (n_steps > 0)
    *slot = g_memdup2 (steps_s, sizeof (gint64) * n_steps);
}

/**
 * rh_fsrs_params_new_default:
 *
 * Returns: (transfer full): FSRS-6 default weights, 90% retention, a
 *   36500-day cap, learning steps 1 min and 10 min, a 10 min relearning
 *   step, fuzz off and short-term scheduling on
 */
RhFsrsParams *
rh_fsrs_params_new_default (void)
{
  RhFsrsParams *params = g_new0 (RhFsrsParams, 1);

  memcpy (params->weights, rh_fsrs_default_weights, sizeof params->weights);
  params->desired_retention = 0.9;
  params->maximum_interval = RH_FSRS_MAX_INTERVAL_DEFAULT;
  replace_steps (&params->learning_steps_s, &params->n_learning_steps,
                 default_learning_steps_s, G_N_ELEMENTS (default_learning_steps_s));
  replace_steps (&params->relearning_steps_s, &params->n_relearning_steps,
                 default_relearning_steps_s, G_N_ELEMENTS (default_relearning_steps_s));
  params->enable_fuzz = FALSE;
  params->enable_short_term = TRUE;

  return params;
}

/**
 * rh_fsrs_params_copy:
 * @params: parameters
 *
 * Returns: (transfer full): a deep copy of @params
 */
RhFsrsParams *
rh_fsrs_params_copy (const RhFsrsParams *params)
{
  RhFsrsParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_new0 (RhFsrsParams, 1);
  *copy = *params;
  copy->learning_steps_s = NULL;
  copy->relearning_steps_s = NULL;
  replace_steps (&copy->learning_steps_s, &copy->n_learning_steps,
                 params->learning_steps_s, params->n_learning_steps);
  replace_steps (&copy->relearning_steps_s, &copy->n_relearning_steps,
                 params->relearning_steps_s, params->n_relearning_steps);

  return copy;
}

/**
 * rh_fsrs_params_free:
 * @params: (nullable): parameters
 */
void
rh_fsrs_params_free (RhFsrsParams *params)
{
  if (params == NULL)
    return;

  g_free (params->learning_steps_s);
  g_free (params->relearning_steps_s);
  g_free (params);
}

/**
 * rh_fsrs_params_set_weights:
 * @params: parameters
 * @weights: (array length=n_weights): FSRS-6 weights
 * @n_weights: must be %RH_FSRS_N_WEIGHTS
 * @error: return location for a %RH_FSRS_ERROR_INVALID error
 *
 * Leaves @params untouched when any weight is out of the optimizer's bounds.
 *
 * Returns: %TRUE when the weights were taken
 */
gboolean
rh_fsrs_params_set_weights (RhFsrsParams  *params,
                            const double  *weights,
                            guint          n_weights,
                            GError       **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (weights == NULL || n_weights != RH_FSRS_N_WEIGHTS)
    {
      g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                   "Expected %d weights, got %u", RH_FSRS_N_WEIGHTS,
                   weights == NULL ? 0 : n_weights);
      return FALSE;
    }

  for (guint i = 0; i < RH_FSRS_N_WEIGHTS; i++)
    {
      /* Written so that NaN fails too. */
      if (!(weights[i] >= weight_lower[i] && weights[i] <= weight_upper[i]))
        {
          g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                       "Weight %u is %g, outside %g..%g",
                       i, weights[i], weight_lower[i], weight_upper[i]);
          return FALSE;
        }
    }

  memcpy (params->weights, weights, sizeof params->weights);
  return TRUE;
}

/**
 * rh_fsrs_params_set_retention:
 * @params: parameters
 * @desired_retention: between %RH_FSRS_MIN_RETENTION and %RH_FSRS_MAX_RETENTION
 * @error: return location for a %RH_FSRS_ERROR_INVALID error
 *
 * Returns: %TRUE when the retention was taken
 */
gboolean
rh_fsrs_params_set_retention (RhFsrsParams  *params,
                              double         desired_retention,
                              GError       **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(desired_retention >= RH_FSRS_MIN_RETENTION && desired_retention <= RH_FSRS_MAX_RETENTION))
    {
      g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                   "Desired retention must be between %d%% and %d%%",
                   (int) (RH_FSRS_MIN_RETENTION * 100 + 0.5),
                   (int) (RH_FSRS_MAX_RETENTION * 100 + 0.5));
      return FALSE;
    }

  params->desired_retention = desired_retention;
  return TRUE;
}

/**
 * rh_fsrs_params_set_maximum_interval:
 * @params: parameters
 * @maximum_interval: days, 1..36500
 * @error: return location for a %RH_FSRS_ERROR_INVALID error
 *
 * Returns: %TRUE when the cap was taken
 */
gboolean
rh_fsrs_params_set_maximum_interval (RhFsrsParams  *params,
                                     int            maximum_interval,
                                     GError       **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (maximum_interval < 1 || maximum_interval > RH_FSRS_MAX_INTERVAL_DEFAULT)
    {
      g_set_error (error, RH_FSRS_ERROR, RH_FSRS_ERROR_INVALID,
                   "The maximum interval must be between 1 and %d days",
                   RH_FSRS_MAX_INTERVAL_DEFAULT);
      return FALSE;
    }

  params->maximum_interval = maximum_interval;
  return TRUE;
}

/**
 * rh_fsrs_params_set_learning_steps:
 * @params: parameters
 * @steps_s: (array length=n_steps) (nullable): step lengths in seconds
 * @n_steps: how many; 0 sends new cards straight to review
 * @error: return location for a %RH_FSRS_ERROR_INVALID error
 *
 * Returns: %TRUE when the steps were taken
 */
gboolean
rh_fsrs_params_set_learning_steps (RhFsrsParams  *params,
                                   const gint64  *steps_s,
                                   guint          n_steps,
                                   GError       **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_steps (steps_s, n_steps, error))
    return FALSE;

  replace_steps (&params->learning_steps_s, &params->n_learning_steps, steps_s, n_steps);
  return TRUE;
}

/**
 * rh_fsrs_params_set_relearning_steps:
 * @params: parameters
 * @steps_s: (array length=n_steps) (nullable): step lengths in seconds
 * @n_steps: how many; 0 keeps lapsed cards in review
 * @error: return location for a %RH_FSRS_ERROR_INVALID error
 *
 * Returns: %TRUE when the steps were taken
 */
gboolean
rh_fsrs_params_set_relearning_steps (RhFsrsParams  *params,
                                     const gint64  *steps_s,
                                     guint          n_steps,
                                     GError       **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_steps (steps_s, n_steps, error))
    return FALSE;

  replace_steps (&params->relearning_steps_s, &params->n_relearning_steps, steps_s, n_steps);
  return TRUE;
}

/**
 * rh_card_state_init_new:
 * @state: (out caller-allocates): the state to fill
 * @now_us: when the card was created; it is due at once
 */
void
rh_card_state_init_new (RhCardState *state,
                        gint64       now_us)
{
  g_return_if_fail (state != NULL);

  memset (state, 0, sizeof *state);
  state->state = RH_CARD_STATE_NEW;
  state->due_us = now_us;
}

/**
 * rh_fsrs_retrievability:
 * @params: parameters
 * @state: a card
 * @now_us: the moment to predict for
 *
 * Elapsed time is counted in whole days, rounded down, as the reference
 * schedulers do, so a card reviewed this morning still reads 100% tonight.
 *
 * Returns: the probability of recall, 0 for a card never reviewed
 */
double
rh_fsrs_retrievability (const RhFsrsParams *params,
                        const RhCardState  *state,
                        gint64              now_us)
{
  gint64 days;

  g_return_val_if_fail (params != NULL, 0.0);
  g_return_val_if_fail (state != NULL, 0.0);

  if (state->state == RH_CARD_STATE_NEW || state->last_review_us == 0 || !(state->stability > 0.0))
    return 0.0;

  days = MAX (0, elapsed_days (state->last_review_us, now_us));
  return forgetting_curve (params, (double) days, state->stability);
}

/**
 * rh_fsrs_next_interval_days:
 * @params: parameters
 * @stability: a stability in days
 *
 * Returns: the days until recall falls to the desired retention, without
 *   fuzz, between 1 and the maximum interval
 */
int
rh_fsrs_next_interval_days (const RhFsrsParams *params,
                            double              stability)
{
  double interval;

  g_return_val_if_fail (params != NULL, 1);

  interval = stability / factor (params)
             * (pow (params->desired_retention, 1.0 / decay (params)) - 1.0);
  interval = round_half_even (interval);

  /* Compared as doubles so that huge stabilities cannot overflow the cast;
   * the negated test also sends NaN to 1. */
  if (!(interval >= 1.0))
    return 1;
  if (interval >= params->maximum_interval)
    return MAX (1, params->maximum_interval);

  return (int) interval;
}

/* SplitMix64's finaliser: cheap, portable, and turns neighbouring seeds
 * into unrelated outputs. */
static guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/**
 * rh_fsrs_fuzz_seed:
 * @card_id: (nullable): a stable card identifier
 * @review_time_us: when the answer was given
 *
 * The seed depends only on its inputs, never on process state, so a
 * replayed history lands on the same days on every device.
 *
 * Returns: a seed for rh_fsrs_schedule()
 */
guint64
rh_fsrs_fuzz_seed (const char *card_id,
                   gint64      review_time_us)
{
  /* FNV-1a over the bytes of the id. */
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) (card_id ? card_id : ""); *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  return mix64 (hash ^ mix64 ((guint64) review_time_us));
}

/**
 * rh_fsrs_apply_fuzz:
 * @params: parameters
 * @interval_days: an unfuzzed interval
 * @fuzz_seed: from rh_fsrs_fuzz_seed()
 *
 * Spreads cards learnt together over neighbouring days, so they do not
 * keep coming back as one clump. The range widens with the interval:
 * ±15% of the part between 2.5 and 7 days, ±10% of the part up to 20
 * days, ±5% beyond, plus one day.
 *
 * Returns: @interval_days unchanged when fuzz is off or the interval is
 *   under 2.5 days, otherwise a day picked from the range by @fuzz_seed
 */
int
rh_fsrs_apply_fuzz (const RhFsrsParams *params,
                    int                 interval_days,
                    guint64             fuzz_seed)
{
  double delta = 1.0;
  double unit;
  int min_ivl;
  int max_ivl;
  int fuzzed;

  g_return_val_if_fail (params != NULL, interval_days);

  if (!params->enable_fuzz || interval_days < 2.5)
    return interval_days;

  for (guint i = 0; i < G_N_ELEMENTS (fuzz_ranges); i++)
    delta += fuzz_ranges[i].factor
             * MAX (MIN ((double) interval_days, fuzz_ranges[i].end) - fuzz_ranges[i].start, 0.0);

  min_ivl = (int) round_half_even (interval_days - delta);
  max_ivl = (int) round_half_even (interval_days + delta);
  min_ivl = MAX (2, min_ivl);
  max_ivl = MIN (max_ivl, params->maximum_interval);
  min_ivl = MIN (min_ivl, max_ivl);

  /* 53 random bits give a double uniform in [0, 1). */
  unit = (double) (mix64 (fuzz_seed) >> 11) * (1.0 / 9007199254740992.0);
  fuzzed = (int) floor (unit * (max_ivl - min_ivl + 1) + min_ivl);

  return CLAMP (fuzzed, min_ivl, max_ivl);
}

/**
 * rh_fsrs_schedule:
 * @params: parameters
 * @prev: the card before the answer
 * @rating: the answer
 * @now_us: when it was given
 * @fuzz_seed: from rh_fsrs_fuzz_seed(); ignored unless fuzz is on
 * @next: (out caller-allocates): the card after the answer; may be @prev
 *
 * Learning and relearning follow py-fsrs v6: Again goes back to the
 * first step, Hard repeats the step (the first one is stretched to the
 * mean of the first two, or 1.5× when there is one), Good moves on and
 * graduates after the last step, Easy graduates at once. A lapse in
 * review goes to the first relearning step.
 */
void
rh_fsrs_schedule (const RhFsrsParams *params,
                  const RhCardState  *prev,
                  RhRating            rating,
                  gint64              now_us,
                  guint64             fuzz_seed,
                  RhCardState        *next)
{
  RhCardState card;
  gboolean long_term = FALSE;
  gint64 step_us = 0;

  g_return_if_fail (params != NULL);
  g_return_if_fail (prev != NULL);
  g_return_if_fail (next != NULL);
  g_return_if_fail (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY);

  card = *prev;
  update_memory (params, &card, rating, now_us);

  if (card.state == RH_CARD_STATE_REVIEW)
    {
      if (rating != RH_RATING_AGAIN)
        {
          long_term = TRUE;
        }
      else
        {
          card.lapses++;
          if (params->enable_short_term && params->n_relearning_steps > 0)
            {
              card.state = RH_CARD_STATE_RELEARNING;
              card.step = 0;
              step_us = params->relearning_steps_s[0] * USEC_PER_SEC;
            }
          else
            {
              long_term = TRUE;
            }
        }
    }
  else
    {
      gboolean relearning = card.state == RH_CARD_STATE_RELEARNING;
      const gint64 *steps = relearning ? params->relearning_steps_s : params->learning_steps_s;
      guint n_steps = relearning ? params->n_relearning_steps : params->n_learning_steps;

      if (!params->enable_short_term)
        n_steps = 0;

      if (card.step < 0)
        card.step = 0;

      /* A card left past the last step by a scheduler that had more
       * steps graduates on any passing answer. */
      if (n_steps == 0 || ((guint) card.step >= n_steps && rating != RH_RATING_AGAIN))
        {
          long_term = TRUE;
        }
      else
        {
          switch (rating)
            {
            case RH_RATING_AGAIN:
              card.step = 0;
              step_us = steps[0] * USEC_PER_SEC;
              break;

            case RH_RATING_HARD:
              if (card.step == 0 && n_steps == 1)
                step_us = steps[0] * USEC_PER_SEC * 3 / 2;
              else if (card.step == 0)
                step_us = (steps[0] + steps[1]) * USEC_PER_SEC / 2;
              else
                step_us = steps[card.step] * USEC_PER_SEC;
              break;

            case RH_RATING_GOOD:
              if ((guint) card.step + 1 >= n_steps)
                {
                  long_term = TRUE;
                }
              else
                {
                  card.step++;
                  step_us = steps[card.step] * USEC_PER_SEC;
                }
              break;

            case RH_RATING_EASY:
            default:
              long_term = TRUE;
              break;
            }
        }

      if (!long_term)
        card.state = relearning ? RH_CARD_STATE_RELEARNING : RH_CARD_STATE_LEARNING;
    }

  if (long_term)
    {
      int days = rh_fsrs_next_interval_days (params, card.stability);

      days = rh_fsrs_apply_fuzz (params, days, fuzz_seed);
      card.state = RH_CARD_STATE_REVIEW;
      card.step = 0;
      card.scheduled_days = days;
      card.due_us = now_us + days * USEC_PER_DAY;
    }
  else
    {
      card.scheduled_days = 0;
      card.due_us = now_us + step_us;
    }

  card.last_review_us = now_us;
  card.reps++;

  *next = card;
}

/**
 * rh_fsrs_preview:
 * @params: parameters
 * @prev: the card as it is
 * @now_us: the moment of the answer
 * @fuzz_seed: from rh_fsrs_fuzz_seed()
 * @out_next: (out caller-allocates) (array fixed-size=4): the card after
 *   Again, Hard, Good and Easy, in that order
 *
 * What the grade buttons show before an answer is chosen.
 */
void
rh_fsrs_preview (const RhFsrsParams *params,
                 const RhCardState  *prev,
                 gint64              now_us,
                 guint64             fuzz_seed,
                 RhCardState         out_next[4])
{
  RhCardState before;

  g_return_if_fail (params != NULL);
  g_return_if_fail (prev != NULL);
  g_return_if_fail (out_next != NULL);

  /* out_next may overlap prev. */
  before = *prev;

  for (int rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
    rh_fsrs_schedule (params, &before, rating, now_us, fuzz_seed, &out_next[rating - 1]);
}

/**
 * rh_fsrs_replay:
 * @params: parameters
 * @reviews: (array length=n): answers in time order
 * @n: how many
 * @card_id: (nullable): seeds the fuzz; an empty id is used when %NULL
 * @out_final: (out caller-allocates): the card after the last answer, or a
 *   new card when @n is 0
 * @out_each: (out caller-allocates) (array length=n) (nullable): the card
 *   after each answer
 * @out_retrievability: (out caller-allocates) (array length=n) (nullable):
 *   the predicted recall at each answer, NAN for the first
 *
 * Rebuilds a card from its log, e.g. after the parameters changed.
 */
void
rh_fsrs_replay (const RhFsrsParams      *params,
                const RhFsrsReviewInput *reviews,
                guint                    n,
                const char              *card_id,
                RhCardState             *out_final,
                RhCardState             *out_each,
                double                  *out_retrievability)
{
  RhCardState card;

  g_return_if_fail (params != NULL);
  g_return_if_fail (n == 0 || reviews != NULL);
  g_return_if_fail (out_final != NULL);

  rh_card_state_init_new (&card, n > 0 ? reviews[0].time_us : 0);

  for (guint i = 0; i < n; i++)
    {
      RhRating rating = reviews[i].rating;
      gint64 time_us = reviews[i].time_us;

      if (out_retrievability != NULL)
        out_retrievability[i] = i == 0 ? NAN : rh_fsrs_retrievability (params, &card, time_us);

      if (rating >= RH_RATING_AGAIN && rating <= RH_RATING_EASY)
        {
          guint64 seed = params->enable_fuzz ? rh_fsrs_fuzz_seed (card_id, time_us) : 0;

          rh_fsrs_schedule (params, &card, rating, time_us, seed, &card);
        }
      else
        {
          /* A damaged log entry must not stop the rest of the history
           * from counting. */
          g_warning ("Skipping review %u with invalid rating %d", i, (int) rating);
        }

      if (out_each != NULL)
        out_each[i] = card;
    }

  *out_final = card;
}

/**
 * rh_fsrs_interval_round:
 * @seconds: a duration
 * @out_tenths: (out): the duration in tenths of the unit, rounded
 *
 * The unit that reads best for a duration on a grade button: seconds
 * under a minute, then minutes, hours, days, months (30 days) and years
 * (365 days). The choice is made on the rounded amount, so 59.97 min
 * reads "1 h" rather than "60 min".
 *
 * Returns: the unit
 */
RhIntervalUnit
rh_fsrs_interval_round (gint64  seconds,
                        gint64 *out_tenths)
{
  static const struct
  {
    double seconds;
    double limit;     /* in this unit; from there on the next one reads better */
  } units[] = {
    [RH_INTERVAL_SECONDS] = { 1.0, 60.0 },
    [RH_INTERVAL_MINUTES] = { 60.0, 60.0 },
    [RH_INTERVAL_HOURS] = { 3600.0, 24.0 },
    [RH_INTERVAL_DAYS] = { 86400.0, 30.0 },
    [RH_INTERVAL_MONTHS] = { 30.0 * 86400.0, 365.0 / 30.0 },
    [RH_INTERVAL_YEARS] = { 365.0 * 86400.0, G_MAXDOUBLE },
  };
  double tenths = 0;
  guint i;

  g_return_val_if_fail (out_tenths != NULL, RH_INTERVAL_SECONDS);

  seconds = MAX (seconds, 0);
  for (i = 0; i < G_N_ELEMENTS (units); i++)
    {
      tenths = floor ((double) seconds / units[i].seconds * 10.0 + 0.5);
      if (tenths < units[i].limit * 10.0)
        break;
    }
  *out_tenths = (gint64) tenths;
  return (RhIntervalUnit) MIN (i, G_N_ELEMENTS (units) - 1);
}

/**
 * rh_fsrs_format_interval:
 * @seconds: a duration
 *
 * A short label for grade buttons: "45 s", "1 min", "5.5 min", "3 h",
 * "2 d", "3 mo", "1.2 y". Months are 30 days and years 365. The text is
 * plain ASCII and untranslated.
 *
 * Returns: (transfer full): the label
 */
char *
rh_fsrs_format_interval (gint64 seconds)
{
  static const char * const units[] = { "s", "min", "h", "d", "mo", "y" };
  gint64 tenths;
  RhIntervalUnit unit = rh_fsrs_interval_round (seconds, &tenths);

  /* Built from integers: printf("%.1f") would follow the locale's
   * decimal separator. */
  if (tenths % 10 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", tenths / 10, units[unit]);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%d %s", tenths / 10, (int) (tenths % 10),
                          units[unit]);
}
