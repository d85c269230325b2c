// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include <string.h>

#include "rh-import-data.h"

/* The public struct stays two plain arrays for callers; the set that keeps
 * deck names unique lives behind it so adding a name stays O(1) even for a
 * CSV file with a different deck on every row. */
typedef struct
{
  RhImportData  pub;
  GHashTable   *deck_set;
} RhImportDataReal;

G_DEFINE_QUARK (rh-import-error-quark, rh_import_error)

/**
 * rh_import_data_new:
 *
 * Returns: (transfer full): an empty result, with no cards and no decks
 */
RhImportData *
rh_import_data_new (void)
{
  RhImportDataReal *real = g_new0 (RhImportDataReal, 1);

  real->pub.cards = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_import_card_free);
  real->pub.deck_names = g_ptr_array_new_with_free_func (g_free);
  real->deck_set = g_hash_table_new (g_str_hash, g_str_equal);

  return &real->pub;
}

/**
 * rh_import_data_free:
 * @data: (nullable): a result from rh_import_data_new()
 *
 * Frees @data with all its cards and deck names.
 */
void
rh_import_data_free (RhImportData *data)
{
  RhImportDataReal *real = (RhImportDataReal *) data;

  if (data == NULL)
    return;

  /* The set borrows its keys from deck_names, so it goes first. */
  g_clear_pointer (&real->deck_set, g_hash_table_unref);
  g_clear_pointer (&data->cards, g_ptr_array_unref);
  g_clear_pointer (&data->deck_names, g_ptr_array_unref);
  g_free (real);
}

/**
 * rh_import_data_add_deck_name:
 * @data: a result
 * @deck_name: (nullable): a deck name as found in the file
 *
 * Appends @deck_name to @data's deck names unless it is %NULL, empty or
 * already there, so the list keeps the order decks first appear in.
 */
void
rh_import_data_add_deck_name (RhImportData *data,
                              const char   *deck_name)
{
  RhImportDataReal *real = (RhImportDataReal *) data;
  char *copy;

  g_return_if_fail (data != NULL);

  if (deck_name == NULL || *deck_name == '\0')
    return;
  if (g_hash_table_contains (real->deck_set, deck_name))
    return;

  copy = g_strdup (deck_name);
  g_ptr_array_add (data->deck_names, copy);
  g_hash_table_add (real->deck_set, copy);
}

/**
 * rh_import_data_take_card:
 * @data: a result
 * @card: (transfer full): a complete card
 *
 * Appends @card and records its deck name.
 */
void
rh_import_data_take_card (RhImportData *data,
                          RhImportCard *card)
{
  g_return_if_fail (data != NULL);
  g_return_if_fail (card != NULL);

  rh_import_data_add_deck_name (data, card->deck_name);
  g_ptr_array_add (data->cards, card);
}

/**
 * rh_import_card_new:
 *
 * Returns: (transfer full): a card with no text, an empty tag list and an
 *   empty review list, so readers only fill in what they find
 */
RhImportCard *
rh_import_card_new (void)
{
  RhImportCard *card = g_new0 (RhImportCard, 1);

  card->tags = g_new0 (char *, 1);
  card->reviews = g_array_new (FALSE, FALSE, sizeof (RhImportReview));

  return card;
}

/**
 * rh_import_card_free:
 * @card: (nullable): a card
 */
void
rh_import_card_free (RhImportCard *card)
{
  if (card == NULL)
    return;

  g_free (card->deck_name);
  g_free (card->front);
  g_free (card->back);
  g_free (card->notes);
  g_free (card->example);
  g_strfreev (card->tags);
  g_clear_pointer (&card->reviews, g_array_unref);
  g_free (card);
}

static inline gboolean
is_tag_separator (gunichar c)
{
  /* Anki splits tags on any whitespace; control characters cannot be
   * part of a tag either, so they separate too. */
  return c == ',' || g_unichar_isspace (c) || g_unichar_iscntrl (c);
}

/**
 * rh_import_split_tags:
 * @text: (nullable): tags separated by whitespace or commas, in UTF-8
 * @length: bytes in @text, or -1 if it is nul-terminated
 *
 * Splits, lower-cases and de-duplicates tags, keeping their order.
 * Invalid UTF-8 is repaired first.
 *
 * Returns: (transfer full): a %NULL-terminated, possibly empty list
 */
char **
rh_import_split_tags (const char *text,
                      gssize      length)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;
  const char *p;
  const char *end;

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);
  if (!g_utf8_validate_len (text, length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = strlen (valid);
    }

  p = text;
  end = text + length;

  while (p < end)
    {
      const char *start;
      char *tag;
      gboolean seen = FALSE;

      while (p < end && is_tag_separator (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (p < end && !is_tag_separator (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      tag = g_utf8_strdown (start, p - start);

      /* Tags per card are few, so a linear scan beats a hash table here. */
      for (guint i = 0; i < tags->len; i++)
        {
          if (strcmp (g_ptr_array_index (tags, i), tag) == 0)
            {
              seen = TRUE;
              break;
            }
        }

      if (seen)
        g_free (tag);
      else
        g_ptr_array_add (tags, tag);
    }

  g_ptr_array_add (tags, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}
