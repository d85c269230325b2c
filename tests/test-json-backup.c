// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-json-backup.h"
#include "rh-test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add (path, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

/* A second, empty collection in the fixture's folder, on the same clock. */
static RhCollection *
open_second (RhFixture  *f,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  RhCollection *c = rh_composition_open (path, FALSE, &error);

  g_assert_no_error (error);
  rh_collection_set_clock (c, rh_fixture_clock, f);
  return c;
}

static GBytes *
export_bytes (RhCollection *c)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rh_json_backup_write (c, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
import_bytes (RhCollection        *c,
              GBytes              *bytes,
              RhJsonBackupResult  *result,
              GError             **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);

  return rh_json_backup_read (c, in, result, NULL, error);
}

static void
answer (RhFixture  *f,
        const char *id,
        RhRating    rating)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = rh_collection_answer (f->collection, id, rating, 2500, &error);

  g_assert_no_error (error);
}

/* Decks, cards with every field, studied cards, an undone answer, two
 * sessions, the profile and one of the learner's own scenarios. */
static void
populate (RhFixture *f)
{
  const RhRepositories *r = rh_collection_get_repositories (f->collection);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) es = rh_fixture_deck (f, "Español");
  g_autoptr(RhDeck) vi = rh_fixture_deck (f, "Tiếng Việt");
  g_autoptr(RhDeck) empty = rh_fixture_deck (f, "Empty");
  g_autoptr(RhFlashcard) a = NULL;
  g_autoptr(RhFlashcard) b = NULL;
  g_autoptr(RhFlashcard) c = NULL;
  g_autoptr(RhFlashcard) undone = NULL;
  g_autoptr(RhSession) ended = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhUser) user = NULL;
  const char *tags[] = { "food", "verbs", NULL };
  const char *accepted[] = { "Una mesa para dos, por favor.", NULL };
  const char *hints[] = { "mesa", NULL };
  RhCardDraft draft = {
    .deck_id = rh_deck_get_id (es), .front = "comer", .back = "to eat",
    .notes = "irregular? no", .example = "Quiero comer.", .tags = tags,
  };

  a = rh_collection_add_card (f->collection, &draft, &error);
  g_assert_no_error (error);
  f->now += 1000;
  b = rh_fixture_card (f, es, "beber", "to drink \"quoted\"\nand a line");
  f->now += 1000;
  c = rh_fixture_card (f, vi, "xin chào", "hello");

  /* studied over a few days, with a lapse */
  answer (f, rh_flashcard_get_id (a), RH_RATING_GOOD);
  answer (f, rh_flashcard_get_id (b), RH_RATING_AGAIN);
  f->now += 10 * RH_USEC_PER_MINUTE;
  answer (f, rh_flashcard_get_id (b), RH_RATING_GOOD);
  ended = rh_collection_end_session (f->collection, &error);
  g_assert_no_error (error);
  g_clear_object (&ended);

  f->now += 3 * RH_USEC_PER_DAY;
  answer (f, rh_flashcard_get_id (a), RH_RATING_EASY);
  answer (f, rh_flashcard_get_id (c), RH_RATING_HARD);
  undone = rh_collection_undo (f->collection, &error);
  g_assert_no_error (error);
  ended = rh_collection_end_session (f->collection, &error);
  g_assert_no_error (error);

  scenario = rh_scenario_new (NULL, "At the restaurant", "A2", &error);
  g_assert_no_error (error);
  g_assert_true (rh_scenario_set_topic (scenario, "food", &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_PARTNER, "¡Hola!", NULL,
                                                             NULL, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER,
                                                             "Ask for a table for two",
                                                             accepted, NULL, hints, &error),
                                       &error));
  g_assert_true (rh_scenario_repository_save (r->scenarios, scenario, &error));
  g_assert_no_error (error);

  user = rh_user_new ("4f1c2d7e-sub", "learner@example.com", &error);
  g_assert_no_error (error);
  g_assert_true (rh_user_set_new_cards_per_day (user, 15, &error));
  g_assert_true (rh_user_repository_save (r->users, user, &error));
  g_assert_no_error (error);
}

