// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Sync against the contract server (tests/server): the real HTTP API, the
 * DynamoDB emulation and the OpenID provider on loopback, real SQLite on
 * both ends. Each "device" is a collection file of its own with its own
 * engine; tokens come from the provider through the test login helper.
 * Skipped when node or the server's packages are missing.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "rh-api-client.h"
#include "rh-domain-error.h"
#include "rh-scenario-practice.h"
#include "rh-sync.h"
#include "rh-test-server.h"
#include "rh-test-util.h"

/* ---- the server ---- */

/* How many log entries each entity id has, and how many batches. */
static GHashTable *
logged_changes (guint  user,
                guint *out_batches)
{
  g_autofree char *path = g_strdup_printf ("/__test/items?sub=%s", server->sub[user]);
  g_autoptr(JsonNode) answer = admin ("GET", path, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (answer), "items");
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  *out_batches = 0;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *sk = json_object_get_string_member (item, "SK");

      if (g_str_has_prefix (sk, "BATCH#"))
        (*out_batches)++;
      else if (g_str_has_prefix (sk, "CHANGE#") && json_object_has_member (item, "id"))
        {
          const char *id = json_object_get_string_member (item, "id");
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, id));

          g_hash_table_insert (counts, g_strdup (id), GUINT_TO_POINTER (n + 1));
        }
    }
  return counts;
}

/* ---- a token source for the tests: tokens from the provider ---- */

#define TEST_TYPE_TOKENS (test_tokens_get_type ())
G_DECLARE_FINAL_TYPE (TestTokens, test_tokens, TEST, TOKENS, GObject)

struct _TestTokens
{
  GObject   parent_instance;

  GMutex    lock;
  guint     user;
  char     *token;
  guint     refreshes;
  gboolean  refresh_is_bad;
};

static void test_tokens_source_init (RhTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTokens, test_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_TOKEN_SOURCE,
                                                      test_tokens_source_init))

static char *
test_tokens_get (RhTokenSource  *source,
                 GCancellable   *cancellable,
                 GError        **error)
{
  TestTokens *self = TEST_TOKENS (source);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->token);
}

/* A refresh signs in again, as the real one asks the provider. */
static char *
test_tokens_refresh (RhTokenSource  *source,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TestTokens *self = TEST_TOKENS (source);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->refreshes++;
  g_free (self->token);
  self->token = self->refresh_is_bad ? g_strdup ("not.a.token") : login (self->user);
  return g_strdup (self->token);
}

static char *
test_tokens_dup_user_id (RhTokenSource *source)
{
  return g_strdup (server->sub[TEST_TOKENS (source)->user]);
}

static void
test_tokens_source_init (RhTokenSourceInterface *iface)
{
  iface->get_access_token = test_tokens_get;
  iface->refresh_access_token = test_tokens_refresh;
  iface->dup_user_id = test_tokens_dup_user_id;
}

static void
test_tokens_finalize (GObject *object)
{
  TestTokens *self = TEST_TOKENS (object);

  g_free (self->token);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (test_tokens_parent_class)->finalize (object);
}

static void
test_tokens_class_init (TestTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_tokens_finalize;
}

static void
test_tokens_init (TestTokens *self)
{
  g_mutex_init (&self->lock);
}

static TestTokens *
test_tokens_new (guint user)
{
  TestTokens *self = g_object_new (TEST_TYPE_TOKENS, NULL);

  self->user = user;
  self->token = g_strdup (token_for (user));
  return self;
}

/* ---- a recording wrapper around the API client (the real one) ---- */

#define TEST_TYPE_RECORDER (test_recorder_get_type ())
G_DECLARE_FINAL_TYPE (TestRecorder, test_recorder, TEST, RECORDER, GObject)

struct _TestRecorder
{
  GObject       parent_instance;

  RhSyncRemote *inner;
  GPtrArray    *pull_cursors;
  GPtrArray    *batch_ids;
};

static void test_recorder_remote_init (RhSyncRemoteInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRecorder, test_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SYNC_REMOTE,
                                                      test_recorder_remote_init))

static char *
recorder_dup_account_id (RhSyncRemote *remote)
{
  return rh_sync_remote_dup_account_id (TEST_RECORDER (remote)->inner);
}

static RhSyncPushAnswer *
recorder_push (RhSyncRemote  *remote,
               const char    *device_id,
               const char    *batch_id,
               GPtrArray     *changes,
               GCancellable  *cancellable,
               GError       **error)
{
  TestRecorder *self = TEST_RECORDER (remote);

  g_ptr_array_add (self->batch_ids, g_strdup (batch_id));
  return rh_sync_remote_push (self->inner, device_id, batch_id, changes, cancellable, error);
}

static RhSyncPage *
recorder_pull (RhSyncRemote  *remote,
               const char    *cursor,
               guint          limit,
               GCancellable  *cancellable,
               GError       **error)
{
  TestRecorder *self = TEST_RECORDER (remote);

  g_ptr_array_add (self->pull_cursors, g_strdup (cursor));
  return rh_sync_remote_pull (self->inner, cursor, limit, cancellable, error);
}

static RhSyncProfile *
recorder_get_profile (RhSyncRemote  *remote,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return rh_sync_remote_get_profile (TEST_RECORDER (remote)->inner, cancellable, error);
}

static RhSyncProfile *
recorder_put_profile (RhSyncRemote         *remote,
                      const RhSyncProfile  *profile,
                      RhSyncProfileFields   fields,
                      gint64                expected_version,
                      GCancellable         *cancellable,
                      GError              **error)
{
  return rh_sync_remote_put_profile (TEST_RECORDER (remote)->inner, profile, fields,
                                     expected_version, cancellable, error);
}

static void
test_recorder_remote_init (RhSyncRemoteInterface *iface)
{
  iface->dup_account_id = recorder_dup_account_id;
  iface->push = recorder_push;
  iface->pull = recorder_pull;
  iface->get_profile = recorder_get_profile;
  iface->put_profile = recorder_put_profile;
}

static void
test_recorder_finalize (GObject *object)
{
  TestRecorder *self = TEST_RECORDER (object);

  g_clear_object (&self->inner);
  g_ptr_array_unref (self->pull_cursors);
  g_ptr_array_unref (self->batch_ids);
  G_OBJECT_CLASS (test_recorder_parent_class)->finalize (object);
}

