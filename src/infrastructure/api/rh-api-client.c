// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "rh-api-client.h"
#include "rh-api-client-private.h"
#include "rh-json-load.h"

/*
 * The sync API over HTTP (docs/api/openapi.yaml): one SoupSession, JSON
 * through json-glib, the bearer token from the token source.
 *
 * Every answer is checked against the contract before anything of it is
 * used: types, lengths, known entities and fields, UUID and stamp
 * formats, the size of the body and the depth of its nesting. An answer
 * that breaks a rule is an %RH_API_ERROR_INVALID_RESPONSE error as a
 * whole, so nothing of a malformed or hostile answer reaches the
 * collection.
 *
 * The calls block (soup_session_send(), which libsoup 3.2 allows from any
 * thread once the session is set up): the sync engine makes them from its
 * worker thread. Tokens are never logged.
 */

struct _RhApiClient
{
  GObject        parent_instance;

  char          *base_url;
  RhTokenSource *tokens;
  SoupSession   *session;
};

static void rh_api_client_remote_init (RhSyncRemoteInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhApiClient, rh_api_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SYNC_REMOTE,
                                                      rh_api_client_remote_init))

/* JSON deeper than this is not an answer of the contract (its deepest
 * is a change's counts: five levels). Checked before parsing, so a
 * hostile answer cannot exhaust the parser's stack. */
#define MAX_JSON_DEPTH 32

/* How much of a server's error message is shown. */
#define MAX_SERVER_MESSAGE 300

/* ---- errors ---- */

static gboolean
invalid_response (GError     **error,
                  const char  *what)
{
  rh_api_error_set (error, RH_API_ERROR_INVALID_RESPONSE, NULL, -1,
                    _("The sync server sent an answer Rehearse cannot use (%s)"), what);
  return FALSE;
}

/* What the server says, made safe to show: valid UTF-8, one line, short. */
static char *
printable_message (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *cut = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  for (char *p = valid; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  if (g_utf8_strlen (valid, -1) <= MAX_SERVER_MESSAGE)
    return g_steal_pointer (&valid);
  cut = g_utf8_substring (valid, 0, MAX_SERVER_MESSAGE);
  return g_strconcat (cut, "…", NULL);
}

/* A document that is all white space parses, to no root at all. */
static gboolean
holds_object (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root);
}

static gint64
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  g_autofree char *text = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  /* Seconds; an HTTP date is read as "soon". At most an hour. */
  text = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (text, 10, 0, 3600, &seconds, NULL))
    return 1000;
  return (gint64) seconds * 1000;
}

/* Maps a status other than 2xx, with the {code, message} body if there
 * is one, to an #RhApiError. */
static void
set_status_error (SoupMessage  *msg,
                  GBytes       *body,
                  GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *server_code = NULL;
  g_autofree char *message = NULL;
  gint64 retry_after = parse_retry_after (msg);

  if (body != NULL && g_bytes_get_size (body) > 0 && g_bytes_get_size (body) < 64 * 1024)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size = 0;
      const char *data = g_bytes_get_data (body, &size);

      if (rh_json_parser_load (parser, data, size, NULL) &&
          holds_object (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          JsonNode *code = json_object_get_member (object, "code");
          JsonNode *text = json_object_get_member (object, "message");

          if (code != NULL && rh_json_is_text (code) && strlen (json_node_get_string (code)) < 64)
            server_code = g_strdup (json_node_get_string (code));
          if (text != NULL && json_node_get_value_type (text) == G_TYPE_STRING)
            message = printable_message (json_node_get_string (text));
        }
    }
  if (message == NULL)
    message = g_strdup (soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "");

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      rh_api_error_set (error, RH_API_ERROR_VALIDATION, server_code, -1,
                        _("The sync server refused the changes: %s"), message);
      break;
    case SOUP_STATUS_UNAUTHORIZED:
      rh_api_error_set (error, RH_API_ERROR_UNAUTHORIZED, server_code, -1,
                        _("The sync server did not accept the sign-in: sign in again"));
      break;
    case SOUP_STATUS_CONFLICT:
      rh_api_error_set (error, RH_API_ERROR_CONFLICT, server_code, retry_after,
                        _("The sync server reported a conflict: %s"), message);
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      rh_api_error_set (error, RH_API_ERROR_TOO_LARGE, server_code, -1,
                        _("The changes are too large for the sync server: %s"), message);
      break;
    case 429:
      rh_api_error_set (error, RH_API_ERROR_RATE_LIMITED, server_code,
                        retry_after >= 0 ? retry_after : 1000,
                        _("The sync server is busy; trying again shortly"));
      break;
    default:
      if (status >= 500 && status < 600)
        rh_api_error_set (error, RH_API_ERROR_SERVER, server_code, retry_after,
                          _("The sync server has a problem (%u); trying again later"), status);
      else
        rh_api_error_set (error, RH_API_ERROR_INVALID_RESPONSE, server_code, -1,
                          _("The sync server answered with an unexpected status (%u)"), status);
      break;
    }
}

