// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The sync's merge rules on real SQLite, without a server: changes listed
 * as pending on one collection are applied to another as if pulled, the
 * way the server passes them on (it applies the same rules).
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "rh-api-client-private.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-sqlite-database.h"
#include "rh-sqlite-sync-repository.h"
#include "rh-test-util.h"

#define DEVICE_LOW  "aaaaaaaaaaaa"
#define DEVICE_HIGH "bbbbbbbbbbbb"

typedef struct
{
  RhFixture         a;
  RhFixture         b;
  RhSyncRepository *ra;
  RhSyncRepository *rb;
} Devices;

static RhSyncRepository *
repo_for (RhFixture *f)
{
  return RH_SYNC_REPOSITORY (rh_sqlite_sync_repository_new_for_collection (f->collection));
}

static RhStore *
store_of (RhFixture *f)
{
  return rh_collection_get_repositories (f->collection)->store;
}

static sqlite3 *
handle_of (RhFixture *f)
{
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (f->collection), "rh-sqlite-database");

  return rh_sqlite_database_get_handle (db);
}

/* The first column of the first row of @sql (printf-style, %Q quotes). */
static char *
query (RhFixture  *f,
       const char *format,
       ...)
{
  va_list args;
  char *sql;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  g_assert_cmpint (sqlite3_prepare_v2 (handle_of (f), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_free (sql);
  return out;
}

static gint64
query_int (RhFixture  *f,
           const char *format,
           ...)
{
  va_list args;
  char *sql;
  sqlite3_stmt *stmt = NULL;
  gint64 out = -1;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  g_assert_cmpint (sqlite3_prepare_v2 (handle_of (f), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_free (sql);
  return out;
}

static GPtrArray *
list_all (RhSyncRepository *repo)
{
  g_autoptr(GPtrArray) all = rh_sync_change_list_new ();
  g_autofree char *position = NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) changes = NULL;
      g_autofree char *next = NULL;

      changes = rh_sync_repository_list_pending (repo, position, 100, 4 << 20, &next, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < changes->len; i++)
        g_ptr_array_add (all, g_steal_pointer (&changes->pdata[i]));
      if (next == NULL)
        break;
      g_free (position);
      position = g_steal_pointer (&next);
    }
  return g_steal_pointer (&all);
}

static void
apply (RhFixture        *to,
       RhSyncRepository *repo,
       GPtrArray        *changes,
       RhSyncApplyStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rh_store_begin (store_of (to), &error));
  g_assert_true (rh_sync_repository_apply_changes (repo, changes, stats, &error));
  g_assert_no_error (error);
  g_assert_true (rh_store_commit (store_of (to), &error));
}

static guint
rebuild (RhFixture        *f,
         RhSyncRepository *repo)
{
  guint n = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) ids = rh_sync_repository_list_cards_to_rebuild (repo, 100, &error);

      g_assert_no_error (error);
      if (ids->len == 0)
        return n;
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(GError) rebuild_error = NULL;

          if (!rh_collection_rebuild_card (f->collection, ids->pdata[i], NULL, &rebuild_error))
            g_assert_error (rebuild_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
          else
            n++;
          g_assert_true (rh_sync_repository_forget_card_to_rebuild (repo, ids->pdata[i],
                                                                    &error));
        }
    }
}

/* One device's pending changes, as the other pulls them. */
static guint
transfer (RhFixture        *from,
          RhSyncRepository *rf,
          RhFixture        *to,
          RhSyncRepository *rt)
{
  g_autoptr(GPtrArray) changes = list_all (rf);
  g_autoptr(GError) error = NULL;
  RhSyncApplyStats stats = { 0 };
  gboolean changed = FALSE;

  apply (to, rt, changes, &stats);
  g_assert_true (rh_store_begin (store_of (to), &error));
  g_assert_true (rh_sync_repository_settle (rt, &stats, &changed, &error));
  g_assert_true (rh_store_commit (store_of (to), &error));
  for (guint i = 0; i < changes->len; i++)
    g_assert_true (rh_sync_repository_mark_pushed (rf, changes->pdata[i], &error));
  rebuild (to, rt);
  return changes->len;
}

static void
exchange (Devices *d)
{
  /* there and back, and there again for what the merge made on b */
  transfer (&d->a, d->ra, &d->b, d->rb);
  transfer (&d->b, d->rb, &d->a, d->ra);
  transfer (&d->a, d->ra, &d->b, d->rb);
}

static void
devices_setup (Devices       *d,
               gconstpointer  data)
{
  rh_fixture_setup (&d->a, data);
  rh_fixture_setup (&d->b, data);
  d->ra = repo_for (&d->a);
  d->rb = repo_for (&d->b);
  /* the bundled scenarios are the same on both: settle them first */
  exchange (d);
}

static void
devices_teardown (Devices       *d,
                  gconstpointer  data)
{
  g_clear_object (&d->ra);
  g_clear_object (&d->rb);
  rh_fixture_teardown (&d->a, data);
  rh_fixture_teardown (&d->b, data);
}

static RhSyncChange *
card_change (const char *id,
             const char *deck_id,
             const char *front,
             const char *back,
             const char *hlc)
{
  RhSyncChange *change = rh_sync_change_new (RH_SYNC_ENTITY_CARD, id);

  if (deck_id)
    rh_sync_change_add_field (change, "deck_id", g_variant_new_string (deck_id), hlc);
  if (front)
    rh_sync_change_add_field (change, "front", g_variant_new_string (front), hlc);
  if (back)
    rh_sync_change_add_field (change, "back", g_variant_new_string (back), hlc);
  return change;
}

static char *
stamp_at (gint64      ms,
          const char *device)
{
  return g_strdup_printf ("%012" G_GINT64_MODIFIER "x-0000-%s", ms, device);
}

/* ---- tests ---- */