static void
test_recorder_class_init (TestRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_recorder_finalize;
}

static void
test_recorder_init (TestRecorder *self)
{
  self->pull_cursors = g_ptr_array_new_with_free_func (g_free);
  self->batch_ids = g_ptr_array_new_with_free_func (g_free);
}

/* ---- devices ---- */

typedef struct
{
  RhFixture     f;
  TestTokens   *tokens;
  RhApiClient  *client;
  TestRecorder *recorder;
  RhSyncEngine *engine;
  GPtrArray    *saved_batches;
} Device;

typedef struct
{
  Device a;
  Device b;
  Device other;
} Devices;

static void
step_cb (RhSyncStep  step,
         const char *detail,
         gpointer    user_data)
{
  Device *d = user_data;

  if (step == RH_SYNC_STEP_BATCH_SAVED)
    g_ptr_array_add (d->saved_batches, g_strdup (detail));
}

static void
device_init_at (Device     *d,
                guint       user,
                const char *api)
{
  g_autoptr(GError) error = NULL;

  rh_fixture_setup (&d->f, NULL);
  d->tokens = test_tokens_new (user);
  d->client = rh_api_client_new (api, RH_TOKEN_SOURCE (d->tokens), &error);
  g_assert_no_error (error);
  rh_api_client_set_timeout (d->client, 10);
  d->recorder = g_object_new (TEST_TYPE_RECORDER, NULL);
  d->recorder->inner = RH_SYNC_REMOTE (g_object_ref (d->client));
  d->engine = rh_sync_engine_new (RH_SYNC_REMOTE (d->recorder), rh_composition_open_for_sync,
                                  g_strdup (d->f.path), g_free);
  rh_sync_engine_set_retry_policy (d->engine, 6, 50, 1500);
  d->saved_batches = g_ptr_array_new_with_free_func (g_free);
  rh_sync_engine_set_step_func (d->engine, step_cb, d);
}

static void
device_init (Device *d,
             guint   user)
{
  device_init_at (d, user, server->api);
}

static void
device_clear (Device *d)
{
  if (d->engine == NULL)
    return;
  g_clear_object (&d->engine);
  g_clear_object (&d->recorder);
  g_clear_object (&d->client);
  g_clear_object (&d->tokens);
  g_clear_pointer (&d->saved_batches, g_ptr_array_unref);
  rh_fixture_teardown (&d->f, NULL);
}

static RhSyncSummary
device_sync (Device *d)
{
  g_autoptr(GError) error = NULL;
  RhSyncSummary summary = { 0 };

  g_assert_true (rh_sync_engine_sync (d->engine, &summary, NULL, &error));
  g_assert_no_error (error);
  return summary;
}

static void
devices_setup (Devices       *d,
               gconstpointer  data)
{
  if (server == NULL)
    return;
  g_autoptr(JsonNode) reset = admin ("POST", "/__test/reset", "{}");
  device_init (&d->a, 0);
  device_init (&d->b, 0);
}

static void
devices_teardown (Devices       *d,
                  gconstpointer  data)
{
  device_clear (&d->a);
  device_clear (&d->b);
  device_clear (&d->other);
}

#define REQUIRE_SERVER()                                              \
  G_STMT_START {                                                      \
    if (server == NULL)                                               \
      {                                                               \
        g_test_skip ("the contract server cannot run here");          \
        return;                                                       \
      }                                                               \
  } G_STMT_END

static RhFlashcard *
get_card (Device     *d,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  RhFlashcard *card = rh_collection_get_card (d->f.collection, id, &error);

  g_assert_no_error (error);
  return card;
}

static char *
card_state (Device     *d,
            const char *id)
{
  g_autoptr(RhFlashcard) card = get_card (d, id);

  return rh_card_state_serialize (rh_flashcard_get_state (card));
}

static gint64
count_rows (Device     *d,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (d->f.path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Everything the collection holds, hashed: proves a failed sync wrote
 * nothing at all. */
static char *
collection_checksum (Device *d)
{
  static const char * const tables[] = { "meta", "decks", "cards", "reviews", "sessions",
                                         "scenarios", "sync_state", "sync_rebuild" };
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (d->f.path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const void *blob = sqlite3_column_blob (stmt, c);

            g_checksum_update (sum, (const guchar *) "|", 1);
            if (blob != NULL)
              g_checksum_update (sum, blob, sqlite3_column_bytes (stmt, c));
          }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_strdup (g_checksum_get_string (sum));
}

static RhFlashcard *
add_card (Device     *d,
          RhDeck     *deck,
          const char *front,
          const char *back)
{
  return rh_fixture_card (&d->f, deck, front, back);
}

/* ---- tests ---- */

/* Decks, cards, reviews, sessions and scenarios go from one device to the
 * other through the server. */
static void
test_round_trip (Devices       *d,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhFlashcard) second = NULL;
  g_autoptr(RhReview) review = NULL;
  g_autoptr(RhSession) session = NULL;
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhScenario) copy = NULL;
  g_autoptr(RhFlashcard) on_b = NULL;
  g_autofree char *state_a = NULL;
  g_autofree char *state_b = NULL;
  const char *accepted[] = { "A table for two, please", NULL };
  const char *tags[] = { "food", "travel", NULL };
  RhCardDraft draft = { .notes = "informal", .example = "¡Hola, Ana!", .tags = tags };
  RhSyncSummary pushed;
  RhSyncSummary pulled;

  REQUIRE_SERVER ();

  deck = rh_fixture_deck (&d->a.f, "Spanish");
  card = add_card (&d->a, deck, "hola", "hello");
  second = add_card (&d->a, deck, "gracias", "thank you");
  g_clear_object (&card);
  card = rh_collection_edit_card (d->a.f.collection, rh_flashcard_get_id (second), &draft,
                                  &error);
  g_assert_no_error (error);
  review = rh_collection_answer (d->a.f.collection, rh_flashcard_get_id (second), RH_RATING_GOOD,
                                 2500, &error);
  g_assert_no_error (error);
  session = rh_collection_end_session (d->a.f.collection, &error);
  g_assert_no_error (error);
  scenario = rh_scenario_new (NULL, "At the restaurant", "A2", &error);
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER, "Ask for a table",
                                                             accepted, NULL, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_repository_save (
                   rh_collection_get_repositories (d->a.f.collection)->scenarios, scenario,
                   &error));
  g_assert_no_error (error);

  pushed = device_sync (&d->a);
  g_assert_cmpuint (pushed.pushed, >=, 7);
  g_assert_cmpuint (pushed.rejected, ==, 0);
  pulled = device_sync (&d->b);
  g_assert_cmpuint (pulled.pulled, >=, 6);
  g_assert_cmpuint (pulled.reviews_added, ==, 1);
  g_assert_cmpuint (pulled.cards_rebuilt, ==, 1);

  on_b = get_card (&d->b, rh_flashcard_get_id (second));
  g_assert_cmpstr (rh_flashcard_get_front (on_b), ==, "gracias");
  g_assert_cmpstr (rh_flashcard_get_notes (on_b), ==, "informal");
  g_assert_cmpstr (rh_flashcard_get_example (on_b), ==, "¡Hola, Ana!");
  g_assert_cmpstrv (rh_flashcard_get_tags (on_b), tags);
  state_a = card_state (&d->a, rh_flashcard_get_id (second));
  state_b = card_state (&d->b, rh_flashcard_get_id (second));
  g_assert_cmpstr (state_a, ==, state_b);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM sessions WHERE ended > 0"), ==, 1);
  copy = rh_scenario_repository_get (rh_collection_get_repositories (d->b.f.collection)->scenarios,
                                     rh_scenario_get_id (scenario), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_scenario_get_title (copy), ==, "At the restaurant");

  /* b's copies of the bundled scenarios come back to a; then nothing
   * moves any more */
  device_sync (&d->a);
  pushed = device_sync (&d->a);
  g_assert_cmpuint (pushed.pushed, ==, 0);
  g_assert_cmpuint (pushed.pulled, ==, 0);
  pulled = device_sync (&d->b);
  g_assert_cmpuint (pulled.pushed, ==, 0);
  g_assert_cmpuint (pulled.pulled, ==, 0);
}

