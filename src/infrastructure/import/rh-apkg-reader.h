// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-import-data.h"

G_BEGIN_DECLS

/* Refuse collections that unpack to more than this, as a zip bomb guard. */
#define RH_APKG_MAX_COLLECTION_BYTES ((guint64) 4 * 1024 * 1024 * 1024)

RhImportData *rh_apkg_read_file (const char           *path,
                                 GCancellable         *cancellable,
                                 RhImportProgressFunc  progress,
                                 gpointer              progress_data,
                                 GError              **error);

G_END_DECLS
