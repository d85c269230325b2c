// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-collection.h"
#include "rh-scenario.h"

G_BEGIN_DECLS

/* How many of the latest runs a scenario's mastery looks at: a learner
 * who once scored 95 and now scores 40 has not mastered it. */
#define RH_SCENARIO_RECENT_RUNS 3

/**
 * RhScenarioMastery:
 * @RH_SCENARIO_MASTERY_NEW: never practised
 * @RH_SCENARIO_MASTERY_LEARNING: the best recent run is below
 *   %RH_ANSWER_CLOSE_SCORE
 * @RH_SCENARIO_MASTERY_GOOD: the best recent run is below
 *   %RH_ANSWER_RIGHT_SCORE
 * @RH_SCENARIO_MASTERY_MASTERED: a recent run reached %RH_ANSWER_RIGHT_SCORE
 *
 * The same thresholds as one answer's verdict, so "mastered" means the
 * learner would have got a "right" on the whole dialogue.
 */
typedef enum
{
  RH_SCENARIO_MASTERY_NEW,
  RH_SCENARIO_MASTERY_LEARNING,
  RH_SCENARIO_MASTERY_GOOD,
  RH_SCENARIO_MASTERY_MASTERED,
} RhScenarioMastery;

#define RH_TYPE_SCENARIO_MASTERY (rh_scenario_mastery_get_type ())
GType       rh_scenario_mastery_get_type  (void) G_GNUC_CONST;
const char *rh_scenario_mastery_to_string (RhScenarioMastery mastery);
const char *rh_scenario_mastery_get_label (RhScenarioMastery mastery);

/**
 * RhScenarioOrigin:
 * @RH_SCENARIO_ORIGIN_ANY: every scenario
 * @RH_SCENARIO_ORIGIN_BUNDLED: the ones that ship with Rehearse
 * @RH_SCENARIO_ORIGIN_OWN: the learner's own
 */
typedef enum
{
  RH_SCENARIO_ORIGIN_ANY,
  RH_SCENARIO_ORIGIN_BUNDLED,
  RH_SCENARIO_ORIGIN_OWN,
} RhScenarioOrigin;

/**
 * RhScenarioFilter:
 * @level: (nullable): only this CEFR level ("B1")
 * @topic: (nullable): only this topic ("travel")
 * @text: (nullable): words that must all appear (case and accents
 *   ignored, as prefixes) in the title, description, goal or topic
 * @origin: bundled, own or both
 *
 * What the library page filters on; a zeroed filter lists everything.
 */
typedef struct
{
  const char       *level;
  const char       *topic;
  const char       *text;
  RhScenarioOrigin  origin;
} RhScenarioFilter;

/**
 * RhScenarioInstallReport:
 * @added: bundled scenarios new to the collection
 * @updated: stored ones whose content a newer bundled version replaced
 * @unchanged: stored ones already at the bundled version (or newer)
 * @kept_deleted: ones the learner deleted, which stay deleted
 */
typedef struct
{
  guint added;
  guint updated;
  guint unchanged;
  guint kept_deleted;
} RhScenarioInstallReport;

/**
 * RhScenarioTurnDraft:
 * @kind: partner or learner
 * @text: the partner's line, or the learner's task
 * @accepted: (nullable) (array zero-terminated=1): accepted answers
 * @key_phrases: (nullable) (array zero-terminated=1): key phrases
 * @hints: (nullable) (array zero-terminated=1): hints
 */
typedef struct
{
  RhTurnKind          kind;
  const char         *text;
  const char * const *accepted;
  const char * const *key_phrases;
  const char * const *hints;
} RhScenarioTurnDraft;

/**
 * RhScenarioDraft:
 * @turns: (array length=n_turns): the turns in order
 *
 * What the editor (or the command line) gives to create or change one of
 * the learner's own scenarios.
 */
typedef struct
{
  const char                *title;
  const char                *level;
  const char                *topic;
  const char                *description;
  const char                *goal;
  const RhScenarioTurnDraft *turns;
  guint                      n_turns;
} RhScenarioDraft;

/**
 * RhScenarioField:
 *
 * Which field of a draft a problem is about, so the editor can show the
 * message next to it.
 */
