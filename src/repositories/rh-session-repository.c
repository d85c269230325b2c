// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-session-repository"

#include "config.h"

#include "rh-session-repository.h"

G_DEFINE_INTERFACE (RhSessionRepository, rh_session_repository, G_TYPE_OBJECT)

static void
rh_session_repository_default_init (RhSessionRepositoryInterface *iface)
{
}

#define IFACE(self) RH_SESSION_REPOSITORY_GET_IFACE (self)

/**
 * rh_session_repository_save:
 *
 * Inserts or updates the session (marked for the next push).
 */
gboolean
rh_session_repository_save (RhSessionRepository  *self,
                            RhSession            *session,
                            GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), FALSE);
  return IFACE (self)->save (self, session, error);
}

/**
 * rh_session_repository_get:
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhSession *
rh_session_repository_get (RhSessionRepository  *self,
                           const char           *id,
                           GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->get (self, id, error);
}

/**
 * rh_session_repository_list_open:
 *
 * Returns: (transfer full) (element-type RhSession): sessions not ended
 */
GPtrArray *
rh_session_repository_list_open (RhSessionRepository  *self,
                                 GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_open (self, error);
}

/**
 * rh_session_repository_list_between:
 *
 * Returns: (transfer full) (element-type RhSession): sessions started in
 *   [@from_us, @to_us), by start time
 */
GPtrArray *
rh_session_repository_list_between (RhSessionRepository  *self,
                                    gint64                from_us,
                                    gint64                to_us,
                                    GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_between (self, from_us, to_us, error);
}

/**
 * rh_turn_result_copy:
 *
 * Returns: (transfer full): a copy of @result
 */
RhTurnResult *
rh_turn_result_copy (const RhTurnResult *result)
{
  RhTurnResult *copy = g_new0 (RhTurnResult, 1);

  *copy = *result;
  copy->answer = g_strdup (result->answer);
  return copy;
}

void
rh_turn_result_free (RhTurnResult *result)
{
  if (result == NULL)
    return;
  g_free (result->answer);
  g_free (result);
}

void
rh_scenario_run_stats_free (RhScenarioRunStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->scenario_id);
  g_free (stats);
}

/**
 * rh_session_repository_save_turn_results:
 * @results: (element-type RhTurnResult): the learner turns of one run
 *
 * Stores the per-turn scores of a finished scenario run. A run is stored
 * once: saving results for a session that has them replaces them.
 */
gboolean
rh_session_repository_save_turn_results (RhSessionRepository  *self,
                                         const char           *session_id,
                                         GPtrArray            *results,
                                         GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);
  return IFACE (self)->save_turn_results (self, session_id, results, error);
}

/**
 * rh_session_repository_list_turn_results:
 *
 * Returns: (transfer full) (element-type RhTurnResult): the run's learner
 *   turns by turn index; empty for a session without any
 */
GPtrArray *
rh_session_repository_list_turn_results (RhSessionRepository  *self,
                                         const char           *session_id,
                                         GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_turn_results (self, session_id, error);
}

/**
 * rh_session_repository_list_for_scenario:
 * @limit: the most sessions to return, 0 for all
 *
 * Returns: (transfer full) (element-type RhSession): the finished runs of
 *   one scenario, latest first
 */
GPtrArray *
rh_session_repository_list_for_scenario (RhSessionRepository  *self,
                                         const char           *scenario_id,
                                         guint                 limit,
                                         GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_for_scenario (self, scenario_id, limit, error);
}

/**
 * rh_session_repository_scenario_stats:
 * @recent: how many of the latest runs count for #RhScenarioRunStats.best_recent
 *
 * Returns: (transfer full) (element-type utf8 RhScenarioRunStats): the
 *   finished runs of every practised scenario, by scenario id
 */
GHashTable *
rh_session_repository_scenario_stats (RhSessionRepository  *self,
                                      guint                 recent,
                                      GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->scenario_stats (self, MAX (recent, 1), error);
}
