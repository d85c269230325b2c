// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-application.h"
#include "rh-backups.h"
#include "rh-card-browser.h"
#include "rh-card-editor.h"
#include "rh-decks-page.h"
#include "rh-import-dialog.h"
#include "rh-restore-dialog.h"
#include "rh-scenario-library-page.h"
#include "rh-scenario-practice-page.h"
#include "rh-scenario-results-page.h"
#include "rh-stats-page.h"
#include "rh-study-page.h"
#include "rh-window.h"

/* How long the “Answered” toast offers its Undo button. */
#define ANSWER_TOAST_S 4

struct _RhWindow
{
  AdwApplicationWindow  parent_instance;

  RhCollection         *collection;
  char                 *collection_path;
  const RhDecksSnapshot *snapshot;  /* only while constructing */
  GSettings            *settings;

  /* the pages visited, the visible one last (static strings) */
  GPtrArray            *history;
  /* the deck the deck, browse and study pages are about; NULL for all */
  char                 *deck_id;
  AdwToast             *answer_toast;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  RhDecksPage          *decks_page;
  /* the deck, browse and statistics pages' parts, built on first use */
  AdwWindowTitle       *deck_title;
  GtkMenuButton        *deck_menu_button;
  GtkLabel             *deck_new_label;
  GtkLabel             *deck_learning_label;
  GtkLabel             *deck_due_label;
  GtkWidget            *deck_study_button;
  GtkWidget            *deck_browse_row;
  AdwBin               *study_bin;
  RhStudyPage          *study_page;
  AdwWindowTitle       *browse_title;
  GtkWidget            *card_browser;
  GtkWidget            *stats_page;
  /* the scenario pages, made on first use */
  GtkWidget            *scenario_library_page;
  GtkWidget            *scenario_practice_page;
  GtkWidget            *scenario_results_page;
};

G_DEFINE_FINAL_TYPE (RhWindow, rh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_COLLECTION_PATH,
  PROP_DECKS_SNAPSHOT,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char * const rating_names[] = {
  N_("Again"), N_("Hard"), N_("Good"), N_("Easy"),
};

/**
 * rh_window_new:
 * @collection: the collection to show
 * @collection_path: (nullable): its file, for work done on other threads
 *
 * Returns: (transfer floating): a new window
 */
RhWindow *
rh_window_new (GtkApplication *application,
               RhCollection   *collection,
               const char     *collection_path)
{
  return rh_window_new_with_decks (application, collection, collection_path, NULL);
}

/**
 * rh_window_new_with_decks:
 * @snapshot: (nullable) (transfer none): the decks, read ahead
 *
 * Like rh_window_new(), with the overview's first load done already.
 *
 * Returns: (transfer floating): a new window
 */
RhWindow *
rh_window_new_with_decks (GtkApplication        *application,
                          RhCollection          *collection,
                          const char            *collection_path,
                          const RhDecksSnapshot *snapshot)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_WINDOW,
                       "application", application,
                       "collection", collection,
                       "collection-path", collection_path,
                       "decks-snapshot", snapshot,
                       NULL);
}

/**
 * rh_window_add_toast:
 * @toast: (transfer full): the toast
 */
