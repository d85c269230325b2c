// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RH_TURN_PARTNER,
  RH_TURN_LEARNER,
} RhTurnKind;

/**
 * RhScenarioTurn:
 * @kind: who speaks
 * @text: the partner's line, or the learner's task ("Ask for a room")
 * @accepted: (array zero-terminated=1): answers counted as right (learner)
 * @key_phrases: (array zero-terminated=1): phrases a good answer uses
 * @hints: (array zero-terminated=1): hints shown on request
 */
typedef struct
{
  RhTurnKind   kind;
  char        *text;
  char       **accepted;
  char       **key_phrases;
  char       **hints;
} RhScenarioTurn;

#define RH_SCENARIO_MAX_TITLE 120
#define RH_SCENARIO_MAX_TURNS 64

RhScenarioTurn *rh_scenario_turn_new  (RhTurnKind         kind,
                                       const char        *text,
                                       const char * const *accepted,
                                       const char * const *key_phrases,
                                       const char * const *hints,
                                       GError           **error);
RhScenarioTurn *rh_scenario_turn_copy (const RhScenarioTurn *turn);
void            rh_scenario_turn_free (RhScenarioTurn    *turn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhScenarioTurn, rh_scenario_turn_free)

#define RH_TYPE_SCENARIO (rh_scenario_get_type ())

G_DECLARE_FINAL_TYPE (RhScenario, rh_scenario, RH, SCENARIO, GObject)

gboolean              rh_scenario_level_validate (const char  *level,
                                                  GError     **error);

RhScenario           *rh_scenario_new            (const char  *id,
                                                  const char  *title,
                                                  const char  *level,
                                                  GError     **error);
RhScenario           *rh_scenario_duplicate      (RhScenario  *self,
                                                  const char  *new_title);
RhScenario           *rh_scenario_copy_with_id   (RhScenario  *self,
                                                  const char  *id,
                                                  GError     **error);
const char           *rh_scenario_get_id         (RhScenario  *self);
const char           *rh_scenario_get_title      (RhScenario  *self);
gboolean              rh_scenario_set_title      (RhScenario  *self,
                                                  const char  *title,
                                                  GError     **error);
const char           *rh_scenario_get_level      (RhScenario  *self);
gboolean              rh_scenario_set_level      (RhScenario  *self,
                                                  const char  *level,
                                                  GError     **error);
const char           *rh_scenario_get_topic      (RhScenario  *self);
gboolean              rh_scenario_set_topic      (RhScenario  *self,
                                                  const char  *topic,
                                                  GError     **error);
const char           *rh_scenario_get_description (RhScenario *self);
gboolean              rh_scenario_set_description (RhScenario *self,
                                                  const char  *text,
                                                  GError     **error);
const char           *rh_scenario_get_goal       (RhScenario  *self);
gboolean              rh_scenario_set_goal       (RhScenario  *self,
                                                  const char  *goal,
                                                  GError     **error);
guint                 rh_scenario_get_n_turns    (RhScenario  *self);
const RhScenarioTurn *rh_scenario_get_turn       (RhScenario  *self,
                                                  guint        index);
gboolean              rh_scenario_add_turn       (RhScenario  *self,
                                                  RhScenarioTurn *turn,
                                                  GError     **error);
void                  rh_scenario_clear_turns    (RhScenario  *self);
gboolean              rh_scenario_validate       (RhScenario  *self,
                                                  GError     **error);
const char           *rh_scenario_get_bundle_key (RhScenario  *self);
int                   rh_scenario_get_bundle_version (RhScenario *self);
void                  rh_scenario_set_bundle     (RhScenario  *self,
                                                  const char  *key,
                                                  int          version);

G_END_DECLS
