// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-sqlite-card-repository.h"
#include "rh-sqlite-search-index.h"
#include "rh-text.h"

struct _RhSqliteCardRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
  /* the last row before a bulk insert began, -1 outside one, and the
   * transaction it belongs to */
  gint64            bulk_after;
  guint64           bulk_transaction;
  /* the decks found live since the bulk insert began: an import checks
   * each once, not once a card */
  GHashTable       *bulk_live_decks;
};

static void rh_sqlite_card_repository_iface_init (RhCardRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteCardRepository, rh_sqlite_card_repository, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_CARD_REPOSITORY,
                                                      rh_sqlite_card_repository_iface_init))

#define CARD_COLUMNS \
  "c.id, c.deck_id, c.front, c.back, c.notes, c.example, c.tags, c.created, c.modified," \
  " c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses," \
  " c.scheduled_days"

#define READ_FAILED _("Could not read the cards")

static gpointer
card_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(RhFlashcard) card = NULL;
  g_auto(GStrv) tags = NULL;
  RhCardState state;

  card = rh_flashcard_new_with_id ((const char *) sqlite3_column_text (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1),
                                   (const char *) sqlite3_column_text (stmt, 2),
                                   (const char *) sqlite3_column_text (stmt, 3),
                                   sqlite3_column_int64 (stmt, 7),
                                   error);
  if (card == NULL)
    return NULL;

  tags = rh_text_split_tags ((const char *) sqlite3_column_text (stmt, 6));
  if (!rh_flashcard_set_notes (card, (const char *) sqlite3_column_text (stmt, 4), error) ||
      !rh_flashcard_set_example (card, (const char *) sqlite3_column_text (stmt, 5), error) ||
      !rh_flashcard_set_tags (card, (const char * const *) tags, error))
    return NULL;
  rh_flashcard_set_modified (card, sqlite3_column_int64 (stmt, 8));

  state.state = sqlite3_column_int (stmt, 9);
  state.step = sqlite3_column_int (stmt, 10);
  state.stability = sqlite3_column_double (stmt, 11);
  state.difficulty = sqlite3_column_double (stmt, 12);
  state.due_us = sqlite3_column_int64 (stmt, 13);
  state.last_review_us = sqlite3_column_int64 (stmt, 14);
  state.reps = sqlite3_column_int (stmt, 15);
  state.lapses = sqlite3_column_int (stmt, 16);
  state.scheduled_days = sqlite3_column_int (stmt, 17);
  rh_flashcard_set_state (card, &state);

  return g_steal_pointer (&card);
}

static void
bind_state (sqlite3_stmt      *stmt,
            int                first,
            const RhCardState *state)
{
  sqlite3_bind_int (stmt, first, state->state);
  sqlite3_bind_int (stmt, first + 1, state->step);
  sqlite3_bind_double (stmt, first + 2, state->stability);
  sqlite3_bind_double (stmt, first + 3, state->difficulty);
  sqlite3_bind_int64 (stmt, first + 4, state->due_us);
  sqlite3_bind_int64 (stmt, first + 5, state->last_review_us);
  sqlite3_bind_int (stmt, first + 6, state->reps);
  sqlite3_bind_int (stmt, first + 7, state->lapses);
  sqlite3_bind_int (stmt, first + 8, state->scheduled_days);
}

/* Cards go into live decks only: a deleted deck has no live cards, and
 * the foreign key alone would accept its tombstone. */
#define LIVE_DECK(param) "EXISTS (SELECT 1 FROM decks WHERE id = " param " AND deleted = 0)"

static void
set_deck_not_found (GError **error)
{
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
               _("The card’s deck does not exist"));
}

/* Maps the constraints a learner's action can break to domain errors. */
static gboolean
write_failed (RhSqliteCardRepository  *self,
              GError                  *local_error,
              GError                 **error)
{
  int code = sqlite3_extended_errcode (rh_sqlite_database_get_handle (self->db));

  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_error_free (local_error);
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                   _("The card is already in the collection"));
    }
  else
    g_propagate_error (error, local_error);
  return FALSE;
}

