// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-composition"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "rh-composition.h"
#include "rh-sqlite-card-repository.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-deck-repository.h"
#include "rh-sqlite-review-repository.h"
#include "rh-sqlite-scenario-repository.h"
#include "rh-sqlite-session-repository.h"
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

  return g_steal_pointer (&collection);
}
