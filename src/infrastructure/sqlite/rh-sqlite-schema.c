// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sqlite"

#include "config.h"

#include "rh-sqlite-schema.h"

/*
 * The collection's schema, one forward-only step per version. A step is
 * never edited once released: files out there were made by it. Change the
 * schema by appending a step.
 *
 * Every syncable row carries its client-made id, one hybrid-logical-clock
 * stamp per field a learner can edit (the sync merges field by field, the
 * latest stamp wins), a `deleted` tombstone with its own stamp, and
 * `pending` = 1 while the change still has to be pushed.
 */

/* v1: the collection as the first release knew it. */
static const char migration_1[] =
  "PRAGMA application_id = " G_STRINGIFY (RH_SQLITE_APPLICATION_ID) ";"

  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  /* The owner of the collection: one row. Not synced as rows are: it
   * follows the account. */
  "CREATE TABLE profile ("
  "  slot              INTEGER PRIMARY KEY CHECK (slot = 1),"
  "  user_id           TEXT NOT NULL,"
  "  email             TEXT,"
  "  display_name      TEXT,"
  "  new_cards_per_day INTEGER NOT NULL,"
  "  desired_retention REAL NOT NULL"
  ");"

  "CREATE TABLE decks ("
  "  id          TEXT PRIMARY KEY,"
  "  name        TEXT NOT NULL,"
  "  name_key    TEXT NOT NULL,"
  "  created     INTEGER NOT NULL,"
  "  modified    INTEGER NOT NULL,"
  "  name_hlc    TEXT NOT NULL,"
  "  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  deleted_hlc TEXT,"
  "  pending     INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1))"
  ");"
  /* Names are unique among live decks only: a deleted deck's name is free. */
  "CREATE UNIQUE INDEX decks_live_name ON decks (name_key) WHERE deleted = 0;"
  "CREATE INDEX decks_pending ON decks (id) WHERE pending = 1;"

  /* seq is the rowid: the full-text index refers to it, and it orders
   * cards added in the same microsecond. */
  "CREATE TABLE cards ("
  "  seq            INTEGER PRIMARY KEY,"
  "  id             TEXT NOT NULL UNIQUE,"
  "  deck_id        TEXT NOT NULL REFERENCES decks (id),"
  "  front          TEXT NOT NULL,"
  "  back           TEXT NOT NULL,"
  "  notes          TEXT,"
  "  example        TEXT,"
  "  tags           TEXT NOT NULL DEFAULT '',"
  "  created        INTEGER NOT NULL,"
  "  modified       INTEGER NOT NULL,"
  "  front_hlc      TEXT NOT NULL,"
  "  back_hlc       TEXT NOT NULL,"
  "  notes_hlc      TEXT NOT NULL,"
  "  example_hlc    TEXT NOT NULL,"
  "  tags_hlc       TEXT NOT NULL,"
  "  deck_hlc       TEXT NOT NULL,"
  "  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  deleted_hlc    TEXT,"
  "  pending        INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1)),"
  /* The scheduling state: a cache rebuilt from the reviews, so neither
   * stamped nor pushed. */
  "  state          INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
  "  step           INTEGER NOT NULL DEFAULT 0,"
  "  stability      REAL NOT NULL DEFAULT 0,"
  "  difficulty     REAL NOT NULL DEFAULT 0,"
  "  due            INTEGER NOT NULL,"
  "  last_review    INTEGER NOT NULL DEFAULT 0,"
  "  reps           INTEGER NOT NULL DEFAULT 0,"
  "  lapses         INTEGER NOT NULL DEFAULT 0,"
  "  scheduled_days INTEGER NOT NULL DEFAULT 0"
  ");"
  /* Covers the per-deck counts, so they never touch the table. */
  "CREATE INDEX cards_deck_counts ON cards (deck_id, deleted, state, due);"
  /* Not partial on deleted = 0: the planner would take such an index for
   * any query that filters tombstones out, and look every row up. */
  "CREATE INDEX cards_state_due ON cards (state, due);"
  "CREATE INDEX cards_pending ON cards (seq) WHERE pending = 1;"

  "CREATE TABLE reviews ("
  "  id           TEXT PRIMARY KEY,"
  "  card_id      TEXT NOT NULL REFERENCES cards (id),"
  "  rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),"
  "  time         INTEGER NOT NULL,"
  "  duration_ms  INTEGER NOT NULL DEFAULT 0,"
  "  state_before INTEGER NOT NULL DEFAULT 0 CHECK (state_before BETWEEN 0 AND 3),"
  "  hlc          TEXT NOT NULL,"
  "  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  deleted_hlc  TEXT,"
  "  pending      INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1))"
  ");"
  "CREATE INDEX reviews_card_time ON reviews (card_id, time);"
  "CREATE INDEX reviews_time ON reviews (time);"
  "CREATE INDEX reviews_pending ON reviews (id) WHERE pending = 1;"

  /* The review log is append-only: the card states are replayed from it
   * and two devices merge by union, which only works if nobody edits an
   * answer. Undo leaves a tombstone, and a tombstone stays. */
  "CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews"
  "  WHEN NEW.id IS NOT OLD.id OR NEW.card_id IS NOT OLD.card_id"
  "    OR NEW.rating IS NOT OLD.rating OR NEW.time IS NOT OLD.time"
  "    OR NEW.duration_ms IS NOT OLD.duration_ms"
  "    OR NEW.state_before IS NOT OLD.state_before OR NEW.hlc IS NOT OLD.hlc"
  "    OR NEW.deleted < OLD.deleted "
  "BEGIN"
  "  SELECT RAISE (ABORT, 'reviews are append-only');"
  "END;"
  "CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews "
  "BEGIN"
  "  SELECT RAISE (ABORT, 'reviews are append-only: leave a tombstone');"
  "END;";

