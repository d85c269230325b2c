// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *rh_id_new      (void);
char     *rh_id_new_at   (gint64       time_us);
gboolean  rh_id_is_valid (const char  *id);
gboolean  rh_id_validate (const char  *id,
                          GError     **error);

G_END_DECLS
