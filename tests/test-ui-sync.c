// SPDX-License-Identifier: GPL-3.0-or-later
/* The sync status against the contract server (tests/server) on loopback:
 * a change, Sync Now, "Synced"; a failing server, the error and a Retry
 * button; the server gone, offline. The engine is the app's
 * (rh_composition_new_sync_engine()) with a token from the test provider.
 * Exits 77 (skipped) without node or the server's packages.
 *
 * RH_SCREENSHOT_DIR=DIR saves the status, light and dark, synced and
 * failed, as PNG files there. */
#define G_LOG_DOMAIN "test-ui-sync"

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "rh-composition.h"
#include "rh-fixed-token-source.h"
#include "rh-sync-status.h"
#include "rh-test-server.h"
#include "rh-test-util.h"
#include "rh-ui-test-util.h"

/* ---- helpers ---- */

/* The engine's sync finished, and the widget's own notify handlers (run
 * before ::finished) have shown it. */
static void
wait_shown (RhSyncEngine *engine)
{
  wait_finished (engine);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
is_button_on_show (GtkWidget     *widget,
                   gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_is_visible (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
has_visible_button (GtkWidget  *widget,
                    const char *label)
{
  return find_widget (widget, is_button_on_show, label) != NULL;
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *dir = g_getenv ("RH_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

static void
screenshots (GtkWidget  *window,
             const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("sync-status-%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("sync-status-%s-dark.png", name);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_screenshot (window, light);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (window, dark);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
record_text_cb (RhSyncEngine *engine,
                GParamSpec   *pspec,
                RhSyncStatus *status)
{
  GPtrArray *seen = g_object_get_data (G_OBJECT (status), "seen");

  g_ptr_array_add (seen, g_strdup (rh_sync_status_get_text (status)));
}

/* ---- tests ---- */

/* In the main menu, under the account; hidden without an engine. */
static void
test_install (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *status = rh_sync_status_new ();
  GtkWidget *parent;

  g_menu_append (menu, "_Preferences", "app.preferences");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
  gtk_window_set_child (GTK_WINDOW (window), button);

  g_assert_true (rh_sync_status_install (window, RH_SYNC_STATUS (status)));
  g_assert_false (rh_sync_status_install (window, RH_SYNC_STATUS (rh_sync_status_new ())));
  g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (menu)), ==, 2);
  for (parent = status; parent != NULL && !GTK_IS_POPOVER (parent);
       parent = gtk_widget_get_parent (parent))
    ;
  g_assert_true (parent == GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));
  g_assert_false (gtk_widget_get_visible (status));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_status (RhFixture     *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhTokenSource) tokens = NULL;
  g_autofree char *access_token = login (0);
  g_autoptr(RhSyncEngine) engine = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  GtkWidget *window;
  RhSyncStatus *status;
  const char *text;
  GPtrArray *seen = g_ptr_array_new_with_free_func (g_free);

  tokens = rh_fixed_token_source_new (access_token, server->sub[0], NULL);
  engine = rh_composition_new_sync_engine (f->path, tokens, server->api,
                                           &error);
  g_assert_no_error (error);
  rh_sync_engine_set_retry_policy (engine, 2, 10, 50);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 320, -1);
  status = RH_SYNC_STATUS (rh_sync_status_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (status));
  gtk_window_present (GTK_WINDOW (window));

  rh_sync_status_set_engine (status, engine);
  /* after the status's own handler: what it said at each step */
  g_signal_connect (engine, "notify::state", G_CALLBACK (record_text_cb), status);
  g_object_set_data_full (G_OBJECT (status), "seen", seen, (GDestroyNotify) g_ptr_array_unref);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpstr (rh_sync_status_get_text (status), ==, "Not synced yet");

  /* a change, and Sync Now */
  deck = rh_fixture_deck (f, "Travel");
  card = rh_fixture_card (f, deck, "a receipt", "a paper that shows you have paid");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (status), "sync-status.retry", NULL));
  wait_shown (engine);
  g_assert_cmpuint (seen->len, >, 0);
  g_assert_true (g_str_has_prefix (seen->pdata[0], "Syncing…"));
  g_assert_cmpint (rh_sync_engine_get_state (engine), ==, RH_SYNC_STATE_SYNCED);
  g_assert_cmpuint (rh_sync_engine_get_last_summary (engine)->pushed, >=, 2);
  g_assert_cmpstr (rh_sync_status_get_text (status), ==, "Synced · just now");
  g_assert_false (has_visible_button (GTK_WIDGET (status), "_Retry"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (status)), ==, "Synced · just now");
  screenshots (window, "synced");

  /* the server fails: the error, and Retry */
  set_faults ("{\"fail_next\": 5}");
  rh_sync_engine_request_sync (engine);
  wait_shown (engine);
  g_assert_cmpint (rh_sync_engine_get_state (engine), ==, RH_SYNC_STATE_ERROR);
  text = rh_sync_status_get_text (status);
  g_test_message ("error: %s", text);
  g_assert_true (g_str_has_prefix (text, "Sync failed: "));
  g_assert_cmpstr (text + strlen ("Sync failed: "), ==, rh_sync_engine_get_message (engine));
  g_assert_true (has_visible_button (GTK_WIDGET (status), "_Retry"));
  screenshots (window, "error");

  /* Retry, with the server well again */
  set_faults ("{\"fail_next\": 0}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (status), "sync-status.retry", NULL));
  wait_shown (engine);
  g_assert_cmpstr (rh_sync_status_get_text (status), ==, "Synced · just now");
  g_assert_false (has_visible_button (GTK_WIDGET (status), "_Retry"));

  /* the server gone: offline, and the change kept */
  server_stop ();
  {
    g_autoptr(RhFlashcard) more = rh_fixture_card (f, deck, "to put off", "to delay");
  }
  rh_sync_engine_request_sync (engine);
  wait_shown (engine);
  g_assert_cmpint (rh_sync_engine_get_state (engine), ==, RH_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (rh_sync_status_get_text (status), ==,
                   "Offline — changes are kept and will sync later");
  g_assert_false (has_visible_button (GTK_WIDGET (status), "_Retry"));
  screenshots (window, "offline");

  /* signed out: hidden */
  g_signal_handlers_disconnect_by_func (engine, record_text_cb, status);
  rh_sync_status_set_engine (status, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *why = NULL;
  int status;

  /* The expected texts are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() keeps the C locale, whose ASCII would turn "…" and
   * "·" into "?" */
  setlocale (LC_ALL, "C.UTF-8");
  adw_init ();

  why = server_start ();
  if (why != NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }

  g_test_add_func ("/ui/sync-status/install", test_install);
  g_test_add ("/ui/sync-status/states", RhFixture, NULL, rh_fixture_setup, test_status,
              rh_fixture_teardown);
  status = g_test_run ();
  server_stop ();
  return status;
}
