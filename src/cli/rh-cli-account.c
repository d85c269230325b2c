// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "rh-accounts.h"
#include "rh-cli.h"

/* The command line signs in through the loopback redirect: the app's URI
 * scheme would hand the callback to the desktop app, not to this process. */
static RhAccounts *
new_accounts (void)
{
  g_autoptr(RhCognitoConfig) config = rh_cognito_config_load ();

  rh_cognito_config_set_redirect_mode (config, RH_REDIRECT_LOOPBACK);
  return rh_accounts_new (NULL, config);
}

/**
 * rh_cli_account_collection_path:
 *
 * Returns: (transfer full) (nullable): the signed-in account's collection,
 *   or %NULL when signed out (the commands then use the local one)
 */
char *
rh_cli_account_collection_path (void)
{
  return rh_accounts_peek_collection_path (NULL);
}

/* The CLI may block: it runs the main loop until an async call is done. */
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

static GAsyncResult *
waiter_run (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_loop_run (waiter->loop);
  return waiter->result;
}

static void
waiter_clear (Waiter *waiter)
{
  g_clear_object (&waiter->result);
  g_clear_pointer (&waiter->loop, g_main_loop_unref);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Signs the remembered account back in. */
static RhUser *
restore (RhAccounts  *accounts,
         GError     **error)
{
  Waiter waiter = { g_main_loop_new (NULL, FALSE), NULL };
  RhUser *user;

  rh_accounts_restore_async (accounts, NULL, waiter_done_cb, &waiter);
  user = rh_accounts_restore_finish (accounts, waiter_run (&waiter), error);
  waiter_clear (&waiter);
  return user;
}

static void
open_in_browser (const char *url)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (url, NULL, &error))
    fprintf (stderr, _("No browser could be started (%s): open the address yourself.\n"),
             error->message);
}

typedef struct
{
  GMainLoop *loop;
  RhUser    *user;
  GError    *error;
  gboolean   finished;
} SignIn;

