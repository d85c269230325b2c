// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-import-readers"

#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <zstd.h>

#include "rh-apkg-reader.h"
#include "rh-csv-reader.h"
#include "rh-html-text.h"
#include "rh-import-data.h"

/* Every fixture is made at run time under a private TMPDIR, which also
 * lets the apkg tests check that the reader leaves no temporary files. */
static char *tmp_root;
static char *fixture_dir;

static RhImportData *
read_csv (const char          *text,
          gssize               length,
          const RhCsvOptions  *options,
          GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);

  return rh_csv_read_bytes (bytes, options, NULL, NULL, NULL, error);
}

static RhImportCard *
card_at (RhImportData *data,
         guint         index)
{
  g_assert_cmpuint (index, <, data->cards->len);
  return g_ptr_array_index (data->cards, index);
}

static void
assert_tags (RhImportCard *card,
             const char   *expected)
{
  g_autofree char *joined = g_strjoinv (" ", card->tags);

  g_assert_cmpstr (joined, ==, expected);
}

static void
assert_error_mentions (GError     *error,
                       const char *text)
{
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, text);
}

/* CSV */

static void
test_csv_empty_quoted_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  /* A quoted empty back is still empty. */
  data = read_csv ("\"a, b\",\"line1\nline2\"\nplain,\"  \",x\n", -1, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD);
  assert_error_mentions (error, "Line 3");
}

static void
test_csv_quoted_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  RhCsvOptions options;
  RhImportCard *card;

  rh_csv_options_init (&options);
  options.col_notes = 2;

  data = read_csv ("\"a, b\",\"line1\nline2\",\"say \"\"hi\"\"\"\n"
                   "  spaced  ,  back  \n",
                   -1, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);

  card = card_at (data, 0);
  g_assert_cmpstr (card->front, ==, "a, b");
  g_assert_cmpstr (card->back, ==, "line1\nline2");
  g_assert_cmpstr (card->notes, ==, "say \"hi\"");
  g_assert_null (card->example);
  g_assert_null (card->deck_name);
  g_assert_nonnull (card->tags);
  g_assert_null (card->tags[0]);
  g_assert_nonnull (card->reviews);
  g_assert_cmpuint (card->reviews->len, ==, 0);
  g_assert_cmpuint (card->source_line, ==, 1);

  card = card_at (data, 1);
  g_assert_cmpstr (card->front, ==, "spaced");
  g_assert_cmpstr (card->back, ==, "back");
  g_assert_null (card->notes);
  /* The quoted newline moves the second record to line 3. */
  g_assert_cmpuint (card->source_line, ==, 3);
  g_assert_cmpuint (data->deck_names->len, ==, 0);
}

static void
test_csv_tsv (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("uno, dos\tone, two\ntres\tthree\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "uno, dos");
  g_assert_cmpstr (card_at (data, 0)->back, ==, "one, two");
  g_assert_cmpstr (card_at (data, 1)->front, ==, "tres");
  g_assert_cmpstr (card_at (data, 1)->back, ==, "three");
}

static void
test_csv_semicolon_guess (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("eins;one, 1\nzwei;two, 2\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "eins");
  g_assert_cmpstr (card_at (data, 0)->back, ==, "one, 1");
}

static void
test_csv_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("\xEF\xBB\xBFhello,world\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 1);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "hello");
  g_assert_cmpstr (card_at (data, 0)->back, ==, "world");
}

static void
test_csv_crlf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("a,b\r\nc,d\r\n\"x\r\ny\",z\r\ne,f", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 4);
  g_assert_cmpstr (card_at (data, 0)->back, ==, "b");
  g_assert_cmpstr (card_at (data, 1)->front, ==, "c");
  g_assert_cmpstr (card_at (data, 2)->front, ==, "x\ny");
  g_assert_cmpstr (card_at (data, 2)->back, ==, "z");
  g_assert_cmpuint (card_at (data, 2)->source_line, ==, 3);
  g_assert_cmpstr (card_at (data, 3)->front, ==, "e");
  g_assert_cmpuint (card_at (data, 3)->source_line, ==, 5);
}

static void
test_csv_blank_and_comment_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("# exported by something\n\n#another: note\na,b\n"
                   "\n , ,\n,,,\n#not a comment,c\n",
                   -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "a");
  g_assert_cmpuint (card_at (data, 0)->source_line, ==, 4);
  g_assert_cmpstr (card_at (data, 1)->front, ==, "#not a comment");
  g_assert_cmpuint (card_at (data, 1)->source_line, ==, 8);
}

static void
test_csv_header_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  RhCsvOptions options;
  RhImportCard *card;

  rh_csv_options_init (&options);
  options.has_header = TRUE;

  data = read_csv ("Deck;Tags;ANSWER;Question;Notes;Example;Other\n"
                   "Spanish::Verbs;Verb, Travel verb;to go;ir;irregular;Voy a casa;zzz\n"
                   "French;;to be;être;;;\n"
                   ";;to have;tener;;;\n",
                   -1, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 3);

  card = card_at (data, 0);
  g_assert_cmpstr (card->front, ==, "ir");
  g_assert_cmpstr (card->back, ==, "to go");
  g_assert_cmpstr (card->notes, ==, "irregular");
  g_assert_cmpstr (card->example, ==, "Voy a casa");
  g_assert_cmpstr (card->deck_name, ==, "Spanish::Verbs");
  assert_tags (card, "verb travel");
  g_assert_cmpuint (card->source_line, ==, 2);

  card = card_at (data, 1);
  g_assert_cmpstr (card->front, ==, "être");
  g_assert_cmpstr (card->deck_name, ==, "French");
  g_assert_null (card->notes);
  assert_tags (card, "");

  g_assert_null (card_at (data, 2)->deck_name);

  g_assert_cmpuint (data->deck_names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (data->deck_names, 0), ==, "Spanish::Verbs");
  g_assert_cmpstr (g_ptr_array_index (data->deck_names, 1), ==, "French");
}

