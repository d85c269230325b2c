// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-discard-dialog.h"
#include "rh-scenario-editor.h"
#include "rh-scenario-practice.h"

/*
 * Writing and changing the learner's own scenarios: the situation (title,
 * level, topic, description, goal) and the dialogue, an ordered list of
 * partner lines and learner turns. The domain's rules
 * (rh_scenario_draft_check()) run on every change and their messages
 * show next to the field they are about, once the learner has been in
 * that field; Save stays off while any rule fails.
 */

typedef enum
{
  PART_TEXT,
  PART_ACCEPTED,
  PART_PHRASES,
  PART_HINTS,
  N_PARTS
} TurnPart;

typedef enum
{
  DETAIL_TITLE,
  DETAIL_LEVEL,
  DETAIL_TOPIC,
  DETAIL_DESCRIPTION,
  DETAIL_GOAL,
  N_DETAILS
} Detail;

typedef struct
{
  RhScenarioEditor *editor;
  RhTurnKind        kind;
  GtkWidget        *box;
  GtkLabel         *heading;
  GtkWidget        *up_button;
  GtkWidget        *down_button;
  GtkWidget        *remove_button;
  GtkTextView      *views[N_PARTS];
  GtkWidget        *frames[N_PARTS];
  GtkLabel         *errors[N_PARTS];
  gboolean          touched;
} TurnEditor;

struct _RhScenarioEditor
{
  AdwWindow          parent_instance;

  RhScenarioLibrary *library;
  char              *scenario_id;
  GPtrArray         *turns;
  /* what the topic row's items stand for: "" for none, then the topics */
  GPtrArray         *topics;
  gboolean           touched[N_DETAILS];
  gboolean           show_all;
  /* the draft as it was opened, to tell whether closing loses anything */
  char              *baseline;
  /* closing without asking: the learner chose to discard */
  gboolean           may_close;
  gboolean           can_save;
  gboolean           loading;

  AdwWindowTitle    *window_title;
  GtkWidget         *save_button;
  GtkLabel          *general_error;
  AdwEntryRow       *title_row;
  AdwComboRow       *level_row;
  AdwComboRow       *topic_row;
  GtkStringList     *topic_names;
  AdwEntryRow       *description_row;
  AdwEntryRow       *goal_row;
  GtkLabel          *details_error;
  GtkLabel          *turns_error;
  GtkBox            *turns_box;
  GtkWidget         *add_partner_button;
  GtkWidget         *add_learner_button;
};

