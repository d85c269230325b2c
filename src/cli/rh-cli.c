// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rh-cli.h"
#include "rh-composition.h"

/* The command tree: adding a command is one line here and one handler. */
static const RhCliCommand commands[] = {
  { "deck list", NULL, N_("List decks with their card counts"), rh_cli_deck_list },
  { "deck add", N_("NAME"), N_("Create a deck"), rh_cli_deck_add },
  { "deck rename", N_("DECK NEW-NAME"), N_("Rename a deck"), rh_cli_deck_rename },
  { "deck rm", N_("DECK [--cards delete|move --to DECK]"),
    N_("Delete a deck; a deck with cards needs --cards"), rh_cli_deck_rm },
  { "card add", N_("--deck DECK --front TEXT --back TEXT [--notes TEXT] [--example TEXT] [--tags TAGS]"),
    N_("Add a card"), rh_cli_card_add },
  { "card edit", N_("CARD [--front TEXT] [--back TEXT] [--notes TEXT] [--example TEXT] [--tags TAGS] [--deck DECK]"),
    N_("Change a card"), rh_cli_card_edit },
  { "card rm", N_("CARD…"), N_("Delete cards"), rh_cli_card_rm },
  { "card list", N_("[--deck DECK] [--sort FIELD] [--limit N] [--offset N]"),
    N_("List cards"), rh_cli_card_list },
  { "card search", N_("QUERY [--deck DECK] [--limit N]"), N_("Search cards"), rh_cli_card_search },
  { "fsrs replay", N_("[--retention R] [FILE|-]"),
    N_("Replay a review history through FSRS and print each state"), rh_cli_fsrs_replay },
  { "study next", N_("[--deck DECK]"), N_("Show the next card to study"), rh_cli_study_next },
  { "study answer", N_("CARD RATING"), N_("Answer a card: 1–4 or again, hard, good, easy"),
    rh_cli_study_answer },
  { "study undo", NULL, N_("Undo the last answer"), rh_cli_study_undo },
  { "import", N_("FILE [--deck NAME]"), N_("Import CSV, TSV, .apkg or a JSON backup"),
    rh_cli_import },
  { "export", N_("FILE [--deck DECK]"), N_("Export to CSV, or a full JSON backup (.json)"),
    rh_cli_export },
  { "stats", NULL, N_("Due today, reviews today, retention of the last 30 days"), rh_cli_stats },
  { "backup list", NULL, N_("List automatic backups"), rh_cli_backup_list },
  { "backup create", NULL, N_("Back up the collection now"), rh_cli_backup_create },
  { "backup restore", N_("BACKUP"), N_("Restore the collection from a backup"),
    rh_cli_backup_restore },
  { "scenario list", N_("[--level L] [--topic T] [--search TEXT] [--json]"),
    N_("List the role-play scenarios with their mastery"), rh_cli_scenario_list },
  { "scenario show", N_("SCENARIO [--json]"), N_("Show a scenario’s turns and answers"),
    rh_cli_scenario_show },
  { "scenario practice", N_("SCENARIO --answers FILE"),
    N_("Practise a scenario with scripted answers; prints the feedback as JSON"),
    rh_cli_scenario_practice },
  { "account login", N_("[--no-browser] [--loopback] [--create-account|--google] [--bring-local]"),
    N_("Sign in through the browser (prints the address to open)"), rh_cli_account_login },
  { "account logout", N_("[--everywhere] [--no-browser]"),
    N_("Sign out: revoke the session and forget the tokens"), rh_cli_account_logout },
  { "account status", N_("[--json] [--refresh]"), N_("Who is signed in, and which collection is used"),
    rh_cli_account_status },
  { "account bring-local", NULL,
    N_("Copy the signed-out collection into the account signed in for the first time"),
    rh_cli_account_bring_local },
  { "sync", N_("[--json] [--api URL]"),
    N_("Push local changes to the sync server and pull the others’"), rh_cli_sync },
};

static void
print_usage (FILE       *out,
             const char *prefix)
{
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].path));

  fprintf (out, "%s\n", _("Usage: rehearse-cli [--db PATH] [--json] COMMAND [ARGS…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (prefix && !g_str_has_prefix (commands[i].path, prefix))
        continue;
      fprintf (out, "  %-*s  %s\n", width, commands[i].path, _(commands[i].summary));
    }
  fprintf (out, "\n%s\n", _("Run “rehearse-cli COMMAND --help” for a command’s options."));
}

void
rh_cli_usage_error (RhCliContext *ctx,
                    const char   *message)
{
  fprintf (stderr, "rehearse-cli: %s\n", message);
  if (ctx->command)
    fprintf (stderr, _("Usage: rehearse-cli %s %s\n"), ctx->command->path,
             ctx->command->args ? _(ctx->command->args) : "");
}

void
rh_cli_print_error (const GError *error)
{
  fprintf (stderr, "rehearse-cli: %s\n", error->message);
}

int
rh_cli_fail (const GError *error)
{
  rh_cli_print_error (error);
  return 1;
}

