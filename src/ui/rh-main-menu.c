// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include "rh-main-menu.h"

static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * rh_main_menu_find:
 * @root: a window (or any widget) with a main menu
 * @out_button: (out): the primary #GtkMenuButton under @root
 * @out_model: (out): its menu, a #GMenu that can take more sections
 * @out_popover: (out): its popover, which can take custom children
 *
 * Finds the main menu that the account and the sync status go in (the
 * decks page's `primary_menu`).
 *
 * Returns: whether there is one, of that make
 */
gboolean
rh_main_menu_find (GtkWidget       *root,
                   GtkMenuButton  **out_button,
                   GMenu          **out_model,
                   GtkPopoverMenu **out_popover)
{
  GtkMenuButton *button;
  GMenuModel *model;
  GtkPopover *popover;

  g_return_val_if_fail (GTK_IS_WIDGET (root), FALSE);

  if (!(button = find_primary_menu_button (root)) ||
      !(model = gtk_menu_button_get_menu_model (button)) || !G_IS_MENU (model) ||
      !(popover = gtk_menu_button_get_popover (button)) || !GTK_IS_POPOVER_MENU (popover))
    return FALSE;
  *out_button = button;
  *out_model = G_MENU (model);
  *out_popover = GTK_POPOVER_MENU (popover);
  return TRUE;
}
