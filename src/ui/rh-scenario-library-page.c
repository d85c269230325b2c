// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-answer-scoring.h"
#include "rh-scenario-editor.h"
#include "rh-scenario-library-page.h"

/*
 * The scenario library: every scenario with its level, topic and how
 * well the learner knows it, filtered by words, level and topic. A row
 * starts a practice run (through the window's
 * window.practice-scenario); its menu duplicates, edits (the learner's
 * own only) and deletes.
 */

struct _RhScenarioLibraryPage
{
  AdwBin              parent_instance;

  RhCollection       *collection;
  RhScenarioLibrary  *library;
  GListStore         *store;
  /* what the dropdowns' items stand for: "" for all, then the values */
  GPtrArray          *levels;
  GPtrArray          *topics;
  guint               n_all;
  gboolean            filling;
  /* the row to focus once the page shows ("" for the first) */
  char               *pending_focus;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *level_dropdown;
  GtkStringList      *level_names;
  GtkDropDown        *topic_dropdown;
  GtkStringList      *topic_names;
  GtkStack           *stack;
  GtkListBox         *list_box;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (RhScenarioLibraryPage, rh_scenario_library_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* ---- rows ---- */

static GtkWidget *
make_level_badge (const char *level)
{
  g_autofree char *band = g_ascii_strdown (level, 1);
  g_autofree char *band_class = g_strdup_printf ("rh-level-%s", band);
  /* Translators: a CEFR level for screen readers, "Level B1" */
  g_autofree char *accessible = g_strdup_printf (_("Level %s"), level);
  GtkWidget *badge = gtk_label_new (level);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "rh-level-badge");
  gtk_widget_add_css_class (badge, band_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return badge;
}

static GtkWidget *
make_mastery (RhScenarioSummary *summary)
{
  RhScenarioMastery mastery = rh_scenario_summary_get_mastery (summary);
  int best = rh_scenario_summary_get_best_score (summary);
  guint runs = rh_scenario_summary_get_runs (summary);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label, *bar;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, "rh-mastery");

  if (mastery == RH_SCENARIO_MASTERY_NEW || best < 0)
    {
      /* Translators: a scenario never practised, short (the tooltip says it in full) */
      text = g_strdup (C_("mastery", "New"));
      tooltip = g_strdup (rh_scenario_mastery_get_label (RH_SCENARIO_MASTERY_NEW));
      gtk_widget_set_tooltip_text (box, tooltip);
    }
  else
    /* Translators: a scenario's mastery and its best recent score, "Good · 72 %" */
    text = g_strdup_printf (_("%s · %d %%"), rh_scenario_mastery_get_label (mastery), best);

  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  if (mastery == RH_SCENARIO_MASTERY_NEW)
    gtk_widget_add_css_class (label, "dim-label");
  else
    {
      g_autofree char *mastery_class = g_strdup_printf ("rh-mastery-%s",
                                                        rh_scenario_mastery_to_string (mastery));
      gtk_widget_add_css_class (label, mastery_class);
    }
  gtk_box_append (GTK_BOX (box), label);

  if (mastery != RH_SCENARIO_MASTERY_NEW && best >= 0)
    {
      /* the label says it all; the bar is for the eye */
      bar = g_object_new (GTK_TYPE_LEVEL_BAR,
                          "min-value", 0.0,
                          "max-value", 100.0,
                          "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                          NULL);
      /* the verdict's thresholds: below “close”, below “right”, right */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW,
                                      RH_ANSWER_CLOSE_SCORE);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH,
                                      RH_ANSWER_RIGHT_SCORE);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL, 100);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), best);
      gtk_widget_set_size_request (bar, 72, -1);
      gtk_widget_set_halign (bar, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (box), bar);

      if (MIN (runs, RH_SCENARIO_RECENT_RUNS) <= 1)
        tooltip = g_strdup_printf (_("Best score of the last run: %d of 100"), best);
      else
        tooltip = g_strdup_printf (ngettext ("Best score of the last %u run: %d of 100",
                                             "Best score of the last %u runs: %d of 100",
                                             MIN (runs, RH_SCENARIO_RECENT_RUNS)),
                                   MIN (runs, RH_SCENARIO_RECENT_RUNS), best);
      gtk_widget_set_tooltip_text (box, tooltip);
    }
  return box;
}

