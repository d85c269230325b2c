// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "rh-json-load.h"
#include "rh-scenario-json.h"

/*
 * The scenario document (data/scenarios/scenario.schema.json describes
 * it). The reader is strict on purpose: a typo in a member name would
 * otherwise silently drop a hint or an accepted answer, and nobody would
 * notice until a learner's right answer scored 40.
 */

G_DEFINE_QUARK (rh-scenario-json-error-quark, rh_scenario_json_error)

#define MAX_VERSION 1000000

typedef struct
{
  const char *source;
  GError    **error;
} Reader;

static gboolean fail (Reader     *reader,
                      int         code,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

/* Every message starts with the document's name, so a broken file in a
 * folder of twenty is found at once. */
static gboolean
fail (Reader     *reader,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (reader->error, RH_SCENARIO_JSON_ERROR, code, "%s: %s", reader->source, message);
  return FALSE;
}

/* A rule of the domain (too long, empty, a control character) broken by
 * @field: its message, prefixed with where it is. */
static gboolean
fail_field (Reader     *reader,
            const char *field,
            GError     *domain_error)
{
  fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s”: %s"), field, domain_error->message);
  g_error_free (domain_error);
  return FALSE;
}

static gboolean
check_members (Reader             *reader,
               JsonObject         *object,
               const char         *where,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        if (where != NULL)
          return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
                       _("“%s.%s” is not a known member"), where, (const char *) l->data);
        return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
                     _("“%s” is not a known member"), (const char *) l->data);
      }
  return TRUE;
}

/* The string member @name, or %NULL (and TRUE) when it is absent and
 * optional. */
static gboolean
read_string (Reader      *reader,
             JsonObject  *object,
             const char  *name,
             const char  *field,
             gboolean     required,
             const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” is missing"), field);
      return TRUE;
    }
  if (!rh_json_is_text (node))
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” must be a string"), field);
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_string_list (Reader      *reader,
                  JsonObject  *object,
                  const char  *name,
                  const char  *where,
                  guint        min_items,
                  char      ***out)
{
  g_autofree char *field = g_strdup_printf ("%s.%s", where, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;
  guint n;

  *out = NULL;
  if (node == NULL)
    {
      if (min_items > 0)
        return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” is missing"), field);
      *out = g_strv_builder_end (builder);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” must be a list of strings"),
                 field);

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min_items)
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
                 ngettext ("“%s” needs at least %u item", "“%s” needs at least %u items",
                           min_items),
                 field, min_items);
  if (n > RH_SCENARIO_JSON_MAX_ITEMS)
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
                 ngettext ("“%s” can have at most %u item", "“%s” can have at most %u items",
                           RH_SCENARIO_JSON_MAX_ITEMS),
                 field, (guint) RH_SCENARIO_JSON_MAX_ITEMS);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *text;

      if (json_node_get_value_type (item) != G_TYPE_STRING)
        return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s[%u]” must be a string"),
                     field, i);
      text = json_node_get_string (item);
      /* Blank entries would be dropped by the domain without a word. */
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (text));
        if (*trimmed == '\0')
          return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s[%u]” cannot be empty"),
                       field, i);
      }
      g_strv_builder_add (builder, text);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_turn (Reader      *reader,
           RhScenario  *scenario,
           JsonNode    *node,
           guint        index)
{
  static const char * const partner_members[] = { "speaker", "text", NULL };
  static const char * const learner_members[] = {
    "speaker", "task", "accepted", "key_phrases", "hints", NULL
  };
  g_autofree char *where = g_strdup_printf ("turns[%u]", index);
  g_autofree char *speaker_field = g_strdup_printf ("%s.speaker", where);
  g_auto(GStrv) accepted = NULL;
  g_auto(GStrv) key_phrases = NULL;
  g_auto(GStrv) hints = NULL;
  GError *local_error = NULL;
  RhScenarioTurn *turn;
  JsonObject *object;
  const char *speaker;
  const char *text;
  gboolean learner;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” must be an object"), where);
  object = json_node_get_object (node);

  if (!read_string (reader, object, "speaker", speaker_field, TRUE, &speaker))
    return FALSE;
  if (g_str_equal (speaker, "learner"))
    learner = TRUE;
  else if (g_str_equal (speaker, "partner"))
    learner = FALSE;
  else
    return fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
                 _("“%s” must be “partner” or “learner”, not “%s”"), speaker_field, speaker);

  if (!check_members (reader, object, where, learner ? learner_members : partner_members))
    return FALSE;

  {
    g_autofree char *text_field = g_strdup_printf ("%s.%s", where, learner ? "task" : "text");

    if (!read_string (reader, object, learner ? "task" : "text", text_field, TRUE, &text))
      return FALSE;

    if (learner &&
        (!read_string_list (reader, object, "accepted", where, 1, &accepted) ||
         !read_string_list (reader, object, "key_phrases", where, 0, &key_phrases) ||
         !read_string_list (reader, object, "hints", where, 0, &hints)))
      return FALSE;

    turn = rh_scenario_turn_new (learner ? RH_TURN_LEARNER : RH_TURN_PARTNER, text,
                                 (const char * const *) accepted,
                                 (const char * const *) key_phrases,
                                 (const char * const *) hints,
                                 &local_error);
    if (turn == NULL)
      return fail_field (reader, text_field, local_error);
  }

  if (!rh_scenario_add_turn (scenario, turn, &local_error))
    return fail_field (reader, where, local_error);
  return TRUE;
}

