// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"
#include "rh-scenario-library.h"

G_BEGIN_DECLS

#define RH_TYPE_SCENARIO_LIBRARY_PAGE (rh_scenario_library_page_get_type ())

G_DECLARE_FINAL_TYPE (RhScenarioLibraryPage, rh_scenario_library_page, RH, SCENARIO_LIBRARY_PAGE, AdwBin)

GtkWidget         *rh_scenario_library_page_new            (RhCollection          *collection);
RhCollection      *rh_scenario_library_page_get_collection (RhScenarioLibraryPage *self);
RhScenarioLibrary *rh_scenario_library_page_get_library    (RhScenarioLibraryPage *self);
void               rh_scenario_library_page_reload         (RhScenarioLibraryPage *self);
void               rh_scenario_library_page_focus          (RhScenarioLibraryPage *self,
                                                            const char            *scenario_id);
GListModel        *rh_scenario_library_page_get_model      (RhScenarioLibraryPage *self);

/* Internal, for tests. */
gboolean           _rh_scenario_library_page_select_level  (RhScenarioLibraryPage *self,
                                                            const char            *level);
gboolean           _rh_scenario_library_page_select_topic  (RhScenarioLibraryPage *self,
                                                            const char            *topic);
void               _rh_scenario_library_page_search        (RhScenarioLibraryPage *self,
                                                            const char            *text);
GtkWidget         *_rh_scenario_library_page_get_row       (RhScenarioLibraryPage *self,
                                                            const char            *scenario_id);

G_END_DECLS
