// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-collection.h"

G_BEGIN_DECLS

/* What the document says it is; a reader refuses any other name, and any
 * version newer than the one it knows. */
#define RH_JSON_BACKUP_FORMAT  "rehearse-backup"
#define RH_JSON_BACKUP_VERSION 1

#define RH_JSON_BACKUP_ERROR (rh_json_backup_error_quark ())

/**
 * RhJsonBackupError:
 * @RH_JSON_BACKUP_ERROR_SYNTAX: the file is not JSON (or is cut short)
 * @RH_JSON_BACKUP_ERROR_FORMAT: it is JSON, but not a Rehearse backup, or
 *   one from a newer version
 * @RH_JSON_BACKUP_ERROR_INVALID: a value in it is wrong; the message names
 *   the place ("cards[12].front: …")
 */
typedef enum
{
  RH_JSON_BACKUP_ERROR_SYNTAX,
  RH_JSON_BACKUP_ERROR_FORMAT,
  RH_JSON_BACKUP_ERROR_INVALID,
} RhJsonBackupError;

GQuark rh_json_backup_error_quark (void);

/**
 * RhJsonBackupResult:
 *
 * What a restore added, and what it skipped because the collection
 * already had a row with the same id (or, for decks, the same name; for
 * bundled scenarios, the same key).
 */
typedef struct
{
  guint    decks_added;
  guint    decks_skipped;
  guint    cards_added;
  guint    cards_skipped;
  guint    reviews_added;
  guint    reviews_skipped;
  guint    sessions_added;
  guint    sessions_skipped;
  guint    scenarios_added;
  guint    scenarios_skipped;
  gboolean profile_restored;
} RhJsonBackupResult;

gboolean rh_json_backup_write (RhCollection        *collection,
                               GOutputStream       *out,
                               GCancellable        *cancellable,
                               GError             **error);
gboolean rh_json_backup_read  (RhCollection        *collection,
                               GInputStream        *in,
                               RhJsonBackupResult  *out,
                               GCancellable        *cancellable,
                               GError             **error);
gboolean rh_json_backup_is_backup_path (const char *path);

G_END_DECLS
