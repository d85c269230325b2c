// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scoring"

#include "config.h"

#include <string.h>

#include "rh-answer-scoring.h"

/* Long answers are scored on their beginning: the alignment is quadratic
 * and nobody answers a turn with a thousand words. */
#define MAX_TOKENS 400

#define WEIGHT_SIMILARITY 0.7
#define WEIGHT_COVERAGE   0.3

static const struct
{
  const char *from;
  const char *to;
} contractions[] = {
  /* whole words first: their parts are not regular */
  { "won't", "will not" }, { "can't", "can not" }, { "cannot", "can not" },
  { "shan't", "shall not" }, { "ain't", "is not" }, { "let's", "let us" },
  { "i'm", "i am" }, { "it's", "it is" }, { "that's", "that is" }, { "what's", "what is" },
  { "there's", "there is" }, { "here's", "here is" }, { "he's", "he is" },
  { "she's", "she is" }, { "where's", "where is" }, { "who's", "who is" },
  { "how's", "how is" }, { "y'all", "you all" }, { "gonna", "going to" },
  { "wanna", "want to" }, { "gotta", "got to" },
};

static const struct
{
  const char *suffix;
  const char *to;
} suffixes[] = {
  { "n't", " not" }, { "'re", " are" }, { "'ve", " have" }, { "'ll", " will" },
  { "'d", " would" }, { "'m", " am" },
};

static gboolean
is_cjk (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
         script == G_UNICODE_SCRIPT_KATAKANA || script == G_UNICODE_SCRIPT_THAI;
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == '`';
}

/* Keeps letters, marks and digits; apostrophes stay only inside words so
 * contractions can be expanded; everything else separates words. Scripts
 * written without spaces get one token per character. */
static char *
simplify (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_autofree char *folded = NULL;
  GString *out;
  const char *p;
  gunichar prev = ' ';

  if (nfc == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (nfc, -1);
  out = g_string_sized_new (strlen (folded));

  for (p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar next = g_utf8_get_char (g_utf8_next_char (p));

      if (is_apostrophe (c))
        {
          if (g_unichar_isalnum (prev) && g_unichar_isalpha (next))
            g_string_append_c (out, '\'');
          else
            g_string_append_c (out, ' ');
          prev = '\'';
          continue;
        }
      if (is_cjk (c))
        {
          g_string_append_c (out, ' ');
          g_string_append_unichar (out, c);
          g_string_append_c (out, ' ');
        }
      else if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        g_string_append_unichar (out, c);
      else
        g_string_append_c (out, ' ');
      prev = c;
    }

  return g_string_free (out, FALSE);
}

static void
expand_word (GString    *out,
             const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (contractions); i++)
    if (strcmp (word, contractions[i].from) == 0)
      {
        g_string_append (out, contractions[i].to);
        return;
      }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (word, suffixes[i].suffix) && strlen (word) > strlen (suffixes[i].suffix))
      {
        g_string_append_len (out, word, strlen (word) - strlen (suffixes[i].suffix));
        g_string_append (out, suffixes[i].to);
        return;
      }

  /* a possessive or anything else: drop the apostrophe */
  for (const char *p = word; *p; p++)
    if (*p != '\'')
      g_string_append_c (out, *p);
}

/**
 * rh_answer_normalize:
 *
 * What answers are compared on: NFC, case-folded, contractions expanded
 * ("don't" is "do not"), punctuation and extra whitespace gone.
 *
 * Returns: (transfer full): the words separated by single spaces
 */
