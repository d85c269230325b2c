// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void rh_discard_dialog_present (GtkWindow  *editor,
                                const char *body,
                                gboolean   *may_close);

G_END_DECLS
