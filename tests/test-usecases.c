// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "rh-domain-error.h"
#include "rh-test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add (path, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

static void
test_deck_create_rename (RhFixture     *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) spanish = rh_fixture_deck (f, "Spanish");
  g_autoptr(RhDeck) dup = NULL;
  g_autoptr(RhDeck) french = rh_fixture_deck (f, "French");
  g_autoptr(GPtrArray) decks = NULL;

  dup = rh_collection_create_deck (f->collection, "  SPANISH ", &error);
  g_assert_null (dup);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_clear_error (&error);

  dup = rh_collection_create_deck (f->collection, "", &error);
  g_assert_null (dup);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (rh_collection_rename_deck (f->collection, rh_deck_get_id (french), "spanish",
                                             &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* renaming to another case of its own name is fine */
  g_assert_true (rh_collection_rename_deck (f->collection, rh_deck_get_id (spanish), "SPANISH",
                                            &error));
  g_assert_no_error (error);

  g_assert_false (rh_collection_rename_deck (f->collection,
                                             "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "X",
                                             &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  decks = rh_collection_list_decks (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decks->len, ==, 2);
  g_assert_cmpstr (rh_deck_get_name (((RhDeckSummary *) decks->pdata[0])->deck), ==, "French");
  g_assert_cmpstr (rh_deck_get_name (((RhDeckSummary *) decks->pdata[1])->deck), ==, "SPANISH");
}

static void
test_deck_delete_choices (RhFixture     *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) a = rh_fixture_deck (f, "A");
  g_autoptr(RhDeck) b = rh_fixture_deck (f, "B");
  g_autoptr(RhDeck) c = rh_fixture_deck (f, "C");
  g_autoptr(GPtrArray) decks = NULL;
  RhCardQuery qb = { .deck_id = rh_deck_get_id (b) };
  RhCardQuery all = { 0 };
  guint n = 0;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *front = g_strdup_printf ("a%d", i);
      g_autoptr(RhFlashcard) card = rh_fixture_card (f, a, front, "x");
    }
  {
    g_autoptr(RhFlashcard) card = rh_fixture_card (f, c, "c0", "x");
  }

  /* a deck with cards is not deleted without a choice */
  g_assert_false (rh_collection_delete_deck (f->collection, rh_deck_get_id (a),
                                             RH_DECK_DELETE_ONLY_IF_EMPTY, NULL, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_EMPTY);
  g_assert_nonnull (strstr (error->message, "3 cards"));
  g_clear_error (&error);

  /* moving into itself is refused and changes nothing */
  g_assert_false (rh_collection_delete_deck (f->collection, rh_deck_get_id (a),
                                             RH_DECK_DELETE_MOVE_CARDS, rh_deck_get_id (a),
                                             &error));
  g_clear_error (&error);

  g_assert_true (rh_collection_delete_deck (f->collection, rh_deck_get_id (a),
                                            RH_DECK_DELETE_MOVE_CARDS, rh_deck_get_id (b), &error));
  g_assert_no_error (error);
  g_assert_true (rh_collection_count_cards (f->collection, &qb, &n, &error));
  g_assert_cmpuint (n, ==, 3);

  g_assert_true (rh_collection_delete_deck (f->collection, rh_deck_get_id (c),
                                            RH_DECK_DELETE_WITH_CARDS, NULL, &error));
  g_assert_true (rh_collection_count_cards (f->collection, &all, &n, &error));
  g_assert_cmpuint (n, ==, 3);

  decks = rh_collection_list_decks (f->collection, &error);
  g_assert_cmpuint (decks->len, ==, 1);
  g_assert_cmpuint (((RhDeckSummary *) decks->pdata[0])->counts.total, ==, 3);
  g_assert_cmpuint (((RhDeckSummary *) decks->pdata[0])->counts.new_cards, ==, 3);

  /* the name of a deleted deck can be used again */
  {
    g_autoptr(RhDeck) again = rh_fixture_deck (f, "A");
    g_assert_nonnull (again);
  }
}

static void
test_cards_add_edit_move_delete (RhFixture     *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) a = rh_fixture_deck (f, "A");
  g_autoptr(RhDeck) b = rh_fixture_deck (f, "B");
  g_autoptr(RhFlashcard) card = rh_fixture_card (f, a, "la casa", "the house");
  g_autoptr(RhFlashcard) edited = NULL;
  g_autoptr(RhFlashcard) bad = NULL;
  g_autoptr(RhFlashcard) stored = NULL;
  const char *tags[] = { "Nouns", "home", NULL };
  RhCardDraft draft = { .back = "the home", .notes = "feminine", .tags = tags };
  RhCardDraft empty_front = { .front = "  " };
  RhCardDraft missing_deck = { .deck_id = "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f", .front = "x",
                               .back = "y" };
  const char *ids[2] = { rh_flashcard_get_id (card), NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  edited = rh_collection_edit_card (f->collection, rh_flashcard_get_id (card), &draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_front (edited), ==, "la casa");
  g_assert_cmpstr (rh_flashcard_get_back (edited), ==, "the home");
  g_assert_cmpstr (rh_flashcard_get_tags (edited)[0], ==, "home");
  g_assert_cmpstr (rh_flashcard_get_tags (edited)[1], ==, "nouns");

  before = rh_fixture_checksum (f);
  bad = rh_collection_edit_card (f->collection, rh_flashcard_get_id (card), &empty_front, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);
  bad = rh_collection_add_card (f->collection, &missing_deck, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = rh_fixture_checksum (f);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (rh_collection_move_cards (f->collection, ids, rh_deck_get_id (b), &error));
  stored = rh_collection_get_card (f->collection, ids[0], &error);
  g_assert_cmpstr (rh_flashcard_get_deck_id (stored), ==, rh_deck_get_id (b));
  g_assert_cmpstr (rh_flashcard_get_notes (stored), ==, "feminine");

  g_assert_true (rh_collection_delete_cards (f->collection, ids, &error));
  g_clear_object (&stored);
  stored = rh_collection_get_card (f->collection, ids[0], &error);
  g_assert_null (stored);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
}

static void
test_cards_all_or_nothing (RhFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) a = rh_fixture_deck (f, "A");
  g_autoptr(RhDeck) b = rh_fixture_deck (f, "B");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, a, "one", "1");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, a, "two", "2");
  const char *ids[] = { rh_flashcard_get_id (c1), "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
                        rh_flashcard_get_id (c2), NULL };
  g_autofree char *before = rh_fixture_checksum (f);
  g_autofree char *after_move = NULL;
  g_autofree char *after_delete = NULL;

  /* one missing card: nothing moves, nothing is deleted */
  g_assert_false (rh_collection_move_cards (f->collection, ids, rh_deck_get_id (b), &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after_move = rh_fixture_checksum (f);
  g_assert_cmpstr (before, ==, after_move);

  g_assert_false (rh_collection_delete_cards (f->collection, ids, &error));
  g_clear_error (&error);
  after_delete = rh_fixture_checksum (f);
  g_assert_cmpstr (before, ==, after_delete);
}

static void
test_search (RhFixture     *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) a = rh_fixture_deck (f, "A");
  g_autoptr(RhDeck) b = rh_fixture_deck (f, "B");
  g_autoptr(RhFlashcard) c1 = rh_fixture_card (f, a, "el perro", "the dog");
  g_autoptr(RhFlashcard) c2 = rh_fixture_card (f, a, "el gato", "the cat");
  g_autoptr(RhFlashcard) c3 = rh_fixture_card (f, b, "la perra", "the female dog");
  g_autoptr(GPtrArray) hits = NULL;
  RhCardQuery q = { .text = "perr", .sort = RH_CARD_SORT_FRONT };
  guint n = 0;

  hits = rh_collection_search_cards (f->collection, &q, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (rh_flashcard_get_front (hits->pdata[0]), ==, "el perro");

  q.deck_id = rh_deck_get_id (b);
  g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
  g_assert_cmpuint (n, ==, 1);

  /* all words must match; FTS syntax in the learner's text is plain text */
  q.deck_id = NULL;
  q.text = "the dog";
  g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  q.text = "\"dog\" OR NEAR( *";
  g_assert_true (rh_collection_count_cards (f->collection, &q, &n, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  FIXTURE_TEST ("/usecases/deck/create-rename", test_deck_create_rename);
  FIXTURE_TEST ("/usecases/deck/delete-choices", test_deck_delete_choices);
  FIXTURE_TEST ("/usecases/cards/add-edit-move-delete", test_cards_add_edit_move_delete);
  FIXTURE_TEST ("/usecases/cards/all-or-nothing", test_cards_all_or_nothing);
  FIXTURE_TEST ("/usecases/cards/search", test_search);

  return g_test_run ();
}
