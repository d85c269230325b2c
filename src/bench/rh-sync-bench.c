// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * rehearse-sync-bench: the first sync of a large collection and an
 * incremental one, against the contract server (tests/server) on
 * loopback. Run on demand:
 *
 *   ./build/src/bench/rehearse-sync-bench [--cards N] [--reviews N] [--server DIR]
 *
 * It starts the server itself (node, after npm ci in tests/server), signs
 * in a test user, builds a collection of N cards and their reviews, then
 * times: device A's first sync (it pushes everything and pulls its own
 * changes back), device B's first sync (it pulls everything and replays
 * every card's reviews), and an incremental sync of 100 changes each way.
 */
#define G_LOG_DOMAIN "rh-sync-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>

#include "rh-api-client.h"
#include "rh-composition.h"
#include "rh-fixed-token-source.h"
#include "rh-id.h"
#include "rh-sync.h"

static int n_cards = 20000;
static int n_reviews = 100000;
static char *server_dir = NULL;

static GOptionEntry entries[] = {
  { "cards", 0, 0, G_OPTION_ARG_INT, &n_cards, "Cards (default 20000)", "N" },
  { "reviews", 0, 0, G_OPTION_ARG_INT, &n_reviews, "Reviews (default 100000)", "N" },
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_dir,
    "The contract server's folder (default: tests/server of the source tree)", "DIR" },
  G_OPTION_ENTRY_NULL
};

/* ---- helpers ---- */

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("Not a JSON object: %s", text ? text : "(nothing)");
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static RhSyncEngine *
new_engine (RhApiClient *client,
            const char  *path)
{
  RhSyncEngine *engine = rh_sync_engine_new (RH_SYNC_REMOTE (client),
                                             rh_composition_open_for_sync, g_strdup (path),
                                             g_free);

  rh_sync_engine_set_page_size (engine, 1000);
  return engine;
}

static RhSyncSummary
timed_sync (RhSyncEngine *engine,
            const char   *what)
{
  g_autoptr(GError) error = NULL;
  RhSyncSummary summary = { 0 };
  gint64 start = g_get_monotonic_time ();

  if (!rh_sync_engine_sync (engine, &summary, NULL, &error))
    g_error ("%s failed: %s", what, error->message);
  printf ("%-38s %9.2f s  (pushed %u in %u batches, pulled %u + %u unchanged in %u pages, "
          "%u reviews added, %u cards replayed)\n",
          what, seconds_since (start), summary.pushed, summary.batches, summary.pulled,
          summary.unchanged, summary.pages, summary.reviews_added, summary.cards_rebuilt);
  fflush (stdout);
  return summary;
}

/* n_cards cards in 20 decks and n_reviews reviews over the last year, in
 * one transaction through the repositories. */