static void
test_csv_header_detected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  /* has_header is FALSE, but a row naming back and front is a header. */
  data = read_csv ("back,front\nb1,f1\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 1);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "f1");
  g_assert_cmpstr (card_at (data, 0)->back, ==, "b1");
}

static void
test_csv_header_without_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  RhCsvOptions options;

  rh_csv_options_init (&options);
  options.has_header = TRUE;

  data = read_csv ("word,meaning\nb1,f1\n", -1, &options, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD);
  assert_error_mentions (error, "Line 1");
}

static void
test_csv_explicit_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  RhCsvOptions options;
  RhImportCard *card;

  rh_csv_options_init (&options);
  options.delimiter = '|';
  options.col_front = 2;
  options.col_back = 0;
  options.col_tags = 1;
  options.col_deck = 3;
  options.col_example = 4;

  data = read_csv ("back1|Tag1 TAG2,tag1|front1|Deck A|ex, ample\nback2|x|front2\n", -1,
                   &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);

  card = card_at (data, 0);
  g_assert_cmpstr (card->front, ==, "front1");
  g_assert_cmpstr (card->back, ==, "back1");
  g_assert_cmpstr (card->deck_name, ==, "Deck A");
  g_assert_cmpstr (card->example, ==, "ex, ample");
  assert_tags (card, "tag1 tag2");

  card = card_at (data, 1);
  g_assert_cmpstr (card->front, ==, "front2");
  g_assert_null (card->deck_name);
  g_assert_null (card->example);
}

static void
test_csv_anki_headers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  RhImportCard *card;

  data = read_csv ("#separator:tab\n"
                   "#html:true\n"
                   "#deck:Imported\n"
                   "#tags:Shared\n"
                   "#notetype column:1\n"
                   "#tags column:4\n"
                   "Basic\tfront, <b>bold</b>\tback&amp;x<br>more\tTagA tagb\n"
                   "Basic\t\"quoted\ttab\"\tb\t\n",
                   -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 2);

  card = card_at (data, 0);
  g_assert_cmpstr (card->front, ==, "front, bold");
  g_assert_cmpstr (card->back, ==, "back&x\nmore");
  g_assert_cmpstr (card->deck_name, ==, "Imported");
  assert_tags (card, "shared taga tagb");
  g_assert_cmpuint (card->source_line, ==, 7);

  card = card_at (data, 1);
  g_assert_cmpstr (card->front, ==, "quoted tab");
  assert_tags (card, "shared");
}

static void
test_csv_anki_columns_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("#separator:Semicolon\n#columns:Back;Front;Tags\nb;f;t1 t2\n", -1, NULL,
                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 1);
  g_assert_cmpstr (card_at (data, 0)->front, ==, "f");
  g_assert_cmpstr (card_at (data, 0)->back, ==, "b");
  assert_tags (card_at (data, 0), "t1 t2");
}

static void
test_csv_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("ok,fine\n\"multi\nline\",x\nbad\xFF,x\n", -1, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_ENCODING);
  assert_error_mentions (error, "Line 4");
  assert_error_mentions (error, "byte 4");
}

static void
test_csv_utf16 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("\xFF\xFE" "a\0,\0b\0", 8, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_ENCODING);
  assert_error_mentions (error, "UTF-16");
}

static void
test_csv_unterminated_quote (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("a,b\nc,d\ne,\"never\nends\nat all\n", -1, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  assert_error_mentions (error, "Line 3");
}

static void
test_csv_missing_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;

  data = read_csv ("a,b\nonly front\n", -1, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD);
  assert_error_mentions (error, "Line 2");
  assert_error_mentions (error, "back");
  g_clear_error (&error);

  data = read_csv ("a,b\n\n  ,back only\n", -1, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD);
  assert_error_mentions (error, "Line 3");
  assert_error_mentions (error, "front");
}

static void
test_csv_field_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GString) text = g_string_new ("a,b\nc,\"");
  gsize before;

  before = text->len;
  g_string_set_size (text, before + 70 * 1024);
  memset (text->str + before, 'x', 70 * 1024);
  g_string_append (text, "\"\n");

  data = read_csv (text->str, text->len, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE);
  assert_error_mentions (error, "Line 2");
  g_clear_error (&error);

  /* The same size unquoted, and exactly at the limit is fine. */
  g_string_assign (text, "a,");
  g_string_set_size (text, 2 + RH_CSV_MAX_FIELD_BYTES);
  memset (text->str + 2, 'y', RH_CSV_MAX_FIELD_BYTES);
  data = read_csv (text->str, text->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (card_at (data, 0)->back), ==, RH_CSV_MAX_FIELD_BYTES);
  g_clear_pointer (&data, rh_import_data_free);

  g_string_append_c (text, 'y');
  data = read_csv (text->str, text->len, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE);
}

static void
test_csv_empty (void)
{
  const char *inputs[] = { "", "\xEF\xBB\xBF", "\n\n\r\n", "#separator:tab\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RhImportData) data = read_csv (inputs[i], -1, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (data);
      g_assert_cmpuint (data->cards->len, ==, 0);
      g_assert_cmpuint (data->deck_names->len, ==, 0);
    }
}

