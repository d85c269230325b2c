// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <math.h>
#include <string.h>

#include "rh-deck.h"
#include "rh-domain-error.h"
#include "rh-email.h"
#include "rh-flashcard.h"
#include "rh-hlc.h"
#include "rh-id.h"
#include "rh-review.h"
#include "rh-scenario.h"
#include "rh-session.h"
#include "rh-text.h"
#include "rh-time.h"
#include "rh-user.h"

#define DECK_ID "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e0f"
#define CARD_ID "01936f3e-1a2b-7c3d-8e4f-5a6b7c8d9e10"

static void
test_email_valid (void)
{
  struct { const char *in, *out; } cases[] = {
    { "  Ana@Example.COM ", "Ana@example.com" },
    { "a.b+tag@mail.example.org", "a.b+tag@mail.example.org" },
    { "x@ex-ample.io", "x@ex-ample.io" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RhEmail) email = rh_email_new (cases[i].in, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (rh_email_get_address (email), ==, cases[i].out);
    }
}

static void
test_email_invalid (void)
{
  g_autofree char *long_local = g_strnfill (65, 'a');
  g_autofree char *long_local_addr = g_strconcat (long_local, "@example.com", NULL);
  g_autofree char *long_domain = g_strnfill (250, 'b');
  g_autofree char *long_addr = g_strconcat ("a@", long_domain, ".com", NULL);
  const char *cases[] = {
    "", "   ", "no-at-sign.example.com", "two@@example.com", "a@b@example.com",
    "has space@example.com", "a@nodot", "@example.com", "a@.example.com", "a@example..com",
    "a@-example.com", ".a@example.com", "a..b@example.com", "a@exa_mple.com",
    long_local_addr, long_addr,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RhEmail) email = rh_email_new (cases[i], &error);
      g_assert_null (email);
      g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_EMAIL);
      g_assert_nonnull (strstr (error->message, "not a valid e-mail address"));
    }
}

