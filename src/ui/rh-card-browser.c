// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-card-browser.h"
#include "rh-card-editor.h"
#include "rh-card-list-model.h"

typedef struct
{
  RhCardBrowser *self;
  RhCardSort     sort;
} SortProbe;

enum {
  COLUMN_FRONT,
  COLUMN_BACK,
  COLUMN_DECK,
  COLUMN_DUE,
  COLUMN_STABILITY,
  COLUMN_REVIEWS,
  N_COLUMNS
};

/* The narrowest browser each column is shown in: the front and back
 * always, as in a vocabulary list, then the due date, the deck, and the
 * memory figures. (The fixed widths of the .ui add up to these, with
 * about 130 px left for each of the front and back.) */
static const int column_min_width[N_COLUMNS] = {
  [COLUMN_FRONT] = 0,
  [COLUMN_BACK] = 0,
  [COLUMN_DUE] = 420,
  [COLUMN_DECK] = 560,
  [COLUMN_STABILITY] = 720,
  [COLUMN_REVIEWS] = 720,
};

static const RhCardSort column_sorts[N_COLUMNS] = {
  RH_CARD_SORT_FRONT,
  RH_CARD_SORT_BACK,
  RH_CARD_SORT_DECK,
  RH_CARD_SORT_DUE,
  RH_CARD_SORT_STABILITY,
  RH_CARD_SORT_REVIEWS,
};

struct _RhCardBrowser
{
  AdwBin               parent_instance;

  RhCollection        *collection;
  /* the rows and their selection */
  RhCardListModel     *model;

  /* deck ids in the order of the dropdown, after "All Decks" */
  GPtrArray           *deck_ids;
  /* the deck to show once the decks are loaded */
  char                *wanted_deck_id;
  gboolean             updating_decks;
  gboolean             needs_reload;

  SortProbe            probes[N_COLUMNS];
  int                  probe_hit;

  /* narrow windows show fewer columns: a bit a column on show */
  guint                shown_columns;
  guint                columns_idle;

  /* template */
  AdwToastOverlay     *toast_overlay;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *deck_dropdown;
  GtkStringList       *deck_names;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  AdwStatusPage       *status_page;
  GtkWidget           *status_add_button;
  GtkActionBar        *action_bar;
  GtkLabel            *selection_label;
};