static void
fill (RhCollection *collection)
{
  const RhRepositories *repos = rh_collection_get_repositories (collection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decks = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_real_time ();
  gint64 start = g_get_monotonic_time ();
  int per_card;

  if (!rh_store_begin (repos->store, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Deck %u", i + 1);
      RhDeck *deck = rh_collection_create_deck (collection, name, &error);

      if (deck == NULL)
        g_error ("%s", error->message);
      g_ptr_array_add (decks, deck);
    }

  if (!rh_card_repository_begin_bulk (repos->cards, &error))
    g_error ("%s", error->message);
  for (int i = 0; i < n_cards; i++)
    {
      g_autofree char *id = rh_id_new_at (now - (gint64) (n_cards - i) * G_USEC_PER_SEC);
      g_autofree char *front = g_strdup_printf ("word %d", i);
      g_autofree char *back = g_strdup_printf ("meaning of word %d", i);
      g_autoptr(RhFlashcard) card = rh_flashcard_new_with_id (
        id, rh_deck_get_id (decks->pdata[i % 20]), front, back, now, &error);

      if (card == NULL || !rh_card_repository_insert (repos->cards, card, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  if (!rh_card_repository_end_bulk (repos->cards, &error))
    g_error ("%s", error->message);

  per_card = n_cards > 0 ? MAX (1, n_reviews / n_cards) : 0;
  for (int i = 0; i < n_reviews && n_cards > 0; i++)
    {
      int card = (i / per_card) % n_cards;
      int nth = i % per_card;
      gint64 time = now - (gint64) (365 - 60 * nth) * 24 * 3600 * G_USEC_PER_SEC -
                    (gint64) card * G_USEC_PER_SEC;
      g_autofree char *id = rh_id_new_at (time);
      g_autoptr(RhReview) review = rh_review_new (id, ids->pdata[card], 1 + (i % 4), time,
                                                  4000, &error);

      if (review == NULL || !rh_review_repository_append (repos->reviews, review, &error))
        g_error ("%s", error->message);
    }

  if (!rh_store_commit (repos->store, &error))
    g_error ("%s", error->message);
  printf ("%-38s %9.2f s\n", "building the collection", seconds_since (start));
}

/* 50 edited cards and 50 answers: 100 changes (and the session). */
static void
change_some (RhCollection *collection)
{
  g_autoptr(GError) error = NULL;
  RhCardQuery query = { .sort = RH_CARD_SORT_CREATED };
  g_autoptr(GPtrArray) cards = rh_collection_search_cards (collection, &query, 0, 100, &error);

  if (cards == NULL || cards->len < 100)
    g_error ("Not enough cards to change");
  for (guint i = 0; i < 50; i++)
    {
      RhCardDraft draft = { .back = "changed" };
      g_autoptr(RhFlashcard) edited = rh_collection_edit_card (
        collection, rh_flashcard_get_id (cards->pdata[i]), &draft, &error);
      g_autoptr(RhReview) review = rh_collection_answer (
        collection, rh_flashcard_get_id (cards->pdata[50 + i]), RH_RATING_GOOD, 3000, &error);

      if (edited == NULL || review == NULL)
        g_error ("%s", error->message);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonObject) ready = NULL;
  g_autoptr(JsonObject) tokens_json = NULL;
  g_autoptr(RhTokenSource) tokens = NULL;
  g_autoptr(RhApiClient) client = NULL;
  g_autoptr(RhSyncEngine) engine_a = NULL;
  g_autoptr(RhSyncEngine) engine_b = NULL;
  g_autoptr(RhCollection) collection = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *line = NULL;
  g_autofree char *login_out = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  JsonObject *user;
  int status = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (server_dir == NULL)
    server_dir = g_strdup (RH_SOURCE_ROOT "/tests/server");
  if (node == NULL)
    {
      fprintf (stderr, "node is needed to run the contract server\n");
      return 77;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, server_dir);
  g_subprocess_launcher_setenv (launcher, "REHEARSE_EXIT_ON_STDIN_EOF", "1", TRUE);
  if (!(server = g_subprocess_launcher_spawn (launcher, &error, node, "bin/serve.mjs", NULL)))
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  ready = parse_object (line);
  user = json_array_get_object_element (json_object_get_array_member (ready, "users"), 0);

  {
    const char *login_argv[] = { node, "test/helpers/login.mjs",
                                 json_object_get_string_member (ready, "issuer"),
                                 json_object_get_string_member (ready, "client_id"),
                                 json_object_get_string_member (user, "email"),
                                 json_object_get_string_member (user, "password"), NULL };

    if (!g_spawn_sync (server_dir, (char **) login_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                       NULL, &login_out, NULL, &status, &error))
      g_error ("%s", error->message);
    tokens_json = parse_object (login_out);
  }
  tokens = rh_fixed_token_source_new (json_object_get_string_member (tokens_json, "access_token"),
                                      json_object_get_string_member (user, "sub"), NULL);
  client = rh_api_client_new (json_object_get_string_member (ready, "api"),
                              tokens, &error);
  if (client == NULL)
    g_error ("%s", error->message);
  rh_api_client_set_timeout (client, 120);

  dir = g_dir_make_tmp ("rehearse-sync-bench-XXXXXX", &error);
  path_a = g_build_filename (dir, "a.rehearse", NULL);
  path_b = g_build_filename (dir, "b.rehearse", NULL);
  printf ("%d cards, %d reviews; server %s\n\n", n_cards, n_reviews,
          json_object_get_string_member (ready, "api"));

  if (!(collection = rh_composition_open (path_a, FALSE, &error)))
    g_error ("%s", error->message);
  fill (collection);

  engine_a = new_engine (client, path_a);
  engine_b = new_engine (client, path_b);
  timed_sync (engine_a, "first sync, device A (push + echo)");
  timed_sync (engine_b, "first sync, device B (pull + replay)");

  change_some (collection);
  timed_sync (engine_a, "incremental sync of 100 changes, A");
  timed_sync (engine_b, "incremental sync of 100 changes, B");

  g_clear_object (&collection);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *wal = g_strconcat (path_a, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path_a, "-shm", NULL);
    g_autofree char *wal_b = g_strconcat (path_b, "-wal", NULL);
    g_autofree char *shm_b = g_strconcat (path_b, "-shm", NULL);

    g_unlink (path_a);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path_b);
    g_unlink (wal_b);
    g_unlink (shm_b);
    g_rmdir (dir);
  }
  return 0;
}
