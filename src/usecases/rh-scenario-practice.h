// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-answer-scoring.h"
#include "rh-collection.h"
#include "rh-scenario.h"

G_BEGIN_DECLS

/* What a hint costs on every attempt made after it. */
#define RH_PRACTICE_HINT_COST   15
/* What each attempt after the first costs: the one before showed the
 * closest accepted answer, and copying it is not knowing it. */
#define RH_PRACTICE_RETRY_COST  10
/* Longer answers are refused rather than stored. */
#define RH_PRACTICE_MAX_ANSWER  10000

/**
 * RhPracticeTurnState:
 * @RH_PRACTICE_TURN_PENDING: not reached yet
 * @RH_PRACTICE_TURN_SHOWN: a partner line that has been shown
 * @RH_PRACTICE_TURN_WAITING: the learner turn waiting for an answer
 * @RH_PRACTICE_TURN_ANSWERED: answered; feedback is there, and the
 *   learner can retry or go on
 * @RH_PRACTICE_TURN_SKIPPED: skipped (scores 0)
 */
typedef enum
{
  RH_PRACTICE_TURN_PENDING,
  RH_PRACTICE_TURN_SHOWN,
  RH_PRACTICE_TURN_WAITING,
  RH_PRACTICE_TURN_ANSWERED,
  RH_PRACTICE_TURN_SKIPPED,
} RhPracticeTurnState;

/**
 * RhPracticeTurn:
 * @index: the turn's index in the scenario
 * @state: where the run is with this turn
 * @hints_used: hints revealed so far
 * @attempts: answers submitted so far
 * @feedback: (nullable): the latest attempt's feedback
 * @attempt_score: the latest attempt's score after its costs, -1 before one
 * @score: the turn's score: the best attempt's, 0 when skipped, -1 before
 *   any answer
 * @answer: (nullable): the answer that scored @score
 * @missed_phrases: (array zero-terminated=1): the key phrases that answer
 *   lacks (all of them when skipped)
 *
 * One turn of a run, as the practice and results pages show it. Learner
 * turns keep the best attempt: each attempt scores its answer minus
 * %RH_PRACTICE_HINT_COST for every hint revealed before it and minus
 * %RH_PRACTICE_RETRY_COST for every attempt before it (never below 0),
 * and retrying never makes a turn's score worse.
 */
typedef struct
{
  guint                index;
  RhPracticeTurnState  state;
  guint                hints_used;
  guint                attempts;
  RhAnswerFeedback    *feedback;
  int                  attempt_score;
  int                  score;
  char                *answer;
  char               **missed_phrases;
} RhPracticeTurn;

/**
 * RhMissedPhrase:
 * @turn_index: the learner turn
 * @phrase: the key phrase as the scenario writes it
 * @card_id: the card it is practised with
 * @new_card: whether this run made the card (or an earlier run had)
 */
typedef struct
{
  guint     turn_index;
  char     *phrase;
  char     *card_id;
  gboolean  new_card;
} RhMissedPhrase;

/**
 * RhPracticeResult:
 * @session: the stored scenario session
 * @score: the overall score, the mean of the learner turns' scores
 * @turns: (element-type RhTurnResult): what was stored for each learner turn
 * @missed: (element-type RhMissedPhrase): the key phrases missed, with
 *   their cards
 * @cards_created: how many of those cards this run made
 */
typedef struct
{
  RhSession *session;
  double     score;
  GPtrArray *turns;
  GPtrArray *missed;
  guint      cards_created;
} RhPracticeResult;

void rh_practice_result_free (RhPracticeResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhPracticeResult, rh_practice_result_free)

#define RH_SCENARIO_PHRASE_DECK N_("Scenario phrases")

#define RH_TYPE_PRACTICE_RUN (rh_practice_run_get_type ())

G_DECLARE_FINAL_TYPE (RhPracticeRun, rh_practice_run, RH, PRACTICE_RUN, GObject)

RhPracticeRun         *rh_practice_run_new            (RhCollection   *collection,
                                                       RhScenario     *scenario,
                                                       GError        **error);
RhScenario            *rh_practice_run_get_scenario   (RhPracticeRun  *self);
guint                  rh_practice_run_get_n_turns    (RhPracticeRun  *self);
const RhPracticeTurn  *rh_practice_run_get_turn       (RhPracticeRun  *self,
                                                       guint           index);
int                    rh_practice_run_get_current    (RhPracticeRun  *self);
guint                  rh_practice_run_get_n_shown    (RhPracticeRun  *self);
const char            *rh_practice_run_get_partner_line (RhPracticeRun *self,
                                                       guint           index);
gboolean               rh_practice_run_is_complete    (RhPracticeRun  *self);
gboolean               rh_practice_run_is_finished    (RhPracticeRun  *self);
guint                  rh_practice_run_get_hints_left (RhPracticeRun  *self);

const char            *rh_practice_run_hint           (RhPracticeRun  *self,
                                                       GError        **error);
const RhPracticeTurn  *rh_practice_run_submit         (RhPracticeRun  *self,
                                                       const char     *answer,
                                                       GError        **error);
gboolean               rh_practice_run_retry          (RhPracticeRun  *self,
                                                       GError        **error);
gboolean               rh_practice_run_next           (RhPracticeRun  *self,
                                                       GError        **error);
gboolean               rh_practice_run_skip           (RhPracticeRun  *self,
                                                       GError        **error);
double                 rh_practice_run_get_score      (RhPracticeRun  *self);
RhPracticeResult      *rh_practice_run_finish         (RhPracticeRun  *self,
                                                       GError        **error);

G_END_DECLS