G_DEFINE_FINAL_TYPE (RhCardBrowser, rh_card_browser, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char *
selected_deck_id (RhCardBrowser *self)
{
  guint selected = gtk_drop_down_get_selected (self->deck_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 ||
      selected > self->deck_ids->len)
    return NULL;
  return self->deck_ids->pdata[selected - 1];
}

static void
show_toast (RhCardBrowser *self,
            const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (RhCardBrowser *self,
            const GError  *error)
{
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Cannot Change the Cards"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Which column the header sorts by and which way. GTK 4.10 says so; on
 * older GTK the column view's sorter is opaque, so it is asked to compare
 * two items and the first column sorter it consults is the primary one. */
static gboolean
read_view_sort (RhCardBrowser *self,
                RhCardSort    *out_sort,
                gboolean      *out_descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

#if GTK_CHECK_VERSION (4, 10, 0)
  GtkColumnViewColumn *column;

  column = gtk_column_view_sorter_get_primary_sort_column (GTK_COLUMN_VIEW_SORTER (sorter));
  if (column == NULL)
    return FALSE;
  for (guint i = 0; i < N_COLUMNS; i++)
    if (self->columns[i] == column)
      {
        *out_sort = column_sorts[i];
        *out_descending =
          gtk_column_view_sorter_get_primary_sort_order (GTK_COLUMN_VIEW_SORTER (sorter)) ==
          GTK_SORT_DESCENDING;
        return TRUE;
      }
  return FALSE;
#else
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  if (sorter == NULL)
    return FALSE;

  self->probe_hit = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->probe_hit < 0 || order == GTK_ORDERING_EQUAL)
    return FALSE;

  *out_sort = (RhCardSort) self->probe_hit;
  /* every column sorter answers "smaller": "larger" means inverted */
  *out_descending = order == GTK_ORDERING_LARGER;
  return TRUE;
#endif
}

static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  SortProbe *probe = user_data;

  if (probe->self->probe_hit < 0)
    probe->self->probe_hit = (int) probe->sort;
  return -1;
}

static void
update_empty_state (RhCardBrowser *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError *error = rh_card_list_model_get_error (self->model);
  RhCardQuery query;

  rh_card_list_model_get_query (self->model, &query);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (error != NULL)
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Read the Cards"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_widget_set_visible (self->status_add_button, FALSE);
    }
  else if (query.text != NULL)
    {
      adw_status_page_set_icon_name (self->status_page, "edit-find-symbolic");
      adw_status_page_set_title (self->status_page, _("No Cards Found"));
      adw_status_page_set_description (self->status_page,
                                       _("No card matches the search. Words match the start "
                                         "of words on the front, back, notes, example or "
                                         "tags."));
      gtk_widget_set_visible (self->status_add_button, FALSE);
    }
  else
    {
      adw_status_page_set_icon_name (self->status_page, "view-list-symbolic");
      adw_status_page_set_title (self->status_page, _("No Cards"));
      adw_status_page_set_description (self->status_page,
                                       query.deck_id != NULL
                                       ? _("This deck has no cards yet.")
                                       : _("Cards you add or import show up here."));
      gtk_widget_set_visible (self->status_add_button, TRUE);
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
update_selection_state (RhCardBrowser *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autofree char *text = NULL;
  guint64 n;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->model));
  n = gtk_bitset_get_size (selected);

  text = g_strdup_printf (ngettext ("%u card selected", "%u cards selected", (gulong) n),
                          (guint) n);
  gtk_label_set_label (self->selection_label, text);
  gtk_action_bar_set_revealed (self->action_bar, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.delete", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.move",
                                 n > 0 && self->deck_ids->len > 0);
}

static gboolean
same_query (const RhCardQuery *a,
            const RhCardQuery *b)
{
  g_autofree char *text_a = g_strstrip (g_strdup (a->text ? a->text : ""));
  g_autofree char *text_b = g_strstrip (g_strdup (b->text ? b->text : ""));

  return g_strcmp0 (text_a, text_b) == 0 &&
         g_strcmp0 (a->deck_id, b->deck_id) == 0 &&
         a->sort == b->sort &&
         a->descending == b->descending;
}

/* Asks the model for what the search, deck and sort now say; @force
 * reads again even when that did not change. */
static void
requery (RhCardBrowser *self,
         gboolean       force)
{
  RhCardQuery current;
  RhCardQuery query = {
    .text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
    .deck_id = selected_deck_id (self),
    .sort = RH_CARD_SORT_CREATED,
    .descending = TRUE,
  };

  read_view_sort (self, &query.sort, &query.descending);

  /* The search entry also reports searches that did not change. */
  rh_card_list_model_get_query (self->model, &current);
  if (!force && !self->needs_reload && same_query (&query, &current))
    return;

  rh_card_list_model_set_query (self->model, &query);
  self->needs_reload = FALSE;
  update_empty_state (self);
  update_selection_state (self);
}