static void
sync_both (Devices *d)
{
  device_sync (&d->a);
  device_sync (&d->b);
  device_sync (&d->a);
}

/* Concurrent edits: different fields both survive, the same field
 * settles the same way on both. */
static void
test_concurrent_edits (Devices       *d,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhFlashcard) edited = NULL;
  RhCardDraft front_a = { .front = "hola (a)" };
  RhCardDraft back_b = { .back = "hello (b)" };
  RhCardDraft front_b = { .front = "hola (b)" };
  const char *id;

  REQUIRE_SERVER ();

  deck = rh_fixture_deck (&d->a.f, "Spanish");
  card = add_card (&d->a, deck, "hola", "hello");
  id = rh_flashcard_get_id (card);
  sync_both (d);

  edited = rh_collection_edit_card (d->a.f.collection, id, &front_a, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);
  edited = rh_collection_edit_card (d->b.f.collection, id, &back_b, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);
  sync_both (d);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RhFlashcard) got = get_card (i ? &d->b : &d->a, id);

      g_assert_cmpstr (rh_flashcard_get_front (got), ==, "hola (a)");
      g_assert_cmpstr (rh_flashcard_get_back (got), ==, "hello (b)");
    }

  /* the same field: b edits last, and wins on both */
  front_a.front = "hola (a2)";
  edited = rh_collection_edit_card (d->a.f.collection, id, &front_a, &error);
  g_clear_object (&edited);
  g_usleep (2000);
  edited = rh_collection_edit_card (d->b.f.collection, id, &front_b, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);
  {
    RhSyncSummary summary;

    device_sync (&d->a);
    summary = device_sync (&d->b);
    g_assert_cmpuint (summary.conflicts, >=, 1);
    device_sync (&d->a);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RhFlashcard) got = get_card (i ? &d->b : &d->a, id);

      g_assert_cmpstr (rh_flashcard_get_front (got), ==, "hola (b)");
      g_assert_cmpstr (rh_flashcard_get_back (got), ==, "hello (b)");
    }
}

/* The same card studied offline on both: both reviews on both machines,
 * and the same scheduling state. */
static void
test_offline_study (Devices       *d,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhReview) ra = NULL;
  g_autoptr(RhReview) rb = NULL;
  g_autofree char *state_a = NULL;
  g_autofree char *state_b = NULL;
  const char *id;
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  deck = rh_fixture_deck (&d->a.f, "Spanish");
  card = add_card (&d->a, deck, "hola", "hello");
  id = rh_flashcard_get_id (card);
  sync_both (d);

  d->b.f.now += 15 * 60 * G_USEC_PER_SEC;
  ra = rh_collection_answer (d->a.f.collection, id, RH_RATING_GOOD, 3000, &error);
  g_assert_no_error (error);
  rb = rh_collection_answer (d->b.f.collection, id, RH_RATING_AGAIN, 9000, &error);
  g_assert_no_error (error);

  device_sync (&d->a);
  summary = device_sync (&d->b);
  g_assert_cmpuint (summary.reviews_added, ==, 1);
  summary = device_sync (&d->a);
  g_assert_cmpuint (summary.reviews_added, ==, 1);
  g_assert_cmpuint (summary.cards_rebuilt, ==, 1);

  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM reviews WHERE deleted = 0"), ==, 2);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM reviews WHERE deleted = 0"), ==, 2);
  state_a = card_state (&d->a, id);
  state_b = card_state (&d->b, id);
  g_assert_cmpstr (state_a, ==, state_b);
  {
    g_autoptr(RhFlashcard) got = get_card (&d->a, id);
    g_assert_cmpint (rh_flashcard_get_state (got)->reps, ==, 2);
  }
}

/* ---- scenario practice ---- */

/* A restaurant scenario with three key phrases over two learner turns
 * (turns 1 and 3). */