static char *
reviews_digest (RhCollection *c)
{
  const RhRepositories *r = rh_collection_get_repositories (c);
  g_autoptr(GPtrArray) reviews = rh_review_repository_list_between (r->reviews, G_MININT64,
                                                                    G_MAXINT64, NULL);
  GString *s = g_string_new (NULL);

  g_assert_nonnull (reviews);
  for (guint i = 0; i < reviews->len; i++)
    g_string_append_printf (s, "%s %s %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %s\n",
                            rh_review_get_id (reviews->pdata[i]),
                            rh_review_get_card_id (reviews->pdata[i]),
                            rh_review_get_rating (reviews->pdata[i]),
                            rh_review_get_time (reviews->pdata[i]),
                            rh_review_get_duration_ms (reviews->pdata[i]),
                            rh_review_get_state_before (reviews->pdata[i]),
                            rh_review_get_session_id (reviews->pdata[i]));
  return g_string_free (s, FALSE);
}

static void
test_round_trip (RhFixture     *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(RhCollection) copy = NULL;
  g_autofree char *reviews_a = NULL;
  g_autofree char *reviews_b = NULL;
  g_autofree char *sum_a = NULL;
  g_autofree char *sum_b = NULL;
  RhJsonBackupResult result = { 0 };
  RhFixture other = { 0 };

  populate (f);
  first = export_bytes (f->collection);

  copy = open_second (f, "copy.rehearse");
  g_assert_true (import_bytes (copy, first, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.decks_added, ==, 3);
  g_assert_cmpuint (result.cards_added, ==, 3);
  /* four answers; the undone one is gone */
  g_assert_cmpuint (result.reviews_added, ==, 4);
  g_assert_cmpuint (result.sessions_added, ==, 2);
  g_assert_cmpuint (result.scenarios_added, ==, 1);
  g_assert_true (result.profile_restored);
  g_assert_cmpuint (result.cards_skipped + result.reviews_skipped + result.decks_skipped, ==, 0);

  second = export_bytes (copy);
  if (!g_bytes_equal (first, second))
    {
      g_test_message ("first:\n%.*s", (int) g_bytes_get_size (first),
                      (const char *) g_bytes_get_data (first, NULL));
      g_test_message ("second:\n%.*s", (int) g_bytes_get_size (second),
                      (const char *) g_bytes_get_data (second, NULL));
    }
  g_assert_true (g_bytes_equal (first, second));

  /* the same cards with the same state, and the same answers */
  other.collection = copy;
  sum_a = rh_fixture_checksum (f);
  sum_b = rh_fixture_checksum (&other);
  g_assert_cmpstr (sum_a, ==, sum_b);
  reviews_a = reviews_digest (f->collection);
  reviews_b = reviews_digest (copy);
  g_assert_cmpstr (reviews_a, ==, reviews_b);
  g_assert_nonnull (strstr (g_bytes_get_data (first, NULL), "\"state_before\" : \"learning\""));
}

static void
test_import_twice (RhFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(RhCollection) copy = NULL;
  RhJsonBackupResult result = { 0 };
  guint n_scenarios;

  populate (f);
  backup = export_bytes (f->collection);
  copy = open_second (f, "copy.rehearse");
  g_assert_true (import_bytes (copy, backup, &result, &error));
  g_assert_no_error (error);
  /* the bundled scenarios are installed on opening: the learner's own
   * one is added, the bundled ones are there already */
  g_assert_cmpuint (result.scenarios_added, ==, 1);
  n_scenarios = result.scenarios_added + result.scenarios_skipped;

  g_assert_true (import_bytes (copy, backup, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.decks_added + result.cards_added + result.reviews_added +
                    result.sessions_added + result.scenarios_added, ==, 0);
  g_assert_false (result.profile_restored);
  g_assert_cmpuint (result.decks_skipped, ==, 3);
  g_assert_cmpuint (result.cards_skipped, ==, 3);
  g_assert_cmpuint (result.reviews_skipped, ==, 4);
  g_assert_cmpuint (result.sessions_skipped, ==, 2);
  g_assert_cmpuint (result.scenarios_skipped, ==, n_scenarios);

  after = export_bytes (copy);
  g_assert_true (g_bytes_equal (backup, after));

  /* and into the collection it came from: nothing new either */
  g_assert_true (import_bytes (f->collection, backup, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.cards_added + result.reviews_added, ==, 0);
}

/* The backup with one member of one element replaced (or, with a NULL
 * array, of the document itself). */
static GBytes *
mutate (GBytes     *backup,
        const char *array,
        guint       index,
        const char *name,
        JsonNode   *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  char *text;
  gsize len;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (backup, NULL),
                                             g_bytes_get_size (backup), &error));
  o = json_node_get_object (json_parser_get_root (parser));
  if (array != NULL)
    o = json_array_get_object_element (json_object_get_array_member (o, array), index);
  json_object_set_member (o, name, value);
  text = json_to_string (json_parser_get_root (parser), TRUE);
  len = strlen (text);
  return g_bytes_new_take (text, len);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (n, text);
  return n;
}

static JsonNode *
int_node (gint64 value)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (n, value);
  return n;
}

