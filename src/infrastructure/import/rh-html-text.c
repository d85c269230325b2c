// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include <string.h>

#include "rh-html-text.h"

/* Anki fields are small HTML fragments written by its editor, not whole
 * documents, so a forgiving single-pass scanner is enough: anything that
 * does not parse as a tag or an entity is kept as text rather than lost. */

typedef struct
{
  GString  *out;
  gboolean  pending_space;
} TextBuilder;

typedef struct
{
  const char *name;
  const char *text;
} NamedEntity;

static const NamedEntity named_entities[] = {
  { "amp", "&" },
  { "lt", "<" },
  { "gt", ">" },
  { "quot", "\"" },
  { "apos", "'" },
  { "nbsp", " " },
  { "ensp", " " },
  { "emsp", " " },
  { "thinsp", " " },
  { "shy", "" },
  { "zwnj", "" },
  { "zwj", "" },
  { "ndash", "\u2013" },
  { "mdash", "\u2014" },
  { "hellip", "\u2026" },
  { "lsquo", "\u2018" },
  { "rsquo", "\u2019" },
  { "ldquo", "\u201c" },
  { "rdquo", "\u201d" },
  { "laquo", "\u00ab" },
  { "raquo", "\u00bb" },
  { "middot", "\u00b7" },
  { "bull", "\u2022" },
  { "deg", "\u00b0" },
  { "times", "\u00d7" },
  { "divide", "\u00f7" },
  { "plusmn", "\u00b1" },
  { "copy", "\u00a9" },
  { "reg", "\u00ae" },
  { "euro", "\u20ac" },
  { "larr", "\u2190" },
  { "rarr", "\u2192" },
  { "harr", "\u2194" },
};

/* Elements a browser would start on a line of their own. */
static const char * const block_elements[] = {
  "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
  "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
  "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr",
  "ul",
};

