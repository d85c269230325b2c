// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rh-csv-reader.h"
#include "rh-html-text.h"

/* How many rows go by between progress reports and cancellation checks:
 * often enough for a smooth bar, rare enough to cost nothing. */
#define ROWS_PER_TICK 4096

enum
{
  COL_FRONT,
  COL_BACK,
  COL_NOTES,
  COL_EXAMPLE,
  COL_TAGS,
  COL_DECK,
  N_COLS
};

typedef struct
{
  gsize offset;
  gsize length;
} FieldSpan;

typedef struct
{
  const char *start;
  const char *end;
  const char *p;
  guint       line;
  char        delimiter;

  /* The current record's fields, unescaped and stored back to back so a
   * row costs no allocation once the buffers have grown. */
  GString    *buf;
  GArray     *fields;
} CsvParser;

typedef struct
{
  char     delimiter;      /* from #separator:, 0 if absent */
  gboolean html;           /* from #html: */
  char    *deck;           /* from #deck: */
  char    *tags;           /* from #tags: */
  char    *columns;        /* from #columns:, split once the delimiter is known */
  int      column_of[N_COLS];
  gboolean has_column_of;  /* any "#… column:N" line */
  GArray  *claimed;        /* int, 0-based columns that hold no note field */
} AnkiHeaders;

static void
anki_headers_clear (AnkiHeaders *h)
{
  g_clear_pointer (&h->deck, g_free);
  g_clear_pointer (&h->tags, g_free);
  g_clear_pointer (&h->columns, g_free);
  g_clear_pointer (&h->claimed, g_array_unref);
}

/**
 * rh_csv_options_init:
 * @options: (out caller-allocates): options to fill in
 *
 * Sets the defaults: guess the delimiter, front in the first column and
 * back in the second, and no declared header (a first row that names a
 * front and a back column is still recognised as one).
 */
void
rh_csv_options_init (RhCsvOptions *options)
{
  g_return_if_fail (options != NULL);

  options->delimiter = 0;
  options->has_header = FALSE;
  options->col_front = 0;
  options->col_back = 1;
  options->col_notes = -1;
  options->col_example = -1;
  options->col_tags = -1;
  options->col_deck = -1;
}

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static void
trim_span (const char **s,
           gsize       *len)
{
  while (*len > 0 && is_blank (**s))
    {
      (*s)++;
      (*len)--;
    }
  while (*len > 0 && is_blank ((*s)[*len - 1]))
    (*len)--;
}

static gboolean
check_encoding (const char  *data,
                gsize        length,
                GError     **error)
{
  const char *bad;
  const char *line_start = data;
  guint line = 1;

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                      ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_ENCODING,
                   _("The file is in UTF-16; save it as UTF-8 and try again"));
      return FALSE;
    }

  if (g_utf8_validate_len (data, length, &bad))
    return TRUE;

  for (const char *nl = data; (nl = memchr (nl, '\n', bad - nl)) != NULL; nl++)
    {
      line++;
      line_start = nl + 1;
    }

  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_ENCODING,
               _("Line %u is not valid UTF-8 (byte %u); save the file as UTF-8 and try again"),
               line, (guint) (bad - line_start) + 1);
  return FALSE;
}

static char
separator_from_name (const char *value)
{
  static const struct { const char *name; char c; } names[] = {
    { "tab", '\t' }, { "comma", ',' }, { "semicolon", ';' }, { "space", ' ' },
    { "pipe", '|' }, { "colon", ':' },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (value, names[i].name) == 0)
      return names[i].c;

  if (strcmp (value, "\\t") == 0)
    return '\t';
  /* Anki also accepts the character itself. */
  if (value[0] != '\0' && value[1] == '\0' && value[0] != '"' && value[0] != '\n')
    return value[0];

  return 0;
}