void
rh_window_add_toast (RhWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (RH_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error_cb (RhWindow   *self,
               const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  rh_window_add_toast (self, toast);
}

static void
show_error (RhWindow     *self,
            const GError *error)
{
  show_error_cb (self, error->message);
}

/* ---- navigation ---- */

static const char *
current_page (RhWindow *self)
{
  if (self->history->len == 0)
    return "decks";
  return g_ptr_array_index (self->history, self->history->len - 1);
}

static void
update_navigation (RhWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.go-back", self->history->len > 1);
  /* the pages start hidden: GTK styles a hidden widget only once shown */
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, current_page (self)), TRUE);
  gtk_stack_set_visible_child_name (self->stack, current_page (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

static void
push_page (RhWindow   *self,
           const char *page)
{
  /* Showing a page already on the way back returns to it. */
  for (guint i = 0; i < self->history->len; i++)
    if (g_str_equal (g_ptr_array_index (self->history, i), page))
      {
        g_ptr_array_set_size (self->history, i + 1);
        update_navigation (self);
        return;
      }

  g_ptr_array_add (self->history, (gpointer) page);
  update_navigation (self);
}

static void
set_deck (RhWindow   *self,
          const char *deck_id)
{
  g_free (self->deck_id);
  self->deck_id = deck_id && *deck_id ? g_strdup (deck_id) : NULL;
}

/* The pages other than the decks overview and study come from
 * rh-window-pages.ui when first shown: the first frame makes and styles
 * only what it shows. */
static GtkBuilder *
add_page (RhWindow   *self,
          const char *object_id,
          const char *name,
          const char *title)
{
  const char *ids[] = { object_id, NULL };
  GtkBuilder *builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!gtk_builder_add_objects_from_resource (builder, "/io/github/rehearse/Rehearse/rh-window-pages.ui",
                                              ids, &error))
    g_error ("The window's pages cannot be built: %s", error->message);
  gtk_stack_add_titled (self->stack, GTK_WIDGET (gtk_builder_get_object (builder, object_id)),
                        name, title);
  return builder;
}

static void
ensure_deck_page (RhWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->deck_title != NULL)
    return;
  builder = add_page (self, "deck_page", "deck", _("Deck"));
  self->deck_title = ADW_WINDOW_TITLE (gtk_builder_get_object (builder, "deck_title"));
  self->deck_menu_button = GTK_MENU_BUTTON (gtk_builder_get_object (builder, "deck_menu_button"));
  self->deck_new_label = GTK_LABEL (gtk_builder_get_object (builder, "deck_new_label"));
  self->deck_learning_label = GTK_LABEL (gtk_builder_get_object (builder, "deck_learning_label"));
  self->deck_due_label = GTK_LABEL (gtk_builder_get_object (builder, "deck_due_label"));
  self->deck_study_button = GTK_WIDGET (gtk_builder_get_object (builder, "deck_study_button"));
  self->deck_browse_row = GTK_WIDGET (gtk_builder_get_object (builder, "deck_browse_row"));
}

/* The browser, made on first use with its page: no card is touched at
 * startup. */
static RhCardBrowser *
ensure_card_browser (RhWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->card_browser != NULL)
    return RH_CARD_BROWSER (self->card_browser);
  builder = add_page (self, "browse_page", "browse", _("Browse Cards"));
  self->browse_title = ADW_WINDOW_TITLE (gtk_builder_get_object (builder, "browse_title"));
  self->card_browser = rh_card_browser_new (self->collection);
  /* pages are read on the browser's own thread and connection */
  if (self->collection_path != NULL)
    rh_card_browser_set_collection_path (RH_CARD_BROWSER (self->card_browser),
                                         self->collection_path);
  adw_bin_set_child (ADW_BIN (gtk_builder_get_object (builder, "browser_bin")),
                     self->card_browser);
  return RH_CARD_BROWSER (self->card_browser);
}

static RhStatsPage *
ensure_stats_page (RhWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->stats_page != NULL)
    return RH_STATS_PAGE (self->stats_page);
  builder = add_page (self, "stats_page", "stats", _("Statistics"));
  self->stats_page = rh_stats_page_new (self->collection);
  if (self->collection_path != NULL)
    rh_stats_page_set_collection_path (RH_STATS_PAGE (self->stats_page),
                                       self->collection_path);
  adw_bin_set_child (ADW_BIN (gtk_builder_get_object (builder, "stats_bin")), self->stats_page);
  return RH_STATS_PAGE (self->stats_page);
}

/* Fills the deck page from what the overview loaded. Returns FALSE when
 * the deck is gone. */
static gboolean
update_deck_page (RhWindow *self)
{
  g_autofree char *name = rh_decks_page_dup_deck_name (self->decks_page, self->deck_id);
  g_autofree char *new_cards = NULL;
  g_autofree char *learning = NULL;
  g_autofree char *due = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GMenuModel) menu = NULL;
  RhDeckCounts counts;
  const char *target = self->deck_id ? self->deck_id : "";

  if (name == NULL)
    return FALSE;

  ensure_deck_page (self);
  rh_decks_page_get_counts (self->decks_page, self->deck_id, &counts);
  new_cards = g_strdup_printf ("%u", counts.new_cards);
  learning = g_strdup_printf ("%u", counts.learning);
  due = g_strdup_printf ("%u", counts.due);
  subtitle = g_strdup_printf (ngettext ("%u card", "%u cards", counts.total), counts.total);

  adw_window_title_set_title (self->deck_title, name);
  adw_window_title_set_subtitle (self->deck_title, subtitle);
  gtk_label_set_text (self->deck_new_label, new_cards);
  gtk_label_set_text (self->deck_learning_label, learning);
  gtk_label_set_text (self->deck_due_label, due);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->deck_study_button), "s", target);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->deck_browse_row), "s", target);

  gtk_widget_set_visible (GTK_WIDGET (self->deck_menu_button), self->deck_id != NULL);
  if (self->deck_id != NULL)
    {
      menu = rh_deck_menu_new (self->deck_id);
      gtk_menu_button_set_menu_model (self->deck_menu_button, menu);
    }
  return TRUE;
}

/**
 * rh_window_reload:
 *
 * Reads the counts again, after something changed the collection (an
 * import, a card saved, new settings).
 */
void
rh_window_reload (RhWindow *self)
{
  const char *page;

  g_return_if_fail (RH_IS_WINDOW (self));

  rh_decks_page_reload (self->decks_page);
  page = current_page (self);
  if (g_str_equal (page, "deck") && !update_deck_page (self))
    {
      g_ptr_array_set_size (self->history, 1);
      update_navigation (self);
    }
  if (self->card_browser != NULL && g_str_equal (page, "browse"))
    rh_card_browser_reload (RH_CARD_BROWSER (self->card_browser));
  if (self->stats_page != NULL && g_str_equal (page, "stats"))
    rh_stats_page_reload (RH_STATS_PAGE (self->stats_page));
  if (self->scenario_library_page != NULL && g_str_equal (page, "scenarios"))
    rh_scenario_library_page_reload (RH_SCENARIO_LIBRARY_PAGE (self->scenario_library_page));
}

