// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rh-deck.h"
#include "rh-domain-error.h"
#include "rh-flashcard.h"
#include "rh-fsrs.h"
#include "rh-id.h"
#include "rh-json-load.h"
#include "rh-review.h"
#include "rh-scenario.h"
#include "rh-session-repository.h"
#include "rh-session.h"
#include "rh-sqlite-scenario-repository.h"
#include "rh-sqlite-search-index.h"
#include "rh-sqlite-session-repository.h"
#include "rh-sqlite-sync-repository.h"
#include "rh-store.h"
#include "rh-text.h"

/*
 * The sync's view of the collection: what is pending, and how a pulled
 * change merges into a row.
 *
 * The merge rules are the server's (tests/server/src/sync-model.mjs), so
 * every device and the server settle on the same values:
 *
 *  - Editable fields: per-field last-writer-wins. A pulled field replaces
 *    the local one only if its stamp is greater (stamps compare with
 *    strcmp: time, counter, then device, so ties break the same way
 *    everywhere). An equal stamp is the same write: nothing changes.
 *    Sessions and scenarios carry one stamp for the whole row (one device
 *    writes a session; a scenario is edited as one document): the row's
 *    fields are taken together when the change's stamp is greater.
 *  - Tombstones: every row keeps the greatest tombstone stamp it has seen
 *    (deleted_hlc). A row is deleted while that stamp is greater than
 *    every field stamp: a delete wins over older edits and loses to newer
 *    ones, and a newer edit brings the row back. Field values are kept
 *    under a tombstone, so a row that comes back has them.
 *  - Reviews are written once and merge by union: an unknown review is
 *    added, a known one keeps its values; a tombstone (an undone answer)
 *    applies and stays. The cards whose reviews changed are remembered in
 *    sync_rebuild until their state is replayed from their reviews.
 *  - A row that refers to one this device does not have yet (a card whose
 *    deck, a review whose card comes later in the log) gets a placeholder
 *    for it: a hidden, unstamped row that the real one fills in. A row is
 *    hidden (deleted = 1) while a field it cannot live without (a card's
 *    deck, front and back; a deck's name) has no stamp.
 *  - Two live decks may not share a name: when a pulled deck takes the
 *    name of another one, the one with the greater id is renamed
 *    ("Spanish (2)") with a new local stamp, and pushed; every device
 *    picks the same one.
 *  - A session's scenario turn results and a card's link to the key
 *    phrase it was made from ride along as JSON fields of their own, with
 *    their own stamps: see "scenario practice" below.
 *
 * Pulled rows are stored with pending = 0; a row that is pending here
 * stays pending whatever the pull brought, so nothing made here is lost.
 */

struct _RhSqliteSyncRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_sync_repository_iface_init (RhSyncRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteSyncRepository, rh_sqlite_sync_repository, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SYNC_REPOSITORY,
                                                      rh_sqlite_sync_repository_iface_init))

/* Where cards whose deck is not known yet wait: hidden, never pushed. */
#define LIMBO_DECK_ID "00000000-0000-0000-0000-000000000000"

#define READ_FAILED  _("Could not read the changes to sync")
#define WRITE_FAILED _("Could not store the synced changes")

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* NULL sorts before every stamp, as a missing stamp loses to any write. */
static const char *
max_stamp (const char *a,
           const char *b)
{
  return g_strcmp0 (a, b) >= 0 ? a : b;
}

static gboolean
stamp_is_set (const char *stamp)
{
  return stamp != NULL && *stamp != '\0';
}

/* When a UUIDv7 was made; @fallback for other ids. */
static gint64
id_time_us (const char *id,
            gint64      fallback)
{
  char hex[13];
  guint n = 0;

  if (id == NULL || strlen (id) != 36 || id[14] != '7')
    return fallback;
  for (guint i = 0; i < 13 && n < 12; i++)
    if (id[i] != '-')
      hex[n++] = id[i];
  hex[12] = '\0';
  return (gint64) g_ascii_strtoull (hex, NULL, 16) * 1000;
}

static gboolean
step (RhSqliteSyncRepository  *self,
      sqlite3_stmt            *stmt,
      GError                 **error)
{
  return rh_sqlite_database_step_done (self->db, stmt, WRITE_FAILED, error);
}

/* Steps a statement that gives one row or none: TRUE with *@out_found,
 * or FALSE with @error when it cannot be read. */
static gboolean
step_one_row (RhSqliteSyncRepository  *self,
              sqlite3_stmt            *stmt,
              gboolean                *out_found,
              GError                 **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  *out_found = rc == SQLITE_ROW;
  return TRUE;
}

/* ---- scenario practice: turn results and phrase sources ---- */

/*
 * Two tables of scenario practice travel inside other entities, as JSON
 * text fields of the contract:
 *
 *  - A session's turn results (scenario_turn_results) are its
 *    "turn_results": [{turn_index, score, answer, hints_used, attempts,
 *    skipped}], stamped with the results' stamp (a run's results are
 *    written together, under one stamp). A pulled value with a greater
 *    stamp replaces the session's results whole; null means none.
 *  - A card's link to the missed key phrase it was made from
 *    (scenario_phrase_cards) is its "phrase_source": {scenario_id,
 *    turn_index, phrase_key}, stamped with the link's stamp. A pulled one
 *    adds the link when the phrase has none; when the phrase already links
 *    another card, the card with the smaller id keeps it, the same on
 *    every device, so the phrase stays one card. A link is never removed.
 *
 * A row of either table that still has to be pushed (pending = 1) makes
 * its session or card pending too. Both shapes are checked as strictly as
 * the server checks them, whichever way they go.
 */

#define MAX_TURN_ANSWER 20000
#define MAX_PHRASE_KEY  10000
#define MAX_TURN_COUNT  2147483647

typedef struct
{
  char  *scenario_id;
  guint  turn_index;
  char  *phrase_key;
} PhraseSource;

static void
phrase_source_clear (PhraseSource *source)
{
  g_clear_pointer (&source->scenario_id, g_free);
  g_clear_pointer (&source->phrase_key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PhraseSource, phrase_source_clear)

static gboolean
damaged_practice (GError     **error,
                  const char  *field,
                  const char  *why)
{
  g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, "%s: %s", field, why);
  return FALSE;
}

static JsonNode *
parse_practice_json (const char  *text,
                     guint        max_depth,
                     const char  *field,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || !rh_json_nests_at_most (text, -1, max_depth) ||
      !json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      damaged_practice (error, field, "not JSON text of the expected shape");
      return NULL;
    }
  return json_node_ref (root);
}

/* Exactly the members @names, no other. */
static gboolean
has_exactly_members (JsonObject          *object,
                     const char * const  *names)
{
  guint n = 0;

  for (; names[n] != NULL; n++)
    if (!json_object_has_member (object, names[n]))
      return FALSE;
  return json_object_get_size (object) == n;
}

/* An integer member within [min, max]. JSON has one kind of number: an
 * integral 2.0 or 2e0 is the integer 2, as the server reads it. */
static gboolean
json_member_int (JsonObject *object,
                 const char *name,
                 gint64      min,
                 gint64      max,
                 gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!(d >= (double) min && d <= (double) max) || d != (double) (gint64) d)
        return FALSE;
      *out = (gint64) d;
    }
  else
    return FALSE;
  return *out >= min && *out <= max;
}

/* A text member of at most @max_chars, not blank when @required. */
static gboolean
json_member_text (JsonObject  *object,
                  const char  *name,
                  gsize        max_chars,
                  gboolean     nullable,
                  gboolean     required,
                  const char **out)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return nullable;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL) || (gsize) g_utf8_strlen (text, -1) > max_chars)
    return FALSE;
  if (required)
    {
      gboolean blank = TRUE;

      for (const char *p = text; *p && blank; p = g_utf8_next_char (p))
        blank = g_unichar_isspace (g_utf8_get_char (p));
      if (blank)
        return FALSE;
    }
  *out = text;
  return TRUE;
}

/* A "turn_results" value: (element-type RhTurnResult), empty for null. */
static GPtrArray *
read_turn_results (const char  *text,
                   GError     **error)
{
  static const char * const members[] = { "turn_index", "score", "answer", "hints_used",
                                          "attempts", "skipped", NULL };
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 rh_turn_result_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  gint64 last = -1;

  if (text == NULL)
    return g_steal_pointer (&results);
  if (!(root = parse_practice_json (text, 2, "turn_results", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      damaged_practice (error, "turn_results", "not an array");
      return NULL;
    }
  array = json_node_get_array (root);
  if (json_array_get_length (array) > RH_SCENARIO_MAX_TURNS)
    {
      damaged_practice (error, "turn_results", "more results than a scenario has turns");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *skipped;
      RhTurnResult result = { 0 };
      gint64 index, score, hints, attempts;
      const char *answer;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !has_exactly_members ((object = json_node_get_object (node)), members) ||
          !json_member_int (object, "turn_index", 0, RH_SCENARIO_MAX_TURNS - 1, &index) ||
          !json_member_int (object, "score", 0, 100, &score) ||
          !json_member_text (object, "answer", MAX_TURN_ANSWER, TRUE, FALSE, &answer) ||
          !json_member_int (object, "hints_used", 0, MAX_TURN_COUNT, &hints) ||
          !json_member_int (object, "attempts", 0, MAX_TURN_COUNT, &attempts) ||
          !(skipped = json_object_get_member (object, "skipped")) ||
          json_node_get_value_type (skipped) != G_TYPE_BOOLEAN)
        {
          damaged_practice (error, "turn_results", "a result is not {turn_index, score, answer,"
                            " hints_used, attempts, skipped} within the contract's bounds");
          return NULL;
        }
      if (index <= last)
        {
          damaged_practice (error, "turn_results", "the turns are not in increasing order");
          return NULL;
        }
      last = index;

      result.turn_index = (guint) index;
      result.score = (int) score;
      result.answer = (char *) answer;
      result.hints_used = (guint) hints;
      result.attempts = (guint) attempts;
      result.skipped = json_node_get_boolean (skipped);
      g_ptr_array_add (results, rh_turn_result_copy (&result));
    }
  return g_steal_pointer (&results);
}

/* A "phrase_source" value (not null). */
static gboolean
read_phrase_source (const char    *text,
                    PhraseSource  *out,
                    GError       **error)
{
  static const char * const members[] = { "scenario_id", "turn_index", "phrase_key", NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *scenario_id;
  const char *phrase_key;
  gint64 index;

  if (!(root = parse_practice_json (text, 1, "phrase_source", error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !has_exactly_members ((object = json_node_get_object (root)), members) ||
      !json_member_text (object, "scenario_id", 36, FALSE, TRUE, &scenario_id) ||
      !rh_sync_uuid_is_valid (scenario_id) ||
      !json_member_int (object, "turn_index", 0, RH_SCENARIO_MAX_TURNS - 1, &index) ||
      !json_member_text (object, "phrase_key", MAX_PHRASE_KEY, FALSE, TRUE, &phrase_key))
    return damaged_practice (error, "phrase_source", "not {scenario_id, turn_index, phrase_key}"
                             " within the contract's bounds");

  out->scenario_id = g_strdup (scenario_id);
  out->turn_index = (guint) index;
  out->phrase_key = g_strdup (phrase_key);
  return TRUE;
}

static char *
json_text_of (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Adds the session's turn results, if it has any, as "turn_results";
 * sets @invalid when they do not fit the contract (the change is then
 * not sent). */
static gboolean
add_turn_results (RhSqliteSyncRepository  *self,
                  RhSyncChange            *change,
                  GError                 **invalid,
                  GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) check = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *text = NULL;
  guint n = 0;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT turn_index, score, answer, hints_used, attempts,"
                                     " skipped, hlc FROM scenario_turn_results"
                                     " WHERE session_id = ?1 ORDER BY turn_index",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *hlc = column_text (stmt, 6);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "turn_index");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "score");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
      json_builder_set_member_name (builder, "answer");
      if (column_text (stmt, 2) != NULL)
        json_builder_add_string_value (builder, column_text (stmt, 2));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "hints_used");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 3));
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 4));
      json_builder_set_member_name (builder, "skipped");
      json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, 5) != 0);
      json_builder_end_object (builder);

      if (g_strcmp0 (hlc, stamp) > 0)
        {
          g_free (stamp);
          stamp = g_strdup (hlc);
        }
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  json_builder_end_array (builder);
  if (n == 0)
    return TRUE;

  /* What is sent is read back as it will be read on the other side. */
  text = json_text_of (builder);
  if (!(check = read_turn_results (text, invalid)))
    return TRUE;
  rh_sync_change_add_field (change, "turn_results", g_variant_new_string (text), stamp);
  return TRUE;
}