/**
 * rh_cli_print_json:
 *
 * Prints a JSON node followed by a newline, pretty so people can read it.
 */
void
rh_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

/**
 * rh_cli_open:
 *
 * Opens the collection the command works on, on first use.
 */
RhCollection *
rh_cli_open (RhCliContext  *ctx,
             GError       **error)
{
  if (ctx->collection == NULL)
    {
      g_autofree char *path = ctx->db_path ? g_strdup (ctx->db_path)
                                           : rh_composition_default_path ();
      g_autofree char *account_path = ctx->db_path ? NULL : rh_cli_account_collection_path ();
      gboolean seed = ctx->db_path == NULL;

      /* Signed in: the account's own collection. It gets no sample deck:
       * its cards come from the learner (or a sync). */
      if (account_path != NULL)
        {
          g_free (path);
          path = g_steal_pointer (&account_path);
          seed = FALSE;
        }
      ctx->collection = rh_composition_open (path, seed, error);
      if (ctx->collection != NULL)
        rh_collection_close_abandoned_sessions (ctx->collection, NULL);
    }
  return ctx->collection;
}

static const RhCliCommand *
find_command (int     argc,
              char  **argv,
              int    *consumed)
{
  /* the longest path that matches the words given wins */
  for (int words = 2; words >= 1; words--)
    {
      g_autofree char *path = NULL;

      if (argc < words)
        continue;
      path = words == 2 ? g_strdup_printf ("%s %s", argv[0], argv[1]) : g_strdup (argv[0]);
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (commands[i].path, path) == 0)
          {
            *consumed = words;
            return &commands[i];
          }
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  RhCliContext ctx = { 0 };
  int first = 1;
  int consumed = 0;
  int status;
  const char *localedir = g_getenv ("REHEARSE_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* an uninstalled build's translations: meson devenv points this at build/po */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* stdout is for results (JSON, addresses to open): logs go to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

  /* global options come before the command */
  while (first < argc && argv[first][0] == '-')
    {
      if (strcmp (argv[first], "--db") == 0 && first + 1 < argc)
        {
          ctx.db_path = argv[first + 1];
          first += 2;
        }
      else if (g_str_has_prefix (argv[first], "--db="))
        ctx.db_path = argv[first++] + 5;
      else if (strcmp (argv[first], "--json") == 0)
        {
          ctx.json = TRUE;
          first++;
        }
      else if (strcmp (argv[first], "--help") == 0 || strcmp (argv[first], "-h") == 0)
        {
          print_usage (stdout, NULL);
          return 0;
        }
      else if (strcmp (argv[first], "--version") == 0)
        {
          printf ("rehearse-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        {
          fprintf (stderr, _("rehearse-cli: unknown option “%s”\n"), argv[first]);
          print_usage (stderr, NULL);
          return 2;
        }
    }

  if (first >= argc)
    {
      print_usage (stderr, NULL);
      return 2;
    }

  ctx.command = find_command (argc - first, argv + first, &consumed);
  if (ctx.command == NULL)
    {
      fprintf (stderr, _("rehearse-cli: unknown command “%s”\n"), argv[first]);
      print_usage (stderr, argv[first]);
      return 2;
    }

  /* handlers see argv[0] = the command path, then their own arguments */
  {
    int sub_argc = argc - first - consumed + 1;
    g_autofree char **sub_argv = g_new0 (char *, sub_argc + 1);

    sub_argv[0] = (char *) ctx.command->path;
    for (int i = 1; i < sub_argc; i++)
      sub_argv[i] = argv[first + consumed + i - 1];
    status = ctx.command->handler (&ctx, sub_argc, sub_argv);
  }

  g_clear_object (&ctx.collection);
  return status;
}

/**
 * rh_cli_parse:
 *
 * Parses a command's options with GOptionContext, which also gives every
 * command its --help.
 *
 * Returns: 0, or the exit status to return (2 for a usage error; -1 after
 *   --help, meaning "exit 0")
 */
int
rh_cli_parse (RhCliContext  *ctx,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv)
{
  g_autofree char *prgname = g_strdup_printf ("rehearse-cli %s", ctx->command->path);
  g_autoptr(GOptionContext) octx = g_option_context_new (ctx->command->args ? _(ctx->command->args)
                                                                            : NULL);
  g_autoptr(GError) error = NULL;

  /* GOptionContext names the program in its help from this: the command */
  g_set_prgname (prgname);
  g_option_context_set_summary (octx, _(ctx->command->summary));
  g_option_context_set_help_enabled (octx, TRUE);
  if (entries)
    g_option_context_add_main_entries (octx, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (octx, GETTEXT_PACKAGE);

  for (int i = 1; i < *argc; i++)
    if (strcmp ((*argv)[i], "--help") == 0 || strcmp ((*argv)[i], "-h") == 0)
      {
        g_autofree char *help = g_option_context_get_help (octx, TRUE, NULL);
        fputs (help, stdout);
        return -1;
      }

  if (!g_option_context_parse (octx, argc, argv, &error))
    {
      rh_cli_usage_error (ctx, error->message);
      return 2;
    }
  return 0;
}
