// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean rh_main_menu_find (GtkWidget       *root,
                            GtkMenuButton  **out_button,
                            GMenu          **out_model,
                            GtkPopoverMenu **out_popover);

G_END_DECLS