static void
set_network_error (GError  *local_error,
                   GError **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return;
    }
  rh_api_error_set (error, RH_API_ERROR_NETWORK, NULL, -1,
                    _("Could not reach the sync server: %s"), local_error->message);
  g_error_free (local_error);
}

/* ---- HTTP ---- */

static GBytes *
read_body (GInputStream  *stream,
           SoupMessage   *msg,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  guint8 chunk[64 * 1024];

  if (length > RH_API_CLIENT_MAX_RESPONSE_BYTES)
    {
      invalid_response (error, _("too large"));
      return NULL;
    }

  for (;;)
    {
      GError *local_error = NULL;
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, &local_error);

      if (n < 0)
        {
          set_network_error (local_error, error);
          return NULL;
        }
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > RH_API_CLIENT_MAX_RESPONSE_BYTES)
        {
          invalid_response (error, _("too large"));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static SoupMessage *
new_message (RhApiClient  *self,
             const char   *method,
             const char   *path,
             const char   *token,
             GBytes       *body)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

/*
 * One call: the answer's body when the status is 2xx. A 401 gets one
 * refreshed token and one more try; a second 401 is the error.
 */
static GBytes *
call (RhApiClient   *self,
      const char    *method,
      const char    *path,
      GBytes        *body,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autofree char *token = NULL;

  if (!(token = rh_token_source_get_access_token (self->tokens, cancellable, error)))
    return NULL;

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(SoupMessage) msg = new_message (self, method, path, token, body);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GBytes) answer = NULL;
      GError *local_error = NULL;
      guint status;

      stream = soup_session_send (self->session, msg, cancellable, &local_error);
      if (stream == NULL)
        {
          set_network_error (local_error, error);
          return NULL;
        }
      answer = read_body (stream, msg, cancellable, error);
      g_input_stream_close (stream, NULL, NULL);
      if (answer == NULL)
        return NULL;

      status = soup_message_get_status (msg);
      g_debug ("%s %s: %u, %" G_GSIZE_FORMAT " bytes", method, path, status,
               g_bytes_get_size (answer));

      if (status == SOUP_STATUS_UNAUTHORIZED && attempt == 0)
        {
          g_clear_pointer (&token, g_free);
          if (!(token = rh_token_source_refresh_access_token (self->tokens, cancellable, error)))
            return NULL;
          continue;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          set_status_error (msg, answer, error);
          return NULL;
        }
      return g_steal_pointer (&answer);
    }
}

static JsonParser *
parse_answer (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0 || memchr (data, '\0', size) != NULL || !g_utf8_validate (data, size, NULL))
    {
      invalid_response (error, _("not JSON text"));
      return NULL;
    }
  if (!rh_json_nests_at_most (data, size, MAX_JSON_DEPTH))
    {
      invalid_response (error, _("nested too deeply"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, NULL))
    {
      invalid_response (error, _("not valid JSON"));
      return NULL;
    }
  if (!holds_object (json_parser_get_root (parser)))
    {
      invalid_response (error, _("not a JSON object"));
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* ---- reading the contract's values ---- */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return json_object_get_member (object, name);
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     nullable,
             const char **out)
{
  if (!rh_json_string_member (object, name, out))
    return FALSE;
  return *out != NULL || nullable;
}

static gboolean
read_int (JsonObject *object,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= min && *out <= max;
}

static gboolean
read_number (JsonObject *object,
             const char *name,
             double      min,
             double      max,
             double     *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out) && *out >= min && *out <= max;
}

