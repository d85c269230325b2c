// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The HTML of Anki fields (and of CSV files marked "#html:true") reduced
 * to plain text.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include <string.h>

#include "rh-fuzz-util.h"
#include "rh-html-text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  gsize length;

  rh_fuzz_init_once ();

  /* The function takes a C string: what follows a NUL is never read. */
  html = g_strndup ((const char *) data, size);
  text = rh_html_to_text (html);
  g_assert_nonnull (text);
  g_debug ("text: “%s”", text);

  /* The text becomes a card's side, which must be UTF-8. The second
   * case is the documented repair of invalid input: kept apart so a
   * report says which one failed. */
  if (g_utf8_validate (html, -1, NULL))
    g_assert_true (g_utf8_validate (text, -1, NULL));
  else
    g_assert_true (g_utf8_validate (text, -1, NULL));

  /* "the result trimmed" */
  length = strlen (text);
  g_assert_true (length == 0 || !g_ascii_isspace (text[0]));
  g_assert_true (length == 0 || !g_ascii_isspace (text[length - 1]));
  return 0;
}