/* Adds the key phrase the card was made from, if any, as
 * "phrase_source"; sets @invalid when it does not fit the contract. A card
 * is made for one phrase; should it have several, the latest goes. */
static gboolean
add_phrase_source (RhSqliteSyncRepository  *self,
                   RhSyncChange            *change,
                   GError                 **invalid,
                   GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(PhraseSource) check = { 0 };
  g_autofree char *text = NULL;
  gboolean found;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT scenario_id, turn_index, phrase_key, hlc"
                                     " FROM scenario_phrase_cards WHERE card_id = ?1"
                                     " ORDER BY hlc DESC, scenario_id, turn_index, phrase_key"
                                     " LIMIT 1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
  if (!step_one_row (self, stmt, &found, error))
    return FALSE;
  if (!found)
    return TRUE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario_id");
  json_builder_add_string_value (builder, column_text (stmt, 0));
  json_builder_set_member_name (builder, "turn_index");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
  json_builder_set_member_name (builder, "phrase_key");
  json_builder_add_string_value (builder, column_text (stmt, 2));
  json_builder_end_object (builder);

  text = json_text_of (builder);
  if (!read_phrase_source (text, &check, invalid))
    return TRUE;
  rh_sync_change_add_field (change, "phrase_source", g_variant_new_string (text),
                            column_text (stmt, 3));
  return TRUE;
}

/* ---- pending changes ---- */

/*
 * Each entity: the query listing its pending rows after a key, in the
 * order of its pending index, and the expression of its stamps that
 * marking it pushed compares with what was read.
 */
#define DECK_SIGNATURE     "name_hlc || '/' || coalesce (deleted_hlc, '')"
#define CARD_SIGNATURE \
  "deck_hlc || '/' || front_hlc || '/' || back_hlc || '/' || notes_hlc || '/' ||" \
  " example_hlc || '/' || tags_hlc || '/' || coalesce (deleted_hlc, '')"
#define SCENARIO_SIGNATURE "content_hlc || '/' || coalesce (deleted_hlc, '')"
#define ROW_SIGNATURE      "hlc || '/' || coalesce (deleted_hlc, '')"

static const struct
{
  const char *table;
  const char *key;
  const char *signature;
} tables[RH_SYNC_N_ENTITIES] = {
  [RH_SYNC_ENTITY_DECK] = { "decks", "id", DECK_SIGNATURE },
  [RH_SYNC_ENTITY_CARD] = { "cards", "seq", CARD_SIGNATURE },
  [RH_SYNC_ENTITY_SCENARIO] = { "scenarios", "id", SCENARIO_SIGNATURE },
  [RH_SYNC_ENTITY_SESSION] = { "sessions", "id", ROW_SIGNATURE },
  [RH_SYNC_ENTITY_REVIEW] = { "reviews", "id", ROW_SIGNATURE },
};

/* A card or session is pending itself or through its phrase links or
 * turn results; each source gives its first page before the two meet,
 * so a page costs the page, not the whole backlog. */
static const char * const list_sql[RH_SYNC_N_ENTITIES] = {
  [RH_SYNC_ENTITY_DECK] =
    "SELECT id, id, " DECK_SIGNATURE ", name, name_hlc, deleted_hlc"
    " FROM decks WHERE pending = 1 AND id > ?1 ORDER BY id LIMIT ?2",
  [RH_SYNC_ENTITY_CARD] =
    "SELECT seq, id, " CARD_SIGNATURE ", deck_id, front, back, notes, example, tags,"
    " deck_hlc, front_hlc, back_hlc, notes_hlc, example_hlc, tags_hlc, deleted_hlc"
    " FROM cards WHERE seq IN ("
    "   SELECT * FROM (SELECT seq FROM cards WHERE pending = 1 AND seq > ?1"
    "     ORDER BY seq LIMIT ?2)"
    "   UNION ALL SELECT * FROM (SELECT DISTINCT c.seq"
    "     FROM scenario_phrase_cards p CROSS JOIN cards c"
    "     WHERE p.pending = 1 AND c.id = p.card_id AND c.seq > ?1 ORDER BY c.seq LIMIT ?2))"
    " ORDER BY seq LIMIT ?2",
  [RH_SYNC_ENTITY_SCENARIO] =
    "SELECT id, id, " SCENARIO_SIGNATURE ", title, level, topic, description, goal, turns,"
    " bundle_key, bundle_version, content_hlc, deleted_hlc"
    " FROM scenarios WHERE pending = 1 AND id > ?1 ORDER BY id LIMIT ?2",
  [RH_SYNC_ENTITY_SESSION] =
    "SELECT id, id, " ROW_SIGNATURE ", kind, started, ended, again, hard, good, easy, time_ms,"
    " scenario_id, score, hlc, deleted_hlc"
    " FROM sessions WHERE id IN ("
    "   SELECT * FROM (SELECT id FROM sessions WHERE pending = 1 AND id > ?1"
    "     ORDER BY id LIMIT ?2)"
    "   UNION ALL SELECT * FROM (SELECT DISTINCT session_id FROM scenario_turn_results"
    "     WHERE pending = 1 AND session_id > ?1 ORDER BY session_id LIMIT ?2))"
    " ORDER BY id LIMIT ?2",
  [RH_SYNC_ENTITY_REVIEW] =
    "SELECT id, id, " ROW_SIGNATURE ", card_id, rating, time, duration_ms, state_before,"
    " session_id, hlc, deleted_hlc"
    " FROM reviews WHERE pending = 1 AND id > ?1 ORDER BY id LIMIT ?2",
};

static GVariant *
text_or_null (const char *text)
{
  return text != NULL ? g_variant_new_string (text) : NULL;
}

static void
add_tombstone (RhSyncChange *change,
               const char   *deleted_hlc)
{
  if (deleted_hlc != NULL)
    rh_sync_change_set_tombstone (change, TRUE, deleted_hlc);
}

/* The whole scenario as the one JSON document the contract syncs. */
static char *
scenario_document (sqlite3_stmt *stmt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *turns;
  static const char * const text_members[] = { "title", "level", "topic", "description",
                                               "goal" };

  if (!rh_json_parser_load (parser, column_text (stmt, 8), -1, NULL))
    return NULL;
  turns = json_parser_get_root (parser);
  if (turns == NULL || !JSON_NODE_HOLDS_ARRAY (turns))
    return NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    {
      const char *value = column_text (stmt, 3 + i);

      json_builder_set_member_name (builder, text_members[i]);
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "turns");
  json_builder_add_value (builder, json_node_copy (turns));
  json_builder_set_member_name (builder, "bundle_key");
  if (column_text (stmt, 9) != NULL)
    json_builder_add_string_value (builder, column_text (stmt, 9));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "bundle_version");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 10));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The row @stmt is on, as a change with every field and its stamp. */