typedef struct
{
  double last;
  guint  calls;
} ProgressLog;

static void
log_progress (double   fraction,
              gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_cmpfloat (fraction, >=, log->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  log->last = fraction;
  log->calls++;
}

static void
test_csv_many_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTimer) timer = NULL;
  ProgressLog log = { 0.0, 0 };
  const guint n = 100000;
  double seconds;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "front %u,\"back, %u\",tag%u deck%u\n", i, i, i % 7, i % 3);

  bytes = g_string_free_to_bytes (g_steal_pointer (&text));
  timer = g_timer_new ();
  data = rh_csv_read_bytes (bytes, NULL, NULL, log_progress, &log, &error);
  seconds = g_timer_elapsed (timer, NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, n);
  g_assert_cmpstr (card_at (data, n - 1)->front, ==, "front 99999");
  g_assert_cmpstr (card_at (data, n - 1)->back, ==, "back, 99999");
  g_assert_cmpuint (card_at (data, n - 1)->source_line, ==, n);
  g_assert_cmpfloat (log.last, ==, 1.0);
  g_assert_cmpuint (log.calls, >, 10);

  g_test_message ("%u rows in %.3f s", n, seconds);
  /* Generous so sanitizers and valgrind pass; a quadratic parser would not. */
  g_assert_cmpfloat (seconds, <, 20.0);
}

static void
test_csv_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("a,b\n", 4);

  g_cancellable_cancel (cancellable);
  data = rh_csv_read_bytes (bytes, NULL, cancellable, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED);
}

static void
test_csv_read_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = g_build_filename (fixture_dir, "cards.csv", NULL);
  g_autofree char *missing = g_build_filename (fixture_dir, "missing.csv", NULL);

  g_assert_true (g_file_set_contents (path, "front,back,tags\nq,a,x\n", -1, NULL));

  data = rh_csv_read_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 1);
  assert_tags (card_at (data, 0), "x");
  g_clear_pointer (&data, rh_import_data_free);

  data = rh_csv_read_file (missing, NULL, NULL, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO);
  assert_error_mentions (error, "missing.csv");
}

static void
test_split_tags (void)
{
  g_auto(GStrv) tags = rh_import_split_tags ("  Alpha,beta  ALPHA,,Ünïcode\tgamma::Sub"
                                              "\xE3\x80\x80x\x01y\xC2\xA0", -1);
  g_autofree char *joined = g_strjoinv ("|", tags);
  g_auto(GStrv) none = rh_import_split_tags (NULL, -1);
  g_auto(GStrv) cut = rh_import_split_tags ("one two", 3);

  /* U+3000, U+00A0 and control characters separate tags as well. */
  g_assert_cmpstr (joined, ==, "alpha|beta|ünïcode|gamma::sub|x|y");
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (cut), ==, 1);
  g_assert_cmpstr (cut[0], ==, "one");
}

/* HTML */

static void
test_html_to_text (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "a<br>b", "a\nb" },
    { "a<BR/>b<br />c", "a\nb\nc" },
    { "<div>one</div><div>two</div>", "one\ntwo" },
    { "<div>one</div>\n  <div>two</div>", "one\ntwo" },
    { "<p>x</p><p>y</p>", "x\ny" },
    { "line<br><br><br><br>x", "line\n\nx" },
    { "<b>bold</b> <i>it</i>alic", "bold italic" },
    { "Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &#39;s&#39;", "Tom & Jerry <3 > \"q\" 's'" },
    { "a&nbsp;&nbsp; b\xC2\xA0" "c", "a b c" },
    { "&#65;&#x42;&#X43;&#x1F600;", "ABC\xF0\x9F\x98\x80" },
    { "&#0;&#xD800;", "\xEF\xBF\xBD\xEF\xBF\xBD" },
    { "a&#10;&#x9;&#1;b", "a b" },
    { "hello [sound:x.mp3] world[sound:y.ogg]", "hello world" },
    { "[not sound] [sound:unclosed", "[not sound] [sound:unclosed" },
    { "  lots   of\n\t space  ", "lots of space" },
    { "ctrl\x01\x1f" "char\x7F", "ctrl char" },
    { "a < b and c > d", "a < b and c > d" },
    { "&unknown; & stray &amp", "&unknown; & stray &amp" },
    { "<img src=\"a.jpg\">", "" },
    { "<style>.x { color: red }</style>text<script>var a = '<b>';</script>", "text" },
    { "<a href=\"x>y\" title='>'>link</a>", "link" },
    { "<!-- a <b> comment -->x", "x" },
    { "<ul><li>one</li><li>two</li></ul>", "one\ntwo" },
    { "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc" },
    { "unclosed <b", "unclosed <b" },
    /* a tag left open in a quote, then tags that close */
    { "<a title=\"x <b>bold</b> <i>it</i>", "<a title=\"x bold it" },
    { "<a '<a \"<b>b</b>", "<a '<a \"b" },
    { "<a<a>x", "x" },
    { "x [sound:a.mp3 y [sound:b.mp3", "x [sound:a.mp3 y [sound:b.mp3" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rh_html_to_text (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *text = rh_html_to_text (NULL);
    g_autofree char *repaired = rh_html_to_text ("ok\xFF");

    g_assert_cmpstr (text, ==, "");
    g_assert_true (g_utf8_validate (repaired, -1, NULL));
    g_assert_true (g_str_has_prefix (repaired, "ok"));
  }

  /* Tags and sounds that never close, a megabyte of them: each once read
   * to the end of the text, this took minutes (the test's time limit
   * fails it); read once in all, milliseconds. */
  {
    static const char * const units[] = { "<a", "<a \"", "[sound:" };

    for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
      {
        g_autoptr(GString) html = g_string_new (NULL);
        g_autofree char *text = NULL;
        gint64 start;

        while (html->len < 1000000)
          g_string_append (html, units[i]);
        start = g_get_monotonic_time ();
        text = rh_html_to_text (html->str);
        g_test_message ("%s, %zu times: %.1f ms", units[i], html->len / strlen (units[i]),
                        (g_get_monotonic_time () - start) / 1000.0);
        /* nothing closes, so all of it is text */
        g_assert_cmpuint (strlen (text), ==, html->len);
      }
  }
}