G_DEFINE_FINAL_TYPE (RhScenarioEditor, rh_scenario_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const char * const levels[] = { "A1", "A2", "B1", "B2", "C1", "C2" };

static void validate (RhScenarioEditor *self);

/* ---- reading the fields ---- */

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* One item a line; blank lines do not count. */
static char **
dup_view_lines (GtkTextView *view)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (view == NULL)
    return g_new0 (char *, 1);

  text = dup_view_text (view);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (builder, lines[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

static void
set_view_lines (GtkTextView        *view,
                const char * const *lines)
{
  g_autofree char *text = lines ? g_strjoinv ("\n", (char **) lines) : NULL;

  set_view_text (view, text);
}

typedef struct
{
  RhScenarioDraft      draft;
  RhScenarioTurnDraft *turns;
  guint                n_turns;
  char                *title;
  char                *description;
  char                *goal;
} Draft;

static void
draft_free (Draft *draft)
{
  for (guint i = 0; i < draft->n_turns; i++)
    {
      g_free ((char *) draft->turns[i].text);
      g_strfreev ((char **) draft->turns[i].accepted);
      g_strfreev ((char **) draft->turns[i].key_phrases);
      g_strfreev ((char **) draft->turns[i].hints);
    }
  g_free (draft->turns);
  g_free (draft->title);
  g_free (draft->description);
  g_free (draft->goal);
  g_free (draft);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Draft, draft_free)

static const char *
selected_topic (RhScenarioEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->topic_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected >= self->topics->len)
    return NULL;
  return g_ptr_array_index (self->topics, selected);
}

static const char *
selected_level (RhScenarioEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->level_row);

  return selected < G_N_ELEMENTS (levels) ? levels[selected] : NULL;
}

static char *
dup_optional (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? g_strdup (text) : NULL;
}

static Draft *
read_draft (RhScenarioEditor *self)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  draft->description = dup_optional (self->description_row);
  draft->goal = dup_optional (self->goal_row);
  draft->n_turns = self->turns->len;
  draft->turns = g_new0 (RhScenarioTurnDraft, MAX (draft->n_turns, 1));

  for (guint i = 0; i < self->turns->len; i++)
    {
      TurnEditor *turn = g_ptr_array_index (self->turns, i);
      RhScenarioTurnDraft *out = &draft->turns[i];

      out->kind = turn->kind;
      out->text = dup_view_text (turn->views[PART_TEXT]);
      if (turn->kind == RH_TURN_LEARNER)
        {
          out->accepted = (const char * const *) dup_view_lines (turn->views[PART_ACCEPTED]);
          out->key_phrases = (const char * const *) dup_view_lines (turn->views[PART_PHRASES]);
          out->hints = (const char * const *) dup_view_lines (turn->views[PART_HINTS]);
        }
    }

  draft->draft.title = draft->title;
  draft->draft.level = selected_level (self);
  draft->draft.topic = selected_topic (self);
  draft->draft.description = draft->description;
  draft->draft.goal = draft->goal;
  draft->draft.turns = draft->turns;
  draft->draft.n_turns = draft->n_turns;
  return draft;
}

/* ---- inline messages ---- */