static RhSyncChange *
change_from_row (RhSyncEntity  entity,
                 sqlite3_stmt *stmt)
{
  g_autoptr(RhSyncChange) change = rh_sync_change_new (entity, column_text (stmt, 1));

  change->signature = g_strdup (column_text (stmt, 2));

  switch (entity)
    {
    case RH_SYNC_ENTITY_DECK:
      rh_sync_change_add_field (change, "name", g_variant_new_string (column_text (stmt, 3)),
                                column_text (stmt, 4));
      add_tombstone (change, column_text (stmt, 5));
      break;

    case RH_SYNC_ENTITY_CARD:
      {
        static const char * const names[] = { "deck_id", "front", "back", "notes", "example",
                                              "tags" };

        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          rh_sync_change_add_field (change, names[i], text_or_null (column_text (stmt, 3 + i)),
                                    column_text (stmt, 9 + i));
        add_tombstone (change, column_text (stmt, 15));
        break;
      }

    case RH_SYNC_ENTITY_SCENARIO:
      {
        g_autofree char *document = scenario_document (stmt);

        if (document == NULL)
          return NULL;
        rh_sync_change_add_field (change, "content", g_variant_new_string (document),
                                  column_text (stmt, 11));
        add_tombstone (change, column_text (stmt, 12));
        break;
      }

    case RH_SYNC_ENTITY_SESSION:
      {
        const char *hlc = column_text (stmt, 13);

        rh_sync_change_add_field (change, "kind", g_variant_new_string (column_text (stmt, 3)),
                                  hlc);
        rh_sync_change_add_field (change, "started_us",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 4)), hlc);
        rh_sync_change_add_field (change, "ended_us",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 5)), hlc);
        rh_sync_change_add_field (change, "counts",
                                  g_variant_new ("(xxxx)", sqlite3_column_int64 (stmt, 6),
                                                 sqlite3_column_int64 (stmt, 7),
                                                 sqlite3_column_int64 (stmt, 8),
                                                 sqlite3_column_int64 (stmt, 9)),
                                  hlc);
        rh_sync_change_add_field (change, "time_ms",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 10)), hlc);
        rh_sync_change_add_field (change, "scenario_id", text_or_null (column_text (stmt, 11)),
                                  hlc);
        rh_sync_change_add_field (change, "score",
                                  g_variant_new_double (sqlite3_column_double (stmt, 12)), hlc);
        add_tombstone (change, column_text (stmt, 14));
        break;
      }

    case RH_SYNC_ENTITY_REVIEW:
      {
        const char *hlc = column_text (stmt, 9);
        /* The contract allows a day; a longer one is still the same
         * answer, and a review never changes, so the cut is the same
         * every time it is sent. */
        gint64 duration = CLAMP (sqlite3_column_int64 (stmt, 6), 0, 24 * 3600 * 1000);

        rh_sync_change_add_field (change, "card_id",
                                  g_variant_new_string (column_text (stmt, 3)), hlc);
        rh_sync_change_add_field (change, "rating",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 4)), hlc);
        rh_sync_change_add_field (change, "time_us",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 5)), hlc);
        rh_sync_change_add_field (change, "duration_ms", g_variant_new_int64 (duration), hlc);
        rh_sync_change_add_field (change, "state_before",
                                  g_variant_new_int64 (sqlite3_column_int64 (stmt, 7)), hlc);
        rh_sync_change_add_field (change, "session_id", text_or_null (column_text (stmt, 8)),
                                  hlc);
        add_tombstone (change, column_text (stmt, 10));
        break;
      }

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&change);
}

static gboolean
parse_position (const char   *position,
                RhSyncEntity *out_entity,
                const char  **out_key)
{
  g_autofree char *prefix = NULL;
  const char *colon;
  guint64 entity;

  *out_entity = 0;
  *out_key = NULL;
  if (position == NULL)
    return TRUE;

  colon = strchr (position, ':');
  if (colon == NULL)
    return FALSE;
  prefix = g_strndup (position, colon - position);
  if (!g_ascii_string_to_unsigned (prefix, 10, 0, RH_SYNC_N_ENTITIES - 1, &entity, NULL))
    return FALSE;
  *out_entity = (RhSyncEntity) entity;
  *out_key = colon + 1;
  return TRUE;
}

static char *
format_position (RhSyncEntity  entity,
                 const char   *key)
{
  if (key == NULL)
    key = entity == RH_SYNC_ENTITY_CARD ? "-1" : "";
  return g_strdup_printf ("%u:%s", entity, key);
}

/* Keyset paging over each table's pending index, entity after entity:
 * the position is "<entity>:<last key>". */
static GPtrArray *
rh_sqlite_sync_repository_list_pending (RhSyncRepository  *repo,
                                        const char        *after,
                                        guint              limit,
                                        gsize              max_bytes,
                                        char             **out_next,
                                        GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  RhSyncEntity entity;
  const char *start_key;
  gsize bytes = 0;

  *out_next = NULL;
  if (!parse_position (after, &entity, &start_key))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_FAILED,
                   "Not a position in the pending changes: %s", after);
      return NULL;
    }

  for (; entity < RH_SYNC_N_ENTITIES; entity++, start_key = NULL)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;
      g_autofree char *last_key = g_strdup (start_key);
      guint wanted = limit - changes->len;
      guint seen = 0;
      gboolean stopped = FALSE;
      int rc;

      if (wanted == 0)
        {
          *out_next = format_position (entity, start_key);
          return g_steal_pointer (&changes);
        }

      if (!(stmt = rh_sqlite_database_prepare (self->db, list_sql[entity], error)))
        return NULL;
      if (entity == RH_SYNC_ENTITY_CARD)
        sqlite3_bind_int64 (stmt, 1, start_key ? g_ascii_strtoll (start_key, NULL, 10) : -1);
      else
        sqlite3_bind_text (stmt, 1, start_key ? start_key : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, wanted);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(RhSyncChange) change = change_from_row (entity, stmt);
          g_autoptr(GError) invalid = NULL;
          gsize size;

          if (change != NULL && entity == RH_SYNC_ENTITY_SESSION &&
              !add_turn_results (self, change, &invalid, error))
            return NULL;
          if (change != NULL && entity == RH_SYNC_ENTITY_CARD &&
              !add_phrase_source (self, change, &invalid, error))
            return NULL;

          if (change == NULL || invalid != NULL ||
              !rh_sync_change_validate (change, TRUE, &invalid))
            {
              /* Not sent, and not lost: it stays pending here. */
              g_debug ("Not pushing %s %s: %s", rh_sync_entity_to_string (entity),
                       column_text (stmt, 1), invalid ? invalid->message : "unreadable");
              seen++;
              g_free (last_key);
              last_key = g_strdup (column_text (stmt, 0));
              continue;
            }

          size = rh_sync_change_estimate_size (change);
          if (changes->len > 0 && bytes + size > max_bytes)
            {
              stopped = TRUE;
              break;
            }
          seen++;
          bytes += size;
          g_ptr_array_add (changes, g_steal_pointer (&change));
          g_free (last_key);
          last_key = g_strdup (column_text (stmt, 0));
        }
      if (!stopped && rc != SQLITE_DONE)
        {
          rh_sqlite_database_set_error (self->db, error, READ_FAILED);
          return NULL;
        }

      /* Stopped by size, or as many rows as asked for: there may be
       * more of this entity. */
      if (stopped || seen == wanted)
        {
          *out_next = format_position (entity, last_key);
          return g_steal_pointer (&changes);
        }
    }

  return g_steal_pointer (&changes);
}