/* apkg fixtures */

static const char legacy_schema[] =
  "CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,"
  "  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,"
  "  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,"
  "  dconf text NOT NULL, tags text NOT NULL);"
  "CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,"
  "  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,"
  "  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);"
  "CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,"
  "  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,"
  "  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL,"
  "  factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL,"
  "  left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,"
  "  flags integer NOT NULL, data text NOT NULL);"
  "CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,"
  "  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,"
  "  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);"
  "CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);"
  "CREATE INDEX ix_cards_nid ON cards (nid);"
  "CREATE INDEX ix_revlog_cid ON revlog (cid);";

/* Schema 18 keeps col, notes, cards and revlog and adds tables; decks
 * moved out of col.decks into their own table. */
static const char v18_extra_schema[] =
  "CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL,"
  "  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);"
  "CREATE TABLE config (key text NOT NULL PRIMARY KEY, usn integer NOT NULL,"
  "  mtime_secs integer NOT NULL, val blob NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE tags (tag text NOT NULL PRIMARY KEY, usn integer NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL,"
  "  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);"
  "CREATE TABLE decks (name text NOT NULL PRIMARY KEY, id integer NOT NULL,"
  "  mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL,"
  "  kind blob NOT NULL);"
  "CREATE UNIQUE INDEX idx_decks_id ON decks (id);";

#define NOTE_1 "1700000000000"
#define NOTE_2 "1700000000100"
#define NOTE_3 "1700000000200"
#define NOTE_4 "1700000000300"
#define NOTE_5 "1700000000400"

/* Three notes with fields and cards, plus one whose front is only an
 * image and an image occlusion note, neither of which has text to learn;
 * a filtered deck; a review log out of order with a manual entry. */