static gboolean
read_bool (JsonObject *object,
           const char *name,
           gboolean   *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Whether @text is a JSON object, as a scenario document must be. */
static gboolean
is_json_object_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = strlen (text);

  return rh_json_nests_at_most (text, size, MAX_JSON_DEPTH) &&
         json_parser_load_from_data (parser, text, size, NULL) &&
         holds_object (json_parser_get_root (parser));
}

/* A field's JSON value as the #GVariant its kind uses; FALSE when the
 * JSON type is wrong. Ranges and lengths are checked afterwards, by
 * rh_sync_change_validate(). */
static gboolean
value_from_json (const RhSyncFieldSpec  *spec,
                 JsonNode               *node,
                 GVariant              **out)
{
  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return spec->nullable;

  switch (spec->kind)
    {
    case RH_SYNC_FIELD_TEXT:
    case RH_SYNC_FIELD_UUID:
    case RH_SYNC_FIELD_ENUM:
    case RH_SYNC_FIELD_JSON_TEXT:
      if (!rh_json_is_text (node))
        return FALSE;
      *out = g_variant_ref_sink (g_variant_new_string (json_node_get_string (node)));
      return TRUE;

    case RH_SYNC_FIELD_INTEGER:
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      *out = g_variant_ref_sink (g_variant_new_int64 (json_node_get_int (node)));
      return TRUE;

    case RH_SYNC_FIELD_NUMBER:
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        *out = g_variant_ref_sink (g_variant_new_double ((double) json_node_get_int (node)));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        *out = g_variant_ref_sink (g_variant_new_double (json_node_get_double (node)));
      else
        return FALSE;
      return TRUE;

    case RH_SYNC_FIELD_COUNTS:
      {
        static const char * const names[] = { "again", "hard", "good", "easy" };
        JsonObject *object;
        gint64 counts[4];

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return FALSE;
        object = json_node_get_object (node);
        if (json_object_get_size (object) != 4)
          return FALSE;
        for (guint i = 0; i < 4; i++)
          if (!read_int (object, names[i], 0, 1000000000, &counts[i]))
            return FALSE;
        *out = g_variant_ref_sink (g_variant_new ("(xxxx)", counts[0], counts[1], counts[2],
                                                  counts[3]));
        return TRUE;
      }

    default:
      return FALSE;
    }
}

static void
add_json_value (JsonBuilder *builder,
                GVariant    *value)
{
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    json_builder_add_int_value (builder, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    json_builder_add_double_value (builder, g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE ("(xxxx)")))
    {
      gint64 c[4];

      g_variant_get (value, "(xxxx)", &c[0], &c[1], &c[2], &c[3]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "again");
      json_builder_add_int_value (builder, c[0]);
      json_builder_set_member_name (builder, "hard");
      json_builder_add_int_value (builder, c[1]);
      json_builder_set_member_name (builder, "good");
      json_builder_add_int_value (builder, c[2]);
      json_builder_set_member_name (builder, "easy");
      json_builder_add_int_value (builder, c[3]);
      json_builder_end_object (builder);
    }
  else
    g_assert_not_reached ();
}