static void
set_part_error (TurnEditor *turn,
                TurnPart    part,
                const char *message)
{
  if (turn->errors[part] == NULL)
    return;

  gtk_label_set_label (turn->errors[part], message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (turn->errors[part]), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (turn->frames[part], "error");
  else
    gtk_widget_remove_css_class (turn->frames[part], "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (turn->views[part]),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static GtkWidget *
detail_widget (RhScenarioEditor *self,
               Detail            detail)
{
  switch (detail)
    {
    case DETAIL_TITLE:
      return GTK_WIDGET (self->title_row);
    case DETAIL_LEVEL:
      return GTK_WIDGET (self->level_row);
    case DETAIL_TOPIC:
      return GTK_WIDGET (self->topic_row);
    case DETAIL_DESCRIPTION:
      return GTK_WIDGET (self->description_row);
    case DETAIL_GOAL:
      return GTK_WIDGET (self->goal_row);
    case N_DETAILS:
    default:
      g_assert_not_reached ();
    }
}

static int
detail_for_field (RhScenarioField field)
{
  switch (field)
    {
    case RH_SCENARIO_FIELD_TITLE:
      return DETAIL_TITLE;
    case RH_SCENARIO_FIELD_LEVEL:
      return DETAIL_LEVEL;
    case RH_SCENARIO_FIELD_TOPIC:
      return DETAIL_TOPIC;
    case RH_SCENARIO_FIELD_DESCRIPTION:
      return DETAIL_DESCRIPTION;
    case RH_SCENARIO_FIELD_GOAL:
      return DETAIL_GOAL;
    case RH_SCENARIO_FIELD_TURNS:
    case RH_SCENARIO_FIELD_TURN_TEXT:
    case RH_SCENARIO_FIELD_TURN_ACCEPTED:
    case RH_SCENARIO_FIELD_TURN_KEY_PHRASES:
    case RH_SCENARIO_FIELD_TURN_HINTS:
    default:
      return -1;
    }
}

static int
part_for_field (RhScenarioField field)
{
  switch (field)
    {
    case RH_SCENARIO_FIELD_TURN_TEXT:
      return PART_TEXT;
    case RH_SCENARIO_FIELD_TURN_ACCEPTED:
      return PART_ACCEPTED;
    case RH_SCENARIO_FIELD_TURN_KEY_PHRASES:
      return PART_PHRASES;
    case RH_SCENARIO_FIELD_TURN_HINTS:
      return PART_HINTS;
    case RH_SCENARIO_FIELD_TITLE:
    case RH_SCENARIO_FIELD_LEVEL:
    case RH_SCENARIO_FIELD_TOPIC:
    case RH_SCENARIO_FIELD_DESCRIPTION:
    case RH_SCENARIO_FIELD_GOAL:
    case RH_SCENARIO_FIELD_TURNS:
    default:
      return -1;
    }
}

static void
set_general_error (RhScenarioEditor *self,
                   const char       *message)
{
  gtk_label_set_label (self->general_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), message != NULL);
}

/* Runs the domain's rules over what the fields say now. */
static void
validate (RhScenarioEditor *self)
{
  g_autoptr(Draft) draft = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *first = NULL;
  gboolean turns_problem = FALSE;

  if (self->loading)
    return;

  draft = read_draft (self);
  problems = rh_scenario_draft_check (&draft->draft);

  for (guint i = 0; i < N_DETAILS; i++)
    gtk_widget_remove_css_class (detail_widget (self, i), "error");
  for (guint i = 0; i < self->turns->len; i++)
    for (guint p = 0; p < N_PARTS; p++)
      set_part_error (g_ptr_array_index (self->turns, i), p, NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      RhScenarioProblem *problem = g_ptr_array_index (problems, i);
      int detail = detail_for_field (problem->field);
      int part = part_for_field (problem->field);

      if (first == NULL)
        first = problem->turn >= 0
                  /* Translators: a problem in one turn of a scenario */
                  ? g_strdup_printf (_("Turn %d: %s"), problem->turn + 1, problem->error->message)
                  : g_strdup (problem->error->message);

      if (detail >= 0)
        {
          if (!self->touched[detail] && !self->show_all)
            continue;
          gtk_widget_add_css_class (detail_widget (self, detail), "error");
          g_string_append_printf (details, "%s%s", details->len ? "\n" : "",
                                  problem->error->message);
        }
      else if (part >= 0 && problem->turn >= 0 && (guint) problem->turn < self->turns->len)
        {
          TurnEditor *turn = g_ptr_array_index (self->turns, problem->turn);

          if ((turn->touched || self->show_all) && turn->errors[part] != NULL &&
              !gtk_widget_get_visible (GTK_WIDGET (turn->errors[part])))
            set_part_error (turn, part, problem->error->message);
        }
      else if (problem->field == RH_SCENARIO_FIELD_TURNS)
        {
          gtk_label_set_label (self->turns_error, problem->error->message);
          turns_problem = TRUE;
        }
    }

  gtk_label_set_label (self->details_error, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_error), details->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->turns_error), turns_problem);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->can_save && problems->len == 0);
  /* An insensitive Save says why. */
  if (first != NULL)
    {
      g_autofree char *tooltip = g_strdup_printf (_("Cannot save yet: %s"), first);
      gtk_widget_set_tooltip_text (self->save_button, tooltip);
    }
  else
    gtk_widget_set_tooltip_text (self->save_button, _("Save the scenario (Ctrl+Enter)"));
}

static void
detail_changed_cb (RhScenarioEditor *self,
                   GParamSpec       *pspec,
                   GObject          *row)
{
  if (self->loading)
    return;
  for (guint i = 0; i < N_DETAILS; i++)
    if (detail_widget (self, i) == GTK_WIDGET (row))
      self->touched[i] = TRUE;
  validate (self);
}

static void
detail_text_changed_cb (RhScenarioEditor *self,
                        GtkEditable      *row)
{
  detail_changed_cb (self, NULL, G_OBJECT (row));
}

static void
detail_leave_cb (GtkEventControllerFocus *controller,
                 RhScenarioEditor        *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  detail_changed_cb (self, NULL, G_OBJECT (row));
}

static void
turn_changed_cb (TurnEditor *turn)
{
  turn->touched = TRUE;
  validate (turn->editor);
}

static void
turn_leave_cb (GtkEventControllerFocus *controller,
               TurnEditor              *turn)
{
  turn_changed_cb (turn);
}