static gboolean
rh_sqlite_sync_repository_count_pending (RhSyncRepository  *repo,
                                         guint             *out_count,
                                         GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT (SELECT count(*) FROM decks WHERE pending = 1)"
                                     " + (SELECT count(*) FROM cards WHERE pending = 1)"
                                     " + (SELECT count(DISTINCT c.id)"
                                     "   FROM scenario_phrase_cards p CROSS JOIN cards c"
                                     "   WHERE p.pending = 1 AND c.id = p.card_id"
                                     "   AND c.pending = 0)"
                                     " + (SELECT count(*) FROM scenarios WHERE pending = 1)"
                                     " + (SELECT count(*) FROM sessions WHERE pending = 1)"
                                     " + (SELECT count(DISTINCT s.id)"
                                     "   FROM scenario_turn_results t CROSS JOIN sessions s"
                                     "   WHERE t.pending = 1 AND s.id = t.session_id"
                                     "   AND s.pending = 0)"
                                     " + (SELECT count(*) FROM reviews WHERE pending = 1)",
                                     error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  *out_count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
rh_sqlite_sync_repository_mark_pushed (RhSyncRepository    *repo,
                                       const RhSyncChange  *change,
                                       GError             **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *sql = NULL;
  const RhSyncField *field = NULL;
  const char *child_sql = NULL;

  g_return_val_if_fail (change->entity < RH_SYNC_N_ENTITIES, FALSE);

  /* A row edited since it was read has other stamps: it stays pending
   * and goes with the next batch. */
  sql = g_strdup_printf ("UPDATE %s SET pending = 0 WHERE id = ?1 AND pending = 1 AND %s = ?2",
                         tables[change->entity].table, tables[change->entity].signature);
  if (!(stmt = rh_sqlite_database_prepare (self->db, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, change->signature ? change->signature : "", -1, SQLITE_TRANSIENT);
  if (!step (self, stmt, error))
    return FALSE;

  /* The turn results or phrase link it carried: pushed as far as the
   * stamp that went. A newer write has a greater stamp and stays pending. */
  if (change->entity == RH_SYNC_ENTITY_SESSION)
    {
      field = rh_sync_change_get_field (change, "turn_results");
      child_sql = "UPDATE scenario_turn_results SET pending = 0"
                  " WHERE session_id = ?1 AND pending = 1 AND hlc <= ?2";
    }
  else if (change->entity == RH_SYNC_ENTITY_CARD)
    {
      field = rh_sync_change_get_field (change, "phrase_source");
      child_sql = "UPDATE scenario_phrase_cards SET pending = 0"
                  " WHERE card_id = ?1 AND pending = 1 AND hlc <= ?2";
    }
  if (field == NULL)
    return TRUE;

  {
    g_autoptr(RhSqliteStatement) child = rh_sqlite_database_prepare (self->db, child_sql, error);

    if (child == NULL)
      return FALSE;
    sqlite3_bind_text (child, 1, change->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (child, 2, field->hlc, -1, SQLITE_TRANSIENT);
    return step (self, child, error);
  }
}

/* ---- merging pulled changes ---- */

typedef struct
{
  RhSqliteSyncRepository *self;
  RhSyncApplyStats       *stats;
  gint64                  now;
  /* this device's tag in the stamps it makes */
  const char             *device;
} ApplyContext;

static const char *
stamp_device (const char *stamp)
{
  return stamp != NULL && strlen (stamp) > 18 ? stamp + 18 : "";
}

/*
 * Counts a field written on both sides: a write from another device that
 * loses to a newer one made here, or one that wins over a write made here
 * and not pushed yet. (An older write of our own coming back, or a newer
 * one from elsewhere over a value we had pulled, is plain propagation.)
 */
static void
count_conflict (ApplyContext *ctx,
                const char   *remote,
                const char   *local,
                gboolean      pending)
{
  int order;

  if (remote == NULL || !stamp_is_set (local))
    return;
  order = strcmp (remote, local);
  if ((order > 0 && pending) ||
      (order < 0 && strcmp (stamp_device (remote), ctx->device) != 0 &&
       strcmp (stamp_device (local), ctx->device) == 0))
    ctx->stats->conflicts++;
}

static const char *
field_string (const RhSyncField *field)
{
  if (field == NULL || field->value == NULL ||
      !g_variant_is_of_type (field->value, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (field->value, NULL);
}

static gboolean
field_int64 (const RhSyncField *field,
             gint64            *out)
{
  if (field == NULL || field->value == NULL ||
      !g_variant_is_of_type (field->value, G_VARIANT_TYPE_INT64))
    return FALSE;
  *out = g_variant_get_int64 (field->value);
  return TRUE;
}

static gboolean
remember_rebuild (RhSqliteSyncRepository  *self,
                  const char              *card_id,
                  GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT OR IGNORE INTO sync_rebuild (card_id) VALUES (?1)",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT);
  return step (self, stmt, error);
}

/* A hidden, unstamped deck for cards that name a deck not known yet. */
static gboolean
ensure_deck (ApplyContext  *ctx,
             const char    *deck_id,
             GError       **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (ctx->self->db,
                                     "INSERT OR IGNORE INTO decks (id, name, name_key, created,"
                                     " modified, name_hlc, deleted, pending)"
                                     " VALUES (?1, ?1, ?1, ?2, ?2, '', 1, 0)",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, deck_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, ctx->now);
  return step (ctx->self, stmt, error);
}

/* A hidden, unstamped card for reviews that arrive before their card. */
static gboolean
ensure_card (ApplyContext  *ctx,
             const char    *card_id,
             GError       **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  if (!ensure_deck (ctx, LIMBO_DECK_ID, error))
    return FALSE;

  stmt = rh_sqlite_database_prepare (ctx->self->db,
                                     "INSERT OR IGNORE INTO cards (id, deck_id, front, back,"
                                     " created, modified, front_hlc, back_hlc, notes_hlc,"
                                     " example_hlc, tags_hlc, deck_hlc, deleted, pending, due)"
                                     " VALUES (?1, '" LIMBO_DECK_ID "', '', '', ?2, ?3,"
                                     " '', '', '', '', '', '', 1, 0, ?2)",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id_time_us (card_id, ctx->now));
  sqlite3_bind_int64 (stmt, 3, ctx->now);
  return step (ctx->self, stmt, error);
}

static gboolean
deck_name_taken (RhSqliteSyncRepository  *self,
                 const char              *key,
                 const char              *except_id,
                 char                   **out_id,
                 GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  *out_id = NULL;
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT id FROM decks"
                                     " WHERE name_key = ?1 AND deleted = 0 AND id != ?2",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, except_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = g_strdup (column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  return TRUE;
}

/* "Spanish (2)", "Spanish (3)", ...: the first name no live deck has. */
static char *
free_deck_name (RhSqliteSyncRepository  *self,
                const char              *name,
                const char              *deck_id,
                GError                 **error)
{
  for (guint n = 2; n < 10000; n++)
    {
      g_autofree char *suffix = g_strdup_printf (" (%u)", n);
      glong room = RH_DECK_MAX_NAME - g_utf8_strlen (suffix, -1);
      g_autofree char *base = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), room));
      g_autofree char *candidate = g_strconcat (g_strchomp (base), suffix, NULL);
      g_autofree char *key = rh_deck_name_key (candidate);
      g_autofree char *taken = NULL;

      if (!deck_name_taken (self, key, deck_id, &taken, error))
        return NULL;
      if (taken == NULL)
        return g_steal_pointer (&candidate);
    }
  g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_FAILED, _("Too many decks of the same name"));
  return NULL;
}

/* Renames a live deck to a free name, as a local edit that is pushed. */
static gboolean
rename_deck (ApplyContext  *ctx,
             const char    *deck_id,
             const char    *name,
             GError       **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stamp = NULL;

  if (!(fresh = free_deck_name (ctx->self, name, deck_id, error)))
    return FALSE;
  key = rh_deck_name_key (fresh);
  stamp = rh_sqlite_database_next_stamp (ctx->self->db);

  stmt = rh_sqlite_database_prepare (ctx->self->db,
                                     "UPDATE decks SET name = ?2, name_key = ?3, name_hlc = ?4,"
                                     " modified = ?5, pending = 1 WHERE id = ?1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, deck_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, fresh, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, ctx->now);
  return step (ctx->self, stmt, error);
}

static gboolean
apply_deck (ApplyContext        *ctx,
            const RhSyncChange  *change,
            GError             **error)
{
  RhSqliteSyncRepository *self = ctx->self;
  const RhSyncField *field = rh_sync_change_get_field (change, "name");
  g_autofree char *name = NULL;
  g_autofree char *name_hlc = NULL;
  g_autofree char *deleted_hlc = NULL;
  g_autofree char *remote_name = NULL;
  gboolean exists = FALSE;
  gboolean was_deleted = TRUE;
  gboolean pending = FALSE;
  gboolean deleted;
  gboolean changed = FALSE;
  gboolean rename_self = FALSE;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT name, name_hlc, deleted, deleted_hlc, pending"
                                       " FROM decks WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    if (!step_one_row (self, stmt, &exists, error))
      return FALSE;
    if (exists)
      {
        name = g_strdup (column_text (stmt, 0));
        name_hlc = g_strdup (column_text (stmt, 1));
        was_deleted = sqlite3_column_int (stmt, 2) != 0;
        deleted_hlc = g_strdup (column_text (stmt, 3));
        pending = sqlite3_column_int (stmt, 4) != 0;
      }
  }

  if (field != NULL)
    {
      g_autoptr(GError) invalid = NULL;

      remote_name = rh_deck_name_normalize (field_string (field), &invalid);
      if (remote_name == NULL)
        {
          g_debug ("Skipping the name of deck %s: %s", change->id, invalid->message);
          ctx->stats->skipped++;
        }
      else if (g_strcmp0 (field->hlc, name_hlc ? name_hlc : "") > 0)
        {
          count_conflict (ctx, field->hlc, name_hlc, pending);
          changed = TRUE;
          g_free (name);
          name = g_strdup (remote_name);
          g_free (name_hlc);
          name_hlc = g_strdup (field->hlc);
        }
      else
        count_conflict (ctx, field->hlc, name_hlc, pending);
    }

  if (g_strcmp0 (change->deleted_hlc, deleted_hlc) > 0)
    {
      g_free (deleted_hlc);
      deleted_hlc = g_strdup (change->deleted_hlc);
      changed = TRUE;
    }

  if (!exists && name == NULL)
    {
      /* Only a tombstone of a deck never seen: keep it, hidden, so the
       * deck stays deleted if its name arrives with an older stamp. */
      name = g_strdup (change->id);
      name_hlc = g_strdup ("");
    }

  deleted = !stamp_is_set (name_hlc) ||
            (deleted_hlc != NULL && strcmp (deleted_hlc, name_hlc) > 0);
  if (exists && !changed && deleted == was_deleted)
    {
      ctx->stats->unchanged++;
      return TRUE;
    }

  if (!deleted)
    {
      g_autofree char *key = rh_deck_name_key (name);
      g_autofree char *other = NULL;

      if (!deck_name_taken (self, key, change->id, &other, error))
        return FALSE;
      if (other != NULL)
        {
          /* Two decks of one name: the greater id gives way, the same one
           * on every device. */
          ctx->stats->conflicts++;
          if (strcmp (change->id, other) > 0)
            rename_self = TRUE;
          else if (!rename_deck (ctx, other, name, error))
            return FALSE;
        }
    }

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;
    g_autofree char *key = rh_deck_name_key (name);

    stmt = rh_sqlite_database_prepare (self->db,
                                       "INSERT INTO decks (id, name, name_key, created, modified,"
                                       " name_hlc, deleted, deleted_hlc, pending)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)"
                                       " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                                       " name_key = excluded.name_key,"
                                       " modified = excluded.modified,"
                                       " name_hlc = excluded.name_hlc, deleted = excluded.deleted,"
                                       " deleted_hlc = excluded.deleted_hlc",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    /* a deck that must give way is written hidden first, then renamed */
    sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, rename_self ? change->id : key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 4, id_time_us (change->id, ctx->now));
    sqlite3_bind_int64 (stmt, 5, ctx->now);
    sqlite3_bind_text (stmt, 6, name_hlc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 7, deleted);
    sqlite3_bind_text (stmt, 8, deleted_hlc, -1, SQLITE_TRANSIENT);
    if (!step (self, stmt, error))
      return FALSE;
  }

  if (rename_self && !rename_deck (ctx, change->id, name, error))
    return FALSE;

  ctx->stats->applied++;
  return TRUE;
}

/* The card fields in the order of their columns. */
static const struct
{
  const char *name;
  const char *column;
  const char *stamp;
} card_fields[] = {
  { "deck_id", "deck_id", "deck_hlc" },
  { "front", "front", "front_hlc" },
  { "back", "back", "back_hlc" },
  { "notes", "notes", "notes_hlc" },
  { "example", "example", "example_hlc" },
  { "tags", "tags", "tags_hlc" },
};

enum { CARD_DECK, CARD_FRONT, CARD_BACK, CARD_NOTES, CARD_EXAMPLE, CARD_TAGS, N_CARD_FIELDS };

/* A pulled card field as this device stores it (the same cleaning the
 * card editor does), or FALSE when it is not usable. */
static gboolean
clean_card_field (guint               index,
                  const RhSyncField  *field,
                  char              **out_value)
{
  const char *value = field_string (field);
  g_autoptr(GError) invalid = NULL;

  *out_value = NULL;
  switch (index)
    {
    case CARD_DECK:
      if (!rh_id_is_valid (value))
        return FALSE;
      *out_value = g_strdup (value);
      return TRUE;

    case CARD_FRONT:
      *out_value = rh_text_clean (value, _("The front"), RH_FLASHCARD_MAX_SIDE, TRUE, &invalid);
      break;

    case CARD_BACK:
      *out_value = rh_text_clean (value, _("The back"), RH_FLASHCARD_MAX_SIDE, TRUE, &invalid);
      break;

    case CARD_NOTES:
    case CARD_EXAMPLE:
      *out_value = rh_text_clean (value, _("The notes"), RH_FLASHCARD_MAX_NOTES, FALSE, &invalid);
      break;

    case CARD_TAGS:
      {
        g_auto(GStrv) split = rh_text_split_tags (value ? value : "");
        g_auto(GStrv) tags = rh_text_normalize_tags ((const char * const *) split, &invalid);

        if (tags != NULL)
          *out_value = g_strjoinv (" ", tags);
        break;
      }

    default:
      g_assert_not_reached ();
    }

  if (invalid != NULL)
    {
      g_debug ("A synced card field is not usable: %s", invalid->message);
      return FALSE;
    }
  return TRUE;
}

/* What a pulled phrase_source does to the phrase's link. */
typedef enum
{
  LINK_KEEP,    /* nothing: no source, or the link is this card's already */
  LINK_ADD,     /* the phrase has no card yet: this one */
  LINK_TAKE,    /* the phrase's card has a greater id: this one instead */
} LinkAction;

/* Decides what @source (pulled with @card_id) does to its phrase's link.
 * Two cards made for one phrase on two devices: the smaller id keeps the
 * phrase, on every device, whichever arrives first. */
static gboolean
decide_phrase_link (ApplyContext        *ctx,
                    const char          *card_id,
                    const PhraseSource  *source,
                    LinkAction          *out_action,
                    GError             **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;
  gboolean found;

  *out_action = LINK_KEEP;
  stmt = rh_sqlite_database_prepare (ctx->self->db,
                                     "SELECT card_id FROM scenario_phrase_cards"
                                     " WHERE scenario_id = ?1 AND turn_index = ?2"
                                     " AND phrase_key = ?3",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source->scenario_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, source->turn_index);
  sqlite3_bind_text (stmt, 3, source->phrase_key, -1, SQLITE_TRANSIENT);
  if (!step_one_row (ctx->self, stmt, &found, error))
    return FALSE;
  if (!found)
    *out_action = LINK_ADD;
  else if (g_strcmp0 (column_text (stmt, 0), card_id) != 0)
    {
      g_debug ("Two cards for the phrase “%s”: %s and %s", source->phrase_key,
               column_text (stmt, 0), card_id);
      ctx->stats->conflicts++;
      if (strcmp (card_id, column_text (stmt, 0)) < 0)
        *out_action = LINK_TAKE;
    }
  return TRUE;
}

static gboolean
write_phrase_link (ApplyContext        *ctx,
                   const char          *card_id,
                   const PhraseSource  *source,
                   const char          *stamp,
                   GError             **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  /* Pulled, so not pending: the server has it already. */
  stmt = rh_sqlite_database_prepare (ctx->self->db,
                                     "INSERT INTO scenario_phrase_cards (scenario_id, turn_index,"
                                     " phrase_key, card_id, created, hlc, pending)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)"
                                     " ON CONFLICT DO UPDATE SET card_id = excluded.card_id,"
                                     " created = excluded.created, hlc = excluded.hlc,"
                                     " pending = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source->scenario_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, source->turn_index);
  sqlite3_bind_text (stmt, 3, source->phrase_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, card_id, -1, SQLITE_TRANSIENT);
  /* the card was made with its link */
  sqlite3_bind_int64 (stmt, 5, id_time_us (card_id, ctx->now));
  sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_TRANSIENT);
  return step (ctx->self, stmt, error);
}

/* The newest stamp (and whether any row is pending) of the rows that
 * belong to one entity in a table of its parts: @sql selects max (hlc)
 * and max (pending) for ?1. */
static gboolean
get_parts_stamp (RhSqliteSyncRepository  *self,
                 const char              *sql,
                 const char              *id,
                 char                   **out_stamp,
                 gboolean                *out_pending,
                 GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = NULL;

  if (!(stmt = rh_sqlite_database_prepare (self->db, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  *out_stamp = g_strdup (column_text (stmt, 0));
  if (out_pending != NULL)
    *out_pending = sqlite3_column_int (stmt, 1) != 0;
  return TRUE;
}

/* The stamp of the card's phrase link, if it has one. */
static gboolean
get_phrase_link_stamp (RhSqliteSyncRepository  *self,
                       const char              *card_id,
                       char                   **out_stamp,
                       GError                 **error)
{
  return get_parts_stamp (self,
                          "SELECT max (hlc), max (pending) FROM scenario_phrase_cards"
                          " WHERE card_id = ?1",
                          card_id, out_stamp, NULL, error);
}

static gboolean
apply_card (ApplyContext        *ctx,
            const RhSyncChange  *change,
            GError             **error)
{
  RhSqliteSyncRepository *self = ctx->self;
  char *values[N_CARD_FIELDS] = { NULL };
  char *stamps[N_CARD_FIELDS] = { NULL };
  g_autofree char *deleted_hlc = NULL;
  const char *max = NULL;
  gboolean exists = FALSE;
  gboolean was_deleted = TRUE;
  gboolean pending = FALSE;
  gboolean changed = FALSE;
  gboolean deck_changed = FALSE;
  gboolean skipped = FALSE;
  gboolean deleted;
  gboolean ok = FALSE;
  sqlite3 *handle = rh_sqlite_database_get_handle (self->db);
  const RhSyncField *source_field = rh_sync_change_get_field (change, "phrase_source");
  g_auto(PhraseSource) source = { 0 };
  LinkAction link = LINK_KEEP;
  g_autofree char *link_hlc = NULL;

  /* Checked before anything is written: a card whose phrase source is
   * damaged is skipped whole. Null: not made from a phrase. */
  if (field_string (source_field) != NULL)
    {
      g_autoptr(GError) invalid = NULL;

      if (!read_phrase_source (field_string (source_field), &source, &invalid))
        {
          g_debug ("Skipping card %s: %s", change->id, invalid->message);
          ctx->stats->skipped++;
          return TRUE;
        }
    }

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT deck_id, front, back, notes, example, tags,"
                                       " deck_hlc, front_hlc, back_hlc, notes_hlc, example_hlc,"
                                       " tags_hlc, deleted, deleted_hlc, pending"
                                       " FROM cards WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    if (!step_one_row (self, stmt, &exists, error))
      return FALSE;
    if (exists)
      {
        for (guint i = 0; i < N_CARD_FIELDS; i++)
          {
            values[i] = g_strdup (column_text (stmt, i));
            stamps[i] = g_strdup (column_text (stmt, N_CARD_FIELDS + i));
          }
        was_deleted = sqlite3_column_int (stmt, 12) != 0;
        deleted_hlc = g_strdup (column_text (stmt, 13));
        pending = sqlite3_column_int (stmt, 14) != 0;
      }
  }

  for (guint i = 0; i < N_CARD_FIELDS; i++)
    {
      const RhSyncField *field = rh_sync_change_get_field (change, card_fields[i].name);
      char *clean = NULL;
      int order;

      if (field == NULL)
        continue;
      order = g_strcmp0 (field->hlc, stamps[i] ? stamps[i] : "");
      if (order > 0)
        {
          if (!clean_card_field (i, field, &clean))
            {
              skipped = TRUE;
              continue;
            }
          count_conflict (ctx, field->hlc, stamps[i], pending);
          g_free (values[i]);
          values[i] = clean;
          g_free (stamps[i]);
          stamps[i] = g_strdup (field->hlc);
          changed = TRUE;
          deck_changed |= i == CARD_DECK;
        }
      else
        count_conflict (ctx, field->hlc, stamps[i], pending);
    }
  if (skipped)
    ctx->stats->skipped++;

  if (g_strcmp0 (change->deleted_hlc, deleted_hlc) > 0)
    {
      g_free (deleted_hlc);
      deleted_hlc = g_strdup (change->deleted_hlc);
      changed = TRUE;
    }

  if (source.phrase_key != NULL && !decide_phrase_link (ctx, change->id, &source, &link, error))
    goto out;
  if (!get_phrase_link_stamp (self, change->id, &link_hlc, error))
    goto out;
  if (link != LINK_KEEP && g_strcmp0 (source_field->hlc, link_hlc) > 0)
    {
      g_free (link_hlc);
      link_hlc = g_strdup (source_field->hlc);
    }

  for (guint i = 0; i < N_CARD_FIELDS; i++)
    {
      if (stamps[i] == NULL)
        stamps[i] = g_strdup ("");
      max = max_stamp (max, stamps[i]);
    }
  /* tags are never NULL in the table */
  if (values[CARD_TAGS] == NULL)
    values[CARD_TAGS] = g_strdup ("");

  /* The link's stamp is a field stamp of the card's, as on the server. */
  deleted = !stamp_is_set (stamps[CARD_DECK]) || !stamp_is_set (stamps[CARD_FRONT]) ||
            !stamp_is_set (stamps[CARD_BACK]) ||
            (deleted_hlc != NULL && strcmp (deleted_hlc, max_stamp (max, link_hlc)) > 0);

  if (link != LINK_KEEP && !write_phrase_link (ctx, change->id, &source, source_field->hlc, error))
    goto out;

  if (exists && !changed && deleted == was_deleted)
    {
      if (link != LINK_KEEP)
        ctx->stats->applied++;
      else
        ctx->stats->unchanged++;
      ok = TRUE;
      goto out;
    }

  if (values[CARD_DECK] == NULL)
    values[CARD_DECK] = g_strdup (LIMBO_DECK_ID);
  if (values[CARD_FRONT] == NULL)
    values[CARD_FRONT] = g_strdup ("");
  if (values[CARD_BACK] == NULL)
    values[CARD_BACK] = g_strdup ("");
  if ((deck_changed || !exists) && !ensure_deck (ctx, values[CARD_DECK], error))
    goto out;

  if (!exists)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;
      RhCardState state;
      gint64 created = id_time_us (change->id, ctx->now);

      rh_card_state_init_new (&state, created);
      stmt = rh_sqlite_database_prepare (self->db,
                                         "INSERT INTO cards (id, deck_id, front, back, notes,"
                                         " example, tags, deck_hlc, front_hlc, back_hlc,"
                                         " notes_hlc, example_hlc, tags_hlc, created, modified,"
                                         " deleted, deleted_hlc, pending, state, due)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                         " ?12, ?13, ?14, ?15, ?16, ?17, 0, ?18, ?19)",
                                         error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      for (guint i = 0; i < N_CARD_FIELDS; i++)
        {
          sqlite3_bind_text (stmt, 2 + i, values[i], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 8 + i, stamps[i], -1, SQLITE_TRANSIENT);
        }
      sqlite3_bind_int64 (stmt, 14, created);
      sqlite3_bind_int64 (stmt, 15, ctx->now);
      sqlite3_bind_int (stmt, 16, deleted);
      sqlite3_bind_text (stmt, 17, deleted_hlc, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 18, state.state);
      sqlite3_bind_int64 (stmt, 19, state.due_us);
      if (!step (self, stmt, error))
        goto out;
      if (!deleted &&
          !rh_sqlite_search_index_add (self->db, sqlite3_last_insert_rowid (handle),
                                       values[CARD_FRONT], values[CARD_BACK], values[CARD_NOTES],
                                       values[CARD_EXAMPLE], values[CARD_TAGS], error))
        goto out;
    }
  else
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;

      /* The search index follows through the update trigger of v2. */
      stmt = rh_sqlite_database_prepare (self->db,
                                         "UPDATE cards SET deck_id = ?2, front = ?3, back = ?4,"
                                         " notes = ?5, example = ?6, tags = ?7, deck_hlc = ?8,"
                                         " front_hlc = ?9, back_hlc = ?10, notes_hlc = ?11,"
                                         " example_hlc = ?12, tags_hlc = ?13, modified = ?14,"
                                         " deleted = ?15, deleted_hlc = ?16 WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      for (guint i = 0; i < N_CARD_FIELDS; i++)
        {
          sqlite3_bind_text (stmt, 2 + i, values[i], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 8 + i, stamps[i], -1, SQLITE_TRANSIENT);
        }
      sqlite3_bind_int64 (stmt, 14, ctx->now);
      sqlite3_bind_int (stmt, 15, deleted);
      sqlite3_bind_text (stmt, 16, deleted_hlc, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error))
        goto out;

      /* A card that comes back (or is filled in after its reviews came
       * first) gets its state from its reviews. */
      if (was_deleted && !deleted && !remember_rebuild (self, change->id, error))
        goto out;
    }

  ctx->stats->applied++;
  ok = TRUE;

out:
  for (guint i = 0; i < N_CARD_FIELDS; i++)
    {
      g_free (values[i]);
      g_free (stamps[i]);
    }
  return ok;
}

static gboolean
apply_review (ApplyContext        *ctx,
              const RhSyncChange  *change,
              GError             **error)
{
  RhSqliteSyncRepository *self = ctx->self;
  g_autofree char *card_id = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *deleted_hlc = NULL;
  gboolean exists = FALSE;
  gboolean was_deleted = FALSE;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT card_id, hlc, deleted, deleted_hlc"
                                       " FROM reviews WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    if (!step_one_row (self, stmt, &exists, error))
      return FALSE;
    if (exists)
      {
        card_id = g_strdup (column_text (stmt, 0));
        hlc = g_strdup (column_text (stmt, 1));
        was_deleted = sqlite3_column_int (stmt, 2) != 0;
        deleted_hlc = g_strdup (column_text (stmt, 3));
      }
  }

  if (!exists)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;
      g_autoptr(RhReview) review = NULL;
      g_autoptr(GError) invalid = NULL;
      const char *stamp = NULL;
      gint64 rating = 0, time_us = 0, duration = 0, state_before = 0;
      gboolean deleted;

      /* A tombstone alone cannot make a review: it only ever follows the
       * review itself in the log. */
      if (change->fields->len == 0)
        {
          ctx->stats->skipped++;
          return TRUE;
        }

      for (guint i = 0; i < change->fields->len; i++)
        stamp = max_stamp (stamp, ((RhSyncField *) change->fields->pdata[i])->hlc);
      card_id = g_strdup (field_string (rh_sync_change_get_field (change, "card_id")));
      field_int64 (rh_sync_change_get_field (change, "rating"), &rating);
      field_int64 (rh_sync_change_get_field (change, "time_us"), &time_us);
      field_int64 (rh_sync_change_get_field (change, "duration_ms"), &duration);
      field_int64 (rh_sync_change_get_field (change, "state_before"), &state_before);
      /* Here an answer lasts an hour at most; the time taken does not
       * change scheduling. */
      duration = CLAMP (duration, 0, RH_REVIEW_MAX_DURATION_MS);

      review = rh_review_new (change->id, card_id, (int) rating, time_us, duration, &invalid);
      if (review == NULL)
        {
          g_debug ("Skipping review %s: %s", change->id, invalid->message);
          ctx->stats->skipped++;
          return TRUE;
        }

      deleted = change->deleted_hlc != NULL && strcmp (change->deleted_hlc, stamp) > 0;
      if (!ensure_card (ctx, card_id, error))
        return FALSE;

      stmt = rh_sqlite_database_prepare (self->db,
                                         "INSERT INTO reviews (id, card_id, rating, time,"
                                         " duration_ms, state_before, session_id, hlc, deleted,"
                                         " deleted_hlc, pending)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, card_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, (int) rating);
      sqlite3_bind_int64 (stmt, 4, time_us);
      sqlite3_bind_int64 (stmt, 5, duration);
      sqlite3_bind_int (stmt, 6, (int) CLAMP (state_before, 0, 3));
      sqlite3_bind_text (stmt, 7, field_string (rh_sync_change_get_field (change, "session_id")),
                         -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 9, deleted);
      sqlite3_bind_text (stmt, 10, change->deleted_hlc, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error) || !remember_rebuild (self, card_id, error))
        return FALSE;

      ctx->stats->reviews_added++;
      ctx->stats->applied++;
      return TRUE;
    }

  /* Known: its values never change, only its tombstone can come. */
  if (g_strcmp0 (change->deleted_hlc, deleted_hlc) > 0)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;
      gboolean deleted = was_deleted || strcmp (change->deleted_hlc, hlc) > 0;

      stmt = rh_sqlite_database_prepare (self->db,
                                         "UPDATE reviews SET deleted = ?2, deleted_hlc = ?3"
                                         " WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, deleted);
      sqlite3_bind_text (stmt, 3, change->deleted_hlc, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error))
        return FALSE;
      if (deleted != was_deleted && !remember_rebuild (self, card_id, error))
        return FALSE;
      ctx->stats->applied++;
      return TRUE;
    }

  ctx->stats->unchanged++;
  return TRUE;
}