/* One pulled change, checked member by member. */
static RhSyncChange *
change_from_json (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(RhSyncChange) change = NULL;
  g_autoptr(GError) invalid = NULL;
  JsonObject *object;
  JsonNode *fields_node;
  JsonObject *fields;
  g_autoptr(GList) names = NULL;
  const char *entity_name;
  const char *id;
  const char *deleted_hlc;
  gboolean deleted;
  gint64 seq;
  RhSyncEntity entity;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid_response (error, _("a change is not an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!read_int (object, "seq", 1, RH_SYNC_MAX_SAFE_INTEGER, &seq))
    {
      invalid_response (error, _("a change has no valid sequence number"));
      return NULL;
    }
  if (!read_string (object, "entity", FALSE, &entity_name) ||
      !rh_sync_entity_from_string (entity_name, &entity))
    {
      invalid_response (error, _("a change of an unknown kind"));
      return NULL;
    }
  if (!read_string (object, "id", FALSE, &id) || !rh_sync_uuid_is_valid (id))
    {
      invalid_response (error, _("a change has a malformed id"));
      return NULL;
    }
  if (!read_bool (object, "deleted", &deleted) ||
      !read_string (object, "deleted_hlc", TRUE, &deleted_hlc) ||
      (deleted_hlc != NULL && !rh_sync_hlc_is_valid (deleted_hlc)))
    {
      invalid_response (error, _("a change has a malformed tombstone"));
      return NULL;
    }

  fields_node = member (object, "fields");
  if (fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node))
    {
      invalid_response (error, _("a change has no fields object"));
      return NULL;
    }

  change = rh_sync_change_new (entity, id);
  change->seq = seq;
  rh_sync_change_set_tombstone (change, deleted, deleted_hlc);

  fields = json_node_get_object (fields_node);
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const RhSyncFieldSpec *spec = rh_sync_entity_find_field (entity, name);
      JsonNode *stamped = json_object_get_member (fields, name);
      JsonObject *pair;
      JsonNode *value_node;
      const char *hlc;
      g_autoptr(GVariant) value = NULL;

      if (spec == NULL)
        {
          invalid_response (error, _("a change has an unknown field"));
          return NULL;
        }
      /* exactly {value, hlc} */
      pair = JSON_NODE_HOLDS_OBJECT (stamped) ? json_node_get_object (stamped) : NULL;
      value_node = pair ? member (pair, "value") : NULL;
      if (pair == NULL || json_object_get_size (pair) != 2 || value_node == NULL ||
          !read_string (pair, "hlc", FALSE, &hlc) || !rh_sync_hlc_is_valid (hlc))
        {
          invalid_response (error, _("a field is not a value with a clock stamp"));
          return NULL;
        }
      if (!value_from_json (spec, value_node, &value))
        {
          invalid_response (error, _("a field has a value of the wrong type"));
          return NULL;
        }
      rh_sync_change_add_field (change, name, value, hlc);
    }

  if (!rh_sync_change_validate (change, FALSE, &invalid))
    {
      rh_api_error_set (error, RH_API_ERROR_INVALID_RESPONSE, NULL, -1,
                        _("The sync server sent an answer Rehearse cannot use (%s)"),
                        invalid->message);
      return NULL;
    }

  /* Checked after the length, so a huge one is not parsed. */
  if (entity == RH_SYNC_ENTITY_SCENARIO)
    {
      const RhSyncField *content = rh_sync_change_get_field (change, "content");

      if (content != NULL && !is_json_object_text (g_variant_get_string (content->value, NULL)))
        {
          invalid_response (error, _("a scenario is not a JSON document"));
          return NULL;
        }
    }

  return g_steal_pointer (&change);
}

/* ---- RhSyncRemote ---- */

static char *
rh_api_client_dup_account_id (RhSyncRemote *remote)
{
  return rh_token_source_dup_user_id (RH_API_CLIENT (remote)->tokens);
}