static char *
make_subtitle (RhScenarioSummary *summary)
{
  const char *topic = rh_scenario_summary_get_topic (summary);
  guint turns = rh_scenario_summary_get_n_learner_turns (summary);
  GString *text = g_string_new (NULL);

  if (topic != NULL && *topic != '\0')
    g_string_append (text, rh_scenario_topic_get_label (topic));
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%u turn", "%u turns", turns), turns);
  if (!rh_scenario_summary_is_bundled (summary))
    {
      g_string_append (text, " · ");
      /* Translators: marks a scenario the learner wrote */
      g_string_append (text, _("Yours"));
    }
  return g_string_free (text, FALSE);
}

static GMenuModel *
make_row_menu (RhScenarioSummary *summary)
{
  const char *id = rh_scenario_summary_get_id (summary);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) practise = g_menu_item_new (_("_Practise"), NULL);
  g_autoptr(GMenuItem) duplicate = g_menu_item_new (_("D_uplicate"), NULL);
  g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);

  g_menu_item_set_action_and_target_value (practise, "window.practice-scenario",
                                           g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (duplicate, "library.duplicate",
                                           g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (edit, "library.edit", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (delete, "library.delete", g_variant_new_string (id));

  g_menu_append_item (menu, practise);
  g_menu_append_item (section, duplicate);
  if (!rh_scenario_summary_is_bundled (summary))
    g_menu_append_item (section, edit);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_menu_append_item (menu, delete);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  RhScenarioSummary *summary = item;
  const char *id = rh_scenario_summary_get_id (summary);
  const char *title = rh_scenario_summary_get_title (summary);
  g_autofree char *subtitle = make_subtitle (summary);
  g_autofree char *menu_label = g_strdup_printf (_("Options for %s"), title);
  g_autoptr(GMenuModel) menu = make_row_menu (summary);
  GtkWidget *row, *menu_button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "window.practice-scenario");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);
  g_object_set_data_full (G_OBJECT (row), "rh-scenario-id", g_strdup (id), g_free);
  gtk_widget_add_css_class (row, "rh-scenario-row");

  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             make_level_badge (rh_scenario_summary_get_level (summary)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_mastery (summary));

  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _("Scenario Options"));
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  return row;
}

/* ---- filters ---- */

static const char *
selected_value (GtkDropDown *dropdown,
                GPtrArray   *values)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= values->len)
    return "";
  return g_ptr_array_index (values, selected);
}

static void
show_error (RhScenarioLibraryPage *self,
            const GError          *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
apply_filter (RhScenarioLibraryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *focus_id = NULL;
  RhScenarioFilter filter = { 0 };
  gboolean had_focus = FALSE;
  GtkWidget *focus;
  GtkRoot *root;
  guint n;

  if (self->library == NULL || self->filling)
    return;

  filter.level = selected_value (self->level_dropdown, self->levels);
  filter.topic = selected_value (self->topic_dropdown, self->topics);
  filter.text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (!(summaries = rh_scenario_library_list (self->library, &filter, &error)))
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* The rows are made again: the keyboard stays on the same scenario. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_box)))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);

      focus_id = g_strdup (row ? g_object_get_data (G_OBJECT (row), "rh-scenario-id") : NULL);
      had_focus = TRUE;
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       summaries->pdata, summaries->len);
  n = summaries->len;

  if (self->n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (n == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (n == self->n_all)
    subtitle = g_strdup_printf (ngettext ("%u scenario", "%u scenarios", n), n);
  else
    /* Translators: scenarios the filters let through, of all of them */
    subtitle = g_strdup_printf (ngettext ("%u of %u scenario", "%u of %u scenarios", self->n_all),
                                n, self->n_all);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (had_focus)
    rh_scenario_library_page_focus (self, focus_id);
}

/* Fills a dropdown with "all" and @values, keeping the selected value
 * when it is still there. */
static void
fill_dropdown (GtkDropDown   *dropdown,
               GtkStringList *names,
               GPtrArray     *values,
               const char    *all_label,
               GPtrArray     *new_values,
               const char   *(*label_for) (const char *value))
{
  g_autofree char *selected = g_strdup (selected_value (dropdown, values));
  guint position = 0;

  g_ptr_array_set_size (values, 0);
  gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)), NULL);

  g_ptr_array_add (values, g_strdup (""));
  gtk_string_list_append (names, all_label);
  for (guint i = 0; i < new_values->len; i++)
    {
      const char *value = g_ptr_array_index (new_values, i);

      g_ptr_array_add (values, g_strdup (value));
      gtk_string_list_append (names, label_for ? label_for (value) : value);
      if (g_str_equal (value, selected))
        position = values->len - 1;
    }
  gtk_drop_down_set_selected (dropdown, position);
}