static void
expect_refused (RhCollection *target,
                RhFixture    *target_fixture,
                GBytes       *bytes,
                const char   *where)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rh_fixture_checksum (target_fixture);
  g_autofree char *reviews_before = reviews_digest (target);
  g_autofree char *after = NULL;
  g_autofree char *reviews_after = NULL;
  RhJsonBackupResult result = { 0 };

  g_assert_false (import_bytes (target, bytes, &result, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  if (strstr (error->message, where) == NULL)
    g_error ("“%s” does not name “%s”", error->message, where);

  after = rh_fixture_checksum (target_fixture);
  reviews_after = reviews_digest (target);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (reviews_before, ==, reviews_after);
}

static void
test_malformed (RhFixture     *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(RhCollection) target = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *stranger = rh_id_new ();
  g_autoptr(GBytes) bytes = NULL;
  RhFixture other = { 0 };
  gsize size;

  populate (f);
  backup = export_bytes (f->collection);
  size = g_bytes_get_size (backup);

  /* a collection with something in it, so "unchanged" means something */
  target = open_second (f, "target.rehearse");
  other.collection = target;
  deck = rh_collection_create_deck (target, "Mine", NULL);
  g_assert_nonnull (deck);
  {
    RhCardDraft draft = { .deck_id = rh_deck_get_id (deck), .front = "mine", .back = "yes" };
    card = rh_collection_add_card (target, &draft, NULL);
    g_assert_nonnull (card);
  }

#define REFUSE(b, where) \
  G_STMT_START { \
    g_autoptr(GBytes) _b = (b); \
    expect_refused (target, &other, _b, where); \
  } G_STMT_END

  REFUSE (g_bytes_new_static ("hello, world", 12), "not valid JSON");
  REFUSE (g_bytes_new_from_bytes (backup, 0, size / 2), "not valid JSON");
  REFUSE (g_bytes_new_from_bytes (backup, 0, size - 3), "not valid JSON");
  REFUSE (g_bytes_new_static ("[1, 2]", 6), "not a Rehearse backup");
  REFUSE (mutate (backup, NULL, 0, "format", string_node ("anki")), "not a Rehearse backup");
  REFUSE (mutate (backup, NULL, 0, "version", int_node (99)), "version 99");
  REFUSE (mutate (backup, NULL, 0, "version", string_node ("1")), "version");
  REFUSE (mutate (backup, "cards", 2, "front", string_node ("")), "cards[2].front: ");
  REFUSE (mutate (backup, "cards", 2, "front", string_node ("  \t ")), "cards[2].front: ");
  REFUSE (mutate (backup, "reviews", 3, "rating", int_node (7)), "reviews[3].rating: ");
  REFUSE (mutate (backup, "reviews", 1, "rating", int_node (0)), "reviews[1].rating: ");
  REFUSE (mutate (backup, "reviews", 0, "card_id", string_node (stranger)),
          "reviews[0].card_id: ");
  REFUSE (mutate (backup, "reviews", 0, "card_id", string_node ("not an id")),
          "reviews[0].card_id: ");
  REFUSE (mutate (backup, "reviews", 0, "state_before", string_node ("sleeping")),
          "reviews[0].state_before: ");

  huge = g_strnfill (RH_FLASHCARD_MAX_SIDE + 1, 'x');
  REFUSE (mutate (backup, "cards", 1, "back", string_node (huge)), "cards[1].back: ");
  g_clear_pointer (&huge, g_free);
  huge = g_strnfill (RH_DECK_MAX_NAME + 1, 'd');
  REFUSE (mutate (backup, "decks", 1, "name", string_node (huge)), "decks[1].name: ");

  /* wrong types */
  REFUSE (mutate (backup, "decks", 0, "created_us", string_node ("yesterday")),
          "decks[0].created_us: ");
  REFUSE (mutate (backup, "cards", 0, "tags", string_node ("food verbs")), "cards[0].tags: ");
  REFUSE (mutate (backup, "cards", 0, "front", int_node (3)), "cards[0].front: ");
  REFUSE (mutate (backup, "cards", 0, "state", int_node (3)), "cards[0].state: ");
  REFUSE (mutate (backup, "sessions", 1, "again", string_node ("many")), "sessions[1].again: ");
  REFUSE (mutate (backup, NULL, 0, "cards", json_from_string ("{}", NULL)), "backup.cards: ");
  REFUSE (mutate (backup, "cards", 0, "surprise", int_node (1)), "cards[0].surprise: ");
  REFUSE (mutate (backup, "scenarios", 0, "document", json_node_new (JSON_NODE_NULL)),
          "scenarios[0].document: ");
  /* a turn's result twice */
  REFUSE (mutate (backup, "sessions", 0, "turn_results",
                  json_from_string ("[{\"turn_index\": 1, \"score\": 80, \"answer\": \"Hola\","
                                    " \"hints_used\": 0, \"attempts\": 1, \"skipped\": false},"
                                    " {\"turn_index\": 1, \"score\": 90, \"answer\": \"Hola\","
                                    " \"hints_used\": 0, \"attempts\": 2, \"skipped\": false}]",
                                    NULL)),
          "sessions[0].turn_results[1].turn_index: ");
  {
    JsonNode *missing = json_from_string ("{\"id\": \"x\"}", NULL);
    REFUSE (mutate (backup, NULL, 0, "profile", missing), "profile.");
  }
  /* an escape for half a surrogate pair: JSON, but not text */
  {
    g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (backup, NULL), size);
    const char *front = strstr (text->str, "\"front\"");
    const char *value = front ? strchr (front + strlen ("\"front\""), '"') : NULL;

    g_assert_nonnull (value);
    g_string_insert (text, value + 1 - text->str, "\\ud800x");
    REFUSE (g_string_free_to_bytes (g_steal_pointer (&text)), "cards[0].front: expected text");
  }
  /* nesting that would take the parser's stack: refused before parsing */
  {
    g_autoptr(GString) deep = g_string_new ("{\"format\": ");
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    REFUSE (g_string_free_to_bytes (g_steal_pointer (&deep)), "nest more than 64 deep");
  }
#undef REFUSE

  /* and the untouched backup still goes in */
  bytes = g_bytes_ref (backup);
  {
    g_autoptr(GError) error = NULL;
    RhJsonBackupResult result = { 0 };

    g_assert_true (import_bytes (target, bytes, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.cards_added, ==, 3);
  }
}

/* A card id the collection has as a tombstone is skipped, with its
 * answers, rather than failing the whole restore. */
static void
test_deleted_here (RhFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  RhCardQuery q = { .sort = RH_CARD_SORT_CREATED };
  const char *ids[2] = { NULL, NULL };
  RhJsonBackupResult result = { 0 };

  populate (f);
  backup = export_bytes (f->collection);
  cards = rh_collection_search_cards (f->collection, &q, 0, 10, &error);
  g_assert_no_error (error);
  ids[0] = rh_flashcard_get_id (cards->pdata[0]);
  g_assert_true (rh_collection_delete_cards (f->collection, ids, &error));
  g_assert_no_error (error);

  g_assert_true (import_bytes (f->collection, backup, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.cards_added, ==, 0);
  g_assert_cmpuint (result.cards_skipped, ==, 3);
  /* its answers stayed out too, and it stays deleted */
  g_assert_cmpuint (result.reviews_added, ==, 0);
  {
    guint n = 0;

    g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, cards->len - 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  FIXTURE_TEST ("/json-backup/round-trip", test_round_trip);
  FIXTURE_TEST ("/json-backup/import-twice", test_import_twice);
  FIXTURE_TEST ("/json-backup/malformed", test_malformed);
  FIXTURE_TEST ("/json-backup/deleted-here", test_deleted_here);

  return g_test_run ();
}
