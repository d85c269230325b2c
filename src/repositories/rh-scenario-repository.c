// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenario-repository"

#include "config.h"

#include "rh-scenario-repository.h"

G_DEFINE_INTERFACE (RhScenarioRepository, rh_scenario_repository, G_TYPE_OBJECT)

static void
rh_scenario_repository_default_init (RhScenarioRepositoryInterface *iface)
{
}

#define IFACE(self) RH_SCENARIO_REPOSITORY_GET_IFACE (self)

/**
 * rh_scenario_repository_list:
 *
 * Returns: (transfer full) (element-type RhScenario): live scenarios by title
 */
GPtrArray *
rh_scenario_repository_list (RhScenarioRepository  *self,
                             GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->list (self, error);
}

/**
 * rh_scenario_repository_get:
 *
 * Returns: (transfer full) (nullable): the scenario, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhScenario *
rh_scenario_repository_get (RhScenarioRepository  *self,
                            const char            *id,
                            GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->get (self, id, error);
}

/**
 * rh_scenario_repository_find_by_bundle_key:
 *
 * Returns: (transfer full) (nullable): the bundled scenario with that key,
 *   or %NULL (without error)
 */
RhScenario *
rh_scenario_repository_find_by_bundle_key (RhScenarioRepository  *self,
                                           const char            *key,
                                           GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->find_by_bundle_key (self, key, error);
}

gboolean
rh_scenario_repository_save (RhScenarioRepository  *self,
                             RhScenario            *scenario,
                             GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), FALSE);
  return IFACE (self)->save (self, scenario, error);
}

gboolean
rh_scenario_repository_remove (RhScenarioRepository  *self,
                               const char            *id,
                               GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), FALSE);
  return IFACE (self)->remove (self, id, error);
}