/* The stamp of a session's turn results (NULL for none), and whether
 * they still have to be pushed. */
static gboolean
get_turn_results_stamp (RhSqliteSyncRepository  *self,
                        const char              *session_id,
                        char                   **out_stamp,
                        gboolean                *out_pending,
                        GError                 **error)
{
  return get_parts_stamp (self,
                          "SELECT max (hlc), max (pending) FROM scenario_turn_results"
                          " WHERE session_id = ?1",
                          session_id, out_stamp, out_pending, error);
}

static gboolean
apply_session (ApplyContext        *ctx,
               const RhSyncChange  *change,
               GError             **error)
{
  RhSqliteSyncRepository *self = ctx->self;
  g_autofree char *kind = NULL;
  g_autofree char *scenario_id = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *deleted_hlc = NULL;
  gint64 started = 0, ended = 0, time_ms = 0;
  gint64 counts[4] = { 0 };
  double score = 0;
  gboolean exists = FALSE;
  gboolean was_deleted = FALSE;
  gboolean pending = FALSE;
  gboolean changed = FALSE;
  gboolean deleted;
  const char *stamp = NULL;
  const RhSyncField *results_field = rh_sync_change_get_field (change, "turn_results");
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *results_hlc = NULL;
  gboolean results_pending = FALSE;
  gboolean take_results = FALSE;
  gboolean results_changed = FALSE;

  /* Checked before anything is written: a session whose results are
   * damaged is skipped whole. */
  if (results_field != NULL)
    {
      g_autoptr(GError) invalid = NULL;

      if (!(results = read_turn_results (field_string (results_field), &invalid)))
        {
          g_debug ("Skipping session %s: %s", change->id, invalid->message);
          ctx->stats->skipped++;
          return TRUE;
        }
    }

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT kind, started, ended, again, hard, good, easy,"
                                       " time_ms, scenario_id, score, hlc, deleted, deleted_hlc,"
                                       " pending FROM sessions WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    if (!step_one_row (self, stmt, &exists, error))
      return FALSE;
    if (exists)
      {
        kind = g_strdup (column_text (stmt, 0));
        started = sqlite3_column_int64 (stmt, 1);
        ended = sqlite3_column_int64 (stmt, 2);
        for (guint i = 0; i < 4; i++)
          counts[i] = sqlite3_column_int64 (stmt, 3 + i);
        time_ms = sqlite3_column_int64 (stmt, 7);
        scenario_id = g_strdup (column_text (stmt, 8));
        score = sqlite3_column_double (stmt, 9);
        hlc = g_strdup (column_text (stmt, 10));
        was_deleted = sqlite3_column_int (stmt, 11) != 0;
        deleted_hlc = g_strdup (column_text (stmt, 12));
        pending = sqlite3_column_int (stmt, 13) != 0;
      }
  }

  /* The row's fields share one stamp; the turn results have their own. */
  for (guint i = 0; i < change->fields->len; i++)
    if (change->fields->pdata[i] != results_field)
      stamp = max_stamp (stamp, ((RhSyncField *) change->fields->pdata[i])->hlc);

  if (stamp != NULL && g_strcmp0 (stamp, hlc) > 0)
    {
      const RhSyncField *field;
      g_autoptr(RhSession) session = NULL;
      g_autoptr(GError) invalid = NULL;
      RhSessionKind parsed;

      count_conflict (ctx, stamp, hlc, pending);

      if ((field = rh_sync_change_get_field (change, "kind")) != NULL)
        {
          g_free (kind);
          kind = g_strdup (field_string (field));
        }
      field_int64 (rh_sync_change_get_field (change, "started_us"), &started);
      field_int64 (rh_sync_change_get_field (change, "ended_us"), &ended);
      field_int64 (rh_sync_change_get_field (change, "time_ms"), &time_ms);
      if ((field = rh_sync_change_get_field (change, "counts")) != NULL && field->value != NULL)
        g_variant_get (field->value, "(xxxx)", &counts[0], &counts[1], &counts[2], &counts[3]);
      if ((field = rh_sync_change_get_field (change, "scenario_id")) != NULL)
        {
          g_free (scenario_id);
          scenario_id = g_strdup (field_string (field));
        }
      if ((field = rh_sync_change_get_field (change, "score")) != NULL && field->value != NULL)
        score = g_variant_get_double (field->value);

      /* Stored only if the study sessions can read it back. */
      if (kind == NULL || !rh_session_kind_parse (kind, &parsed) ||
          !(session = rh_session_new (change->id, parsed, started, &invalid)) ||
          (ended != 0 && !rh_session_end (session, ended, &invalid)) ||
          (scenario_id != NULL && !rh_session_set_scenario (session, scenario_id, score,
                                                            &invalid)))
        {
          g_debug ("Skipping session %s: %s", change->id, invalid ? invalid->message : "no kind");
          ctx->stats->skipped++;
          return TRUE;
        }

      g_free (hlc);
      hlc = g_strdup (stamp);
      changed = TRUE;
    }
  else if (stamp != NULL)
    count_conflict (ctx, stamp, hlc, pending);

  if (g_strcmp0 (change->deleted_hlc, deleted_hlc) > 0)
    {
      g_free (deleted_hlc);
      deleted_hlc = g_strdup (change->deleted_hlc);
      changed = TRUE;
    }

  if (!exists && hlc == NULL)
    {
      /* A tombstone (or turn results) of a session never seen carries
       * nothing to store. */
      ctx->stats->skipped++;
      return TRUE;
    }

  if (!get_turn_results_stamp (self, change->id, &results_hlc, &results_pending, error))
    return FALSE;
  if (results_field != NULL)
    {
      count_conflict (ctx, results_field->hlc, results_hlc, results_pending);
      if (g_strcmp0 (results_field->hlc, results_hlc) > 0)
        {
          take_results = TRUE;
          g_free (results_hlc);
          results_hlc = g_strdup (results_field->hlc);
        }
    }

  /* deleted while the tombstone is newer than every field stamp, the
   * results' too */
  deleted = deleted_hlc != NULL && strcmp (deleted_hlc, max_stamp (hlc, results_hlc)) > 0;

  /* whole, as the session repository writes a run's results */
  if (take_results &&
      !rh_sqlite_turn_results_replace (self->db, change->id, results, results_hlc, FALSE,
                                       WRITE_FAILED, &results_changed, error))
    return FALSE;

  if (exists && !changed && deleted == was_deleted)
    {
      if (results_changed)
        ctx->stats->applied++;
      else
        ctx->stats->unchanged++;
      return TRUE;
    }

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "INSERT INTO sessions (id, kind, started, ended, again,"
                                       " hard, good, easy, time_ms, scenario_id, score, hlc,"
                                       " deleted, deleted_hlc, pending)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                       " ?12, ?13, ?14, 0)"
                                       " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,"
                                       " started = excluded.started, ended = excluded.ended,"
                                       " again = excluded.again, hard = excluded.hard,"
                                       " good = excluded.good, easy = excluded.easy,"
                                       " time_ms = excluded.time_ms,"
                                       " scenario_id = excluded.scenario_id,"
                                       " score = excluded.score, hlc = excluded.hlc,"
                                       " deleted = excluded.deleted,"
                                       " deleted_hlc = excluded.deleted_hlc",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, started);
    sqlite3_bind_int64 (stmt, 4, ended);
    for (guint i = 0; i < 4; i++)
      sqlite3_bind_int64 (stmt, 5 + i, counts[i]);
    sqlite3_bind_int64 (stmt, 9, time_ms);
    sqlite3_bind_text (stmt, 10, scenario_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double (stmt, 11, score);
    sqlite3_bind_text (stmt, 12, hlc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 13, deleted);
    sqlite3_bind_text (stmt, 14, deleted_hlc, -1, SQLITE_TRANSIENT);
    if (!step (self, stmt, error))
      return FALSE;
  }

  ctx->stats->applied++;
  return TRUE;
}