static int
compare_topic_labels (gconstpointer a,
                      gconstpointer b)
{
  const char *la = rh_scenario_topic_get_label (*(const char * const *) a);
  const char *lb = rh_scenario_topic_get_label (*(const char * const *) b);

  return g_utf8_collate (la, lb);
}

/**
 * rh_scenario_library_page_reload:
 *
 * Reads the scenarios, their levels and topics, and their mastery again.
 */
void
rh_scenario_library_page_reload (RhScenarioLibraryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) levels = g_ptr_array_new ();
  g_autoptr(GPtrArray) topics = g_ptr_array_new ();
  g_auto(GStrv) topic_list = NULL;

  g_return_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self));

  if (self->library == NULL)
    return;

  if (!(all = rh_scenario_library_list (self->library, NULL, &error)) ||
      !(topic_list = rh_scenario_library_list_topics (self->library, &error)))
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->n_all = all->len;

  /* the list comes by level, so the levels come in order */
  for (guint i = 0; i < all->len; i++)
    {
      const char *level = rh_scenario_summary_get_level (all->pdata[i]);

      if (levels->len == 0 || !g_str_equal (g_ptr_array_index (levels, levels->len - 1), level))
        g_ptr_array_add (levels, (gpointer) level);
    }
  for (guint i = 0; topic_list[i]; i++)
    g_ptr_array_add (topics, topic_list[i]);
  g_ptr_array_sort (topics, compare_topic_labels);

  self->filling = TRUE;
  fill_dropdown (self->level_dropdown, self->level_names, self->levels, _("All Levels"),
                 levels, NULL);
  fill_dropdown (self->topic_dropdown, self->topic_names, self->topics, _("All Topics"),
                 topics, rh_scenario_topic_get_label);
  self->filling = FALSE;

  apply_filter (self);
}

static void
filter_changed_cb (RhScenarioLibraryPage *self)
{
  apply_filter (self);
}

static void
search_changed_cb (RhScenarioLibraryPage *self)
{
  apply_filter (self);
}

static GtkWidget *
first_row (RhScenarioLibraryPage *self)
{
  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, 0));
}

/* Escape clears the search, and on an empty search goes back. */
static void
stop_search_cb (RhScenarioLibraryPage *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "window.go-back", NULL);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter in the search goes to the first match. */
static void
search_activate_cb (RhScenarioLibraryPage *self)
{
  GtkWidget *row;

  apply_filter (self);
  if ((row = first_row (self)) != NULL)
    gtk_widget_grab_focus (row);
}

/* ---- actions ---- */