static void
load_decks (RhCardBrowser *self)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *keep = NULL;
  guint selected = 0;

  keep = g_strdup (self->wanted_deck_id ? self->wanted_deck_id : selected_deck_id (self));
  g_clear_pointer (&self->wanted_deck_id, g_free);

  if (!(decks = rh_collection_list_decks (self->collection, &error)))
    {
      g_warning ("Cannot list decks: %s", error->message);
      decks = g_ptr_array_new ();
    }

  g_ptr_array_set_size (self->deck_ids, 0);
  g_ptr_array_add (names, (gpointer) _("All Decks"));
  for (guint i = 0; i < decks->len; i++)
    {
      RhDeckSummary *summary = decks->pdata[i];
      const char *id = rh_deck_get_id (summary->deck);

      g_ptr_array_add (self->deck_ids, g_strdup (id));
      g_ptr_array_add (names, (gpointer) rh_deck_get_name (summary->deck));
      if (g_strcmp0 (id, keep) == 0)
        selected = i + 1;
    }
  g_ptr_array_add (names, NULL);

  self->updating_decks = TRUE;
  gtk_string_list_splice (self->deck_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->deck_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->deck_dropdown, selected);
  gtk_drop_down_set_enable_search (self->deck_dropdown, decks->len > 10);
  self->updating_decks = FALSE;
}

static void
search_changed_cb (RhCardBrowser *self)
{
  requery (self, FALSE);
}

static void
stop_search_cb (RhCardBrowser *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_activate_cb (RhCardBrowser *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);
}

static void
deck_selected_cb (RhCardBrowser *self)
{
  if (self->updating_decks)
    return;
  requery (self, FALSE);
}

static void
sorter_changed_cb (RhCardBrowser *self)
{
  requery (self, FALSE);
}

static void
selection_changed_cb (RhCardBrowser *self)
{
  update_selection_state (self);
}

static void
editor_saved_cb (RhCardBrowser *self)
{
  rh_card_browser_reload (self);
}

static void
open_editor (RhCardBrowser *self,
             const char    *card_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *editor;

  editor = rh_card_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               self->collection, card_id, selected_deck_id (self));
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (editor);
}

/* Reads the ids of the rows at @positions, few queries for many rows;
 * on failure tells the learner and returns %NULL. */
static GStrv
dup_ids (RhCardBrowser *self,
         GtkBitset     *positions)
{
  g_autoptr(GError) error = NULL;
  GStrv ids = rh_card_list_model_dup_ids (self->model, positions, &error);

  if (ids == NULL)
    show_error (self, error);
  return ids;
}

static void
column_view_activate_cb (RhCardBrowser *self,
                         guint          position)
{
  g_autoptr(GtkBitset) positions = gtk_bitset_new_range (position, 1);
  g_auto(GStrv) ids = dup_ids (self, positions);

  if (ids != NULL && ids[0] != NULL)
    open_editor (self, ids[0]);
}

static GStrv
dup_selected_ids (RhCardBrowser *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->model));
  return dup_ids (self, selected);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RhCardBrowser    *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GStrv ids = g_object_get_data (G_OBJECT (dialog), "card-ids");
  guint n = g_strv_length (ids);

  if (g_strcmp0 (response, "delete") != 0)
    return;

  if (!rh_collection_delete_cards (self->collection, (const char * const *) ids, &error))
    {
      show_error (self, error);
      return;
    }

  rh_card_browser_reload (self);
  message = g_strdup_printf (ngettext ("%u card deleted", "%u cards deleted", n), n);
  show_toast (self, message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);
  g_auto(GStrv) ids = dup_selected_ids (self);
  guint n = ids ? g_strv_length (ids) : 0;
  g_autofree char *heading = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (n == 0)
    return;

  heading = g_strdup_printf (ngettext ("Delete %u Card?", "Delete %u Cards?", n), n);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog,
                               ngettext ("The card and its review history will be deleted.",
                                         "The cards and their review history will be deleted.",
                                         n));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "card-ids", g_steal_pointer (&ids),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
