// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RH_FSRS_ERROR (rh_fsrs_error_quark ())

typedef enum
{
  RH_FSRS_ERROR_INVALID,
} RhFsrsError;

GQuark rh_fsrs_error_quark (void);

typedef enum
{
  RH_RATING_AGAIN = 1,
  RH_RATING_HARD  = 2,
  RH_RATING_GOOD  = 3,
  RH_RATING_EASY  = 4,
} RhRating;

typedef enum
{
  RH_CARD_STATE_NEW        = 0,
  RH_CARD_STATE_LEARNING   = 1,
  RH_CARD_STATE_REVIEW     = 2,
  RH_CARD_STATE_RELEARNING = 3,
} RhCardStateKind;

#define RH_FSRS_N_WEIGHTS 21

#define RH_FSRS_MIN_RETENTION        0.70
#define RH_FSRS_MAX_RETENTION        0.99
#define RH_FSRS_MAX_INTERVAL_DEFAULT 36500
#define RH_FSRS_MAX_STEPS            32

/**
 * RhFsrsParams:
 * @weights: the 21 FSRS-6 model weights
 * @desired_retention: the recall probability at which reviews fall due
 * @maximum_interval: the longest interval in days
 * @learning_steps_s: (array length=n_learning_steps): steps for new cards, in seconds
 * @n_learning_steps: the length of @learning_steps_s
 * @relearning_steps_s: (array length=n_relearning_steps): steps after a lapse, in seconds
 * @n_relearning_steps: the length of @relearning_steps_s
 * @enable_fuzz: whether long intervals get a little deterministic jitter
 * @enable_short_term: whether same-day reviews and (re)learning steps are used
 *
 * The step arrays are owned by the struct; change them and the other
 * checked fields through the setters so they stay valid.
 */
typedef struct
{
  double    weights[RH_FSRS_N_WEIGHTS];
  double    desired_retention;
  int       maximum_interval;
  gint64   *learning_steps_s;
  guint     n_learning_steps;
  gint64   *relearning_steps_s;
  guint     n_relearning_steps;
  gboolean  enable_fuzz;
  gboolean  enable_short_term;
} RhFsrsParams;

/**
 * RhCardState:
 * @state: where the card is in its life
 * @step: index into the (re)learning steps; 0 outside them
 * @stability: days until recall drops to 90%; 0 for a new card
 * @difficulty: 1..10; 0 for a new card
 * @due_us: UTC microseconds
 * @last_review_us: UTC microseconds, 0 when never reviewed
 * @reps: answers given
 * @lapses: times a review card was forgotten
 * @scheduled_days: the long-term interval of the last answer, 0 when it
 *   went to a (re)learning step
 */
typedef struct
{
  RhCardStateKind state;
  int             step;
  double          stability;
  double          difficulty;
  gint64          due_us;
  gint64          last_review_us;
  int             reps;
  int             lapses;
  int             scheduled_days;
} RhCardState;

typedef struct
{
  RhRating rating;
  gint64   time_us;
} RhFsrsReviewInput;

extern const double rh_fsrs_default_weights[RH_FSRS_N_WEIGHTS];

RhFsrsParams *rh_fsrs_params_new_default           (void);
RhFsrsParams *rh_fsrs_params_copy                  (const RhFsrsParams  *params);
void          rh_fsrs_params_free                  (RhFsrsParams        *params);
gboolean      rh_fsrs_params_set_weights           (RhFsrsParams        *params,
                                                    const double        *weights,
                                                    guint                n_weights,
                                                    GError             **error);
gboolean      rh_fsrs_params_set_retention         (RhFsrsParams        *params,
                                                    double               desired_retention,
                                                    GError             **error);
gboolean      rh_fsrs_params_set_maximum_interval  (RhFsrsParams        *params,
                                                    int                  maximum_interval,
                                                    GError             **error);
gboolean      rh_fsrs_params_set_learning_steps    (RhFsrsParams        *params,
                                                    const gint64        *steps_s,
                                                    guint                n_steps,
                                                    GError             **error);
gboolean      rh_fsrs_params_set_relearning_steps  (RhFsrsParams        *params,
                                                    const gint64        *steps_s,
                                                    guint                n_steps,
                                                    GError             **error);

void          rh_card_state_init_new               (RhCardState         *state,
                                                    gint64               now_us);

double        rh_fsrs_retrievability               (const RhFsrsParams  *params,
                                                    const RhCardState   *state,
                                                    gint64               now_us);
int           rh_fsrs_next_interval_days           (const RhFsrsParams  *params,
                                                    double               stability);
int           rh_fsrs_apply_fuzz                   (const RhFsrsParams  *params,
                                                    int                  interval_days,
                                                    guint64              fuzz_seed);
guint64       rh_fsrs_fuzz_seed                    (const char          *card_id,
                                                    gint64               review_time_us);
void          rh_fsrs_schedule                     (const RhFsrsParams  *params,
                                                    const RhCardState   *prev,
                                                    RhRating             rating,
                                                    gint64               now_us,
                                                    guint64              fuzz_seed,
                                                    RhCardState         *next);
void          rh_fsrs_preview                      (const RhFsrsParams  *params,
                                                    const RhCardState   *prev,
                                                    gint64               now_us,
                                                    guint64              fuzz_seed,
                                                    RhCardState          out_next[4]);
void          rh_fsrs_replay                       (const RhFsrsParams      *params,
                                                    const RhFsrsReviewInput *reviews,
                                                    guint                    n,
                                                    const char              *card_id,
                                                    RhCardState             *out_final,
                                                    RhCardState             *out_each,
                                                    double                  *out_retrievability);

/* The unit a grade button shows an interval in */
typedef enum
{
  RH_INTERVAL_SECONDS,
  RH_INTERVAL_MINUTES,
  RH_INTERVAL_HOURS,
  RH_INTERVAL_DAYS,
  RH_INTERVAL_MONTHS,
  RH_INTERVAL_YEARS,
} RhIntervalUnit;

RhIntervalUnit rh_fsrs_interval_round              (gint64               seconds,
                                                    gint64              *out_tenths);
char         *rh_fsrs_format_interval              (gint64               seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhFsrsParams, rh_fsrs_params_free)

G_END_DECLS
