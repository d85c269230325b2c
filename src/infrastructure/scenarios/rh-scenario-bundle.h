// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-scenario.h"

G_BEGIN_DECLS

/* Where the bundled scenarios live in the application's resources. */
#define RH_SCENARIO_BUNDLE_PATH "/io/github/rehearse/Rehearse/scenarios/"

#define RH_TYPE_SCENARIO_BUNDLE (rh_scenario_bundle_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioBundle, rh_scenario_bundle, RH, SCENARIO_BUNDLE, GObject)

RhScenarioBundle *rh_scenario_bundle_new        (GResource         *resource,
                                                 const char        *path);
char            **rh_scenario_bundle_list_names (RhScenarioBundle  *self,
                                                 GError           **error);
GBytes           *rh_scenario_bundle_lookup     (RhScenarioBundle  *self,
                                                 const char        *name,
                                                 GError           **error);
char             *rh_scenario_bundle_get_digest (RhScenarioBundle  *self,
                                                 GError           **error);
GPtrArray        *rh_scenario_bundle_load       (RhScenarioBundle  *self,
                                                 GPtrArray        **out_problems,
                                                 GError           **error);

G_END_DECLS
