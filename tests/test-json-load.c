// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The checks every reader of outside JSON makes before and after parsing:
 * how deep it nests, and whether a string is text.
 */
#include "config.h"

#include "rh-json-load.h"

static void
test_nesting (void)
{
  static const struct
  {
    const char *json;
    guint       max;
    gboolean    within;
  } cases[] = {
    { "", 0, TRUE },
    { "42", 0, TRUE },
    { "[]", 0, FALSE },
    { "[]", 1, TRUE },
    { "[{\"a\": [1]}]", 2, FALSE },
    { "[{\"a\": [1]}]", 3, TRUE },
    /* brackets in strings are text, and so is an escaped quote */
    { "[\"[[[{{{\"]", 1, TRUE },
    { "[\"\\\"[[[\"]", 1, TRUE },
    { "[\"\\\\\", [[]]]", 2, FALSE },
    /* closing more than opened does not make room for more */
    { "]]]][[", 1, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s within %u", cases[i].json, cases[i].max);
      g_assert_cmpint (rh_json_nests_at_most (cases[i].json, -1, cases[i].max), ==,
                       cases[i].within);
    }

  /* @size stops the count: the bracket after it is not read */
  g_assert_true (rh_json_nests_at_most ("[][", 2, 1));
  g_assert_false (rh_json_nests_at_most ("[][[", 4, 1));
}

static void
test_parser_load (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strnfill (200000, '[');
  g_autoptr(GString) deepest_allowed = g_string_new (NULL);

  g_assert_false (rh_json_parser_load (parser, deep, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  for (guint i = 0; i < RH_JSON_MAX_DEPTH; i++)
    g_string_append_c (deepest_allowed, '[');
  for (guint i = 0; i < RH_JSON_MAX_DEPTH; i++)
    g_string_append_c (deepest_allowed, ']');
  g_assert_true (rh_json_parser_load (parser, deepest_allowed->str, -1, &error));
  g_assert_no_error (error);

  g_string_prepend_c (deepest_allowed, '[');
  g_string_append_c (deepest_allowed, ']');
  g_assert_false (rh_json_parser_load (parser, deepest_allowed->str, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
}

static void
test_string_member (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *out = "unset";

  g_assert_true (rh_json_parser_load (parser,
                                      "{\"text\": \"caf\\u00e9\", \"none\": null, \"number\": 3,"
                                      " \"half\": \"a \\ud800 b\", \"list\": [\"x\"]}",
                                      -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_true (rh_json_string_member (object, "text", &out));
  g_assert_cmpstr (out, ==, "café");
  g_assert_true (rh_json_string_member (object, "none", &out));
  g_assert_null (out);
  g_assert_true (rh_json_string_member (object, "missing", &out));
  g_assert_null (out);
  g_assert_false (rh_json_string_member (object, "number", &out));
  g_assert_false (rh_json_string_member (object, "list", &out));
  /* valid JSON, but half a surrogate pair is no text */
  g_assert_false (rh_json_string_member (object, "half", &out));
  g_assert_false (rh_json_is_text (json_object_get_member (object, "half")));
  g_assert_true (rh_json_is_text (json_object_get_member (object, "text")));
  g_assert_false (rh_json_is_text (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/nesting", test_nesting);
  g_test_add_func ("/json/parser-load", test_parser_load);
  g_test_add_func ("/json/string-member", test_string_member);

  return g_test_run ();
}
