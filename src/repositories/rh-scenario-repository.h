// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-scenario.h"

G_BEGIN_DECLS

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

G_END_DECLS