static RhScenario *
read_document (Reader   *reader,
               JsonNode *root)
{
  static const char * const members[] = {
    "$schema", "key", "version", "title", "level", "topic", "description", "goal", "turns", NULL
  };
  g_autoptr(RhScenario) scenario = NULL;
  GError *local_error = NULL;
  JsonObject *object;
  JsonNode *node;
  JsonArray *turns;
  const char *key, *title, *level, *topic, *description, *goal, *schema;
  gint64 version;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
            _("a scenario document must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  if (!check_members (reader, object, NULL, members))
    return NULL;

  if (!read_string (reader, object, "$schema", "$schema", FALSE, &schema) ||
      !read_string (reader, object, "key", "key", TRUE, &key))
    return NULL;
  if (!rh_scenario_json_key_is_valid (key))
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
            _("“key” must be lower-case letters and digits joined by dashes, "
              "at most %d characters"), RH_SCENARIO_JSON_MAX_KEY);
      return NULL;
    }

  node = json_object_get_member (object, "version");
  if (node == NULL)
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” is missing"), "version");
      return NULL;
    }
  if (json_node_get_value_type (node) != G_TYPE_INT64 ||
      (version = json_node_get_int (node)) < 1 || version > MAX_VERSION)
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
            _("“version” must be a whole number from 1 to %d"), MAX_VERSION);
      return NULL;
    }

  if (!read_string (reader, object, "title", "title", TRUE, &title) ||
      !read_string (reader, object, "level", "level", TRUE, &level) ||
      !read_string (reader, object, "topic", "topic", FALSE, &topic) ||
      !read_string (reader, object, "description", "description", FALSE, &description) ||
      !read_string (reader, object, "goal", "goal", FALSE, &goal))
    return NULL;

  if (!rh_scenario_level_validate (level, &local_error))
    {
      fail_field (reader, "level", local_error);
      return NULL;
    }
  if (!(scenario = rh_scenario_new (NULL, title, level, &local_error)))
    {
      fail_field (reader, "title", local_error);
      return NULL;
    }
  if (!rh_scenario_set_topic (scenario, topic, &local_error))
    {
      fail_field (reader, "topic", local_error);
      return NULL;
    }
  if (!rh_scenario_set_description (scenario, description, &local_error))
    {
      fail_field (reader, "description", local_error);
      return NULL;
    }
  if (!rh_scenario_set_goal (scenario, goal, &local_error))
    {
      fail_field (reader, "goal", local_error);
      return NULL;
    }

  node = json_object_get_member (object, "turns");
  if (node == NULL)
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” is missing"), "turns");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID, _("“%s” must be a list"), "turns");
      return NULL;
    }
  turns = json_node_get_array (node);
  if (json_array_get_length (turns) > RH_SCENARIO_MAX_TURNS)
    {
      fail (reader, RH_SCENARIO_JSON_ERROR_INVALID,
            ngettext ("“turns” can have at most %d turn", "“turns” can have at most %d turns",
                      RH_SCENARIO_MAX_TURNS),
            RH_SCENARIO_MAX_TURNS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (turns); i++)
    if (!read_turn (reader, scenario, json_array_get_element (turns, i), i))
      return NULL;

  if (!rh_scenario_validate (scenario, &local_error))
    {
      fail_field (reader, "turns", local_error);
      return NULL;
    }

  rh_scenario_set_bundle (scenario, key, (int) version);
  return g_steal_pointer (&scenario);
}

/**
 * rh_scenario_json_key_is_valid:
 *
 * Keys are stable names ("hotel-check-in"): lower-case ASCII letters and
 * digits, joined by single dashes.
 */