/* ---- turns ---- */

static void
turn_editor_free (TurnEditor *turn)
{
  g_free (turn);
}

static GtkWidget *
make_icon_button (const char *icon_name,
                  const char *tooltip,
                  const char *action_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  /* the target first: the actions take the turn's index (renumber() sets it) */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  return button;
}

static void
add_part (TurnEditor *turn,
          TurnPart    part,
          const char *label_text,
          const char *caption_text)
{
  GtkWidget *label, *frame, *view, *error;
  GtkEventController *focus;

  label = gtk_label_new (label_text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  if (part != PART_TEXT)
    gtk_widget_set_margin_top (label, 6);
  gtk_box_append (GTK_BOX (turn->box), label);

  if (caption_text != NULL)
    {
      GtkWidget *caption = gtk_label_new (caption_text);

      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (turn->box), caption);
    }

  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  /* an empty text view has no height of its own */
  gtk_widget_set_size_request (view, -1, part == PART_ACCEPTED ? 80 : 38);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);

  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_add_css_class (frame, "rh-turn-field");
  gtk_box_append (GTK_BOX (turn->box), frame);

  error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);
  gtk_box_append (GTK_BOX (turn->box), error);

  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label_text,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error, NULL,
                                  -1);

  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                            G_CALLBACK (turn_changed_cb), turn);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (turn_leave_cb), turn);
  gtk_widget_add_controller (view, focus);

  turn->views[part] = GTK_TEXT_VIEW (view);
  turn->frames[part] = frame;
  turn->errors[part] = GTK_LABEL (error);
}

/* Numbers the turns again after one moved, came or went. */
static void
renumber (RhScenarioEditor *self)
{
  for (guint i = 0; i < self->turns->len; i++)
    {
      TurnEditor *turn = g_ptr_array_index (self->turns, i);
      g_autofree char *heading = NULL;
      g_autofree char *up = NULL;
      g_autofree char *down = NULL;
      g_autofree char *remove = NULL;

      if (turn->kind == RH_TURN_PARTNER)
        /* Translators: the heading of a partner's line in the scenario editor */
        heading = g_strdup_printf (_("%u · Partner"), i + 1);
      else
        /* Translators: the heading of the learner's turn in the scenario editor */
        heading = g_strdup_printf (_("%u · You"), i + 1);
      gtk_label_set_label (turn->heading, heading);

      up = g_strdup_printf (_("Move Turn %u Up"), i + 1);
      down = g_strdup_printf (_("Move Turn %u Down"), i + 1);
      remove = g_strdup_printf (_("Remove Turn %u"), i + 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (turn->up_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, up, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (turn->down_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, down, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (turn->remove_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (turn->up_button), "u", i);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (turn->down_button), "u", i);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (turn->remove_button), "u", i);
      gtk_widget_set_sensitive (turn->up_button, i > 0);
      gtk_widget_set_sensitive (turn->down_button, i + 1 < self->turns->len);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-partner",
                                 self->turns->len < RH_SCENARIO_MAX_TURNS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-learner",
                                 self->turns->len < RH_SCENARIO_MAX_TURNS);
}

static TurnEditor *
add_turn (RhScenarioEditor     *self,
          RhTurnKind            kind,
          const RhScenarioTurn *from)
{
  TurnEditor *turn = g_new0 (TurnEditor, 1);
  GtkWidget *header, *heading;

  turn->editor = self;
  turn->kind = kind;
  turn->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (turn->box, "card");
  gtk_widget_add_css_class (turn->box, "rh-turn-editor");
  gtk_widget_add_css_class (turn->box, kind == RH_TURN_PARTNER ? "rh-turn-partner"
                                                               : "rh-turn-learner");

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (header), heading);
  turn->heading = GTK_LABEL (heading);

  turn->up_button = make_icon_button ("go-up-symbolic", _("Move Up"), "editor.move-up");
  turn->down_button = make_icon_button ("go-down-symbolic", _("Move Down"), "editor.move-down");
  turn->remove_button = make_icon_button ("user-trash-symbolic", _("Remove"),
                                          "editor.remove-turn");
  gtk_box_append (GTK_BOX (header), turn->up_button);
  gtk_box_append (GTK_BOX (header), turn->down_button);
  gtk_box_append (GTK_BOX (header), turn->remove_button);
  gtk_box_append (GTK_BOX (turn->box), header);

  if (kind == RH_TURN_PARTNER)
    add_part (turn, PART_TEXT, _("What the partner says"), NULL);
  else
    {
      g_autofree char *hints_caption =
        g_strdup_printf (ngettext ("Optional. Each hint a learner asks for costs %d point.",
                                   "Optional. Each hint a learner asks for costs %d points.",
                                   RH_PRACTICE_HINT_COST),
                         RH_PRACTICE_HINT_COST);

      add_part (turn, PART_TEXT, _("Your task"),
                _("What to say, as an instruction: “Ask for a room for two nights.”"));
      add_part (turn, PART_ACCEPTED, _("Accepted answers"),
                _("One a line: every way of saying it that counts as right."));
      add_part (turn, PART_PHRASES, _("Key phrases"),
                _("Optional. Phrases a good answer uses; missed ones become flashcards."));
      add_part (turn, PART_HINTS, _("Hints"), hints_caption);
    }

  if (from != NULL)
    {
      set_view_text (turn->views[PART_TEXT], from->text);
      if (kind == RH_TURN_LEARNER)
        {
          set_view_lines (turn->views[PART_ACCEPTED], (const char * const *) from->accepted);
          set_view_lines (turn->views[PART_PHRASES], (const char * const *) from->key_phrases);
          set_view_lines (turn->views[PART_HINTS], (const char * const *) from->hints);
        }
    }
  /* Filling it in is not touching it. */
  turn->touched = FALSE;

  g_ptr_array_add (self->turns, turn);
  gtk_box_append (self->turns_box, turn->box);
  renumber (self);
  return turn;
}

