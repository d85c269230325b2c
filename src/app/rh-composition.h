// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-collection.h"
#include "rh-scenario-library.h"

G_BEGIN_DECLS

char         *rh_composition_default_path (void);
RhCollection *rh_composition_open         (const char  *path,
                                           gboolean     seed_sample,
                                           GError     **error);
gboolean      rh_composition_seed_sample  (RhCollection *collection,
                                           GError     **error);
GResource    *rh_composition_get_scenario_resource (void);
gboolean      rh_composition_install_scenarios (RhCollection            *collection,
                                                gboolean                 force,
                                                RhScenarioInstallReport *out_report,
                                                GError                 **error);

G_END_DECLS