static RhScenario *
restaurant_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = rh_scenario_new (NULL, "A table for two", "A2", &error);
  const char *table[] = { "Una mesa para dos, por favor", NULL };
  const char *table_phrases[] = { "una mesa", "para dos", NULL };
  const char *bill[] = { "La cuenta, por favor", NULL };
  const char *bill_phrases[] = { "la cuenta", NULL };

  g_assert_no_error (error);
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_PARTNER,
                                                             "Buenas noches. ¿Cuántos son?",
                                                             NULL, NULL, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER,
                                                             "Ask for a table for two",
                                                             table, table_phrases, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_PARTNER,
                                                             "¿Algo más?", NULL, NULL, NULL,
                                                             &error),
                                       &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER, "Ask for the bill",
                                                             bill, bill_phrases, NULL, &error),
                                       &error));
  g_assert_no_error (error);
  return g_steal_pointer (&scenario);
}

/* A run that answers the first learner turn without "para dos" and
 * skips the second: "para dos" and "la cuenta" are missed. */
static RhPracticeResult *
practise_missing (Device     *d,
                  const char *scenario_id)
{
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (d->f.collection);
  g_autoptr(RhScenario) scenario = rh_scenario_repository_get (repos->scenarios, scenario_id,
                                                               &error);
  g_autoptr(RhPracticeRun) run = NULL;
  RhPracticeResult *result;

  g_assert_no_error (error);
  run = rh_practice_run_new (d->f.collection, scenario, &error);
  g_assert_no_error (error);
  while (rh_practice_run_get_current (run) >= 0)
    {
      if (rh_practice_run_get_current (run) == 1)
        {
          const RhPracticeTurn *turn = rh_practice_run_submit (run, "Una mesa, por favor",
                                                               &error);

          g_assert_no_error (error);
          g_assert_cmpstrv (turn->missed_phrases, ((const char *[]) { "para dos", NULL }));
          g_assert_true (rh_practice_run_next (run, &error));
        }
      else
        g_assert_true (rh_practice_run_skip (run, &error));
      g_assert_no_error (error);
    }
  d->f.now += G_USEC_PER_SEC;
  result = rh_practice_run_finish (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->missed->len, ==, 2);
  return result;
}

/* A session's turn results, one line each. */
static char *
describe_turn_results (Device     *d,
                       const char *session_id)
{
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (d->f.collection);
  g_autoptr(GPtrArray) results = rh_session_repository_list_turn_results (repos->sessions,
                                                                          session_id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      const RhTurnResult *r = results->pdata[i];

      g_string_append_printf (out, "%u %d %s %u %u %d\n", r->turn_index, r->score,
                              r->answer ? r->answer : "(null)", r->hints_used, r->attempts,
                              r->skipped);
    }
  return g_string_free (out, FALSE);
}

/* The scenario's phrase links, one line each. */
static char *
describe_phrase_links (Device     *d,
                       const char *scenario_id)
{
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (d->f.collection);
  g_autoptr(GPtrArray) links = rh_scenario_repository_list_phrase_cards (repos->scenarios,
                                                                        scenario_id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < links->len; i++)
    {
      const RhPhraseCardLink *l = links->pdata[i];

      g_string_append_printf (out, "%s %u %s %s\n", l->scenario_id, l->turn_index, l->phrase_key,
                              l->card_id);
    }
  return g_string_free (out, FALSE);
}

static void
assert_settled (Devices *d)
{
  RhSyncSummary summary;

  for (guint i = 0; i < 2; i++)
    {
      Device *device = i ? &d->b : &d->a;

      summary = device_sync (device);
      g_assert_cmpuint (summary.pushed, ==, 0);
      g_assert_cmpuint (summary.pulled, ==, 0);
      g_assert_cmpint (count_rows (device, "SELECT count(*) FROM scenario_turn_results"
                                           " WHERE pending = 1"), ==, 0);
      g_assert_cmpint (count_rows (device, "SELECT count(*) FROM scenario_phrase_cards"
                                           " WHERE pending = 1"), ==, 0);
    }
}

/* A scenario run on one device reaches the other with its score per turn
 * and the cards its missed phrases became; missing the same phrases there
 * makes no second card. */
static void
test_scenario_practice (Devices       *d,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = restaurant_scenario ();
  g_autoptr(RhPracticeResult) first = NULL;
  g_autoptr(RhPracticeResult) second = NULL;
  const char *scenario_id = rh_scenario_get_id (scenario);
  const char *first_id;
  g_autofree char *results_a = NULL;
  g_autofree char *results_b = NULL;
  g_autofree char *links_a = NULL;
  g_autofree char *links_b = NULL;
  g_autofree char *second_on_b = NULL;
  g_autofree char *second_on_a = NULL;
  g_autofree char *links_after = NULL;
  gint64 cards_on_b;
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  g_assert_true (rh_scenario_repository_save (
                   rh_collection_get_repositories (d->a.f.collection)->scenarios, scenario,
                   &error));
  g_assert_no_error (error);
  first = practise_missing (&d->a, scenario_id);
  g_assert_cmpuint (first->cards_created, ==, 2);
  first_id = rh_session_get_id (first->session);
  results_a = describe_turn_results (&d->a, first_id);
  g_assert_cmpstr (results_a, ==,
                   "1 71 Una mesa, por favor 0 1 0\n"
                   "3 0 (null) 0 0 1\n");
  links_a = describe_phrase_links (&d->a, scenario_id);

  summary = device_sync (&d->a);
  g_assert_cmpuint (summary.rejected, ==, 0);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM scenario_turn_results"
                                      " WHERE pending = 1"), ==, 0);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM scenario_phrase_cards"
                                      " WHERE pending = 1"), ==, 0);
  summary = device_sync (&d->b);
  g_assert_cmpuint (summary.skipped, ==, 0);

  /* b has the run's score per turn, and knows which cards the phrases
   * became */
  results_b = describe_turn_results (&d->b, first_id);
  g_assert_cmpstr (results_b, ==, results_a);
  links_b = describe_phrase_links (&d->b, scenario_id);
  g_assert_cmpstr (links_b, ==, links_a);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM scenario_phrase_cards"), ==, 2);

  /* missing the same phrases on b: the cards a made, no new one */
  cards_on_b = count_rows (&d->b, "SELECT count(*) FROM cards");
  second = practise_missing (&d->b, scenario_id);
  g_assert_cmpuint (second->cards_created, ==, 0);
  for (guint i = 0; i < second->missed->len; i++)
    {
      RhMissedPhrase *again = second->missed->pdata[i];
      RhMissedPhrase *before = first->missed->pdata[i];

      g_assert_false (again->new_card);
      g_assert_cmpstr (again->card_id, ==, before->card_id);
    }
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM cards"), ==, cards_on_b);

  /* and b's run goes back to a */
  second_on_b = describe_turn_results (&d->b, rh_session_get_id (second->session));
  device_sync (&d->b);
  device_sync (&d->a);
  second_on_a = describe_turn_results (&d->a, rh_session_get_id (second->session));
  g_assert_cmpstr (second_on_a, ==, second_on_b);
  links_after = describe_phrase_links (&d->a, scenario_id);
  g_assert_cmpstr (links_after, ==, links_a);
  assert_settled (d);
}

