// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-scenario.h"

G_BEGIN_DECLS

/**
 * RhScenarioBundleEntry:
 * @key: the key in the bundled library
 * @id: the stored scenario with that key
 * @version: the bundled version stored
 * @deleted: whether the learner deleted it (no live row has the key)
 *
 * What the collection knows of one bundled scenario, deleted or not.
 */
typedef struct
{
  char     *key;
  char     *id;
  int       version;
  gboolean  deleted;
} RhScenarioBundleEntry;

void rh_scenario_bundle_entry_free (RhScenarioBundleEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhScenarioBundleEntry, rh_scenario_bundle_entry_free)

/**
 * RhPhraseCardLink:
 * @scenario_id: the scenario the phrase belongs to
 * @turn_index: the learner turn that has the phrase
 * @phrase_key: the phrase as answers are compared (rh_answer_normalize())
 * @card_id: the flashcard made from it (it may have been deleted since)
 * @created_us: when the card was made
 */
typedef struct
{
  char   *scenario_id;
  guint   turn_index;
  char   *phrase_key;
  char   *card_id;
  gint64  created_us;
} RhPhraseCardLink;

void rh_phrase_card_link_free (RhPhraseCardLink *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhPhraseCardLink, rh_phrase_card_link_free)

#define RH_TYPE_SCENARIO_REPOSITORY (rh_scenario_repository_get_type ())

G_DECLARE_INTERFACE (RhScenarioRepository, rh_scenario_repository, RH, SCENARIO_REPOSITORY, GObject)

struct _RhScenarioRepositoryInterface
{
  GTypeInterface parent_iface;

  GPtrArray  *(*list)              (RhScenarioRepository  *self,
                                    GError               **error);
  RhScenario *(*get)               (RhScenarioRepository  *self,
                                    const char            *id,
                                    GError               **error);
  RhScenario *(*find_by_bundle_key) (RhScenarioRepository *self,
                                    const char            *key,
                                    GError               **error);
  gboolean    (*save)              (RhScenarioRepository  *self,
                                    RhScenario            *scenario,
                                    GError               **error);
  gboolean    (*remove)            (RhScenarioRepository  *self,
                                    const char            *id,
                                    GError               **error);
  GPtrArray  *(*list_bundle_entries) (RhScenarioRepository *self,
                                    GError               **error);
  RhPhraseCardLink *(*find_phrase_card) (RhScenarioRepository *self,
                                    const char            *scenario_id,
                                    guint                  turn_index,
                                    const char            *phrase_key,
                                    GError               **error);
  gboolean    (*add_phrase_card)   (RhScenarioRepository  *self,
                                    const RhPhraseCardLink *link,
                                    GError               **error);
  GPtrArray  *(*list_phrase_cards) (RhScenarioRepository  *self,
                                    const char            *scenario_id,
                                    GError               **error);
};

GPtrArray  *rh_scenario_repository_list               (RhScenarioRepository  *self,
                                                       GError               **error);
RhScenario *rh_scenario_repository_get                (RhScenarioRepository  *self,
                                                       const char            *id,
                                                       GError               **error);
RhScenario *rh_scenario_repository_find_by_bundle_key (RhScenarioRepository  *self,
                                                       const char            *key,
                                                       GError               **error);
gboolean    rh_scenario_repository_save               (RhScenarioRepository  *self,
                                                       RhScenario            *scenario,
                                                       GError               **error);
gboolean    rh_scenario_repository_remove             (RhScenarioRepository  *self,
                                                       const char            *id,
                                                       GError               **error);

GPtrArray  *rh_scenario_repository_list_bundle_entries (RhScenarioRepository  *self,
                                                        GError               **error);
RhPhraseCardLink *rh_scenario_repository_find_phrase_card (RhScenarioRepository *self,
                                                        const char            *scenario_id,
                                                        guint                  turn_index,
                                                        const char            *phrase_key,
                                                        GError               **error);
gboolean    rh_scenario_repository_add_phrase_card    (RhScenarioRepository  *self,
                                                        const RhPhraseCardLink *link,
                                                        GError               **error);
GPtrArray  *rh_scenario_repository_list_phrase_cards  (RhScenarioRepository  *self,
                                                        const char            *scenario_id,
                                                        GError               **error);

G_END_DECLS
