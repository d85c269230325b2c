// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-composition"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "rh-api-client.h"
#include "rh-composition.h"
#include "rh-scenario-bundle.h"
#include "rh-scenario-resources.h"
#include "rh-sqlite-card-repository.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-deck-repository.h"
#include "rh-sqlite-review-repository.h"
#include "rh-sqlite-scenario-repository.h"
#include "rh-sqlite-session-repository.h"
#include "rh-sqlite-sync-repository.h"
#include "rh-sqlite-user-repository.h"

/**
 * rh_composition_default_path:
 *
 * The signed-out learner's collection. REHEARSE_DATA_DIR moves it (for
 * tests and for people who keep several).
 *
 * Returns: (transfer full): the path
 */
char *
rh_composition_default_path (void)
{
  const char *dir = g_getenv ("REHEARSE_DATA_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "local.rehearse", NULL);
  return g_build_filename (g_get_user_data_dir (), "rehearse", "local.rehearse", NULL);
}

static const struct
{
  const char *front;
  const char *back;
  const char *example;
  const char *tags;
} sample_cards[] = {
  { N_("How do you ask for the bill in a restaurant?"), N_("Could we have the bill, please?"),
    N_("We’re done, thank you. Could we have the bill, please?"), "restaurant phrases" },
  { N_("How do you ask someone to repeat?"), N_("Sorry, could you say that again?"),
    N_("Sorry, could you say that again? The line is bad."), "conversation phrases" },
  { N_("to run out of (something)"), N_("to have none left"),
    N_("We’ve run out of milk, so I’m going to the shop."), "phrasal-verbs" },
  { N_("to look forward to"), N_("to feel happy about something that will happen"),
    N_("I’m looking forward to the weekend."), "phrasal-verbs" },
  { N_("How do you politely disagree?"), N_("I see your point, but I’m not sure I agree."),
    NULL, "conversation phrases" },
  { N_("to get on with (someone)"), N_("to have a friendly relationship"),
    N_("I get on well with my neighbours."), "phrasal-verbs" },
  { N_("How do you ask for directions?"), N_("Excuse me, how do I get to the station?"),
    NULL, "travel phrases" },
  { N_("a reservation"), N_("a booking: a table, a room or a seat kept for you"),
    N_("I have a reservation under the name Garcia."), "travel vocabulary" },
  { N_("to put off"), N_("to delay; to move to a later time"),
    N_("Don’t put off until tomorrow what you can do today."), "phrasal-verbs" },
  { N_("How do you say you don’t understand?"), N_("I’m sorry, I don’t quite follow."),
    NULL, "conversation phrases" },
  { N_("a receipt"), N_("a paper that shows you have paid"),
    N_("Can I have a receipt, please?"), "shopping vocabulary" },
  { N_("to take after (someone)"), N_("to look or behave like an older relative"),
    N_("She takes after her mother."), "phrasal-verbs" },
};

/**
 * rh_composition_seed_sample:
 *
 * Puts a small deck into an empty collection so a first start has
 * something to study.
 */
gboolean
rh_composition_seed_sample (RhCollection  *collection,
                            GError       **error)
{
  const RhRepositories *repos = rh_collection_get_repositories (collection);
  g_autoptr(RhDeck) deck = NULL;

  if (!rh_store_begin (repos->store, error))
    return FALSE;

  if (!(deck = rh_collection_ensure_deck (collection, _("Everyday English"), NULL, error)))
    goto fail;

  for (guint i = 0; i < G_N_ELEMENTS (sample_cards); i++)
    {
      g_auto(GStrv) tags = g_strsplit (sample_cards[i].tags, " ", -1);
      RhCardDraft draft = {
        .deck_id = rh_deck_get_id (deck),
        .front = _(sample_cards[i].front),
        .back = _(sample_cards[i].back),
        .example = sample_cards[i].example ? _(sample_cards[i].example) : NULL,
        .tags = (const char * const *) tags,
      };
      g_autoptr(RhFlashcard) card = rh_collection_add_card (collection, &draft, error);
      if (card == NULL)
        goto fail;
    }

  if (!rh_store_commit (repos->store, error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (repos->store);
  return FALSE;
}

/* The digest of the bundled scenarios last installed into the collection. */
#define META_SCENARIO_BUNDLE "scenario-bundle"

/**
 * rh_composition_get_scenario_resource:
 *
 * Returns: (transfer none): the bundled scenarios (data/scenarios)
 */
GResource *
rh_composition_get_scenario_resource (void)
{
  return rh_scenarios_get_resource ();
}

/**
 * rh_composition_install_scenarios:
 * @force: install even when the collection already has this bundle
 * @out_report: (out) (optional): what the install did; all zero when it
 *   was skipped
 *
 * Installs the bundled scenarios into the collection, or updates them
 * (rh_scenario_library_install() has the rules). The collection remembers
 * the digest of the bundle it has, so a start with an unchanged bundle
 * costs one hash of the mapped resource and no parsing.
 */
gboolean
rh_composition_install_scenarios (RhCollection             *collection,
                                  gboolean                  force,
                                  RhScenarioInstallReport  *out_report,
                                  GError                  **error)
{
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (collection), "rh-sqlite-database");
  const RhRepositories *repos = rh_collection_get_repositories (collection);
  g_autoptr(RhScenarioBundle) bundle = NULL;
  g_autoptr(RhScenarioLibrary) library = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *installed = NULL;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), FALSE);

  if (out_report != NULL)
    *out_report = (RhScenarioInstallReport) { 0 };

  bundle = rh_scenario_bundle_new (rh_scenarios_get_resource (), NULL);
  if (!(digest = rh_scenario_bundle_get_digest (bundle, error)))
    return FALSE;
  installed = rh_sqlite_database_get_meta (db, META_SCENARIO_BUNDLE);
  if (!force && g_strcmp0 (installed, digest) == 0)
    return TRUE;

  if (!(scenarios = rh_scenario_bundle_load (bundle, &problems, error)))
    return FALSE;
  /* A broken bundled document is a packaging bug (test-scenarios catches
   * it): say so, and install the others. */
  for (guint i = 0; i < problems->len; i++)
    g_warning ("A bundled scenario was left out: %s",
               ((GError *) problems->pdata[i])->message);

  library = rh_scenario_library_new (collection);
  if (!rh_store_begin (repos->store, error))
    return FALSE;
  if (!rh_scenario_library_install (library, scenarios, out_report, &local_error) ||
      !rh_sqlite_database_set_meta (db, META_SCENARIO_BUNDLE, digest, &local_error) ||
      !rh_store_commit (repos->store, &local_error))
    {
      rh_store_rollback (repos->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * rh_composition_open:
 * @path: the collection file
 * @seed_sample: whether a newly made collection gets the sample deck
 *
 * The composition root: builds the SQLite store and repositories and hands
 * them to the use cases.
 *
 * Returns: (transfer full) (nullable): the collection
 */
RhCollection *
rh_composition_open (const char  *path,
                     gboolean     seed_sample,
                     GError     **error)
{
  g_autoptr(RhSqliteDatabase) db = NULL;
  g_autoptr(RhCollection) collection = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *seeded = NULL;
  RhRepositories repos;

  if (g_strcmp0 (path, ":memory:") != 0)
    {
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
          return NULL;
        }
    }

  if (!(db = rh_sqlite_database_open (path, error)))
    return NULL;

  repos.store = RH_STORE (db);
  repos.users = RH_USER_REPOSITORY (rh_sqlite_user_repository_new (db));
  repos.decks = RH_DECK_REPOSITORY (rh_sqlite_deck_repository_new (db));
  repos.cards = RH_CARD_REPOSITORY (rh_sqlite_card_repository_new (db));
  repos.reviews = RH_REVIEW_REPOSITORY (rh_sqlite_review_repository_new (db));
  repos.sessions = RH_SESSION_REPOSITORY (rh_sqlite_session_repository_new (db));
  repos.scenarios = RH_SCENARIO_REPOSITORY (rh_sqlite_scenario_repository_new (db));
  collection = rh_collection_new (&repos);
  g_object_set_data_full (G_OBJECT (collection), "rh-sqlite-database",
                          g_object_ref (db), g_object_unref);
  g_object_unref (repos.users);
  g_object_unref (repos.decks);
  g_object_unref (repos.cards);
  g_object_unref (repos.reviews);
  g_object_unref (repos.sessions);
  g_object_unref (repos.scenarios);

  /* The sample goes in once, when the file is new: a learner who deletes
   * it does not get it back. */
  seeded = rh_sqlite_database_get_meta (db, "sample-seeded");
  if (seeded == NULL)
    {
      if (seed_sample && !rh_composition_seed_sample (collection, error))
        return NULL;
      if (!rh_sqlite_database_set_meta (db, "sample-seeded", seed_sample ? "1" : "0", error))
        return NULL;
    }

  /* The scenarios are a bonus on top of the learner's collection: when
   * they cannot be installed (a full disk), the collection still opens,
   * and the next start tries again. */
  {
    g_autoptr(GError) scenario_error = NULL;

    if (!rh_composition_install_scenarios (collection, FALSE, NULL, &scenario_error))
      g_warning ("Could not install the bundled scenarios: %s", scenario_error->message);
  }

  return g_steal_pointer (&collection);
}

/**
 * rh_composition_open_for_sync:
 * @path: (type filename): the collection file
 * @out_collection: (out) (transfer full): the collection, on a connection
 *   of its own
 * @out_repository: (out) (transfer full): the sync's view of it
 *
 * An #RhSyncOpenFunc that opens the collection at @path (the user data)
 * for one sync, in the thread that syncs.
 */
gboolean
rh_composition_open_for_sync (gpointer            path,
                              RhCollection      **out_collection,
                              RhSyncRepository  **out_repository,
                              GError            **error)
{
  g_autoptr(RhCollection) collection = rh_composition_open (path, FALSE, error);

  if (collection == NULL)
    return FALSE;
  *out_repository = RH_SYNC_REPOSITORY (rh_sqlite_sync_repository_new_for_collection (collection));
  *out_collection = g_steal_pointer (&collection);
  return TRUE;
}

/**
 * rh_composition_new_sync_engine:
 * @collection_path: the signed-in account's collection
 * @tokens: the account's access tokens
 * @api_url: the sync server
 *
 * The sync engine for one account's collection, talking to @api_url
 * with the tokens of @tokens. It does nothing until asked
 * (rh_sync_engine_start(), rh_sync_engine_request_sync()).
 *
 * Returns: (transfer full) (nullable): the engine
 */
RhSyncEngine *
rh_composition_new_sync_engine (const char     *collection_path,
                                RhTokenSource  *tokens,
                                const char     *api_url,
                                GError        **error)
{
  g_autoptr(RhApiClient) client = NULL;

  g_return_val_if_fail (collection_path != NULL, NULL);
  g_return_val_if_fail (RH_IS_TOKEN_SOURCE (tokens), NULL);
  g_return_val_if_fail (api_url != NULL, NULL);

  if (!(client = rh_api_client_new (api_url, tokens, error)))
    return NULL;
  return rh_sync_engine_new (RH_SYNC_REMOTE (client), rh_composition_open_for_sync,
                             g_strdup (collection_path), g_free);
}
