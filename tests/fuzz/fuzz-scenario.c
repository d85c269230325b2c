// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Scenario documents: the bundled ones, the learner's own imports, and
 * the ones sync brings from other devices.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include "rh-fuzz-util.h"
#include "rh-scenario-json.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhScenario) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *document_again = NULL;

  rh_fuzz_init_once ();

  bytes = g_bytes_new (data, size);
  scenario = rh_scenario_json_parse_bytes (bytes, "fuzz.json", &error);
  if (scenario == NULL)
    {
      g_assert_nonnull (error);
      g_debug ("parse: %s", error->message);
      g_assert_true (error->domain == RH_SCENARIO_JSON_ERROR);
      return 0;
    }
  g_assert_no_error (error);

  /* What was accepted is written out and read back the same, as the
   * editor and the backup do: "reads back to an equal scenario". */
  document = rh_scenario_json_serialize (scenario);
  again = rh_scenario_json_parse (document, -1, "serialized.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  document_again = rh_scenario_json_serialize (again);
  g_assert_cmpstr (document, ==, document_again);
  return 0;
}
