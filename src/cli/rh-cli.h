// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "rh-collection.h"

G_BEGIN_DECLS

typedef struct _RhCliContext RhCliContext;
typedef int (*RhCliHandler) (RhCliContext *ctx,
                             int           argc,
                             char        **argv);

typedef struct
{
  const char   *path;
  const char   *args;
  const char   *summary;
  RhCliHandler  handler;
} RhCliCommand;

struct _RhCliContext
{
  const char         *db_path;
  gboolean            json;
  const RhCliCommand *command;
  RhCollection       *collection;
};

RhCollection *rh_cli_open         (RhCliContext  *ctx,
                                   GError       **error);
int           rh_cli_parse        (RhCliContext  *ctx,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv);
void          rh_cli_usage_error  (RhCliContext  *ctx,
                                   const char    *message);
void          rh_cli_print_error  (const GError  *error);
void          rh_cli_print_json   (JsonNode      *node);

#define PARSE_OR_RETURN(ctx, entries, argc, argv)             \
  G_STMT_START {                                              \
    int _s = rh_cli_parse (ctx, entries, &argc, &argv);       \
    if (_s != 0)                                              \
      return _s < 0 ? 0 : _s;                                 \
  } G_STMT_END

#define OPEN_OR_RETURN(ctx, coll)                             \
  G_STMT_START {                                              \
    g_autoptr(GError) _e = NULL;                              \
    if (!(coll = rh_cli_open (ctx, &_e)))                     \
      {                                                       \
        rh_cli_print_error (_e);                              \
        return 1;                                             \
      }                                                       \
  } G_STMT_END

JsonNode *rh_cli_card_to_json (RhFlashcard *card);
int       rh_cli_fail         (const GError *error);

int rh_cli_deck_list      (RhCliContext *ctx, int argc, char **argv);
int rh_cli_deck_add       (RhCliContext *ctx, int argc, char **argv);
int rh_cli_deck_rename    (RhCliContext *ctx, int argc, char **argv);
int rh_cli_deck_rm        (RhCliContext *ctx, int argc, char **argv);
int rh_cli_card_add       (RhCliContext *ctx, int argc, char **argv);
int rh_cli_card_edit      (RhCliContext *ctx, int argc, char **argv);
int rh_cli_card_rm        (RhCliContext *ctx, int argc, char **argv);
int rh_cli_card_list      (RhCliContext *ctx, int argc, char **argv);
int rh_cli_card_search    (RhCliContext *ctx, int argc, char **argv);
int rh_cli_fsrs_replay    (RhCliContext *ctx, int argc, char **argv);
int rh_cli_study_next     (RhCliContext *ctx, int argc, char **argv);
int rh_cli_study_answer   (RhCliContext *ctx, int argc, char **argv);
int rh_cli_study_undo     (RhCliContext *ctx, int argc, char **argv);
int rh_cli_import         (RhCliContext *ctx, int argc, char **argv);
int rh_cli_export         (RhCliContext *ctx, int argc, char **argv);
int rh_cli_stats          (RhCliContext *ctx, int argc, char **argv);
int rh_cli_backup_list    (RhCliContext *ctx, int argc, char **argv);
int rh_cli_backup_create  (RhCliContext *ctx, int argc, char **argv);
int rh_cli_backup_restore (RhCliContext *ctx, int argc, char **argv);
int rh_cli_scenario_list     (RhCliContext *ctx, int argc, char **argv);
int rh_cli_scenario_show     (RhCliContext *ctx, int argc, char **argv);
int rh_cli_scenario_practice (RhCliContext *ctx, int argc, char **argv);
int rh_cli_account_login       (RhCliContext *ctx, int argc, char **argv);
int rh_cli_account_logout      (RhCliContext *ctx, int argc, char **argv);
int rh_cli_account_status      (RhCliContext *ctx, int argc, char **argv);
int rh_cli_account_bring_local (RhCliContext *ctx, int argc, char **argv);
char *rh_cli_account_collection_path (void);
int rh_cli_sync                (RhCliContext *ctx, int argc, char **argv);

G_END_DECLS
