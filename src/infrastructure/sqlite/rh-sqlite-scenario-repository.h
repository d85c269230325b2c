// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "rh-scenario-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_SCENARIO_REPOSITORY (rh_sqlite_scenario_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteScenarioRepository, rh_sqlite_scenario_repository,
                      RH, SQLITE_SCENARIO_REPOSITORY, GObject)

RhSqliteScenarioRepository *rh_sqlite_scenario_repository_new (RhSqliteDatabase *db);

gboolean rh_sqlite_scenario_add_turns (RhScenario  *scenario,
                                       JsonNode    *turns,
                                       GError     **error);

G_END_DECLS
