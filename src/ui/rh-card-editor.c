// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-card-editor.h"
#include "rh-discard-dialog.h"
#include "rh-domain-error.h"
#include "rh-id.h"

struct _RhCardEditor
{
  AdwWindow        parent_instance;

  RhCollection    *collection;
  char            *card_id;
  /* deck ids in the order of the dropdown; a %NULL entry stands for a
   * deck still to be made (the collection has none yet) */
  GPtrArray       *deck_ids;
  /* validates fields exactly as the collection will */
  RhFlashcard     *probe;
  /* the fields as they were opened (or after the last card added), to
   * tell whether closing would lose anything */
  char            *baseline[RH_CARD_EDITOR_N_FIELDS];
  guint            baseline_deck;
  /* closing without asking: saved, or the learner chose to discard */
  gboolean         may_close;

  /* template */
  AdwToastOverlay *toast_overlay;
  GtkButton       *save_button;
  GtkLabel        *general_error;
  GtkDropDown     *deck_dropdown;
  GtkStringList   *deck_names;
  GtkTextView     *front_view;
  GtkTextView     *back_view;
  GtkTextView     *notes_view;
  GtkWidget       *front_frame;
  GtkWidget       *back_frame;
  GtkWidget       *notes_frame;
  AdwEntryRow     *example_row;
  AdwEntryRow     *tags_row;
  GtkLabel        *front_error;
  GtkLabel        *back_error;
  GtkLabel        *notes_error;
  GtkLabel        *example_error;
  GtkLabel        *tags_error;
};

G_DEFINE_FINAL_TYPE (RhCardEditor, rh_card_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static GtkLabel *
error_label (RhCardEditor      *self,
             RhCardEditorField  field)
{
  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_FRONT:
      return self->front_error;
    case RH_CARD_EDITOR_FIELD_BACK:
      return self->back_error;
    case RH_CARD_EDITOR_FIELD_NOTES:
      return self->notes_error;
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
      return self->example_error;
    case RH_CARD_EDITOR_FIELD_TAGS:
      return self->tags_error;
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* The widget that is marked and focused when a field is invalid. */
static GtkWidget *
field_widget (RhCardEditor      *self,
              RhCardEditorField  field)
{
  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_FRONT:
      return GTK_WIDGET (self->front_view);
    case RH_CARD_EDITOR_FIELD_BACK:
      return GTK_WIDGET (self->back_view);
    case RH_CARD_EDITOR_FIELD_NOTES:
      return GTK_WIDGET (self->notes_view);
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
      return GTK_WIDGET (self->example_row);
    case RH_CARD_EDITOR_FIELD_TAGS:
      return GTK_WIDGET (self->tags_row);
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
field_frame (RhCardEditor      *self,
             RhCardEditorField  field)
{
  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_FRONT:
      return self->front_frame;
    case RH_CARD_EDITOR_FIELD_BACK:
      return self->back_frame;
    case RH_CARD_EDITOR_FIELD_NOTES:
      return self->notes_frame;
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
      return GTK_WIDGET (self->example_row);
    case RH_CARD_EDITOR_FIELD_TAGS:
      return GTK_WIDGET (self->tags_row);
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_field_error (RhCardEditor      *self,
                 RhCardEditorField  field,
                 const char        *message)
{
  GtkLabel *label = error_label (self, field);
  GtkWidget *widget = field_widget (self, field);
  GtkWidget *frame = field_frame (self, field);

  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (frame, "error");
  else
    gtk_widget_remove_css_class (frame, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
set_general_error (RhCardEditor *self,
                   const char   *message)
{
  gtk_label_set_label (self->general_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), message != NULL);
}

static void
clear_errors (RhCardEditor *self)
{
  for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
    set_field_error (self, i, NULL);
  set_general_error (self, NULL);
}

static char *
dup_text (RhCardEditor      *self,
          RhCardEditorField  field)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->example_row)));
    case RH_CARD_EDITOR_FIELD_TAGS:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)));
    case RH_CARD_EDITOR_FIELD_FRONT:
    case RH_CARD_EDITOR_FIELD_BACK:
    case RH_CARD_EDITOR_FIELD_NOTES:
      buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field_widget (self, field)));
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_text (RhCardEditor      *self,
          RhCardEditorField  field,
          const char        *text)
{
  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
    case RH_CARD_EDITOR_FIELD_TAGS:
      gtk_editable_set_text (GTK_EDITABLE (field_widget (self, field)), text ? text : "");
      break;
    case RH_CARD_EDITOR_FIELD_FRONT:
    case RH_CARD_EDITOR_FIELD_BACK:
    case RH_CARD_EDITOR_FIELD_NOTES:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field_widget (self,
                                                                                       field))),
                                text ? text : "", -1);
      break;
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* Tags as typed: words between spaces or commas. The domain lower-cases
 * and de-duplicates them. */