static GBytes *
push_body (const char  *device_id,
           const char  *batch_id,
           GPtrArray   *changes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "batch_id");
  json_builder_add_string_value (builder, batch_id);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      const RhSyncChange *change = changes->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, rh_sync_entity_to_string (change->entity));
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, change->id);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      for (guint j = 0; j < change->fields->len; j++)
        {
          const RhSyncField *field = change->fields->pdata[j];

          json_builder_set_member_name (builder, field->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          add_json_value (builder, field->value);
          json_builder_set_member_name (builder, "hlc");
          json_builder_add_string_value (builder, field->hlc);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      /* deleted_hlc goes only with deleted: true; false says nothing */
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, change->deleted_hlc != NULL);
      if (change->deleted_hlc != NULL)
        {
          json_builder_set_member_name (builder, "deleted_hlc");
          json_builder_add_string_value (builder, change->deleted_hlc);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static RhSyncPushAnswer *
rh_api_client_push (RhSyncRemote  *remote,
                    const char    *device_id,
                    const char    *batch_id,
                    GPtrArray     *changes,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RhApiClient *self = RH_API_CLIENT (remote);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(RhSyncPushAnswer) result = NULL;
  JsonObject *object;
  JsonNode *results_node;
  JsonArray *results;
  const char *cursor;
  gint64 applied;
  guint counted = 0;

  g_return_val_if_fail (rh_sync_device_id_is_valid (device_id), NULL);

  body = push_body (device_id, batch_id, changes);
  if (g_bytes_get_size (body) > RH_SYNC_MAX_BODY_BYTES)
    {
      rh_api_error_set (error, RH_API_ERROR_TOO_LARGE, "payload_too_large", -1,
                        _("The changes are too large to send at once"));
      return NULL;
    }

  if (!(answer = call (self, "POST", "/sync/push", body, cancellable, error)) ||
      !(parser = parse_answer (answer, error)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  results_node = member (object, "results");
  if (!read_int (object, "applied", 0, RH_SYNC_MAX_BATCH, &applied) ||
      !read_string (object, "cursor", FALSE, &cursor) || !rh_sync_cursor_is_valid (cursor) ||
      results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node))
    {
      invalid_response (error, _("not a push result"));
      return NULL;
    }
  results = json_node_get_array (results_node);
  if (json_array_get_length (results) != changes->len)
    {
      invalid_response (error, _("not one result per change"));
      return NULL;
    }

  result = g_new0 (RhSyncPushAnswer, 1);
  result->cursor = g_strdup (cursor);
  result->results = g_new0 (RhSyncPushResult, changes->len);
  result->n_results = changes->len;

  for (guint i = 0; i < changes->len; i++)
    {
      const RhSyncChange *change = changes->pdata[i];
      JsonNode *node = json_array_get_element (results, i);
      RhSyncPushResult *out = &result->results[i];
      JsonObject *item;
      const char *id, *entity, *status, *code = NULL, *message = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid_response (error, _("a result is not an object"));
          return NULL;
        }
      item = json_node_get_object (node);
      if (!read_string (item, "id", FALSE, &id) || g_strcmp0 (id, change->id) != 0 ||
          !read_string (item, "entity", FALSE, &entity) ||
          g_strcmp0 (entity, rh_sync_entity_to_string (change->entity)) != 0 ||
          !read_string (item, "status", FALSE, &status) ||
          !read_string (item, "code", TRUE, &code) ||
          !read_string (item, "message", TRUE, &message))
        {
          invalid_response (error, _("a result does not match its change"));
          return NULL;
        }

      if (g_str_equal (status, "applied"))
        {
          out->status = RH_SYNC_RESULT_APPLIED;
          if (!read_int (item, "seq", 1, RH_SYNC_MAX_SAFE_INTEGER, &out->seq))
            {
              invalid_response (error, _("an applied change has no sequence number"));
              return NULL;
            }
          counted++;
        }
      else if (g_str_equal (status, "unchanged"))
        out->status = RH_SYNC_RESULT_UNCHANGED;
      else if (g_str_equal (status, "rejected"))
        out->status = RH_SYNC_RESULT_REJECTED;
      else
        {
          invalid_response (error, _("a result of an unknown status"));
          return NULL;
        }
      if (code != NULL && strlen (code) < 64)
        out->code = g_strdup (code);
      out->message = printable_message (message);
    }

  if (counted != applied)
    {
      invalid_response (error, _("the count of applied changes is wrong"));
      return NULL;
    }
  result->applied = counted;
  return g_steal_pointer (&result);
}

/**
 * rh_api_client_parse_page:
 * @answer: the body of an answer to `GET /sync/pull`
 * @cursor: the cursor the page was asked for (valid)
 * @limit: the most changes asked for
 *
 * Reads a page of changes, checking everything the contract promises:
 * no more changes than asked for, each after the cursor and after the
 * one before it, and a cursor that does not go backwards.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL with @error set
 *   (%RH_SYNC_ERROR_INVALID_RESPONSE)
 */
RhSyncPage *
rh_api_client_parse_page (GBytes      *answer,
                          const char  *cursor,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(RhSyncPage) page = NULL;
  JsonObject *object;
  JsonNode *changes_node;
  JsonArray *changes;
  const char *next;
  guint64 from;
  guint64 to;
  gint64 last = 0;

  g_return_val_if_fail (rh_sync_cursor_is_valid (cursor), NULL);

  from = g_ascii_strtoull (cursor, NULL, 10);
  if (!(parser = parse_answer (answer, error)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  changes_node = member (object, "changes");
  page = g_new0 (RhSyncPage, 1);
  if (changes_node == NULL || !JSON_NODE_HOLDS_ARRAY (changes_node) ||
      !read_string (object, "cursor", FALSE, &next) || !rh_sync_cursor_is_valid (next) ||
      !read_bool (object, "has_more", &page->has_more))
    {
      invalid_response (error, _("not a page of changes"));
      return NULL;
    }

  changes = json_node_get_array (changes_node);
  if (json_array_get_length (changes) > limit)
    {
      invalid_response (error, _("more changes than asked for"));
      return NULL;
    }

  page->changes = rh_sync_change_list_new ();
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      RhSyncChange *change = change_from_json (json_array_get_element (changes, i), error);

      if (change == NULL)
        return NULL;
      g_ptr_array_add (page->changes, change);
      /* The log's order, after the cursor, one change per place. */
      if ((guint64) change->seq <= from || change->seq <= last)
        {
          invalid_response (error, _("changes out of order"));
          return NULL;
        }
      last = change->seq;
    }

  to = g_ascii_strtoull (next, NULL, 10);
  if (to < from || (last > 0 && to < (guint64) last))
    {
      invalid_response (error, _("a cursor that goes backwards"));
      return NULL;
    }
  /* Kept without leading zeros, so cursors compare as they should. */
  page->cursor = g_strdup_printf ("%" G_GUINT64_FORMAT, to);
  return g_steal_pointer (&page);
}

static RhSyncPage *
rh_api_client_pull (RhSyncRemote  *remote,
                    const char    *cursor,
                    guint          limit,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RhApiClient *self = RH_API_CLIENT (remote);
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (rh_sync_cursor_is_valid (cursor), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= 1000, NULL);

  path = g_strdup_printf ("/sync/pull?cursor=%s&limit=%u", cursor, limit);
  if (!(answer = call (self, "GET", path, NULL, cancellable, error)))
    return NULL;
  return rh_api_client_parse_page (answer, cursor, limit, error);
}

static RhSyncProfile *
profile_from_answer (RhApiClient  *self,
                     GBytes       *answer,
                     GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(RhSyncProfile) profile = g_new0 (RhSyncProfile, 1);
  g_autofree char *account = NULL;
  JsonObject *object;
  const char *user_id;
  const char *display_name;
  const char *updated_at;
  gint64 value;

  if (!(parser = parse_answer (answer, error)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));

  if (!read_string (object, "user_id", FALSE, &user_id) || strlen (user_id) > 128 ||
      !read_string (object, "display_name", TRUE, &display_name) ||
      (display_name != NULL && g_utf8_strlen (display_name, -1) > 100) ||
      !read_string (object, "updated_at", TRUE, &updated_at) ||
      !read_number (object, "desired_retention", 0.7, 0.99, &profile->desired_retention))
    {
      invalid_response (error, _("not a profile"));
      return NULL;
    }
  profile->user_id = g_strdup (user_id);
  profile->display_name = g_strdup (display_name);
  if (!read_int (object, "new_per_day", 0, 9999, &value))
    goto bad;
  profile->new_per_day = (int) value;
  if (!read_int (object, "reviews_per_day", 0, 99999, &value))
    goto bad;
  profile->reviews_per_day = (int) value;
  if (!read_int (object, "rollover_hour", 0, 23, &value))
    goto bad;
  profile->rollover_hour = (int) value;
  if (!read_int (object, "version", 0, RH_SYNC_MAX_SAFE_INTEGER, &profile->version))
    goto bad;

  /* The server answers for the token's account, and no other. */
  account = rh_token_source_dup_user_id (self->tokens);
  if (account != NULL && g_strcmp0 (account, user_id) != 0)
    {
      invalid_response (error, _("the profile of another account"));
      return NULL;
    }
  return g_steal_pointer (&profile);

bad:
  invalid_response (error, _("not a profile"));
  return NULL;
}

static RhSyncProfile *
rh_api_client_get_profile (RhSyncRemote  *remote,
                           GCancellable  *cancellable,
                           GError       **error)
{
  RhApiClient *self = RH_API_CLIENT (remote);
  g_autoptr(GBytes) answer = call (self, "GET", "/profile", NULL, cancellable, error);

  return answer ? profile_from_answer (self, answer, error) : NULL;
}

static RhSyncProfile *
rh_api_client_put_profile (RhSyncRemote         *remote,
                           const RhSyncProfile  *profile,
                           RhSyncProfileFields   fields,
                           gint64                expected_version,
                           GCancellable         *cancellable,
                           GError              **error)
{
  RhApiClient *self = RH_API_CLIENT (remote);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  if (fields & RH_SYNC_PROFILE_DISPLAY_NAME)
    {
      json_builder_set_member_name (builder, "display_name");
      if (profile->display_name != NULL)
        json_builder_add_string_value (builder, profile->display_name);
      else
        json_builder_add_null_value (builder);
    }
  if (fields & RH_SYNC_PROFILE_NEW_PER_DAY)
    {
      json_builder_set_member_name (builder, "new_per_day");
      json_builder_add_int_value (builder, profile->new_per_day);
    }
  if (fields & RH_SYNC_PROFILE_REVIEWS_PER_DAY)
    {
      json_builder_set_member_name (builder, "reviews_per_day");
      json_builder_add_int_value (builder, profile->reviews_per_day);
    }
  if (fields & RH_SYNC_PROFILE_DESIRED_RETENTION)
    {
      json_builder_set_member_name (builder, "desired_retention");
      json_builder_add_double_value (builder, profile->desired_retention);
    }
  if (fields & RH_SYNC_PROFILE_ROLLOVER_HOUR)
    {
      json_builder_set_member_name (builder, "rollover_hour");
      json_builder_add_int_value (builder, profile->rollover_hour);
    }
  if (expected_version >= 0)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, expected_version);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (text, length);

  if (!(answer = call (self, "PUT", "/profile", body, cancellable, error)))
    return NULL;
  return profile_from_answer (self, answer, error);
}

static void
rh_api_client_remote_init (RhSyncRemoteInterface *iface)
{
  iface->dup_account_id = rh_api_client_dup_account_id;
  iface->push = rh_api_client_push;
  iface->pull = rh_api_client_pull;
  iface->get_profile = rh_api_client_get_profile;
  iface->put_profile = rh_api_client_put_profile;
}

/* ---- the object ---- */

static void
rh_api_client_finalize (GObject *object)
{
  RhApiClient *self = RH_API_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->tokens);
  g_free (self->base_url);

  G_OBJECT_CLASS (rh_api_client_parent_class)->finalize (object);
}

static void
rh_api_client_class_init (RhApiClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_api_client_finalize;
}

static void
rh_api_client_init (RhApiClient *self)
{
  g_autofree char *agent = g_strdup_printf ("Rehearse/%s ", PACKAGE_VERSION);

  /* The trailing space makes libsoup add its own name and version. */
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", agent,
                                                 NULL);
}