static void
replace_string (char       **slot,
                const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
claim_column (AnkiHeaders *h,
              int          column)
{
  if (h->claimed == NULL)
    h->claimed = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (h->claimed, column);
}

/* Anki's text exports start with lines like "#separator:tab"; see the
 * "Importing > Text files" chapter of the Anki manual. */
static void
apply_anki_header (AnkiHeaders *h,
                   const char  *line,
                   gsize        length)
{
  g_autofree char *text = g_strndup (line + 1, length - 1);
  const char *colon = strchr (text, ':');
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (colon == NULL)
    return;

  key = g_strstrip (g_ascii_strdown (text, colon - text));
  value = g_strstrip (g_strdup (colon + 1));

  if (g_str_equal (key, "separator"))
    h->delimiter = separator_from_name (value);
  else if (g_str_equal (key, "html"))
    h->html = g_ascii_strcasecmp (value, "true") == 0;
  else if (g_str_equal (key, "deck"))
    replace_string (&h->deck, *value ? value : NULL);
  else if (g_str_equal (key, "tags"))
    replace_string (&h->tags, value);
  else if (g_str_equal (key, "columns"))
    replace_string (&h->columns, value);
  else if (g_str_has_suffix (key, " column"))
    {
      gint64 column = g_ascii_strtoll (value, NULL, 10);
      int which = -1;

      /* Anki counts columns from 1. */
      if (column < 1 || column > 1000)
        return;
      if (g_str_equal (key, "tags column"))
        which = COL_TAGS;
      else if (g_str_equal (key, "deck column"))
        which = COL_DECK;
      else if (!g_str_equal (key, "notetype column") && !g_str_equal (key, "guid column"))
        return;

      if (which >= 0)
        h->column_of[which] = column - 1;
      h->has_column_of = TRUE;
      claim_column (h, column - 1);
    }
}

static const char *
skip_bom (const char *p,
          const char *end)
{
  if (end - p >= 3 && (guchar) p[0] == 0xEF && (guchar) p[1] == 0xBB && (guchar) p[2] == 0xBF)
    return p + 3;
  return p;
}

/* Reads the "#…" lines (and blank lines between them) at the top. */
static void
read_top_comments (CsvParser   *parser,
                   AnkiHeaders *headers)
{
  while (parser->p < parser->end)
    {
      const char *line = parser->p;
      const char *nl = memchr (line, '\n', parser->end - line);
      const char *line_end = nl ? nl : parser->end;
      const char *q = line;

      while (q < line_end && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;

      if (q < line_end && *q != '#')
        return;

      if (q < line_end)
        apply_anki_header (headers, q, line_end - q);

      parser->p = nl ? nl + 1 : parser->end;
      parser->line++;
    }
}

static char
guess_delimiter (const char *p,
                 const char *end)
{
  gsize commas = 0;
  gsize semicolons = 0;
  gboolean quoted = FALSE;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\n')
        break;
      else if (*p == '\t')
        return '\t';
      else if (*p == ',')
        commas++;
      else if (*p == ';')
        semicolons++;
    }

  /* Semicolons are rarer than commas inside text, so they win a tie. */
  return semicolons > 0 && semicolons >= commas ? ';' : ',';
}

static void
count_lines (CsvParser  *parser,
             const char *from,
             const char *to)
{
  for (const char *nl = from; (nl = memchr (nl, '\n', to - nl)) != NULL; nl++)
    parser->line++;
}

/* Appends quoted text, turning CRLF into LF so multi-line fields read the
 * same whichever system wrote them. */
static void
append_quoted_run (CsvParser  *parser,
                   const char *from,
                   const char *to)
{
  const char *cr;

  count_lines (parser, from, to);

  while ((cr = memchr (from, '\r', to - from)) != NULL)
    {
      g_string_append_len (parser->buf, from, cr - from);
      if (cr + 1 < to && cr[1] == '\n')
        from = cr + 1;
      else
        {
          g_string_append_c (parser->buf, '\n');
          from = cr + 1;
        }
    }
  g_string_append_len (parser->buf, from, to - from);
}

/* Parses one record into parser->fields. Returns FALSE at the end of the
 * data (with @error unset) or on error. */
static gboolean
parse_record (CsvParser  *parser,
              guint      *record_line,
              GError    **error)
{
  const char *end = parser->end;
  const char delimiter = parser->delimiter;

  g_string_truncate (parser->buf, 0);
  g_array_set_size (parser->fields, 0);

  if (parser->p >= end)
    return FALSE;

  *record_line = parser->line;

  for (;;)
    {
      FieldSpan span = { parser->buf->len, 0 };
      guint field_line = parser->line;
      const char *p = parser->p;

      if (p < end && *p == '"')
        {
          p++;
          for (;;)
            {
              const char *quote = memchr (p, '"', end - p);

              if (quote == NULL)
                {
                  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MALFORMED,
                               _("Line %u: a quoted field is never closed"), field_line);
                  return FALSE;
                }
              append_quoted_run (parser, p, quote);
              if (parser->buf->len - span.offset > RH_CSV_MAX_FIELD_BYTES)
                break;
              p = quote + 1;
              if (p < end && *p == '"')
                {
                  g_string_append_c (parser->buf, '"');
                  p++;
                }
              else
                break;
            }
        }

      /* Text after a closing quote is kept rather than refused: spreadsheet
       * exports are not always strict about it. */
      {
        const char *run = p;

        while (p < end && *p != delimiter && *p != '\n' && *p != '\r')
          p++;
        g_string_append_len (parser->buf, run, p - run);
      }

      span.length = parser->buf->len - span.offset;
      if (span.length > RH_CSV_MAX_FIELD_BYTES)
        {
          g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE,
                       _("Line %u: a field is longer than %u KiB"),
                       field_line, (guint) (RH_CSV_MAX_FIELD_BYTES / 1024));
          return FALSE;
        }
      g_array_append_val (parser->fields, span);

      if (p >= end)
        {
          parser->p = p;
          return TRUE;
        }
      if (*p == delimiter)
        {
          parser->p = p + 1;
          continue;
        }

      /* A line break: CRLF, LF, or a lone CR from old Mac files. */
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      parser->p = p + 1;
      parser->line++;
      return TRUE;
    }
}

