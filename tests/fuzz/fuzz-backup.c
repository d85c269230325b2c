// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Full JSON backups restored into a collection. A backup is a file the
 * learner picks, possibly damaged or made by hand.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include <gio/gio.h>

#include "rh-fuzz-collection.h"
#include "rh-fuzz-util.h"
#include "rh-json-backup.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  RhJsonBackupResult result = { 0 };
  RhCollection *collection;
  guint cards_before, decks_before, cards_after, decks_after;

  rh_fuzz_init_once ();

  collection = rh_fuzz_get_collection ();
  rh_fuzz_count (collection, &cards_before, &decks_before);

  bytes = g_bytes_new (data, size);
  in = g_memory_input_stream_new_from_bytes (bytes);
  if (rh_json_backup_read (collection, in, &result, NULL, &error))
    {
      g_assert_no_error (error);
      g_debug ("restored: %u decks, %u cards, %u reviews, %u sessions, %u scenarios added",
               result.decks_added, result.cards_added, result.reviews_added,
               result.sessions_added, result.scenarios_added);
      rh_fuzz_count (collection, &cards_after, &decks_after);
      g_assert_cmpuint (cards_after, ==, cards_before + result.cards_added);
      g_assert_cmpuint (decks_after, ==, decks_before + result.decks_added);
    }
  else
    {
      /* "on any error ... the collection is left as it was" */
      g_assert_nonnull (error);
      g_debug ("restore: %s", error->message);
      rh_fuzz_count (collection, &cards_after, &decks_after);
      g_assert_cmpuint (cards_after, ==, cards_before);
      g_assert_cmpuint (decks_after, ==, decks_before);
    }
  return 0;
}
