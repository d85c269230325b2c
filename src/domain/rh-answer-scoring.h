// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RH_ANSWER_WRONG,
  RH_ANSWER_CLOSE,
  RH_ANSWER_RIGHT,
} RhAnswerVerdict;

#define RH_ANSWER_RIGHT_SCORE 85
#define RH_ANSWER_CLOSE_SCORE 60

/**
 * RhAnswerFeedback:
 * @score: 0..100
 * @verdict: what the score means to the learner
 * @similarity: 0..1, how close the words are to the closest accepted answer
 * @coverage: 0..1, the share of key phrases the answer uses (1 without any)
 * @closest: (nullable): the accepted answer closest to what was typed
 * @closest_index: its index in the accepted answers, -1 when none
 * @matched_words: words of @closest the answer has
 * @missing_words: words of @closest the answer lacks
 * @found_phrases: key phrases the answer uses
 * @missing_phrases: key phrases the answer lacks
 */
typedef struct
{
  int              score;
  RhAnswerVerdict  verdict;
  double           similarity;
  double           coverage;
  char            *closest;
  int              closest_index;
  char           **matched_words;
  char           **missing_words;
  char           **found_phrases;
  char           **missing_phrases;
} RhAnswerFeedback;

char             *rh_answer_normalize      (const char          *text);
char            **rh_answer_tokenize       (const char          *text);
RhAnswerFeedback *rh_answer_score          (const char          *answer,
                                            const char * const  *accepted,
                                            const char * const  *key_phrases);
void              rh_answer_feedback_free  (RhAnswerFeedback    *feedback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhAnswerFeedback, rh_answer_feedback_free)

G_END_DECLS