gboolean
rh_scenario_json_key_is_valid (const char *key)
{
  gsize len;

  if (key == NULL || (len = strlen (key)) == 0 || len > RH_SCENARIO_JSON_MAX_KEY)
    return FALSE;
  if (key[0] == '-' || key[len - 1] == '-' || strstr (key, "--") != NULL)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/**
 * rh_scenario_json_parse:
 * @data: the document
 * @length: its length, or -1 when it ends with a NUL
 * @source: what to call the document in messages (a file name)
 *
 * Reads and strictly validates one scenario document: unknown members,
 * wrong types, unknown levels, empty or too long text and scenarios
 * without a learner turn are refused, with a message that names @source
 * and the field.
 *
 * Returns: (transfer full) (nullable): the scenario, with a new id and
 *   the document's key and version as its bundle key and version
 */
RhScenario *
rh_scenario_json_parse (const char  *data,
                        gssize       length,
                        const char  *source,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  Reader reader = { source ? source : _("the scenario"), error };
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len > RH_SCENARIO_JSON_MAX_SIZE)
    {
      fail (&reader, RH_SCENARIO_JSON_ERROR_INVALID,
            _("the document is larger than %d KiB"), RH_SCENARIO_JSON_MAX_SIZE / 1024);
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      fail (&reader, RH_SCENARIO_JSON_ERROR_SYNTAX, _("the document is not UTF-8 text"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!rh_json_parser_load (parser, data, len, &local_error))
    {
      fail (&reader, RH_SCENARIO_JSON_ERROR_SYNTAX, _("not valid JSON: %s"),
            local_error->message);
      return NULL;
    }
  return read_document (&reader, json_parser_get_root (parser));
}

/**
 * rh_scenario_json_parse_bytes:
 *
 * Like rh_scenario_json_parse(), for a document in @bytes.
 *
 * Returns: (transfer full) (nullable): the scenario
 */
RhScenario *
rh_scenario_json_parse_bytes (GBytes      *bytes,
                              const char  *source,
                              GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return rh_scenario_json_parse (data ? data : "", len, source, error);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_list_member (JsonBuilder        *builder,
                 const char         *name,
                 const char * const *values,
                 gboolean            always)
{
  if (!always && (values == NULL || values[0] == NULL))
    return;
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* A key for a scenario that has none (the learner's own): its title in
 * lower-case ASCII words. */
static char *
key_from_title (const char *title)
{
  g_autofree char *ascii = g_str_to_ascii (title, "C");
  GString *key = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = ascii; *p && key->len < RH_SCENARIO_JSON_MAX_KEY - 1; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && key->len > 0)
            g_string_append_c (key, '-');
          g_string_append_c (key, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }
  if (key->len == 0)
    g_string_append (key, "scenario");
  return g_string_free (key, FALSE);
}

/**
 * rh_scenario_json_serialize:
 *
 * Writes @scenario as a scenario document that rh_scenario_json_parse()
 * reads back to an equal scenario. A scenario without a bundle key gets
 * one made from its title, and version 1.
 *
 * Returns: (transfer full): the document, indented with two spaces
 */
char *
rh_scenario_json_serialize (RhScenario *scenario)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *made_key = NULL;
  const char *key = rh_scenario_get_bundle_key (scenario);
  int version = rh_scenario_get_bundle_version (scenario);

  g_return_val_if_fail (RH_IS_SCENARIO (scenario), NULL);

  if (key == NULL)
    key = made_key = key_from_title (rh_scenario_get_title (scenario));

  json_builder_begin_object (builder);
  add_string_member (builder, "key", key);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MAX (version, 1));
  add_string_member (builder, "title", rh_scenario_get_title (scenario));
  add_string_member (builder, "level", rh_scenario_get_level (scenario));
  add_string_member (builder, "topic", rh_scenario_get_topic (scenario));
  add_string_member (builder, "description", rh_scenario_get_description (scenario));
  add_string_member (builder, "goal", rh_scenario_get_goal (scenario));

  json_builder_set_member_name (builder, "turns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, i);
      gboolean learner = turn->kind == RH_TURN_LEARNER;

      json_builder_begin_object (builder);
      add_string_member (builder, "speaker", learner ? "learner" : "partner");
      add_string_member (builder, learner ? "task" : "text", turn->text);
      if (learner)
        {
          add_list_member (builder, "accepted", (const char * const *) turn->accepted, TRUE);
          add_list_member (builder, "key_phrases", (const char * const *) turn->key_phrases,
                           FALSE);
          add_list_member (builder, "hints", (const char * const *) turn->hints, FALSE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}