static void
sign_in_finished_cb (RhAuth       *auth,
                     RhUser       *user,
                     const GError *error,
                     SignIn       *sign_in)
{
  sign_in->finished = TRUE;
  g_set_object (&sign_in->user, user);
  if (error != NULL)
    sign_in->error = g_error_copy (error);
  g_main_loop_quit (sign_in->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  rh_auth_cancel_sign_in (RH_AUTH (user_data));
  return G_SOURCE_CONTINUE;
}

static const char *
user_label (RhUser *user)
{
  const RhEmail *email = rh_user_get_email (user);

  if (email != NULL)
    return rh_email_get_address (email);
  if (rh_user_get_display_name (user) != NULL)
    return rh_user_get_display_name (user);
  return rh_user_get_id (user);
}

static int
bring_local (RhAccounts *accounts,
             const char *account_id)
{
  g_autoptr(GError) error = NULL;

  if (!rh_accounts_bring_local (accounts, account_id, &error))
    return rh_cli_fail (error);
  printf ("%s\n", _("The collection on this computer was copied into the account; "
                    "the signed-out collection stays as it was."));
  return 0;
}

int
rh_cli_account_login (RhCliContext  *ctx,
                      int            argc,
                      char         **argv)
{
  g_autoptr(RhAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean no_browser = FALSE;
  gboolean loopback = FALSE;
  gboolean create_account = FALSE;
  gboolean google = FALSE;
  gboolean bring = FALSE;
  RhAuthMode mode = RH_AUTH_MODE_SIGN_IN;
  SignIn sign_in = { 0 };
  RhAuth *auth;
  guint sigint_id;
  gulong handler;
  GOptionEntry entries[] = {
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Only print the address to open; do not start a browser"), NULL },
    { "loopback", 0, 0, G_OPTION_ARG_NONE, &loopback,
      N_("Wait for the browser on http://localhost (the default here)"), NULL },
    { "create-account", 0, 0, G_OPTION_ARG_NONE, &create_account,
      N_("Open the page that creates an account"), NULL },
    { "google", 0, 0, G_OPTION_ARG_NONE, &google, N_("Continue with Google"), NULL },
    { "bring-local", 0, 0, G_OPTION_ARG_NONE, &bring,
      N_("On the first sign-in here, copy the signed-out collection into the account"), NULL },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  if (argc != 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  if (create_account && google)
    {
      rh_cli_usage_error (ctx, _("Choose --create-account or --google, not both"));
      return 2;
    }
  if (create_account)
    mode = RH_AUTH_MODE_SIGN_UP;
  else if (google)
    mode = RH_AUTH_MODE_GOOGLE;

  accounts = new_accounts ();
  auth = rh_accounts_get_auth (accounts);
  /* whoever is signed in now is known, so that their tokens go if
   * someone else signs in */
  {
    g_autoptr(GError) restore_error = NULL;
    g_autoptr(RhUser) previous = restore (accounts, &restore_error);
  }
  if (!(url = rh_auth_begin_sign_in (auth, mode, &error)))
    return rh_cli_fail (error);

  printf ("%s\n%s\n", _("Open this address in your browser to sign in:"), url);
  fflush (stdout);
  if (!no_browser)
    open_in_browser (url);
  fprintf (stderr, "%s\n", _("Waiting for the browser… (Ctrl+C cancels)"));

  loop = g_main_loop_new (NULL, FALSE);
  sign_in.loop = loop;
  handler = g_signal_connect (auth, "sign-in-finished", G_CALLBACK (sign_in_finished_cb),
                              &sign_in);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, auth);
  while (!sign_in.finished)
    g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_signal_handler_disconnect (auth, handler);

  if (sign_in.error != NULL)
    {
      int status = rh_cli_fail (sign_in.error);

      g_clear_error (&sign_in.error);
      g_clear_object (&sign_in.user);
      return status;
    }

  printf (_("Signed in as %s.\n"), user_label (sign_in.user));
  if (rh_accounts_can_bring_local (accounts, rh_user_get_id (sign_in.user)))
    {
      if (bring)
        {
          int status = bring_local (accounts, rh_user_get_id (sign_in.user));

          g_clear_object (&sign_in.user);
          return status;
        }
      printf ("%s\n", _("The collection you used while signed out stays on its own. To copy it "
                        "into this account, run “rehearse-cli account bring-local” before "
                        "anything else."));
    }
  g_clear_object (&sign_in.user);
  drain_main_context ();
  return 0;
}

int
rh_cli_account_bring_local (RhCliContext  *ctx,
                            int            argc,
                            char         **argv)
{
  g_autoptr(RhAccounts) accounts = NULL;
  g_autofree char *current = NULL;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  accounts = new_accounts ();
  if (!(current = rh_accounts_dup_current_account (accounts)))
    {
      fprintf (stderr, "rehearse-cli: %s\n", _("Not signed in."));
      return 1;
    }
  return bring_local (accounts, current);
}

static void
sign_out_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter_done_cb (object, result, waiter);
}

int
rh_cli_account_logout (RhCliContext  *ctx,
                       int            argc,
                       char         **argv)
{
  g_autoptr(RhAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RhUser) user = NULL;
  g_autofree char *logout_url = NULL;
  g_autofree char *current = NULL;
  gboolean everywhere = FALSE;
  gboolean no_browser = FALSE;
  Waiter waiter = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "everywhere", 0, 0, G_OPTION_ARG_NONE, &everywhere,
      N_("Also end the session in the browser (the next sign-in asks for the password)"), NULL },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Only print the address that ends the browser session"), NULL },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  accounts = new_accounts ();
  current = rh_accounts_dup_current_account (accounts);
  if (current == NULL)
    {
      printf ("%s\n", _("Not signed in."));
      return 0;
    }
  /* without the keyring's tokens there is nothing to revoke, but the
   * account is forgotten all the same */
  user = restore (accounts, &error);
  if (user == NULL && error != NULL)
    {
      g_debug ("The account could not be restored: %s", error->message);
      rh_accounts_forget_current (accounts);
    }
  g_clear_error (&error);

  waiter.loop = g_main_loop_new (NULL, FALSE);
  rh_auth_sign_out_async (rh_accounts_get_auth (accounts), everywhere, NULL,
                          sign_out_done_cb, &waiter);
  ok = rh_auth_sign_out_finish (rh_accounts_get_auth (accounts), waiter_run (&waiter),
                                &logout_url, &error);
  waiter_clear (&waiter);
  drain_main_context ();

  printf ("%s\n", _("Signed out on this computer."));
  if (logout_url != NULL)
    {
      printf ("%s\n%s\n", _("To end the session in the browser too, open:"), logout_url);
      fflush (stdout);
      if (!no_browser)
        open_in_browser (logout_url);
    }
  if (!ok)
    return rh_cli_fail (error);
  return 0;
}

int
rh_cli_account_status (RhCliContext  *ctx,
                       int            argc,
                       char         **argv)
{
  g_autoptr(RhAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) token_error = NULL;
  g_autoptr(RhUser) user = NULL;
  g_autofree char *current = NULL;
  g_autofree char *collection = NULL;
  gboolean json = ctx->json;
  gboolean refresh = FALSE;
  gboolean token_ok = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &refresh,
      N_("Check that an access token can be had, refreshing it when it is about to expire"),
      NULL },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  accounts = new_accounts ();
  user = restore (accounts, &error);
  if (user != NULL && refresh)
    {
      /* the CLI may block: the token source is called right here */
      g_autofree char *token = rh_token_source_get_access_token (
        RH_TOKEN_SOURCE (rh_accounts_get_auth (accounts)), NULL, &token_error);

      token_ok = token != NULL;
      rh_secret_free (g_steal_pointer (&token));
      drain_main_context ();
      if (!token_ok && g_error_matches (token_error, RH_AUTH_ERROR, RH_AUTH_ERROR_REFUSED))
        g_clear_object (&user);
    }
  current = rh_accounts_dup_current_account (accounts);
  collection = rh_accounts_dup_collection_path (accounts);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "signed_in");
      json_builder_add_boolean_value (b, user != NULL);
      json_builder_set_member_name (b, "account");
      if (current != NULL)
        json_builder_add_string_value (b, current);
      else
        json_builder_add_null_value (b);
      if (user != NULL)
        {
          const RhEmail *email = rh_user_get_email (user);

          json_builder_set_member_name (b, "email");
          if (email != NULL)
            json_builder_add_string_value (b, rh_email_get_address (email));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "name");
          if (rh_user_get_display_name (user) != NULL)
            json_builder_add_string_value (b, rh_user_get_display_name (user));
          else
            json_builder_add_null_value (b);
        }
      json_builder_set_member_name (b, "collection");
      json_builder_add_string_value (b, collection);
      json_builder_set_member_name (b, "issuer");
      json_builder_add_string_value (b, rh_cognito_config_get_issuer (rh_accounts_get_config (accounts)));
      if (error != NULL && current != NULL)
        {
          json_builder_set_member_name (b, "problem");
          json_builder_add_string_value (b, error->message);
        }
      if (refresh)
        {
          json_builder_set_member_name (b, "access_token");
          json_builder_add_string_value (b, token_ok ? "valid" : "unavailable");
          if (token_error != NULL)
            {
              json_builder_set_member_name (b, "token_problem");
              json_builder_add_string_value (b, token_error->message);
            }
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      rh_cli_print_json (root);
    }
  else
    {
      if (user != NULL)
        {
          const char *name = rh_user_get_display_name (user);

          if (name != NULL)
            printf (_("Signed in as %s (%s).\n"), name, user_label (user));
          else
            printf (_("Signed in as %s.\n"), user_label (user));
          printf (_("Account: %s\n"), rh_user_get_id (user));
        }
      else if (current != NULL)
        printf (_("Signed in as account %s, but the sign-in could not be read: %s\n"),
                current, error ? error->message : "");
      else
        printf ("%s\n", _("Not signed in."));
      printf (_("Collection: %s\n"), collection);
      if (refresh && token_ok)
        printf ("%s\n", _("Access token: valid."));
      else if (refresh)
        printf (_("Access token: unavailable: %s\n"), token_error ? token_error->message : "");
    }

  if (refresh && !token_ok)
    return 1;
  return 0;
}