/* Both devices miss the same phrase before they sync: each makes a card,
 * then both settle on the same one (the smaller id), and neither makes
 * another. */
static void
test_scenario_practice_offline (Devices       *d,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = restaurant_scenario ();
  g_autoptr(RhPracticeResult) on_a = NULL;
  g_autoptr(RhPracticeResult) on_b = NULL;
  g_autoptr(RhPracticeResult) again_a = NULL;
  g_autoptr(RhPracticeResult) again_b = NULL;
  const char *scenario_id = rh_scenario_get_id (scenario);
  g_autofree char *links_a = NULL;
  g_autofree char *links_b = NULL;

  REQUIRE_SERVER ();

  g_assert_true (rh_scenario_repository_save (
                   rh_collection_get_repositories (d->a.f.collection)->scenarios, scenario,
                   &error));
  g_assert_no_error (error);
  sync_both (d);

  on_a = practise_missing (&d->a, scenario_id);
  on_b = practise_missing (&d->b, scenario_id);
  g_assert_cmpuint (on_a->cards_created, ==, 2);
  g_assert_cmpuint (on_b->cards_created, ==, 2);
  sync_both (d);
  device_sync (&d->b);

  links_a = describe_phrase_links (&d->a, scenario_id);
  links_b = describe_phrase_links (&d->b, scenario_id);
  g_assert_cmpstr (links_a, ==, links_b);
  for (guint i = 0; i < on_a->missed->len; i++)
    {
      RhMissedPhrase *ma = on_a->missed->pdata[i];
      RhMissedPhrase *mb = on_b->missed->pdata[i];
      const char *kept = strcmp (ma->card_id, mb->card_id) < 0 ? ma->card_id : mb->card_id;
      const char *lost = kept == ma->card_id ? mb->card_id : ma->card_id;

      g_assert_cmpuint (ma->turn_index, ==, mb->turn_index);
      g_assert_nonnull (strstr (links_a, kept));
      g_assert_null (strstr (links_a, lost));
    }
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM scenario_phrase_cards"), ==, 2);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM scenario_phrase_cards"), ==, 2);

  /* both runs' results are on both */
  for (guint i = 0; i < 2; i++)
    {
      RhPracticeResult *run = i ? on_b : on_a;
      g_autofree char *here = describe_turn_results (&d->a, rh_session_get_id (run->session));
      g_autofree char *there = describe_turn_results (&d->b, rh_session_get_id (run->session));

      g_assert_cmpstr (here, !=, "");
      g_assert_cmpstr (here, ==, there);
    }

  again_a = practise_missing (&d->a, scenario_id);
  again_b = practise_missing (&d->b, scenario_id);
  g_assert_cmpuint (again_a->cards_created, ==, 0);
  g_assert_cmpuint (again_b->cards_created, ==, 0);
  for (guint i = 0; i < again_a->missed->len; i++)
    {
      RhMissedPhrase *ma = on_a->missed->pdata[i];
      RhMissedPhrase *mb = on_b->missed->pdata[i];
      const char *kept = strcmp (ma->card_id, mb->card_id) < 0 ? ma->card_id : mb->card_id;

      g_assert_cmpstr (((RhMissedPhrase *) again_a->missed->pdata[i])->card_id, ==,
                       ((RhMissedPhrase *) again_b->missed->pdata[i])->card_id);
      /* the phrase's card is the one both settled on */
      g_assert_cmpstr (((RhMissedPhrase *) again_a->missed->pdata[i])->card_id, ==, kept);
    }
  sync_both (d);
  device_sync (&d->b);
  assert_settled (d);
}

/* Delete against edit, by the stamps, the same on both. */
static void
test_delete_vs_edit (Devices       *d,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) x = NULL;
  g_autoptr(RhFlashcard) y = NULL;
  g_autoptr(RhFlashcard) edited = NULL;
  const char *ids[] = { NULL, NULL };
  RhCardDraft edit = { .back = "edited" };

  REQUIRE_SERVER ();

  deck = rh_fixture_deck (&d->a.f, "Spanish");
  x = add_card (&d->a, deck, "uno", "one");
  y = add_card (&d->a, deck, "dos", "two");
  sync_both (d);

  /* x: deleted, then edited on the other device: back, edited */
  ids[0] = rh_flashcard_get_id (x);
  g_assert_true (rh_collection_delete_cards (d->a.f.collection, ids, &error));
  g_usleep (2000);
  edited = rh_collection_edit_card (d->b.f.collection, ids[0], &edit, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);
  /* y: edited, then deleted on the other device: gone */
  edited = rh_collection_edit_card (d->b.f.collection, rh_flashcard_get_id (y), &edit, &error);
  g_clear_object (&edited);
  g_usleep (2000);
  ids[0] = rh_flashcard_get_id (y);
  g_assert_true (rh_collection_delete_cards (d->a.f.collection, ids, &error));

  sync_both (d);
  for (guint i = 0; i < 2; i++)
    {
      Device *dev = i ? &d->b : &d->a;
      g_autoptr(RhFlashcard) back = get_card (dev, rh_flashcard_get_id (x));
      g_autoptr(RhFlashcard) gone = NULL;

      g_assert_cmpstr (rh_flashcard_get_back (back), ==, "edited");
      gone = rh_collection_get_card (dev->f.collection, rh_flashcard_get_id (y), &error);
      g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
}