static void
test_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSyncChange) ok = card_change ("01900000-0000-7000-8000-000000000001",
                                            "01900000-0000-7000-8000-0000000000d1",
                                            "hola", "hello", "0190000000aa-0001-abc");
  g_autoptr(RhSyncChange) upper = rh_sync_change_new (RH_SYNC_ENTITY_DECK,
                                                      "01900000-0000-7000-8000-00000000000A");
  g_autoptr(RhSyncChange) blank = card_change ("01900000-0000-7000-8000-000000000002", NULL,
                                               "   ", NULL, "0190000000aa-0001-abc");
  g_autoptr(RhSyncChange) stamp = card_change ("01900000-0000-7000-8000-000000000003", NULL,
                                               "x", NULL, "0190000000AA-0001-abc");
  g_autoptr(RhSyncChange) unknown = rh_sync_change_new (RH_SYNC_ENTITY_DECK,
                                                        "01900000-0000-7000-8000-000000000004");
  g_autoptr(RhSyncChange) review = rh_sync_change_new (RH_SYNC_ENTITY_REVIEW,
                                                       "01900000-0000-7000-8000-000000000005");
  g_autoptr(RhSyncChange) tomb = rh_sync_change_new (RH_SYNC_ENTITY_CARD,
                                                     "01900000-0000-7000-8000-000000000006");
  g_autoptr(RhSyncChange) typed = rh_sync_change_new (RH_SYNC_ENTITY_REVIEW,
                                                      "01900000-0000-7000-8000-000000000007");
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(RhSyncChange) too_long = NULL;

  g_assert_true (rh_sync_change_validate (ok, TRUE, &error));
  g_assert_no_error (error);

  rh_sync_change_add_field (upper, "name", g_variant_new_string ("x"), "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (upper, TRUE, &error));
  g_assert_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (rh_sync_change_validate (blank, TRUE, &error));
  g_clear_error (&error);
  g_assert_false (rh_sync_change_validate (stamp, TRUE, &error));
  g_clear_error (&error);

  rh_sync_change_add_field (unknown, "colour", g_variant_new_string ("red"),
                            "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (unknown, TRUE, &error));
  g_clear_error (&error);

  /* a review is written whole */
  rh_sync_change_add_field (review, "card_id",
                            g_variant_new_string ("01900000-0000-7000-8000-000000000001"),
                            "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (review, TRUE, &error));
  g_clear_error (&error);

  /* a tombstone needs its stamp; a push must change something */
  rh_sync_change_set_tombstone (tomb, TRUE, NULL);
  g_assert_false (rh_sync_change_validate (tomb, TRUE, &error));
  g_clear_error (&error);
  rh_sync_change_set_tombstone (tomb, FALSE, NULL);
  g_assert_false (rh_sync_change_validate (tomb, TRUE, &error));
  g_clear_error (&error);
  g_assert_true (rh_sync_change_validate (tomb, FALSE, &error));

  rh_sync_change_add_field (typed, "card_id",
                            g_variant_new_string ("01900000-0000-7000-8000-000000000001"),
                            "0190000000aa-0001-a");
  rh_sync_change_add_field (typed, "time_us", g_variant_new_int64 (5), "0190000000aa-0001-a");
  rh_sync_change_add_field (typed, "rating", g_variant_new_string ("3"), "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (typed, TRUE, &error));
  g_clear_error (&error);
  rh_sync_change_add_field (typed, "rating", g_variant_new_int64 (5), "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (typed, TRUE, &error));
  g_clear_error (&error);
  rh_sync_change_add_field (typed, "rating", g_variant_new_int64 (4), "0190000000aa-0001-a");
  g_assert_true (rh_sync_change_validate (typed, TRUE, &error));

  for (guint i = 0; i < 10001; i++)
    g_string_append_c (long_text, 'x');
  too_long = card_change ("01900000-0000-7000-8000-000000000008", NULL, long_text->str, NULL,
                          "0190000000aa-0001-a");
  g_assert_false (rh_sync_change_validate (too_long, TRUE, &error));
  g_clear_error (&error);

  g_assert_true (rh_sync_hlc_is_valid ("0190000000aa-0001-dev.ice:1_x-y"));
  g_assert_false (rh_sync_hlc_is_valid ("0190000000aa-0001-"));
  g_assert_false (rh_sync_hlc_is_valid ("0190000000aa-0001-a/b"));
  g_assert_true (rh_sync_cursor_is_valid ("0"));
  g_assert_false (rh_sync_cursor_is_valid ("12345678901234567"));
  g_assert_false (rh_sync_cursor_is_valid ("-1"));
}

static void
test_variant_round_trip (void)
{
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  RhSyncChange *session = rh_sync_change_new (RH_SYNC_ENTITY_SESSION,
                                              "01900000-0000-7000-8000-000000000001");
  const RhSyncField *field;

  rh_sync_change_add_field (session, "counts", g_variant_new ("(xxxx)", 1, 2, 3, 4), "h1");
  rh_sync_change_add_field (session, "scenario_id", NULL, "h2");
  rh_sync_change_add_field (session, "score", g_variant_new_double (55.5), "h3");
  rh_sync_change_set_tombstone (session, TRUE, "h4");
  session->signature = g_strdup ("sig");
  g_ptr_array_add (changes, session);

  variant = g_variant_ref_sink (rh_sync_changes_to_variant (changes));
  back = rh_sync_changes_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 1);
  session = back->pdata[0];
  g_assert_cmpint (session->entity, ==, RH_SYNC_ENTITY_SESSION);
  g_assert_cmpstr (session->signature, ==, "sig");
  g_assert_cmpstr (session->deleted_hlc, ==, "h4");
  g_assert_true (session->deleted);
  field = rh_sync_change_get_field (session, "scenario_id");
  g_assert_null (field->value);
  field = rh_sync_change_get_field (session, "score");
  g_assert_cmpfloat (g_variant_get_double (field->value), ==, 55.5);
  g_assert_cmpstr (field->hlc, ==, "h3");
}

/* Everything pending, in the order decks, cards, scenarios, sessions,
 * reviews; paged; each change valid and carrying the row's stamps. */
static void
test_pending (RhFixture     *f,
              gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Spanish");
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *position = NULL;
  RhSyncEntity last = RH_SYNC_ENTITY_DECK;
  guint count = 0;
  guint paged = 0;
  guint seen[RH_SYNC_N_ENTITIES] = { 0 };

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *front = g_strdup_printf ("word %u", i);
      g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, front, "back");

      if (i == 0)
        {
          g_autoptr(RhReview) review = rh_collection_answer (f->collection,
                                                             rh_flashcard_get_id (card),
                                                             RH_RATING_GOOD, 3000, &error);
          g_assert_no_error (error);
        }
    }

  g_assert_true (rh_sync_repository_count_pending (repo, &count, &error));
  all = list_all (repo);
  g_assert_cmpuint (all->len, ==, count);
  for (guint i = 0; i < all->len; i++)
    {
      RhSyncChange *change = all->pdata[i];

      g_assert_true (rh_sync_change_validate (change, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (change->entity, >=, last);
      last = change->entity;
      seen[change->entity]++;
      g_assert_nonnull (change->signature);
    }
  g_assert_cmpuint (seen[RH_SYNC_ENTITY_DECK], ==, 1);
  g_assert_cmpuint (seen[RH_SYNC_ENTITY_CARD], ==, 7);
  g_assert_cmpuint (seen[RH_SYNC_ENTITY_REVIEW], ==, 1);
  g_assert_cmpuint (seen[RH_SYNC_ENTITY_SESSION], ==, 1);
  g_assert_cmpuint (seen[RH_SYNC_ENTITY_SCENARIO], >, 0);

  {
    RhSyncChange *card = all->pdata[1];
    g_autofree char *front_hlc = query (f, "SELECT front_hlc FROM cards WHERE id = %Q",
                                        card->id);

    g_assert_cmpint (card->entity, ==, RH_SYNC_ENTITY_CARD);
    g_assert_cmpuint (card->fields->len, ==, 6);
    g_assert_cmpstr (rh_sync_change_get_field (card, "front")->hlc, ==, front_hlc);
  }

  /* pages of 3, and pages of one (a byte budget smaller than a change) */
  for (;;)
    {
      g_autoptr(GPtrArray) changes = NULL;
      g_autofree char *next = NULL;

      changes = rh_sync_repository_list_pending (repo, position, 3, 1, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (changes->len, <=, 1);
      paged += changes->len;
      if (next == NULL)
        break;
      g_free (position);
      position = g_steal_pointer (&next);
    }
  g_assert_cmpuint (paged, ==, count);
}

/* A row edited while its batch was out stays pending. */
static void
test_mark_pushed (RhFixture     *f,
                  gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Spanish");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "hola", "hello");
  g_autoptr(RhFlashcard) other = rh_fixture_card (f, deck, "adiós", "goodbye");
  g_autoptr(GPtrArray) changes = list_all (repo);
  g_autoptr(RhFlashcard) edited = NULL;
  RhCardDraft draft = { .front = "hola!" };
  guint count = 99;

  edited = rh_collection_edit_card (f->collection, rh_flashcard_get_id (card), &draft, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < changes->len; i++)
    g_assert_true (rh_sync_repository_mark_pushed (repo, changes->pdata[i], &error));
  g_assert_true (rh_sync_repository_count_pending (repo, &count, &error));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = %Q",
                              rh_flashcard_get_id (card)), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM cards WHERE id = %Q",
                              rh_flashcard_get_id (other)), ==, 0);
}

static void
test_state (RhFixture     *f,
            gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  g_autoptr(GPtrArray) kept = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *account = NULL;
  g_autofree char *batch_id = NULL;

  cursor = rh_sync_repository_get_cursor (repo, &error);
  g_assert_cmpstr (cursor, ==, "0");
  g_assert_true (rh_sync_repository_set_cursor (repo, "42", &error));
  g_clear_pointer (&cursor, g_free);
  cursor = rh_sync_repository_get_cursor (repo, &error);
  g_assert_cmpstr (cursor, ==, "42");

  account = rh_sync_repository_get_account (repo, &error);
  g_assert_no_error (error);
  g_assert_null (account);
  g_assert_true (rh_sync_repository_set_account (repo, "sub-1", &error));
  account = rh_sync_repository_get_account (repo, &error);
  g_assert_cmpstr (account, ==, "sub-1");

  g_assert_true (rh_sync_repository_load_outbox (repo, &batch_id, &kept, &error));
  g_assert_null (batch_id);
  g_assert_null (kept);

  g_ptr_array_add (changes, card_change ("01900000-0000-7000-8000-000000000001",
                                         "01900000-0000-7000-8000-0000000000d1", "hola",
                                         "hello", "0190000000aa-0001-abc"));
  g_assert_true (rh_sync_repository_save_outbox (repo, "batch-1", changes, &error));
  g_assert_true (rh_sync_repository_load_outbox (repo, &batch_id, &kept, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (batch_id, ==, "batch-1");
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpstr (((RhSyncChange *) kept->pdata[0])->id, ==,
                   "01900000-0000-7000-8000-000000000001");
  g_clear_pointer (&batch_id, g_free);
  g_clear_pointer (&kept, g_ptr_array_unref);

  g_assert_true (rh_sync_repository_clear_outbox (repo, &error));
  g_assert_true (rh_sync_repository_load_outbox (repo, &batch_id, &kept, &error));
  g_assert_null (batch_id);

  g_assert_cmpint (rh_sync_repository_get_last_synced (repo), ==, 0);
  g_assert_true (rh_sync_repository_set_last_synced (repo, 1234, &error));
  g_assert_cmpint (rh_sync_repository_get_last_synced (repo), ==, 1234);
}

/* Different fields edited on each side both survive; the same field
 * settles on the same value on both, the one with the greater stamp. */
static void
test_fields (Devices       *d,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhFlashcard) card = rh_fixture_card (&d->a, deck, "hola", "hello");
  const char *id = rh_flashcard_get_id (card);
  RhCardDraft front_a = { .front = "hola (a)", .notes = "from a" };
  RhCardDraft back_b = { .back = "hello (b)" };
  RhCardDraft front_b = { .front = "hola (b)" };
  g_autoptr(RhFlashcard) on_a = NULL;
  g_autoptr(RhFlashcard) on_b = NULL;
  g_autofree char *stamp_a = NULL;
  g_autofree char *stamp_b = NULL;

  exchange (d);

  g_clear_object (&on_a);
  on_a = rh_collection_edit_card (d->a.collection, id, &front_a, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  g_clear_object (&on_b);
  on_b = rh_collection_edit_card (d->b.collection, id, &back_b, &error);
  g_assert_no_error (error);
  exchange (d);

  g_clear_object (&on_a);
  g_clear_object (&on_b);
  on_a = rh_collection_get_card (d->a.collection, id, &error);
  on_b = rh_collection_get_card (d->b.collection, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_front (on_a), ==, "hola (a)");
  g_assert_cmpstr (rh_flashcard_get_back (on_a), ==, "hello (b)");
  g_assert_cmpstr (rh_flashcard_get_notes (on_a), ==, "from a");
  g_assert_cmpstr (rh_flashcard_get_front (on_b), ==, "hola (a)");
  g_assert_cmpstr (rh_flashcard_get_back (on_b), ==, "hello (b)");
  g_assert_cmpstr (rh_flashcard_get_notes (on_b), ==, "from a");

  /* the same field on both: b edits later, so b's stamp is greater */
  g_clear_object (&on_a);
  on_a = rh_collection_edit_card (d->a.collection, id, &front_a, &error);
  g_clear_object (&on_a);
  front_a.front = "hola (a2)";
  on_a = rh_collection_edit_card (d->a.collection, id, &front_a, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  g_clear_object (&on_b);
  on_b = rh_collection_edit_card (d->b.collection, id, &front_b, &error);
  g_assert_no_error (error);
  stamp_a = query (&d->a, "SELECT front_hlc FROM cards WHERE id = %Q", id);
  stamp_b = query (&d->b, "SELECT front_hlc FROM cards WHERE id = %Q", id);
  g_assert_cmpstr (stamp_a, <, stamp_b);
  exchange (d);

  g_clear_object (&on_a);
  g_clear_object (&on_b);
  on_a = rh_collection_get_card (d->a.collection, id, &error);
  on_b = rh_collection_get_card (d->b.collection, id, &error);
  g_assert_cmpstr (rh_flashcard_get_front (on_a), ==, "hola (b)");
  g_assert_cmpstr (rh_flashcard_get_front (on_b), ==, "hola (b)");
  {
    g_autofree char *now_a = query (&d->a, "SELECT front_hlc FROM cards WHERE id = %Q", id);
    g_assert_cmpstr (now_a, ==, stamp_b);
  }
  /* the search index follows the merge */
  {
    RhCardQuery q = { .text = "hola", .sort = RH_CARD_SORT_CREATED };
    guint n = 0;

    g_assert_true (rh_collection_count_cards (d->a.collection, &q, &n, &error));
    g_assert_cmpuint (n, ==, 1);
  }
}

/* Equal times and counters: the device tag decides, the same way
 * whichever change arrives first. */
static void
test_tie (RhFixture     *f,
          gconstpointer  data)
{
  gint64 ms = g_get_real_time () / 1000;
  g_autofree char *low = stamp_at (ms, DEVICE_LOW);
  g_autofree char *high = stamp_at (ms, DEVICE_HIGH);
  const char *deck_id = "01900000-0000-7000-8000-0000000000d1";
  const char *card_id = "01900000-0000-7000-8000-0000000000c1";
  g_autofree char *first = NULL;

  for (guint order = 0; order < 2; order++)
    {
      g_autoptr(RhSyncRepository) repo = NULL;
      g_autoptr(GPtrArray) one = rh_sync_change_list_new ();
      g_autoptr(GPtrArray) two = rh_sync_change_list_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *front = NULL;
      RhSyncApplyStats stats = { 0 };
      RhSyncChange *deck = rh_sync_change_new (RH_SYNC_ENTITY_DECK, deck_id);

      /* a fresh collection for each order */
      if (order == 1)
        {
          g_clear_object (&f->collection);
          g_free (f->path);
          f->path = g_build_filename (f->dir, "second.rehearse", NULL);
          rh_fixture_open (f);
        }
      repo = repo_for (f);
      rh_sync_change_add_field (deck, "name", g_variant_new_string ("Deck"), low);
      g_ptr_array_add (one, deck);
      g_ptr_array_add (one, card_change (card_id, deck_id, order ? "high" : "low", "b",
                                         order ? high : low));
      g_ptr_array_add (two, card_change (card_id, deck_id, order ? "low" : "high", "b",
                                         order ? low : high));
      apply (f, repo, one, &stats);
      apply (f, repo, two, &stats);
      front = query (f, "SELECT front FROM cards WHERE id = %Q", card_id);
      g_assert_cmpstr (front, ==, "high");
    }
}

/* A delete wins over an older edit and loses to a newer one, on both. */
static void
test_delete_vs_edit (Devices       *d,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhFlashcard) x = rh_fixture_card (&d->a, deck, "uno", "one");
  g_autoptr(RhFlashcard) y = rh_fixture_card (&d->a, deck, "dos", "two");
  const char *x_id = rh_flashcard_get_id (x);
  const char *y_id = rh_flashcard_get_id (y);
  const char *ids[] = { NULL, NULL };
  RhCardDraft edit = { .front = "uno (edited)" };
  g_autoptr(RhFlashcard) edited = NULL;

  exchange (d);

  /* x: deleted on a, edited later on b: it comes back, edited */
  ids[0] = x_id;
  g_assert_true (rh_collection_delete_cards (d->a.collection, ids, &error));
  g_usleep (2000);
  edited = rh_collection_edit_card (d->b.collection, x_id, &edit, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);

  /* y: edited on b, deleted later on a: it stays deleted */
  edit.front = "dos (edited)";
  edited = rh_collection_edit_card (d->b.collection, y_id, &edit, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  ids[0] = y_id;
  g_assert_true (rh_collection_delete_cards (d->a.collection, ids, &error));

  exchange (d);

  for (guint i = 0; i < 2; i++)
    {
      RhFixture *f = i == 0 ? &d->a : &d->b;
      g_autoptr(RhFlashcard) back = rh_collection_get_card (f->collection, x_id, &error);
      g_autoptr(RhFlashcard) gone = NULL;
      RhCardQuery q = { .text = "uno", .sort = RH_CARD_SORT_CREATED };
      guint n = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (rh_flashcard_get_front (back), ==, "uno (edited)");
      gone = rh_collection_get_card (f->collection, y_id, &error);
      g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
      g_clear_error (&error);
      /* back in search too */
      g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
      g_assert_cmpuint (n, ==, 1);
    }
}

static RhReview *
answer (RhFixture  *f,
        const char *card_id,
        RhRating    rating)
{
  g_autoptr(GError) error = NULL;
  RhReview *review = rh_collection_answer (f->collection, card_id, rating, 4000, &error);

  g_assert_no_error (error);
  return review;
}

/* The same card studied offline on both: both reviews on both, and the
 * state replayed from them the same on both. */
static void
test_reviews_union (Devices       *d,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhFlashcard) card = rh_fixture_card (&d->a, deck, "hola", "hello");
  const char *id = rh_flashcard_get_id (card);
  g_autoptr(RhReview) ra = NULL;
  g_autoptr(RhReview) rb = NULL;
  g_autoptr(RhFlashcard) on_a = NULL;
  g_autoptr(RhFlashcard) on_b = NULL;
  g_autofree char *state_a = NULL;
  g_autofree char *state_b = NULL;

  exchange (d);
  d->b.now += 10 * 60 * G_USEC_PER_SEC;
  ra = answer (&d->a, id, RH_RATING_GOOD);
  rb = answer (&d->b, id, RH_RATING_HARD);
  exchange (d);

  g_assert_cmpint (query_int (&d->a, "SELECT count(*) FROM reviews WHERE card_id = %Q", id),
                   ==, 2);
  g_assert_cmpint (query_int (&d->b, "SELECT count(*) FROM reviews WHERE card_id = %Q", id),
                   ==, 2);
  on_a = rh_collection_get_card (d->a.collection, id, &error);
  on_b = rh_collection_get_card (d->b.collection, id, &error);
  g_assert_no_error (error);
  state_a = rh_card_state_serialize (rh_flashcard_get_state (on_a));
  state_b = rh_card_state_serialize (rh_flashcard_get_state (on_b));
  g_assert_cmpstr (state_a, ==, state_b);
  g_assert_cmpint (rh_flashcard_get_state (on_a)->reps, ==, 2);

  /* an answer undone on b: its tombstone reaches a, which replays */
  {
    g_autoptr(RhFlashcard) undone = NULL;

    d->b.now += 10 * 60 * G_USEC_PER_SEC;
    g_clear_object (&rb);
    rb = answer (&d->b, id, RH_RATING_AGAIN);
    exchange (d);
    g_assert_cmpint (query_int (&d->a, "SELECT count(*) FROM reviews WHERE card_id = %Q"
                                " AND deleted = 0", id), ==, 3);
    undone = rh_collection_undo (d->b.collection, &error);
    g_assert_no_error (error);
  }
  exchange (d);
  g_assert_cmpint (query_int (&d->a, "SELECT deleted FROM reviews WHERE id = %Q",
                              rh_review_get_id (rb)), ==, 1);
  g_clear_object (&on_a);
  g_clear_object (&on_b);
  on_a = rh_collection_get_card (d->a.collection, id, &error);
  on_b = rh_collection_get_card (d->b.collection, id, &error);
  g_assert_cmpint (rh_flashcard_get_state (on_a)->reps, ==, 2);
  g_clear_pointer (&state_a, g_free);
  g_clear_pointer (&state_b, g_free);
  state_a = rh_card_state_serialize (rh_flashcard_get_state (on_a));
  state_b = rh_card_state_serialize (rh_flashcard_get_state (on_b));
  g_assert_cmpstr (state_a, ==, state_b);
}

/* A review before its card, a card before its deck: placeholders, filled
 * in when the rows arrive. */
static void
test_out_of_order (RhFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = rh_sync_change_list_new ();
  g_autoptr(GPtrArray) second = rh_sync_change_list_new ();
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  g_autofree char *hlc = stamp_at (g_get_real_time () / 1000, DEVICE_LOW);
  const char *deck_id = "01900000-0000-7000-8000-0000000000d1";
  const char *card_id = "01900000-0000-7000-8000-0000000000c1";
  RhSyncChange *review = rh_sync_change_new (RH_SYNC_ENTITY_REVIEW,
                                             "01900000-0000-7000-8000-0000000000e1");
  RhSyncChange *deck = rh_sync_change_new (RH_SYNC_ENTITY_DECK, deck_id);
  RhSyncApplyStats stats = { 0 };

  rh_sync_change_add_field (review, "card_id", g_variant_new_string (card_id), hlc);
  rh_sync_change_add_field (review, "rating", g_variant_new_int64 (3), hlc);
  rh_sync_change_add_field (review, "time_us", g_variant_new_int64 (f->now), hlc);
  g_ptr_array_add (first, review);
  apply (f, repo, first, &stats);
  g_assert_cmpuint (stats.reviews_added, ==, 1);
  card = rh_collection_get_card (f->collection, card_id, &error);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (rebuild (f, repo), ==, 0);

  g_ptr_array_add (second, card_change (card_id, deck_id, "hola", "hello", hlc));
  apply (f, repo, second, &stats);
  card = rh_collection_get_card (f->collection, card_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rebuild (f, repo), ==, 1);
  g_clear_object (&card);
  card = rh_collection_get_card (f->collection, card_id, &error);
  g_assert_cmpint (rh_flashcard_get_state (card)->reps, ==, 1);

  /* its deck is a hidden placeholder until it comes */
  decks = rh_collection_list_decks (f->collection, &error);
  for (guint i = 0; i < decks->len; i++)
    g_assert_cmpstr (rh_deck_get_id (decks->pdata[i]), !=, deck_id);
  g_clear_pointer (&decks, g_ptr_array_unref);
  g_ptr_array_set_size (second, 0);
  rh_sync_change_add_field (deck, "name", g_variant_new_string ("Remote"), hlc);
  g_ptr_array_add (second, deck);
  apply (f, repo, second, &stats);
  {
    g_autoptr(RhDeck) found = rh_collection_find_deck (f->collection, "Remote", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rh_deck_get_id (found), ==, deck_id);
  }
}

/* Two decks made offline with the same name: the greater id gives way,
 * the same one on both devices. */
static void
test_deck_names (Devices       *d,
                 gconstpointer  data)
{
  g_autoptr(RhDeck) deck_a = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhDeck) deck_b = rh_fixture_deck (&d->b, "Spanish");
  const char *loser = strcmp (rh_deck_get_id (deck_a), rh_deck_get_id (deck_b)) > 0
                      ? rh_deck_get_id (deck_a) : rh_deck_get_id (deck_b);
  const char *winner = loser == rh_deck_get_id (deck_a) ? rh_deck_get_id (deck_b)
                                                        : rh_deck_get_id (deck_a);

  exchange (d);
  for (guint i = 0; i < 2; i++)
    {
      RhFixture *f = i == 0 ? &d->a : &d->b;
      g_autofree char *kept = query (f, "SELECT name FROM decks WHERE id = %Q", winner);
      g_autofree char *renamed = query (f, "SELECT name FROM decks WHERE id = %Q", loser);

      g_assert_cmpstr (kept, ==, "Spanish");
      g_assert_cmpstr (renamed, ==, "Spanish (2)");
    }
}

/* A deck deleted on one device while a card in it was edited (later) on
 * the other comes back with that card. */
static void
test_deck_comes_back (Devices       *d,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhFlashcard) kept = rh_fixture_card (&d->a, deck, "uno", "one");
  g_autoptr(RhFlashcard) gone = rh_fixture_card (&d->a, deck, "dos", "two");
  g_autoptr(RhFlashcard) edited = NULL;
  RhCardDraft draft = { .back = "one!" };

  exchange (d);
  g_assert_true (rh_collection_delete_deck (d->a.collection, rh_deck_get_id (deck),
                                            RH_DECK_DELETE_WITH_CARDS, NULL, &error));
  g_assert_no_error (error);
  g_usleep (2000);
  edited = rh_collection_edit_card (d->b.collection, rh_flashcard_get_id (kept), &draft, &error);
  g_assert_no_error (error);
  exchange (d);

  for (guint i = 0; i < 2; i++)
    {
      RhFixture *f = i == 0 ? &d->a : &d->b;
      g_autoptr(RhDeck) back = rh_collection_find_deck (f->collection, "Spanish", &error);
      g_autoptr(RhFlashcard) card = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (back);
      card = rh_collection_get_card (f->collection, rh_flashcard_get_id (kept), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (rh_flashcard_get_back (card), ==, "one!");
      g_assert_cmpint (query_int (f, "SELECT deleted FROM cards WHERE id = %Q",
                                  rh_flashcard_get_id (gone)), ==, 1);
    }
}

/* A deck brought back locally (undo of a delete) is a newer write of its
 * name, so the contract's rule shows it live to the other devices. */
static void
test_deck_revive (Devices       *d,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  const RhRepositories *repos = rh_collection_get_repositories (d->a.collection);
  g_autofree char *name_hlc = NULL;
  g_autofree char *deleted_hlc = NULL;

  exchange (d);
  g_assert_true (rh_collection_delete_deck (d->a.collection, rh_deck_get_id (deck),
                                            RH_DECK_DELETE_ONLY_IF_EMPTY, NULL, &error));
  exchange (d);
  g_assert_cmpint (query_int (&d->b, "SELECT deleted FROM decks WHERE id = %Q",
                              rh_deck_get_id (deck)), ==, 1);

  g_assert_true (rh_deck_repository_save (repos->decks, deck, &error));
  g_assert_no_error (error);
  name_hlc = query (&d->a, "SELECT name_hlc FROM decks WHERE id = %Q", rh_deck_get_id (deck));
  deleted_hlc = query (&d->a, "SELECT deleted_hlc FROM decks WHERE id = %Q",
                       rh_deck_get_id (deck));
  g_assert_cmpstr (name_hlc, ==, deleted_hlc);
  exchange (d);
  g_assert_cmpint (query_int (&d->b, "SELECT deleted FROM decks WHERE id = %Q",
                              rh_deck_get_id (deck)), ==, 0);
}

/* Sessions and scenarios go across whole. */
static void
test_sessions_scenarios (Devices       *d,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_fixture_deck (&d->a, "Spanish");
  g_autoptr(RhFlashcard) card = rh_fixture_card (&d->a, deck, "hola", "hello");
  g_autoptr(RhReview) review = answer (&d->a, rh_flashcard_get_id (card), RH_RATING_EASY);
  g_autoptr(RhSession) ended = rh_collection_end_session (d->a.collection, &error);
  g_autoptr(RhScenario) scenario = rh_scenario_new (NULL, "At the market", "A2", &error);
  g_autoptr(RhScenario) copy = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (d->a.collection);
  const char *accepted[] = { "Two kilos, please", NULL };
  g_autofree char *session_id = g_strdup (rh_session_get_id (ended));
  g_autofree char *ended_a = NULL;
  g_autofree char *ended_b = NULL;

  g_assert_no_error (error);
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_PARTNER, "What for you?",
                                                             NULL, NULL, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_add_turn (scenario,
                                       rh_scenario_turn_new (RH_TURN_LEARNER, "Ask for apples",
                                                             accepted, NULL, NULL, &error),
                                       &error));
  g_assert_true (rh_scenario_set_goal (scenario, "Buy apples", &error));
  g_assert_true (rh_scenario_repository_save (repos->scenarios, scenario, &error));
  g_assert_no_error (error);

  exchange (d);

  ended_a = query (&d->a, "SELECT ended || '/' || good || '/' || easy FROM sessions"
                   " WHERE id = %Q", session_id);
  ended_b = query (&d->b, "SELECT ended || '/' || good || '/' || easy FROM sessions"
                   " WHERE id = %Q", session_id);
  g_assert_nonnull (ended_b);
  g_assert_cmpstr (ended_a, ==, ended_b);

  /* the card answered on a only: b replays its review to the same state
   * a computed as it answered */
  {
    g_autoptr(RhFlashcard) on_a = rh_collection_get_card (d->a.collection,
                                                          rh_flashcard_get_id (card), &error);
    g_autoptr(RhFlashcard) on_b = rh_collection_get_card (d->b.collection,
                                                          rh_flashcard_get_id (card), &error);
    g_autofree char *state_a = rh_card_state_serialize (rh_flashcard_get_state (on_a));
    g_autofree char *state_b = rh_card_state_serialize (rh_flashcard_get_state (on_b));

    g_assert_no_error (error);
    g_assert_cmpstr (state_a, ==, state_b);
  }

  copy = rh_scenario_repository_get (rh_collection_get_repositories (d->b.collection)->scenarios,
                                     rh_scenario_get_id (scenario), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_scenario_get_title (copy), ==, "At the market");
  g_assert_cmpstr (rh_scenario_get_goal (copy), ==, "Buy apples");
  g_assert_cmpuint (rh_scenario_get_n_turns (copy), ==, 2);
  g_assert_cmpstr (rh_scenario_get_turn (copy, 1)->accepted[0], ==, "Two kilos, please");
}

/* The clock moves past a remote stamp; one from too far ahead is merged
 * but does not drag the clock. */
static void
test_clock (RhFixture     *f,
            gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  gint64 ms = g_get_real_time () / 1000;
  g_autofree char *ahead = stamp_at (ms + 3600 * 1000, DEVICE_LOW);
  g_autofree char *far = stamp_at (ms + 3 * 24 * 3600 * 1000, DEVICE_LOW);
  g_autofree char *front = NULL;
  RhSqliteDatabase *db = g_object_get_data (G_OBJECT (f->collection), "rh-sqlite-database");
  RhSyncApplyStats stats = { 0 };
  RhSyncChange *deck = rh_sync_change_new (RH_SYNC_ENTITY_DECK,
                                           "01900000-0000-7000-8000-0000000000d1");

  rh_sync_change_add_field (deck, "name", g_variant_new_string ("Later"), ahead);
  g_ptr_array_add (changes, deck);
  apply (f, repo, changes, &stats);
  {
    g_autofree char *next = rh_sqlite_database_next_stamp (db);
    g_assert_cmpstr (next, >, ahead);
  }

  g_ptr_array_set_size (changes, 0);
  g_ptr_array_add (changes, card_change ("01900000-0000-7000-8000-0000000000c1",
                                         "01900000-0000-7000-8000-0000000000d1", "far", "x",
                                         far));
  apply (f, repo, changes, &stats);
  front = query (f, "SELECT front FROM cards WHERE id = '01900000-0000-7000-8000-0000000000c1'");
  g_assert_cmpstr (front, ==, "far");
  {
    g_autofree char *next = rh_sqlite_database_next_stamp (db);
    g_assert_cmpstr (next, <, far);
  }
}

/* Pulled values this version cannot store are skipped; the rest applies. */
static void
test_unusable (RhFixture     *f,
               gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  g_autofree char *hlc = stamp_at (g_get_real_time () / 1000, DEVICE_LOW);
  RhSyncApplyStats stats = { 0 };
  RhSyncChange *scenario = rh_sync_change_new (RH_SYNC_ENTITY_SCENARIO,
                                               "01900000-0000-7000-8000-0000000000f1");
  RhSyncChange *session = rh_sync_change_new (RH_SYNC_ENTITY_SESSION,
                                              "01900000-0000-7000-8000-0000000000f2");
  RhSyncChange *deck = rh_sync_change_new (RH_SYNC_ENTITY_DECK,
                                           "01900000-0000-7000-8000-0000000000d1");
  /* turns whose kind or text is not a string */
  RhSyncChange *kind = rh_sync_change_new (RH_SYNC_ENTITY_SCENARIO,
                                           "01900000-0000-7000-8000-0000000000f3");
  RhSyncChange *text = rh_sync_change_new (RH_SYNC_ENTITY_SCENARIO,
                                           "01900000-0000-7000-8000-0000000000f4");

  rh_sync_change_add_field (scenario, "content", g_variant_new_string ("{\"title\": 3}"), hlc);
  rh_sync_change_add_field (kind, "content",
                            g_variant_new_string ("{\"title\": \"T\", \"level\": \"A1\","
                                                  " \"turns\": [{\"kind\": 0}]}"),
                            hlc);
  rh_sync_change_add_field (text, "content",
                            g_variant_new_string ("{\"title\": \"T\", \"level\": \"A1\","
                                                  " \"turns\": [{\"kind\": \"partner\","
                                                  " \"text\": [\"Hi\"]}]}"),
                            hlc);
  rh_sync_change_add_field (session, "kind", g_variant_new_string ("review"), hlc);
  rh_sync_change_add_field (session, "started_us", g_variant_new_int64 (100), hlc);
  rh_sync_change_add_field (session, "ended_us", g_variant_new_int64 (50), hlc);
  rh_sync_change_add_field (deck, "name", g_variant_new_string ("Fine"), hlc);
  g_ptr_array_add (changes, scenario);
  g_ptr_array_add (changes, session);
  g_ptr_array_add (changes, deck);
  g_ptr_array_add (changes, kind);
  g_ptr_array_add (changes, text);
  apply (f, repo, changes, &stats);
  g_assert_cmpuint (stats.skipped, ==, 4);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenarios WHERE id LIKE %Q",
                              "01900000-0000-7000-8000-0000000000f%"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenarios WHERE id = %Q",
                              "01900000-0000-7000-8000-0000000000f1"), ==, 0);
}

