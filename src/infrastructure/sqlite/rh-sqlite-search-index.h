// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-sqlite-database.h"

G_BEGIN_DECLS

gboolean rh_sqlite_search_index_add       (RhSqliteDatabase  *db,
                                           gint64             seq,
                                           const char        *front,
                                           const char        *back,
                                           const char        *notes,
                                           const char        *example,
                                           const char        *tags,
                                           GError           **error);
gboolean rh_sqlite_search_index_add_after (RhSqliteDatabase  *db,
                                           gint64             after_seq,
                                           GError           **error);

G_END_DECLS