static void study_answered_cb (RhWindow *self,
                               int       rating);

static RhStudyPage *
ensure_study_page (RhWindow *self)
{
  if (self->study_page == NULL)
    {
      self->study_page = g_object_new (RH_TYPE_STUDY_PAGE,
                                       "collection", self->collection,
                                       NULL);
      g_signal_connect_object (self->study_page, "answered",
                               G_CALLBACK (study_answered_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->study_page, "failed",
                               G_CALLBACK (show_error_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->study_bin, GTK_WIDGET (self->study_page));
    }
  return self->study_page;
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  g_autofree char *from_deck = g_strdup (self->deck_id);
  const char *leaving;

  if (self->history->len <= 1)
    return;

  leaving = current_page (self);
  if (g_str_equal (leaving, "study") && self->study_page != NULL)
    {
      rh_study_page_stop (self->study_page);
      if (self->answer_toast != NULL)
        adw_toast_dismiss (self->answer_toast);
    }

  g_ptr_array_set_size (self->history, self->history->len - 1);
  if (g_str_equal (current_page (self), "decks"))
    set_deck (self, NULL);

  rh_decks_page_reload (self->decks_page);
  if (g_str_equal (current_page (self), "deck") && !update_deck_page (self))
    g_ptr_array_set_size (self->history, 1);
  update_navigation (self);

  /* The keyboard comes back to where the learner left from. */
  if (g_str_equal (current_page (self), "decks"))
    rh_decks_page_focus_deck (self->decks_page, from_deck);
  else if (g_str_equal (current_page (self), "deck"))
    gtk_widget_grab_focus (self->deck_study_button);
}

static void
open_deck_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);

  set_deck (self, g_variant_get_string (parameter, NULL));
  if (!update_deck_page (self))
    return;
  push_page (self, "deck");
  gtk_widget_grab_focus (self->deck_study_button);
}

static void
study_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  g_autofree char *name = NULL;

  set_deck (self, g_variant_get_string (parameter, NULL));
  name = rh_decks_page_dup_deck_name (self->decks_page, self->deck_id);
  rh_study_page_start (ensure_study_page (self), self->deck_id, name);
  push_page (self, "study");
}

static void
browse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  const char *deck_id = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;

  if (*deck_id != '\0')
    set_deck (self, deck_id);
  else if (g_str_equal (current_page (self), "decks"))
    set_deck (self, NULL);

  rh_card_browser_set_deck (ensure_card_browser (self), self->deck_id);

  name = rh_decks_page_dup_deck_name (self->decks_page, self->deck_id);
  adw_window_title_set_subtitle (self->browse_title, name);
  push_page (self, "browse");
}

static void
statistics_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);

  rh_stats_page_reload (ensure_stats_page (self));
  push_page (self, "stats");
}

/* ---- decks: create, rename, delete ---- */

static GtkWidget *
make_name_dialog (RhWindow   *self,
                  const char *heading,
                  const char *response,
                  const char *response_label,
                  const char *name,
                  GtkEntry  **out_entry)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (entry), RH_DECK_MAX_NAME);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Deck name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Deck name"),
                                  -1);
  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), response);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), response,
                                           name != NULL && *name != '\0');
  g_object_set_data (G_OBJECT (dialog), "rh-response", (gpointer) response);

  *out_entry = GTK_ENTRY (entry);
  return dialog;
}

static void
name_entry_changed_cb (GtkEditable      *entry,
                       AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog,
                                           g_object_get_data (G_OBJECT (dialog), "rh-response"),
                                           *text != '\0');
}

static void
new_deck_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RhWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;

  if (!g_str_equal (response, "create"))
    return;

  if (!(deck = rh_collection_create_deck (self->collection, gtk_editable_get_text (entry),
                                          &error)))
    {
      show_error (self, error);
      return;
    }
  rh_window_reload (self);
  rh_window_add_toast (self, adw_toast_new_format (_("Created “%s”"), rh_deck_get_name (deck)));
}

static void
new_deck_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  GtkEntry *entry;
  GtkWidget *dialog = make_name_dialog (self, _("New Deck"), "create", _("C_reate"), NULL,
                                        &entry);

  g_signal_connect (entry, "changed", G_CALLBACK (name_entry_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (new_deck_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rename_deck_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         RhWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *deck_id = g_object_get_data (G_OBJECT (dialog), "rh-deck-id");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "rename"))
    return;

  if (!rh_collection_rename_deck (self->collection, deck_id, gtk_editable_get_text (entry),
                                  &error))
    {
      show_error (self, error);
      return;
    }
  rh_window_reload (self);
}