/* Answers no server should send, read as a page of changes: refused
 * with an error, never a crash. */
static void
test_hostile_pages (void)
{
  static const char * const pages[] = {
    /* white space alone parses, to no document at all */
    " ",
    /* valid JSON, but "\ud800" is half a surrogate pair: not text */
    "{\"changes\": [{\"seq\": 1, \"entity\": \"deck\","
    " \"id\": \"01900000-0000-7000-8000-0000000000d1\", \"fields\": {\"name\":"
    " {\"value\": \"a \\ud800 b\", \"hlc\": \"018fc52cd200-0000-aaaaaaaaaaaa\"}},"
    " \"deleted\": false, \"deleted_hlc\": null}], \"cursor\": \"1\", \"has_more\": false}",
    /* nor is a cursor with one */
    "{\"changes\": [], \"cursor\": \"1\\ud800x\", \"has_more\": false}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (pages[i], strlen (pages[i]));
      g_autoptr(GError) error = NULL;
      RhSyncPage *page = rh_api_client_parse_page (body, "0", 100, &error);

      g_assert_null (page);
      g_assert_error (error, RH_API_ERROR, RH_API_ERROR_INVALID_RESPONSE);
      g_test_message ("%s", error->message);
    }

  /* nesting deeper than the contract's documents ever go */
  {
    g_autoptr(GString) deep = g_string_new ("{\"changes\": ");
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    body = g_string_free_to_bytes (g_steal_pointer (&deep));
    g_assert_null (rh_api_client_parse_page (body, "0", 100, &error));
    g_assert_error (error, RH_API_ERROR, RH_API_ERROR_INVALID_RESPONSE);
  }
}