static void
add_turn_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (widget);
  RhTurnKind kind = g_str_equal (action_name, "editor.add-partner") ? RH_TURN_PARTNER
                                                                    : RH_TURN_LEARNER;
  TurnEditor *turn = add_turn (self, kind, NULL);

  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (turn->views[PART_TEXT]));
}

static void
move_turn (RhScenarioEditor *self,
           guint             index,
           int               delta)
{
  guint other = index + delta;
  TurnEditor *turn, *neighbour;
  GtkWidget *focus_to;

  if (index >= self->turns->len || other >= self->turns->len)
    return;

  turn = g_ptr_array_index (self->turns, index);
  neighbour = g_ptr_array_index (self->turns, other);
  self->turns->pdata[index] = neighbour;
  self->turns->pdata[other] = turn;

  /* @turn goes where @neighbour was */
  if (delta < 0)
    gtk_box_reorder_child_after (self->turns_box, neighbour->box, turn->box);
  else
    gtk_box_reorder_child_after (self->turns_box, turn->box, neighbour->box);

  renumber (self);
  validate (self);

  /* The keyboard stays on the turn that moved. */
  focus_to = delta < 0 ? turn->up_button : turn->down_button;
  if (!gtk_widget_get_sensitive (focus_to))
    focus_to = delta < 0 ? turn->down_button : turn->up_button;
  gtk_widget_grab_focus (focus_to);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  move_turn (RH_SCENARIO_EDITOR (widget), g_variant_get_uint32 (parameter), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_turn (RH_SCENARIO_EDITOR (widget), g_variant_get_uint32 (parameter), +1);
}

static void
remove_turn_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (widget);
  guint index = g_variant_get_uint32 (parameter);
  TurnEditor *turn;

  if (index >= self->turns->len)
    return;

  turn = g_ptr_array_index (self->turns, index);
  gtk_box_remove (self->turns_box, turn->box);
  g_ptr_array_remove_index (self->turns, index);
  renumber (self);
  validate (self);

  if (self->turns->len == 0)
    gtk_widget_grab_focus (self->add_learner_button);
  else
    {
      TurnEditor *next = g_ptr_array_index (self->turns, MIN (index, self->turns->len - 1));
      gtk_widget_grab_focus (next->remove_button);
    }
}

