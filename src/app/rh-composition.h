// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-collection.h"
#include "rh-scenario-library.h"
#include "rh-sync.h"
#include "rh-token-source.h"

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
gboolean      rh_composition_open_for_sync (gpointer            path,
                                            RhCollection      **out_collection,
                                            RhSyncRepository  **out_repository,
                                            GError            **error);
RhSyncEngine *rh_composition_new_sync_engine (const char     *collection_path,
                                              RhTokenSource  *tokens,
                                              const char     *api_url,
                                              GError        **error);

G_END_DECLS