char *
rh_answer_normalize (const char *text)
{
  g_autofree char *simple = NULL;
  g_auto(GStrv) words = NULL;
  GString *out = g_string_new (NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_string_free (out, FALSE);

  simple = simplify (text);
  words = g_strsplit_set (simple, " ", -1);
  for (guint i = 0; words[i]; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      expand_word (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * rh_answer_tokenize:
 *
 * Returns: (transfer full): the normalised words
 */
char **
rh_answer_tokenize (const char *text)
{
  g_autofree char *norm = rh_answer_normalize (text);
  g_auto(GStrv) parts = g_strsplit (norm, " ", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; parts[i] && n < MAX_TOKENS; i++)
    if (*parts[i])
      {
        g_strv_builder_add (b, parts[i]);
        n++;
      }
  return g_strv_builder_end (b);
}

/* A typo in a longer word still counts: one edit (a swap of two letters
 * is one edit) in words of 4 or more characters, two in words of 8 or
 * more. */
static gboolean
words_match (const char *a,
             const char *b)
{
  glong la, lb, limit;
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  int d[65][65];

  if (strcmp (a, b) == 0)
    return TRUE;

  ua = g_utf8_to_ucs4_fast (a, -1, &la);
  ub = g_utf8_to_ucs4_fast (b, -1, &lb);
  limit = MIN (la, lb) >= 8 ? 2 : MIN (la, lb) >= 4 ? 1 : 0;
  if (limit == 0 || ABS (la - lb) > limit || la > 64 || lb > 64)
    return FALSE;

  for (glong i = 0; i <= la; i++)
    d[i][0] = i;
  for (glong j = 0; j <= lb; j++)
    d[0][j] = j;
  for (glong i = 1; i <= la; i++)
    for (glong j = 1; j <= lb; j++)
      {
        int cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
        d[i][j] = MIN (MIN (d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1])
          d[i][j] = MIN (d[i][j], d[i - 2][j - 2] + 1);
      }
  return d[la][lb] <= limit;
}

/* The longest common subsequence of words, marking which words of @b
 * took part, so word order counts but a missing or extra word costs only
 * itself. */
static guint
align (char * const *a,
       guint         na,
       char * const *b,
       guint         nb,
       gboolean     *b_used)
{
  g_autofree guint *table = g_new0 (guint, (gsize) (na + 1) * (nb + 1));
  guint i, j;

#define T(x, y) table[(gsize) (x) * (nb + 1) + (y)]
  for (i = 1; i <= na; i++)
    for (j = 1; j <= nb; j++)
      T (i, j) = words_match (a[i - 1], b[j - 1]) ? T (i - 1, j - 1) + 1
                                                  : MAX (T (i - 1, j), T (i, j - 1));

  if (b_used)
    {
      memset (b_used, 0, sizeof (gboolean) * nb);
      for (i = na, j = nb; i > 0 && j > 0;)
        {
          if (words_match (a[i - 1], b[j - 1]) && T (i, j) == T (i - 1, j - 1) + 1)
            {
              b_used[j - 1] = TRUE;
              i--;
              j--;
            }
          else if (T (i - 1, j) >= T (i, j - 1))
            i--;
          else
            j--;
        }
    }
  return T (na, nb);
#undef T
}

static gboolean
has_phrase (char * const *answer,
            guint         n,
            char * const *phrase,
            guint         m)
{
  if (m == 0)
    return TRUE;
  for (guint i = 0; i + m <= n; i++)
    {
      guint k = 0;
      while (k < m && words_match (answer[i + k], phrase[k]))
        k++;
      if (k == m)
        return TRUE;
    }
  return FALSE;
}

/**
 * rh_answer_score:
 * @answer: what the learner typed
 * @accepted: the accepted answers
 * @key_phrases: (nullable): phrases a good answer uses
 *
 * Scores an answer: a word-level similarity to the closest accepted
 * answer (F1 of the common word sequence, typo-tolerant) and the share of
 * key phrases used. Never fails: empty or strange input scores 0.
 *
 * Returns: (transfer full): the feedback
 */
RhAnswerFeedback *
rh_answer_score (const char          *answer,
                 const char * const  *accepted,
                 const char * const  *key_phrases)
{
  RhAnswerFeedback *fb = g_new0 (RhAnswerFeedback, 1);
  g_auto(GStrv) tokens = rh_answer_tokenize (answer);
  guint n = g_strv_length (tokens);
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) matched_words = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) missing_words = g_strv_builder_new ();
  guint n_phrases = 0, n_found = 0;
  double best = -1.0;

  fb->closest_index = -1;

  for (guint i = 0; accepted && accepted[i]; i++)
    {
      g_auto(GStrv) acc = rh_answer_tokenize (accepted[i]);
      guint m = g_strv_length (acc);
      guint common;
      double precision, recall, f1;

      if (m == 0)
        continue;
      common = n > 0 ? align (tokens, n, acc, m, NULL) : 0;
      precision = n > 0 ? (double) common / n : 0.0;
      recall = (double) common / m;
      f1 = common > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
      if (f1 > best)
        {
          best = f1;
          fb->closest_index = (int) i;
        }
    }

  if (fb->closest_index >= 0)
    {
      g_auto(GStrv) acc = rh_answer_tokenize (accepted[fb->closest_index]);
      guint m = g_strv_length (acc);
      g_autofree gboolean *used = g_new0 (gboolean, MAX (m, 1));

      fb->closest = g_strdup (accepted[fb->closest_index]);
      if (n > 0)
        align (tokens, n, acc, m, used);
      for (guint j = 0; j < m; j++)
        g_strv_builder_add (used[j] ? matched_words : missing_words, acc[j]);
      fb->similarity = best;
    }

  for (guint i = 0; key_phrases && key_phrases[i]; i++)
    {
      g_auto(GStrv) phrase = rh_answer_tokenize (key_phrases[i]);
      guint m = g_strv_length (phrase);

      if (m == 0)
        continue;
      n_phrases++;
      if (has_phrase (tokens, n, phrase, m))
        {
          n_found++;
          g_strv_builder_add (found, key_phrases[i]);
        }
      else
        g_strv_builder_add (missing, key_phrases[i]);
    }

  fb->coverage = n_phrases > 0 ? (double) n_found / n_phrases : 1.0;
  if (n == 0)
    fb->coverage = 0.0;

  if (n == 0 || fb->closest_index < 0)
    fb->score = 0;
  else if (fb->similarity >= 1.0 && fb->coverage >= 1.0)
    fb->score = 100;
  else
    fb->score = (int) (100.0 * (WEIGHT_SIMILARITY * fb->similarity +
                                WEIGHT_COVERAGE * fb->coverage) + 0.5);
  fb->score = CLAMP (fb->score, 0, 100);
  fb->verdict = fb->score >= RH_ANSWER_RIGHT_SCORE ? RH_ANSWER_RIGHT
              : fb->score >= RH_ANSWER_CLOSE_SCORE ? RH_ANSWER_CLOSE
              : RH_ANSWER_WRONG;

  fb->found_phrases = g_strv_builder_end (found);
  fb->missing_phrases = g_strv_builder_end (missing);
  fb->matched_words = g_strv_builder_end (matched_words);
  fb->missing_words = g_strv_builder_end (missing_words);
  return fb;
}

void
rh_answer_feedback_free (RhAnswerFeedback *fb)
{
  if (fb == NULL)
    return;
  g_free (fb->closest);
  g_strfreev (fb->matched_words);
  g_strfreev (fb->missing_words);
  g_strfreev (fb->found_phrases);
  g_strfreev (fb->missing_phrases);
  g_free (fb);
}
