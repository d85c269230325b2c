// SPDX-License-Identifier: GPL-3.0-or-later
/* The account in the main menu: signed out it offers to sign in, create
 * an account or continue with Google; signed in it shows the learner's
 * initials, name and address, and Sign Out. RhAuth runs on stand-ins for
 * the provider and the keyring. */
#define G_LOG_DOMAIN "test-ui-account"

#include "config.h"

#include <adwaita.h>

#include "rh-account-row.h"
#include "rh-auth.h"

#define TEST_SUB "5b0c7a1e-2f4d-4c39-9e4e-0d9a7c1b2f10"

#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider
{
  GObject parent_instance;
};

static RhIdClaims *
test_provider_read_id_token (RhAuthProvider  *provider,
                             const char      *id_token,
                             GError         **error)
{
  RhIdClaims *claims = g_new0 (RhIdClaims, 1);

  claims->sub = g_strdup (TEST_SUB);
  claims->email = g_strdup ("learner@example.com");
  claims->name = g_strdup ("Test Learner");
  return claims;
}

static char *
test_provider_dup_redirect_uri (RhAuthProvider *provider)
{
  return g_strdup ("io.github.rehearse:/oauth2/callback");
}

static void
test_provider_iface_init (RhAuthProviderInterface *iface)
{
  iface->read_id_token = test_provider_read_id_token;
  iface->dup_redirect_uri = test_provider_dup_redirect_uri;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider, test_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_AUTH_PROVIDER,
                                                      test_provider_iface_init))

static void
test_provider_class_init (TestProviderClass *klass)
{
}

static void
test_provider_init (TestProvider *self)
{
}

#define TEST_TYPE_SECRETS (test_secrets_get_type ())
G_DECLARE_FINAL_TYPE (TestSecrets, test_secrets, TEST, SECRETS, GObject)

struct _TestSecrets
{
  GObject parent_instance;
};

static char *
test_secrets_lookup (RhSecretRepository  *repository,
                     const char          *account,
                     RhSecretKind         kind,
                     gint64              *out_expires_at,
                     GCancellable        *cancellable,
                     GError             **error)
{
  return g_strdup ("stand-in token");
}

static void
test_secrets_iface_init (RhSecretRepositoryInterface *iface)
{
  iface->lookup = test_secrets_lookup;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSecrets, test_secrets, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_SECRET_REPOSITORY,
                                                      test_secrets_iface_init))

static void
test_secrets_class_init (TestSecretsClass *klass)
{
}

static void
test_secrets_init (TestSecrets *self)
{
}

/* Whether any section of @model has an item for @action. */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_strcmp0 (item_action, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found)
        return found;
    }
  return NULL;
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RhUser **out = user_data;

  *out = rh_auth_restore_finish (RH_AUTH (object), result, &error);
  g_assert_no_error (error);
}

static void
test_account_row (void)
{
  g_autoptr(TestProvider) provider = g_object_new (TEST_TYPE_PROVIDER, NULL);
  g_autoptr(TestSecrets) secrets = g_object_new (TEST_TYPE_SECRETS, NULL);
  g_autoptr(RhAuth) auth = rh_auth_new (RH_AUTH_PROVIDER (provider),
                                        RH_SECRET_REPOSITORY (secrets), NULL);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(RhUser) user = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkPopover *popover;
  AdwAvatar *avatar = NULL;

  g_menu_append (menu, "_Preferences", "app.preferences");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
  gtk_window_set_child (GTK_WINDOW (window), button);

  g_assert_true (rh_account_row_install (window, auth));
  /* once per menu */
  g_assert_true (rh_account_row_install (window, auth));
  g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (menu)), ==, 3);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));

  /* signed out */
  g_assert_true (menu_has_action (G_MENU_MODEL (menu), "app.sign-in"));
  g_assert_true (menu_has_action (G_MENU_MODEL (menu), "app.sign-up"));
  g_assert_true (menu_has_action (G_MENU_MODEL (menu), "app.sign-in-google"));
  g_assert_false (menu_has_action (G_MENU_MODEL (menu), "app.sign-out"));
  g_assert_true (menu_has_action (G_MENU_MODEL (menu), "app.preferences"));
  g_assert_nonnull (find_label (GTK_WIDGET (popover), "Not signed in"));

  /* signed in */
  rh_auth_restore_async (auth, TEST_SUB, NULL, restored_cb, &user);
  while (user == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (menu_has_action (G_MENU_MODEL (menu), "app.sign-out"));
  g_assert_false (menu_has_action (G_MENU_MODEL (menu), "app.sign-in"));
  g_assert_nonnull (find_label (GTK_WIDGET (popover), "Test Learner"));
  g_assert_nonnull (find_label (GTK_WIDGET (popover), "learner@example.com"));
  for (GtkWidget *w = GTK_WIDGET (find_label (GTK_WIDGET (popover), "Test Learner"));
       w != NULL && avatar == NULL; w = gtk_widget_get_parent (w))
    for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
      if (ADW_IS_AVATAR (c))
        avatar = ADW_AVATAR (c);
  g_assert_nonnull (avatar);
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, "Test Learner");
  g_assert_true (adw_avatar_get_show_initials (avatar));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/account-row", test_account_row);
  return g_test_run ();
}
