// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "rh-csv-reader.h"
#include "rh-domain-error.h"
#include "rh-import-data.h"
#include "rh-test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add (path, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

static RhImportData *
parse_csv (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  RhCsvOptions options;
  RhImportData *data;

  rh_csv_options_init (&options);
  data = rh_csv_read_bytes (bytes, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return data;
}

static guint
count_all (RhFixture *f)
{
  RhCardQuery q = { 0 };
  guint n = 0;

  g_assert_true (rh_collection_count_cards (f->collection, &q, &n, NULL));
  return n;
}

static void
test_csv_import_and_duplicates (RhFixture     *f,
                                gconstpointer  data)
{
  g_autoptr(RhImportData) first = parse_csv ("front,back,tags,deck\n"
                                             "hola,hello,greet,Spanish\n"
                                             "adiós,goodbye,greet,Spanish\n"
                                             "\"uno, dos\",\"one, two\",,Spanish\n"
                                             "HOLA,hi again,,Spanish\n"
                                             "bonjour,hello,,French\n");
  g_autoptr(RhImportData) second = parse_csv ("front,back\nhola,hello\nnuevo,new\n");
  g_autoptr(GError) error = NULL;
  RhImportResult result;
  g_autoptr(RhDeck) spanish = NULL;

  g_assert_true (rh_collection_import (f->collection, first, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 4);
  /* "HOLA" is "hola" in the same deck */
  g_assert_cmpuint (result.duplicates, ==, 1);
  g_assert_cmpuint (result.decks_created, ==, 2);

  /* the second file goes into Spanish: hola is already there */
  g_assert_true (rh_collection_import (f->collection, second, "spanish", &result, NULL, &error));
  g_assert_cmpuint (result.added, ==, 1);
  g_assert_cmpuint (result.duplicates, ==, 1);
  g_assert_cmpuint (result.decks_created, ==, 0);

  spanish = rh_collection_find_deck (f->collection, "Spanish", &error);
  g_assert_no_error (error);
  {
    RhCardQuery q = { .deck_id = rh_deck_get_id (spanish), .text = "one two" };
    guint n = 0;
    g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
    g_assert_cmpuint (n, ==, 1);
  }
  g_assert_cmpuint (count_all (f), ==, 5);
}

static void
test_failed_import_changes_nothing (RhFixture     *f,
                                    gconstpointer  data)
{
  g_autoptr(RhImportData) good = parse_csv ("front,back\nexisting,card\n");
  g_autoptr(RhImportData) bad = rh_import_data_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  RhImportResult result;

  g_assert_true (rh_collection_import (f->collection, good, "Deck", &result, NULL, &error));
  before = rh_fixture_checksum (f);

  /* 500 good cards in a new deck, then one with an empty back */
  for (guint i = 0; i < 501; i++)
    {
      RhImportCard *c = rh_import_card_new ();
      c->front = g_strdup_printf ("front %u", i);
      c->back = g_strdup (i == 500 ? "   " : "back");
      c->deck_name = g_strdup ("New deck");
      c->source_line = i + 2;
      if (i == 499)
        {
          /* tags other programs allow and we do not are dropped, not fatal */
          g_strfreev (c->tags);
          c->tags = g_new0 (char *, 3);
          c->tags[0] = g_strdup ("bad\x01tag");
          c->tags[1] = g_strdup ("fine");
        }
      g_ptr_array_add (bad->cards, c);
    }

  g_assert_false (rh_collection_import (f->collection, bad, "Deck", &result, NULL, &error));
  g_assert_nonnull (error);
  /* the message says where */
  g_assert_nonnull (strstr (error->message, "502"));
  after = rh_fixture_checksum (f);
  g_assert_cmpstr (before, ==, after);
  {
    g_autoptr(GError) not_found = NULL;
    g_autoptr(RhDeck) deck = rh_collection_find_deck (f->collection, "New deck", &not_found);
    g_assert_null (deck);
  }
}

static void
test_cancelled_import_changes_nothing (RhFixture     *f,
                                       gconstpointer  data)
{
  g_autoptr(RhImportData) d = parse_csv ("front,back\na,b\nc,d\n");
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RhImportResult result;

  g_cancellable_cancel (cancel);
  g_assert_false (rh_collection_import (f->collection, d, "Deck", &result, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_all (f), ==, 0);
}

typedef struct
{
  guint  calls;
  double last;
} Shares;

static void
share_cb (double   fraction,
          gpointer user_data)
{
  Shares *shares = user_data;

  /* how far the import is: between 0 and 1, and never back */
  g_assert_cmpfloat (fraction, >=, shares->calls > 0 ? shares->last : 0);
  g_assert_cmpfloat (fraction, <=, 1);
  shares->last = fraction;
  shares->calls++;
}

static void
test_import_progress (RhFixture     *f,
                      gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("front,back\n");
  g_autoptr(RhImportData) d = NULL;
  g_autoptr(GError) error = NULL;
  RhImportResult result;
  Shares shares = { 0 };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (csv, "word %u,meaning %u\n", i, i);
  d = parse_csv (csv->str);
  g_assert_true (rh_collection_import_full (f->collection, d, "Deck", share_cb, &shares, &result,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 5000);
  /* a few times along the way, and at the end all */
  g_assert_cmpuint (shares.calls, >=, 5);
  g_assert_cmpfloat (shares.last, ==, 1.0);
}

static void
test_import_reviews_carry_scheduling (RhFixture     *f,
                                      gconstpointer  data)
{
  g_autoptr(RhImportData) d = rh_import_data_new ();
  RhImportCard *c = rh_import_card_new ();
  RhImportReview reviews[] = {
    { f->now - 30 * RH_USEC_PER_DAY, 3, 4000 },
    { f->now - 27 * RH_USEC_PER_DAY, 3, 3000 },
    { f->now - 10 * RH_USEC_PER_DAY, 4, 2000 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  RhImportResult result;
  RhCardQuery q = { 0 };
  RhCardState rebuilt;
  RhFlashcard *card;

  c->front = g_strdup ("imported");
  c->back = g_strdup ("with history");
  c->created_us = f->now - 31 * RH_USEC_PER_DAY;
  g_array_append_vals (c->reviews, reviews, G_N_ELEMENTS (reviews));
  g_ptr_array_add (d->cards, c);

  g_assert_true (rh_collection_import (f->collection, d, "Deck", &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.reviews, ==, 3);

  cards = rh_collection_search_cards (f->collection, &q, 0, 10, &error);
  card = cards->pdata[0];
  g_assert_cmpint (rh_flashcard_get_state (card)->state, ==, RH_CARD_STATE_REVIEW);
  g_assert_cmpint (rh_flashcard_get_state (card)->reps, ==, 3);
  g_assert_cmpint (rh_flashcard_get_state (card)->last_review_us, ==, reviews[2].time_us);

  /* what import stored is what a replay of the reviews gives */
  g_assert_true (rh_collection_rebuild_card (f->collection, rh_flashcard_get_id (card), &rebuilt,
                                             &error));
  g_assert_true (rh_card_state_equal (&rebuilt, rh_flashcard_get_state (card)));
}

static void
test_export_csv_roundtrip (RhFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(RhImportData) d = parse_csv ("front,back,notes,example,tags,deck\n"
                                         "\"line\nbreak\",\"quote \"\"x\"\"\",n,e,\"a b\",One\n"
                                         "plain,text,,,,Two\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RhImportData) back = NULL;
  RhImportResult result;
  RhCsvOptions options;

  g_assert_true (rh_collection_import (f->collection, d, NULL, &result, NULL, &error));
  g_assert_true (rh_collection_export_csv (f->collection, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  rh_csv_options_init (&options);
  back = rh_csv_read_bytes (bytes, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->cards->len, ==, 2);
  {
    RhImportCard *c0 = back->cards->pdata[0];
    g_assert_cmpstr (c0->front, ==, "line\nbreak");
    g_assert_cmpstr (c0->back, ==, "quote \"x\"");
    g_assert_cmpstr (c0->notes, ==, "n");
    g_assert_cmpstr (c0->example, ==, "e");
    g_assert_cmpstr (c0->deck_name, ==, "One");
    g_assert_cmpstr (c0->tags[0], ==, "a");
    g_assert_cmpstr (c0->tags[1], ==, "b");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  FIXTURE_TEST ("/import/csv-and-duplicates", test_csv_import_and_duplicates);
  FIXTURE_TEST ("/import/failure-changes-nothing", test_failed_import_changes_nothing);
  FIXTURE_TEST ("/import/cancel-changes-nothing", test_cancelled_import_changes_nothing);
  FIXTURE_TEST ("/import/progress", test_import_progress);
  FIXTURE_TEST ("/import/reviews-carry-scheduling", test_import_reviews_carry_scheduling);
  FIXTURE_TEST ("/import/export-csv-roundtrip", test_export_csv_roundtrip);

  return g_test_run ();
}