/* ---- scenario practice ---- */

#define PRACTICE_SCENARIO "01900000-0000-7000-8000-0000000000a1"
#define PRACTICE_SESSION  "01900000-0000-7000-8000-0000000000b1"
#define PRACTICE_DECK     "01900000-0000-7000-8000-0000000000d1"
#define TWO_RESULTS \
  "[{\"turn_index\":1,\"score\":80,\"answer\":\"Una mesa\",\"hints_used\":1,\"attempts\":2," \
  "\"skipped\":false},{\"turn_index\":3,\"score\":0,\"answer\":null,\"hints_used\":0," \
  "\"attempts\":0,\"skipped\":true}]"
#define PHRASE_SOURCE \
  "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":1,\"phrase_key\":\"para dos\"}"

/* Every row of the tables a pulled session or card can touch. */
static char *
practice_tables (RhFixture *f)
{
  static const char * const tables[] = { "decks", "cards", "sessions", "scenario_turn_results",
                                         "scenario_phrase_cards" };
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_string_append_printf (out, "%s:\n", tables[t]);
      g_assert_cmpint (sqlite3_prepare_v2 (handle_of (f), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c)
                                    ? (const char *) sqlite3_column_text (stmt, c) : "NULL");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

/* One turn result per line: turn, score, answer, hints, attempts,
 * skipped, stamp, pending. */
static char *
turn_rows (RhFixture  *f,
           const char *session_id)
{
  return query (f, "SELECT group_concat (line, ';') FROM (SELECT turn_index || ' ' || score"
                " || ' ' || coalesce (answer, '-') || ' ' || hints_used || ' ' || attempts"
                " || ' ' || skipped || ' ' || hlc || ' ' || pending AS line"
                " FROM scenario_turn_results WHERE session_id = %Q ORDER BY turn_index)",
                session_id);
}

/* The one phrase link's card (and stamp, unless NULL). */
static void
assert_phrase_card (RhFixture  *f,
                    const char *card_id,
                    const char *hlc)
{
  g_autofree char *got = query (f, "SELECT card_id FROM scenario_phrase_cards");
  g_autofree char *got_hlc = query (f, "SELECT hlc FROM scenario_phrase_cards");

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_phrase_cards"), ==, 1);
  g_assert_cmpstr (got, ==, card_id);
  if (hlc != NULL)
    g_assert_cmpstr (got_hlc, ==, hlc);
}

static RhSyncChange *
practice_session_change (const char *hlc)
{
  RhSyncChange *change = rh_sync_change_new (RH_SYNC_ENTITY_SESSION, PRACTICE_SESSION);

  rh_sync_change_add_field (change, "kind", g_variant_new_string ("scenario"), hlc);
  rh_sync_change_add_field (change, "started_us", g_variant_new_int64 (1000), hlc);
  rh_sync_change_add_field (change, "ended_us", g_variant_new_int64 (2000), hlc);
  rh_sync_change_add_field (change, "counts", g_variant_new ("(xxxx)", 0, 0, 0, 0), hlc);
  rh_sync_change_add_field (change, "time_ms", g_variant_new_int64 (1), hlc);
  rh_sync_change_add_field (change, "scenario_id", g_variant_new_string (PRACTICE_SCENARIO),
                            hlc);
  rh_sync_change_add_field (change, "score", g_variant_new_double (40), hlc);
  return change;
}

static RhSyncChange *
only_turn_results (const char *value,
                   const char *hlc)
{
  RhSyncChange *change = rh_sync_change_new (RH_SYNC_ENTITY_SESSION, PRACTICE_SESSION);

  rh_sync_change_add_field (change, "turn_results", value ? g_variant_new_string (value) : NULL,
                            hlc);
  return change;
}

static RhSyncChange *
phrase_card_change (const char *id,
                    const char *source,
                    const char *hlc)
{
  RhSyncChange *change = card_change (id, PRACTICE_DECK, "___ dos", "para dos", hlc);

  rh_sync_change_add_field (change, "phrase_source",
                            source ? g_variant_new_string (source) : NULL, hlc);
  return change;
}

static void
apply_one (RhFixture        *f,
           RhSyncRepository *repo,
           RhSyncChange     *change,
           RhSyncApplyStats *stats)
{
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();

  memset (stats, 0, sizeof *stats);
  g_ptr_array_add (changes, change);
  apply (f, repo, changes, stats);
}

/* A scenario run's results and a phrase card's link go out inside their
 * session and card, are marked pushed with them, and make them pending
 * on their own. */
static void
test_practice_pending (RhFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autoptr(GError) error = NULL;
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Scenario phrases");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, "___ dos", "para dos");
  g_autoptr(RhFlashcard) plain = rh_fixture_card (f, deck, "hola", "hello");
  g_autoptr(RhSession) session = rh_session_new (NULL, RH_SESSION_KIND_SCENARIO, f->now, &error);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 rh_turn_result_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *results_hlc = NULL;
  g_autofree char *link_hlc = NULL;
  RhTurnResult one = { 1, 80, (char *) "Una mesa", 1, 2, FALSE };
  RhTurnResult three = { 3, 0, NULL, 0, 0, TRUE };
  RhPhraseCardLink link = { (char *) PRACTICE_SCENARIO, 1, (char *) "para dos",
                            (char *) rh_flashcard_get_id (card), f->now };
  const char *session_id;
  guint count = 0;
  guint seen = 0;

  g_assert_true (rh_session_end (session, f->now + 1000, &error));
  g_assert_true (rh_session_set_scenario (session, PRACTICE_SCENARIO, 40, &error));
  g_assert_true (rh_session_repository_save (repos->sessions, session, &error));
  session_id = rh_session_get_id (session);
  g_ptr_array_add (results, rh_turn_result_copy (&one));
  g_ptr_array_add (results, rh_turn_result_copy (&three));
  g_assert_true (rh_session_repository_save_turn_results (repos->sessions, session_id, results,
                                                          &error));
  g_assert_true (rh_scenario_repository_add_phrase_card (repos->scenarios, &link, &error));
  g_assert_no_error (error);
  results_hlc = query (f, "SELECT max (hlc) FROM scenario_turn_results");
  link_hlc = query (f, "SELECT hlc FROM scenario_phrase_cards");

  all = list_all (repo);
  for (guint i = 0; i < all->len; i++)
    {
      RhSyncChange *change = all->pdata[i];
      const RhSyncField *field;

      g_assert_true (rh_sync_change_validate (change, TRUE, &error));
      g_assert_no_error (error);
      if (g_str_equal (change->id, session_id))
        {
          field = rh_sync_change_get_field (change, "turn_results");
          g_assert_nonnull (field);
          g_assert_cmpstr (g_variant_get_string (field->value, NULL), ==, TWO_RESULTS);
          g_assert_cmpstr (field->hlc, ==, results_hlc);
          /* the session's own fields keep the session's stamp */
          g_assert_cmpstr (rh_sync_change_get_field (change, "score")->hlc, <, results_hlc);
          seen++;
        }
      else if (g_str_equal (change->id, rh_flashcard_get_id (card)))
        {
          field = rh_sync_change_get_field (change, "phrase_source");
          g_assert_nonnull (field);
          g_assert_cmpstr (g_variant_get_string (field->value, NULL), ==, PHRASE_SOURCE);
          g_assert_cmpstr (field->hlc, ==, link_hlc);
          seen++;
        }
      else if (change->entity == RH_SYNC_ENTITY_CARD || change->entity == RH_SYNC_ENTITY_SESSION)
        {
          g_assert_null (rh_sync_change_get_field (change, "phrase_source"));
          g_assert_null (rh_sync_change_get_field (change, "turn_results"));
        }
    }
  g_assert_cmpuint (seen, ==, 2);

  for (guint i = 0; i < all->len; i++)
    g_assert_true (rh_sync_repository_mark_pushed (repo, all->pdata[i], &error));
  g_assert_true (rh_sync_repository_count_pending (repo, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_turn_results WHERE pending = 1"),
                   ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_phrase_cards WHERE pending = 1"),
                   ==, 0);

  /* rows left pending while their session and card were pushed (as a
   * collection from before they synced has them) take them along */
  g_assert_cmpint (sqlite3_exec (handle_of (f), "UPDATE scenario_turn_results SET pending = 1;"
                                 "UPDATE scenario_phrase_cards SET pending = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rh_sync_repository_count_pending (repo, &count, &error));
  g_assert_cmpuint (count, ==, 2);
  again = list_all (repo);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpint (((RhSyncChange *) again->pdata[0])->entity, ==, RH_SYNC_ENTITY_CARD);
  g_assert_cmpstr (((RhSyncChange *) again->pdata[0])->id, ==, rh_flashcard_get_id (card));
  g_assert_cmpstr (((RhSyncChange *) again->pdata[1])->id, ==, session_id);

  /* results written again while the batch was out stay pending */
  g_ptr_array_set_size (results, 1);
  g_assert_true (rh_session_repository_save_turn_results (repos->sessions, session_id, results,
                                                          &error));
  for (guint i = 0; i < again->len; i++)
    g_assert_true (rh_sync_repository_mark_pushed (repo, again->pdata[i], &error));
  g_assert_true (rh_sync_repository_count_pending (repo, &count, &error));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenario_turn_results"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenario_phrase_cards"), ==, 0);
}

/* Pulled turn results replace the session's whole when their stamp is
 * newer; a phrase claimed by two cards goes to the smaller id. */
static void
test_practice_merge (RhFixture     *f,
                     gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  gint64 ms = g_get_real_time () / 1000;
  g_autofree char *h1 = stamp_at (ms, DEVICE_LOW);
  g_autofree char *h2 = stamp_at (ms + 1, DEVICE_LOW);
  g_autofree char *h3 = stamp_at (ms + 2, DEVICE_HIGH);
  g_autofree char *h4 = stamp_at (ms + 3, DEVICE_LOW);
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  RhSyncApplyStats stats = { 0 };
  RhSyncChange *change;
  const char *c1 = "01900000-0000-7000-8000-0000000000c1";
  const char *c2 = "01900000-0000-7000-8000-0000000000c2";
  const char *c3 = "01900000-0000-7000-8000-0000000000c3";

  change = practice_session_change (h1);
  rh_sync_change_add_field (change, "turn_results", g_variant_new_string (TWO_RESULTS), h2);
  apply_one (f, repo, change, &stats);
  g_assert_cmpuint (stats.applied, ==, 1);
  rows = turn_rows (f, PRACTICE_SESSION);
  expected = g_strdup_printf ("1 80 Una mesa 1 2 0 %s 0;3 0 - 0 0 1 %s 0", h2, h2);
  g_assert_cmpstr (rows, ==, expected);
  /* the session's stamp is its own fields', not the results' */
  {
    g_autofree char *session_hlc = query (f, "SELECT hlc FROM sessions WHERE id = %Q",
                                          PRACTICE_SESSION);

    g_assert_cmpstr (session_hlc, ==, h1);
  }

  /* older: loses */
  apply_one (f, repo, only_turn_results ("[]", h1), &stats);
  g_assert_cmpuint (stats.unchanged, ==, 1);
  g_clear_pointer (&rows, g_free);
  rows = turn_rows (f, PRACTICE_SESSION);
  g_assert_cmpstr (rows, ==, expected);

  /* newer: replaces them whole; an integral 90.0 is the integer 90 */
  apply_one (f, repo,
             only_turn_results ("[{\"turn_index\":3,\"score\":90.0,\"answer\":\"La cuenta\","
                                "\"hints_used\":0,\"attempts\":1,\"skipped\":false}]", h3),
             &stats);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_clear_pointer (&rows, g_free);
  g_clear_pointer (&expected, g_free);
  rows = turn_rows (f, PRACTICE_SESSION);
  expected = g_strdup_printf ("3 90 La cuenta 0 1 0 %s 0", h3);
  g_assert_cmpstr (rows, ==, expected);

  /* null: none */
  apply_one (f, repo, only_turn_results (NULL, h4), &stats);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_turn_results"), ==, 0);

  /* results of a session never seen have nothing to hang on */
  {
    RhSyncChange *stray = rh_sync_change_new (RH_SYNC_ENTITY_SESSION,
                                              "01900000-0000-7000-8000-0000000000b2");

    rh_sync_change_add_field (stray, "turn_results", g_variant_new_string (TWO_RESULTS), h4);
    apply_one (f, repo, stray, &stats);
    g_assert_cmpuint (stats.skipped, ==, 1);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_turn_results"), ==, 0);
  }

  /* one phrase, three cards: the smallest id keeps it, whatever the order */
  apply_one (f, repo, phrase_card_change (c2, PHRASE_SOURCE, h1), &stats);
  g_assert_cmpuint (stats.applied, ==, 1);
  assert_phrase_card (f, c2, NULL);
  g_assert_cmpint (query_int (f, "SELECT pending FROM scenario_phrase_cards"), ==, 0);
  apply_one (f, repo, phrase_card_change (c3, PHRASE_SOURCE, h2), &stats);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  assert_phrase_card (f, c2, NULL);
  apply_one (f, repo, phrase_card_change (c1, PHRASE_SOURCE, h3), &stats);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  assert_phrase_card (f, c1, h3);
  apply_one (f, repo, phrase_card_change (c2, PHRASE_SOURCE, h4), &stats);
  assert_phrase_card (f, c1, NULL);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_phrase_cards"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM cards WHERE id IN (%Q, %Q, %Q)"
                              " AND deleted = 0", c1, c2, c3), ==, 3);

  /* null: a card not made from a phrase; no link */
  apply_one (f, repo, phrase_card_change ("01900000-0000-7000-8000-0000000000c4", NULL, h1),
             &stats);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scenario_phrase_cards"), ==, 1);
}

