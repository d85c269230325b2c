// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-scenario-library.h"

G_BEGIN_DECLS

#define RH_TYPE_SCENARIO_EDITOR (rh_scenario_editor_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioEditor, rh_scenario_editor, RH, SCENARIO_EDITOR, AdwWindow)

GtkWindow  *rh_scenario_editor_new             (GtkWindow         *parent,
                                                RhScenarioLibrary *library,
                                                const char        *scenario_id);

/* Internal, for tests. */
guint       _rh_scenario_editor_get_n_turns    (RhScenarioEditor  *self);
void        _rh_scenario_editor_add_turn       (RhScenarioEditor  *self,
                                                RhTurnKind         kind);
void        _rh_scenario_editor_set_text       (RhScenarioEditor  *self,
                                                RhScenarioField    field,
                                                int                turn,
                                                const char        *text);
const char *_rh_scenario_editor_get_error      (RhScenarioEditor  *self,
                                                RhScenarioField    field,
                                                int                turn);
GtkWidget  *_rh_scenario_editor_get_save_button (RhScenarioEditor *self);

G_END_DECLS