static GStrv
split_tags (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", " ,\t\n", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static gboolean
validate_field (RhCardEditor        *self,
                RhCardEditorField    field,
                const RhCardDraft   *draft,
                GError             **error)
{
  switch (field)
    {
    case RH_CARD_EDITOR_FIELD_FRONT:
      return rh_flashcard_set_front (self->probe, draft->front, error);
    case RH_CARD_EDITOR_FIELD_BACK:
      return rh_flashcard_set_back (self->probe, draft->back, error);
    case RH_CARD_EDITOR_FIELD_NOTES:
      return rh_flashcard_set_notes (self->probe, draft->notes, error);
    case RH_CARD_EDITOR_FIELD_EXAMPLE:
      return rh_flashcard_set_example (self->probe, draft->example, error);
    case RH_CARD_EDITOR_FIELD_TAGS:
      return rh_flashcard_set_tags (self->probe, draft->tags, error);
    case RH_CARD_EDITOR_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* Shows every field's problem at once, under the field, so a learner
 * fixes them in one go; focuses the first. */
static gboolean
check_fields (RhCardEditor      *self,
              const RhCardDraft *draft)
{
  GtkWidget *first = NULL;

  for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
    {
      g_autoptr(GError) error = NULL;

      if (validate_field (self, i, draft, &error))
        continue;
      set_field_error (self, i, error->message);
      if (first == NULL)
        first = field_widget (self, i);
    }

  if (first != NULL)
    gtk_widget_grab_focus (first);
  return first == NULL;
}

/* The collection refused the card: put its message under the field it is
 * about, or above the form when it is about no field. */
static void
show_save_error (RhCardEditor      *self,
                 const RhCardDraft *draft,
                 const GError      *error)
{
  if (error->domain == RH_DOMAIN_ERROR)
    for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
      {
        g_autoptr(GError) field_error = NULL;

        if (!validate_field (self, i, draft, &field_error) &&
            field_error->code == error->code)
          {
            set_field_error (self, i, error->message);
            gtk_widget_grab_focus (field_widget (self, i));
            return;
          }
      }
  set_general_error (self, error->message);
}

/* The dropdown's deck, made first when the collection has no deck yet. */
static char *
dup_deck_id (RhCardEditor  *self,
             GError       **error)
{
  guint selected = gtk_drop_down_get_selected (self->deck_dropdown);
  g_autoptr(RhDeck) deck = NULL;

  if (selected < self->deck_ids->len && self->deck_ids->pdata[selected] != NULL)
    return g_strdup (self->deck_ids->pdata[selected]);

  if (!(deck = rh_collection_ensure_deck (self->collection, _("Default"), NULL, error)))
    return NULL;
  return g_strdup (rh_deck_get_id (deck));
}

static void
load_decks (RhCardEditor *self,
            const char   *select_id)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  if (!(decks = rh_collection_list_decks (self->collection, &error)))
    {
      set_general_error (self, error->message);
      decks = g_ptr_array_new ();
    }

  g_ptr_array_set_size (self->deck_ids, 0);
  for (guint i = 0; i < decks->len; i++)
    {
      RhDeckSummary *summary = decks->pdata[i];
      const char *id = rh_deck_get_id (summary->deck);

      g_ptr_array_add (self->deck_ids, g_strdup (id));
      gtk_string_list_append (self->deck_names, rh_deck_get_name (summary->deck));
      if (g_strcmp0 (id, select_id) == 0)
        selected = i;
    }
  if (decks->len == 0)
    {
      g_ptr_array_add (self->deck_ids, NULL);
      gtk_string_list_append (self->deck_names, _("Default"));
    }
  gtk_drop_down_set_selected (self->deck_dropdown, selected);
  gtk_drop_down_set_enable_search (self->deck_dropdown, decks->len > 10);
}

/* ---- closing with unsaved changes ---- */

static void
remember_baseline (RhCardEditor *self)
{
  for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
    {
      g_free (self->baseline[i]);
      self->baseline[i] = dup_text (self, i);
    }
  self->baseline_deck = gtk_drop_down_get_selected (self->deck_dropdown);
}

static gboolean
has_changes (RhCardEditor *self)
{
  for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
    {
      g_autofree char *text = dup_text (self, i);

      if (g_strcmp0 (text, self->baseline[i]) != 0)
        return TRUE;
    }
  /* moving a card is a change; the deck new cards go to is not */
  return self->card_id != NULL &&
         gtk_drop_down_get_selected (self->deck_dropdown) != self->baseline_deck;
}

static gboolean
rh_card_editor_close_request (GtkWindow *window)
{
  RhCardEditor *self = RH_CARD_EDITOR (window);

  if (self->may_close || !has_changes (self))
    return FALSE;

  rh_discard_dialog_present (window,
                             self->card_id != NULL
                               ? _("The changes to this card have not been saved.")
                               : _("The card you are writing has not been added."),
                             &self->may_close);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhCardEditor *self = RH_CARD_EDITOR (widget);
  g_autofree char *front = dup_text (self, RH_CARD_EDITOR_FIELD_FRONT);
  g_autofree char *back = dup_text (self, RH_CARD_EDITOR_FIELD_BACK);
  g_autofree char *notes = dup_text (self, RH_CARD_EDITOR_FIELD_NOTES);
  g_autofree char *example = dup_text (self, RH_CARD_EDITOR_FIELD_EXAMPLE);
  g_autofree char *tags_text = dup_text (self, RH_CARD_EDITOR_FIELD_TAGS);
  g_auto(GStrv) tags = split_tags (tags_text);
  g_autofree char *deck_id = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GError) error = NULL;
  RhCardDraft draft = {
    .front = front,
    .back = back,
    .notes = notes,
    .example = example,
    .tags = (const char * const *) tags,
  };

  clear_errors (self);
  if (!check_fields (self, &draft))
    return;

  if (!(deck_id = dup_deck_id (self, &error)))
    {
      set_general_error (self, error->message);
      return;
    }
  draft.deck_id = deck_id;

  if (self->card_id == NULL)
    card = rh_collection_add_card (self->collection, &draft, &error);
  else
    card = rh_collection_edit_card (self->collection, self->card_id, &draft, &error);

  if (card == NULL)
    {
      show_save_error (self, &draft, error);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0);

  if (self->card_id != NULL)
    {
      self->may_close = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* Adding goes on: the deck and tags stay for the next card. */
  if (self->deck_ids->len > 0 && self->deck_ids->pdata[0] == NULL)
    {
      gtk_string_list_splice (self->deck_names, 0, 1, NULL);
      g_ptr_array_set_size (self->deck_ids, 0);
      load_decks (self, deck_id);
    }
  set_text (self, RH_CARD_EDITOR_FIELD_FRONT, "");
  set_text (self, RH_CARD_EDITOR_FIELD_BACK, "");
  set_text (self, RH_CARD_EDITOR_FIELD_NOTES, "");
  set_text (self, RH_CARD_EDITOR_FIELD_EXAMPLE, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->front_view));
  remember_baseline (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Card added")));
}

static void
load_card (RhCardEditor *self,
           const char   *fallback_deck_id)
{
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tags = NULL;

  if (self->card_id == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Card"));
      gtk_button_set_label (self->save_button, _("_Add"));
      load_decks (self, fallback_deck_id);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Card"));
  gtk_button_set_label (self->save_button, _("_Save"));

  if (!(card = rh_collection_get_card (self->collection, self->card_id, &error)))
    {
      load_decks (self, fallback_deck_id);
      set_general_error (self, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
      return;
    }

  load_decks (self, rh_flashcard_get_deck_id (card));
  tags = rh_flashcard_dup_tags_string (card);
  set_text (self, RH_CARD_EDITOR_FIELD_FRONT, rh_flashcard_get_front (card));
  set_text (self, RH_CARD_EDITOR_FIELD_BACK, rh_flashcard_get_back (card));
  set_text (self, RH_CARD_EDITOR_FIELD_NOTES, rh_flashcard_get_notes (card));
  set_text (self, RH_CARD_EDITOR_FIELD_EXAMPLE, rh_flashcard_get_example (card));
  set_text (self, RH_CARD_EDITOR_FIELD_TAGS, tags);
}

static void
install_css (void)
{
  static const char css[] =
    "window.rh-card-editor frame.error {"
    "  border-color: @error_color;"
    "  box-shadow: 0 0 0 1px @error_color;"
    "}";
  static gboolean installed;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (installed || display == NULL)
    return;
  installed = TRUE;

  /* A frame has no error look of its own; match the entries'. */
  provider = gtk_css_provider_new ();
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (provider, css);
#else
  gtk_css_provider_load_from_data (provider, css, -1);
#endif
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
rh_card_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RH_TYPE_CARD_EDITOR);

  G_OBJECT_CLASS (rh_card_editor_parent_class)->dispose (object);
}

static void
rh_card_editor_finalize (GObject *object)
{
  RhCardEditor *self = RH_CARD_EDITOR (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->probe);
  g_clear_pointer (&self->deck_ids, g_ptr_array_unref);
  g_free (self->card_id);
  for (guint i = 0; i < RH_CARD_EDITOR_N_FIELDS; i++)
    g_free (self->baseline[i]);

  G_OBJECT_CLASS (rh_card_editor_parent_class)->finalize (object);
}

static void
rh_card_editor_class_init (RhCardEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rh_card_editor_dispose;
  object_class->finalize = rh_card_editor_finalize;
  window_class->close_request = rh_card_editor_close_request;

  /**
   * RhCardEditor::saved:
   *
   * A card was added or changed in the collection.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-card-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, deck_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, deck_names);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, front_view);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, back_view);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, front_frame);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, back_frame);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, notes_frame);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, example_row);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, front_error);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, back_error);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, notes_error);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, example_error);
  gtk_widget_class_bind_template_child (widget_class, RhCardEditor, tags_error);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rh_card_editor_init (RhCardEditor *self)
{
  g_autofree char *probe_deck = rh_id_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "rh-card-editor");
  install_css ();

  self->deck_ids = g_ptr_array_new_with_free_func (g_free);
  self->probe = rh_flashcard_new (probe_deck, "-", "-", NULL);
  g_assert (self->probe != NULL);
}

/**
 * rh_card_editor_new:
 * @parent: (nullable): the window the editor belongs to
 * @collection: the collection to write to
 * @card_id: (nullable): the card to edit, or %NULL to add cards
 * @deck_id: (nullable): the deck new cards go to at first
 *
 * A modal window that adds cards one after another, or edits one card.
 * Present it; it emits #RhCardEditor::saved each time it writes a card.
 *
 * Returns: (transfer none): the editor window, owned by GTK's window list
 */
GtkWindow *
rh_card_editor_new (GtkWindow    *parent,
                    RhCollection *collection,
                    const char   *card_id,
                    const char   *deck_id)
{
  RhCardEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  self = g_object_new (RH_TYPE_CARD_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->collection = g_object_ref (collection);
  self->card_id = g_strdup (card_id);
  load_card (self, deck_id);
  remember_baseline (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->front_view));

  return GTK_WINDOW (self);
}

/**
 * _rh_card_editor_set_text:
 *
 * Types @text into @field, for tests.
 */
void
_rh_card_editor_set_text (RhCardEditor      *self,
                          RhCardEditorField  field,
                          const char        *text)
{
  g_return_if_fail (RH_IS_CARD_EDITOR (self));
  g_return_if_fail (field < RH_CARD_EDITOR_N_FIELDS);

  set_text (self, field, text);
}

/**
 * _rh_card_editor_dup_text:
 *
 * Returns: (transfer full): what @field holds
 */
char *
_rh_card_editor_dup_text (RhCardEditor      *self,
                          RhCardEditorField  field)
{
  g_return_val_if_fail (RH_IS_CARD_EDITOR (self), NULL);
  g_return_val_if_fail (field < RH_CARD_EDITOR_N_FIELDS, NULL);

  return dup_text (self, field);
}

/**
 * _rh_card_editor_get_error:
 *
 * Returns: (nullable): the message shown under @field, or %NULL
 */
const char *
_rh_card_editor_get_error (RhCardEditor      *self,
                           RhCardEditorField  field)
{
  GtkLabel *label;

  g_return_val_if_fail (RH_IS_CARD_EDITOR (self), NULL);
  g_return_val_if_fail (field < RH_CARD_EDITOR_N_FIELDS, NULL);

  label = error_label (self, field);
  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_label (label);
}