static const char collection_rows[] =
  "INSERT INTO notes VALUES (" NOTE_1 ", 'g1', 1, 0, -1, ' Spanish greeting ',"
  "  'hola<br>' || char(31) || '<b>hello</b>', 'hola', 0, 0, '');"
  "INSERT INTO notes VALUES (" NOTE_2 ", 'g2', 1, 0, -1, '',"
  "  'perro' || char(31) || 'dog &amp; cat' || char(31) || '<i>extra</i> info', 'perro', 0, 0, '');"
  "INSERT INTO notes VALUES (" NOTE_3 ", 'g3', 2, 0, -1, 'geo',"
  "  '{{c1::Madrid}} is the capital of {{c2::Spain::country}}' || char(31) || 'Back extra',"
  "  '', 0, 0, '');"
  "INSERT INTO notes VALUES (" NOTE_4 ", 'g4', 1, 0, -1, '',"
  "  '<img src=\"a.png\">' || char(31) || 'picture', '', 0, 0, '');"
  "INSERT INTO notes VALUES (" NOTE_5 ", 'g5', 3, 0, -1, '',"
  "  '{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4}}' || char(31) ||"
  "  '<img src=\"b.png\">' || char(31) || 'Header', '', 0, 0, '');"
  /* id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue,
   * odid, flags, data */
  "INSERT INTO cards VALUES (11, " NOTE_1 ", 1700000000001, 0, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  "INSERT INTO cards VALUES (12, " NOTE_1 ", 1700000000001, 1, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  "INSERT INTO cards VALUES (21, " NOTE_2 ", 1700000000009, 0, 0,0,0,0,0,0,0,0,0,0,0, 1, 0, '');"
  "INSERT INTO cards VALUES (32, " NOTE_3 ", 1700000000002, 1, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  "INSERT INTO cards VALUES (31, " NOTE_3 ", 1700000000002, 0, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  "INSERT INTO cards VALUES (41, " NOTE_4 ", 1, 0, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  "INSERT INTO cards VALUES (51, " NOTE_5 ", 1, 0, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
  /* id, cid, usn, ease, ivl, lastIvl, factor, time, type */
  "INSERT INTO revlog VALUES (1700000400000, 11, -1, 3, 1, 0, 2500, 2000, 1);"
  "INSERT INTO revlog VALUES (1700000100000, 11, -1, 1, 0, 0, 0, 5000, 0);"
  "INSERT INTO revlog VALUES (1700000300000, 11, -1, 0, 0, 0, 0, 0, 4);"
  "INSERT INTO revlog VALUES (1700000200000, 11, -1, 2, 0, 0, 0, 3000, 0);"
  "INSERT INTO revlog VALUES (1700000500000, 21, -1, 4, 4, 1, 2500, 1000, 1);";

static const char legacy_decks_json[] =
  "{\"1\": {\"id\": 1, \"name\": \"Default\", \"dyn\": 0},"
  " \"1700000000001\": {\"id\": 1700000000001, \"name\": \"Languages::Spanish\", \"dyn\": 0},"
  " \"1700000000002\": {\"id\": 1700000000002, \"name\": \"Languages\", \"dyn\": 0},"
  " \"1700000000009\": {\"id\": 1700000000009, \"name\": \"Filtered Deck 1\", \"dyn\": 1}}";

typedef enum
{
  FIXTURE_LEGACY_V1,   /* schema 11, no schedVer: the v1 scheduler */
  FIXTURE_LEGACY_V2,   /* schema 11, schedVer 2 */
  FIXTURE_V18,         /* schema 18, as in collection.anki21b */
  FIXTURE_STUB,        /* the "please upgrade" collection.anki2 next to an anki21b */
  FIXTURE_EMPTY,       /* schema 11, no cards */
  FIXTURE_ONE_FIELD,   /* schema 11, a note with a single field */
  FIXTURE_NOT_ANKI,    /* an SQLite database with unrelated tables */
  FIXTURE_BAD_NOTES,   /* Anki's tables, but notes lacks its fields column */
  FIXTURE_BROKEN,      /* schema 18, bytes that are not UTF-8 in a deck name and tags,
                        * answers at no possible time */
  FIXTURE_DEEP_DECKS,  /* schema 11, a deck list nested far too deep */
} FixtureKind;

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s\n%s", message, sql);
}

static char *
make_collection (FixtureKind kind)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("collection-%u.db", counter++);
  char *path = g_build_filename (fixture_dir, name, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  switch (kind)
    {
    case FIXTURE_NOT_ANKI:
      exec_sql (db, "CREATE TABLE foo (a, b); INSERT INTO foo VALUES (1, 2);");
      break;

    case FIXTURE_BAD_NOTES:
      exec_sql (db, "CREATE TABLE col (id, decks); INSERT INTO col VALUES (1, '{}');"
                    "CREATE TABLE notes (id, tags); CREATE TABLE cards (id, nid, did, odid, ord);");
      break;

    case FIXTURE_V18:
      exec_sql (db, "PRAGMA journal_mode = WAL;");
      exec_sql (db, legacy_schema);
      exec_sql (db, v18_extra_schema);
      exec_sql (db, "INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', '', '');"
                    "INSERT INTO config VALUES ('schedVer', 0, 0, CAST('2' AS BLOB));"
                    "INSERT INTO decks VALUES ('Default', 1, 0, 0, x'', x'');"
                    "INSERT INTO decks VALUES ('Languages' || char(31) || 'Spanish',"
                    "  1700000000001, 0, 0, x'', x'');"
                    "INSERT INTO decks VALUES ('Languages', 1700000000002, 0, 0, x'', x'');"
                    "INSERT INTO decks VALUES ('Filtered Deck 1', 1700000000009, 0, 0, x'', x'');");
      exec_sql (db, collection_rows);
      break;

    case FIXTURE_BROKEN:
      exec_sql (db, legacy_schema);
      exec_sql (db, v18_extra_schema);
      exec_sql (db, "INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', '', '');"
                    "INSERT INTO decks VALUES (CAST (x'4361666580' AS TEXT), 1, 0, 0, x'', x'');"
                    "INSERT INTO notes VALUES (1700000000777, 'g', 1, 0, 0,"
                    "  CAST (x'20666f6f64ff20' AS TEXT), 'un caf\xc3\xa9' || char(31) || 'a coffee',"
                    "  '', 0, 0, '');"
                    "INSERT INTO cards VALUES (1, 1700000000777, 1, 0,"
                    "  0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');"
                    /* id, cid, usn, ease, ivl, lastIvl, factor, time, type */
                    "INSERT INTO revlog VALUES (9223372036854775807, 1, -1, 3, 1, 0, 0, 900, 0);"
                    "INSERT INTO revlog VALUES (-5, 1, -1, 3, 1, 0, 0, 900, 0);"
                    "INSERT INTO revlog VALUES (1700000400000, 1, -1, 3, 1, 0, 0, 900, 0);");
      break;

    case FIXTURE_DEEP_DECKS:
      {
        g_autofree char *deep = g_strnfill (100000, '[');
        g_autofree char *col = NULL;

        exec_sql (db, legacy_schema);
        col = sqlite3_mprintf ("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}', %Q,"
                               " '{}', '{}');", deep);
        exec_sql (db, col);
        sqlite3_free (g_steal_pointer (&col));
        exec_sql (db, collection_rows);
      }
      break;

    case FIXTURE_STUB:
      exec_sql (db, legacy_schema);
      exec_sql (db, "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}',"
                    "  '{\"1\": {\"id\": 1, \"name\": \"Default\"}}', '{}', '{}');"
                    "INSERT INTO notes VALUES (1, 'g', 1, 0, 0, '',"
                    "  'Please update to the latest Anki version' || char(31) || '', '', 0, 0, '');"
                    "INSERT INTO cards VALUES (1, 1, 1, 0, 0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');");
      break;

    case FIXTURE_LEGACY_V1:
    case FIXTURE_LEGACY_V2:
    case FIXTURE_EMPTY:
    case FIXTURE_ONE_FIELD:
      {
        g_autofree char *col = NULL;

        exec_sql (db, legacy_schema);
        col = sqlite3_mprintf ("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, %Q, '{}', %Q,"
                               " '{}', '{}');",
                               kind == FIXTURE_LEGACY_V2 ? "{\"schedVer\": 2}" : "{}",
                               legacy_decks_json);
        exec_sql (db, col);
        sqlite3_free (g_steal_pointer (&col));
        if (kind == FIXTURE_ONE_FIELD)
          exec_sql (db, "INSERT INTO notes VALUES (1700000000777, 'g', 1, 0, 0, '', 'lonely', '',"
                        "  0, 0, '');"
                        "INSERT INTO cards VALUES (1, 1700000000777, 1, 0,"
                        "  0,0,0,0,0,0,0,0,0,0,0, 0, 0, '');");
        else if (kind != FIXTURE_EMPTY)
          exec_sql (db, collection_rows);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return path;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

static GBytes *
zstd_compress (GBytes *plain)
{
  gsize length;
  const void *data = g_bytes_get_data (plain, &length);
  gsize bound = ZSTD_compressBound (length);
  void *out = g_malloc (bound);
  size_t n = ZSTD_compress (out, bound, data, length, 3);

  g_assert_false (ZSTD_isError (n));
  return g_bytes_new_take (out, n);
}

/* Writes a zip of (name, GBytes) pairs, ending with NULL. */
static char *
make_zip (const char *file_name,
          ...)
{
  char *path = g_build_filename (fixture_dir, file_name, NULL);
  struct archive *archive = archive_write_new ();
  const char *name;
  va_list args;

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (archive, path), ==, ARCHIVE_OK);

  va_start (args, file_name);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      GBytes *bytes = va_arg (args, GBytes *);
      struct archive_entry *entry = archive_entry_new ();
      gsize length;
      const void *data = g_bytes_get_data (bytes, &length);

      archive_entry_set_pathname (entry, name);
      archive_entry_set_size (entry, length);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
      if (length > 0)
        g_assert_cmpint (archive_write_data (archive, data, length), ==, (la_ssize_t) length);
      archive_entry_free (entry);
    }
  va_end (args);

  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  archive_write_free (archive);

  return path;
}

static char *
make_apkg (const char  *file_name,
           const char  *entry_name,
           FixtureKind  kind)
{
  g_autofree char *db = make_collection (kind);
  g_autoptr(GBytes) bytes = read_bytes (db);
  g_autoptr(GBytes) media = g_bytes_new_static ("{}", 2);

  return make_zip (file_name, entry_name, bytes, "media", media, NULL);
}

static void
assert_no_temp_left (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_root, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "rehearse-apkg-"))
      g_error ("Temporary directory %s was left behind", name);
}

static RhImportData *
read_apkg (const char  *path,
           GError     **error)
{
  ProgressLog log = { 0.0, 0 };
  RhImportData *data = rh_apkg_read_file (path, NULL, log_progress, &log, error);

  if (data != NULL)
    g_assert_cmpfloat (log.last, ==, 1.0);
  assert_no_temp_left ();
  return data;
}

static void
assert_reviews (RhImportCard  *card,
                const int     *ratings,
                const gint64  *times_ms,
                const gint64  *durations,
                guint          n)
{
  g_assert_cmpuint (card->reviews->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      RhImportReview *review = &g_array_index (card->reviews, RhImportReview, i);

      g_assert_cmpint (review->rating, ==, ratings[i]);
      g_assert_cmpint (review->time_us, ==, times_ms[i] * 1000);
      g_assert_cmpint (review->duration_ms, ==, durations[i]);
    }
}

static void
check_main_fixture (RhImportData *data,
                    gboolean      scheduler_v1)
{
  static const gint64 times[] = { 1700000100000, 1700000200000, 1700000400000 };
  static const gint64 durations[] = { 5000, 3000, 2000 };
  static const int ratings_v1[] = { 1, 3, 3 };
  static const int ratings_v2[] = { 1, 2, 3 };
  static const gint64 times_21[] = { 1700000500000 };
  static const gint64 durations_21[] = { 1000 };
  static const int ratings_21[] = { 4 };
  RhImportCard *card;

  g_assert_cmpuint (data->cards->len, ==, 5);
  g_assert_cmpuint (data->skipped_cards, ==, 2);

  card = card_at (data, 0);
  g_assert_cmpstr (card->front, ==, "hola");
  g_assert_cmpstr (card->back, ==, "hello");
  g_assert_null (card->notes);
  g_assert_cmpstr (card->deck_name, ==, "Languages::Spanish");
  assert_tags (card, "spanish greeting");
  g_assert_cmpint (card->created_us, ==, G_GINT64_CONSTANT (1700000000000000));
  g_assert_cmpuint (card->source_line, ==, 1);
  assert_reviews (card, scheduler_v1 ? ratings_v1 : ratings_v2, times, durations, 3);

  /* The reverse template. */
  card = card_at (data, 1);
  g_assert_cmpstr (card->front, ==, "hello");
  g_assert_cmpstr (card->back, ==, "hola");
  g_assert_cmpuint (card->reviews->len, ==, 0);
  g_assert_cmpuint (card->source_line, ==, 1);

  /* In a filtered deck: its home deck counts. */
  card = card_at (data, 2);
  g_assert_cmpstr (card->front, ==, "perro");
  g_assert_cmpstr (card->back, ==, "dog & cat");
  g_assert_cmpstr (card->notes, ==, "extra info");
  g_assert_cmpstr (card->deck_name, ==, "Default");
  assert_tags (card, "");
  g_assert_cmpuint (card->source_line, ==, 2);
  assert_reviews (card, ratings_21, times_21, durations_21, 1);

  card = card_at (data, 3);
  g_assert_cmpstr (card->front, ==, "[...] is the capital of Spain");
  g_assert_cmpstr (card->back, ==, "Madrid is the capital of Spain");
  g_assert_cmpstr (card->notes, ==, "Back extra");
  g_assert_cmpstr (card->deck_name, ==, "Languages");
  assert_tags (card, "geo");
  g_assert_cmpuint (card->source_line, ==, 3);

  card = card_at (data, 4);
  g_assert_cmpstr (card->front, ==, "Madrid is the capital of [country]");
  g_assert_cmpstr (card->back, ==, "Madrid is the capital of Spain");

  g_assert_cmpuint (data->deck_names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (data->deck_names, 0), ==, "Languages::Spanish");
  g_assert_cmpstr (g_ptr_array_index (data->deck_names, 1), ==, "Default");
  g_assert_cmpstr (g_ptr_array_index (data->deck_names, 2), ==, "Languages");
}

static void
test_apkg_anki2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("legacy.apkg", "collection.anki2", FIXTURE_LEGACY_V1);

  data = read_apkg (path, &error);
  g_assert_no_error (error);
  check_main_fixture (data, TRUE);
}

