// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/*
 * The contract server (tests/server) for the tests that sync against it:
 * bin/serve.mjs on loopback, with its OpenID provider and two users.
 * server_start() says why it cannot run here (node or the server's
 * packages missing) rather than fail.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "rh-sync.h"

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *api;
  char        *issuer;
  char        *client_id;
  char        *secret;
  char        *password;
  char        *email[2];
  char        *sub[2];
  char        *token[2];
  SoupSession *http;
} Server;

static Server *server;

static inline JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static inline void
server_stop (void)
{
  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->process);
  g_clear_object (&server->http);
  for (guint i = 0; i < 2; i++)
    {
      g_free (server->email[i]);
      g_free (server->sub[i]);
      g_free (server->token[i]);
    }
  g_free (server->dir);
  g_free (server->api);
  g_free (server->issuer);
  g_free (server->client_id);
  g_free (server->secret);
  g_free (server->password);
  g_clear_pointer (&server, g_free);
}

/* Starts bin/serve.mjs and reads its one line of JSON; NULL (with a
 * reason) when it cannot run here. */
static inline char *
server_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ready = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *modules = NULL;
  g_autofree char *line = NULL;
  JsonObject *object;
  JsonArray *users;

  if (node == NULL)
    return g_strdup ("node is not installed");

  server = g_new0 (Server, 1);
  server->dir = g_test_build_filename (G_TEST_DIST, "server", NULL);
  modules = g_build_filename (server->dir, "node_modules", NULL);
  if (!g_file_test (modules, G_FILE_TEST_IS_DIR))
    {
      server_stop ();
      return g_strdup ("the contract server's packages are missing (npm ci in tests/server)");
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (g_getenv ("RH_TEST_SERVER_LOG") ? 0
                                         : G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  g_subprocess_launcher_set_cwd (launcher, server->dir);
  /* the server goes when this process does, however it ends */
  g_subprocess_launcher_setenv (launcher, "REHEARSE_EXIT_ON_STDIN_EOF", "1", TRUE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, node, "bin/serve.mjs", NULL);
  if (server->process == NULL)
    {
      g_autofree char *why = g_strdup (error->message);

      server_stop ();
      return g_steal_pointer (&why);
    }

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL)
    {
      server_stop ();
      return g_strdup ("the contract server did not start");
    }

  ready = parse_json (line);
  object = json_node_get_object (ready);
  server->api = g_strdup (json_object_get_string_member (object, "api"));
  server->issuer = g_strdup (json_object_get_string_member (object, "issuer"));
  server->client_id = g_strdup (json_object_get_string_member (object, "client_id"));
  server->secret = g_strdup (json_object_get_string_member (object, "admin_secret"));
  server->password = g_strdup (json_object_get_string_member (object, "password"));
  users = json_object_get_array_member (object, "users");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      server->email[i] = g_strdup (json_object_get_string_member (user, "email"));
      server->sub[i] = g_strdup (json_object_get_string_member (user, "sub"));
    }
  server->http = soup_session_new ();
  return NULL;
}

/* A real access token, signed in through the provider's login form. */
static inline char *
login (guint user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autoptr(JsonNode) answer = NULL;
  int status = 0;
  const char *argv[] = { node, "test/helpers/login.mjs", server->issuer, server->client_id,
                         server->email[user], server->password, NULL };

  g_spawn_sync (server->dir, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  answer = parse_json (out);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer),
                                                  "access_token"));
}

static inline const char *
token_for (guint user)
{
  if (server->token[user] == NULL)
    server->token[user] = login (user);
  return server->token[user];
}

static inline JsonNode *
admin (const char *method,
       const char *path,
       const char *body)
{
  g_autofree char *url = g_strconcat (server->api, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Test-Secret",
                                server->secret);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (server->http, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return parse_json (text);
}

static inline void
set_faults (const char *json)
{
  g_autoptr(JsonNode) answer = admin ("POST", "/__test/faults", json);
}

/* Until the engine says it has finished a sync. */
static inline void
finished_cb (RhSyncEngine  *engine,
             RhSyncSummary *summary,
             GError        *error,
             gpointer       user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static inline void
wait_finished (RhSyncEngine *engine)
{
  gboolean done = FALSE;
  gulong id = g_signal_connect (engine, "finished", G_CALLBACK (finished_cb), &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (engine, id);
}