static void
editor_saved_cb (RhScenarioLibraryPage *self,
                 const char            *scenario_id,
                 const char            *title)
{
  AdwToast *toast;

  rh_scenario_library_page_reload (self);
  rh_scenario_library_page_focus (self, scenario_id);
  toast = adw_toast_new_format (_("Saved “%s”"), title);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
open_editor (RhScenarioLibraryPage *self,
             const char            *scenario_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *editor;

  editor = rh_scenario_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   self->library, scenario_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (editor);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (RH_SCENARIO_LIBRARY_PAGE (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_editor (RH_SCENARIO_LIBRARY_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) copy = NULL;
  AdwToast *toast;

  if (!(copy = rh_scenario_library_duplicate (self->library,
                                              g_variant_get_string (parameter, NULL), NULL,
                                              &error)))
    {
      show_error (self, error);
      return;
    }

  rh_scenario_library_page_reload (self);
  rh_scenario_library_page_focus (self, rh_scenario_get_id (copy));
  toast = adw_toast_new_format (_("Added “%s”"), rh_scenario_get_title (copy));
  adw_toast_set_button_label (toast, _("_Edit"));
  adw_toast_set_action_name (toast, "library.edit");
  adw_toast_set_action_target_value (toast, g_variant_new_string (rh_scenario_get_id (copy)));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
delete_response_cb (AdwMessageDialog      *dialog,
                    const char            *response,
                    RhScenarioLibraryPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "rh-scenario-id");
  const char *title = g_object_get_data (G_OBJECT (dialog), "rh-scenario-title");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  if (!rh_scenario_library_delete (self->library, id, &error))
    {
      show_error (self, error);
      return;
    }
  rh_scenario_library_page_reload (self);
  rh_scenario_library_page_focus (self, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new_format (_("Deleted “%s”"), title));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenarioSummary) summary = NULL;
  g_autofree char *heading = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  const char *title;

  if (!(summary = rh_scenario_library_get_summary (self->library, id, &error)))
    {
      show_error (self, error);
      return;
    }

  title = rh_scenario_summary_get_title (summary);
  heading = g_strdup_printf (_("Delete “%s”?"), title);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, NULL));
  if (rh_scenario_summary_is_bundled (summary))
    adw_message_dialog_set_body (dialog,
                                 _("It comes with Rehearse and will not come back with updates. "
                                   "Your runs stay in the statistics, and its phrase cards in "
                                   "their deck."));
  else
    adw_message_dialog_set_body (dialog,
                                 _("This cannot be undone. Your runs stay in the statistics, "
                                   "and its phrase cards in their deck."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rh-scenario-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "rh-scenario-title", g_strdup (title), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (widget);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->level_dropdown, 0);
  gtk_drop_down_set_selected (self->topic_dropdown, 0);
  self->filling = FALSE;
  apply_filter (self);
  rh_scenario_library_page_focus (self, NULL);
}

/* ---- public ---- */

/**
 * rh_scenario_library_page_new:
 *
 * Returns: (transfer floating): the library page on @collection
 */
GtkWidget *
rh_scenario_library_page_new (RhCollection *collection)
{
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_SCENARIO_LIBRARY_PAGE,
                       "collection", collection,
                       NULL);
}

RhCollection *
rh_scenario_library_page_get_collection (RhScenarioLibraryPage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), NULL);

  return self->collection;
}

/**
 * rh_scenario_library_page_get_library:
 *
 * Returns: (transfer none) (nullable): the library the page shows
 */
RhScenarioLibrary *
rh_scenario_library_page_get_library (RhScenarioLibraryPage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), NULL);

  return self->library;
}

/**
 * rh_scenario_library_page_get_model:
 *
 * Returns: (transfer none): the scenarios shown, as #RhScenarioSummary
 */
GListModel *
rh_scenario_library_page_get_model (RhScenarioLibraryPage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), NULL);

  return G_LIST_MODEL (self->store);
}

/**
 * _rh_scenario_library_page_get_row:
 *
 * Returns: (transfer none) (nullable): the row of a scenario on show
 */
GtkWidget *
_rh_scenario_library_page_get_row (RhScenarioLibraryPage *self,
                                   const char            *scenario_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "rh-scenario-id"), scenario_id) == 0)
      return GTK_WIDGET (row);
  return NULL;
}

/**
 * rh_scenario_library_page_focus:
 * @scenario_id: (nullable): the scenario whose row takes the focus, or
 *   %NULL for the first row
 *
 * Gives the keyboard to the list (or to the search when nothing shows),
 * now or when the page next shows.
 */