/* v2: full-text search over the cards. An external-content index (the
 * text lives once, in cards) that holds live cards only, kept in step by
 * triggers, so a tombstone disappears from search in the same
 * transaction. */
static const char migration_2[] =
  "CREATE VIRTUAL TABLE cards_fts USING fts5 ("
  "  front, back, notes, example, tags,"
  "  content = 'cards', content_rowid = 'seq',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  /* Not the 'rebuild' command: that would index the tombstones too. */
  "INSERT INTO cards_fts (rowid, front, back, notes, example, tags)"
  "  SELECT seq, front, back, notes, example, tags FROM cards WHERE deleted = 0;"

  "CREATE TRIGGER cards_fts_insert AFTER INSERT ON cards WHEN NEW.deleted = 0 "
  "BEGIN"
  "  INSERT INTO cards_fts (rowid, front, back, notes, example, tags)"
  "    VALUES (NEW.seq, NEW.front, NEW.back, NEW.notes, NEW.example, NEW.tags);"
  "END;"
  /* One trigger, so the old entry always goes before the new one comes. */
  "CREATE TRIGGER cards_fts_update"
  "  AFTER UPDATE OF front, back, notes, example, tags, deleted ON cards "
  "BEGIN"
  "  INSERT INTO cards_fts (cards_fts, rowid, front, back, notes, example, tags)"
  "    SELECT 'delete', OLD.seq, OLD.front, OLD.back, OLD.notes, OLD.example, OLD.tags"
  "    WHERE OLD.deleted = 0;"
  "  INSERT INTO cards_fts (rowid, front, back, notes, example, tags)"
  "    SELECT NEW.seq, NEW.front, NEW.back, NEW.notes, NEW.example, NEW.tags"
  "    WHERE NEW.deleted = 0;"
  "END;"
  "CREATE TRIGGER cards_fts_delete AFTER DELETE ON cards WHEN OLD.deleted = 0 "
  "BEGIN"
  "  INSERT INTO cards_fts (cards_fts, rowid, front, back, notes, example, tags)"
  "    VALUES ('delete', OLD.seq, OLD.front, OLD.back, OLD.notes, OLD.example, OLD.tags);"
  "END;";

/* v3: study sessions, role-play scenarios, undo of the last answer, a
 * daily review limit. */