/* The scenario document's members as the scenarios table keeps them. */
typedef struct
{
  char   *title;
  char   *level;
  char   *topic;
  char   *description;
  char   *goal;
  char   *turns;
  char   *bundle_key;
  gint64  bundle_version;
} ScenarioColumns;

static void
scenario_columns_clear (ScenarioColumns *columns)
{
  g_free (columns->title);
  g_free (columns->level);
  g_free (columns->topic);
  g_free (columns->description);
  g_free (columns->goal);
  g_free (columns->turns);
  g_free (columns->bundle_key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScenarioColumns, scenario_columns_clear)

static gboolean
optional_string_member (JsonObject  *object,
                        const char  *name,
                        char       **out)
{
  const char *text;

  *out = NULL;
  if (!rh_json_string_member (object, name, &text))
    return FALSE;
  *out = g_strdup (text);
  return TRUE;
}

/* Reads a pulled scenario document the way the scenarios are read back
 * from the table, so only a document they can read is stored. */
static gboolean
read_scenario_document (const char       *id,
                        const char       *document,
                        ScenarioColumns  *out,
                        GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonNode *turns;
  JsonNode *version;
  JsonObject *object;

  if (!rh_json_parser_load (parser, document, -1, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto damaged;
  object = json_node_get_object (root);

  if (!optional_string_member (object, "title", &out->title) ||
      !optional_string_member (object, "level", &out->level) ||
      !optional_string_member (object, "topic", &out->topic) ||
      !optional_string_member (object, "description", &out->description) ||
      !optional_string_member (object, "goal", &out->goal) ||
      !optional_string_member (object, "bundle_key", &out->bundle_key))
    goto damaged;
  version = json_object_get_member (object, "bundle_version");
  if (version != NULL && json_node_get_value_type (version) == G_TYPE_INT64)
    out->bundle_version = CLAMP (json_node_get_int (version), 0, G_MAXINT);
  turns = json_object_get_member (object, "turns");

  if (!(scenario = rh_scenario_new (id, out->title, out->level, error)) ||
      !rh_scenario_set_topic (scenario, out->topic, error) ||
      !rh_scenario_set_description (scenario, out->description, error) ||
      !rh_scenario_set_goal (scenario, out->goal, error))
    return FALSE;
  if (!rh_sqlite_scenario_add_turns (scenario, turns, &local_error))
    {
      if (g_error_matches (local_error, RH_STORE_ERROR, RH_STORE_ERROR_CORRUPT))
        goto damaged;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  out->turns = json_to_string (turns, FALSE);
  return TRUE;

damaged:
  g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, _("A synced scenario is damaged"));
  return FALSE;
}

static gboolean
apply_scenario (ApplyContext        *ctx,
                const RhSyncChange  *change,
                GError             **error)
{
  RhSqliteSyncRepository *self = ctx->self;
  const RhSyncField *field = rh_sync_change_get_field (change, "content");
  g_auto(ScenarioColumns) columns = { 0 };
  g_autofree char *content_hlc = NULL;
  g_autofree char *deleted_hlc = NULL;
  gboolean exists = FALSE;
  gboolean was_deleted = FALSE;
  gboolean pending = FALSE;
  gboolean take_content = FALSE;
  gboolean unreadable = FALSE;
  gboolean tombstone = FALSE;
  gboolean deleted;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT content_hlc, deleted, deleted_hlc, pending"
                                       " FROM scenarios WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
    if (!step_one_row (self, stmt, &exists, error))
      return FALSE;
    if (exists)
      {
        content_hlc = g_strdup (column_text (stmt, 0));
        was_deleted = sqlite3_column_int (stmt, 1) != 0;
        deleted_hlc = g_strdup (column_text (stmt, 2));
        pending = sqlite3_column_int (stmt, 3) != 0;
      }
  }

  if (field != NULL && g_strcmp0 (field->hlc, content_hlc) > 0)
    {
      g_autoptr(GError) invalid = NULL;

      if (!read_scenario_document (change->id, field_string (field), &columns, &invalid))
        {
          g_debug ("Skipping scenario %s: %s", change->id, invalid->message);
          ctx->stats->skipped++;
          unreadable = TRUE;
        }
      else
        {
          count_conflict (ctx, field->hlc, content_hlc, pending);
          take_content = TRUE;
          g_free (content_hlc);
          content_hlc = g_strdup (field->hlc);
        }
    }
  else if (field != NULL)
    count_conflict (ctx, field->hlc, content_hlc, pending);

  if (g_strcmp0 (change->deleted_hlc, deleted_hlc) > 0)
    {
      g_free (deleted_hlc);
      deleted_hlc = g_strdup (change->deleted_hlc);
      tombstone = TRUE;
    }

  if (!exists && !take_content)
    {
      /* Nothing this device could show. A tombstone alone need not be
       * kept: every later change of the scenario carries it again. */
      if (!unreadable)
        ctx->stats->skipped++;
      return TRUE;
    }

  deleted = deleted_hlc != NULL && strcmp (deleted_hlc, content_hlc) > 0;
  if (exists && !take_content && !tombstone && deleted == was_deleted)
    {
      ctx->stats->unchanged++;
      return TRUE;
    }

  if (take_content)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;

      stmt = rh_sqlite_database_prepare (self->db,
                                         "INSERT INTO scenarios (id, title, level, topic,"
                                         " description, goal, turns, bundle_key, bundle_version,"
                                         " content_hlc, deleted, deleted_hlc, pending)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                         " ?12, 0)"
                                         " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                                         " level = excluded.level, topic = excluded.topic,"
                                         " description = excluded.description,"
                                         " goal = excluded.goal, turns = excluded.turns,"
                                         " bundle_key = excluded.bundle_key,"
                                         " bundle_version = excluded.bundle_version,"
                                         " content_hlc = excluded.content_hlc,"
                                         " deleted = excluded.deleted,"
                                         " deleted_hlc = excluded.deleted_hlc",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, columns.title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, columns.level, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, columns.topic, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, columns.description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, columns.goal, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, columns.turns, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, columns.bundle_key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 9, columns.bundle_version);
      sqlite3_bind_text (stmt, 10, content_hlc, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 11, deleted);
      sqlite3_bind_text (stmt, 12, deleted_hlc, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error))
        return FALSE;
    }
  else
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;

      stmt = rh_sqlite_database_prepare (self->db,
                                         "UPDATE scenarios SET deleted = ?2, deleted_hlc = ?3"
                                         " WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, deleted);
      sqlite3_bind_text (stmt, 3, deleted_hlc, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error))
        return FALSE;
    }

  ctx->stats->applied++;
  return TRUE;
}


