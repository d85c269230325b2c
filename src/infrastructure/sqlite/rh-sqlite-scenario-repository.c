// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rh-domain-error.h"
#include "rh-json-load.h"
#include "rh-sqlite-scenario-repository.h"
#include "rh-store.h"

struct _RhSqliteScenarioRepository
{
  GObject           parent_instance;

  RhSqliteDatabase *db;
};

static void rh_sqlite_scenario_repository_iface_init (RhScenarioRepositoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhSqliteScenarioRepository, rh_sqlite_scenario_repository,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SCENARIO_REPOSITORY,
                                                      rh_sqlite_scenario_repository_iface_init))

/* The order of the columns is the order of the values in save(). */
#define SCENARIO_COLUMNS \
  "id, title, level, topic, description, goal, turns, bundle_key, bundle_version"
#define N_TEXT_COLUMNS 8

#define READ_FAILED _("Could not read the scenarios")

static void
add_strv_member (JsonBuilder        *builder,
                 const char         *name,
                 const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* The turns as one JSON document: they are only ever read and written
 * with their scenario, and the sync sends them the same way. */
static char *
turns_to_json (RhScenario *scenario)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, turn->kind == RH_TURN_LEARNER ? "learner"
                                                                           : "partner");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, turn->text);
      add_strv_member (builder, "accepted", (const char * const *) turn->accepted);
      add_strv_member (builder, "key_phrases", (const char * const *) turn->key_phrases);
      add_strv_member (builder, "hints", (const char * const *) turn->hints);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
damaged (GError **error)
{
  g_set_error (error, RH_STORE_ERROR, RH_STORE_ERROR_CORRUPT,
               _("A stored scenario is damaged"));
  return FALSE;
}

/* An empty list when @object has no such member (or it is null); FALSE
 * when it is not a list of strings. */
static gboolean
read_strv_member (JsonObject   *object,
                  const char   *name,
                  char       ***out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return FALSE;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (json_node_get_value_type (item) != G_TYPE_STRING)
            return FALSE;
          g_strv_builder_add (builder, json_node_get_string (item));
        }
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/**
 * rh_sqlite_scenario_add_turns:
 * @turns: the turns as the table keeps them: a JSON array of objects
 *   with kind, text, accepted, key_phrases and hints
 *
 * Adds the turns to @scenario, each checked by the domain's rules. The
 * table and a scenario pulled by the sync are read by this one reader,
 * so only a document the table can read back is stored.
 *
 * Returns: %TRUE on success; %FALSE with %RH_STORE_ERROR_CORRUPT when
 *   @turns is not shaped like that, or with the domain's error
 */
