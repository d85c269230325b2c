// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-json-backup.h"
#include "rh-json-load.h"
#include "rh-scenario-json.h"

/*
 * The backup is one JSON object:
 *
 *   format, version          "rehearse-backup", 1
 *   profile                  the owner and their study limits, or null
 *   decks[]                  id, name, created_us, modified_us
 *   cards[]                  id, deck_id, front, back, notes, example, tags[],
 *                            created_us, modified_us, and state {state, step,
 *                            stability, difficulty, due_us, last_review_us,
 *                            reps, lapses, scheduled_days}
 *   sessions[]               id, kind, started_us, ended_us, again, hard,
 *                            good, easy, time_ms, scenario_id, score,
 *                            turn_results[]
 *   reviews[]                id, card_id, rating, time_us, duration_ms,
 *                            state_before, session_id
 *   scenarios[]              id, bundle_key, bundle_version and document (a
 *                            scenario document, rh_scenario_json_serialize())
 *   deleted_bundled_scenarios[]  id, key, version: bundled scenarios the
 *                            learner deleted, so a restore keeps them deleted
 *   phrase_cards[]           scenario_id, turn_index, phrase_key, card_id,
 *                            created_us
 *
 * Times are UTC microseconds, so nothing is rounded. The document holds
 * no time of its own: the same collection always gives the same bytes.
 */

G_DEFINE_QUARK (rh-json-backup-error-quark, rh_json_backup_error)

static const char * const state_names[] = { "new", "learning", "review", "relearning" };

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
write_state (JsonBuilder       *b,
             const RhCardState *st)
{
  json_builder_set_member_name (b, "state");
  json_builder_begin_object (b);
  add_string (b, "state", state_names[CLAMP (st->state, RH_CARD_STATE_NEW,
                                             RH_CARD_STATE_RELEARNING)]);
  add_int (b, "step", st->step);
  add_double (b, "stability", st->stability);
  add_double (b, "difficulty", st->difficulty);
  add_int (b, "due_us", st->due_us);
  add_int (b, "last_review_us", st->last_review_us);
  add_int (b, "reps", st->reps);
  add_int (b, "lapses", st->lapses);
  add_int (b, "scheduled_days", st->scheduled_days);
  json_builder_end_object (b);
}

static gboolean
write_profile (JsonBuilder           *b,
               const RhRepositories  *r,
               GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhUser) user = rh_user_repository_get (r->users, &local_error);
  const RhEmail *email;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  json_builder_set_member_name (b, "profile");
  if (user == NULL)
    {
      json_builder_add_null_value (b);
      return TRUE;
    }

  email = rh_user_get_email (user);
  json_builder_begin_object (b);
  add_string (b, "user_id", rh_user_get_id (user));
  add_string (b, "email", email ? rh_email_get_address (email) : NULL);
  add_string (b, "display_name", rh_user_get_display_name (user));
  add_int (b, "new_cards_per_day", rh_user_get_new_cards_per_day (user));
  add_int (b, "reviews_per_day", rh_user_get_reviews_per_day (user));
  add_double (b, "desired_retention", rh_user_get_desired_retention (user));
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
write_cards (JsonBuilder           *b,
             const RhRepositories  *r,
             GHashTable            *card_ids,
             GCancellable          *cancellable,
             GError               **error)
{
  RhCardQuery query = { .sort = RH_CARD_SORT_CREATED };
  g_autoptr(GPtrArray) ids = NULL;

  /* one sort, then the cards a thousand at a time by id */
  if (!(ids = rh_card_repository_search_ids (r->cards, &query, error)))
    return FALSE;

  json_builder_set_member_name (b, "cards");
  json_builder_begin_array (b);
  for (guint offset = 0; offset < ids->len; offset += 1000)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !(page = rh_card_repository_get_many (r->cards,
                                                (const char * const *) ids->pdata + offset,
                                                MIN (1000, ids->len - offset), error)))
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          RhFlashcard *card = page->pdata[i];
          const char * const *tags;

          if (card == NULL)
            continue;
          tags = rh_flashcard_get_tags (card);

          g_hash_table_add (card_ids, g_strdup (rh_flashcard_get_id (card)));
          json_builder_begin_object (b);
          add_string (b, "id", rh_flashcard_get_id (card));
          add_string (b, "deck_id", rh_flashcard_get_deck_id (card));
          add_string (b, "front", rh_flashcard_get_front (card));
          add_string (b, "back", rh_flashcard_get_back (card));
          add_string (b, "notes", rh_flashcard_get_notes (card));
          add_string (b, "example", rh_flashcard_get_example (card));
          json_builder_set_member_name (b, "tags");
          json_builder_begin_array (b);
          for (guint t = 0; tags && tags[t]; t++)
            json_builder_add_string_value (b, tags[t]);
          json_builder_end_array (b);
          add_int (b, "created_us", rh_flashcard_get_created (card));
          add_int (b, "modified_us", rh_flashcard_get_modified (card));
          write_state (b, rh_flashcard_get_state (card));
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  return TRUE;
}