static void
add_cards (Device *d,
           guint   n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_collection_ensure_deck (d->f.collection, "Bulk", NULL, &error);
  static guint serial;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *front = g_strdup_printf ("word %u", serial++);
      g_autoptr(RhFlashcard) card = add_card (d, deck, front, "back");
    }
}

static void
assert_logged_once (guint user,
                    guint expected_batches)
{
  g_autoptr(GHashTable) counts = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint batches = 0;

  counts = logged_changes (user, &batches);
  g_assert_cmpuint (batches, ==, expected_batches);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) != 1)
      g_error ("%s was logged %u times", (char *) key, GPOINTER_TO_UINT (value));
}

/* The server dies half-way through a push: the retry sends the same
 * batch, which finishes; nothing twice, nothing lost. */
static void
test_killed_mid_push (Devices       *d,
                      gconstpointer  data)
{
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  add_cards (&d->a, 40);
  rh_sync_engine_set_batch_size (d->a.engine, 25);
  set_faults ("{\"kill_after_changes\": 10, \"down_ms\": 300}");
  summary = device_sync (&d->a);
  g_assert_cmpuint (summary.retries, >=, 1);
  g_assert_cmpuint (summary.rejected, ==, 0);
  /* the scenarios, a deck and 40 cards, in batches of 25; the killed one
   * was sent again under its own id */
  g_assert_cmpuint (d->a.recorder->batch_ids->len, ==, summary.batches + summary.retries);
  g_assert_cmpstr (d->a.recorder->batch_ids->pdata[0], ==, d->a.recorder->batch_ids->pdata[1]);
  assert_logged_once (0, summary.batches);

  summary = device_sync (&d->b);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM cards WHERE deleted = 0"), ==, 40);
}

/* The push applies but its answer is lost: the retry gets the stored
 * answer and changes nothing. */
static void
test_lost_answer (Devices       *d,
                  gconstpointer  data)
{
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  add_cards (&d->a, 5);
  set_faults ("{\"drop_response_after_apply\": 1}");
  summary = device_sync (&d->a);
  g_assert_cmpuint (summary.retries, ==, 1);
  g_assert_cmpuint (summary.batches, ==, 1);
  g_assert_cmpuint (d->a.recorder->batch_ids->len, ==, 2);
  g_assert_cmpstr (d->a.recorder->batch_ids->pdata[0], ==, d->a.recorder->batch_ids->pdata[1]);
  assert_logged_once (0, 1);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM cards WHERE pending = 1"), ==, 0);
}

/* The answer is lost and the sync gives up: the next sync (a new engine,
 * as after a restart) sends the kept batch under the same id first. */
static void
test_lost_answer_next_run (Devices       *d,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *checksum = NULL;
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  add_cards (&d->a, 5);
  rh_sync_engine_set_retry_policy (d->a.engine, 1, 50, 100);
  set_faults ("{\"drop_response_after_apply\": 1}");
  g_assert_false (rh_sync_engine_sync (d->a.engine, NULL, NULL, &error));
  g_assert_error (error, RH_API_ERROR, RH_API_ERROR_NETWORK);
  g_clear_error (&error);
  first_id = g_strdup (d->a.saved_batches->pdata[0]);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM sync_state WHERE batch_id IS NOT NULL"),
                   ==, 1);

  /* a restart: a new client and engine on the same file */
  g_clear_object (&d->a.engine);
  d->a.engine = rh_sync_engine_new (RH_SYNC_REMOTE (d->a.recorder), rh_composition_open_for_sync,
                                    g_strdup (d->a.f.path), g_free);
  g_ptr_array_set_size (d->a.saved_batches, 0);
  rh_sync_engine_set_step_func (d->a.engine, step_cb, &d->a);
  summary = device_sync (&d->a);
  g_assert_cmpstr (d->a.saved_batches->pdata[0], ==, first_id);
  g_assert_cmpuint (summary.batches, ==, 1);
  assert_logged_once (0, 1);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM sync_state WHERE batch_id IS NOT NULL"),
                   ==, 0);
}

typedef struct
{
  Device *device;
  guint   pages;
  guint   break_after;
  char   *fault;
} PageWatch;

static void
watch_pages_cb (RhSyncStep  step,
                const char *detail,
                gpointer    user_data)
{
  PageWatch *watch = user_data;

  if (step != RH_SYNC_STEP_PAGE_APPLIED)
    return;
  if (++watch->pages == watch->break_after)
    set_faults (watch->fault);
}

/* A pull cut off in the middle of a page starts again after the last
 * page stored. */
static void
test_pull_resumes (Devices       *d,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *cursors;
  g_autofree char *stored = NULL;
  g_autofree char *resume_at = NULL;
  PageWatch watch = { &d->b, 0, 2,
                      (char *) "{\"malformed_pull\": \"truncated\", \"malformed_pull_count\": 5}" };
  RhSyncSummary summary;
  gint64 cards_after_two;

  REQUIRE_SERVER ();
  cursors = d->b.recorder->pull_cursors;

  add_cards (&d->a, 12);
  device_sync (&d->a);

  /* pages of 5; after the second the pulls break, and b gives up */
  rh_sync_engine_set_page_size (d->b.engine, 5);
  rh_sync_engine_set_retry_policy (d->b.engine, 2, 50, 100);
  rh_sync_engine_set_step_func (d->b.engine, watch_pages_cb, &watch);
  g_assert_false (rh_sync_engine_sync (d->b.engine, NULL, NULL, &error));
  g_assert_error (error, RH_API_ERROR, RH_API_ERROR_NETWORK);
  g_clear_error (&error);

  g_assert_cmpuint (cursors->len, ==, 4);
  g_assert_cmpstr (cursors->pdata[0], ==, "0");
  g_assert_cmpstr (cursors->pdata[2], ==, cursors->pdata[3]);
  resume_at = g_strdup (cursors->pdata[2]);
  stored = g_strdup_printf ("SELECT cursor = '%s' FROM sync_state", resume_at);
  g_assert_cmpint (count_rows (&d->b, stored), ==, 1);
  cards_after_two = count_rows (&d->b, "SELECT count(*) FROM cards");

  /* the next sync goes on from the stored cursor */
  set_faults ("{\"malformed_pull\": null}");
  rh_sync_engine_set_step_func (d->b.engine, NULL, NULL);
  g_ptr_array_set_size (cursors, 0);
  summary = device_sync (&d->b);
  g_assert_cmpstr (cursors->pdata[0], ==, resume_at);
  g_assert_cmpuint (summary.pages, >=, 1);
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM cards WHERE deleted = 0"), ==, 12);
  g_assert_cmpint (cards_after_two, <, 12);
}

