// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The collection the targets that write (csv, backup, pull) keep
 * between inputs.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include "rh-composition.h"
#include "rh-fuzz-collection.h"

/* Opening a collection installs the bundled scenarios, which costs far
 * more than most inputs, so one is kept for many. What the inputs add
 * piles up, in memory and in what the next input finds (duplicates), so
 * it is opened afresh every so often. */
#define REOPEN_EVERY 256

static RhCollection *collection;
static guint uses;

/**
 * rh_fuzz_get_collection:
 *
 * Returns: (transfer none): an in-memory collection, without the sample
 *   deck but with the bundled scenarios
 */
RhCollection *
rh_fuzz_get_collection (void)
{
  g_autoptr(GError) error = NULL;

  if (collection != NULL && ++uses % REOPEN_EVERY == 0)
    g_clear_object (&collection);
  if (collection == NULL)
    {
      collection = rh_composition_open (":memory:", FALSE, &error);
      g_assert_no_error (error);
    }
  return collection;
}

/**
 * rh_fuzz_count:
 *
 * How many cards and decks @self holds, through the use cases:
 * what a failed import or restore must leave as it found it.
 */
void
rh_fuzz_count (RhCollection *self,
               guint        *out_cards,
               guint        *out_decks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  RhCardQuery query = { 0 };

  rh_collection_count_cards (self, &query, out_cards, &error);
  g_assert_no_error (error);
  decks = rh_collection_list_decks (self, &error);
  g_assert_no_error (error);
  *out_decks = decks->len;
}