static gboolean
get_span (CsvParser   *parser,
          int          column,
          const char **text,
          gsize       *length)
{
  FieldSpan *span;

  if (column < 0 || (guint) column >= parser->fields->len)
    return FALSE;

  span = &g_array_index (parser->fields, FieldSpan, column);
  *text = parser->buf->str + span->offset;
  *length = span->length;
  trim_span (text, length);

  return *length > 0;
}

static char *
get_field (CsvParser *parser,
           int        column,
           gboolean   html)
{
  const char *text;
  gsize length;
  char *value;

  if (!get_span (parser, column, &text, &length))
    return NULL;

  value = g_strndup (text, length);
  if (html)
    {
      char *plain = rh_html_to_text (value);

      g_free (value);
      value = plain;
      if (*value == '\0')
        g_clear_pointer (&value, g_free);
    }

  return value;
}

static gboolean
record_is_blank (CsvParser *parser)
{
  for (guint i = 0; i < parser->fields->len; i++)
    {
      const char *text;
      gsize length;

      if (get_span (parser, i, &text, &length))
        return FALSE;
    }
  return TRUE;
}

static int
column_for_name (const char *name,
                 gsize       length)
{
  static const struct { const char *name; int column; } names[] = {
    { "front", COL_FRONT }, { "question", COL_FRONT },
    { "back", COL_BACK }, { "answer", COL_BACK },
    { "notes", COL_NOTES }, { "note", COL_NOTES },
    { "example", COL_EXAMPLE }, { "examples", COL_EXAMPLE },
    { "tags", COL_TAGS }, { "tag", COL_TAGS },
    { "deck", COL_DECK },
  };

  trim_span (&name, &length);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i].name) == length && g_ascii_strncasecmp (name, names[i].name, length) == 0)
      return names[i].column;

  return -1;
}

/* Maps header cells to columns; returns whether both front and back were
 * named. The first of two cells with the same name wins. */
static gboolean
map_header (const char * const *cells,
            const gsize        *lengths,
            guint               n_cells,
            int                *mapping)
{
  for (int i = 0; i < N_COLS; i++)
    mapping[i] = -1;

  for (guint i = 0; i < n_cells; i++)
    {
      int which = column_for_name (cells[i], lengths[i]);

      if (which >= 0 && mapping[which] < 0)
        mapping[which] = i;
    }

  return mapping[COL_FRONT] >= 0 && mapping[COL_BACK] >= 0;
}

static gboolean
map_record_as_header (CsvParser *parser,
                      int       *mapping)
{
  guint n = parser->fields->len;
  g_autofree const char **cells = g_new (const char *, n);
  g_autofree gsize *lengths = g_new (gsize, n);

  for (guint i = 0; i < n; i++)
    {
      FieldSpan *span = &g_array_index (parser->fields, FieldSpan, i);

      cells[i] = parser->buf->str + span->offset;
      lengths[i] = span->length;
    }

  return map_header (cells, lengths, n, mapping);
}