static void
test_apkg_anki21 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("anki21.apkg", "collection.anki21", FIXTURE_LEGACY_V2);

  data = read_apkg (path, &error);
  g_assert_no_error (error);
  check_main_fixture (data, FALSE);
}

static void
test_apkg_anki21b (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *stub_db = make_collection (FIXTURE_STUB);
  g_autofree char *db = make_collection (FIXTURE_V18);
  g_autoptr(GBytes) stub = read_bytes (stub_db);
  g_autoptr(GBytes) plain = read_bytes (db);
  g_autoptr(GBytes) compressed = zstd_compress (plain);
  g_autoptr(GBytes) media = g_bytes_new_static ("", 0);
  g_autofree char *path = NULL;

  /* As Anki writes it: the stub first, then the real collection; and
   * the database is in WAL mode. */
  g_assert_cmpint (((const guchar *) g_bytes_get_data (plain, NULL))[18], ==, 2);
  path = make_zip ("anki21b.apkg", "collection.anki2", stub, "collection.anki21b", compressed,
                   "media", media, NULL);

  data = read_apkg (path, &error);
  g_assert_no_error (error);
  check_main_fixture (data, FALSE);
}

static void
test_apkg_truncated_zstd (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *db = make_collection (FIXTURE_V18);
  g_autoptr(GBytes) plain = read_bytes (db);
  g_autoptr(GBytes) compressed = zstd_compress (plain);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (compressed, 0, g_bytes_get_size (compressed) / 2);
  g_autofree char *path = make_zip ("cut-zstd.apkg", "collection.anki21b", cut, NULL);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  g_test_message ("error: %s", error->message);
}