static inline gboolean
is_ascii_alpha (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
builder_space (TextBuilder *b)
{
  if (b->out->len > 0 && b->out->str[b->out->len - 1] != '\n')
    b->pending_space = TRUE;
}

static void
builder_text (TextBuilder *b,
              const char  *text,
              gsize        len)
{
  if (len == 0)
    return;
  if (b->pending_space)
    g_string_append_c (b->out, ' ');
  b->pending_space = FALSE;
  g_string_append_len (b->out, text, len);
}

/* A block boundary: a new line unless we are already on a fresh one. */
static void
builder_soft_break (TextBuilder *b)
{
  b->pending_space = FALSE;
  if (b->out->len > 0 && b->out->str[b->out->len - 1] != '\n')
    g_string_append_c (b->out, '\n');
}

/* <br>: always a new line, but never more than one blank line in a row,
 * since stacks of <br> in Anki fields are usually editor leftovers. */
static void
builder_hard_break (TextBuilder *b)
{
  b->pending_space = FALSE;
  if (b->out->len >= 2 && b->out->str[b->out->len - 1] == '\n' &&
      b->out->str[b->out->len - 2] == '\n')
    return;
  g_string_append_c (b->out, '\n');
}

static gboolean
name_in (const char         *name,
         const char * const *list,
         gsize               n_list)
{
  for (gsize i = 0; i < n_list; i++)
    if (strcmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *
find_ci (const char *haystack,
         const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;
  return NULL;
}

/* Where a tag that is still open at each place of the text ends, built
 * the first time a tag runs to the end of the text unclosed. Without it,
 * text like "<a<a<a…" was read to its end once per "<": quadratic, and
 * minutes for a field of a megabyte. */
typedef struct
{
  const char *text;
  gsize       length;
  /* For each offset i: where a tag scan from i ends (the offset just past
   * its '>') outside quotes, inside "…" and inside '…'; -1 when it does
   * not. Three arrays of length + 1, or NULL until needed. */
  gssize     *ends;
} TagEnds;

enum { OUTSIDE, IN_DOUBLE, IN_SINGLE };

static void
tag_ends_build (TagEnds *t)
{
  gsize n = t->length;
  gssize *out = g_new (gssize, 3 * (n + 1));
  gssize *outside = out, *in_double = out + (n + 1), *in_single = out + 2 * (n + 1);

  outside[n] = in_double[n] = in_single[n] = -1;
  for (gsize i = n; i-- > 0;)
    {
      char c = t->text[i];

      outside[i] = c == '>' ? (gssize) i + 1
                 : c == '"' ? in_double[i + 1]
                 : c == '\'' ? in_single[i + 1]
                 : outside[i + 1];
      in_double[i] = c == '"' ? outside[i + 1] : in_double[i + 1];
      in_single[i] = c == '\'' ? outside[i + 1] : in_single[i + 1];
    }
  t->ends = out;
}

/* The end of a tag whose attributes start at @q, or NULL */
static const char *
tag_end (TagEnds    *t,
         const char *q)
{
  char quote = 0;
  gssize end;

  if (t->ends == NULL)
    {
      for (; *q; q++)
        {
          if (quote)
            {
              if (*q == quote)
                quote = 0;
            }
          else if (*q == '"' || *q == '\'')
            quote = *q;
          else if (*q == '>')
            return q + 1;
        }
      /* ran to the end: from now on, look it up */
      tag_ends_build (t);
      return NULL;
    }

  end = t->ends[q - t->text];
  return end < 0 ? NULL : t->text + end;
}

/* Returns the end of the tag starting at @p (just past '>'), or NULL when
 * @p does not start a tag, in which case the '<' is plain text. */
static const char *
scan_tag (TagEnds    *t,
          const char *p,
          char       *name,
          gsize       name_size,
          gboolean   *closing)
{
  const char *q = p + 1;
  gsize n = 0;

  *closing = FALSE;
  name[0] = '\0';

  if (*q == '!')
    {
      if (strncmp (q, "!--", 3) == 0)
        {
          const char *end = strstr (q + 3, "-->");
          return end ? end + 3 : q + strlen (q);
        }
    }
  else
    {
      if (*q == '/')
        {
          *closing = TRUE;
          q++;
        }
      if (!is_ascii_alpha (*q))
        return NULL;
      while (g_ascii_isalnum (*q))
        {
          if (n + 1 < name_size)
            name[n++] = g_ascii_tolower (*q);
          q++;
        }
      name[n] = '\0';
    }

  return tag_end (t, q);
}

/* Decodes the entity at @p ('&'); on success appends it and returns the
 * position after ';', otherwise returns NULL. */
static const char *
decode_entity (TextBuilder *b,
               const char  *p)
{
  const char *semi;
  gsize len;

  semi = memchr (p, ';', strnlen (p, 12));
  if (semi == NULL)
    return NULL;
  len = semi - (p + 1);
  if (len == 0)
    return NULL;

  if (p[1] == '#')
    {
      gboolean hex = (p[2] == 'x' || p[2] == 'X');
      const char *digits = p + (hex ? 3 : 2);
      guint64 value = 0;
      char utf8[6];
      gint n;

      if (digits == semi)
        return NULL;
      for (const char *d = digits; d < semi; d++)
        {
          int v = hex ? g_ascii_xdigit_value (*d) : g_ascii_digit_value (*d);
          if (v < 0)
            return NULL;
          value = value * (hex ? 16 : 10) + v;
          if (value > 0x10FFFF)
            value = 0x110000;
        }

      /* Browsers turn the code points that cannot appear in text into the
       * replacement character instead of dropping them. */
      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;

      if (value == 0xA0 || value < 0x20 || (value >= 0x7F && value <= 0x9F))
        builder_space (b);
      else
        {
          n = g_unichar_to_utf8 ((gunichar) value, utf8);
          builder_text (b, utf8, n);
        }
      return semi + 1;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (named_entities); i++)
    {
      const NamedEntity *e = &named_entities[i];

      if (strlen (e->name) == len && strncmp (p + 1, e->name, len) == 0)
        {
          if (strcmp (e->text, " ") == 0)
            builder_space (b);
          else
            builder_text (b, e->text, strlen (e->text));
          return semi + 1;
        }
    }

  return NULL;
}

/**
 * rh_html_to_text:
 * @html: (nullable): an HTML fragment such as an Anki field
 *
 * Reduces @html to plain text: line breaks for `<br>` and block elements,
 * other tags (and script or style content) dropped, entities decoded,
 * `[sound:…]` references removed, runs of whitespace (and control
 * characters) collapsed to one space and the result trimmed. Invalid UTF-8
 * is repaired first.
 *
 * Returns: (transfer full): the text, possibly empty
 */
char *
rh_html_to_text (const char *html)
{
  g_autofree char *valid = NULL;
  TextBuilder b = { NULL, FALSE };
  TagEnds tags = { NULL, 0, NULL };
  /* once a "[sound:" found no "]" after it, no later one will */
  gboolean sound_unclosed = FALSE;
  const char *p;

  if (html == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (html, -1, NULL))
    html = valid = g_utf8_make_valid (html, -1);

  b.out = g_string_sized_new (strlen (html));
  tags.text = html;
  tags.length = strlen (html);
  p = html;

  while (*p)
    {
      const char *run = p;

      /* Copy ordinary text in runs: most of a field is plain words. */
      while (*p && *p != '<' && *p != '&' && *p != '[' && (guchar) *p > 0x20 && *p != 0x7F &&
             !((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0))
        p++;
      builder_text (&b, run, p - run);

      if (*p == '\0')
        break;

      if (*p == '<')
        {
          char name[16];
          gboolean closing;
          const char *end = scan_tag (&tags, p, name, sizeof name, &closing);

          if (end == NULL)
            {
              builder_text (&b, "<", 1);
              p++;
              continue;
            }

          p = end;

          if (strcmp (name, "br") == 0)
            builder_hard_break (&b);
          else if (name_in (name, block_elements, G_N_ELEMENTS (block_elements)))
            builder_soft_break (&b);
          else if (strcmp (name, "td") == 0 || strcmp (name, "th") == 0)
            builder_space (&b);
          else if (!closing && (strcmp (name, "script") == 0 || strcmp (name, "style") == 0))
            {
              g_autofree char *close = g_strconcat ("</", name, NULL);
              const char *close_at = find_ci (p, close);
              const char *close_end = close_at ? strchr (close_at, '>') : NULL;

              p = close_end ? close_end + 1 : p + strlen (p);
            }
        }
      else if (*p == '&')
        {
          const char *end = decode_entity (&b, p);

          if (end == NULL)
            {
              builder_text (&b, "&", 1);
              p++;
            }
          else
            p = end;
        }
      else if (*p == '[')
        {
          const char *close = NULL;

          if (!sound_unclosed && strncmp (p, "[sound:", 7) == 0 &&
              !(close = strchr (p + 7, ']')))
            sound_unclosed = TRUE;

          if (close != NULL)
            p = close + 1;
          else
            {
              builder_text (&b, "[", 1);
              p++;
            }
        }
      else if (*p == '\xC2')
        {
          /* A literal no-break space, which Anki's editor writes a lot. */
          builder_space (&b);
          p += 2;
        }
      else
        {
          /* Whitespace, or a control character, which plain text has no
           * use for either. */
          builder_space (&b);
          p++;
        }
    }

  g_free (tags.ends);
  g_strstrip (b.out->str);
  return g_string_free (b.out, FALSE);
}