static gboolean
map_columns_header (const char *columns,
                    char        delimiter,
                    int        *mapping)
{
  char separator[2] = { delimiter, '\0' };
  g_auto(GStrv) cells = g_strsplit (columns, separator, -1);
  guint n = g_strv_length (cells);
  g_autofree gsize *lengths = g_new (gsize, n + 1);

  for (guint i = 0; i < n; i++)
    lengths[i] = strlen (cells[i]);

  return map_header ((const char * const *) cells, lengths, n, mapping);
}

/* With "#deck column:" and the like, note fields are the columns left
 * over, in order, as Anki itself reads them. */
static void
map_anki_columns (const AnkiHeaders *headers,
                  int               *mapping)
{
  int next = 0;

  for (int i = 0; i < N_COLS; i++)
    mapping[i] = -1;
  mapping[COL_TAGS] = headers->column_of[COL_TAGS];
  mapping[COL_DECK] = headers->column_of[COL_DECK];

  for (int which = COL_FRONT; which <= COL_BACK; which++)
    {
      gboolean claimed;

      do
        {
          claimed = FALSE;
          for (guint i = 0; headers->claimed && i < headers->claimed->len; i++)
            if (g_array_index (headers->claimed, int, i) == next)
              claimed = TRUE;
          if (claimed)
            next++;
        }
      while (claimed);

      mapping[which] = next++;
    }
}

static void
report_progress (CsvParser            *parser,
                 RhImportProgressFunc  progress,
                 gpointer              progress_data)
{
  gsize total = parser->end - parser->start;

  if (progress != NULL)
    progress (total > 0 ? (double) (parser->p - parser->start) / total : 1.0, progress_data);
}

static RhImportCard *
card_from_record (CsvParser          *parser,
                  const int          *mapping,
                  const AnkiHeaders  *headers,
                  guint               record_line,
                  GError            **error)
{
  g_autoptr(RhImportCard) card = rh_import_card_new ();
  const char *tags = NULL;
  gsize tags_length = 0;
  gboolean has_tags;

  card->source_line = record_line;
  card->front = get_field (parser, mapping[COL_FRONT], headers->html);
  card->back = get_field (parser, mapping[COL_BACK], headers->html);

  if (card->front == NULL || card->back == NULL)
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD,
                   card->front == NULL ? _("Line %u has no front") : _("Line %u has no back"),
                   record_line);
      return NULL;
    }

  card->notes = get_field (parser, mapping[COL_NOTES], headers->html);
  card->example = get_field (parser, mapping[COL_EXAMPLE], headers->html);
  card->deck_name = get_field (parser, mapping[COL_DECK], FALSE);
  if (card->deck_name == NULL)
    card->deck_name = g_strdup (headers->deck);

  has_tags = get_span (parser, mapping[COL_TAGS], &tags, &tags_length);
  if (has_tags || headers->tags != NULL)
    {
      g_autoptr(GString) all = g_string_new (headers->tags);

      if (has_tags)
        {
          g_string_append_c (all, ' ');
          g_string_append_len (all, tags, tags_length);
        }
      g_strfreev (card->tags);
      card->tags = rh_import_split_tags (all->str, all->len);
    }

  return g_steal_pointer (&card);
}

/**
 * rh_csv_read_bytes:
 * @bytes: the file's contents
 * @options: (nullable): how to read it; %NULL for the defaults of
 *   rh_csv_options_init()
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called now and then with the share read
 * @progress_data: data for @progress
 * @error: return location for a #RH_IMPORT_ERROR
 *
 * Reads delimited text (CSV, TSV, Anki's text export) into cards, one per
 * row, in file order. Blank rows, and rows whose cells are all blank, are
 * skipped. `#` lines before the first row are Anki export headers:
 * `#separator:`, `#html:` (fields are reduced from HTML when true),
 * `#deck:`, `#tags:`, `#columns:` and `#… column:N` are honoured and win
 * over @options; other `#` lines are ignored.
 *
 * Returns: (transfer full): the cards, or %NULL with @error set
 */