void
rh_scenario_library_page_focus (RhScenarioLibraryPage *self,
                                const char            *scenario_id)
{
  GtkWidget *row = NULL;

  g_return_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_free (self->pending_focus);
      self->pending_focus = g_strdup (scenario_id ? scenario_id : "");
      return;
    }

  if (scenario_id != NULL)
    row = _rh_scenario_library_page_get_row (self, scenario_id);
  if (row == NULL)
    row = first_row (self);
  if (row != NULL)
    gtk_widget_grab_focus (row);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static gboolean
select_value (GtkDropDown *dropdown,
              GPtrArray   *values,
              const char  *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value ? value : ""))
      {
        gtk_drop_down_set_selected (dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/**
 * _rh_scenario_library_page_select_level:
 * @level: (nullable): a level the dropdown offers, or %NULL for all
 *
 * Picks a level in the level filter, as a click would.
 */
gboolean
_rh_scenario_library_page_select_level (RhScenarioLibraryPage *self,
                                        const char            *level)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), FALSE);

  return select_value (self->level_dropdown, self->levels, level);
}

gboolean
_rh_scenario_library_page_select_topic (RhScenarioLibraryPage *self,
                                        const char            *topic)
{
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self), FALSE);

  return select_value (self->topic_dropdown, self->topics, topic);
}

/**
 * _rh_scenario_library_page_search:
 *
 * Types @text into the search and applies it at once.
 */
void
_rh_scenario_library_page_search (RhScenarioLibraryPage *self,
                                  const char            *text)
{
  g_return_if_fail (RH_IS_SCENARIO_LIBRARY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  apply_filter (self);
}

/* ---- GObject ---- */

static void
set_collection (RhScenarioLibraryPage *self,
                RhCollection          *collection)
{
  g_set_object (&self->collection, collection);
  g_clear_object (&self->library);
  if (collection != NULL)
    self->library = rh_scenario_library_new (collection);
}

static void
rh_scenario_library_page_map (GtkWidget *widget)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (widget);
  g_autofree char *pending = g_steal_pointer (&self->pending_focus);
  GtkRoot *root;
  GtkWidget *focus;

  GTK_WIDGET_CLASS (rh_scenario_library_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (pending != NULL)
    rh_scenario_library_page_focus (self, *pending ? pending : NULL);
  else if (focus == NULL || !gtk_widget_is_ancestor (focus, widget))
    rh_scenario_library_page_focus (self, NULL);
}

static void
rh_scenario_library_page_dispose (GObject *object)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (object);

  /* AdwBin 1.2 unparents its child itself: hand it over first, or the
   * template would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_SCENARIO_LIBRARY_PAGE);
  g_clear_object (&self->library);
  g_clear_object (&self->collection);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rh_scenario_library_page_parent_class)->dispose (object);
}

static void
rh_scenario_library_page_finalize (GObject *object)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (object);

  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_free (self->pending_focus);

  G_OBJECT_CLASS (rh_scenario_library_page_parent_class)->finalize (object);
}

static void
rh_scenario_library_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (object);

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
rh_scenario_library_page_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RhScenarioLibraryPage *self = RH_SCENARIO_LIBRARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      set_collection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_scenario_library_page_class_init (RhScenarioLibraryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_scenario_library_page_dispose;
  object_class->finalize = rh_scenario_library_page_finalize;
  object_class->get_property = rh_scenario_library_page_get_property;
  object_class->set_property = rh_scenario_library_page_set_property;
  widget_class->map = rh_scenario_library_page_map;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-scenario-library-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, level_names);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, topic_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, topic_names);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioLibraryPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);

  gtk_widget_class_install_action (widget_class, "library.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "library.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "library.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "library.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "library.clear-filters", NULL,
                                   clear_filters_action);
}

static void
rh_scenario_library_page_init (RhScenarioLibraryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (RH_TYPE_SCENARIO_SUMMARY);
  self->levels = g_ptr_array_new_with_free_func (g_free);
  self->topics = g_ptr_array_new_with_free_func (g_free);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row, self, NULL);
  /* typing anywhere on the page searches */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}
