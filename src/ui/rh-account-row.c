// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-main-menu.h"

#include "rh-account-row.h"

/**
 * RhAccountRow:
 *
 * The account at the top of the main menu: the learner's avatar (their
 * initials), name and e-mail address when signed in, "Not signed in"
 * otherwise. The menu items next to it (Sign In…, Create Account…,
 * Continue with Google…, or Sync Now and Sign Out) follow #RhAuth:user.
 */
struct _RhAccountRow
{
  GtkBox     parent_instance;

  RhAuth    *auth;
  AdwAvatar *avatar;
  GtkLabel  *title;
  GtkLabel  *subtitle;
  GMenu     *items;
};

G_DEFINE_FINAL_TYPE (RhAccountRow, rh_account_row, GTK_TYPE_BOX)

static void
update (RhAccountRow *self)
{
  RhUser *user = self->auth ? rh_auth_get_user (self->auth) : NULL;
  g_autoptr(GMenuItem) item = NULL;

  g_menu_remove_all (self->items);
  if (user == NULL)
    {
      adw_avatar_set_text (self->avatar, NULL);
      adw_avatar_set_show_initials (self->avatar, FALSE);
      gtk_label_set_label (self->title, _("Not signed in"));
      gtk_label_set_label (self->subtitle, _("Sign in to sync your cards"));
      g_menu_append (self->items, _("_Sign In…"), "app.sign-in");
      g_menu_append (self->items, _("_Create Account…"), "app.sign-up");
      g_menu_append (self->items, _("Continue with _Google…"), "app.sign-in-google");
    }
  else
    {
      const RhEmail *email = rh_user_get_email (user);
      const char *address = email ? rh_email_get_address (email) : NULL;
      const char *name = rh_user_get_display_name (user);

      /* the initial comes from the name, or else the address */
      adw_avatar_set_text (self->avatar, name ? name : address);
      adw_avatar_set_show_initials (self->avatar, TRUE);
      gtk_label_set_label (self->title, name ? name : address ? address : _("Signed in"));
      gtk_label_set_label (self->subtitle, name && address ? address : "");
      g_menu_append (self->items, _("Sync _Now"), "app.sync-now");
      g_menu_append (self->items, _("Sign _Out"), "app.sign-out");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle),
                          *gtk_label_get_label (self->subtitle) != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->title), -1);
}

static void
user_changed_cb (RhAccountRow *self)
{
  update (self);
}

static void
rh_account_row_dispose (GObject *object)
{
  RhAccountRow *self = (RhAccountRow *)object;

  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (rh_account_row_parent_class)->dispose (object);
}

static void
rh_account_row_class_init (RhAccountRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rh_account_row_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "rhaccountrow");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rh_account_row_init (RhAccountRow *self)
{
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);

  self->avatar = ADW_AVATAR (adw_avatar_new (32, NULL, FALSE));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->avatar));

  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  self->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle, 0);
  gtk_label_set_ellipsize (self->subtitle, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "dim-label");
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->subtitle));
  gtk_box_append (GTK_BOX (self), labels);

  self->items = g_menu_new ();
}

/**
 * rh_account_row_new:
 * @auth: the sign-in use case
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
rh_account_row_new (RhAuth *auth)
{
  RhAccountRow *self;

  g_return_val_if_fail (RH_IS_AUTH (auth), NULL);

  self = g_object_new (RH_TYPE_ACCOUNT_ROW, NULL);
  self->auth = g_object_ref (auth);
  g_signal_connect_swapped (auth, "notify::user", G_CALLBACK (user_changed_cb), self);
  update (self);
  return GTK_WIDGET (self);
}

/**
 * rh_account_row_install:
 * @root: a window (or any widget) whose main menu gets the account
 * @auth: the sign-in use case
 *
 * Puts the account, and the items that sign in or out, at the top of the
 * main menu: the primary #GtkMenuButton under @root, whose menu model is a
 * #GMenu (the decks page's `primary_menu`).
 *
 * Returns: whether a main menu was found
 */
gboolean
rh_account_row_install (GtkWidget *root,
                        RhAuth    *auth)
{
  GtkMenuButton *button;
  GMenu *model;
  GtkPopoverMenu *popover;
  RhAccountRow *row;
  g_autoptr(GMenu) row_section = NULL;
  g_autoptr(GMenuItem) row_item = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (root), FALSE);
  g_return_val_if_fail (RH_IS_AUTH (auth), FALSE);

  if (!rh_main_menu_find (root, &button, &model, &popover))
    {
      g_debug ("No main menu to put the account in");
      return FALSE;
    }
  if (g_object_get_data (G_OBJECT (button), "rh-account-row") != NULL)
    return TRUE;

  row = RH_ACCOUNT_ROW (rh_account_row_new (auth));
  row_section = g_menu_new ();
  row_item = g_menu_item_new (NULL, NULL);
  g_menu_item_set_attribute (row_item, "custom", "s", "account");
  g_menu_append_item (row_section, row_item);
  /* the items first, so that the row's section ends up on top */
  g_menu_prepend_section (model, NULL, G_MENU_MODEL (row->items));
  g_menu_prepend_section (model, NULL, G_MENU_MODEL (row_section));
  if (!gtk_popover_menu_add_child (popover, GTK_WIDGET (row), "account"))
    g_warning ("The account could not be put in the main menu");
  g_object_set_data (G_OBJECT (button), "rh-account-row", row);
  return TRUE;
}