static gboolean
write_sessions (JsonBuilder           *b,
                const RhRepositories  *r,
                GError               **error)
{
  g_autoptr(GPtrArray) sessions = NULL;

  if (!(sessions = rh_session_repository_list_between (r->sessions, G_MININT64, G_MAXINT64,
                                                       error)))
    return FALSE;

  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < sessions->len; i++)
    {
      RhSession *s = sessions->pdata[i];
      g_autoptr(GPtrArray) results = NULL;

      if (!(results = rh_session_repository_list_turn_results (r->sessions,
                                                               rh_session_get_id (s), error)))
        return FALSE;

      json_builder_begin_object (b);
      add_string (b, "id", rh_session_get_id (s));
      add_string (b, "kind", rh_session_kind_to_string (rh_session_get_kind (s)));
      add_int (b, "started_us", rh_session_get_started (s));
      add_int (b, "ended_us", rh_session_get_ended (s));
      for (RhRating rating = RH_RATING_AGAIN; rating <= RH_RATING_EASY; rating++)
        add_int (b, rh_rating_to_string (rating), rh_session_get_count (s, rating));
      add_int (b, "time_ms", rh_session_get_time_ms (s));
      add_string (b, "scenario_id", rh_session_get_scenario_id (s));
      add_double (b, "score", rh_session_get_score (s));
      json_builder_set_member_name (b, "turn_results");
      json_builder_begin_array (b);
      for (guint t = 0; t < results->len; t++)
        {
          const RhTurnResult *tr = results->pdata[t];

          json_builder_begin_object (b);
          add_int (b, "turn_index", tr->turn_index);
          add_int (b, "score", tr->score);
          add_string (b, "answer", tr->answer);
          add_int (b, "hints_used", tr->hints_used);
          add_int (b, "attempts", tr->attempts);
          json_builder_set_member_name (b, "skipped");
          json_builder_add_boolean_value (b, tr->skipped);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

static gboolean
write_reviews (JsonBuilder           *b,
               const RhRepositories  *r,
               GHashTable            *card_ids,
               GError               **error)
{
  g_autoptr(GPtrArray) reviews = NULL;

  if (!(reviews = rh_review_repository_list_between (r->reviews, G_MININT64, G_MAXINT64, error)))
    return FALSE;

  json_builder_set_member_name (b, "reviews");
  json_builder_begin_array (b);
  for (guint i = 0; i < reviews->len; i++)
    {
      RhReview *rv = reviews->pdata[i];

      /* the answers of deleted cards went with them */
      if (!g_hash_table_contains (card_ids, rh_review_get_card_id (rv)))
        continue;

      json_builder_begin_object (b);
      add_string (b, "id", rh_review_get_id (rv));
      add_string (b, "card_id", rh_review_get_card_id (rv));
      add_int (b, "rating", rh_review_get_rating (rv));
      add_int (b, "time_us", rh_review_get_time (rv));
      add_int (b, "duration_ms", rh_review_get_duration_ms (rv));
      add_string (b, "state_before", state_names[CLAMP (rh_review_get_state_before (rv),
                                                        RH_CARD_STATE_NEW,
                                                        RH_CARD_STATE_RELEARNING)]);
      add_string (b, "session_id", rh_review_get_session_id (rv));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

static gboolean
write_scenarios (JsonBuilder           *b,
                 const RhRepositories  *r,
                 GError               **error)
{
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) links = NULL;

  if (!(scenarios = rh_scenario_repository_list (r->scenarios, error)) ||
      !(entries = rh_scenario_repository_list_bundle_entries (r->scenarios, error)) ||
      !(links = rh_scenario_repository_list_phrase_cards (r->scenarios, NULL, error)))
    return FALSE;

  json_builder_set_member_name (b, "scenarios");
  json_builder_begin_array (b);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RhScenario *sc = scenarios->pdata[i];
      g_autofree char *document = rh_scenario_json_serialize (sc);
      g_autoptr(JsonNode) node = json_from_string (document, error);

      if (node == NULL)
        return FALSE;

      json_builder_begin_object (b);
      add_string (b, "id", rh_scenario_get_id (sc));
      add_string (b, "bundle_key", rh_scenario_get_bundle_key (sc));
      add_int (b, "bundle_version", rh_scenario_get_bundle_version (sc));
      json_builder_set_member_name (b, "document");
      json_builder_add_value (b, g_steal_pointer (&node));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "deleted_bundled_scenarios");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      const RhScenarioBundleEntry *e = entries->pdata[i];

      if (!e->deleted)
        continue;
      json_builder_begin_object (b);
      add_string (b, "id", e->id);
      add_string (b, "key", e->key);
      add_int (b, "version", e->version);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "phrase_cards");
  json_builder_begin_array (b);
  for (guint i = 0; i < links->len; i++)
    {
      const RhPhraseCardLink *l = links->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "scenario_id", l->scenario_id);
      add_int (b, "turn_index", l->turn_index);
      add_string (b, "phrase_key", l->phrase_key);
      add_string (b, "card_id", l->card_id);
      add_int (b, "created_us", l->created_us);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

/**
 * rh_json_backup_write:
 * @collection: the collection to back up
 * @out: where the document goes; it is flushed, not closed
 *
 * Writes everything the collection holds (decks, cards with their
 * scheduling state, reviews, sessions, scenarios and the profile) as one
 * JSON document that rh_json_backup_read() restores without loss.
 *
 * Returns: %TRUE when all was written
 */
gboolean
rh_json_backup_write (RhCollection   *collection,
                      GOutputStream  *out,
                      GCancellable   *cancellable,
                      GError        **error)
{
  const RhRepositories *r;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) card_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) decks = NULL;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  r = rh_collection_get_repositories (collection);

  /* one read transaction, so the parts agree with each other */
  if (!rh_store_begin (r->store, error))
    return FALSE;

  json_builder_begin_object (b);
  add_string (b, "format", RH_JSON_BACKUP_FORMAT);
  add_int (b, "version", RH_JSON_BACKUP_VERSION);

  if (!write_profile (b, r, error) ||
      !(decks = rh_deck_repository_list (r->decks, error)))
    goto fail;

  json_builder_set_member_name (b, "decks");
  json_builder_begin_array (b);
  for (guint i = 0; i < decks->len; i++)
    {
      RhDeck *deck = decks->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", rh_deck_get_id (deck));
      add_string (b, "name", rh_deck_get_name (deck));
      add_int (b, "created_us", rh_deck_get_created (deck));
      add_int (b, "modified_us", rh_deck_get_modified (deck));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (!write_cards (b, r, card_ids, cancellable, error) ||
      !write_sessions (b, r, error) ||
      !write_reviews (b, r, card_ids, error) ||
      !write_scenarios (b, r, error))
    goto fail;
  json_builder_end_object (b);

  if (!rh_store_commit (r->store, error))
    return FALSE;

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);

  return json_generator_to_stream (gen, out, cancellable, error) &&
         g_output_stream_write_all (out, "\n", 1, NULL, cancellable, error) &&
         g_output_stream_flush (out, cancellable, error);

fail:
  rh_store_rollback (r->store);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef enum
{
  CARD_ADDED = 1,
  CARD_EXISTS,
  CARD_DELETED_HERE,
} CardFate;

typedef struct
{
  const RhRepositories  *repos;
  GCancellable          *cancellable;
  RhJsonBackupResult     result;
  /* file deck id -> the collection's deck id (differs when merged by name) */
  GHashTable            *deck_ids;
  /* card id -> what became of it (CardFate) */
  GHashTable            *card_ids;
  /* the cards here that got answers, to rebuild */
  GHashTable            *rebuild;
} Restore;

static gboolean
invalid (GError     **error,
         const char  *place,
         const char  *what)
{
  g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_INVALID, "%s: %s", place, what);
  return FALSE;
}