/* Malformed or hostile answers are refused whole: the collection is not
 * touched, and the next good answer is used. */
static void
test_malformed (Devices       *d,
                gconstpointer  data)
{
  static const char * const modes[] = {
    "wrong_types", "huge_string", "unknown_entity", "bad_hlc", "invalid_json", "not_object",
    "lone_surrogate",
  };

  REQUIRE_SERVER ();

  add_cards (&d->a, 3);
  device_sync (&d->a);
  device_sync (&d->b);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *fault = NULL;
      g_autofree char *front = g_strdup_printf ("new %s", modes[i]);
      g_autoptr(RhDeck) deck = rh_collection_find_deck (d->a.f.collection, "Bulk", &error);
      g_autoptr(RhFlashcard) card = add_card (&d->a, deck, front, "x");

      device_sync (&d->a);
      before = collection_checksum (&d->b);
      fault = g_strdup_printf ("{\"malformed_pull\": \"%s\"}", modes[i]);
      set_faults (fault);
      g_assert_false (rh_sync_engine_sync (d->b.engine, NULL, NULL, &error));
      g_assert_error (error, RH_API_ERROR, RH_API_ERROR_INVALID_RESPONSE);
      g_test_message ("%s: %s", modes[i], error->message);
      after = collection_checksum (&d->b);
      g_assert_cmpstr (before, ==, after);

      device_sync (&d->b);
      g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM cards WHERE deleted = 0"), ==,
                       4 + i);
    }

  /* an answer larger than the client reads at all */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *before = collection_checksum (&d->b);
    g_autofree char *after = NULL;

    set_faults ("{\"malformed_pull\": \"huge_string\", \"huge_bytes\": 20000000}");
    g_assert_false (rh_sync_engine_sync (d->b.engine, NULL, NULL, &error));
    g_assert_error (error, RH_API_ERROR, RH_API_ERROR_INVALID_RESPONSE);
    after = collection_checksum (&d->b);
    g_assert_cmpstr (before, ==, after);
  }
}

/* A 401 gets one refreshed token and one more try; a second 401 is the
 * end of it. */
static void
test_unauthorized (Devices       *d,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  REQUIRE_SERVER ();

  add_cards (&d->a, 2);
  g_free (d->a.tokens->token);
  d->a.tokens->token = g_strdup ("expired.or.forged");
  device_sync (&d->a);
  g_assert_cmpuint (d->a.tokens->refreshes, ==, 1);

  g_free (d->b.tokens->token);
  d->b.tokens->token = g_strdup ("expired.or.forged");
  d->b.tokens->refresh_is_bad = TRUE;
  g_assert_false (rh_sync_engine_sync (d->b.engine, NULL, NULL, &error));
  g_assert_error (error, RH_API_ERROR, RH_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (d->b.tokens->refreshes, ==, 1);
}

/* 429 with Retry-After: the retry waits at least that long. */
static void
test_rate_limited (Devices       *d,
                   gconstpointer  data)
{
  gint64 start;
  RhSyncSummary summary;

  REQUIRE_SERVER ();

  add_cards (&d->a, 2);
  set_faults ("{\"rate_limit_next\": 1, \"retry_after\": 1}");
  start = g_get_monotonic_time ();
  summary = device_sync (&d->a);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (summary.retries, ==, 1);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM cards WHERE pending = 1"), ==, 0);

  /* a 5xx is tried again too */
  add_cards (&d->a, 1);
  set_faults ("{\"fail_next\": 2, \"fail_status\": 503}");
  summary = device_sync (&d->a);
  g_assert_cmpuint (summary.retries, ==, 2);
}

/* Two accounts never see each other's data, on the server or on one
 * machine. */
static void
test_isolation (Devices       *d,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) theirs = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(RhSyncEngine) wrong = NULL;
  g_autoptr(RhApiClient) client = NULL;
  g_autoptr(TestTokens) tokens = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  guint batches = 0;
  guint batches_after = 0;

  REQUIRE_SERVER ();

  deck = rh_fixture_deck (&d->a.f, "Private");
  card = add_card (&d->a, deck, "secret", "word");
  device_sync (&d->a);

  /* the other account pulls nothing of a's */
  device_init (&d->other, 1);
  device_sync (&d->other);
  g_assert_cmpint (count_rows (&d->other, "SELECT count(*) FROM cards"), ==, 0);
  g_assert_cmpint (count_rows (&d->other, "SELECT count(*) FROM decks"), ==, 0);
  theirs = logged_changes (1, &batches);
  g_assert_false (g_hash_table_contains (theirs, rh_flashcard_get_id (card)));
  g_assert_false (g_hash_table_contains (theirs, rh_deck_get_id (deck)));

  /* a's collection with the other account's token: refused before
   * anything is sent */
  tokens = test_tokens_new (1);
  client = rh_api_client_new (server->api, RH_TOKEN_SOURCE (tokens), &error);
  g_assert_no_error (error);
  wrong = rh_sync_engine_new (RH_SYNC_REMOTE (client), rh_composition_open_for_sync,
                              g_strdup (d->a.f.path), g_free);
  {
    g_autoptr(RhFlashcard) more = add_card (&d->a, deck, "another", "secret");
  }
  g_assert_false (rh_sync_engine_sync (wrong, NULL, NULL, &error));
  g_assert_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_WRONG_ACCOUNT);
  after = logged_changes (1, &batches_after);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (theirs));
  g_assert_cmpuint (batches_after, ==, batches);
  g_assert_cmpint (count_rows (&d->a, "SELECT count(*) FROM cards WHERE pending = 1"), ==, 1);
}

