// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-session.h"

G_BEGIN_DECLS

/**
 * RhTurnResult:
 * @turn_index: the learner turn's index among all the scenario's turns
 * @score: 0..100, after the hint and retry costs
 * @answer: (nullable): the answer that scored @score; %NULL when skipped
 * @hints_used: hints revealed on this turn
 * @attempts: answers submitted on this turn
 * @skipped: whether the learner skipped it (or never reached it)
 *
 * One learner turn of a finished scenario run.
 */
typedef struct
{
  guint     turn_index;
  int       score;
  char     *answer;
  guint     hints_used;
  guint     attempts;
  gboolean  skipped;
} RhTurnResult;

RhTurnResult *rh_turn_result_copy (const RhTurnResult *result);
void          rh_turn_result_free (RhTurnResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhTurnResult, rh_turn_result_free)

/**
 * RhScenarioRunStats:
 * @scenario_id: the scenario
 * @runs: finished runs
 * @best_recent: the best overall score among the most recent runs
 * @last_score: the overall score of the latest run
 * @last_practiced_us: when the latest run started
 *
 * What the library needs to show a scenario's mastery.
 */
typedef struct
{
  char   *scenario_id;
  guint   runs;
  double  best_recent;
  double  last_score;
  gint64  last_practiced_us;
} RhScenarioRunStats;

void rh_scenario_run_stats_free (RhScenarioRunStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhScenarioRunStats, rh_scenario_run_stats_free)

#define RH_TYPE_SESSION_REPOSITORY (rh_session_repository_get_type ())

G_DECLARE_INTERFACE (RhSessionRepository, rh_session_repository, RH, SESSION_REPOSITORY, GObject)

struct _RhSessionRepositoryInterface
{
  GTypeInterface parent_iface;

  gboolean   (*save)         (RhSessionRepository  *self,
                              RhSession            *session,
                              GError              **error);
  RhSession *(*get)          (RhSessionRepository  *self,
                              const char           *id,
                              GError              **error);
  GPtrArray *(*list_open)    (RhSessionRepository  *self,
                              GError              **error);
  GPtrArray *(*list_between) (RhSessionRepository  *self,
                              gint64                from_us,
                              gint64                to_us,
                              GError              **error);
  gboolean   (*save_turn_results) (RhSessionRepository  *self,
                                   const char           *session_id,
                                   GPtrArray            *results,
                                   GError              **error);
  GPtrArray *(*list_turn_results) (RhSessionRepository  *self,
                                   const char           *session_id,
                                   GError              **error);
  GPtrArray *(*list_for_scenario) (RhSessionRepository  *self,
                                   const char           *scenario_id,
                                   guint                 limit,
                                   GError              **error);
  GHashTable *(*scenario_stats)   (RhSessionRepository  *self,
                                   guint                 recent,
                                   GError              **error);
};

gboolean   rh_session_repository_save         (RhSessionRepository  *self,
                                               RhSession            *session,
                                               GError              **error);
RhSession *rh_session_repository_get          (RhSessionRepository  *self,
                                               const char           *id,
                                               GError              **error);
GPtrArray *rh_session_repository_list_open    (RhSessionRepository  *self,
                                               GError              **error);
GPtrArray *rh_session_repository_list_between (RhSessionRepository  *self,
                                               gint64                from_us,
                                               gint64                to_us,
                                               GError              **error);

gboolean   rh_session_repository_save_turn_results (RhSessionRepository  *self,
                                                    const char           *session_id,
                                                    GPtrArray            *results,
                                                    GError              **error);
GPtrArray *rh_session_repository_list_turn_results (RhSessionRepository  *self,
                                                    const char           *session_id,
                                                    GError              **error);
GPtrArray *rh_session_repository_list_for_scenario (RhSessionRepository  *self,
                                                    const char           *scenario_id,
                                                    guint                 limit,
                                                    GError              **error);
GHashTable *rh_session_repository_scenario_stats   (RhSessionRepository  *self,
                                                    guint                 recent,
                                                    GError              **error);

G_END_DECLS