move_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  RhCardBrowser    *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GStrv ids = g_object_get_data (G_OBJECT (dialog), "card-ids");
  GPtrArray *deck_ids = g_object_get_data (G_OBJECT (dialog), "deck-ids");
  GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  guint selected = gtk_drop_down_get_selected (dropdown);
  guint n = g_strv_length (ids);
  GtkStringObject *name;

  if (g_strcmp0 (response, "move") != 0 || selected >= deck_ids->len)
    return;

  if (!rh_collection_move_cards (self->collection, (const char * const *) ids,
                                 deck_ids->pdata[selected], &error))
    {
      show_error (self, error);
      return;
    }

  name = gtk_drop_down_get_selected_item (dropdown);
  rh_card_browser_reload (self);
  message = g_strdup_printf (ngettext ("%u card moved to “%s”", "%u cards moved to “%s”", n),
                             n, gtk_string_object_get_string (name));
  show_toast (self, message);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);
  g_auto(GStrv) ids = dup_selected_ids (self);
  guint n = ids ? g_strv_length (ids) : 0;
  g_autofree char *heading = NULL;
  g_autoptr(GPtrArray) deck_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *current = selected_deck_id (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  GtkWidget *dropdown;
  guint selected = 0;

  if (n == 0 || self->deck_ids->len == 0)
    return;

  for (guint i = 0; i < self->deck_ids->len; i++)
    {
      GtkStringObject *item = g_list_model_get_item (G_LIST_MODEL (self->deck_names), i + 1);

      g_ptr_array_add (deck_ids, g_strdup (self->deck_ids->pdata[i]));
      gtk_string_list_append (names, gtk_string_object_get_string (item));
      g_object_unref (item);
      if (g_strcmp0 (current, self->deck_ids->pdata[i]) == 0)
        selected = i;
    }

  heading = g_strdup_printf (ngettext ("Move %u Card", "Move %u Cards", n), n);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading,
                                                       _("Choose the deck to move them to.")));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), deck_ids->len > 10);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Deck"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, dropdown);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "move", _("_Move"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "card-ids", g_steal_pointer (&ids),
                          (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (dialog), "deck-ids", g_steal_pointer (&deck_ids),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (move_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (RH_CARD_BROWSER (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);
  g_autoptr(GtkBitset) selected = NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->model));
  if (gtk_bitset_get_size (selected) == 1)
    column_view_activate_cb (self, gtk_bitset_get_minimum (selected));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The columns a browser @width wide shows */
static guint
columns_for_width (int width)
{
  guint shown = 0;

  for (guint i = 0; i < N_COLUMNS; i++)
    if (width >= column_min_width[i])
      shown |= 1u << i;
  return shown;
}

static gboolean
apply_width_cb (gpointer user_data)
{
  RhCardBrowser *self = user_data;
  guint shown = columns_for_width (gtk_widget_get_width (GTK_WIDGET (self)));
  guint position = 0;

  self->columns_idle = 0;
  /* Taken out rather than hidden: GTK 4.8 still counts the width of
   * hidden columns when it shares out the spare width. */
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean was_shown = (self->shown_columns & (1u << i)) != 0;
      gboolean show = (shown & (1u << i)) != 0;

      if (show && !was_shown)
        gtk_column_view_insert_column (self->column_view, position, self->columns[i]);
      else if (!show && was_shown)
        gtk_column_view_remove_column (self->column_view, self->columns[i]);
      if (show)
        position++;
    }
  self->shown_columns = shown;
  return G_SOURCE_REMOVE;
}

/* The browser lays its child out with a layout of its own, instead of
 * AdwBin's, to learn its width. */
static void
rh_card_browser_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);
}

static void
rh_card_browser_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* Columns cannot change while the widget is being laid out: after. */
  if (columns_for_width (width) != self->shown_columns && self->columns_idle == 0)
    self->columns_idle = g_idle_add (apply_width_cb, self);
}

static void
rh_card_browser_map (GtkWidget *widget)
{
  RhCardBrowser *self = RH_CARD_BROWSER (widget);

  GTK_WIDGET_CLASS (rh_card_browser_parent_class)->map (widget);

  /* Nothing is read before the browser is first shown, so a window that
   * never opens it never pays for counting the cards. */
  if (self->needs_reload)
    rh_card_browser_reload (self);
}