static void
set_not_found (GError **error)
{
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND, _("The card does not exist"));
}

static RhFlashcard *
rh_sqlite_card_repository_get (RhCardRepository  *repo,
                               const char        *id,
                               GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " CARD_COLUMNS " FROM cards c"
                                     " WHERE c.id = ?1 AND c.deleted = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return card_from_row (stmt, error);
  if (rc == SQLITE_DONE)
    set_not_found (error);
  else
    rh_sqlite_database_set_error (self->db, error, READ_FAILED);
  return NULL;
}

static gboolean
in_bulk (RhSqliteCardRepository *self)
{
  return self->bulk_after >= 0 &&
         rh_sqlite_database_in_transaction (self->db) &&
         self->bulk_transaction == rh_sqlite_database_get_transaction_serial (self->db);
}

static gboolean
deck_is_live (RhSqliteCardRepository  *self,
              const char              *deck_id,
              GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT 1 FROM decks WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, deck_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    set_deck_not_found (error);
  else
    rh_sqlite_database_set_error (self->db, error, READ_FAILED);
  return FALSE;
}

/* Every field gets the same first stamp; the scheduling state is stored
 * as it is (an import may bring cards already studied). */
static gboolean
rh_sqlite_card_repository_insert (RhCardRepository  *repo,
                                  RhFlashcard       *card,
                                  GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *tags = rh_flashcard_dup_tags_string (card);
  g_autofree char *stamp = NULL;
  sqlite3 *handle = rh_sqlite_database_get_handle (self->db);

  /* The deck check is its own lookup: a single-row INSERT ... VALUES
   * needs no statement journal, an INSERT ... SELECT does. */
  if (in_bulk (self) &&
      g_hash_table_contains (self->bulk_live_decks, rh_flashcard_get_deck_id (card)))
    ;
  else if (!deck_is_live (self, rh_flashcard_get_deck_id (card), error))
    return FALSE;
  else if (in_bulk (self))
    g_hash_table_add (self->bulk_live_decks, g_strdup (rh_flashcard_get_deck_id (card)));

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO cards (id, deck_id, front, back, notes, example,"
                                     " tags, created, modified, front_hlc, back_hlc, notes_hlc,"
                                     " example_hlc, tags_hlc, deck_hlc, state, step, stability,"
                                     " difficulty, due, last_review, reps, lapses, scheduled_days)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                                     " ?10, ?10, ?10, ?10, ?10, ?10,"
                                     " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, rh_flashcard_get_id (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rh_flashcard_get_deck_id (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rh_flashcard_get_front (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rh_flashcard_get_back (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rh_flashcard_get_notes (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, rh_flashcard_get_example (card), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, tags, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, rh_flashcard_get_created (card));
  sqlite3_bind_int64 (stmt, 9, rh_flashcard_get_modified (card));
  sqlite3_bind_text (stmt, 10, stamp, -1, SQLITE_STATIC);
  bind_state (stmt, 11, rh_flashcard_get_state (card));

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not add the card"), &local_error))
    return write_failed (self, g_steal_pointer (&local_error), error);

  if (in_bulk (self))
    return TRUE;
  return rh_sqlite_search_index_add (self->db, sqlite3_last_insert_rowid (handle),
                                     rh_flashcard_get_front (card), rh_flashcard_get_back (card),
                                     rh_flashcard_get_notes (card), rh_flashcard_get_example (card),
                                     tags, error);
}

/* The fields a learner edits, each with its own stamp; the order is the
 * order of the columns read in update(). */
static const struct
{
  const char *column;
  const char *stamp_column;
} content_fields[] = {
  { "deck_id", "deck_hlc" },
  { "front", "front_hlc" },
  { "back", "back_hlc" },
  { "notes", "notes_hlc" },
  { "example", "example_hlc" },
  { "tags", "tags_hlc" },
};

static gboolean
rh_sqlite_card_repository_update (RhCardRepository  *repo,
                                  RhFlashcard       *card,
                                  GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  const char *what = _("Could not save the card");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *tags = rh_flashcard_dup_tags_string (card);
  g_autofree char *stamp = NULL;
  g_autoptr(GString) sql = NULL;
  const char *values[G_N_ELEMENTS (content_fields)];
  gboolean changed[G_N_ELEMENTS (content_fields)];
  gboolean any_changed = FALSE;
  gint64 now = g_get_real_time ();

  values[0] = rh_flashcard_get_deck_id (card);
  values[1] = rh_flashcard_get_front (card);
  values[2] = rh_flashcard_get_back (card);
  values[3] = rh_flashcard_get_notes (card);
  values[4] = rh_flashcard_get_example (card);
  values[5] = tags;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;
    int rc;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT deck_id, front, back, notes, example, tags"
                                       " FROM cards WHERE id = ?1 AND deleted = 0",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, rh_flashcard_get_id (card), -1, SQLITE_TRANSIENT);

    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        set_not_found (error);
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      {
        rh_sqlite_database_set_error (self->db, error, what);
        return FALSE;
      }

    for (guint i = 0; i < G_N_ELEMENTS (content_fields); i++)
      {
        const char *stored = (const char *) sqlite3_column_text (stmt, i);

        /* Empty optional text is NULL in the card but may be either here. */
        changed[i] = g_strcmp0 (stored && *stored ? stored : NULL,
                                values[i] && *values[i] ? values[i] : NULL) != 0;
        any_changed |= changed[i];
      }
  }

  if (!any_changed)
    return TRUE;

  /* Only the changed fields are written, each with the new stamp: the
   * sync merges field by field, so an untouched field must keep the stamp
   * of its last real change. Parameters: ?1 id, ?2 stamp, ?3 modified,
   * ?4.. the fields. */
  sql = g_string_new ("UPDATE cards SET ");
  for (guint i = 0; i < G_N_ELEMENTS (content_fields); i++)
    if (changed[i])
      g_string_append_printf (sql, "%s = ?%u, %s = ?2, ",
                              content_fields[i].column, i + 4, content_fields[i].stamp_column);
  g_string_append (sql, "modified = ?3, pending = 1 WHERE id = ?1");
  if (changed[0])
    g_string_append (sql, " AND " LIVE_DECK ("?4"));

  {
    g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (self->db, sql->str, error);

    if (stmt == NULL)
      return FALSE;

    stamp = rh_sqlite_database_next_stamp (self->db);
    sqlite3_bind_text (stmt, 1, rh_flashcard_get_id (card), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, now);
    for (guint i = 0; i < G_N_ELEMENTS (content_fields); i++)
      if (changed[i])
        sqlite3_bind_text (stmt, i + 4, values[i], -1, SQLITE_TRANSIENT);

    if (!rh_sqlite_database_step_done (self->db, stmt, what, &local_error))
      return write_failed (self, g_steal_pointer (&local_error), error);
    /* The card was there a moment ago: only the deck can be missing. */
    if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
      {
        set_deck_not_found (error);
        return FALSE;
      }
  }

  rh_flashcard_set_modified (card, now);
  return TRUE;
}

