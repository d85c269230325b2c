// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"
#include "rh-scenario-practice.h"

G_BEGIN_DECLS

#define RH_TYPE_SCENARIO_PRACTICE_PAGE (rh_scenario_practice_page_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioPracticePage, rh_scenario_practice_page, RH, SCENARIO_PRACTICE_PAGE, AdwBin)

GtkWidget              *rh_scenario_practice_page_new        (RhCollection           *collection);
gboolean                rh_scenario_practice_page_start      (RhScenarioPracticePage *self,
                                                              const char             *id_or_key,
                                                              GError                **error);
void                    rh_scenario_practice_page_stop       (RhScenarioPracticePage *self);
RhPracticeRun          *rh_scenario_practice_page_get_run    (RhScenarioPracticePage *self);
const RhPracticeResult *rh_scenario_practice_page_get_result (RhScenarioPracticePage *self);

/* Internal, for tests and screenshots. */
GtkWidget              *_rh_scenario_practice_page_get_entry (RhScenarioPracticePage *self);
void                    _rh_scenario_practice_page_answer    (RhScenarioPracticePage *self,
                                                              const char             *text);

G_END_DECLS
