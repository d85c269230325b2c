// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Pages of changes pulled from the sync server: the client's checks of
 * the answer, then the merge into a collection, the way the sync engine
 * runs it (rh-sync.c), inside a transaction that is rolled back so that
 * every input meets the same collection.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include "rh-api-client-private.h"
#include "rh-domain-error.h"
#include "rh-fuzz-collection.h"
#include "rh-fuzz-util.h"
#include "rh-sqlite-sync-repository.h"

/* The engine's first pull, and the most the contract allows per page. */
#define FIRST_CURSOR "0"
#define PAGE_LIMIT   1000

static void
rebuild_cards (RhCollection     *collection,
               RhSyncRepository *repo)
{
  for (;;)
    {
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(GError) error = NULL;

      ids = rh_sync_repository_list_cards_to_rebuild (repo, 100, &error);
      g_assert_no_error (error);
      if (ids->len == 0)
        return;
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(GError) rebuild_error = NULL;

          /* a card deleted, or whose reviews came before it, has no
           * state to rebuild: the engine goes on */
          if (!rh_collection_rebuild_card (collection, ids->pdata[i], NULL, &rebuild_error))
            g_assert_error (rebuild_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
          rh_sync_repository_forget_card_to_rebuild (repo, ids->pdata[i], &error);
          g_assert_no_error (error);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(RhSyncPage) page = NULL;
  g_autoptr(RhSyncRepository) repo = NULL;
  g_autoptr(GError) error = NULL;
  RhSyncApplyStats stats = { 0 };
  RhCollection *collection;
  RhStore *store;
  gboolean changed = FALSE;

  rh_fuzz_init_once ();

  answer = g_bytes_new (data, size);
  page = rh_api_client_parse_page (answer, FIRST_CURSOR, PAGE_LIMIT, &error);
  if (page == NULL)
    {
      g_debug ("parse: %s", error ? error->message : "(no error)");
      g_assert_error (error, RH_API_ERROR, RH_API_ERROR_INVALID_RESPONSE);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (page->changes);
  g_assert_cmpuint (page->changes->len, <=, PAGE_LIMIT);
  g_assert_true (rh_sync_cursor_is_valid (page->cursor));

  collection = rh_fuzz_get_collection ();
  store = rh_collection_get_repositories (collection)->store;
  repo = RH_SYNC_REPOSITORY (rh_sqlite_sync_repository_new_for_collection (collection));
  g_assert_nonnull (repo);

  rh_store_begin (store, &error);
  g_assert_no_error (error);

  /* The page passed the client's checks, so the merge takes it: what it
   * cannot store it counts as skipped. A failure here is not the disk's
   * (the collection is in memory) but a change the merge did not expect. */
  rh_sync_repository_apply_changes (repo, page->changes, &stats, &error);
  g_assert_no_error (error);
  rh_sync_repository_set_cursor (repo, page->cursor, &error);
  g_assert_no_error (error);
  g_debug ("applied: %u, unchanged %u, conflicts %u, skipped %u, reviews added %u",
           stats.applied, stats.unchanged, stats.conflicts, stats.skipped, stats.reviews_added);

  /* What a pull that caught up does next. */
  rh_sync_repository_settle (repo, &stats, &changed, &error);
  g_assert_no_error (error);
  rebuild_cards (collection, repo);

  rh_store_rollback (store);
  return 0;
}