/* A member of the object at @where is wrong ("cards[3].front: …"): its
 * place is written out only then, not for every member read. */
static gboolean
invalid_member (GError     **error,
                const char  *where,
                const char  *name,
                const char  *what)
{
  g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_INVALID, "%s.%s: %s",
               where, name, what);
  return FALSE;
}

/* Puts the place in front of a domain rule's message. */
static gboolean
at (GError     **error,
    const char  *place)
{
  g_prefix_error (error, "%s: ", place);
  return FALSE;
}

static gboolean
at_member (GError     **error,
           const char  *where,
           const char  *name)
{
  g_prefix_error (error, "%s.%s: ", where, name);
  return FALSE;
}

static gboolean
check_members (JsonObject          *o,
               const char          *where,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) names = json_object_get_members (o);

  for (GList *l = names; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return invalid_member (error, where, l->data, _("unknown member"));
  return TRUE;
}

/* The member's node; a missing member is an error. */
static JsonNode *
member (JsonObject  *o,
        const char  *where,
        const char  *name,
        GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL)
    invalid_member (error, where, name, _("missing"));
  return node;
}

static gboolean
get_string (JsonObject   *o,
            const char   *where,
            const char   *name,
            gboolean      nullable,
            const char  **out,
            GError      **error)
{
  JsonNode *node = member (o, where, name, error);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    {
      *out = NULL;
      return TRUE;
    }
  if (!rh_json_is_text (node))
    return invalid_member (error, where, name,
                           nullable ? _("expected text or null") : _("expected text"));
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_id (JsonObject   *o,
        const char   *where,
        const char   *name,
        gboolean      nullable,
        const char  **out,
        GError      **error)
{
  if (!get_string (o, where, name, nullable, out, error))
    return FALSE;
  if (*out != NULL && !rh_id_validate (*out, error))
    return at_member (error, where, name);
  return TRUE;
}

static gboolean
get_int (JsonObject  *o,
         const char  *where,
         const char  *name,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = member (o, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid_member (error, where, name, _("expected a whole number"));
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return invalid_member (error, where, name, _("out of range"));
  return TRUE;
}

static gboolean
get_double (JsonObject  *o,
            const char  *where,
            const char  *name,
            double       min,
            double       max,
            double      *out,
            GError     **error)
{
  JsonNode *node = member (o, where, name, error);
  GType type;

  if (node == NULL)
    return FALSE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return invalid_member (error, where, name, _("expected a number"));
  *out = json_node_get_double (node);
  if (!isfinite (*out) || *out < min || *out > max)
    return invalid_member (error, where, name, _("out of range"));
  return TRUE;
}

static gboolean
get_bool (JsonObject  *o,
          const char  *where,
          const char  *name,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = member (o, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid_member (error, where, name, _("expected true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *o,
           const char  *where,
           const char  *name,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = member (o, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid_member (error, where, name, _("expected a list"));
  *out = json_node_get_array (node);
  return TRUE;
}

/* The element as an object, and its place ("cards[12]"). */
static JsonObject *
element (JsonArray   *array,
         const char  *name,
         guint        index,
         char       **place,
         GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  *place = g_strdup_printf ("%s[%u]", name, index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, *place, _("expected an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_state_kind (JsonObject       *o,
                const char       *where,
                const char       *name,
                RhCardStateKind  *out,
                GError          **error)
{
  const char *text;

  if (!get_string (o, where, name, FALSE, &text, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (text, state_names[i]))
      {
        *out = (RhCardStateKind) i;
        return TRUE;
      }
  return invalid_member (error, where, name,
                         _("expected “new”, “learning”, “review” or “relearning”"));
}

/* Not found is not an error here: it is how a row turns out to be new. */
static gboolean
lookup_failed (GError **local_error,
               GError **error)
{
  if (*local_error == NULL ||
      g_error_matches (*local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND))
    {
      g_clear_error (local_error);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (local_error));
  return TRUE;
}

static gboolean
restore_profile (Restore     *rs,
                 JsonObject  *root,
                 GError     **error)
{
  static const char * const members[] = {
    "user_id", "email", "display_name", "new_cards_per_day", "reviews_per_day",
    "desired_retention", NULL
  };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhUser) existing = NULL;
  g_autoptr(RhUser) user = NULL;
  const char *where = "profile";
  const char *user_id, *email, *display_name;
  gint64 new_per_day, reviews_per_day;
  double retention;
  JsonNode *node = member (root, "backup", "profile", error);
  JsonObject *o;

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, where, _("expected an object or null"));
  o = json_node_get_object (node);

  if (!check_members (o, where, members, error) ||
      !get_string (o, where, "user_id", FALSE, &user_id, error) ||
      !get_string (o, where, "email", TRUE, &email, error) ||
      !get_string (o, where, "display_name", TRUE, &display_name, error) ||
      !get_int (o, where, "new_cards_per_day", 0, RH_USER_MAX_NEW_PER_DAY, &new_per_day, error) ||
      !get_int (o, where, "reviews_per_day", 0, RH_USER_MAX_REVIEWS_PER_DAY, &reviews_per_day,
                error) ||
      !get_double (o, where, "desired_retention", RH_USER_MIN_RETENTION, RH_USER_MAX_RETENTION,
                   &retention, error))
    return FALSE;

  if (!(user = rh_user_new (user_id, email, error)))
    return at (error, where);
  if ((display_name && !rh_user_set_display_name (user, display_name, error)) ||
      !rh_user_set_new_cards_per_day (user, (int) new_per_day, error) ||
      !rh_user_set_reviews_per_day (user, (int) reviews_per_day, error) ||
      !rh_user_set_desired_retention (user, retention, error))
    return at (error, where);

  /* the collection's own owner wins: a backup does not change accounts */
  existing = rh_user_repository_get (rs->repos->users, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    return TRUE;

  if (!rh_user_repository_save (rs->repos->users, user, error))
    return FALSE;
  rs->result.profile_restored = TRUE;
  return TRUE;
}

static gboolean
restore_decks (Restore     *rs,
               JsonObject  *root,
               GError     **error)
{
  static const char * const members[] = { "id", "name", "created_us", "modified_us", NULL };
  JsonArray *decks;

  if (!get_array (root, "backup", "decks", &decks, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (decks); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RhDeck) deck = NULL;
      g_autoptr(RhDeck) existing = NULL;
      JsonObject *o = element (decks, "decks", i, &where, error);
      const char *id, *name;
      gint64 created, modified;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_string (o, where, "name", FALSE, &name, error) ||
          !get_int (o, where, "created_us", 0, G_MAXINT64, &created, error) ||
          !get_int (o, where, "modified_us", 0, G_MAXINT64, &modified, error))
        return FALSE;

      {
        g_autofree char *clean = rh_deck_name_normalize (name, error);

        if (clean == NULL)
          return at_member (error, where, "name");
      }
      if (!(deck = rh_deck_new_full (id, name, created, modified, error)))
        return at (error, where);
      if (g_hash_table_contains (rs->deck_ids, id))
        return invalid (error, where, _("the id appears twice"));

      existing = rh_deck_repository_get (rs->repos->decks, id, &local_error);
      if (existing == NULL && lookup_failed (&local_error, error))
        return FALSE;
      /* a deck of the same name takes the file's cards */
      if (existing == NULL &&
          !(existing = rh_deck_repository_find_by_name (rs->repos->decks,
                                                        rh_deck_get_name (deck), &local_error)) &&
          lookup_failed (&local_error, error))
        return FALSE;

      if (existing != NULL)
        {
          g_hash_table_insert (rs->deck_ids, g_strdup (id), g_strdup (rh_deck_get_id (existing)));
          rs->result.decks_skipped++;
          continue;
        }

      if (!rh_deck_repository_save (rs->repos->decks, deck, error))
        return at (error, where);
      g_hash_table_insert (rs->deck_ids, g_strdup (id), g_strdup (id));
      rs->result.decks_added++;
    }
  return TRUE;
}

static gboolean
read_state (JsonObject   *card,
            const char   *where,
            RhCardState  *st,
            GError      **error)
{
  static const char * const members[] = {
    "state", "step", "stability", "difficulty", "due_us", "last_review_us", "reps", "lapses",
    "scheduled_days", NULL
  };
  JsonNode *node = member (card, where, "state", error);
  g_autofree char *place = NULL;
  JsonObject *o;
  gint64 step, reps, lapses, days;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid_member (error, where, "state", _("expected an object"));
  o = json_node_get_object (node);
  place = g_strdup_printf ("%s.state", where);

  if (!check_members (o, place, members, error) ||
      !get_state_kind (o, place, "state", &st->state, error) ||
      !get_int (o, place, "step", 0, RH_FSRS_MAX_STEPS, &step, error) ||
      !get_double (o, place, "stability", 0, G_MAXDOUBLE, &st->stability, error) ||
      !get_double (o, place, "difficulty", 0, 10, &st->difficulty, error) ||
      !get_int (o, place, "due_us", G_MININT64, G_MAXINT64, &st->due_us, error) ||
      !get_int (o, place, "last_review_us", 0, G_MAXINT64, &st->last_review_us, error) ||
      !get_int (o, place, "reps", 0, G_MAXINT, &reps, error) ||
      !get_int (o, place, "lapses", 0, G_MAXINT, &lapses, error) ||
      !get_int (o, place, "scheduled_days", 0, G_MAXINT, &days, error))
    return FALSE;
  st->step = (int) step;
  st->reps = (int) reps;
  st->lapses = (int) lapses;
  st->scheduled_days = (int) days;
  return TRUE;
}

static gboolean
read_tags (JsonObject   *o,
           const char   *where,
           GStrv        *out,
           GError      **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *tags;

  if (!get_array (o, where, "tags", &tags, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *tag_place = g_strdup_printf ("%s.tags[%u]", where, i);
          return invalid (error, tag_place, _("expected text"));
        }
      g_strv_builder_add (b, json_node_get_string (node));
    }
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
restore_cards (Restore     *rs,
               JsonObject  *root,
               GError     **error)
{
  static const char * const members[] = {
    "id", "deck_id", "front", "back", "notes", "example", "tags", "created_us", "modified_us",
    "state", NULL
  };
  JsonArray *cards;

  if (!get_array (root, "backup", "cards", &cards, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (cards); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RhFlashcard) card = NULL;
      g_autoptr(RhFlashcard) existing = NULL;
      g_auto(GStrv) tags = NULL;
      JsonObject *o = element (cards, "cards", i, &where, error);
      const char *id, *deck_id, *front, *back, *notes, *example, *target_deck;
      gint64 created, modified;
      RhCardState state = { 0 };

      if (i % 1024 == 0 && g_cancellable_set_error_if_cancelled (rs->cancellable, error))
        return FALSE;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_id (o, where, "deck_id", FALSE, &deck_id, error) ||
          !get_string (o, where, "front", FALSE, &front, error) ||
          !get_string (o, where, "back", FALSE, &back, error) ||
          !get_string (o, where, "notes", TRUE, &notes, error) ||
          !get_string (o, where, "example", TRUE, &example, error) ||
          !read_tags (o, where, &tags, error) ||
          !get_int (o, where, "created_us", 1, G_MAXINT64, &created, error) ||
          !get_int (o, where, "modified_us", 0, G_MAXINT64, &modified, error) ||
          !read_state (o, where, &state, error))
        return FALSE;

      if (!(target_deck = g_hash_table_lookup (rs->deck_ids, deck_id)))
        {
          g_autoptr(RhDeck) deck = rh_deck_repository_get (rs->repos->decks, deck_id,
                                                           &local_error);
          if (deck == NULL)
            {
              if (lookup_failed (&local_error, error))
                return FALSE;
              return invalid_member (error, where, "deck_id",
                                     _("no deck with this id in the file or the collection"));
            }
          target_deck = deck_id;
        }

      /* each setter applies the domain's rules, with the field's name */
#define FIELD_OR_FAIL(expr, field) \
      if (!(expr)) \
        { \
          return at_member (error, where, field); \
        }
      FIELD_OR_FAIL (card = rh_flashcard_new_with_id (id, target_deck, "-", "-", created, error),
                     "id");
      FIELD_OR_FAIL (rh_flashcard_set_front (card, front, error), "front");
      FIELD_OR_FAIL (rh_flashcard_set_back (card, back, error), "back");
      FIELD_OR_FAIL (notes == NULL || rh_flashcard_set_notes (card, notes, error), "notes");
      FIELD_OR_FAIL (example == NULL || rh_flashcard_set_example (card, example, error),
                     "example");
      FIELD_OR_FAIL (rh_flashcard_set_tags (card, (const char * const *) tags, error), "tags");
#undef FIELD_OR_FAIL
      rh_flashcard_set_modified (card, modified);
      rh_flashcard_set_state (card, &state);

      if (g_hash_table_contains (rs->card_ids, id))
        return invalid (error, where, _("the id appears twice"));

      existing = rh_card_repository_get (rs->repos->cards, id, &local_error);
      if (existing == NULL && lookup_failed (&local_error, error))
        return FALSE;
      if (existing != NULL)
        {
          g_hash_table_insert (rs->card_ids, g_strdup (id), GINT_TO_POINTER (CARD_EXISTS));
          rs->result.cards_skipped++;
          continue;
        }

      if (!rh_card_repository_insert (rs->repos->cards, card, &local_error))
        {
          /* a card deleted here once keeps its id as a tombstone */
          if (!g_error_matches (local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return at (error, where);
            }
          g_hash_table_insert (rs->card_ids, g_strdup (id),
                               GINT_TO_POINTER (CARD_DELETED_HERE));
          rs->result.cards_skipped++;
          continue;
        }
      /* the file's cards come with their state; no replay for them */
      g_hash_table_insert (rs->card_ids, g_strdup (id), GINT_TO_POINTER (CARD_ADDED));
      rs->result.cards_added++;
    }
  return TRUE;
}

static gboolean
read_turn_results (JsonObject  *o,
                   const char  *where,
                   GPtrArray  **out,
                   GError     **error)
{
  static const char * const members[] = {
    "turn_index", "score", "answer", "hints_used", "attempts", "skipped", NULL
  };
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 rh_turn_result_free);
  g_autofree char *name = g_strdup_printf ("%s.turn_results", where);
  JsonArray *array;
  gint64 last = -1;

  if (!get_array (o, where, "turn_results", &array, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *place = NULL;
      JsonObject *t = element (array, name, i, &place, error);
      RhTurnResult tr = { 0 };
      gint64 index, score, hints, attempts;
      const char *answer;

      if (t == NULL ||
          !check_members (t, place, members, error) ||
          !get_int (t, place, "turn_index", 0, RH_SCENARIO_MAX_TURNS - 1, &index, error) ||
          !get_int (t, place, "score", 0, 100, &score, error) ||
          !get_string (t, place, "answer", TRUE, &answer, error) ||
          !get_int (t, place, "hints_used", 0, G_MAXINT, &hints, error) ||
          !get_int (t, place, "attempts", 0, G_MAXINT, &attempts, error) ||
          !get_bool (t, place, "skipped", &tr.skipped, error))
        return FALSE;
      if (answer != NULL && strlen (answer) > RH_FLASHCARD_MAX_NOTES)
        {
          return invalid_member (error, place, "answer", _("too long"));
        }
      /* one result a turn, in order, as the sync reads them too */
      if (index <= last)
        {
          return invalid_member (error, place, "turn_index",
                                 _("must come after the turn before it"));
        }
      last = index;
      tr.turn_index = (guint) index;
      tr.score = (int) score;
      tr.answer = (char *) answer;
      tr.hints_used = (guint) hints;
      tr.attempts = (guint) attempts;
      g_ptr_array_add (results, rh_turn_result_copy (&tr));
    }
  *out = g_steal_pointer (&results);
  return TRUE;
}

static gboolean
restore_sessions (Restore     *rs,
                  JsonObject  *root,
                  GHashTable  *session_ids,
                  GError     **error)
{
  static const char * const members[] = {
    "id", "kind", "started_us", "ended_us", "again", "hard", "good", "easy", "time_ms",
    "scenario_id", "score", "turn_results", NULL
  };
  JsonArray *sessions;

  if (!get_array (root, "backup", "sessions", &sessions, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (sessions); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RhSession) session = NULL;
      g_autoptr(RhSession) existing = NULL;
      g_autoptr(GPtrArray) results = NULL;
      JsonObject *o = element (sessions, "sessions", i, &where, error);
      const char *id, *kind_text, *scenario_id;
      gint64 started, ended, time_ms, counts[4];
      double score;
      RhSessionKind kind;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_string (o, where, "kind", FALSE, &kind_text, error))
        return FALSE;
      if (!rh_session_kind_parse (kind_text, &kind))
        return invalid_member (error, where, "kind", _("expected “review” or “scenario”"));
      if (!get_int (o, where, "started_us", 1, G_MAXINT64, &started, error) ||
          !get_int (o, where, "ended_us", 0, G_MAXINT64, &ended, error) ||
          !get_int (o, where, "time_ms", 0, G_MAXINT64, &time_ms, error) ||
          !get_id (o, where, "scenario_id", TRUE, &scenario_id, error) ||
          !get_double (o, where, "score", 0, 100, &score, error) ||
          !read_turn_results (o, where, &results, error))
        return FALSE;
      for (guint r = 0; r < 4; r++)
        if (!get_int (o, where, rh_rating_to_string (RH_RATING_AGAIN + r), 0, G_MAXUINT,
                      &counts[r], error))
          return FALSE;

      if (!(session = rh_session_new (id, kind, started, error)) ||
          (ended != 0 && !rh_session_end (session, ended, error)) ||
          (scenario_id != NULL && !rh_session_set_scenario (session, scenario_id, score, error)))
        return at (error, where);
      for (RhRating r = RH_RATING_AGAIN; r <= RH_RATING_EASY; r++)
        rh_session_set_count (session, r, (guint) counts[r - RH_RATING_AGAIN]);
      rh_session_set_time_ms (session, time_ms);

      if (g_hash_table_contains (session_ids, id))
        return invalid (error, where, _("the id appears twice"));
      g_hash_table_add (session_ids, g_strdup (id));

      existing = rh_session_repository_get (rs->repos->sessions, id, &local_error);
      if (existing == NULL && lookup_failed (&local_error, error))
        return FALSE;
      if (existing != NULL)
        {
          rs->result.sessions_skipped++;
          continue;
        }
      if (!rh_session_repository_save (rs->repos->sessions, session, error) ||
          (results->len > 0 &&
           !rh_session_repository_save_turn_results (rs->repos->sessions, id, results, error)))
        return at (error, where);
      rs->result.sessions_added++;
    }
  return TRUE;
}

static gboolean
restore_reviews (Restore     *rs,
                 JsonObject  *root,
                 GError     **error)
{
  static const char * const members[] = {
    "id", "card_id", "rating", "time_us", "duration_ms", "state_before", "session_id", NULL
  };
  JsonArray *reviews;

  if (!get_array (root, "backup", "reviews", &reviews, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (reviews); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RhReview) review = NULL;
      JsonObject *o = element (reviews, "reviews", i, &where, error);
      const char *id, *card_id, *session_id;
      gint64 rating, time_us, duration;
      RhCardStateKind before;
      CardFate fate;

      if (i % 1024 == 0 && g_cancellable_set_error_if_cancelled (rs->cancellable, error))
        return FALSE;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_id (o, where, "card_id", FALSE, &card_id, error) ||
          !get_int (o, where, "rating", G_MININT64, G_MAXINT64, &rating, error) ||
          !get_int (o, where, "time_us", 1, G_MAXINT64, &time_us, error) ||
          !get_int (o, where, "duration_ms", G_MININT64, G_MAXINT64, &duration, error) ||
          !get_state_kind (o, where, "state_before", &before, error) ||
          !get_id (o, where, "session_id", TRUE, &session_id, error))
        return FALSE;

      if (rating < RH_RATING_AGAIN || rating > RH_RATING_EASY)
        return invalid_member (error, where, "rating",
                               _("a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy)"));
      if (!(review = rh_review_new (id, card_id, (int) rating, time_us, duration, error)))
        return at (error, where);
      rh_review_set_state_before (review, before);
      rh_review_set_session_id (review, session_id);

      fate = GPOINTER_TO_INT (g_hash_table_lookup (rs->card_ids, card_id));
      if (fate == CARD_DELETED_HERE)
        {
          /* the learner deleted the card here; its answers stay out */
          rs->result.reviews_skipped++;
          continue;
        }
      if (fate == 0)
        {
          g_autoptr(RhFlashcard) card = rh_card_repository_get (rs->repos->cards, card_id,
                                                                &local_error);
          if (card == NULL)
            {
              if (lookup_failed (&local_error, error))
                return FALSE;
              return invalid_member (error, where, "card_id",
                                     _("no card with this id in the file or the collection"));
            }
          /* its other answers need not look again */
          fate = CARD_EXISTS;
          g_hash_table_insert (rs->card_ids, g_strdup (card_id), GINT_TO_POINTER (fate));
        }

      if (!rh_review_repository_append (rs->repos->reviews, review, &local_error))
        {
          /* already recorded here (or recorded and undone) */
          if (!g_error_matches (local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return at (error, where);
            }
          rs->result.reviews_skipped++;
          continue;
        }
      rs->result.reviews_added++;
      if (fate != CARD_ADDED)
        g_hash_table_add (rs->rebuild, g_strdup (card_id));
    }
  return TRUE;
}

static gboolean
restore_scenarios (Restore     *rs,
                   JsonObject  *root,
                   GError     **error)
{
  static const char * const members[] = {
    "id", "bundle_key", "bundle_version", "document", NULL
  };
  JsonArray *scenarios;

  if (!get_array (root, "backup", "scenarios", &scenarios, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (scenarios); i++)
    {
      g_autofree char *where = NULL;
      g_autofree char *doc_place = NULL;
      g_autofree char *document = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RhScenario) parsed = NULL;
      g_autoptr(RhScenario) sc = NULL;
      g_autoptr(RhScenario) existing = NULL;
      JsonObject *o = element (scenarios, "scenarios", i, &where, error);
      const char *id, *key;
      gint64 version;
      JsonNode *doc;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_string (o, where, "bundle_key", TRUE, &key, error) ||
          !get_int (o, where, "bundle_version", 0, G_MAXINT, &version, error) ||
          !(doc = member (o, where, "document", error)))
        return FALSE;
      doc_place = g_strdup_printf ("%s.document", where);
      if (key != NULL && !rh_scenario_json_key_is_valid (key))
        return invalid_member (error, where, "bundle_key", _("not a valid key"));
      if (!JSON_NODE_HOLDS_OBJECT (doc))
        return invalid (error, doc_place, _("expected an object"));

      document = json_to_string (doc, FALSE);
      if (!(parsed = rh_scenario_json_parse (document, -1, doc_place, error)) ||
          !(sc = rh_scenario_copy_with_id (parsed, id, error)))
        return at (error, where);
      rh_scenario_set_bundle (sc, key, (int) version);

      existing = rh_scenario_repository_get (rs->repos->scenarios, id, &local_error);
      if (existing == NULL && lookup_failed (&local_error, error))
        return FALSE;
      /* a bundled scenario already installed here stays as it is */
      if (existing == NULL && key != NULL &&
          !(existing = rh_scenario_repository_find_by_bundle_key (rs->repos->scenarios, key,
                                                                  &local_error)) &&
          lookup_failed (&local_error, error))
        return FALSE;
      if (existing != NULL)
        {
          rs->result.scenarios_skipped++;
          continue;
        }

      if (!rh_scenario_repository_save (rs->repos->scenarios, sc, error))
        return at (error, where);
      rs->result.scenarios_added++;
    }
  return TRUE;
}

/* Keeps a deleted bundled scenario deleted: a tombstone with its key, so
 * installing the bundle does not bring it back. */
static gboolean
restore_deleted_bundled (Restore     *rs,
                         JsonObject  *root,
                         GError     **error)
{
  static const char * const members[] = { "id", "key", "version", NULL };
  g_autoptr(GPtrArray) entries = NULL;
  JsonArray *deleted;

  if (!get_array (root, "backup", "deleted_bundled_scenarios", &deleted, error) ||
      !(entries = rh_scenario_repository_list_bundle_entries (rs->repos->scenarios, error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (deleted); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(RhScenario) sc = NULL;
      g_autoptr(RhScenarioTurn) turn = NULL;
      JsonObject *o = element (deleted, "deleted_bundled_scenarios", i, &where, error);
      const char *id, *key;
      gint64 version;
      gboolean known = FALSE;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "id", FALSE, &id, error) ||
          !get_string (o, where, "key", FALSE, &key, error) ||
          !get_int (o, where, "version", 0, G_MAXINT, &version, error))
        return FALSE;
      if (!rh_scenario_json_key_is_valid (key))
        return invalid_member (error, where, "key", _("not a valid key"));

      for (guint e = 0; e < entries->len && !known; e++)
        {
          const RhScenarioBundleEntry *entry = entries->pdata[e];
          known = g_str_equal (entry->key, key) || g_str_equal (entry->id, id);
        }
      if (known)
        continue;

      /* the content of a tombstone is never shown: the key is what counts */
      if (!(sc = rh_scenario_new (id, key, "A1", error)) ||
          !(turn = rh_scenario_turn_new (RH_TURN_LEARNER, key,
                                         (const char * const []) { key, NULL }, NULL, NULL,
                                         error)) ||
          !rh_scenario_add_turn (sc, g_steal_pointer (&turn), error))
        return at (error, where);
      rh_scenario_set_bundle (sc, key, (int) version);
      if (!rh_scenario_repository_save (rs->repos->scenarios, sc, error) ||
          !rh_scenario_repository_remove (rs->repos->scenarios, id, error))
        return at (error, where);
    }
  return TRUE;
}

static gboolean
restore_phrase_cards (Restore     *rs,
                      JsonObject  *root,
                      GError     **error)
{
  static const char * const members[] = {
    "scenario_id", "turn_index", "phrase_key", "card_id", "created_us", NULL
  };
  JsonArray *links;

  if (!get_array (root, "backup", "phrase_cards", &links, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      g_autofree char *where = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *o = element (links, "phrase_cards", i, &where, error);
      RhPhraseCardLink link = { 0 };
      const char *scenario_id, *phrase_key, *card_id;
      gint64 turn_index;

      if (o == NULL ||
          !check_members (o, where, members, error) ||
          !get_id (o, where, "scenario_id", FALSE, &scenario_id, error) ||
          !get_int (o, where, "turn_index", 0, RH_SCENARIO_MAX_TURNS - 1, &turn_index, error) ||
          !get_string (o, where, "phrase_key", FALSE, &phrase_key, error) ||
          !get_id (o, where, "card_id", FALSE, &card_id, error) ||
          !get_int (o, where, "created_us", 0, G_MAXINT64, &link.created_us, error))
        return FALSE;
      if (*phrase_key == '\0' || strlen (phrase_key) > RH_FLASHCARD_MAX_SIDE)
        return invalid_member (error, where, "phrase_key",
                               *phrase_key ? _("too long") : _("empty"));

      link.scenario_id = (char *) scenario_id;
      link.turn_index = (guint) turn_index;
      link.phrase_key = (char *) phrase_key;
      link.card_id = (char *) card_id;
      if (!rh_scenario_repository_add_phrase_card (rs->repos->scenarios, &link, &local_error) &&
          !g_error_matches (local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return at (error, where);
        }
    }
  return TRUE;
}

static gboolean
check_header (JsonNode  *root,
              GError   **error)
{
  static const char * const members[] = {
    "format", "version", "profile", "decks", "cards", "sessions", "reviews", "scenarios",
    "deleted_bundled_scenarios", "phrase_cards", NULL
  };
  JsonObject *o;
  JsonNode *format, *version;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_FORMAT,
                   _("This is not a Rehearse backup: the file holds no JSON object"));
      return FALSE;
    }
  o = json_node_get_object (root);
  format = json_object_get_member (o, "format");
  version = json_object_get_member (o, "version");

  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (format), RH_JSON_BACKUP_FORMAT) != 0)
    {
      g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_FORMAT,
                   _("This is not a Rehearse backup: “format” is not “%s”"),
                   RH_JSON_BACKUP_FORMAT);
      return FALSE;
    }
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) < 1)
    {
      g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_FORMAT,
                   _("The backup has no valid “version”"));
      return FALSE;
    }
  if (json_node_get_int (version) > RH_JSON_BACKUP_VERSION)
    {
      g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_FORMAT,
                   _("The backup is version %d, from a newer Rehearse: this one reads version %d"),
                   (int) MIN (json_node_get_int (version), G_MAXINT), RH_JSON_BACKUP_VERSION);
      return FALSE;
    }
  return check_members (o, "backup", members, error);
}