gboolean
rh_sqlite_scenario_add_turns (RhScenario  *scenario,
                              JsonNode    *turns,
                              GError     **error)
{
  JsonArray *array;

  if (turns == NULL || !JSON_NODE_HOLDS_ARRAY (turns))
    return damaged (error);

  array = json_node_get_array (turns);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      RhScenarioTurn *turn;
      const char *kind;
      const char *text;
      g_auto(GStrv) accepted = NULL;
      g_auto(GStrv) key_phrases = NULL;
      g_auto(GStrv) hints = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return damaged (error);
      object = json_node_get_object (node);
      if (!rh_json_string_member (object, "kind", &kind) ||
          !rh_json_string_member (object, "text", &text) ||
          !read_strv_member (object, "accepted", &accepted) ||
          !read_strv_member (object, "key_phrases", &key_phrases) ||
          !read_strv_member (object, "hints", &hints))
        return damaged (error);

      turn = rh_scenario_turn_new (g_strcmp0 (kind, "learner") == 0 ? RH_TURN_LEARNER
                                                                     : RH_TURN_PARTNER,
                                   text,
                                   (const char * const *) accepted,
                                   (const char * const *) key_phrases,
                                   (const char * const *) hints,
                                   error);
      if (turn == NULL || !rh_scenario_add_turn (scenario, turn, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
turns_from_json (RhScenario  *scenario,
                 const char  *json,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!rh_json_parser_load (parser, json ? json : "", -1, NULL))
    return damaged (error);
  return rh_sqlite_scenario_add_turns (scenario, json_parser_get_root (parser), error);
}

static gpointer
scenario_from_row (sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(RhScenario) scenario = NULL;

  scenario = rh_scenario_new ((const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1),
                              (const char *) sqlite3_column_text (stmt, 2),
                              error);
  if (scenario == NULL ||
      !rh_scenario_set_topic (scenario, (const char *) sqlite3_column_text (stmt, 3), error) ||
      !rh_scenario_set_description (scenario, (const char *) sqlite3_column_text (stmt, 4),
                                    error) ||
      !rh_scenario_set_goal (scenario, (const char *) sqlite3_column_text (stmt, 5), error) ||
      !turns_from_json (scenario, (const char *) sqlite3_column_text (stmt, 6), error))
    return NULL;

  rh_scenario_set_bundle (scenario, (const char *) sqlite3_column_text (stmt, 7),
                          sqlite3_column_int (stmt, 8));
  return g_steal_pointer (&scenario);
}

static RhScenario *
fetch_one (RhSqliteScenarioRepository  *self,
           sqlite3_stmt                *stmt,
           GError                     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return scenario_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    rh_sqlite_database_set_error (self->db, error, READ_FAILED);
  return NULL;
}

static GPtrArray *
rh_sqlite_scenario_repository_list (RhScenarioRepository  *repo,
                                    GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SCENARIO_COLUMNS " FROM scenarios"
                                     " WHERE deleted = 0 ORDER BY title COLLATE NOCASE, id",
                                     error);
  if (stmt == NULL)
    return NULL;
  return rh_sqlite_database_collect (self->db, stmt, scenario_from_row, g_object_unref,
                                     READ_FAILED, error);
}

static RhScenario *
rh_sqlite_scenario_repository_get (RhScenarioRepository  *repo,
                                   const char            *id,
                                   GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  RhScenario *scenario;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SCENARIO_COLUMNS " FROM scenarios"
                                     " WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  scenario = fetch_one (self, stmt, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (scenario == NULL)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                 _("The scenario does not exist"));
  return scenario;
}

static RhScenario *
rh_sqlite_scenario_repository_find_by_bundle_key (RhScenarioRepository  *repo,
                                                  const char            *key,
                                                  GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  /* Two devices may each have installed the bundled scenario before they
   * first synced: then the oldest id stands for it. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " SCENARIO_COLUMNS " FROM scenarios"
                                     " WHERE bundle_key = ?1 AND deleted = 0"
                                     " ORDER BY id LIMIT 1",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  return fetch_one (self, stmt, error);
}

/* A scenario is edited as one document, so one stamp covers all of it: it
 * changes when anything in it does, and a deleted scenario saved again
 * comes back. */
static gboolean
rh_sqlite_scenario_repository_save (RhScenarioRepository  *repo,
                                    RhScenario            *scenario,
                                    GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  const char *what = _("Could not save the scenario");
  g_autofree char *turns = turns_to_json (scenario);
  g_autofree char *stamp = NULL;
  const char *values[N_TEXT_COLUMNS];
  int bundle_version = rh_scenario_get_bundle_version (scenario);
  gboolean content_changed = TRUE;
  gboolean revive = FALSE;

  values[0] = rh_scenario_get_id (scenario);
  values[1] = rh_scenario_get_title (scenario);
  values[2] = rh_scenario_get_level (scenario);
  values[3] = rh_scenario_get_topic (scenario);
  values[4] = rh_scenario_get_description (scenario);
  values[5] = rh_scenario_get_goal (scenario);
  values[6] = turns;
  values[7] = rh_scenario_get_bundle_key (scenario);

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;
    int rc;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "SELECT " SCENARIO_COLUMNS ", deleted FROM scenarios"
                                       " WHERE id = ?1",
                                       error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, values[0], -1, SQLITE_TRANSIENT);

    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        content_changed = sqlite3_column_int (stmt, N_TEXT_COLUMNS) != bundle_version;
        for (guint i = 1; i < N_TEXT_COLUMNS; i++)
          content_changed |= g_strcmp0 ((const char *) sqlite3_column_text (stmt, i),
                                        values[i]) != 0;
        revive = sqlite3_column_int (stmt, N_TEXT_COLUMNS + 1) != 0;
      }
    else if (rc != SQLITE_DONE)
      {
        rh_sqlite_database_set_error (self->db, error, what);
        return FALSE;
      }
  }

  if (!content_changed && !revive)
    return TRUE;

  {
    g_autoptr(RhSqliteStatement) stmt = NULL;

    stmt = rh_sqlite_database_prepare (self->db,
                                       "INSERT INTO scenarios (" SCENARIO_COLUMNS ", content_hlc)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                       " ON CONFLICT (id) DO UPDATE SET"
                                       " title = excluded.title, level = excluded.level,"
                                       " topic = excluded.topic,"
                                       " description = excluded.description,"
                                       " goal = excluded.goal, turns = excluded.turns,"
                                       " bundle_key = excluded.bundle_key,"
                                       " bundle_version = excluded.bundle_version,"
                                       " content_hlc = iif (?11, excluded.content_hlc,"
                                       "                    content_hlc),"
                                       " deleted = 0,"
                                       " deleted_hlc = iif (?12, excluded.content_hlc,"
                                       "                    deleted_hlc),"
                                       " pending = 1",
                                       error);
    if (stmt == NULL)
      return FALSE;

    stamp = rh_sqlite_database_next_stamp (self->db);
    for (guint i = 0; i < N_TEXT_COLUMNS; i++)
      sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 9, bundle_version);
    sqlite3_bind_text (stmt, 10, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 11, content_changed);
    sqlite3_bind_int (stmt, 12, revive);
    return rh_sqlite_database_step_done (self->db, stmt, what, error);
  }
}