static void
test_user_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhUser) user = rh_user_new ("4f1c2d7e-sub", "Learner@Example.com", &error);
  g_autoptr(RhUser) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rh_email_get_address (rh_user_get_email (user)), ==, "Learner@example.com");
  g_assert_cmpfloat (rh_user_get_desired_retention (user), ==, 0.9);

  g_assert_true (rh_user_set_desired_retention (user, 0.70, &error));
  g_assert_true (rh_user_set_desired_retention (user, 0.99, &error));
  g_assert_false (rh_user_set_desired_retention (user, 0.69, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (rh_user_set_desired_retention (user, 1.0, &error));
  g_clear_error (&error);
  g_assert_false (rh_user_set_desired_retention (user, NAN, &error));
  g_clear_error (&error);
  g_assert_cmpfloat (rh_user_get_desired_retention (user), ==, 0.99);

  g_assert_false (rh_user_set_new_cards_per_day (user, -1, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (rh_user_set_new_cards_per_day (user, 10000, &error));
  g_clear_error (&error);
  g_assert_true (rh_user_set_new_cards_per_day (user, 0, &error));
  g_assert_cmpint (rh_user_get_new_cards_per_day (user), ==, 0);
  g_assert_false (rh_user_set_reviews_per_day (user, -5, &error));
  g_clear_error (&error);

  g_assert_false (rh_user_set_email (user, "broken", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_EMAIL);
  g_clear_error (&error);
  g_assert_cmpstr (rh_email_get_address (rh_user_get_email (user)), ==, "Learner@example.com");

  g_assert_true (rh_user_set_display_name (user, "  Ana  ", &error));
  g_assert_cmpstr (rh_user_get_display_name (user), ==, "Ana");

  bad = rh_user_new ("has space", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
  g_clear_error (&error);
  bad = rh_user_new ("", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
}

static void
test_ids (void)
{
  g_autofree char *a = rh_id_new_at (1700000000000000);
  g_autofree char *b = rh_id_new_at (1700000000001000);
  g_autoptr(GError) error = NULL;

  g_assert_true (rh_id_is_valid (a));
  g_assert_cmpint (strlen (a), ==, 36);
  g_assert_cmpint (a[14], ==, '7');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  /* UUIDv7 sorts by time */
  g_assert_cmpint (strcmp (a, b), <, 0);
  g_assert_false (rh_id_is_valid ("not-an-id"));
  g_assert_false (rh_id_is_valid ("01936F3E-1A2B-7C3D-8E4F-5A6B7C8D9E0F"));
  g_assert_false (rh_id_is_valid (NULL));
  g_assert_false (rh_id_validate ("x", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
}

static void
test_deck_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = rh_deck_new ("  Spanish  ", &error);
  g_autoptr(RhDeck) bad = NULL;
  g_autofree char *long_name = g_strnfill (RH_DECK_MAX_NAME + 1, 'x');
  g_autofree char *key1 = rh_deck_name_key ("Español");
  g_autofree char *key2 = rh_deck_name_key ("ESPAN\xcc\x83OL");

  g_assert_no_error (error);
  g_assert_cmpstr (rh_deck_get_name (deck), ==, "Spanish");
  g_assert_true (rh_id_is_valid (rh_deck_get_id (deck)));

  bad = rh_deck_new ("   ", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);

  bad = rh_deck_new (long_name, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG);
  g_clear_error (&error);

  bad = rh_deck_new ("two\nlines", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  bad = rh_deck_new ("bad\xff utf8", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (rh_deck_set_name (deck, "", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_assert_cmpstr (rh_deck_get_name (deck), ==, "Spanish");

  /* uniqueness is by case-folded, normalised name */
  g_assert_cmpstr (key1, ==, key2);
}

static void
test_flashcard_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhFlashcard) card = rh_flashcard_new (DECK_ID, " hola ", "hello", &error);
  g_autoptr(RhFlashcard) bad = NULL;
  g_autofree char *huge = g_strnfill (RH_FLASHCARD_MAX_SIDE + 1, 'y');
  const char *tags[] = { " Verbs ", "travel", "verbs", "", NULL };
  const char *bad_tags[] = { "two words", NULL };
  g_autofree char *tag_string = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rh_flashcard_get_front (card), ==, "hola");
  g_assert_cmpint (rh_flashcard_get_state (card)->state, ==, RH_CARD_STATE_NEW);

  bad = rh_flashcard_new (DECK_ID, "  \n ", "back", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "front"));
  g_clear_error (&error);

  bad = rh_flashcard_new (DECK_ID, "front", "\t", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "back"));
  g_clear_error (&error);

  bad = rh_flashcard_new (DECK_ID, huge, "back", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG);
  g_clear_error (&error);

  bad = rh_flashcard_new ("not-a-deck", "front", "back", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
  g_clear_error (&error);

  bad = rh_flashcard_new (DECK_ID, "ctrl\x01" "char", "back", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (rh_flashcard_set_tags (card, tags, &error));
  tag_string = rh_flashcard_dup_tags_string (card);
  g_assert_cmpstr (tag_string, ==, "travel verbs");

  g_assert_false (rh_flashcard_set_tags (card, bad_tags, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpstr (rh_flashcard_get_tags (card)[0], ==, "travel");

  /* optional fields: empty means none */
  g_assert_true (rh_flashcard_set_notes (card, "   ", &error));
  g_assert_null (rh_flashcard_get_notes (card));
  g_assert_true (rh_flashcard_set_example (card, " ¿Hola? ", &error));
  g_assert_cmpstr (rh_flashcard_get_example (card), ==, "¿Hola?");

  /* an invalid change leaves the card as it was */
  g_assert_false (rh_flashcard_set_front (card, "", &error));
  g_clear_error (&error);
  g_assert_cmpstr (rh_flashcard_get_front (card), ==, "hola");
}

static void
test_card_state_roundtrip (void)
{
  RhCardState s = {
    .state = RH_CARD_STATE_RELEARNING, .step = 1, .stability = 3.14159265358979,
    .difficulty = 7.123456789012345, .due_us = 1700000000123456, .last_review_us = 1699999999000000,
    .reps = 12, .lapses = 3, .scheduled_days = 42,
  };
  RhCardState back;
  g_autofree char *text = rh_card_state_serialize (&s);
  g_autoptr(GError) error = NULL;

  g_assert_true (rh_card_state_deserialize (text, &back, &error));
  g_assert_true (rh_card_state_equal (&s, &back));
  g_assert_false (rh_card_state_deserialize ("garbage", &back, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
}

static void
test_review_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = rh_review_new (NULL, CARD_ID, RH_RATING_GOOD, 1700000000000000,
                                              4200, &error);
  g_autoptr(RhReview) bad = NULL;
  RhRating r;

  g_assert_no_error (error);
  g_assert_cmpint (rh_review_get_rating (review), ==, RH_RATING_GOOD);

  bad = rh_review_new (NULL, CARD_ID, 0, 1700000000000000, 0, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  bad = rh_review_new (NULL, CARD_ID, 5, 1700000000000000, 0, &error);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = rh_review_new (NULL, CARD_ID, 3, 0, 0, &error);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = rh_review_new (NULL, CARD_ID, 3, 1700000000000000, -1, &error);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = rh_review_new (NULL, "nope", 3, 1700000000000000, 0, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID);
  g_clear_error (&error);

  g_assert_true (rh_rating_parse ("Easy", &r, NULL));
  g_assert_cmpint (r, ==, RH_RATING_EASY);
  g_assert_true (rh_rating_parse ("1", &r, NULL));
  g_assert_cmpint (r, ==, RH_RATING_AGAIN);
  g_assert_false (rh_rating_parse ("perfect", &r, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
}

static void
test_session_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSession) session = rh_session_new (NULL, RH_SESSION_KIND_REVIEW, 1000000, &error);
  g_autoptr(RhSession) bad = NULL;

  g_assert_no_error (error);
  g_assert_true (rh_session_is_open (session));
  rh_session_record (session, RH_RATING_GOOD, 3000);
  rh_session_record (session, RH_RATING_AGAIN, 1000);
  g_assert_cmpuint (rh_session_get_total (session), ==, 2);
  g_assert_cmpint (rh_session_get_time_ms (session), ==, 4000);
  rh_session_unrecord (session, RH_RATING_AGAIN, 1000);
  g_assert_cmpuint (rh_session_get_count (session, RH_RATING_AGAIN), ==, 0);

  g_assert_false (rh_session_end (session, 999999, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_true (rh_session_is_open (session));
  g_assert_true (rh_session_end (session, 2000000, &error));
  g_assert_false (rh_session_is_open (session));

  bad = rh_session_new (NULL, 7, 1000, &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = rh_session_new (NULL, RH_SESSION_KIND_SCENARIO, 0, &error);
  g_assert_null (bad);
  g_clear_error (&error);

  g_assert_false (rh_session_set_scenario (session, CARD_ID, 101, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
}

static void
test_scenario_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) s = rh_scenario_new (NULL, "Checking in at a hotel", "A2", &error);
  g_autoptr(RhScenario) bad = NULL;
  const char *accepted[] = { "I have a reservation", NULL };
  const char *none[] = { NULL };
  RhScenarioTurn *turn;

  g_assert_no_error (error);

  /* no learner turn yet */
  turn = rh_scenario_turn_new (RH_TURN_PARTNER, "Good evening!", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rh_scenario_add_turn (s, turn, &error));
  g_assert_false (rh_scenario_validate (s, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  g_clear_error (&error);

  /* a learner turn needs an accepted answer */
  turn = rh_scenario_turn_new (RH_TURN_LEARNER, "Say you have a booking", none, NULL, NULL, &error);
  g_assert_null (turn);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  g_clear_error (&error);

  turn = rh_scenario_turn_new (RH_TURN_LEARNER, "Say you have a booking", accepted, NULL, NULL,
                               &error);
  g_assert_no_error (error);
  g_assert_true (rh_scenario_add_turn (s, turn, &error));
  g_assert_true (rh_scenario_validate (s, &error));

  g_assert_false (rh_scenario_set_title (s, " ", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);

  bad = rh_scenario_new (NULL, "Title", "D1", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_SCENARIO);
  g_clear_error (&error);
  bad = rh_scenario_new (NULL, "", "B1", &error);
  g_assert_null (bad);
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_EMPTY);
  g_clear_error (&error);

  /* the same scenario, bundle and all, under another (valid) id */
  rh_scenario_set_bundle (s, "hotel-check-in", 3);
  g_assert_null (rh_scenario_copy_with_id (s, "not an id", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autofree char *id = rh_id_new ();
    g_autoptr(RhScenario) copy = rh_scenario_copy_with_id (s, id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rh_scenario_get_id (copy), ==, id);
    g_assert_cmpstr (rh_scenario_get_title (copy), ==, "Checking in at a hotel");
    g_assert_cmpuint (rh_scenario_get_n_turns (copy), ==, rh_scenario_get_n_turns (s));
    g_assert_cmpstr (rh_scenario_get_bundle_key (copy), ==, "hotel-check-in");
    g_assert_cmpint (rh_scenario_get_bundle_version (copy), ==, 3);
  }
}

static void
test_hlc (void)
{
  g_autoptr(RhHlc) a = rh_hlc_new ("device-a");
  g_autoptr(RhHlc) b = rh_hlc_new ("device-b");
  g_autofree char *s1 = rh_hlc_now (a, 1700000000000000);
  g_autofree char *s2 = rh_hlc_now (a, 1700000000000000);
  g_autofree char *s3 = rh_hlc_now (a, 1699000000000000);
  g_autofree char *s4 = NULL;
  g_autofree char *s5 = NULL;
  g_autoptr(GError) error = NULL;

  /* monotonic even when the wall clock stands still or goes back */
  g_assert_cmpint (rh_hlc_compare (s1, s2), <, 0);
  g_assert_cmpint (rh_hlc_compare (s2, s3), <, 0);

  /* after observing a's stamp, b's next stamp is later, whatever b's clock says */
  g_assert_true (rh_hlc_observe (b, s3, &error));
  s4 = rh_hlc_now (b, 1600000000000000);
  g_assert_cmpint (rh_hlc_compare (s3, s4), <, 0);

  /* ties at the same time and counter break by device */
  {
    g_autoptr(RhHlc) c = rh_hlc_new ("device-c");
    g_autoptr(RhHlc) d = rh_hlc_new ("device-d");
    g_autofree char *sc = rh_hlc_now (c, 1700000000000000);
    g_autofree char *sd = rh_hlc_now (d, 1700000000000000);
    g_assert_cmpint (rh_hlc_compare (sc, sd), <, 0);
  }

  g_assert_false (rh_hlc_observe (b, "garbage", &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  s5 = g_strdup ("ffffffffffff-0000-evil");
  g_assert_false (rh_hlc_observe (b, s5, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE);
}

static void
test_time (void)
{
  gint64 t = 0;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_identifier ("+02:00");

  g_assert_true (rh_time_parse_iso8601 ("2024-03-01T10:20:30.250Z", &t, &error));
  text = rh_time_format_iso8601 (t);
  g_assert_cmpstr (text, ==, "2024-03-01T10:20:30.250Z");
  g_assert_true (rh_time_parse_iso8601 ("2024-03-01T12:20:30.250+02:00", &t, &error));
  g_assert_cmpstr (text, ==, "2024-03-01T10:20:30.250Z");
  g_assert_false (rh_time_parse_iso8601 ("yesterday", &t, &error));
  g_assert_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT);

  /* 02:00 UTC on 2 March is still 1 March's study day with a 04:00 rollover */
  g_assert_true (rh_time_parse_iso8601 ("2024-03-02T02:00:00Z", &t, NULL));
  {
    gint64 start = rh_time_day_start (t, 4, utc);
    gint64 expect;
    g_assert_true (rh_time_parse_iso8601 ("2024-03-01T04:00:00Z", &expect, NULL));
    g_assert_cmpint (start, ==, expect);
    /* and at 05:00 UTC it is 2 March's */
    g_assert_true (rh_time_parse_iso8601 ("2024-03-02T05:00:00Z", &t, NULL));
    g_assert_true (rh_time_parse_iso8601 ("2024-03-02T04:00:00Z", &expect, NULL));
    g_assert_cmpint (rh_time_day_start (t, 4, utc), ==, expect);
    /* the rollover is local: 04:00 at +02:00 is 02:00 UTC */
    g_assert_true (rh_time_parse_iso8601 ("2024-03-02T02:30:00Z", &t, NULL));
    g_assert_true (rh_time_parse_iso8601 ("2024-03-02T02:00:00Z", &expect, NULL));
    g_assert_cmpint (rh_time_day_start (t, 4, plus2), ==, expect);
  }
}

static void
test_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nfc = rh_text_clean ("cafe\xcc\x81", "x", 10, TRUE, &error);

  /* composed and decomposed forms are stored the same */
  g_assert_cmpstr (nfc, ==, "caf\xc3\xa9");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain/email/valid", test_email_valid);
  g_test_add_func ("/domain/email/invalid", test_email_invalid);
  g_test_add_func ("/domain/user", test_user_rules);
  g_test_add_func ("/domain/id", test_ids);
  g_test_add_func ("/domain/deck", test_deck_rules);
  g_test_add_func ("/domain/flashcard", test_flashcard_rules);
  g_test_add_func ("/domain/card-state", test_card_state_roundtrip);
  g_test_add_func ("/domain/review", test_review_rules);
  g_test_add_func ("/domain/session", test_session_rules);
  g_test_add_func ("/domain/scenario", test_scenario_rules);
  g_test_add_func ("/domain/hlc", test_hlc);
  g_test_add_func ("/domain/time", test_time);
  g_test_add_func ("/domain/text", test_text);

  return g_test_run ();
}