/**
 * rh_api_client_new:
 * @base_url: the API's address, http(s)://host[:port][/prefix]
 * @tokens: where the access token comes from (and a fresh one after a 401)
 *
 * Returns: (transfer full) (nullable): the client, or %NULL when
 *   @base_url is not an HTTP address
 */
RhApiClient *
rh_api_client_new (const char     *base_url,
                   RhTokenSource  *tokens,
                   GError        **error)
{
  g_autoptr(RhApiClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (RH_IS_TOKEN_SOURCE (tokens), NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_query (uri) != NULL ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not the address of a sync server"), base_url);
      return NULL;
    }

  self = g_object_new (RH_TYPE_API_CLIENT, NULL);
  self->tokens = g_object_ref (tokens);
  len = strlen (base_url);
  while (len > 0 && base_url[len - 1] == '/')
    len--;
  self->base_url = g_strndup (base_url, len);
  return g_steal_pointer (&self);
}

/**
 * rh_api_client_get_base_url:
 *
 * Returns: the API's address, without a trailing slash
 */
const char *
rh_api_client_get_base_url (RhApiClient *self)
{
  g_return_val_if_fail (RH_IS_API_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * rh_api_client_set_timeout:
 * @seconds: how long a request may wait for the server; 0 for ever
 *
 * Call it before the first request, from the thread that made the client.
 */
void
rh_api_client_set_timeout (RhApiClient *self,
                           guint        seconds)
{
  g_return_if_fail (RH_IS_API_CLIENT (self));
  g_object_set (self->session, "timeout", seconds, NULL);
}