static const char migration_3[] =
  /* No foreign key: a review synced from another device may arrive before
   * its session. */
  "ALTER TABLE reviews ADD COLUMN session_id TEXT;"
  "CREATE INDEX reviews_session ON reviews (session_id) WHERE session_id IS NOT NULL;"
  "DROP TRIGGER reviews_append_only;"
  "CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews"
  "  WHEN NEW.id IS NOT OLD.id OR NEW.card_id IS NOT OLD.card_id"
  "    OR NEW.rating IS NOT OLD.rating OR NEW.time IS NOT OLD.time"
  "    OR NEW.duration_ms IS NOT OLD.duration_ms"
  "    OR NEW.state_before IS NOT OLD.state_before OR NEW.hlc IS NOT OLD.hlc"
  "    OR NEW.session_id IS NOT OLD.session_id"
  "    OR NEW.deleted < OLD.deleted "
  "BEGIN"
  "  SELECT RAISE (ABORT, 'reviews are append-only');"
  "END;"

  "ALTER TABLE profile ADD COLUMN reviews_per_day INTEGER NOT NULL DEFAULT 200;"

  /* A session is written by one device while it runs, so one stamp for
   * the row is enough. ended = 0 while it is open. */
  "CREATE TABLE sessions ("
  "  id          TEXT PRIMARY KEY,"
  "  kind        TEXT NOT NULL CHECK (kind IN ('review', 'scenario')),"
  "  started     INTEGER NOT NULL,"
  "  ended       INTEGER NOT NULL DEFAULT 0,"
  "  again       INTEGER NOT NULL DEFAULT 0,"
  "  hard        INTEGER NOT NULL DEFAULT 0,"
  "  good        INTEGER NOT NULL DEFAULT 0,"
  "  easy        INTEGER NOT NULL DEFAULT 0,"
  "  time_ms     INTEGER NOT NULL DEFAULT 0,"
  "  scenario_id TEXT,"
  "  score       REAL NOT NULL DEFAULT 0,"
  "  hlc         TEXT NOT NULL,"
  "  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  deleted_hlc TEXT,"
  "  pending     INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1))"
  ");"
  "CREATE INDEX sessions_started ON sessions (started);"
  "CREATE INDEX sessions_open ON sessions (started) WHERE ended = 0 AND deleted = 0;"
  "CREATE INDEX sessions_pending ON sessions (id) WHERE pending = 1;"

  /* A scenario is edited as one document: one stamp over all of it, the
   * turns as JSON. Not unique by bundle key: two devices may both have
   * installed the same bundled scenario before they first synced. */
  "CREATE TABLE scenarios ("
  "  id             TEXT PRIMARY KEY,"
  "  title          TEXT NOT NULL,"
  "  level          TEXT NOT NULL,"
  "  topic          TEXT,"
  "  description    TEXT,"
  "  goal           TEXT,"
  "  turns          TEXT NOT NULL DEFAULT '[]',"
  "  bundle_key     TEXT,"
  "  bundle_version INTEGER NOT NULL DEFAULT 0,"
  "  content_hlc    TEXT NOT NULL,"
  "  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  deleted_hlc    TEXT,"
  "  pending        INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1))"
  ");"
  "CREATE INDEX scenarios_bundle_key ON scenarios (bundle_key) WHERE bundle_key IS NOT NULL;"
  "CREATE INDEX scenarios_pending ON scenarios (id) WHERE pending = 1;"

  /* What undo needs; local to this device, never synced. */
  "CREATE TABLE last_answer ("
  "  slot           INTEGER PRIMARY KEY CHECK (slot = 1),"
  "  review_id      TEXT NOT NULL,"
  "  card_id        TEXT NOT NULL,"
  "  session_id     TEXT,"
  "  previous_state TEXT NOT NULL"
  ");";

/* New cards are indexed for search by the card repository itself: row
 * by row normally, in one statement after a bulk import. A trigger on
 * INSERT made every insert carry a statement journal, which was most of
 * an import's time. Updates and tombstones are still kept in step by the
 * triggers of version 2. */
static const char migration_4[] =
  "DROP TRIGGER cards_fts_insert;";

/* Scenario practice: a score per learner turn of each run, and which
 * missed key phrases already became cards, so each becomes one card. */