static void
rename_deck_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  const char *deck_id = g_variant_get_string (parameter, NULL);
  g_autofree char *name = rh_decks_page_dup_deck_name (self->decks_page, deck_id);
  GtkEntry *entry;
  GtkWidget *dialog;

  if (name == NULL)
    return;

  dialog = make_name_dialog (self, _("Rename Deck"), "rename", _("_Rename"), name, &entry);
  g_object_set_data_full (G_OBJECT (dialog), "rh-deck-id", g_strdup (deck_id), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (name_entry_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (rename_deck_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_deck_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         RhWindow         *self)
{
  const char *deck_id = g_object_get_data (G_OBJECT (dialog), "rh-deck-id");
  GtkDropDown *target = g_object_get_data (G_OBJECT (dialog), "rh-target");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = rh_decks_page_dup_deck_name (self->decks_page, deck_id);
  const char *target_id = NULL;
  RhDeckDeleteMode mode;
  gboolean was_current = g_strcmp0 (deck_id, self->deck_id) == 0;

  if (g_str_equal (response, "delete"))
    mode = RH_DECK_DELETE_WITH_CARDS;
  else if (g_str_equal (response, "move") && target != NULL)
    {
      GObject *item = gtk_drop_down_get_selected_item (target);

      mode = RH_DECK_DELETE_MOVE_CARDS;
      target_id = item ? g_object_get_data (item, "rh-deck-id") : NULL;
      if (target_id == NULL)
        return;
    }
  else
    return;

  if (!rh_collection_delete_deck (self->collection, deck_id, mode, target_id, &error))
    {
      show_error (self, error);
      return;
    }

  if (was_current)
    {
      set_deck (self, NULL);
      g_ptr_array_set_size (self->history, 1);
      update_navigation (self);
    }
  rh_window_reload (self);
  rh_window_add_toast (self, adw_toast_new_format (_("Deleted “%s”"), name ? name : ""));
}

static GtkWidget *
make_target_picker (RhWindow   *self,
                    const char *deck_id)
{
  g_autoptr(GListModel) decks = rh_decks_page_list_decks (self->decks_page);
  GtkStringList *others = gtk_string_list_new (NULL);
  GtkWidget *box, *label, *dropdown;
  guint n = g_list_model_get_n_items (decks);
  guint n_others = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (decks, i);
      const char *id = g_object_get_data (G_OBJECT (item), "rh-deck-id");
      g_autoptr(GObject) copy = NULL;

      if (g_strcmp0 (id, deck_id) == 0)
        continue;
      gtk_string_list_append (others, gtk_string_object_get_string (item));
      copy = g_list_model_get_item (G_LIST_MODEL (others), n_others++);
      g_object_set_data_full (copy, "rh-deck-id", g_strdup (id), g_free);
    }
  if (n_others == 0)
    {
      g_object_unref (others);
      return NULL;
    }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = gtk_label_new_with_mnemonic (_("_Move cards to"));
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (others), NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), dropdown);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dropdown);
  g_object_set_data (G_OBJECT (box), "rh-target", dropdown);
  return box;
}

static void
delete_deck_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  const char *deck_id = g_variant_get_string (parameter, NULL);
  g_autofree char *name = rh_decks_page_dup_deck_name (self->decks_page, deck_id);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  RhDeckCounts counts;

  if (name == NULL)
    return;

  rh_decks_page_get_counts (self->decks_page, deck_id, &counts);
  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  g_object_set_data_full (G_OBJECT (dialog), "rh-deck-id", g_strdup (deck_id), g_free);
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_default_response (dialog, "cancel");

  if (counts.total == 0)
    {
      adw_message_dialog_set_body (dialog, _("The deck is empty. Deleting it cannot be undone."));
      adw_message_dialog_add_response (dialog, "delete", _("_Delete"));
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      GtkWidget *picker = make_target_picker (self, deck_id);

      adw_message_dialog_format_body (dialog,
                                      ngettext ("The deck has %u card. Delete it with the deck, or move it to another deck first. This cannot be undone.",
                                                "The deck has %u cards. Delete them with the deck, or move them to another deck first. This cannot be undone.",
                                                counts.total),
                                      counts.total);
      if (picker != NULL)
        {
          adw_message_dialog_set_extra_child (dialog, picker);
          g_object_set_data (G_OBJECT (dialog), "rh-target",
                             g_object_get_data (G_OBJECT (picker), "rh-target"));
          adw_message_dialog_add_response (dialog, "move", _("_Move Cards"));
          adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
        }
      adw_message_dialog_add_response (dialog, "delete", _("_Delete Cards Too"));
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (delete_deck_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- cards, import, export ---- */

static void
collection_changed_cb (RhWindow *self)
{
  rh_window_reload (self);
}

static void
add_card_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  GtkWindow *editor = rh_card_editor_new (GTK_WINDOW (self), self->collection, NULL,
                                          self->deck_id);

  g_signal_connect_object (editor, "saved", G_CALLBACK (collection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (editor);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);

  rh_import_dialog_run (GTK_WINDOW (self), self->collection, self->collection_path,
                        G_CALLBACK (collection_changed_cb), self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);

  rh_export_dialog_run (GTK_WINDOW (self), self->collection, self->collection_path);
}

static void
restore_backup_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GObject) engine = NULL;

  /* signed in, the account's copy comes back at the next sync */
  if (RH_IS_APPLICATION (app))
    g_object_get (app, "sync-engine", &engine, NULL);
  rh_restore_dialog_present (GTK_WINDOW (self), self->collection_path, engine != NULL);
}