/* The engine in the background: its states, and offline. */
static void
test_engine (Devices       *d,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *dead = NULL;
  guint16 port;

  REQUIRE_SERVER ();

  add_cards (&d->a, 3);
  g_assert_cmpint (rh_sync_engine_get_state (d->a.engine), ==, RH_SYNC_STATE_IDLE);
  rh_sync_engine_request_sync (d->a.engine);
  wait_finished (d->a.engine);
  g_assert_cmpint (rh_sync_engine_get_state (d->a.engine), ==, RH_SYNC_STATE_SYNCED);
  g_assert_cmpfloat (rh_sync_engine_get_progress (d->a.engine), ==, 1.0);
  g_assert_cmpint (rh_sync_engine_get_last_synced (d->a.engine), >, 0);
  g_assert_cmpuint (rh_sync_engine_get_last_summary (d->a.engine)->pushed, >, 3);

  /* a port nobody listens on: offline, with a message, nothing lost */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  dead = g_strdup_printf ("http://127.0.0.1:%u", port);
  device_init_at (&d->other, 0, dead);
  rh_sync_engine_set_retry_policy (d->other.engine, 2, 10, 20);
  add_cards (&d->other, 1);
  rh_sync_engine_request_sync (d->other.engine);
  wait_finished (d->other.engine);
  g_assert_cmpint (rh_sync_engine_get_state (d->other.engine), ==, RH_SYNC_STATE_OFFLINE);
  g_assert_nonnull (rh_sync_engine_get_message (d->other.engine));
  g_assert_cmpint (count_rows (&d->other, "SELECT count(*) FROM cards WHERE pending = 1"), ==, 1);

  /* started: the server goes away during the first sync, the engine says
   * offline, and syncs again when the network monitor says it is back */
  add_cards (&d->b, 2);
  rh_sync_engine_set_retry_policy (d->b.engine, 2, 10, 20);
  set_faults ("{\"kill_after_apply\": true, \"down_ms\": 1000}");
  rh_sync_engine_start (d->b.engine);
  wait_finished (d->b.engine);
  g_assert_cmpint (rh_sync_engine_get_state (d->b.engine), ==, RH_SYNC_STATE_OFFLINE);
  g_usleep (1200 * 1000);
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
  wait_finished (d->b.engine);
  g_assert_cmpint (rh_sync_engine_get_state (d->b.engine), ==, RH_SYNC_STATE_SYNCED);
  g_assert_null (rh_sync_engine_get_message (d->b.engine));
  g_assert_cmpint (count_rows (&d->b, "SELECT count(*) FROM cards WHERE pending = 1"), ==, 0);
  rh_sync_engine_stop (d->b.engine);
}

/* GET and PUT /profile. */
static void
test_profile (Devices       *d,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSyncProfile) profile = NULL;
  g_autoptr(RhSyncProfile) changed = NULL;
  g_autoptr(RhSyncProfile) stale = NULL;
  RhSyncRemote *remote;

  REQUIRE_SERVER ();
  remote = RH_SYNC_REMOTE (d->a.client);

  profile = rh_sync_remote_get_profile (remote, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->user_id, ==, server->sub[0]);
  g_assert_cmpint (profile->version, ==, 0);

  profile->display_name = g_strdup ("Ana");
  profile->desired_retention = 0.85;
  changed = rh_sync_remote_put_profile (remote, profile,
                                        RH_SYNC_PROFILE_DISPLAY_NAME |
                                        RH_SYNC_PROFILE_DESIRED_RETENTION,
                                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->display_name, ==, "Ana");
  g_assert_cmpfloat_with_epsilon (changed->desired_retention, 0.85, 1e-9);
  g_assert_cmpint (changed->version, ==, 1);

  stale = rh_sync_remote_put_profile (remote, profile, RH_SYNC_PROFILE_DISPLAY_NAME, 0, NULL,
                                      &error);
  g_assert_null (stale);
  g_assert_error (error, RH_API_ERROR, RH_API_ERROR_CONFLICT);
  g_assert_cmpstr (rh_api_error_get_server_code (error), ==, "version_conflict");
}

/* rehearse-cli sync [--json], with a token given from outside. */
static void
test_cli (Devices       *d,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                "rehearse-cli", NULL);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;

  REQUIRE_SERVER ();
  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("rehearse-cli is not built");
      return;
    }

  add_cards (&d->a, 3);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "REHEARSE_TEST_ACCESS_TOKEN", token_for (0), TRUE);
  g_subprocess_launcher_setenv (launcher, "REHEARSE_API_URL", server->api, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", d->a.f.path, "sync",
                                         "--json", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  summary = parse_json (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "pushed"), >=, 4);
  g_assert_false (strstr (out, token_for (0)) != NULL);
  g_clear_object (&process);

  process = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", d->a.f.path, "sync",
                                         NULL);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &text, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_true (g_str_has_prefix (text, "Pushed 0 changes, pulled 0 changes"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  why = server_start ();
  if (why != NULL)
    g_test_message ("Skipping the sync tests: %s", why);

#define ADD(path, func) \
  g_test_add ("/sync/" path, Devices, NULL, devices_setup, func, devices_teardown)

  ADD ("round-trip", test_round_trip);
  ADD ("concurrent-edits", test_concurrent_edits);
  ADD ("offline-study", test_offline_study);
  ADD ("scenario-practice", test_scenario_practice);
  ADD ("scenario-practice-offline", test_scenario_practice_offline);
  ADD ("delete-vs-edit", test_delete_vs_edit);
  ADD ("killed-mid-push", test_killed_mid_push);
  ADD ("lost-answer", test_lost_answer);
  ADD ("lost-answer-next-run", test_lost_answer_next_run);
  ADD ("pull-resumes", test_pull_resumes);
  ADD ("malformed", test_malformed);
  ADD ("unauthorized", test_unauthorized);
  ADD ("rate-limited", test_rate_limited);
  ADD ("isolation", test_isolation);
  ADD ("engine", test_engine);
  ADD ("profile", test_profile);
  ADD ("cli", test_cli);

#undef ADD

  status = g_test_run ();
  server_stop ();
  return status;
}
