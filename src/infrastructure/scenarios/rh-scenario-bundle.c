// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-scenario-bundle.h"
#include "rh-scenario-json.h"

/*
 * The scenarios that ship with Rehearse: one JSON document per file in a
 * GResource, so an installed app and one run from the build tree find
 * them the same way, and no file on disk can go missing.
 */

struct _RhScenarioBundle
{
  GObject    parent_instance;

  GResource *resource;
  char      *path;
};

G_DEFINE_FINAL_TYPE (RhScenarioBundle, rh_scenario_bundle, G_TYPE_OBJECT)

static void
rh_scenario_bundle_finalize (GObject *object)
{
  RhScenarioBundle *self = RH_SCENARIO_BUNDLE (object);

  g_clear_pointer (&self->resource, g_resource_unref);
  g_free (self->path);

  G_OBJECT_CLASS (rh_scenario_bundle_parent_class)->finalize (object);
}

static void
rh_scenario_bundle_class_init (RhScenarioBundleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_scenario_bundle_finalize;
}

static void
rh_scenario_bundle_init (RhScenarioBundle *self)
{
}

/**
 * rh_scenario_bundle_new:
 * @resource: the resource holding the documents
 * @path: (nullable): the folder in @resource, %RH_SCENARIO_BUNDLE_PATH
 *   when %NULL
 *
 * Returns: (transfer full): the bundled library in @resource
 */
RhScenarioBundle *
rh_scenario_bundle_new (GResource  *resource,
                        const char *path)
{
  RhScenarioBundle *self;

  g_return_val_if_fail (resource != NULL, NULL);

  self = g_object_new (RH_TYPE_SCENARIO_BUNDLE, NULL);
  self->resource = g_resource_ref (resource);
  if (path == NULL)
    path = RH_SCENARIO_BUNDLE_PATH;
  self->path = g_str_has_suffix (path, "/") ? g_strdup (path) : g_strconcat (path, "/", NULL);
  return self;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * rh_scenario_bundle_list_names:
 *
 * Returns: (transfer full): the documents' file names ("hotel-check-in.json"),
 *   sorted, so everything that walks them does it in one order
 */
char **
rh_scenario_bundle_list_names (RhScenarioBundle  *self,
                               GError           **error)
{
  g_auto(GStrv) children = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (RH_IS_SCENARIO_BUNDLE (self), NULL);

  children = g_resource_enumerate_children (self->resource, self->path,
                                            G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (children == NULL)
    return NULL;
  for (guint i = 0; children[i]; i++)
    if (g_str_has_suffix (children[i], ".json") && !g_str_has_suffix (children[i], ".schema.json"))
      g_ptr_array_add (names, g_strdup (children[i]));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * rh_scenario_bundle_lookup:
 *
 * Returns: (transfer full) (nullable): the bytes of one document
 */
GBytes *
rh_scenario_bundle_lookup (RhScenarioBundle  *self,
                           const char        *name,
                           GError           **error)
{
  g_autofree char *full = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_BUNDLE (self), NULL);

  full = g_strconcat (self->path, name, NULL);
  return g_resource_lookup_data (self->resource, full, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/**
 * rh_scenario_bundle_get_digest:
 *
 * A fingerprint of every document, names and bytes: it changes whenever
 * a document does, and is cheap (the resource is mapped, nothing is
 * parsed), so a start with the same bundle as last time can skip the
 * install altogether.
 *
 * Returns: (transfer full) (nullable): the SHA-256 digest in hex
 */
char *
rh_scenario_bundle_get_digest (RhScenarioBundle  *self,
                               GError           **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_BUNDLE (self), NULL);

  if (!(names = rh_scenario_bundle_list_names (self, error)))
    return NULL;
  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GBytes) bytes = rh_scenario_bundle_lookup (self, names[i], error);
      g_autofree char *size = NULL;
      gsize len;
      const guchar *data;

      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &len);
      size = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
      /* name, NUL, length, NUL, bytes: no two bundles hash the same input */
      g_checksum_update (checksum, (const guchar *) names[i], strlen (names[i]) + 1);
      g_checksum_update (checksum, (const guchar *) size, strlen (size) + 1);
      g_checksum_update (checksum, data, len);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * rh_scenario_bundle_load:
 * @out_problems: (out) (optional) (element-type GError): the documents
 *   that could not be read, one error each
 *
 * Parses every document. A broken one is left out (and reported in
 * @out_problems) so one bad file never hides the other scenarios; each
 * document's key must be its file name without ".json", and keys are
 * unique.
 *
 * Returns: (transfer full) (element-type RhScenario) (nullable): the
 *   scenarios in file-name order, or %NULL when the bundle cannot be
 *   listed at all
 */
GPtrArray *
rh_scenario_bundle_load (RhScenarioBundle  *self,
                         GPtrArray        **out_problems,
                         GError           **error)
{
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (RH_IS_SCENARIO_BUNDLE (self), NULL);

  if (!(names = rh_scenario_bundle_list_names (self, error)))
    return NULL;

  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(RhScenario) scenario = NULL;
      g_autofree char *expected = g_strndup (names[i], strlen (names[i]) - strlen (".json"));
      const char *key;

      if (!(bytes = rh_scenario_bundle_lookup (self, names[i], &local_error)) ||
          !(scenario = rh_scenario_json_parse_bytes (bytes, names[i], &local_error)))
        {
          g_ptr_array_add (problems, g_steal_pointer (&local_error));
          continue;
        }

      key = rh_scenario_get_bundle_key (scenario);
      if (!g_str_equal (key, expected))
        {
          g_ptr_array_add (problems,
                           g_error_new (RH_SCENARIO_JSON_ERROR, RH_SCENARIO_JSON_ERROR_INVALID,
                                        _("%s: “key” is “%s”, but a bundled document’s key "
                                          "must be its file name, “%s”"),
                                        names[i], key, expected));
          continue;
        }
      if (g_hash_table_contains (keys, key))
        {
          g_ptr_array_add (problems,
                           g_error_new (RH_SCENARIO_JSON_ERROR, RH_SCENARIO_JSON_ERROR_INVALID,
                                        _("%s: the key “%s” is used twice"), names[i], key));
          continue;
        }
      g_hash_table_add (keys, (gpointer) key);
      g_ptr_array_add (scenarios, g_steal_pointer (&scenario));
    }

  if (out_problems != NULL)
    *out_problems = g_steal_pointer (&problems);
  return g_steal_pointer (&scenarios);
}