/* ---- study ---- */

static void
answer_toast_dismissed_cb (AdwToast *toast,
                           RhWindow *self)
{
  if (self->answer_toast == toast)
    self->answer_toast = NULL;
}

static void
study_answered_cb (RhWindow *self,
                   int       rating)
{
  /* Translators: after answering a card; the grade is Again, Hard, Good or Easy */
  g_autofree char *title = g_strdup_printf (_("Answered “%s”"),
                                            _(rating_names[CLAMP (rating, 1, 4) - 1]));
  AdwToast *toast;

  /* One toast for a run of answers: replacing it each time would make it
   * flicker (and libadwaita 1.2 does not like toasts dismissed while they
   * animate in). Its Undo always takes back the latest answer. */
  if (self->answer_toast != NULL)
    {
      adw_toast_set_title (self->answer_toast, title);
      return;
    }

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "window.undo-answer");
  adw_toast_set_timeout (toast, ANSWER_TOAST_S);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (answer_toast_dismissed_cb), self, 0);
  self->answer_toast = toast;
  rh_window_add_toast (self, toast);
}

static void
undo_answer_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);

  if (self->study_page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->study_page), "study.undo", NULL);
}

/* ---- scenarios ---- */

static void scenario_finished_cb (RhWindow *self);

static RhScenarioLibraryPage *
ensure_scenario_library_page (RhWindow *self)
{
  if (self->scenario_library_page == NULL)
    {
      self->scenario_library_page = rh_scenario_library_page_new (self->collection);
      gtk_stack_add_named (self->stack, self->scenario_library_page, "scenarios");
    }
  return RH_SCENARIO_LIBRARY_PAGE (self->scenario_library_page);
}

static RhScenarioPracticePage *
ensure_scenario_practice_page (RhWindow *self)
{
  if (self->scenario_practice_page == NULL)
    {
      self->scenario_practice_page = rh_scenario_practice_page_new (self->collection);
      g_signal_connect_object (self->scenario_practice_page, "finished",
                               G_CALLBACK (scenario_finished_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->stack, self->scenario_practice_page, "scenario-practice");
    }
  return RH_SCENARIO_PRACTICE_PAGE (self->scenario_practice_page);
}

static RhScenarioResultsPage *
ensure_scenario_results_page (RhWindow *self)
{
  if (self->scenario_results_page == NULL)
    {
      self->scenario_results_page = rh_scenario_results_page_new (self->collection);
      gtk_stack_add_named (self->stack, self->scenario_results_page, "scenario-results");
    }
  return RH_SCENARIO_RESULTS_PAGE (self->scenario_results_page);
}

static void
scenarios_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  RhScenarioLibraryPage *library = ensure_scenario_library_page (self);

  rh_scenario_library_page_reload (library);
  push_page (self, "scenarios");
  rh_scenario_library_page_focus (library, NULL);
}

static void
practice_scenario_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RhWindow *self = RH_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!rh_scenario_practice_page_start (ensure_scenario_practice_page (self),
                                        g_variant_get_string (parameter, NULL), &error))
    {
      show_error (self, error);
      return;
    }

  /* A run always sits on the library: “Practise again” on the results
   * replaces them. */
  if (!g_str_equal (current_page (self), "scenarios"))
    {
      rh_scenario_library_page_reload (ensure_scenario_library_page (self));
      push_page (self, "scenarios");
    }
  push_page (self, "scenario-practice");
}

static void
scenario_finished_cb (RhWindow *self)
{
  RhScenarioPracticePage *practice = RH_SCENARIO_PRACTICE_PAGE (self->scenario_practice_page);
  RhScenarioLibraryPage *library = ensure_scenario_library_page (self);
  RhPracticeRun *run = rh_scenario_practice_page_get_run (practice);

  rh_scenario_results_page_show (ensure_scenario_results_page (self), run,
                                 rh_scenario_practice_page_get_result (practice));
  /* the mastery changed; back on the library, the keyboard is on the row */
  rh_scenario_library_page_reload (library);
  rh_scenario_library_page_focus (library,
                                  rh_scenario_get_id (rh_practice_run_get_scenario (run)));

  /* The results take the run's place: back goes to the library. */
  if (g_str_equal (current_page (self), "scenario-practice"))
    g_ptr_array_set_size (self->history, self->history->len - 1);
  push_page (self, "scenario-results");
}

/* Plays a scenario: every turn right, or the first right, the second
 * with a hint and half an answer, and (to the end) the third skipped. */
