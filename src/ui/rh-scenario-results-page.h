// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"
#include "rh-scenario-practice.h"

G_BEGIN_DECLS

#define RH_TYPE_SCENARIO_RESULTS_PAGE (rh_scenario_results_page_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioResultsPage, rh_scenario_results_page, RH, SCENARIO_RESULTS_PAGE, AdwBin)

GtkWidget *rh_scenario_results_page_new  (RhCollection           *collection);
void       rh_scenario_results_page_show (RhScenarioResultsPage  *self,
                                          RhPracticeRun          *run,
                                          const RhPracticeResult *result);

G_END_DECLS
