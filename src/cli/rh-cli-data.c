// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rh-apkg-reader.h"
#include "rh-backups.h"
#include "rh-cli.h"
#include "rh-composition.h"
#include "rh-csv-reader.h"
#include "rh-domain-error.h"
#include "rh-import-data.h"
#include "rh-json-backup.h"

/**
 * rh_cli_read_import_file:
 *
 * Picks the reader by the file's extension.
 *
 * Returns: (transfer full) (nullable): what the file holds
 */
static RhImportData *
read_import_file (const char  *path,
                  GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".apkg") || g_str_has_suffix (lower, ".colpkg"))
    return rh_apkg_read_file (path, NULL, NULL, NULL, error);

  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv") ||
      g_str_has_suffix (lower, ".txt"))
    {
      RhCsvOptions options;
      rh_csv_options_init (&options);
      if (g_str_has_suffix (lower, ".tsv"))
        options.delimiter = '\t';
      return rh_csv_read_file (path, &options, NULL, NULL, NULL, error);
    }

  g_set_error (error, RH_IMPORT_ERROR, RH_IMPORT_ERROR_UNSUPPORTED,
               _("“%s” is not a file Rehearse can import: use .csv, .tsv, .txt, .apkg or a .json backup"),
               path);
  return NULL;
}

static void
add_count (JsonBuilder *b,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* Restores a full backup; the ids it brings are kept. */
static int
import_backup (RhCliContext *ctx,
               const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) in = NULL;
  RhJsonBackupResult result = { 0 };
  RhCollection *coll;

  if (!(in = g_file_read (file, NULL, &error)))
    return rh_cli_fail (error);
  OPEN_OR_RETURN (ctx, coll);
  if (!rh_json_backup_read (coll, G_INPUT_STREAM (in), &result, NULL, &error))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      add_count (b, "decks_added", result.decks_added);
      add_count (b, "decks_skipped", result.decks_skipped);
      add_count (b, "cards_added", result.cards_added);
      add_count (b, "cards_skipped", result.cards_skipped);
      add_count (b, "reviews_added", result.reviews_added);
      add_count (b, "reviews_skipped", result.reviews_skipped);
      add_count (b, "sessions_added", result.sessions_added);
      add_count (b, "sessions_skipped", result.sessions_skipped);
      add_count (b, "scenarios_added", result.scenarios_added);
      add_count (b, "scenarios_skipped", result.scenarios_skipped);
      json_builder_set_member_name (b, "profile_restored");
      json_builder_add_boolean_value (b, result.profile_restored);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      rh_cli_print_json (root);
    }
  else
    printf (_("Restored %u decks, %u cards, %u reviews, %u sessions and %u scenarios; "
              "skipped %u cards and %u reviews already in the collection\n"),
            result.decks_added, result.cards_added, result.reviews_added, result.sessions_added,
            result.scenarios_added, result.cards_skipped, result.reviews_skipped);
  return 0;
}

int
rh_cli_import (RhCliContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhImportData) data = NULL;
  g_autofree char *deck = NULL;
  RhImportResult result = { 0 };
  RhCollection *coll;
  int status;
  GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck,
      N_("The deck for cards the file puts in no deck (default “Imported”)"), N_("NAME") },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    return status < 0 ? 0 : status;
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give the file to import"));
      return 2;
    }

  if (rh_json_backup_is_backup_path (argv[1]))
    return import_backup (ctx, argv[1]);

  if (!(data = read_import_file (argv[1], &error)))
    return rh_cli_fail (error);
  OPEN_OR_RETURN (ctx, coll);
  if (!rh_collection_import (coll, data, deck, &result, NULL, &error))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "added");
      json_builder_add_int_value (b, result.added);
      json_builder_set_member_name (b, "duplicates");
      json_builder_add_int_value (b, result.duplicates);
      json_builder_set_member_name (b, "decks_created");
      json_builder_add_int_value (b, result.decks_created);
      json_builder_set_member_name (b, "reviews");
      json_builder_add_int_value (b, result.reviews);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      rh_cli_print_json (root);
    }
  else
    printf (_("Added %u cards, skipped %u duplicates, created %u decks, kept %u reviews\n"),
            result.added, result.duplicates, result.decks_created, result.reviews);
  return 0;
}

int
rh_cli_export (RhCliContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autofree char *deck_name = NULL;
  RhCollection *coll;
  gboolean backup;
  int status;
  GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck_name, N_("Only this deck"), N_("DECK") },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    return status < 0 ? 0 : status;
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give the file to write"));
      return 2;
    }
  backup = rh_json_backup_is_backup_path (argv[1]);
  OPEN_OR_RETURN (ctx, coll);

  if (deck_name && !(deck = rh_collection_find_deck (coll, deck_name, &error)))
    return rh_cli_fail (error);

  if (backup && deck)
    {
      rh_cli_usage_error (ctx, _("A JSON backup holds every deck: leave out --deck"));
      return 2;
    }

  /* written beside the target and moved into place when complete, so a
   * failed export never leaves half a file under the name asked for */
  file = g_file_new_for_commandline_arg (argv[1]);
  if (!(out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error)))
    return rh_cli_fail (error);
  if (backup ? !rh_json_backup_write (coll, G_OUTPUT_STREAM (out), NULL, &error)
             : !rh_collection_export_csv (coll, G_OUTPUT_STREAM (out),
                                          deck ? rh_deck_get_id (deck) : NULL, NULL, &error))
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      return rh_cli_fail (error);
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
    return rh_cli_fail (error);
  return 0;
}

static char *
collection_path (RhCliContext *ctx)
{
  return ctx->db_path ? g_strdup (ctx->db_path) : rh_composition_default_path ();
}

int
rh_cli_backup_list (RhCliContext  *ctx,
                    int            argc,
                    char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = collection_path (ctx);
  g_autofree char *dir = rh_backups_dir_for (path);
  g_autoptr(GPtrArray) list = NULL;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (!(list = rh_backups_list (dir, &error)))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();
      for (guint i = 0; i < list->len; i++)
        json_array_add_string_element (array, list->pdata[i]);
      json_node_set_array (root, array);
      rh_cli_print_json (root);
      return 0;
    }
  for (guint i = 0; i < list->len; i++)
    printf ("%s\n", (const char *) list->pdata[i]);
  return 0;
}

int
rh_cli_backup_create (RhCliContext  *ctx,
                      int            argc,
                      char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = collection_path (ctx);
  g_autofree char *dir = rh_backups_dir_for (path);
  g_autofree char *made = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  OPEN_OR_RETURN (ctx, coll);
  if (!(made = rh_backups_make (coll, dir, g_get_real_time (), &error)))
    return rh_cli_fail (error);
  if (ctx->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (root, made);
      rh_cli_print_json (root);
    }
  else
    printf ("%s\n", made);
  return 0;
}

int
rh_cli_backup_restore (RhCliContext  *ctx,
                       int            argc,
                       char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = collection_path (ctx);
  g_autofree char *dir = rh_backups_dir_for (path);
  g_autofree char *backup = NULL;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give the backup to restore"));
      return 2;
    }

  /* a bare name means one of this collection's backups */
  backup = strchr (argv[1], G_DIR_SEPARATOR) ? g_strdup (argv[1])
                                             : g_build_filename (dir, argv[1], NULL);
  if (!g_file_test (backup, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no backup “%s”"),
                   argv[1]);
      return rh_cli_fail (error);
    }
  if (!rh_backups_restore (path, backup, &error))
    return rh_cli_fail (error);
  if (!ctx->json)
    printf (_("Restored the collection from %s\n"), backup);
  return 0;
}