/* ---- closing with unsaved changes ---- */

static void
append_field (GString    *out,
              const char *text)
{
  /* a unit separator between fields: no field can hold one unseen */
  g_string_append (out, text ? text : "");
  g_string_append_c (out, '\x1f');
}

static void
append_lines (GString            *out,
              const char * const *lines)
{
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\x1e');
    }
  g_string_append_c (out, '\x1f');
}

/* Everything the editor would save, as one string. */
static char *
dup_fingerprint (RhScenarioEditor *self)
{
  g_autoptr(Draft) draft = read_draft (self);
  GString *out = g_string_new (NULL);

  append_field (out, draft->draft.title);
  append_field (out, draft->draft.level);
  append_field (out, draft->draft.topic);
  append_field (out, draft->draft.description);
  append_field (out, draft->draft.goal);
  for (guint i = 0; i < draft->n_turns; i++)
    {
      g_string_append_c (out, draft->turns[i].kind == RH_TURN_LEARNER ? 'L' : 'P');
      append_field (out, draft->turns[i].text);
      append_lines (out, draft->turns[i].accepted);
      append_lines (out, draft->turns[i].key_phrases);
      append_lines (out, draft->turns[i].hints);
    }
  return g_string_free (out, FALSE);
}

static gboolean
rh_scenario_editor_close_request (GtkWindow *window)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (window);
  g_autofree char *now = NULL;

  if (self->may_close || self->baseline == NULL ||
      g_str_equal ((now = dup_fingerprint (self)), self->baseline))
    return FALSE;

  rh_discard_dialog_present (window, _("The scenario has not been saved."), &self->may_close);
  return TRUE;
}

/* ---- saving ---- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (widget);
  g_autoptr(Draft) draft = read_draft (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = NULL;

  if (self->scenario_id != NULL)
    scenario = rh_scenario_library_update (self->library, self->scenario_id, &draft->draft,
                                           &error);
  else
    scenario = rh_scenario_library_create (self->library, &draft->draft, &error);

  if (scenario == NULL)
    {
      self->show_all = TRUE;
      validate (self);
      set_general_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals [SAVED], 0, rh_scenario_get_id (scenario),
                 rh_scenario_get_title (scenario));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- loading ---- */

static int
compare_topic_labels (gconstpointer a,
                      gconstpointer b)
{
  return g_utf8_collate (rh_scenario_topic_get_label (*(const char * const *) a),
                         rh_scenario_topic_get_label (*(const char * const *) b));
}

static void
fill_topics (RhScenarioEditor *self,
             const char       *current)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = rh_scenario_library_list_topics (self->library, &error);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  guint position = 0;

  if (topics == NULL)
    g_warning ("Cannot list the topics: %s", error->message);

  for (guint i = 0; topics != NULL && topics[i]; i++)
    g_ptr_array_add (sorted, topics[i]);
  if (current != NULL && (topics == NULL || !g_strv_contains ((const char * const *) topics,
                                                               current)))
    g_ptr_array_add (sorted, (gpointer) current);
  g_ptr_array_sort (sorted, compare_topic_labels);

  g_ptr_array_add (self->topics, g_strdup (""));
  /* Translators: a scenario without a topic */
  gtk_string_list_append (self->topic_names, _("None"));
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *topic = g_ptr_array_index (sorted, i);

      g_ptr_array_add (self->topics, g_strdup (topic));
      gtk_string_list_append (self->topic_names, rh_scenario_topic_get_label (topic));
      if (g_strcmp0 (topic, current) == 0)
        position = self->topics->len - 1;
    }
  adw_combo_row_set_selected (self->topic_row, position);
}

static void
select_level (RhScenarioEditor *self,
              const char       *level)
{
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (levels[i], level) == 0)
      adw_combo_row_set_selected (self->level_row, i);
}