static void
test_apkg_empty_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("empty.apkg", "collection.anki21", FIXTURE_EMPTY);

  data = read_apkg (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 0);
  g_assert_cmpuint (data->deck_names->len, ==, 0);
}

static void
test_apkg_one_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("one-field.apkg", "collection.anki21", FIXTURE_ONE_FIELD);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD);
  assert_error_mentions (error, "1700000000777");
}

/* Bytes that are not UTF-8 in a deck name or the tags are repaired, as
 * they are in the fields, and an answer whose time cannot be (its id out
 * of any range Anki writes) is left out: the rest still comes in. */
static void
test_apkg_broken (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("broken.apkg", "collection.anki21", FIXTURE_BROKEN);
  RhImportCard *card;

  data = read_apkg (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->cards->len, ==, 1);
  card = data->cards->pdata[0];
  g_assert_cmpstr (card->front, ==, "un café");
  g_assert_cmpstr (card->deck_name, ==, "Cafe\357\277\275");
  g_assert_nonnull (card->tags);
  g_assert_cmpstr (card->tags[0], ==, "food\357\277\275");
  g_assert_cmpuint (card->reviews->len, ==, 1);
  g_assert_cmpint (g_array_index (card->reviews, RhImportReview, 0).time_us, ==,
                   G_GINT64_CONSTANT (1700000400000000));
}

/* A deck list nested deeper than a parser's stack allows is refused,
 * not parsed. */
static void
test_apkg_deep_decks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("deep.apkg", "collection.anki2", FIXTURE_DEEP_DECKS);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  assert_error_mentions (error, "deck list");
}

static void
test_apkg_truncated_zip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("whole.apkg", "collection.anki21", FIXTURE_LEGACY_V2);
  g_autofree char *cut_path = g_build_filename (fixture_dir, "truncated.apkg", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut_path, contents, length / 2, NULL));

  data = read_apkg (cut_path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  assert_error_mentions (error, "Not a valid .apkg");
}

static void
test_apkg_no_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GBytes) media = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) other = g_bytes_new_static ("hello", 5);
  g_autofree char *path = make_zip ("nocollection.apkg", "media", media,
                                    "collection.anki21.bak", other, NULL);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  assert_error_mentions (error, "no Anki collection");
}

static void
test_apkg_not_anki_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("random-db.apkg", "collection.anki21", FIXTURE_NOT_ANKI);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED);
  assert_error_mentions (error, "notes");
}

static void
test_apkg_missing_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = make_apkg ("bad-notes.apkg", "collection.anki2", FIXTURE_BAD_NOTES);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED);
  assert_error_mentions (error, "“notes”");
  assert_error_mentions (error, "flds");
}

static void
test_apkg_collection_not_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("this is not SQLite at all, just text......"
                                               "..........................................."
                                               "...........................................",
                                               129);
  g_autofree char *path = make_zip ("junk-db.apkg", "collection.anki2", junk, NULL);

  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  g_test_message ("error: %s", error->message);
}

