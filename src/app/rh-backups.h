// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_BACKUPS_KEEP 14

char      *rh_backups_dir_for     (const char    *collection_path);
char      *rh_backups_make        (RhCollection  *collection,
                                   const char    *dir,
                                   gint64         now_us,
                                   GError       **error);
char      *rh_backups_run_daily   (RhCollection  *collection,
                                   const char    *dir,
                                   gint64         now_us,
                                   GError       **error);
GPtrArray *rh_backups_list        (const char    *dir,
                                   GError       **error);
GDateTime *rh_backups_get_time    (const char    *path);
char      *rh_backups_describe    (const char    *path);
gboolean   rh_backups_restore     (const char    *collection_path,
                                   const char    *backup_path,
                                   GError       **error);
gboolean   rh_backups_restore_into (RhCollection *collection,
                                    const char   *backup_path,
                                    GError      **error);

G_END_DECLS