static gboolean
rh_sqlite_card_repository_update_state (RhCardRepository   *repo,
                                        const char         *card_id,
                                        const RhCardState  *state,
                                        GError            **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  /* A cache of the reviews: neither stamped nor marked pending. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE cards SET state = ?2, step = ?3, stability = ?4,"
                                     " difficulty = ?5, due = ?6, last_review = ?7, reps = ?8,"
                                     " lapses = ?9, scheduled_days = ?10"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT);
  bind_state (stmt, 2, state);

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not save the card"), error))
    return FALSE;
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      set_not_found (error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rh_sqlite_card_repository_remove (RhCardRepository  *repo,
                                  const char        *id,
                                  GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *stamp = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE cards SET deleted = 1, deleted_hlc = ?2,"
                                     " modified = ?3, pending = 1"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not delete the card"), error))
    return FALSE;
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      set_not_found (error);
      return FALSE;
    }
  return TRUE;
}

/* Whether the unicode61 tokenizer would find a token in @word: a word of
 * punctuation alone would become an empty phrase, which matches nothing. */
static gboolean
has_token (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || g_unichar_type (c) == G_UNICODE_PRIVATE_USE)
        return TRUE;
    }
  return FALSE;
}

/**
 * build_match:
 * @text: what the learner typed
 *
 * Each word becomes a quoted FTS5 string (any `"` doubled) with a prefix
 * star, and all of them must match: nothing the learner types is read as
 * query syntax (AND, NEAR, -, ^, quotes, ...).
 *
 * Returns: (transfer full) (nullable): the MATCH expression, or %NULL when
 *   @text has no words to look for
 */