static void
test_apkg_not_zip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *path = g_build_filename (fixture_dir, "text.apkg", NULL);
  g_autofree char *empty = g_build_filename (fixture_dir, "empty-file.apkg", NULL);
  g_autofree char *missing = g_build_filename (fixture_dir, "missing.apkg", NULL);

  g_assert_true (g_file_set_contents (path, "front,back\nthis is not a zip file\n", -1, NULL));
  data = read_apkg (path, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  assert_error_mentions (error, "Not a valid .apkg");
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  data = read_apkg (empty, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED);
  g_clear_error (&error);

  data = read_apkg (missing, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO);
}

static void
test_apkg_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = make_apkg ("cancel.apkg", "collection.anki21", FIXTURE_LEGACY_V2);

  g_cancellable_cancel (cancellable);
  data = rh_apkg_read_file (path, cancellable, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED);
  assert_no_temp_left ();
}

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  (void) fraction;
  g_cancellable_cancel (user_data);
}

/* Cancelled part way, once files are unpacked: still no temporary files. */
static void
test_apkg_cancelled_midway (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = make_apkg ("cancel2.apkg", "collection.anki21", FIXTURE_LEGACY_V2);

  data = rh_apkg_read_file (path, cancellable, cancel_on_progress, cancellable, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED);
  assert_no_temp_left ();
}

static void
test_csv_cancelled_midway (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "f%u,b%u\n", i, i);
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));

  data = rh_csv_read_bytes (bytes, NULL, cancellable, cancel_on_progress, cancellable, &error);
  g_assert_null (data);
  g_assert_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  const char *base = g_getenv ("TMPDIR");
  g_autofree char *root = NULL;
  int ret;

  /* Before anything asks GLib for the temporary directory, which it
   * caches: from here on the readers' temporary files land in root. */
  if (base == NULL || *base == '\0')
    base = "/tmp";
  root = g_build_filename (base, "rh-import-test-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (root));
  g_setenv ("TMPDIR", root, TRUE);
  tmp_root = root;
  fixture_dir = g_build_filename (root, "fixtures", NULL);
  g_assert_cmpint (g_mkdir (fixture_dir, 0700), ==, 0);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/csv/quoted-fields", test_csv_quoted_fields);
  g_test_add_func ("/import/csv/empty-quoted-back", test_csv_empty_quoted_back);
  g_test_add_func ("/import/csv/tsv", test_csv_tsv);
  g_test_add_func ("/import/csv/semicolon", test_csv_semicolon_guess);
  g_test_add_func ("/import/csv/bom", test_csv_bom);
  g_test_add_func ("/import/csv/crlf", test_csv_crlf);
  g_test_add_func ("/import/csv/blank-and-comment-lines", test_csv_blank_and_comment_lines);
  g_test_add_func ("/import/csv/header-mapping", test_csv_header_mapping);
  g_test_add_func ("/import/csv/header-detected", test_csv_header_detected);
  g_test_add_func ("/import/csv/header-without-columns", test_csv_header_without_columns);
  g_test_add_func ("/import/csv/explicit-mapping", test_csv_explicit_mapping);
  g_test_add_func ("/import/csv/anki-headers", test_csv_anki_headers);
  g_test_add_func ("/import/csv/anki-columns-header", test_csv_anki_columns_header);
  g_test_add_func ("/import/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/import/csv/utf16", test_csv_utf16);
  g_test_add_func ("/import/csv/unterminated-quote", test_csv_unterminated_quote);
  g_test_add_func ("/import/csv/missing-field", test_csv_missing_back);
  g_test_add_func ("/import/csv/field-too-large", test_csv_field_too_large);
  g_test_add_func ("/import/csv/empty", test_csv_empty);
  g_test_add_func ("/import/csv/many-rows", test_csv_many_rows);
  g_test_add_func ("/import/csv/cancelled", test_csv_cancelled);
  g_test_add_func ("/import/csv/cancelled-midway", test_csv_cancelled_midway);
  g_test_add_func ("/import/csv/read-file", test_csv_read_file);
  g_test_add_func ("/import/split-tags", test_split_tags);
  g_test_add_func ("/import/html/to-text", test_html_to_text);
  g_test_add_func ("/import/apkg/anki2", test_apkg_anki2);
  g_test_add_func ("/import/apkg/anki21", test_apkg_anki21);
  g_test_add_func ("/import/apkg/anki21b", test_apkg_anki21b);
  g_test_add_func ("/import/apkg/truncated-zstd", test_apkg_truncated_zstd);
  g_test_add_func ("/import/apkg/empty-collection", test_apkg_empty_collection);
  g_test_add_func ("/import/apkg/one-field", test_apkg_one_field);
  g_test_add_func ("/import/apkg/broken", test_apkg_broken);
  g_test_add_func ("/import/apkg/deep-decks", test_apkg_deep_decks);
  g_test_add_func ("/import/apkg/truncated-zip", test_apkg_truncated_zip);
  g_test_add_func ("/import/apkg/no-collection", test_apkg_no_collection);
  g_test_add_func ("/import/apkg/not-anki-database", test_apkg_not_anki_database);
  g_test_add_func ("/import/apkg/missing-column", test_apkg_missing_column);
  g_test_add_func ("/import/apkg/collection-not-database", test_apkg_collection_not_database);
  g_test_add_func ("/import/apkg/not-zip", test_apkg_not_zip);
  g_test_add_func ("/import/apkg/cancelled", test_apkg_cancelled);
  g_test_add_func ("/import/apkg/cancelled-midway", test_apkg_cancelled_midway);

  ret = g_test_run ();

  remove_tree (root);
  g_clear_pointer (&fixture_dir, g_free);

  return ret;
}