RhImportData *
rh_csv_read_bytes (GBytes                *bytes,
                   const RhCsvOptions    *options,
                   GCancellable          *cancellable,
                   RhImportProgressFunc   progress,
                   gpointer               progress_data,
                   GError               **error)
{
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(GString) buf = NULL;
  g_autoptr(GArray) fields = NULL;
  AnkiHeaders headers = { 0 };
  RhCsvOptions defaults;
  CsvParser parser = { 0 };
  int mapping[N_COLS];
  int named[N_COLS];
  gboolean header_done = FALSE;
  gboolean ok = TRUE;
  const char *contents;
  gsize length;
  guint rows = 0;
  guint record_line = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      rh_csv_options_init (&defaults);
      options = &defaults;
    }

  contents = g_bytes_get_data (bytes, &length);
  if (contents == NULL)
    contents = "";

  if (length > RH_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB"),
                   (guint) (RH_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  if (!check_encoding (contents, length, error))
    return NULL;

  data = rh_import_data_new ();
  buf = g_string_sized_new (256);
  fields = g_array_sized_new (FALSE, FALSE, sizeof (FieldSpan), 8);

  parser.start = contents;
  parser.end = contents + length;
  parser.p = skip_bom (contents, parser.end);
  parser.line = 1;
  parser.buf = buf;
  parser.fields = fields;

  for (int i = 0; i < N_COLS; i++)
    headers.column_of[i] = -1;
  read_top_comments (&parser, &headers);

  parser.delimiter = options->delimiter;
  if (headers.delimiter != 0)
    parser.delimiter = headers.delimiter;
  /* These would make every field a quote or a line: treat as unset. */
  if (parser.delimiter == '"' || parser.delimiter == '\n' || parser.delimiter == '\r')
    parser.delimiter = 0;
  if (parser.delimiter == 0)
    parser.delimiter = guess_delimiter (parser.p, parser.end);

  mapping[COL_FRONT] = options->col_front;
  mapping[COL_BACK] = options->col_back;
  mapping[COL_NOTES] = options->col_notes;
  mapping[COL_EXAMPLE] = options->col_example;
  mapping[COL_TAGS] = options->col_tags;
  mapping[COL_DECK] = options->col_deck;

  /* A "#columns:" line naming fields we do not know (a cloze note type,
   * say) says nothing useful, so the caller's mapping stays. */
  if (headers.columns != NULL && map_columns_header (headers.columns, parser.delimiter, named))
    {
      memcpy (mapping, named, sizeof mapping);
      header_done = TRUE;
    }
  else if (headers.has_column_of)
    {
      map_anki_columns (&headers, mapping);
      header_done = TRUE;
    }

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      RhImportCard *card;

      if (!parse_record (&parser, &record_line, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              ok = FALSE;
            }
          break;
        }

      if (record_is_blank (&parser))
        continue;

      if (!header_done)
        {
          header_done = TRUE;
          if (map_record_as_header (&parser, named))
            {
              memcpy (mapping, named, sizeof mapping);
              continue;
            }
          if (options->has_header)
            {
              g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_MISSING_FIELD,
                           _("Line %u: the header row names no front or no back column"),
                           record_line);
              ok = FALSE;
              break;
            }
        }

      card = card_from_record (&parser, mapping, &headers, record_line, error);
      if (card == NULL)
        {
          ok = FALSE;
          break;
        }
      rh_import_data_take_card (data, card);

      if (++rows % ROWS_PER_TICK == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED,
                           _("The import was cancelled"));
              ok = FALSE;
              break;
            }
          report_progress (&parser, progress, progress_data);
        }
    }

  anki_headers_clear (&headers);

  if (!ok)
    return NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_CANCELLED,
                   _("The import was cancelled"));
      return NULL;
    }

  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&data);
}

/**
 * rh_csv_read_file:
 * @path: a file in the file system's encoding
 * @options: (nullable): as for rh_csv_read_bytes()
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called now and then with the share read
 * @progress_data: data for @progress
 * @error: return location for a #RH_IMPORT_ERROR
 *
 * Reads @path with rh_csv_read_bytes(), refusing files over
 * %RH_CSV_MAX_FILE_BYTES before reading them.
 *
 * Returns: (transfer full): the cards, or %NULL with @error set
 */
RhImportData *
rh_csv_read_file (const char            *path,
                  const RhCsvOptions    *options,
                  GCancellable          *cancellable,
                  RhImportProgressFunc   progress,
                  gpointer               progress_data,
                  GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  GStatBuf st;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_basename (path);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  if (st.st_size > 0 && (guint64) st.st_size > RH_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_TOO_LARGE,
                   _("“%s” is larger than %u MiB"), display,
                   (guint) (RH_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_IO,
                   _("Could not read “%s”: %s"), display, local_error->message);
      return NULL;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  return rh_csv_read_bytes (bytes, options, cancellable, progress, progress_data, error);
}