static void
rh_card_browser_constructed (GObject *object)
{
  RhCardBrowser *self = RH_CARD_BROWSER (object);

  G_OBJECT_CLASS (rh_card_browser_parent_class)->constructed (object);

  g_assert (self->collection != NULL);

  self->model = rh_card_list_model_new (self->collection);
  g_signal_connect_object (self->model, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->model));
  update_selection_state (self);
}

static void
rh_card_browser_dispose (GObject *object)
{
  RhCardBrowser *self = RH_CARD_BROWSER (object);

  if (self->column_view != NULL)
    {
      GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

      if (sorter != NULL)
        g_signal_handlers_disconnect_by_data (sorter, self);
    }

  /* AdwBin 1.2 unparents its child itself: hand it over first, or the
   * template would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_handle_id (&self->columns_idle, g_source_remove);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->columns[i]);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_CARD_BROWSER);

  G_OBJECT_CLASS (rh_card_browser_parent_class)->dispose (object);
}

static void
rh_card_browser_finalize (GObject *object)
{
  RhCardBrowser *self = RH_CARD_BROWSER (object);

  g_clear_object (&self->model);
  g_clear_object (&self->collection);
  g_clear_pointer (&self->deck_ids, g_ptr_array_unref);
  g_free (self->wanted_deck_id);

  G_OBJECT_CLASS (rh_card_browser_parent_class)->finalize (object);
}

static void
rh_card_browser_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RhCardBrowser *self = RH_CARD_BROWSER (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_card_browser_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RhCardBrowser *self = RH_CARD_BROWSER (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_card_browser_class_init (RhCardBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rh_card_browser_constructed;
  object_class->dispose = rh_card_browser_dispose;
  object_class->finalize = rh_card_browser_finalize;
  object_class->get_property = rh_card_browser_get_property;
  object_class->set_property = rh_card_browser_set_property;

  widget_class->map = rh_card_browser_map;


  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RH_TYPE_CARD_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-card-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, deck_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, deck_names);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, stack);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "front_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_FRONT]));
  gtk_widget_class_bind_template_child_full (widget_class, "back_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_BACK]));
  gtk_widget_class_bind_template_child_full (widget_class, "deck_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_DECK]));
  gtk_widget_class_bind_template_child_full (widget_class, "due_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_DUE]));
  gtk_widget_class_bind_template_child_full (widget_class, "stability_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_STABILITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "reviews_column", FALSE,
                                             G_STRUCT_OFFSET (RhCardBrowser,
                                                              columns[COLUMN_REVIEWS]));
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, status_page);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, status_add_button);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, action_bar);
  gtk_widget_class_bind_template_child (widget_class, RhCardBrowser, selection_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, deck_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "browser.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "browser.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "browser.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "browser.move", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "browser.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "browser.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "browser.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "browser.search", NULL);
}

static void
rh_card_browser_init (RhCardBrowser *self)
{
  GtkSorter *view_sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, rh_card_browser_measure,
                                                        rh_card_browser_size_allocate));

  self->deck_ids = g_ptr_array_new_with_free_func (g_free);
  self->needs_reload = TRUE;
  /* the .ui has them all */
  self->shown_columns = (1u << N_COLUMNS) - 1;

  /* The column sorters never sort anything: the database does. They let
   * the headers be clicked, and tell which one was. */
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkCustomSorter) sorter = NULL;

      /* ours as well as the view's: narrow windows take columns out */
      g_object_ref (self->columns[i]);
      self->probes[i].self = self;
      self->probes[i].sort = column_sorts[i];
      sorter = gtk_custom_sorter_new (probe_compare_cb, &self->probes[i], NULL);
      gtk_column_view_column_set_sorter (self->columns[i], GTK_SORTER (sorter));
    }

  view_sorter = gtk_column_view_get_sorter (self->column_view);
  g_signal_connect_swapped (view_sorter, "changed", G_CALLBACK (sorter_changed_cb), self);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

