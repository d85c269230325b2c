// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-main-menu.h"

#include "rh-sync-status.h"

/* How often "Synced · 2 min ago" is brought up to date. */
#define REFRESH_S 30

/**
 * RhSyncStatus:
 *
 * What sync is doing, under the account in the main menu: "Synced · 2 min
 * ago", "Syncing… 40 %", offline (the changes are kept), or the error
 * with a Retry button. It only watches the engine, whose work runs in a
 * thread of its own: nothing here waits. Hidden without an engine (signed
 * out).
 */
struct _RhSyncStatus
{
  GtkBox        parent_instance;

  RhSyncEngine *engine;
  GtkStack     *icons;
  GtkSpinner   *spinner;
  GtkImage     *icon;
  GtkLabel     *label;
  GtkButton    *retry_button;
  guint         refresh_id;
};

G_DEFINE_FINAL_TYPE (RhSyncStatus, rh_sync_status, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* "Synced · 2 min ago", from when the last sync finished. */
static char *
format_synced (gint64 when_us)
{
  gint64 ago_s = (g_get_real_time () - when_us) / G_USEC_PER_SEC;
  g_autoptr(GDateTime) then = NULL;
  g_autofree char *date = NULL;

  if (when_us <= 0)
    return g_strdup (_("Synced"));
  if (ago_s < 60)
    return g_strdup (_("Synced · just now"));
  if (ago_s < 3600)
    return g_strdup_printf (ngettext ("Synced · %u min ago", "Synced · %u min ago",
                                      (gulong) (ago_s / 60)),
                            (guint) (ago_s / 60));
  if (ago_s < 24 * 3600)
    return g_strdup_printf (ngettext ("Synced · %u hour ago", "Synced · %u hours ago",
                                      (gulong) (ago_s / 3600)),
                            (guint) (ago_s / 3600));
  then = g_date_time_new_from_unix_local (when_us / G_USEC_PER_SEC);
  date = g_date_time_format (then, "%x");
  /* Translators: %s is a date */
  return g_strdup_printf (_("Synced · %s"), date);
}

static void
update (RhSyncStatus *self)
{
  RhSyncState state = self->engine ? rh_sync_engine_get_state (self->engine) : RH_SYNC_STATE_IDLE;
  const char *message = self->engine ? rh_sync_engine_get_message (self->engine) : NULL;
  const char *icon_name = "emblem-synchronizing-symbolic";
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), self->engine != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");

  switch (state)
    {
    case RH_SYNC_STATE_SYNCING:
      {
        double progress = rh_sync_engine_get_progress (self->engine);

        if (progress > 0.0)
          /* Translators: the share of the sync done so far */
          text = g_strdup_printf (_("Syncing… %.0f %%"), progress * 100.0);
        else
          text = g_strdup (_("Syncing…"));
      }
      break;

    case RH_SYNC_STATE_SYNCED:
      text = format_synced (rh_sync_engine_get_last_synced (self->engine));
      icon_name = "emblem-ok-symbolic";
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "success");
      break;

    case RH_SYNC_STATE_OFFLINE:
      text = g_strdup (_("Offline — changes are kept and will sync later"));
      icon_name = "network-offline-symbolic";
      break;

    case RH_SYNC_STATE_ERROR:
      if (message != NULL && *message != '\0')
        /* Translators: %s says why */
        text = g_strdup_printf (_("Sync failed: %s"), message);
      else
        text = g_strdup (_("Sync failed"));
      icon_name = "dialog-warning-symbolic";
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "error");
      break;

    case RH_SYNC_STATE_IDLE:
    default:
      text = g_strdup (_("Not synced yet"));
      break;
    }

  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_spinner_set_spinning (self->spinner, state == RH_SYNC_STATE_SYNCING);
  gtk_stack_set_visible_child (self->icons, state == RH_SYNC_STATE_SYNCING
                                            ? GTK_WIDGET (self->spinner)
                                            : GTK_WIDGET (self->icon));
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state == RH_SYNC_STATE_ERROR);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

static gboolean
refresh_cb (gpointer data)
{
  update (RH_SYNC_STATUS (data));
  return G_SOURCE_CONTINUE;
}

/* "Synced · 5 min ago" moves on while it is on show, and only then */
static void
rh_sync_status_map (GtkWidget *widget)
{
  RhSyncStatus *self = RH_SYNC_STATUS (widget);

  GTK_WIDGET_CLASS (rh_sync_status_parent_class)->map (widget);
  update (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_S, refresh_cb, self);
}