static void
load (RhScenarioEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhScenario) scenario = NULL;

  self->loading = TRUE;

  if (self->scenario_id == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Scenario"));
      adw_window_title_set_title (self->window_title, _("New Scenario"));
      select_level (self, "B1");
      fill_topics (self, NULL);
      add_turn (self, RH_TURN_PARTNER, NULL);
      add_turn (self, RH_TURN_LEARNER, NULL);
      self->loading = FALSE;
      validate (self);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Scenario"));
  adw_window_title_set_title (self->window_title, _("Edit Scenario"));

  if (!(scenario = rh_scenario_library_get (self->library, self->scenario_id, &error)))
    {
      fill_topics (self, NULL);
      self->loading = FALSE;
      self->can_save = FALSE;
      validate (self);
      set_general_error (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), rh_scenario_get_title (scenario));
  select_level (self, rh_scenario_get_level (scenario));
  fill_topics (self, rh_scenario_get_topic (scenario));
  gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                         rh_scenario_get_description (scenario)
                           ? rh_scenario_get_description (scenario) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->goal_row),
                         rh_scenario_get_goal (scenario) ? rh_scenario_get_goal (scenario) : "");
  for (guint i = 0; i < rh_scenario_get_n_turns (scenario); i++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (scenario, i);
      add_turn (self, turn->kind, turn);
    }
  adw_window_title_set_subtitle (self->window_title, rh_scenario_get_title (scenario));

  /* What is stored is shown with all its problems at once. */
  self->show_all = TRUE;
  self->loading = FALSE;
  if (rh_scenario_get_bundle_key (scenario) != NULL)
    {
      self->can_save = FALSE;
      set_general_error (self, _("This scenario comes with Rehearse and cannot be changed: "
                                 "duplicate it to make a version of your own."));
    }
  validate (self);
}

/* ---- GObject ---- */

static void
rh_scenario_editor_dispose (GObject *object)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (object);

  /* the fields report losing the focus as they go: nothing to check now */
  self->loading = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (object), RH_TYPE_SCENARIO_EDITOR);

  G_OBJECT_CLASS (rh_scenario_editor_parent_class)->dispose (object);
}

static void
rh_scenario_editor_finalize (GObject *object)
{
  RhScenarioEditor *self = RH_SCENARIO_EDITOR (object);

  g_clear_object (&self->library);
  g_clear_pointer (&self->turns, g_ptr_array_unref);
  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_free (self->scenario_id);
  g_free (self->baseline);

  G_OBJECT_CLASS (rh_scenario_editor_parent_class)->finalize (object);
}

static void
rh_scenario_editor_class_init (RhScenarioEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rh_scenario_editor_dispose;
  object_class->finalize = rh_scenario_editor_finalize;
  window_class->close_request = rh_scenario_editor_close_request;

  /**
   * RhScenarioEditor::saved:
   * @scenario_id: the scenario written
   * @title: its title
   *
   * The scenario was created or changed; the editor closes.
   */
  signals [SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-scenario-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, level_row);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, topic_row);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, topic_names);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, goal_row);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, details_error);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, turns_error);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, turns_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, add_partner_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioEditor, add_learner_button);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-partner", NULL, add_turn_action);
  gtk_widget_class_install_action (widget_class, "editor.add-learner", NULL, add_turn_action);
  gtk_widget_class_install_action (widget_class, "editor.move-up", "u", move_up_action);
  gtk_widget_class_install_action (widget_class, "editor.move-down", "u", move_down_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-turn", "u", remove_turn_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
watch_detail (RhScenarioEditor *self,
              GtkWidget        *row)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  if (GTK_IS_EDITABLE (row))
    g_signal_connect_object (row, "changed", G_CALLBACK (detail_text_changed_cb), self,
                             G_CONNECT_SWAPPED);
  else
    g_signal_connect_object (row, "notify::selected", G_CALLBACK (detail_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect (focus, "leave", G_CALLBACK (detail_leave_cb), self);
  gtk_widget_add_controller (row, focus);
}

static void
rh_scenario_editor_init (RhScenarioEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "rh-scenario-editor");

  self->turns = g_ptr_array_new_with_free_func ((GDestroyNotify) turn_editor_free);
  self->topics = g_ptr_array_new_with_free_func (g_free);
  self->can_save = TRUE;

  for (guint i = 0; i < N_DETAILS; i++)
    watch_detail (self, detail_widget (self, i));
}

/**
 * rh_scenario_editor_new:
 * @parent: (nullable): the window the editor belongs to
 * @library: the library to write to
 * @scenario_id: (nullable): one of the learner's own scenarios to edit,
 *   or %NULL to write a new one
 *
 * A modal window; it emits #RhScenarioEditor::saved when it wrote the
 * scenario, and closes.
 *
 * Returns: (transfer none): the editor, owned by GTK's window list
 */
GtkWindow *
rh_scenario_editor_new (GtkWindow         *parent,
                        RhScenarioLibrary *library,
                        const char        *scenario_id)
{
  RhScenarioEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RH_IS_SCENARIO_LIBRARY (library), NULL);

  self = g_object_new (RH_TYPE_SCENARIO_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->library = g_object_ref (library);
  self->scenario_id = g_strdup (scenario_id);
  load (self);
  self->baseline = dup_fingerprint (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->title_row));

  return GTK_WINDOW (self);
}