static gboolean
rh_sqlite_sync_repository_apply_changes (RhSyncRepository  *repo,
                                         GPtrArray         *changes,
                                         RhSyncApplyStats  *stats,
                                         GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  const char *device_id = rh_sqlite_database_get_device_id (self->db);
  ApplyContext ctx = { self, stats, g_get_real_time (), device_id + strlen (device_id) - 12 };
  const char *newest = NULL;

  g_return_val_if_fail (rh_sqlite_database_in_transaction (self->db), FALSE);

  for (guint i = 0; i < changes->len; i++)
    newest = max_stamp (newest, rh_sync_change_max_hlc (changes->pdata[i]));

  /* The clock moves past what arrived, so the next local edit wins over
   * it. A stamp too far ahead of the wall clock is merged all the same
   * but does not drag the clock along (rh_hlc_observe()). */
  if (newest != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!rh_sqlite_database_observe_stamp (self->db, newest, &local_error))
        {
          if (local_error->domain == RH_STORE_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Not following a remote clock: %s", local_error->message);
        }
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const RhSyncChange *change = changes->pdata[i];
      gboolean ok;

      switch (change->entity)
        {
        case RH_SYNC_ENTITY_DECK:
          ok = apply_deck (&ctx, change, error);
          break;
        case RH_SYNC_ENTITY_CARD:
          ok = apply_card (&ctx, change, error);
          break;
        case RH_SYNC_ENTITY_REVIEW:
          ok = apply_review (&ctx, change, error);
          break;
        case RH_SYNC_ENTITY_SESSION:
          ok = apply_session (&ctx, change, error);
          break;
        case RH_SYNC_ENTITY_SCENARIO:
          ok = apply_scenario (&ctx, change, error);
          break;
        default:
          g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                       _("An unknown kind of change"));
          ok = FALSE;
          break;
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
rh_sqlite_sync_repository_settle (RhSyncRepository  *repo,
                                  RhSyncApplyStats  *stats,
                                  gboolean          *out_changed,
                                  GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  ApplyContext ctx = { self, stats, g_get_real_time (), "" };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  *out_changed = FALSE;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;
    int rc;

    /* A deleted deck that still has a live card (placeholders aside). */
    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT d.id, d.name FROM decks d"
                                       " WHERE d.deleted = 1 AND d.name_hlc != ''"
                                       " AND EXISTS (SELECT 1 FROM cards c"
                                       "   WHERE c.deck_id = d.id AND c.deleted = 0)",
                                       error);
    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
        g_ptr_array_add (names, g_strdup (column_text (stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      {
        rh_sqlite_database_set_error (self->db, error, READ_FAILED);
        return FALSE;
      }
  }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RhSqliteStatement) stmt = NULL;
      g_autofree char *stamp = NULL;
      g_autofree char *key = rh_deck_name_key (names->pdata[i]);
      g_autofree char *other = NULL;

      g_debug ("Deck %s comes back: a card in it was edited after it was deleted",
               (char *) ids->pdata[i]);

      /* Back under a free name, stamped now so the others bring it back
       * too. */
      if (!deck_name_taken (self, key, ids->pdata[i], &other, error))
        return FALSE;
      if (other != NULL && !rename_deck (&ctx, ids->pdata[i], names->pdata[i], error))
        return FALSE;
      stamp = rh_sqlite_database_next_stamp (self->db);
      stmt = rh_sqlite_database_prepare (self->db,
                                         "UPDATE decks SET deleted = 0, name_hlc = ?2,"
                                         " modified = ?3, pending = 1 WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, ctx.now);
      if (!step (self, stmt, error))
        return FALSE;
      stats->conflicts++;
      *out_changed = TRUE;
    }
  return TRUE;
}

/* ---- the sync's own state ---- */

static char *
get_state_text (RhSqliteSyncRepository  *self,
                const char              *sql,
                GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (self->db, sql, error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }
  return g_strdup (column_text (stmt, 0));
}

static gboolean
set_state_text (RhSqliteSyncRepository  *self,
                const char              *sql,
                const char              *value,
                GError                 **error)
{
  g_autoptr(RhSqliteStatement) stmt = rh_sqlite_database_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  return step (self, stmt, error);
}

static const char *
rh_sqlite_sync_repository_get_device_id (RhSyncRepository *repo)
{
  return rh_sqlite_database_get_device_id (RH_SQLITE_SYNC_REPOSITORY (repo)->db);
}

static char *
rh_sqlite_sync_repository_get_cursor (RhSyncRepository  *repo,
                                      GError           **error)
{
  return get_state_text (RH_SQLITE_SYNC_REPOSITORY (repo),
                         "SELECT cursor FROM sync_state WHERE slot = 1", error);
}

static gboolean
rh_sqlite_sync_repository_set_cursor (RhSyncRepository  *repo,
                                      const char        *cursor,
                                      GError           **error)
{
  g_return_val_if_fail (rh_sync_cursor_is_valid (cursor), FALSE);
  return set_state_text (RH_SQLITE_SYNC_REPOSITORY (repo),
                         "UPDATE sync_state SET cursor = ?1 WHERE slot = 1", cursor, error);
}

static char *
rh_sqlite_sync_repository_get_account (RhSyncRepository  *repo,
                                       GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  char *account = get_state_text (RH_SQLITE_SYNC_REPOSITORY (repo),
                                  "SELECT account FROM sync_state WHERE slot = 1", &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return account;
}

static gboolean
rh_sqlite_sync_repository_set_account (RhSyncRepository  *repo,
                                       const char        *account,
                                       GError           **error)
{
  return set_state_text (RH_SQLITE_SYNC_REPOSITORY (repo),
                         "UPDATE sync_state SET account = ?1 WHERE slot = 1", account, error);
}

static gboolean
rh_sqlite_sync_repository_save_outbox (RhSyncRepository  *repo,
                                       const char        *batch_id,
                                       GPtrArray         *changes,
                                       GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GVariant) variant = g_variant_ref_sink (rh_sync_changes_to_variant (changes));
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (variant);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE sync_state SET batch_id = ?1, batch = ?2"
                                     " WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, batch_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 2, data ? data : "", size, SQLITE_TRANSIENT);
  return step (self, stmt, error);
}

static gboolean
rh_sqlite_sync_repository_load_outbox (RhSyncRepository  *repo,
                                       char             **out_batch_id,
                                       GPtrArray        **out_changes,
                                       GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) variant = NULL;
  GPtrArray *changes;

  *out_batch_id = NULL;
  *out_changes = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT batch_id, batch FROM sync_state WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return FALSE;
    }
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return TRUE;

  bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  /* Not trusted: a damaged file must not crash the reader. */
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("a(ssa(smvs)bmsxms)"),
                                                          bytes, FALSE));
  if (!(changes = rh_sync_changes_from_variant (variant, error)))
    return FALSE;
  *out_batch_id = g_strdup (column_text (stmt, 0));
  *out_changes = changes;
  return TRUE;
}