static const char migration_5[] =
  "CREATE TABLE scenario_turn_results ("
  "  session_id TEXT NOT NULL,"
  "  turn_index INTEGER NOT NULL CHECK (turn_index >= 0),"
  "  score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),"
  "  answer     TEXT,"
  "  hints_used INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),"
  "  attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
  "  skipped    INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),"
  "  hlc        TEXT NOT NULL,"
  "  pending    INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1)),"
  "  PRIMARY KEY (session_id, turn_index)"
  ") WITHOUT ROWID;"
  "CREATE INDEX scenario_turn_results_pending ON scenario_turn_results (session_id)"
  "  WHERE pending = 1;"
  "CREATE TABLE scenario_phrase_cards ("
  "  scenario_id TEXT NOT NULL,"
  "  turn_index  INTEGER NOT NULL CHECK (turn_index >= 0),"
  "  phrase_key  TEXT NOT NULL,"
  "  card_id     TEXT NOT NULL,"
  "  created     INTEGER NOT NULL,"
  "  hlc         TEXT NOT NULL,"
  "  pending     INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1)),"
  "  PRIMARY KEY (scenario_id, turn_index, phrase_key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX scenario_phrase_cards_card ON scenario_phrase_cards (card_id);"
  "CREATE INDEX scenario_phrase_cards_pending ON scenario_phrase_cards (scenario_id)"
  "  WHERE pending = 1;"
  "CREATE INDEX sessions_scenario ON sessions (scenario_id, started)"
  "  WHERE scenario_id IS NOT NULL;";

/* v6: sync. The sync's own state (one row): the account the collection
 * syncs with, the pull cursor, the batch in flight (kept until answered,
 * so a retry sends the same batch under the same id), when it last
 * finished; and the cards whose reviews changed in a pull, until their
 * state is rebuilt.
 *
 * The contract's rule is that a row is deleted while its tombstone stamp
 * is newer than every field stamp (a newer edit brings it back). Decks
 * and scenarios come back from a tombstone locally by setting deleted = 0
 * and stamping deleted_hlc with the time they came back: the triggers
 * make that a write of the name (the content) at that stamp, so the rule
 * holds for them too and the other devices see them come back. */
static const char migration_6[] =
  "CREATE TABLE sync_state ("
  "  slot        INTEGER PRIMARY KEY CHECK (slot = 1),"
  "  account     TEXT,"
  "  cursor      TEXT NOT NULL DEFAULT '0',"
  "  batch_id    TEXT,"
  "  batch       BLOB,"
  "  last_synced INTEGER NOT NULL DEFAULT 0"
  ");"
  "INSERT INTO sync_state (slot) VALUES (1);"
  "CREATE TABLE sync_rebuild ("
  "  card_id TEXT PRIMARY KEY"
  ") WITHOUT ROWID;"

  "UPDATE decks SET name_hlc = deleted_hlc"
  "  WHERE deleted = 0 AND deleted_hlc IS NOT NULL AND deleted_hlc > name_hlc;"
  "UPDATE scenarios SET content_hlc = deleted_hlc"
  "  WHERE deleted = 0 AND deleted_hlc IS NOT NULL AND deleted_hlc > content_hlc;"
  "CREATE TRIGGER decks_revive AFTER UPDATE OF deleted ON decks"
  "  WHEN OLD.deleted = 1 AND NEW.deleted = 0 AND NEW.deleted_hlc > NEW.name_hlc "
  "BEGIN"
  "  UPDATE decks SET name_hlc = NEW.deleted_hlc WHERE id = NEW.id;"
  "END;"
  "CREATE TRIGGER scenarios_revive AFTER UPDATE OF deleted ON scenarios"
  "  WHEN OLD.deleted = 1 AND NEW.deleted = 0 AND NEW.deleted_hlc > NEW.content_hlc "
  "BEGIN"
  "  UPDATE scenarios SET content_hlc = NEW.deleted_hlc WHERE id = NEW.id;"
  "END;";

static const RhSqliteMigration migrations[] = {
  { 1, "decks, cards, reviews and the profile", migration_1 },
  { 2, "full-text search over cards", migration_2 },
  { 3, "sessions, scenarios and undo", migration_3 },
  { 4, "new cards indexed by the store", migration_4 },
  { 5, "scenario turn results and phrase cards", migration_5 },
  { 6, "sync state", migration_6 },
};

/**
 * rh_sqlite_schema_get_migrations:
 *
 * Returns: (transfer none) (array length=n_migrations): the steps, in
 *   version order, step i making version i + 1
 */
const RhSqliteMigration *
rh_sqlite_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

/**
 * rh_sqlite_schema_latest_version:
 *
 * Returns: the version this build writes
 */
int
rh_sqlite_schema_latest_version (void)
{
  return migrations[G_N_ELEMENTS (migrations) - 1].version;
}