typedef enum
{
  RH_SCENARIO_FIELD_TITLE,
  RH_SCENARIO_FIELD_LEVEL,
  RH_SCENARIO_FIELD_TOPIC,
  RH_SCENARIO_FIELD_DESCRIPTION,
  RH_SCENARIO_FIELD_GOAL,
  RH_SCENARIO_FIELD_TURNS,
  RH_SCENARIO_FIELD_TURN_TEXT,
  RH_SCENARIO_FIELD_TURN_ACCEPTED,
  RH_SCENARIO_FIELD_TURN_KEY_PHRASES,
  RH_SCENARIO_FIELD_TURN_HINTS,
} RhScenarioField;

/**
 * RhScenarioProblem:
 * @field: the field
 * @turn: the turn's index for the turn fields, -1 otherwise
 * @error: what is wrong, with a message to show as it is
 */
typedef struct
{
  RhScenarioField  field;
  int              turn;
  GError          *error;
} RhScenarioProblem;

void rh_scenario_problem_free (RhScenarioProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhScenarioProblem, rh_scenario_problem_free)

GPtrArray  *rh_scenario_draft_check      (const RhScenarioDraft *draft);

const char *rh_scenario_topic_get_label  (const char            *topic);
char       *rh_scenario_bundle_id        (const char            *key);

#define RH_TYPE_SCENARIO_SUMMARY (rh_scenario_summary_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioSummary, rh_scenario_summary, RH, SCENARIO_SUMMARY, GObject)

RhScenario        *rh_scenario_summary_get_scenario       (RhScenarioSummary *self);
const char        *rh_scenario_summary_get_id             (RhScenarioSummary *self);
const char        *rh_scenario_summary_get_title          (RhScenarioSummary *self);
const char        *rh_scenario_summary_get_level          (RhScenarioSummary *self);
const char        *rh_scenario_summary_get_topic          (RhScenarioSummary *self);
gboolean           rh_scenario_summary_is_bundled         (RhScenarioSummary *self);
guint              rh_scenario_summary_get_n_learner_turns (RhScenarioSummary *self);
guint              rh_scenario_summary_get_runs           (RhScenarioSummary *self);
int                rh_scenario_summary_get_best_score     (RhScenarioSummary *self);
int                rh_scenario_summary_get_last_score     (RhScenarioSummary *self);
gint64             rh_scenario_summary_get_last_practiced (RhScenarioSummary *self);
RhScenarioMastery  rh_scenario_summary_get_mastery        (RhScenarioSummary *self);

#define RH_TYPE_SCENARIO_LIBRARY (rh_scenario_library_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioLibrary, rh_scenario_library, RH, SCENARIO_LIBRARY, GObject)

RhScenarioLibrary *rh_scenario_library_new          (RhCollection             *collection);
RhCollection      *rh_scenario_library_get_collection (RhScenarioLibrary      *self);

gboolean           rh_scenario_library_install      (RhScenarioLibrary        *self,
                                                     GPtrArray                *bundled,
                                                     RhScenarioInstallReport  *out_report,
                                                     GError                  **error);

GPtrArray         *rh_scenario_library_list         (RhScenarioLibrary        *self,
                                                     const RhScenarioFilter   *filter,
                                                     GError                  **error);
char             **rh_scenario_library_list_topics  (RhScenarioLibrary        *self,
                                                     GError                  **error);
RhScenario        *rh_scenario_library_get          (RhScenarioLibrary        *self,
                                                     const char               *id_or_key,
                                                     GError                  **error);
RhScenarioSummary *rh_scenario_library_get_summary  (RhScenarioLibrary        *self,
                                                     const char               *id,
                                                     GError                  **error);

RhScenario        *rh_scenario_library_create       (RhScenarioLibrary        *self,
                                                     const RhScenarioDraft    *draft,
                                                     GError                  **error);
RhScenario        *rh_scenario_library_update       (RhScenarioLibrary        *self,
                                                     const char               *id,
                                                     const RhScenarioDraft    *draft,
                                                     GError                  **error);
RhScenario        *rh_scenario_library_duplicate    (RhScenarioLibrary        *self,
                                                     const char               *id,
                                                     const char               *new_title,
                                                     GError                  **error);
gboolean           rh_scenario_library_delete       (RhScenarioLibrary        *self,
                                                     const char               *id,
                                                     GError                  **error);

G_END_DECLS
