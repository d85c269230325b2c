// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_TYPE_IMPORT_DIALOG (rh_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RhImportDialog, rh_import_dialog, RH, IMPORT_DIALOG, AdwWindow)

void rh_import_dialog_run (GtkWindow    *parent,
                           RhCollection *collection,
                           const char   *collection_path,
                           GCallback     done_cb,
                           gpointer      user_data);
void rh_import_dialog_run_file (GtkWindow  *parent,
                                const char *collection_path,
                                GFile      *file,
                                GCallback   done_cb,
                                gpointer    user_data);
void rh_export_dialog_run (GtkWindow    *parent,
                           RhCollection *collection,
                           const char   *collection_path);

/* Internal: the work the dialogs do on their worker thread, for tests. */

typedef enum
{
  RH_IMPORT_STAGE_READING,
  RH_IMPORT_STAGE_ADDING,
} RhImportStage;

/* @fraction is between 0 and 1 while reading and while adding cards; -1
 * while adding what has no measure (a backup's restore). */
typedef void (*RhImportStageFunc) (RhImportStage stage,
                                   double        fraction,
                                   gpointer      user_data);

gboolean _rh_import_run_sync (const char         *collection_path,
                              const char         *file_path,
                              const char         *default_deck,
                              GCancellable       *cancellable,
                              RhImportStageFunc   progress,
                              gpointer            progress_data,
                              RhImportResult     *out_result,
                              guint              *out_skipped,
                              GError            **error);
gboolean _rh_export_run_sync (const char         *collection_path,
                              GFile              *file,
                              GCancellable       *cancellable,
                              GError            **error);

G_END_DECLS