static gboolean
rh_sqlite_sync_repository_clear_outbox (RhSyncRepository  *repo,
                                        GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE sync_state SET batch_id = NULL, batch = NULL"
                                     " WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  return step (self, stmt, error);
}

static GPtrArray *
rh_sqlite_sync_repository_list_cards_to_rebuild (RhSyncRepository  *repo,
                                                 guint              limit,
                                                 GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT card_id FROM sync_rebuild ORDER BY card_id LIMIT ?1",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
rh_sqlite_sync_repository_forget_card_to_rebuild (RhSyncRepository  *repo,
                                                  const char        *card_id,
                                                  GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);

  /* The last answer's undo would put back the state from before it,
   * which the reviews from elsewhere have made stale. */
  return set_state_text (self, "DELETE FROM sync_rebuild WHERE card_id = ?1", card_id, error) &&
         set_state_text (self, "DELETE FROM last_answer WHERE card_id = ?1", card_id, error);
}

static gint64
rh_sqlite_sync_repository_get_last_synced (RhSyncRepository *repo)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT last_synced FROM sync_state WHERE slot = 1", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
rh_sqlite_sync_repository_set_last_synced (RhSyncRepository  *repo,
                                           gint64             time_us,
                                           GError           **error)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE sync_state SET last_synced = ?1 WHERE slot = 1",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, time_us);
  return step (self, stmt, error);
}

static void
rh_sqlite_sync_repository_iface_init (RhSyncRepositoryInterface *iface)
{
  iface->get_device_id = rh_sqlite_sync_repository_get_device_id;
  iface->count_pending = rh_sqlite_sync_repository_count_pending;
  iface->list_pending = rh_sqlite_sync_repository_list_pending;
  iface->mark_pushed = rh_sqlite_sync_repository_mark_pushed;
  iface->apply_changes = rh_sqlite_sync_repository_apply_changes;
  iface->settle = rh_sqlite_sync_repository_settle;
  iface->get_cursor = rh_sqlite_sync_repository_get_cursor;
  iface->set_cursor = rh_sqlite_sync_repository_set_cursor;
  iface->get_account = rh_sqlite_sync_repository_get_account;
  iface->set_account = rh_sqlite_sync_repository_set_account;
  iface->save_outbox = rh_sqlite_sync_repository_save_outbox;
  iface->load_outbox = rh_sqlite_sync_repository_load_outbox;
  iface->clear_outbox = rh_sqlite_sync_repository_clear_outbox;
  iface->list_cards_to_rebuild = rh_sqlite_sync_repository_list_cards_to_rebuild;
  iface->forget_card_to_rebuild = rh_sqlite_sync_repository_forget_card_to_rebuild;
  iface->get_last_synced = rh_sqlite_sync_repository_get_last_synced;
  iface->set_last_synced = rh_sqlite_sync_repository_set_last_synced;
}

static void
rh_sqlite_sync_repository_finalize (GObject *object)
{
  RhSqliteSyncRepository *self = RH_SQLITE_SYNC_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_sync_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_sync_repository_class_init (RhSqliteSyncRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_sync_repository_finalize;
}

static void
rh_sqlite_sync_repository_init (RhSqliteSyncRepository *self)
{
}

/**
 * rh_sqlite_sync_repository_new:
 *
 * Returns: (transfer full): the sync's view of @db; use it on the
 *   connection's thread, inside its transactions
 */
RhSqliteSyncRepository *
rh_sqlite_sync_repository_new (RhSqliteDatabase *db)
{
  RhSqliteSyncRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_SYNC_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}

/**
 * rh_sqlite_sync_repository_new_for_collection:
 * @collection: a collection made by rh_composition_open()
 *
 * The composition root keeps the collection's database on it
 * ("rh-sqlite-database"): the sync repository shares that connection, so
 * its writes and the repositories' are in the same transactions.
 *
 * Returns: (transfer full) (nullable): the sync's view of the collection,
 *   or %NULL when it is not kept in SQLite
 */
RhSqliteSyncRepository *
rh_sqlite_sync_repository_new_for_collection (RhCollection *collection)
{
  RhSqliteDatabase *db;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  db = g_object_get_data (G_OBJECT (collection), "rh-sqlite-database");
  if (!RH_IS_SQLITE_DATABASE (db))
    return NULL;
  return rh_sqlite_sync_repository_new (db);
}