static void
play_scenario_for_screenshot (RhWindow   *self,
                              const char *key,
                              gboolean    perfect,
                              gboolean    to_the_end)
{
  RhScenarioPracticePage *practice = ensure_scenario_practice_page (self);
  RhPracticeRun *run;
  RhScenario *scenario;
  int current;

  gtk_widget_activate_action (GTK_WIDGET (self), "window.practice-scenario", "s", key);
  if (!(run = rh_scenario_practice_page_get_run (practice)))
    return;
  scenario = rh_practice_run_get_scenario (run);

  for (guint learner = 0; (current = rh_practice_run_get_current (run)) >= 0; learner++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, current);

      if (perfect)
        _rh_scenario_practice_page_answer (practice, turn->accepted[0]);
      else if (learner == 1)
        {
          gtk_widget_activate_action (GTK_WIDGET (practice), "practice.hint", NULL);
          _rh_scenario_practice_page_answer (practice,
                                             turn->key_phrases && turn->key_phrases[0]
                                               ? turn->key_phrases[0] : "yes");
          if (!to_the_end)
            return;
        }
      else if (learner == 2)
        {
          gtk_widget_activate_action (GTK_WIDGET (practice), "practice.skip", NULL);
          continue;
        }
      else
        _rh_scenario_practice_page_answer (practice, turn->accepted[0]);
      _rh_scenario_practice_page_answer (practice, NULL);
    }
  gtk_widget_activate_action (GTK_WIDGET (practice), "practice.finish", NULL);
}

/* ---- screenshots ---- */

static char *
first_card_id (RhWindow *self)
{
  g_autoptr(RhStudyCard) card = rh_collection_next_card (self->collection, NULL, NULL);

  return card ? g_strdup (rh_flashcard_get_id (card->card)) : NULL;
}

static void
study_until_done (RhWindow *self)
{
  static const int pattern[] = { 3, 4, 3, 1, 3, 2, 4, 3, 3, 1, 4, 3 };

  for (guint i = 0; i < 200; i++)
    {
      RhStudyState state = rh_study_page_get_state (self->study_page);

      if (state == RH_STUDY_STATE_QUESTION)
        gtk_widget_activate_action (GTK_WIDGET (self->study_page), "study.reveal", NULL);
      else if (state == RH_STUDY_STATE_ANSWER)
        gtk_widget_activate_action (GTK_WIDGET (self->study_page), "study.grade", "i",
                                    i < 2 * G_N_ELEMENTS (pattern)
                                      ? pattern[(i / 2) % G_N_ELEMENTS (pattern)]
                                      : RH_RATING_EASY);
      else
        break;
    }
}

/**
 * rh_window_show_screenshot_page:
 * @page: decks, deck, browser, editor, study-front, study-back, summary,
 *   scenario-library, scenario-practice, scenario-results,
 *   empty, statistics, preferences, shortcuts, about, restore, restored
 *   (the newest backup), or import or import-failed (of the file
 *   REHEARSE_SCREENSHOT_FILE names)
 *
 * Brings the window to one of its pages, for the screenshot script
 * (REHEARSE_SCREENSHOT_PAGE).
 */