static gboolean
rh_sqlite_scenario_repository_remove (RhScenarioRepository  *repo,
                                      const char            *id,
                                      GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *stamp = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "UPDATE scenarios SET deleted = 1, deleted_hlc = ?2,"
                                     " pending = 1 WHERE id = ?1 AND deleted = 0",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, stamp, -1, SQLITE_TRANSIENT);

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not delete the scenario"), error))
    return FALSE;
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                   _("The scenario does not exist"));
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
rh_sqlite_scenario_repository_list_bundle_entries (RhScenarioRepository  *repo,
                                                   GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  RhScenarioBundleEntry *last = NULL;
  int rc;

  /* Live rows sort first within a key, then the oldest id, so the first
   * row of each key is the one that stands for it. */
  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT bundle_key, id, bundle_version, deleted"
                                     " FROM scenarios WHERE bundle_key IS NOT NULL"
                                     " ORDER BY bundle_key, deleted, id",
                                     error);
  if (stmt == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_scenario_bundle_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      RhScenarioBundleEntry *entry;

      if (last != NULL && g_strcmp0 (last->key, key) == 0)
        continue;
      entry = g_new0 (RhScenarioBundleEntry, 1);
      entry->key = g_strdup (key);
      entry->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->version = sqlite3_column_int (stmt, 2);
      entry->deleted = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (entries, entry);
      last = entry;
    }
  if (rc != SQLITE_DONE)
    {
      rh_sqlite_database_set_error (self->db, error, READ_FAILED);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

#define LINK_COLUMNS "scenario_id, turn_index, phrase_key, card_id, created"

static gpointer
link_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  RhPhraseCardLink *link = g_new0 (RhPhraseCardLink, 1);

  link->scenario_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  link->turn_index = (guint) sqlite3_column_int (stmt, 1);
  link->phrase_key = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  link->card_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  link->created_us = sqlite3_column_int64 (stmt, 4);
  return link;
}

