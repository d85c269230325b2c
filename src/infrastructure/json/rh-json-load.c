// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-json-load.h"

/*
 * JSON-GLib parses nested arrays and objects by recursion, so a document
 * of a few thousand brackets (a backup, a deck list inside an .apkg, an
 * answer from a server) ends the process on a stack overflow. Every JSON
 * that comes from outside is measured first, here.
 */

/**
 * rh_json_nests_at_most:
 * @data: JSON text
 * @size: its length, or -1 when it ends with a NUL
 * @max_depth: the deepest nesting allowed
 *
 * Counts the brackets outside strings, without parsing.
 *
 * Returns: whether arrays and objects nest @max_depth deep at most
 */
gboolean
rh_json_nests_at_most (const char *data,
                       gssize      size,
                       guint       max_depth)
{
  const char *end;
  gboolean in_string = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  end = size < 0 ? data + strlen (data) : data + size;
  for (const char *p = data; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p + 1 < end)
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * rh_json_parser_load:
 * @size: the length of @data, or -1 when it ends with a NUL
 *
 * json_parser_load_from_data(), after checking that @data nests
 * %RH_JSON_MAX_DEPTH deep at most (%JSON_PARSER_ERROR_PARSE when not).
 */
gboolean
rh_json_parser_load (JsonParser  *parser,
                     const char  *data,
                     gssize       size,
                     GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  if (data != NULL && !rh_json_nests_at_most (data, size, RH_JSON_MAX_DEPTH))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   _("arrays and objects nest more than %d deep"), RH_JSON_MAX_DEPTH);
      return FALSE;
    }
  return json_parser_load_from_data (parser, data ? data : "", size, error);
}

/**
 * rh_json_is_text:
 *
 * Whether @node is a string that is text. JSON text that is valid UTF-8
 * can still hold an escape for half a surrogate pair ("\ud800"), which
 * JSON-GLib decodes to bytes that are not UTF-8.
 */
gboolean
rh_json_is_text (JsonNode *node)
{
  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING &&
         g_utf8_validate (json_node_get_string (node), -1, NULL);
}

/**
 * rh_json_string_member:
 * @out: (out) (transfer none): the member's text, %NULL when @object has
 *   no such member or it is null
 *
 * Returns: %FALSE when the member is there but not a string of text
 */
gboolean
rh_json_string_member (JsonObject  *object,
                       const char  *name,
                       const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!rh_json_is_text (node))
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}