static void
rh_sync_status_unmap (GtkWidget *widget)
{
  RhSyncStatus *self = RH_SYNC_STATUS (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (rh_sync_status_parent_class)->unmap (widget);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RhSyncStatus *self = RH_SYNC_STATUS (widget);

  if (self->engine != NULL)
    rh_sync_engine_request_sync (self->engine);
}

static void
rh_sync_status_dispose (GObject *object)
{
  RhSyncStatus *self = RH_SYNC_STATUS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  rh_sync_status_set_engine (self, NULL);

  G_OBJECT_CLASS (rh_sync_status_parent_class)->dispose (object);
}

static void
rh_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RhSyncStatus *self = RH_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RhSyncStatus *self = RH_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      rh_sync_status_set_engine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_sync_status_class_init (RhSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_sync_status_dispose;
  object_class->get_property = rh_sync_status_get_property;
  object_class->set_property = rh_sync_status_set_property;
  widget_class->map = rh_sync_status_map;
  widget_class->unmap = rh_sync_status_unmap;

  /**
   * RhSyncStatus:engine: (nullable)
   *
   * The signed-in account's sync engine; %NULL hides the status.
   */
  properties [PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, RH_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "sync-status.retry", NULL, retry_action);
  gtk_widget_class_set_css_name (widget_class, "rhsyncstatus");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
rh_sync_status_init (RhSyncStatus *self)
{
  GtkWidget *box = GTK_WIDGET (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  /* the icon lines up with the account's avatar above */
  self->icons = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->icons), 32, -1);
  gtk_widget_set_valign (GTK_WIDGET (self->icons), GTK_ALIGN_CENTER);
  self->icon = GTK_IMAGE (gtk_image_new ());
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_stack_add_child (self->icons, GTK_WIDGET (self->icon));
  gtk_stack_add_child (self->icons, GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->icons));

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (self->label, 30);
  gtk_label_set_width_chars (self->label, 20);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->label), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));

  self->retry_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Retry")));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "sync-status.retry");
  gtk_widget_set_valign (GTK_WIDGET (self->retry_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button), _("Sync again now"));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->retry_button));

  update (self);
}

/**
 * rh_sync_status_new:
 *
 * Returns: (transfer floating): the status, hidden until it has an engine
 */
GtkWidget *
rh_sync_status_new (void)
{
  return g_object_new (RH_TYPE_SYNC_STATUS, NULL);
}

/**
 * rh_sync_status_get_engine:
 *
 * Returns: (transfer none) (nullable): the engine shown
 */
RhSyncEngine *
rh_sync_status_get_engine (RhSyncStatus *self)
{
  g_return_val_if_fail (RH_IS_SYNC_STATUS (self), NULL);

  return self->engine;
}

/**
 * rh_sync_status_set_engine:
 * @engine: (nullable): the engine to show; %NULL when signed out
 */
void
rh_sync_status_set_engine (RhSyncStatus *self,
                           RhSyncEngine *engine)
{
  g_return_if_fail (RH_IS_SYNC_STATUS (self));
  g_return_if_fail (engine == NULL || RH_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::progress", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::message", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::last-synced",
                                G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENGINE]);
}

/**
 * rh_sync_status_get_text:
 *
 * Returns: (transfer none): what the status says now
 */
const char *
rh_sync_status_get_text (RhSyncStatus *self)
{
  g_return_val_if_fail (RH_IS_SYNC_STATUS (self), NULL);

  return gtk_label_get_label (self->label);
}

/**
 * rh_sync_status_install:
 * @root: a window (or any widget) whose main menu gets the status
 * @status: (transfer floating): the status
 *
 * Puts @status in the main menu, under the account
 * (rh_account_row_install(), called first), or on top of the menu when
 * there is no account row.
 *
 * Returns: whether a main menu was found
 */
gboolean
rh_sync_status_install (GtkWidget    *root,
                        RhSyncStatus *status)
{
  GtkMenuButton *button;
  GMenu *model;
  GtkPopoverMenu *popover;
  g_autoptr(GMenuModel) account_section = NULL;
  g_autoptr(GMenuItem) item = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (root), FALSE);
  g_return_val_if_fail (RH_IS_SYNC_STATUS (status), FALSE);

  g_object_ref_sink (status);
  if (!rh_main_menu_find (root, &button, &model, &popover) ||
      g_object_get_data (G_OBJECT (button), "rh-sync-status") != NULL)
    {
      g_object_unref (status);
      return FALSE;
    }

  item = g_menu_item_new (NULL, NULL);
  g_menu_item_set_attribute (item, "custom", "s", "sync-status");
  /* in the account's own section: no separator between the two */
  if (g_object_get_data (G_OBJECT (button), "rh-account-row") != NULL &&
      g_menu_model_get_n_items (G_MENU_MODEL (model)) > 0 &&
      (account_section = g_menu_model_get_item_link (G_MENU_MODEL (model), 0,
                                                     G_MENU_LINK_SECTION)) &&
      G_IS_MENU (account_section))
    g_menu_append_item (G_MENU (account_section), item);
  else
    {
      g_autoptr(GMenu) section = g_menu_new ();

      g_menu_append_item (section, item);
      g_menu_prepend_section (model, NULL, G_MENU_MODEL (section));
    }
  if (!gtk_popover_menu_add_child (popover, GTK_WIDGET (status), "sync-status"))
    g_warning ("The sync status could not be put in the main menu");
  g_object_set_data (G_OBJECT (button), "rh-sync-status", status);
  g_object_unref (status);
  return TRUE;
}