/* ---- for tests ---- */

guint
_rh_scenario_editor_get_n_turns (RhScenarioEditor *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_EDITOR (self), 0);

  return self->turns->len;
}

void
_rh_scenario_editor_add_turn (RhScenarioEditor *self,
                              RhTurnKind        kind)
{
  g_return_if_fail (RH_IS_SCENARIO_EDITOR (self));

  gtk_widget_activate_action (GTK_WIDGET (self),
                              kind == RH_TURN_PARTNER ? "editor.add-partner"
                                                      : "editor.add-learner",
                              NULL);
}

/**
 * _rh_scenario_editor_set_text:
 * @turn: the turn for the turn fields, -1 otherwise
 *
 * Types @text into a field (lists one item a line), as the learner would.
 */
void
_rh_scenario_editor_set_text (RhScenarioEditor *self,
                              RhScenarioField   field,
                              int               turn,
                              const char       *text)
{
  int detail = detail_for_field (field);
  int part = part_for_field (field);

  g_return_if_fail (RH_IS_SCENARIO_EDITOR (self));

  if (detail >= 0)
    {
      GtkWidget *widget = detail_widget (self, detail);

      if (GTK_IS_EDITABLE (widget))
        gtk_editable_set_text (GTK_EDITABLE (widget), text);
      else if (field == RH_SCENARIO_FIELD_LEVEL)
        select_level (self, text);
      return;
    }

  g_return_if_fail (part >= 0 && turn >= 0 && (guint) turn < self->turns->len);
  {
    TurnEditor *editor = g_ptr_array_index (self->turns, turn);

    g_return_if_fail (editor->views[part] != NULL);
    set_view_text (editor->views[part], text);
  }
}

/**
 * _rh_scenario_editor_get_error:
 *
 * Returns: (nullable): the message shown for a field, or %NULL
 */
const char *
_rh_scenario_editor_get_error (RhScenarioEditor *self,
                               RhScenarioField   field,
                               int               turn)
{
  int part = part_for_field (field);
  GtkLabel *label;

  g_return_val_if_fail (RH_IS_SCENARIO_EDITOR (self), NULL);

  if (field == RH_SCENARIO_FIELD_TURNS)
    label = self->turns_error;
  else if (part < 0)
    label = self->details_error;
  else
    {
      TurnEditor *editor;

      g_return_val_if_fail (turn >= 0 && (guint) turn < self->turns->len, NULL);
      editor = g_ptr_array_index (self->turns, turn);
      label = editor->errors[part];
    }

  if (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_label (label);
}

GtkWidget *
_rh_scenario_editor_get_save_button (RhScenarioEditor *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_EDITOR (self), NULL);

  return self->save_button;
}
