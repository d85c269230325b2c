// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rh-accounts.h"
#include "rh-api-client.h"
#include "rh-cli.h"
#include "rh-composition.h"
#include "rh-fixed-token-source.h"
#include "rh-json-load.h"
#include "rh-sync.h"

/*
 * rehearse-cli sync [--json]: pushes what is pending and pulls what is new,
 * for the signed-in account's collection, and says what it did.
 *
 * Scripts and tests that have an access token already (no browser, no
 * keyring) set REHEARSE_TEST_ACCESS_TOKEN, and REHEARSE_API_URL for the
 * server; the account is the token's `sub` (or REHEARSE_TEST_ACCOUNT_ID).
 * The collection is then --db PATH, or the signed-out one. The token is
 * never printed.
 */

/* The `sub` of a JWT, read without checking it: the server checks it, and
 * it only names the account the collection is bound to. */
static char *
jwt_subject (const char *token)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", 4);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *payload = NULL;
  g_autoptr(GString) b64 = NULL;
  gsize len = 0;
  JsonNode *root;

  if (g_strv_length (parts) != 3)
    return NULL;
  b64 = g_string_new (parts[1]);
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  payload = g_base64_decode (b64->str, &len);
  if (payload == NULL || !rh_json_parser_load (parser, (const char *) payload, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "sub", NULL));
}

/* ---- the command ---- */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
waiter_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

/* The signed-in account: its token source, its collection, the API. */
static gboolean
signed_in_account (RhTokenSource **out_tokens,
                   char          **out_path,
                   char          **out_api_url,
                   GError        **error)
{
  g_autoptr(RhCognitoConfig) config = rh_cognito_config_load ();
  g_autoptr(RhAccounts) accounts = rh_accounts_new (NULL, config);
  g_autoptr(RhUser) user = NULL;
  Waiter waiter = { g_main_loop_new (NULL, FALSE), NULL };

  rh_accounts_restore_async (accounts, NULL, waiter_done_cb, &waiter);
  while (waiter.result == NULL)
    g_main_loop_run (waiter.loop);
  user = rh_accounts_restore_finish (accounts, waiter.result, error);
  g_clear_object (&waiter.result);
  g_main_loop_unref (waiter.loop);
  if (user == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_SIGNED_OUT,
                     _("Sign in first: rehearse-cli account login"));
      return FALSE;
    }

  *out_tokens = RH_TOKEN_SOURCE (g_object_ref (rh_accounts_get_auth (accounts)));
  *out_path = rh_accounts_dup_collection_path (accounts);
  *out_api_url = g_strdup (rh_cognito_config_get_api_url (config));
  return *out_path != NULL;
}

static JsonNode *
summary_to_json (const RhSyncSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const struct
  {
    const char *name;
    guint       value;
  } counts[] = {
    { "pushed", summary->pushed },
    { "rejected", summary->rejected },
    { "pulled", summary->pulled },
    { "unchanged", summary->unchanged },
    { "conflicts", summary->conflicts },
    { "skipped", summary->skipped },
    { "reviews_added", summary->reviews_added },
    { "cards_rebuilt", summary->cards_rebuilt },
    { "batches", summary->batches },
    { "pages", summary->pages },
    { "retries", summary->retries },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      json_builder_set_member_name (builder, counts[i].name);
      json_builder_add_int_value (builder, counts[i].value);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

int
rh_cli_sync (RhCliContext  *ctx,
             int            argc,
             char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *api_option = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the summary as JSON"), NULL },
    { "api", 0, 0, G_OPTION_ARG_STRING, &api_option,
      N_("The sync server’s address (default: REHEARSE_API_URL or the configured one)"),
      N_("URL") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *api_url = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RhTokenSource) tokens = NULL;
  g_autoptr(RhSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  RhSyncSummary summary = { 0 };
  const char *env_token = g_getenv ("REHEARSE_TEST_ACCESS_TOKEN");

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  json |= ctx->json;

  if (env_token != NULL && *env_token != '\0')
    {
      const char *account = g_getenv ("REHEARSE_TEST_ACCOUNT_ID");
      g_autofree char *account_id = account && *account ? g_strdup (account)
                                                        : jwt_subject (env_token);

      tokens = rh_fixed_token_source_new (env_token, account_id,
                                          _("The server refused the access token in "
                                            "REHEARSE_TEST_ACCESS_TOKEN"));
      api_url = g_strdup (g_getenv ("REHEARSE_API_URL"));
      path = ctx->db_path ? g_strdup (ctx->db_path) : rh_composition_default_path ();
    }
  else if (!signed_in_account (&tokens, &path, &api_url, &error))
    return rh_cli_fail (error);
  else if (ctx->db_path != NULL)
    {
      g_free (path);
      path = g_strdup (ctx->db_path);
    }

  if (api_option != NULL)
    {
      g_free (api_url);
      api_url = g_strdup (api_option);
    }
  if (api_url == NULL || *api_url == '\0')
    {
      rh_cli_usage_error (ctx, _("No sync server: give --api URL or set REHEARSE_API_URL"));
      return 2;
    }

  if (!(engine = rh_composition_new_sync_engine (path, tokens, api_url, &error)) ||
      !rh_sync_engine_sync (engine, &summary, NULL, &error))
    return rh_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = summary_to_json (&summary);
      rh_cli_print_json (node);
    }
  else
    {
      printf (g_dngettext (GETTEXT_PACKAGE, "Pushed %u change", "Pushed %u changes",
                           summary.pushed),
              summary.pushed);
      printf (g_dngettext (GETTEXT_PACKAGE, ", pulled %u change", ", pulled %u changes",
                           summary.pulled),
              summary.pulled);
      printf (g_dngettext (GETTEXT_PACKAGE, " (%u review)", " (%u reviews)",
                           summary.reviews_added),
              summary.reviews_added);
      printf (".\n");
      if (summary.conflicts > 0)
        printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict resolved.\n",
                             "%u conflicts resolved.\n", summary.conflicts),
                summary.conflicts);
      if (summary.rejected > 0 || summary.skipped > 0)
        printf (_("%u change refused by the server, %u remote change not usable here.\n"),
                summary.rejected, summary.skipped);
    }
  return 0;
}