static char *
build_match (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  const char *p;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);

  p = valid;
  while (*p != '\0')
    {
      const char *start;
      g_autofree char *word = NULL;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      word = g_strndup (start, p - start);
      if (!has_token (word))
        continue;

      if (match->len > 0)
        g_string_append (match, " AND ");
      g_string_append_c (match, '"');
      for (const char *c = word; *c; c++)
        {
          if (*c == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *c);
        }
      g_string_append (match, "\"*");
    }

  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static const char *
sort_expression (RhCardSort sort)
{
  switch (sort)
    {
    case RH_CARD_SORT_FRONT:
      return "c.front COLLATE NOCASE";
    case RH_CARD_SORT_BACK:
      return "c.back COLLATE NOCASE";
    case RH_CARD_SORT_DECK:
      return "d.name_key";
    case RH_CARD_SORT_DUE:
      return "c.due";
    case RH_CARD_SORT_STABILITY:
      return "c.stability";
    case RH_CARD_SORT_REVIEWS:
      return "c.reps";
    case RH_CARD_SORT_CREATED:
    default:
      return "c.created";
    }
}

/* Parameters: ?1 the deck, ?2 the MATCH expression, ?3 limit, ?4 offset;
 * only the ones the SQL names are bound. */
static void
append_filter (GString           *sql,
               const RhCardQuery *query,
               gboolean           has_match)
{
  g_string_append (sql, " WHERE c.deleted = 0");
  if (query->deck_id != NULL)
    g_string_append (sql, " AND c.deck_id = ?1");
  if (has_match)
    g_string_append (sql, " AND c.seq IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH ?2)");
}

static void
bind_filter (sqlite3_stmt      *stmt,
             const RhCardQuery *query,
             const char        *match)
{
  if (query->deck_id != NULL)
    sqlite3_bind_text (stmt, 1, query->deck_id, -1, SQLITE_TRANSIENT);
  if (match != NULL)
    sqlite3_bind_text (stmt, 2, match, -1, SQLITE_TRANSIENT);
}

/* Ties go by the order cards were added, in the same direction, so a
 * descending list is the ascending one reversed. */
static void
append_order (GString           *sql,
              const RhCardQuery *query)
{
  const char *direction = query->descending ? "DESC" : "ASC";

  g_string_append_printf (sql, " ORDER BY %s %s, c.seq %s",
                          sort_expression (query->sort), direction, direction);
}

static const char *
sort_join (const RhCardQuery *query)
{
  return query->sort == RH_CARD_SORT_DECK ? " JOIN decks d ON d.id = c.deck_id" : "";
}

/* "SELECT @what" of the cards a query finds, in its order, sorting the
 * keys alone. Without a deck there is no index worth using: filtering
 * the tombstones through one would look up every row in index order. */
static void
append_sorted_keys (GString           *sql,
                    const RhCardQuery *query,
                    gboolean           has_match,
                    const char        *what)
{
  g_string_append_printf (sql, "SELECT %s FROM cards c%s%s", what,
                          query->deck_id == NULL ? " NOT INDEXED" : "", sort_join (query));
  append_filter (sql, query, has_match);
  append_order (sql, query);
}