/* A damaged turn_results or phrase_source skips its session or card
 * whole: nothing of it is written. */
static void
test_practice_malformed (RhFixture     *f,
                         gconstpointer  data)
{
  g_autoptr(RhSyncRepository) repo = repo_for (f);
  g_autofree char *hlc = stamp_at (g_get_real_time () / 1000, DEVICE_LOW);
  g_autofree char *later = stamp_at (g_get_real_time () / 1000 + 10, DEVICE_LOW);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) long_answer = g_string_new (NULL);
  g_autofree char *before = NULL;
  RhSyncApplyStats stats = { 0 };
  static const char * const bad_results[] = {
    "[{",
    "{}",
    "[1]",
    "\"text\"",
    "[{\"turn_index\":1,\"score\":101,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true}]",
    "[{\"turn_index\":1,\"score\":50.5,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true}]",
    "[{\"turn_index\":64,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true}]",
    "[{\"turn_index\":1,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":-1,"
    "\"skipped\":true}]",
    "[{\"turn_index\":1,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":0}]",
    "[{\"turn_index\":1,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":1}]",
    "[{\"turn_index\":1,\"score\":1,\"answer\":7,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true}]",
    "[{\"turn_index\":1,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true,\"bonus\":1}]",
    "[{\"turn_index\":3,\"score\":1,\"answer\":null,\"hints_used\":0,\"attempts\":0,"
    "\"skipped\":true},{\"turn_index\":1,\"score\":1,\"answer\":null,\"hints_used\":0,"
    "\"attempts\":0,\"skipped\":true}]",
  };
  static const char * const bad_sources[] = {
    "[]",
    "{}",
    "{\"scenario_id\"",
    "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":1}",
    "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":1,\"phrase_key\":\"  \"}",
    "{\"scenario_id\":\"01900000-0000-7000-8000-0000000000A1\",\"turn_index\":1,"
    "\"phrase_key\":\"x\"}",
    "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":\"1\",\"phrase_key\":\"x\"}",
    "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":64,\"phrase_key\":\"x\"}",
    "{\"scenario_id\":\"" PRACTICE_SCENARIO "\",\"turn_index\":1,\"phrase_key\":\"x\","
    "\"card_id\":\"x\"}",
  };

  /* nested far deeper than a parser's stack should go */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (long_answer, "[{\"turn_index\":1,\"score\":1,\"answer\":\"");
  for (guint i = 0; i < 20001; i++)
    g_string_append_c (long_answer, 'x');
  g_string_append (long_answer, "\",\"hints_used\":0,\"attempts\":0,\"skipped\":false}]");

  before = practice_tables (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad_results) + 2; i++)
    {
      const char *value = i < G_N_ELEMENTS (bad_results) ? bad_results[i]
                          : i == G_N_ELEMENTS (bad_results) ? deep->str : long_answer->str;
      RhSyncChange *change = practice_session_change (hlc);
      g_autofree char *after = NULL;

      rh_sync_change_add_field (change, "turn_results", g_variant_new_string (value), hlc);
      apply_one (f, repo, change, &stats);
      g_assert_cmpuint (stats.skipped, ==, 1);
      g_assert_cmpuint (stats.applied, ==, 0);
      after = practice_tables (f);
      g_assert_cmpstr (after, ==, before);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_sources) + 1; i++)
    {
      const char *value = i < G_N_ELEMENTS (bad_sources) ? bad_sources[i] : deep->str;
      g_autofree char *after = NULL;

      apply_one (f, repo, phrase_card_change ("01900000-0000-7000-8000-0000000000c1", value, hlc),
                 &stats);
      g_assert_cmpuint (stats.skipped, ==, 1);
      g_assert_cmpuint (stats.applied, ==, 0);
      after = practice_tables (f);
      g_assert_cmpstr (after, ==, before);
    }

  /* nor does a damaged newer value touch what is there */
  {
    RhSyncChange *change = practice_session_change (hlc);
    g_autofree char *stored = NULL;
    g_autofree char *after = NULL;

    rh_sync_change_add_field (change, "turn_results", g_variant_new_string (TWO_RESULTS), hlc);
    apply_one (f, repo, change, &stats);
    g_assert_cmpuint (stats.applied, ==, 1);
    stored = practice_tables (f);
    apply_one (f, repo, only_turn_results (bad_results[4], later), &stats);
    g_assert_cmpuint (stats.skipped, ==, 1);
    after = practice_tables (f);
    g_assert_cmpstr (after, ==, stored);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-model/validation", test_validation);
  g_test_add_func ("/sync-model/variant", test_variant_round_trip);
  g_test_add_func ("/sync-model/hostile-pages", test_hostile_pages);
  g_test_add ("/sync-model/pending", RhFixture, NULL, rh_fixture_setup, test_pending,
              rh_fixture_teardown);
  g_test_add ("/sync-model/mark-pushed", RhFixture, NULL, rh_fixture_setup, test_mark_pushed,
              rh_fixture_teardown);
  g_test_add ("/sync-model/state", RhFixture, NULL, rh_fixture_setup, test_state,
              rh_fixture_teardown);
  g_test_add ("/sync-model/tie", RhFixture, NULL, rh_fixture_setup, test_tie,
              rh_fixture_teardown);
  g_test_add ("/sync-model/out-of-order", RhFixture, NULL, rh_fixture_setup, test_out_of_order,
              rh_fixture_teardown);
  g_test_add ("/sync-model/clock", RhFixture, NULL, rh_fixture_setup, test_clock,
              rh_fixture_teardown);
  g_test_add ("/sync-model/unusable", RhFixture, NULL, rh_fixture_setup, test_unusable,
              rh_fixture_teardown);
  g_test_add ("/sync-model/fields", Devices, NULL, devices_setup, test_fields,
              devices_teardown);
  g_test_add ("/sync-model/delete-vs-edit", Devices, NULL, devices_setup, test_delete_vs_edit,
              devices_teardown);
  g_test_add ("/sync-model/reviews-union", Devices, NULL, devices_setup, test_reviews_union,
              devices_teardown);
  g_test_add ("/sync-model/deck-names", Devices, NULL, devices_setup, test_deck_names,
              devices_teardown);
  g_test_add ("/sync-model/deck-comes-back", Devices, NULL, devices_setup, test_deck_comes_back,
              devices_teardown);
  g_test_add ("/sync-model/deck-revive", Devices, NULL, devices_setup, test_deck_revive,
              devices_teardown);
  g_test_add ("/sync-model/sessions-scenarios", Devices, NULL, devices_setup,
              test_sessions_scenarios, devices_teardown);
  g_test_add ("/sync-model/practice-pending", RhFixture, NULL, rh_fixture_setup,
              test_practice_pending, rh_fixture_teardown);
  g_test_add ("/sync-model/practice-merge", RhFixture, NULL, rh_fixture_setup,
              test_practice_merge, rh_fixture_teardown);
  g_test_add ("/sync-model/practice-malformed", RhFixture, NULL, rh_fixture_setup,
              test_practice_malformed, rh_fixture_teardown);

  return g_test_run ();
}