void
rh_window_show_screenshot_page (RhWindow   *self,
                                const char *page)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (RH_IS_WINDOW (self));

  if (g_str_equal (page, "deck"))
    {
      g_autoptr(GListModel) decks = rh_decks_page_list_decks (self->decks_page);
      g_autoptr(GObject) first = g_list_model_get_item (decks, 0);
      const char *id = first ? g_object_get_data (first, "rh-deck-id") : "";

      gtk_widget_activate_action (widget, "window.open-deck", "s", id);
    }
  else if (g_str_equal (page, "browser"))
    gtk_widget_activate_action (widget, "window.browse", "s", "");
  else if (g_str_equal (page, "editor"))
    {
      g_autofree char *card_id = first_card_id (self);
      GtkWindow *editor = rh_card_editor_new (GTK_WINDOW (self), self->collection, card_id, NULL);

      gtk_window_present (editor);
    }
  else if (g_str_equal (page, "study-front") || g_str_equal (page, "study-back") ||
           g_str_equal (page, "summary") || g_str_equal (page, "empty"))
    {
      gtk_widget_activate_action (widget, "window.study", "s", "");
      if (g_str_equal (page, "study-back"))
        gtk_widget_activate_action (GTK_WIDGET (self->study_page), "study.reveal", NULL);
      else if (g_str_equal (page, "summary") || g_str_equal (page, "empty"))
        {
          study_until_done (self);
          if (self->answer_toast != NULL)
            adw_toast_dismiss (self->answer_toast);
        }
      if (g_str_equal (page, "empty"))
        {
          gtk_widget_activate_action (widget, "window.go-back", NULL);
          gtk_widget_activate_action (widget, "window.study", "s", "");
        }
    }
  else if (g_str_equal (page, "statistics"))
    {
      /* something to count first */
      gtk_widget_activate_action (widget, "window.study", "s", "");
      study_until_done (self);
      gtk_widget_activate_action (widget, "window.go-back", NULL);
      gtk_widget_activate_action (widget, "window.statistics", NULL);
      if (self->answer_toast != NULL)
        adw_toast_dismiss (self->answer_toast);
    }
  else if (g_str_equal (page, "scenario-library"))
    {
      /* with some mastery to show */
      gtk_widget_activate_action (widget, "window.scenarios", NULL);
      play_scenario_for_screenshot (self, "asking-for-directions", TRUE, TRUE);
      gtk_widget_activate_action (widget, "window.go-back", NULL);
      play_scenario_for_screenshot (self, "ordering-at-a-cafe", FALSE, TRUE);
      gtk_widget_activate_action (widget, "window.go-back", NULL);
    }
  else if (g_str_equal (page, "scenario-practice") || g_str_equal (page, "scenario-results"))
    {
      gtk_widget_activate_action (widget, "window.scenarios", NULL);
      play_scenario_for_screenshot (self, "ordering-at-a-cafe", FALSE,
                                    g_str_equal (page, "scenario-results"));
    }
  else if (g_str_equal (page, "preferences"))
    gtk_widget_activate_action (widget, "app.preferences", NULL);
  else if (g_str_equal (page, "shortcuts"))
    gtk_widget_activate_action (widget, "app.shortcuts", NULL);
  else if (g_str_equal (page, "about"))
    gtk_widget_activate_action (widget, "app.about", NULL);
  else if (g_str_equal (page, "restore"))
    gtk_widget_activate_action (widget, "window.restore-backup", NULL);
  else if (g_str_equal (page, "restored"))
    {
      g_autofree char *dir = rh_backups_dir_for (self->collection_path);
      g_autoptr(GPtrArray) backups = rh_backups_list (dir, NULL);

      if (backups != NULL && backups->len > 0)
        gtk_widget_activate_action (widget, "app.restore-backup", "s",
                                    backups->pdata[backups->len - 1]);
    }
  else if (g_str_equal (page, "import") || g_str_equal (page, "import-failed"))
    {
      const char *path = g_getenv ("REHEARSE_SCREENSHOT_FILE");
      g_autoptr(GFile) file = path != NULL ? g_file_new_for_path (path) : NULL;

      if (file != NULL)
        rh_import_dialog_run_file (GTK_WINDOW (self), self->collection_path, file,
                                   G_CALLBACK (collection_changed_cb), self);
      else
        g_warning ("No file to import: set REHEARSE_SCREENSHOT_FILE");
    }
  else if (!g_str_equal (page, "decks"))
    g_warning ("No page “%s” to show", page);
}

static gboolean screenshot_page_taken;

static gboolean
screenshot_page_cb (gpointer data)
{
  RhWindow *self = data;

  rh_window_show_screenshot_page (self, g_getenv ("REHEARSE_SCREENSHOT_PAGE"));
  return G_SOURCE_REMOVE;
}

/* ---- accessors ---- */

RhCollection *
rh_window_get_collection (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return self->collection;
}

/**
 * rh_window_get_page:
 *
 * Returns: the page on show: decks, deck, study, browse, stats,
 *   scenarios, scenario-practice or scenario-results
 */
const char *
rh_window_get_page (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return current_page (self);
}

/**
 * rh_window_get_decks_page:
 *
 * Returns: (transfer none): the decks overview
 */
RhDecksPage *
rh_window_get_decks_page (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return self->decks_page;
}

/**
 * rh_window_get_study_page:
 *
 * Returns: (transfer none): the study page
 */
RhStudyPage *
rh_window_get_study_page (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return ensure_study_page (self);
}

/**
 * rh_window_get_card_browser:
 *
 * Returns: (transfer none) (nullable): the card browser, once opened
 */
GtkWidget *
rh_window_get_card_browser (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return self->card_browser;
}

/**
 * rh_window_get_stats_page:
 *
 * Returns: (transfer none) (nullable): the statistics page, once opened
 */
GtkWidget *
rh_window_get_stats_page (RhWindow *self)
{
  g_return_val_if_fail (RH_IS_WINDOW (self), NULL);

  return self->stats_page;
}

/* ---- GtkWindow ---- */

static gboolean
rh_window_close_request (GtkWindow *window)
{
  RhWindow *self = RH_WINDOW (window);
  int width, height;

  if (self->study_page != NULL)
    rh_study_page_stop (self->study_page);

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", MAX (width, 360));
          g_settings_set_int (self->settings, "window-height", MAX (height, 294));
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (rh_window_parent_class)->close_request (window);
}

/* ---- GObject ---- */

/* The overview reloads off the main thread: the deck page follows. */
static void
decks_loaded_cb (RhWindow *self)
{
  if (g_str_equal (current_page (self), "deck") && !update_deck_page (self))
    {
      g_ptr_array_set_size (self->history, 1);
      update_navigation (self);
    }
}

