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

void
rh_scenario_bundle_entry_free (RhScenarioBundleEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->key);
  g_free (entry->id);
  g_free (entry);
}

void
rh_phrase_card_link_free (RhPhraseCardLink *link)
{
  if (link == NULL)
    return;
  g_free (link->scenario_id);
  g_free (link->phrase_key);
  g_free (link->card_id);
  g_free (link);
}

/**
 * rh_scenario_repository_list_bundle_entries:
 *
 * Every bundled key the collection has ever held, deleted ones included,
 * so an update of the bundled library never brings back a scenario the
 * learner deleted. When several rows share a key (two devices installed
 * it before they synced) a live one wins, then the oldest id.
 *
 * Returns: (transfer full) (element-type RhScenarioBundleEntry): by key
 */
GPtrArray *
rh_scenario_repository_list_bundle_entries (RhScenarioRepository  *self,
                                            GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->list_bundle_entries (self, error);
}

/**
 * rh_scenario_repository_find_phrase_card:
 *
 * Returns: (transfer full) (nullable): the card made from this phrase of
 *   this turn, or %NULL (without error) when none was made yet
 */
RhPhraseCardLink *
rh_scenario_repository_find_phrase_card (RhScenarioRepository  *self,
                                         const char            *scenario_id,
                                         guint                  turn_index,
                                         const char            *phrase_key,
                                         GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->find_phrase_card (self, scenario_id, turn_index, phrase_key, error);
}

/**
 * rh_scenario_repository_add_phrase_card:
 *
 * Records that a missed phrase became a card. A phrase that already has
 * a card gives %RH_DOMAIN_ERROR_DUPLICATE.
 */
gboolean
rh_scenario_repository_add_phrase_card (RhScenarioRepository    *self,
                                        const RhPhraseCardLink  *link,
                                        GError                 **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), FALSE);
  g_return_val_if_fail (link != NULL, FALSE);
  return IFACE (self)->add_phrase_card (self, link, error);
}

/**
 * rh_scenario_repository_list_phrase_cards:
 * @scenario_id: (nullable): one scenario, or %NULL for all
 *
 * Returns: (transfer full) (element-type RhPhraseCardLink): by scenario,
 *   turn and phrase
 */
GPtrArray *
rh_scenario_repository_list_phrase_cards (RhScenarioRepository  *self,
                                          const char            *scenario_id,
                                          GError               **error)
{
  g_return_val_if_fail (RH_IS_SCENARIO_REPOSITORY (self), NULL);
  return IFACE (self)->list_phrase_cards (self, scenario_id, error);
}
