// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void rh_restore_dialog_present (GtkWindow  *parent,
                                const char *collection_path,
                                gboolean    synced);

G_END_DECLS