static void
rh_window_constructed (GObject *object)
{
  RhWindow *self = RH_WINDOW (object);

  G_OBJECT_CLASS (rh_window_parent_class)->constructed (object);

  g_assert (self->collection != NULL);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  rh_decks_page_set_collection (self->decks_page, self->collection);
  if (self->snapshot != NULL)
    rh_decks_page_show_snapshot (self->decks_page, self->snapshot);
  else
    rh_decks_page_reload (self->decks_page);
  self->snapshot = NULL;
  rh_decks_page_set_collection_path (self->decks_page, self->collection_path);
  g_signal_connect_object (self->decks_page, "loaded", G_CALLBACK (decks_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  update_navigation (self);

  /* the first window only: one a restore opens shows what it shows */
  if (g_getenv ("REHEARSE_SCREENSHOT_PAGE") != NULL && !screenshot_page_taken)
    {
      screenshot_page_taken = TRUE;
      g_idle_add_full (G_PRIORITY_LOW, screenshot_page_cb, g_object_ref (self), g_object_unref);
    }
}

static void
rh_window_dispose (GObject *object)
{
  RhWindow *self = RH_WINDOW (object);

  if (self->study_page != NULL)
    rh_study_page_stop (self->study_page);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_WINDOW);
  self->study_page = NULL;
  self->deck_title = NULL;
  self->deck_menu_button = NULL;
  self->deck_new_label = NULL;
  self->deck_learning_label = NULL;
  self->deck_due_label = NULL;
  self->deck_study_button = NULL;
  self->deck_browse_row = NULL;
  self->browse_title = NULL;
  self->card_browser = NULL;
  self->stats_page = NULL;
  self->scenario_library_page = NULL;
  self->scenario_practice_page = NULL;
  self->scenario_results_page = NULL;
  g_clear_object (&self->collection);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rh_window_parent_class)->dispose (object);
}

static void
rh_window_finalize (GObject *object)
{
  RhWindow *self = RH_WINDOW (object);

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self->collection_path);
  g_free (self->deck_id);

  G_OBJECT_CLASS (rh_window_parent_class)->finalize (object);
}

static void
rh_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RhWindow *self = RH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;

    case PROP_COLLECTION_PATH:
      g_value_set_string (value, self->collection_path);
      break;

    case PROP_PAGE:
      g_value_set_string (value, current_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RhWindow *self = RH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;

    case PROP_COLLECTION_PATH:
      self->collection_path = g_value_dup_string (value);
      break;

    case PROP_DECKS_SNAPSHOT:
      self->snapshot = g_value_get_pointer (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_window_class_init (RhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rh_window_constructed;
  object_class->dispose = rh_window_dispose;
  object_class->finalize = rh_window_finalize;
  object_class->get_property = rh_window_get_property;
  object_class->set_property = rh_window_set_property;

  window_class->close_request = rh_window_close_request;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_COLLECTION_PATH] =
    g_param_spec_string ("collection-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* (type RhDecksSnapshot) (transfer none): read at startup off the main thread */
  properties [PROP_DECKS_SNAPSHOT] =
    g_param_spec_pointer ("decks-snapshot", NULL, NULL,
                          (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL,
                         "decks",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RH_TYPE_DECKS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RhWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RhWindow, decks_page);
  gtk_widget_class_bind_template_child (widget_class, RhWindow, study_bin);

  gtk_widget_class_install_action (widget_class, "window.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "window.open-deck", "s", open_deck_action);
  gtk_widget_class_install_action (widget_class, "window.study", "s", study_action);
  gtk_widget_class_install_action (widget_class, "window.browse", "s", browse_action);
  gtk_widget_class_install_action (widget_class, "window.statistics", NULL, statistics_action);
  gtk_widget_class_install_action (widget_class, "window.new-deck", NULL, new_deck_action);
  gtk_widget_class_install_action (widget_class, "window.rename-deck", "s", rename_deck_action);
  gtk_widget_class_install_action (widget_class, "window.delete-deck", "s", delete_deck_action);
  gtk_widget_class_install_action (widget_class, "window.add-card", NULL, add_card_action);
  gtk_widget_class_install_action (widget_class, "window.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "window.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "window.restore-backup", NULL,
                                   restore_backup_action);
  gtk_widget_class_install_action (widget_class, "window.undo-answer", NULL, undo_answer_action);
  gtk_widget_class_install_action (widget_class, "window.scenarios", NULL, scenarios_action);
  gtk_widget_class_install_action (widget_class, "window.practice-scenario", "s",
                                   practice_scenario_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "window.scenarios", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "window.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "window.go-back", NULL);
}

static void
rh_window_init (RhWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = g_ptr_array_new ();
  g_ptr_array_add (self->history, (gpointer) "decks");

  /* Without the schema (a test that did not compile it) the window just
   * does not remember its size. */
  if (source != NULL && (schema = g_settings_schema_source_lookup (source, BASE_ID, TRUE)))
    self->settings = g_settings_new (BASE_ID);

  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
