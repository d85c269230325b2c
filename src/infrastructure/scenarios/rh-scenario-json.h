// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

#include "rh-scenario.h"

G_BEGIN_DECLS

#define RH_SCENARIO_JSON_ERROR (rh_scenario_json_error_quark ())

/**
 * RhScenarioJsonError:
 * @RH_SCENARIO_JSON_ERROR_SYNTAX: the document is not JSON
 * @RH_SCENARIO_JSON_ERROR_INVALID: it is JSON, but not a valid scenario
 *
 * Either way the message names the document and the field.
 */
typedef enum
{
  RH_SCENARIO_JSON_ERROR_SYNTAX,
  RH_SCENARIO_JSON_ERROR_INVALID,
} RhScenarioJsonError;

GQuark rh_scenario_json_error_quark (void);

/* A scenario document is a few kilobytes; anything this big is a mistake. */
#define RH_SCENARIO_JSON_MAX_SIZE   (256 * 1024)
#define RH_SCENARIO_JSON_MAX_KEY    64
#define RH_SCENARIO_JSON_MAX_ITEMS  32

RhScenario *rh_scenario_json_parse       (const char  *data,
                                          gssize       length,
                                          const char  *source,
                                          GError     **error);
RhScenario *rh_scenario_json_parse_bytes (GBytes      *bytes,
                                          const char  *source,
                                          GError     **error);
char       *rh_scenario_json_serialize   (RhScenario  *scenario);
gboolean    rh_scenario_json_key_is_valid (const char *key);

G_END_DECLS
