// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "rh-answer-scoring.h"

static const char *accepted[] = {
  "I have a reservation under the name Garcia.",
  "I booked a room under Garcia.",
  NULL,
};
static const char *phrases[] = { "reservation", "under the name", NULL };

static void
test_normalize (void)
{
  struct { const char *in, *out; } cases[] = {
    { "  Hello,   WORLD!! ", "hello world" },
    { "I don't know", "i do not know" },
    { "I don\xe2\x80\x99t know", "i do not know" },          /* curly apostrophe */
    { "We're here; they'll come", "we are here they will come" },
    { "Can't won't", "can not will not" },
    { "cafe\xcc\x81", "caf\xc3\xa9" },                          /* NFD becomes NFC */
    { "STRASSE Stra\xc3\x9f" "e", "strasse strasse" },           /* case folding */
    { "'quoted'", "quoted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *n = rh_answer_normalize (cases[i].in);
      g_assert_cmpstr (n, ==, cases[i].out);
    }
}

static void
test_exact (void)
{
  g_autoptr(RhAnswerFeedback) fb = rh_answer_score ("i have a RESERVATION under the name garcia",
                                                    accepted, phrases);

  g_assert_cmpint (fb->score, ==, 100);
  g_assert_cmpint (fb->verdict, ==, RH_ANSWER_RIGHT);
  g_assert_cmpint (fb->closest_index, ==, 0);
  g_assert_cmpuint (g_strv_length (fb->missing_words), ==, 0);
  g_assert_cmpuint (g_strv_length (fb->missing_phrases), ==, 0);
}

static void
test_contraction_and_typo (void)
{
  const char *acc[] = { "I would like a single room, please.", NULL };
  g_autoptr(RhAnswerFeedback) fb = rh_answer_score ("I'd like a singel room please", acc, NULL);

  g_assert_cmpint (fb->score, ==, 100);
}

static void
test_paraphrase (void)
{
  g_autoptr(RhAnswerFeedback) fb = rh_answer_score ("I have a booking under the name Garcia",
                                                    accepted, phrases);

  /* close, not right: the key word "reservation" is missing */
  g_assert_cmpint (fb->verdict, ==, RH_ANSWER_CLOSE);
  g_assert_cmpint (fb->score, <, RH_ANSWER_RIGHT_SCORE);
  g_assert_cmpint (fb->score, >=, RH_ANSWER_CLOSE_SCORE);
  g_assert_cmpstr (fb->closest, ==, accepted[0]);
  g_assert_cmpuint (g_strv_length (fb->missing_words), ==, 1);
  g_assert_cmpstr (fb->missing_words[0], ==, "reservation");
  g_assert_cmpuint (g_strv_length (fb->missing_phrases), ==, 1);
  g_assert_cmpstr (fb->missing_phrases[0], ==, "reservation");
  g_assert_cmpstr (fb->found_phrases[0], ==, "under the name");
}

static void
test_missing_key_phrase_costs (void)
{
  g_autoptr(RhAnswerFeedback) with = rh_answer_score ("I booked a room under the name Garcia",
                                                      accepted, phrases);
  g_autoptr(RhAnswerFeedback) without = rh_answer_score ("I booked a room under Garcia",
                                                         accepted, phrases);

  /* the second matches accepted[1] exactly but uses no key phrase */
  g_assert_cmpint (without->closest_index, ==, 1);
  g_assert_cmpfloat (without->similarity, ==, 1.0);
  g_assert_cmpfloat (without->coverage, ==, 0.0);
  g_assert_cmpint (without->score, ==, 70);
  g_assert_cmpint (with->score, >, without->score);
}

static void
test_empty_and_wrong (void)
{
  const char *inputs[] = { "", "   ", "?!...", NULL };

  for (guint i = 0; inputs[i]; i++)
    {
      g_autoptr(RhAnswerFeedback) fb = rh_answer_score (inputs[i], accepted, phrases);
      g_assert_cmpint (fb->score, ==, 0);
      g_assert_cmpint (fb->verdict, ==, RH_ANSWER_WRONG);
      g_assert_nonnull (fb->closest);
      g_assert_cmpuint (g_strv_length (fb->missing_words), >, 0);
    }
  {
    g_autoptr(RhAnswerFeedback) fb = rh_answer_score ("bananas are yellow", accepted, phrases);
    g_assert_cmpint (fb->verdict, ==, RH_ANSWER_WRONG);
  }
  {
    g_autoptr(RhAnswerFeedback) fb = rh_answer_score (NULL, NULL, NULL);
    g_assert_cmpint (fb->score, ==, 0);
    g_assert_null (fb->closest);
  }
  {
    g_autoptr(RhAnswerFeedback) fb = rh_answer_score ("bad \xff utf8", accepted, phrases);
    g_assert_cmpint (fb->score, ==, 0);
  }
}

static void
test_huge_input (void)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(RhAnswerFeedback) fb = NULL;
  gint64 start;

  while (big->len < 10 * 1024)
    g_string_append (big, "I have a reservation under the name Garcia ");
  start = g_get_monotonic_time ();
  fb = rh_answer_score (big->str, accepted, phrases);
  /* bounded work: a long answer is cut, and scores low for its extra words */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (fb->verdict, ==, RH_ANSWER_WRONG);
  g_assert_cmpfloat (fb->coverage, ==, 1.0);
}

static void
test_mixed_scripts_and_emoji (void)
{
  const char *acc[] = { "Tôi muốn đặt phòng 東京 hotel", NULL };
  g_autoptr(RhAnswerFeedback) same = rh_answer_score ("tôi MUỐN đặt phòng 東京 hotel 😀", acc, NULL);
  g_autoptr(RhAnswerFeedback) partial = rh_answer_score ("tôi muốn 東 hotel", acc, NULL);
  g_autoptr(RhAnswerFeedback) emoji = rh_answer_score ("😀😀👍", acc, NULL);
  g_auto(GStrv) cjk = rh_answer_tokenize ("東京に行きます");

  g_assert_cmpint (same->score, ==, 100);
  g_assert_cmpint (partial->score, >, 0);
  g_assert_cmpint (partial->score, <, 100);
  g_assert_cmpint (emoji->score, ==, 0);
  /* text without spaces is compared character by character */
  g_assert_cmpuint (g_strv_length (cjk), ==, 7);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scoring/normalize", test_normalize);
  g_test_add_func ("/scoring/exact", test_exact);
  g_test_add_func ("/scoring/contraction-and-typo", test_contraction_and_typo);
  g_test_add_func ("/scoring/paraphrase", test_paraphrase);
  g_test_add_func ("/scoring/missing-key-phrase", test_missing_key_phrase_costs);
  g_test_add_func ("/scoring/empty-and-wrong", test_empty_and_wrong);
  g_test_add_func ("/scoring/huge-input", test_huge_input);
  g_test_add_func ("/scoring/mixed-scripts-emoji", test_mixed_scripts_and_emoji);

  return g_test_run ();
}