/**
 * rh_json_backup_read:
 * @collection: the collection to restore into
 * @in: a document rh_json_backup_write() wrote
 * @out: (out) (optional): what was added and what skipped
 *
 * Restores a backup in one transaction, keeping every id, the cards'
 * scheduling state as stored and each answer's state before it. Rows
 * whose id the collection already has are skipped (and counted). Every
 * value is checked by the domain's rules first; on any error the message
 * names the place ("cards[12].front: …") and the collection is left as
 * it was.
 *
 * Returns: %TRUE when the backup was restored
 */
gboolean
rh_json_backup_read (RhCollection        *collection,
                     GInputStream        *in,
                     RhJsonBackupResult  *out,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GOutputStream) text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) session_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  Restore rs = { 0 };
  JsonObject *root;
  GHashTableIter iter;
  gpointer card_id;
  gboolean ok = FALSE;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);

  /* In memory, as JSON-GLib reads a stream anyway, so the nesting can be
   * measured before the parser recurses into it. */
  text = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (text, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, cancellable,
                              &local_error) < 0 ||
      !rh_json_parser_load (parser,
                            g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (text)),
                            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (text)),
                            &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          local_error->domain != JSON_PARSER_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_SYNTAX,
                     _("The backup is not valid JSON: %s"), local_error->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, RH_JSON_BACKUP_ERROR, RH_JSON_BACKUP_ERROR_SYNTAX,
                   _("The backup is empty"));
      return FALSE;
    }
  if (!check_header (json_parser_get_root (parser), error))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));

  rs.repos = rh_collection_get_repositories (collection);
  rs.cancellable = cancellable;
  rs.deck_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rs.card_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rs.rebuild = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!rh_store_begin (rs.repos->store, error))
    goto out;
  if (!rh_card_repository_begin_bulk (rs.repos->cards, &local_error) ||
      !restore_profile (&rs, root, &local_error) ||
      !restore_decks (&rs, root, &local_error) ||
      !restore_cards (&rs, root, &local_error) ||
      !restore_sessions (&rs, root, session_ids, &local_error) ||
      !restore_reviews (&rs, root, &local_error) ||
      !restore_scenarios (&rs, root, &local_error) ||
      !restore_deleted_bundled (&rs, root, &local_error) ||
      !restore_phrase_cards (&rs, root, &local_error) ||
      !rh_card_repository_end_bulk (rs.repos->cards, &local_error))
    goto fail;

  /* answers added to cards the collection already had change their
   * state: replay them, as sync does */
  g_hash_table_iter_init (&iter, rs.rebuild);
  while (g_hash_table_iter_next (&iter, &card_id, NULL))
    if (!rh_collection_rebuild_card (collection, card_id, NULL, &local_error))
      goto fail;

  if (!rh_store_commit (rs.repos->store, &local_error))
    goto fail;

  if (out != NULL)
    *out = rs.result;
  ok = TRUE;
  goto out;

fail:
  rh_store_rollback (rs.repos->store);
  g_propagate_error (error, g_steal_pointer (&local_error));
out:
  g_clear_pointer (&rs.deck_ids, g_hash_table_unref);
  g_clear_pointer (&rs.card_ids, g_hash_table_unref);
  g_clear_pointer (&rs.rebuild, g_hash_table_unref);
  return ok;
}

/**
 * rh_json_backup_is_backup_path:
 *
 * Whether @path names a JSON backup, by its extension.
 */
gboolean
rh_json_backup_is_backup_path (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".json");
}