/**
 * rh_card_browser_new:
 * @collection: the collection whose cards to show
 *
 * The card browser: a searchable, sortable list of every card, with
 * moving, deleting and opening cards in the editor. It reads the cards
 * when it is first shown.
 *
 * Returns: (transfer floating): the browser
 */
GtkWidget *
rh_card_browser_new (RhCollection *collection)
{
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_CARD_BROWSER,
                       "collection", collection,
                       NULL);
}

/**
 * rh_card_browser_set_collection_path:
 * @path: (nullable): the file the collection was opened from
 *
 * Lets the browser read its rows on a thread of its own, with its own
 * connection to @path, so that scrolling never waits for the database.
 * Without it rows are read on the main thread.
 */
void
rh_card_browser_set_collection_path (RhCardBrowser *self,
                                     const char    *path)
{
  g_return_if_fail (RH_IS_CARD_BROWSER (self));

  rh_card_list_model_set_collection_path (self->model, path);
}

/**
 * rh_card_browser_set_deck:
 * @deck_id: (nullable): the deck to show, or %NULL for all decks
 *
 * Shows the cards of one deck, as if it was picked in the deck filter.
 */
void
rh_card_browser_set_deck (RhCardBrowser *self,
                          const char    *deck_id)
{
  g_return_if_fail (RH_IS_CARD_BROWSER (self));

  g_free (self->wanted_deck_id);
  self->wanted_deck_id = g_strdup (deck_id);
  if (deck_id == NULL)
    {
      /* load_decks keeps the current deck when nothing is wanted */
      self->updating_decks = TRUE;
      gtk_drop_down_set_selected (self->deck_dropdown, 0);
      self->updating_decks = FALSE;
    }
  self->needs_reload = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rh_card_browser_reload (self);
}

/**
 * rh_card_browser_reload:
 *
 * Reads the decks and cards again, after the collection changed
 * elsewhere. When the browser is hidden this waits until it is shown.
 */
void
rh_card_browser_reload (RhCardBrowser *self)
{
  GtkAdjustment *vadjustment;
  double value;

  g_return_if_fail (RH_IS_CARD_BROWSER (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->needs_reload = TRUE;
      return;
    }

  /* A reload after an edit should leave the learner where they were,
   * though the model announces all rows as new. */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  value = vadjustment ? gtk_adjustment_get_value (vadjustment) : 0;

  load_decks (self);
  requery (self, TRUE);

  if (vadjustment != NULL && value > 0)
    gtk_adjustment_set_value (vadjustment, value);
}

/**
 * _rh_card_browser_get_model:
 *
 * Returns: (transfer none): the list the column view shows
 */
RhCardListModel *
_rh_card_browser_get_model (RhCardBrowser *self)
{
  g_return_val_if_fail (RH_IS_CARD_BROWSER (self), NULL);
  return self->model;
}

/**
 * _rh_card_browser_get_search_entry:
 *
 * Returns: (transfer none): the search entry
 */
GtkEditable *
_rh_card_browser_get_search_entry (RhCardBrowser *self)
{
  g_return_val_if_fail (RH_IS_CARD_BROWSER (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

/**
 * _rh_card_browser_get_column_view:
 *
 * Returns: (transfer none): the column view
 */
GtkColumnView *
_rh_card_browser_get_column_view (RhCardBrowser *self)
{
  g_return_val_if_fail (RH_IS_CARD_BROWSER (self), NULL);
  return self->column_view;
}

/**
 * _rh_card_browser_sort_by:
 *
 * Sorts as a click on a column header does.
 */
void
_rh_card_browser_sort_by (RhCardBrowser *self,
                          RhCardSort     sort,
                          gboolean       descending)
{
  g_return_if_fail (RH_IS_CARD_BROWSER (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    if (column_sorts[i] == sort &&
        gtk_column_view_column_get_column_view (self->columns[i]) == self->column_view)
      {
        gtk_column_view_sort_by_column (self->column_view, self->columns[i],
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        return;
      }
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
}