static RhPhraseCardLink *
rh_sqlite_scenario_repository_find_phrase_card (RhScenarioRepository  *repo,
                                                const char            *scenario_id,
                                                guint                  turn_index,
                                                const char            *phrase_key,
                                                GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  int rc;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " LINK_COLUMNS " FROM scenario_phrase_cards"
                                     " WHERE scenario_id = ?1 AND turn_index = ?2"
                                     " AND phrase_key = ?3",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scenario_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, turn_index);
  sqlite3_bind_text (stmt, 3, phrase_key, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return link_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    rh_sqlite_database_set_error (self->db, error, READ_FAILED);
  return NULL;
}

static gboolean
rh_sqlite_scenario_repository_add_phrase_card (RhScenarioRepository    *repo,
                                               const RhPhraseCardLink  *link,
                                               GError                 **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;
  g_autofree char *stamp = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "INSERT INTO scenario_phrase_cards (" LINK_COLUMNS ", hlc)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                     " ON CONFLICT DO NOTHING",
                                     error);
  if (stmt == NULL)
    return FALSE;

  stamp = rh_sqlite_database_next_stamp (self->db);
  sqlite3_bind_text (stmt, 1, link->scenario_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, link->turn_index);
  sqlite3_bind_text (stmt, 3, link->phrase_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, link->card_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, link->created_us);
  sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_TRANSIENT);

  if (!rh_sqlite_database_step_done (self->db, stmt, _("Could not link the phrase to its card"),
                                     error))
    return FALSE;
  if (sqlite3_changes (rh_sqlite_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                   _("The phrase “%s” already has a card"), link->phrase_key);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
rh_sqlite_scenario_repository_list_phrase_cards (RhScenarioRepository  *repo,
                                                 const char            *scenario_id,
                                                 GError               **error)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (repo);
  g_autoptr(RhSqliteStatement) stmt = NULL;

  stmt = rh_sqlite_database_prepare (self->db,
                                     "SELECT " LINK_COLUMNS " FROM scenario_phrase_cards"
                                     " WHERE ?1 IS NULL OR scenario_id = ?1"
                                     " ORDER BY scenario_id, turn_index, phrase_key",
                                     error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scenario_id, -1, SQLITE_TRANSIENT);
  return rh_sqlite_database_collect (self->db, stmt, link_from_row,
                                     (GDestroyNotify) rh_phrase_card_link_free,
                                     READ_FAILED, error);
}

static void
rh_sqlite_scenario_repository_iface_init (RhScenarioRepositoryInterface *iface)
{
  iface->list = rh_sqlite_scenario_repository_list;
  iface->get = rh_sqlite_scenario_repository_get;
  iface->find_by_bundle_key = rh_sqlite_scenario_repository_find_by_bundle_key;
  iface->save = rh_sqlite_scenario_repository_save;
  iface->remove = rh_sqlite_scenario_repository_remove;
  iface->list_bundle_entries = rh_sqlite_scenario_repository_list_bundle_entries;
  iface->find_phrase_card = rh_sqlite_scenario_repository_find_phrase_card;
  iface->add_phrase_card = rh_sqlite_scenario_repository_add_phrase_card;
  iface->list_phrase_cards = rh_sqlite_scenario_repository_list_phrase_cards;
}

static void
rh_sqlite_scenario_repository_finalize (GObject *object)
{
  RhSqliteScenarioRepository *self = RH_SQLITE_SCENARIO_REPOSITORY (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (rh_sqlite_scenario_repository_parent_class)->finalize (object);
}

static void
rh_sqlite_scenario_repository_class_init (RhSqliteScenarioRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_sqlite_scenario_repository_finalize;
}

static void
rh_sqlite_scenario_repository_init (RhSqliteScenarioRepository *self)
{
}

/**
 * rh_sqlite_scenario_repository_new:
 *
 * Returns: (transfer full): scenarios kept in @db
 */
RhSqliteScenarioRepository *
rh_sqlite_scenario_repository_new (RhSqliteDatabase *db)
{
  RhSqliteScenarioRepository *self;

  g_return_val_if_fail (RH_IS_SQLITE_DATABASE (db), NULL);

  self = g_object_new (RH_TYPE_SQLITE_SCENARIO_REPOSITORY, NULL);
  self->db = g_object_ref (db);
  return self;
}
