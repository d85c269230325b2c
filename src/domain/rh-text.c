// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-text"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-text.h"

#define MAX_TAGS 64
#define MAX_TAG_CHARS 64

/**
 * rh_text_clean:
 * @text: (nullable): what the learner typed
 * @what: the field's name, for the message
 * @max_chars: the most characters allowed
 * @required: whether an empty value is an error
 *
 * Validates UTF-8, trims, refuses control characters other than newlines
 * and tabs, and normalises to NFC so equal text compares equal.
 *
 * Returns: (transfer full) (nullable): the clean text; %NULL with @error
 *   set on failure, or %NULL without error for an empty optional field
 */
char *
rh_text_clean (const char  *text,
               const char  *what,
               gsize        max_chars,
               gboolean     required,
               GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *nfc = NULL;

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("%s is not valid UTF-8 text"), what);
      return NULL;
    }

  copy = g_strstrip (g_strdup (text ? text : ""));

  if (*copy == '\0')
    {
      if (required)
        g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY,
                     _("%s cannot be empty"), what);
      return NULL;
    }

  /* Most text is ASCII, already in NFC: an import of 100,000 cards spends
   * its time here otherwise. */
  {
    gboolean ascii = TRUE;
    gsize n = 0;

    for (const guchar *p = (const guchar *) copy; *p; p++, n++)
      {
        if (*p >= 0x80)
          {
            ascii = FALSE;
            break;
          }
        if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
          {
            g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                         _("%s contains a control character"), what);
            return NULL;
          }
        if (*p == 0x7f)
          {
            g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                         _("%s contains a control character"), what);
            return NULL;
          }
      }
    if (ascii)
      {
        if (n > max_chars)
          {
            g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                         _("%s is longer than %u characters"), what, (guint) max_chars);
            return NULL;
          }
        return g_steal_pointer (&copy);
      }
  }

  for (const char *p = copy; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) && c != '\n' && c != '\t' && c != '\r')
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("%s contains a control character"), what);
          return NULL;
        }
    }

  nfc = g_utf8_normalize (copy, -1, G_NORMALIZE_NFC);
  if (g_utf8_strlen (nfc, -1) > (glong) max_chars)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                   _("%s is longer than %u characters"), what, (guint) max_chars);
      return NULL;
    }

  return g_steal_pointer (&nfc);
}

/**
 * rh_text_split_tags:
 * @text: (nullable): tags as typed: separated by spaces or commas
 *
 * Returns: (transfer full): the pieces, not yet normalised
 */
char **
rh_text_split_tags (const char *text)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", " ,\t\n", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_strv_builder_add (b, parts[i]);
  return g_strv_builder_end (b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * rh_text_normalize_tags:
 *
 * Tags are case-insensitive words: lower-cased, trimmed, without
 * whitespace, de-duplicated and sorted, so two devices that typed the same
 * tags in another order store the same value.
 *
 * Returns: (transfer full): the tags
 */
char **
rh_text_normalize_tags (const char * const  *tags,
                        GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; tags && tags[i]; i++)
    {
      g_autofree char *clean = NULL;
      g_autofree char *lower = NULL;
      gboolean seen = FALSE;

      if (!g_utf8_validate (tags[i], -1, NULL))
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("A tag is not valid UTF-8 text"));
          return NULL;
        }
      clean = g_strstrip (g_strdup (tags[i]));
      if (*clean == '\0')
        continue;
      for (const char *p = clean; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == ',')
            {
              g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                           _("The tag “%s” contains a space or a comma"), clean);
              return NULL;
            }
        }
      lower = g_utf8_strdown (clean, -1);
      if (g_utf8_strlen (lower, -1) > MAX_TAG_CHARS)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                       _("A tag is longer than %d characters"), MAX_TAG_CHARS);
          return NULL;
        }
      for (guint j = 0; j < out->len; j++)
        if (strcmp (out->pdata[j], lower) == 0)
          seen = TRUE;
      if (!seen)
        g_ptr_array_add (out, g_steal_pointer (&lower));
    }

  if (out->len > MAX_TAGS)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                   _("A card can have at most %d tags"), MAX_TAGS);
      return NULL;
    }

  g_ptr_array_sort (out, compare_strings);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}