static GPtrArray *
rh_sqlite_card_repository_search (RhCardRepository   *repo,
                                  const RhCardQuery  *query,
                                  guint               offset,
                                  guint               limit,
                                  GError            **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " CARD_COLUMNS " FROM cards c");
  g_autofree char *match = build_match (query->text);

  /* The page is found by sorting the keys alone, and only its rows are
   * read whole: on 100,000 cards that halves the time of a page. */
  g_string_append_printf (sql, "%s WHERE c.seq IN (", sort_join (query));
  append_sorted_keys (sql, query, match != NULL, "c.seq");
  g_string_append (sql, " LIMIT ?3 OFFSET ?4)");
  append_order (sql, query);

  if (!(stmt = rh_sqlite_database_prepare (self->db, sql->str, error)))
    return NULL;
  bind_filter (stmt, query, match);
  sqlite3_bind_int64 (stmt, 3, limit);
  sqlite3_bind_int64 (stmt, 4, offset);

  return rh_sqlite_database_collect (self->db, stmt, card_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static gboolean
rh_sqlite_card_repository_count (RhCardRepository   *repo,
                                 const RhCardQuery  *query,
                                 guint              *out_count,
                                 GError            **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM cards c");
  g_autofree char *match = build_match (query->text);

  append_filter (sql, query, match != NULL);
  if (!(stmt = rh_sqlite_database_prepare (self->db, sql->str, error)))
    return FALSE;
  bind_filter (stmt, query, match);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  *out_count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gpointer
text_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Sorted as search() sorts, so pages read by id keep its order. */
static GPtrArray *
rh_sqlite_card_repository_search_ids (RhCardRepository   *repo,
                                      const RhCardQuery  *query,
                                      GError            **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *match = build_match (query->text);

  append_sorted_keys (sql, query, match != NULL, "c.id");
  if (!(stmt = rh_sqlite_database_prepare (self->db, sql->str, error)))
    return NULL;
  bind_filter (stmt, query, match);
  return rh_sqlite_database_collect (self->db, stmt, text_from_row, g_free, READ_FAILED, error);
}

/* Ids a statement looks up at once: well under SQLite's limit on
 * parameters, and the page sizes the UI asks for fit in one. */
#define GET_MANY_CHUNK 512

static void
unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static GPtrArray *
rh_sqlite_card_repository_get_many (RhCardRepository   *repo,
                                    const char * const *ids,
                                    guint               n_ids,
                                    GError            **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(GPtrArray) result = g_ptr_array_new_full (n_ids, unref_if_any);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       g_object_unref);

  for (guint start = 0; start < n_ids; start += GET_MANY_CHUNK)
    {
      guint n = MIN (GET_MANY_CHUNK, n_ids - start);
      /* A power of two of parameters, the spare ones NULL (which matches
       * nothing): a handful of statements for the cache, not one per
       * length. */
      guint width = 1;
      g_autoptr(GString) sql = g_string_new ("SELECT " CARD_COLUMNS " FROM cards c"
                                             " WHERE c.deleted = 0 AND c.id IN (?1");
      g_autoptr(RhSqliteStatement) stmt = NULL;
      g_autoptr(GPtrArray) cards = NULL;

      while (width < n)
        width *= 2;
      for (guint i = 1; i < width; i++)
        g_string_append_printf (sql, ", ?%u", i + 1);
      g_string_append_c (sql, ')');
      if (!(stmt = rh_sqlite_database_prepare (self->db, sql->str, error)))
        return NULL;
      for (guint i = 0; i < width; i++)
        {
          if (i < n)
            sqlite3_bind_text (stmt, i + 1, ids[start + i], -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (stmt, i + 1);
        }
      if (!(cards = rh_sqlite_database_collect (self->db, stmt, card_from_row, g_object_unref,
                                                READ_FAILED, error)))
        return NULL;
      for (guint i = 0; i < cards->len; i++)
        {
          RhFlashcard *card = cards->pdata[i];

          g_hash_table_replace (found, (gpointer) rh_flashcard_get_id (card),
                                g_object_ref (card));
        }
    }

  /* in the order asked for; an id asked for twice gets its card twice */
  for (guint i = 0; i < n_ids; i++)
    {
      RhFlashcard *card = g_hash_table_lookup (found, ids[i]);

      g_ptr_array_add (result, card != NULL ? g_object_ref (card) : NULL);
    }
  return g_steal_pointer (&result);
}

static GPtrArray *
rh_sqlite_card_repository_list_fronts (RhCardRepository  *repo,
                                       const char        *deck_id,
                                       GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT front FROM cards"
                                     " WHERE deck_id = ?1 AND deleted = 0 ORDER BY seq",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, deck_id, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_collect (self->db, stmt, text_from_row, g_free, READ_FAILED, error);
}

/* The study queues. ?1 is the deck when there is one, @where may use ?2,
 * ?3 is the limit (-1: none). Separate SQL with and without the deck, so
 * each uses its index. Binding ?2 is harmless when @where does not name
 * it: ?3 makes it a valid index. */
static GPtrArray *
list_cards (RhSqliteCardRepository  *self,
            const char              *deck_id,
            const char              *where,
            const char              *order,
            gint64                   param2,
            gint64                   limit,
            GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("SELECT " CARD_COLUMNS " FROM cards c"
                         " WHERE c.deleted = 0 AND %s%s ORDER BY %s LIMIT ?3",
                         where, deck_id ? " AND c.deck_id = ?1" : "", order);
  if (!(stmt = rh_sqlite_database_prepare (self->db, sql, error)))
    return NULL;
  if (deck_id != NULL)
    sqlite3_bind_text (stmt, 1, deck_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, param2);
  sqlite3_bind_int64 (stmt, 3, limit);

  return rh_sqlite_database_collect (self->db, stmt, card_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static GPtrArray *
rh_sqlite_card_repository_list_due (RhCardRepository  *repo,
                                    const char        *deck_id,
                                    gint64             before_us,
                                    guint              limit,
                                    GError           **error)
{
  return list_cards (RH_SQLITE_CARD_REPOSITORY (repo), deck_id,
                     "c.state = 2 AND c.due < ?2", "c.due, c.seq",
                     before_us, limit, error);
}

static GPtrArray *
rh_sqlite_card_repository_list_learning (RhCardRepository  *repo,
                                         const char        *deck_id,
                                         guint              limit,
                                         GError           **error)
{
  return list_cards (RH_SQLITE_CARD_REPOSITORY (repo), deck_id,
                     "c.state IN (1, 3)", "c.due, c.seq",
                     0, limit, error);
}

static GPtrArray *
rh_sqlite_card_repository_list_new (RhCardRepository  *repo,
                                    const char        *deck_id,
                                    guint              limit,
                                    GError           **error)
{
  return list_cards (RH_SQLITE_CARD_REPOSITORY (repo), deck_id,
                     "c.state = 0", "c.created, c.seq",
                     0, limit, error);
}

static GHashTable *
rh_sqlite_card_repository_count_by_deck (RhCardRepository  *repo,
                                         gint64             day_end_us,
                                         GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GHashTable) counts = NULL;
  int rc;

  /* One pass over the (deck_id, deleted, state, due) index, which holds
   * every column used here. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT deck_id, count(*), sum (state = 0),"
                                     " sum (state IN (1, 3) AND due < ?1),"
                                     " sum (state = 2 AND due < ?1)"
                                     " FROM cards INDEXED BY cards_deck_counts"
                                     " WHERE deleted = 0 GROUP BY deck_id",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, day_end_us);

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RhDeckCounts *c = g_new0 (RhDeckCounts, 1);

      c->total = (guint) sqlite3_column_int64 (stmt, 1);
      c->new_cards = (guint) sqlite3_column_int64 (stmt, 2);
      c->learning = (guint) sqlite3_column_int64 (stmt, 3);
      c->due = (guint) sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), c);
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

static gboolean
rh_sqlite_card_repository_due_forecast (RhCardRepository  *repo,
                                        gint64             from_us,
                                        gint64             day_us,
                                        guint              n_days,
                                        guint             *out_counts,
                                        GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  memset (out_counts, 0, n_days * sizeof *out_counts);
  if (n_days == 0)
    return TRUE;

  /* Integer division truncates towards zero, and max() folds what is
   * overdue into day 0. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT max (0, (due - ?1) / ?2) AS day, count(*)"
                                     " FROM cards"
                                     " WHERE state IN (1, 2, 3) AND due < ?3 AND deleted = 0"
                                     " GROUP BY day",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, day_us);
  sqlite3_bind_int64 (stmt, 3, from_us + day_us * n_days);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 day = sqlite3_column_int64 (stmt, 0);

      if (day >= 0 && day < n_days)
        out_counts[day] = (guint) sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rh_sqlite_card_repository_begin_bulk (RhCardRepository  *repo,
                                     GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  g_return_val_if_fail (rh_sqlite_database_in_transaction (self->db), FALSE);

  stmt = rh_sqlite_database_prepare (self->db, "SELECT coalesce (max (seq), 0) FROM cards", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  self->bulk_after = sqlite3_column_int64 (stmt, 0);
  self->bulk_transaction = rh_sqlite_database_get_transaction_serial (self->db);
  g_hash_table_remove_all (self->bulk_live_decks);
  return TRUE;
}

/* Indexes, in one statement, the cards inserted since begin_bulk. */
static gboolean
rh_sqlite_card_repository_end_bulk (RhCardRepository  *repo,
                                   GError           **error)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (repo);
  gint64 after = self->bulk_after;

  g_return_val_if_fail (in_bulk (self), FALSE);
  self->bulk_after = -1;

  return rh_sqlite_search_index_add_after (self->db, after, error);
}

static void
rh_sqlite_card_repository_iface_init (RhCardRepositoryInterface *iface)
{
  iface->get = rh_sqlite_card_repository_get;
  iface->insert = rh_sqlite_card_repository_insert;
  iface->update = rh_sqlite_card_repository_update;
  iface->update_state = rh_sqlite_card_repository_update_state;
  iface->remove = rh_sqlite_card_repository_remove;
  iface->search = rh_sqlite_card_repository_search;
  iface->count = rh_sqlite_card_repository_count;
  iface->search_ids = rh_sqlite_card_repository_search_ids;
  iface->get_many = rh_sqlite_card_repository_get_many;
  iface->list_fronts = rh_sqlite_card_repository_list_fronts;
  iface->list_due = rh_sqlite_card_repository_list_due;
  iface->list_learning = rh_sqlite_card_repository_list_learning;
  iface->list_new = rh_sqlite_card_repository_list_new;
  iface->count_by_deck = rh_sqlite_card_repository_count_by_deck;
  iface->due_forecast = rh_sqlite_card_repository_due_forecast;
  iface->begin_bulk = rh_sqlite_card_repository_begin_bulk;
  iface->end_bulk = rh_sqlite_card_repository_end_bulk;
}

static void
rh_sqlite_card_repository_finalize (GObject *object)
{
  RhSqliteCardRepository *self = RH_SQLITE_CARD_REPOSITORY (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->bulk_live_decks, g_hash_table_unref);

  G_OBJECT_CLASS (rh_sqlite_card_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_card_repository_class_init (RhSqliteCardRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_card_repository_finalize;
}

static void
rh_sqlite_card_repository_init (RhSqliteCardRepository *self)
{
  self->bulk_after = -1;
  self->bulk_live_decks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rh_sqlite_card_repository_new:
 *
 * Returns: (transfer full): cards kept in @db
 */
RhSqliteCardRepository *
rh_sqlite_card_repository_new (RhSqliteDatabase *db)
{
  RhSqliteCardRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_CARD_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
