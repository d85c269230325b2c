// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * CSV, TSV and Anki text exports: the reader, then the import of what it
 * read into a collection.
 *
 * The first byte picks the options a user can choose in the import
 * dialog, so that the seeds can say which they want; '@' (0x40) is the
 * defaults:
 *   bits 0-1  delimiter: guessed, ',', ';', tab
 *   bit 2     has_header
 *   bit 3     notes, example, tags and deck in columns 3 to 6
 *   bit 4     front and back swapped
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include "rh-csv-reader.h"
#include "rh-fuzz-collection.h"
#include "rh-fuzz-util.h"

static void
options_from_byte (RhCsvOptions *options,
                   guint8        byte)
{
  static const char delimiters[] = { 0, ',', ';', '\t' };

  rh_csv_options_init (options);
  options->delimiter = delimiters[byte & 3];
  options->has_header = (byte & 4) != 0;
  if (byte & 8)
    {
      options->col_notes = 2;
      options->col_example = 3;
      options->col_tags = 4;
      options->col_deck = 5;
    }
  if (byte & 16)
    {
      options->col_front = 1;
      options->col_back = 0;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RhImportData) import = NULL;
  g_autoptr(GError) error = NULL;
  RhImportResult result = { 0 };
  RhCollection *collection;
  RhCsvOptions options;
  guint cards_before, decks_before, cards_after, decks_after;

  rh_fuzz_init_once ();
  if (size < 1)
    return 0;

  options_from_byte (&options, data[0]);
  bytes = g_bytes_new (data + 1, size - 1);
  import = rh_csv_read_bytes (bytes, &options, NULL, NULL, NULL, &error);
  if (import == NULL)
    {
      g_assert_nonnull (error);
      g_debug ("read: %s", error->message);
      return 0;
    }
  g_assert_no_error (error);
  rh_fuzz_assert_import_data (import);

  collection = rh_fuzz_get_collection ();
  rh_fuzz_count (collection, &cards_before, &decks_before);
  if (rh_collection_import (collection, import, NULL, &result, NULL, &error))
    {
      g_assert_no_error (error);
      g_debug ("imported: %u added, %u duplicates, %u decks created", result.added,
               result.duplicates, result.decks_created);
      rh_fuzz_count (collection, &cards_after, &decks_after);
      g_assert_cmpuint (cards_after, ==, cards_before + result.added);
      g_assert_cmpuint (result.added + result.duplicates, ==, import->cards->len);
      g_assert_cmpuint (decks_after, ==, decks_before + result.decks_created);
    }
  else
    {
      /* "On any error, nothing is added." */
      g_assert_nonnull (error);
      g_debug ("import: %s", error->message);
      rh_fuzz_count (collection, &cards_after, &decks_after);
      g_assert_cmpuint (cards_after, ==, cards_before);
      g_assert_cmpuint (decks_after, ==, decks_before);
    }
  return 0;
}
