// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-scenario-library.h"
#include "rh-scenario-practice-page.h"
#include "rh-speech.h"

/*
 * A practice run as a chat: the partner's lines on the left (with a
 * button that reads them aloud when the system has a speech engine), the
 * learner's answers on the right with their feedback under them, and at
 * the bottom the learner's task over the answer entry. Keyboard first:
 * Enter checks the answer and Enter again goes on, Ctrl+H asks for a
 * hint, Ctrl+R retries, Alt+Right skips.
 */

struct _RhScenarioPracticePage
{
  AdwBin              parent_instance;

  RhCollection       *collection;
  RhScenarioLibrary  *library;
  RhPracticeRun      *run;
  RhPracticeResult   *result;
  /* per turn: its widget in the conversation (NULL until shown), what it
   * showed last (to redo only the turns that changed), and the learner's
   * latest attempt */
  GPtrArray          *turn_widgets;
  GArray             *turn_shown;
  GPtrArray          *attempts;
  guint               n_learner;
  gboolean            can_speak;
  /* the conversation keeps to its end as it grows, until the learner
   * scrolls */
  gboolean            follow;
  guint               follow_source;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkWidget          *finish_button;
  GtkProgressBar     *progress_bar;
  GtkScrolledWindow  *scrolled_window;
  GtkWidget          *intro_box;
  GtkLabel           *description_label;
  GtkLabel           *goal_label;
  GtkBox             *conversation_box;
  GtkStack           *composer_stack;
  GtkLabel           *task_label;
  GtkLabel           *turn_label;
  GtkBox             *hints_box;
  GtkEntry           *answer_entry;
  GtkButton          *continue_button;
  GtkWidget          *hint_button;
  GtkWidget          *retry_button;
  GtkWidget          *skip_button;
  GtkLabel           *status_label;
  GtkWidget          *results_button;
};

G_DEFINE_FINAL_TYPE (RhScenarioPracticePage, rh_scenario_practice_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* What a learner turn's widget showed: redone when this changes. */
typedef struct
{
  int   state;
  guint attempts;
} TurnShown;

static void
show_error (RhScenarioPracticePage *self,
            const GError           *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- the conversation ---- */

static GtkWidget *
make_label (const char *text,
            const char *css_class,
            const char *css_class2)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 52);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  if (css_class2 != NULL)
    gtk_widget_add_css_class (label, css_class2);
  return label;
}

static GtkWidget *
make_bubble (const char *text,
             gboolean    learner)
{
  GtkWidget *bubble = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = make_label (text, "rh-bubble-text", NULL);

  gtk_widget_add_css_class (bubble, "rh-bubble");
  gtk_widget_add_css_class (bubble, learner ? "rh-bubble-learner" : "rh-bubble-partner");
  gtk_label_set_max_width_chars (GTK_LABEL (label), 44);
  gtk_box_append (GTK_BOX (bubble), label);
  return bubble;
}

static GtkWidget *
make_partner_turn (RhScenarioPracticePage *self,
                   guint                   index,
                   const char             *text)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bubble = make_bubble (text, FALSE);

  gtk_widget_set_halign (row, GTK_ALIGN_START);
  gtk_widget_set_margin_end (row, 36);
  gtk_box_append (GTK_BOX (row), bubble);

  if (self->can_speak)
    {
      GtkWidget *listen = gtk_button_new_from_icon_name ("audio-volume-high-symbolic");
      /* Translators: the button that reads a partner's line aloud, for screen readers */
      g_autofree char *accessible = g_strdup_printf (_("Listen to “%s”"), text);

      gtk_widget_set_valign (listen, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (listen, "flat");
      gtk_widget_add_css_class (listen, "circular");
      gtk_widget_set_tooltip_text (listen, _("Listen (Ctrl+L)"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (listen), "practice.listen");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (listen), "i", (int) index);
      gtk_accessible_update_property (GTK_ACCESSIBLE (listen),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      gtk_box_append (GTK_BOX (row), listen);
    }
  return row;
}

static char *
join_quoted (char **items)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; items != NULL && items[i]; i++)
    /* Translators: one key phrase in a list of them */
    g_string_append_printf (text, i ? _(", “%s”") : _("“%s”"), items[i]);
  return g_string_free (text, FALSE);
}

static const char *
verdict_name (RhAnswerVerdict verdict)
{
  switch (verdict)
    {
    case RH_ANSWER_RIGHT:
      return _("Right");
    case RH_ANSWER_CLOSE:
      return _("Close");
    case RH_ANSWER_WRONG:
    default:
      return _("Not quite");
    }
}

static const char *
verdict_class (RhAnswerVerdict verdict)
{
  switch (verdict)
    {
    case RH_ANSWER_RIGHT:
      return "rh-verdict-right";
    case RH_ANSWER_CLOSE:
      return "rh-verdict-close";
    case RH_ANSWER_WRONG:
    default:
      return "rh-verdict-wrong";
    }
}

static char *
format_points (int points)
{
  return g_strdup_printf (ngettext ("%d point", "%d points", points), points);
}

/* What an answer got right and wrong, under its bubble. */
static GtkWidget *
make_feedback (const RhScenarioTurn *scenario_turn,
               const RhPracticeTurn *turn)
{
  const RhAnswerFeedback *feedback = turn->feedback;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *verdict, *score;
  g_autofree char *points = format_points (turn->attempt_score);
  int cost = feedback->score - turn->attempt_score;

  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "rh-feedback");

  verdict = make_label (verdict_name (feedback->verdict), "rh-verdict",
                        verdict_class (feedback->verdict));
  gtk_widget_set_hexpand (verdict, TRUE);
  score = gtk_label_new (points);
  gtk_widget_add_css_class (score, "numeric");
  gtk_widget_add_css_class (score, "heading");
  gtk_box_append (GTK_BOX (header), verdict);
  gtk_box_append (GTK_BOX (header), score);
  gtk_box_append (GTK_BOX (box), header);

  if (cost > 0)
    {
      g_autofree char *text = g_strdup_printf (_("The answer scored %d; hints and retries cost %d"),
                                               feedback->score, cost);
      gtk_box_append (GTK_BOX (box), make_label (text, "caption", "dim-label"));
    }
  if (turn->score > turn->attempt_score)
    {
      g_autofree char *text = g_strdup_printf (_("Your best try counts: %d"), turn->score);
      gtk_box_append (GTK_BOX (box), make_label (text, "caption", "dim-label"));
    }

  if (scenario_turn->key_phrases != NULL && scenario_turn->key_phrases[0] != NULL)
    {
      if (feedback->found_phrases != NULL && feedback->found_phrases[0] != NULL)
        {
          g_autofree char *list = join_quoted (feedback->found_phrases);
          g_autofree char *text = g_strdup_printf (_("Key phrases used: %s"), list);
          gtk_box_append (GTK_BOX (box), make_label (text, "rh-feedback-found", NULL));
        }
      if (feedback->missing_phrases != NULL && feedback->missing_phrases[0] != NULL)
        {
          g_autofree char *list = join_quoted (feedback->missing_phrases);
          g_autofree char *text = g_strdup_printf (_("Key phrases missing: %s"), list);
          gtk_box_append (GTK_BOX (box), make_label (text, "rh-feedback-missing", NULL));
        }
    }

  if (feedback->matched_words != NULL && feedback->matched_words[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", feedback->matched_words);
      g_autofree char *text = g_strdup_printf (_("Words that matched: %s"), list);
      gtk_box_append (GTK_BOX (box), make_label (text, "caption", "dim-label"));
    }
  if (feedback->missing_words != NULL && feedback->missing_words[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", feedback->missing_words);
      g_autofree char *text = g_strdup_printf (_("Words missing: %s"), list);
      gtk_box_append (GTK_BOX (box), make_label (text, "caption", "rh-feedback-missing"));
    }

  if (feedback->closest != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s”"), feedback->closest);
      GtkWidget *heading = make_label (_("Closest accepted answer"), "caption-heading", NULL);

      gtk_widget_set_margin_top (heading, 4);
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), make_label (text, "rh-closest", NULL));
    }
  return box;
}

/* (Re)fills a learner turn: the task, what was answered and its
 * feedback; nothing while it waits for its first answer. */
static void
fill_learner_turn (RhScenarioPracticePage *self,
                   guint                   index,
                   GtkWidget              *container)
{
  RhScenario *scenario = rh_practice_run_get_scenario (self->run);
  const RhScenarioTurn *scenario_turn = rh_scenario_get_turn (scenario, index);
  const RhPracticeTurn *turn = rh_practice_run_get_turn (self->run, index);
  const char *attempt = g_ptr_array_index (self->attempts, index);
  GtkWidget *child, *task;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    gtk_box_remove (GTK_BOX (container), child);

  if (turn->state == RH_PRACTICE_TURN_SKIPPED)
    {
      GtkWidget *bubble = make_bubble (_("Skipped"), TRUE);

      task = make_label (scenario_turn->text, "caption", "dim-label");
      gtk_label_set_xalign (GTK_LABEL (task), 1);
      gtk_widget_set_halign (task, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (container), task);
      gtk_widget_add_css_class (bubble, "rh-bubble-skipped");
      gtk_widget_set_halign (bubble, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (container), bubble);
      if (scenario_turn->accepted != NULL && scenario_turn->accepted[0] != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("You could say: “%s”"),
                                                   scenario_turn->accepted[0]);
          GtkWidget *could = make_label (text, "caption", "dim-label");

          gtk_label_set_xalign (GTK_LABEL (could), 1);
          gtk_widget_set_halign (could, GTK_ALIGN_END);
          gtk_box_append (GTK_BOX (container), could);
        }
      gtk_widget_set_visible (container, TRUE);
      return;
    }

  if (turn->attempts == 0 || turn->feedback == NULL)
    {
      gtk_widget_set_visible (container, FALSE);
      return;
    }

  task = make_label (scenario_turn->text, "caption", "dim-label");
  gtk_label_set_xalign (GTK_LABEL (task), 1);
  gtk_widget_set_halign (task, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (container), task);

  child = make_bubble (attempt ? attempt : (turn->answer ? turn->answer : ""), TRUE);
  gtk_widget_set_halign (child, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (container), child);
  gtk_box_append (GTK_BOX (container), make_feedback (scenario_turn, turn));
  gtk_widget_set_visible (container, TRUE);
}

static void
scroll_to_end (RhScenarioPracticePage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  self->follow = TRUE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

static gboolean
follow_cb (gpointer data)
{
  RhScenarioPracticePage *self = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  self->follow_source = 0;
  if (self->follow)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

/* New bubbles get their size later: the end moves, and the view with it.
 * (Not from inside the layout that moved it, which would not scroll.) */
static void
adjustment_changed_cb (RhScenarioPracticePage *self)
{
  if (self->follow && self->follow_source == 0)
    self->follow_source = g_idle_add (follow_cb, self);
}

static gboolean
user_scrolled_cb (RhScenarioPracticePage *self)
{
  self->follow = FALSE;
  return FALSE;
}

static void
update_conversation (RhScenarioPracticePage *self)
{
  RhScenario *scenario = rh_practice_run_get_scenario (self->run);
  guint n_shown = rh_practice_run_get_n_shown (self->run);

  for (guint i = 0; i < n_shown; i++)
    {
      const RhScenarioTurn *scenario_turn = rh_scenario_get_turn (scenario, i);
      const RhPracticeTurn *turn = rh_practice_run_get_turn (self->run, i);
      GtkWidget *widget = g_ptr_array_index (self->turn_widgets, i);
      TurnShown *shown = &g_array_index (self->turn_shown, TurnShown, i);

      if (widget == NULL)
        {
          if (scenario_turn->kind == RH_TURN_PARTNER)
            widget = make_partner_turn (self, i, scenario_turn->text);
          else
            {
              widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
              gtk_widget_set_margin_start (widget, 36);
              gtk_widget_add_css_class (widget, "rh-learner-turn");
            }
          gtk_box_append (self->conversation_box, widget);
          self->turn_widgets->pdata[i] = widget;
        }

      if (scenario_turn->kind == RH_TURN_LEARNER &&
          (shown->state != (int) turn->state || shown->attempts != turn->attempts))
        {
          fill_learner_turn (self, i, widget);
          shown->state = turn->state;
          shown->attempts = turn->attempts;
        }
    }
}

/* The number of @index among the learner turns, from 1. */
static guint
learner_number (RhScenarioPracticePage *self,
                guint                   index)
{
  RhScenario *scenario = rh_practice_run_get_scenario (self->run);
  guint n = 0;

  for (guint i = 0; i <= index && i < rh_scenario_get_n_turns (scenario); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      n++;
  return n;
}

static void
update_hints (RhScenarioPracticePage *self,
              int                     current)
{
  RhScenario *scenario = rh_practice_run_get_scenario (self->run);
  GtkWidget *child;
  guint used = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hints_box))) != NULL)
    gtk_box_remove (self->hints_box, child);

  if (current >= 0)
    {
      const RhScenarioTurn *scenario_turn = rh_scenario_get_turn (scenario, current);

      used = rh_practice_run_get_turn (self->run, current)->hints_used;
      for (guint i = 0; i < used && scenario_turn->hints[i]; i++)
        {
          g_autofree char *text =
            /* Translators: a hint during practice and what it costs, "Hint (−15 points): …" */
            g_strdup_printf (ngettext ("Hint (−%d point): %s", "Hint (−%d points): %s",
                                       RH_PRACTICE_HINT_COST),
                             RH_PRACTICE_HINT_COST, scenario_turn->hints[i]);
          GtkWidget *label = make_label (text, "rh-hint", NULL);

          gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
          gtk_box_append (self->hints_box, label);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hints_box), used > 0);
}

static void
update_controls (RhScenarioPracticePage *self)
{
  int current = rh_practice_run_get_current (self->run);
  gboolean finished = rh_practice_run_is_finished (self->run);
  const RhPracticeTurn *turn = current >= 0 ? rh_practice_run_get_turn (self->run, current) : NULL;
  gboolean waiting = turn != NULL && turn->state == RH_PRACTICE_TURN_WAITING && !finished;
  gboolean answered = turn != NULL && turn->state == RH_PRACTICE_TURN_ANSWERED && !finished;
  guint hints_left = waiting ? rh_practice_run_get_hints_left (self->run) : 0;
  g_autofree char *subtitle = NULL;
  g_autofree char *status = NULL;
  guint done;

  if (turn != NULL)
    {
      const RhScenarioTurn *scenario_turn =
        rh_scenario_get_turn (rh_practice_run_get_scenario (self->run), current);
      g_autofree char *task = g_strdup_printf (_("Your turn: %s"), scenario_turn->text);
      guint number = learner_number (self, current);

      /* Translators: where the learner is in a practice run, "Turn 2 of 5" */
      subtitle = g_strdup_printf (_("Turn %u of %u"), number, self->n_learner);
      gtk_label_set_text (self->task_label, task);
      gtk_label_set_text (self->turn_label, subtitle);
      gtk_stack_set_visible_child_name (self->composer_stack, "answer");
      done = number - 1;
    }
  else
    {
      subtitle = g_strdup (_("Every turn done"));
      gtk_stack_set_visible_child_name (self->composer_stack, "done");
      done = self->n_learner;
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->n_learner ? (double) done / self->n_learner : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, subtitle,
                                  -1);

  update_hints (self, current);

  gtk_editable_set_editable (GTK_EDITABLE (self->answer_entry), waiting);
  if (answered)
    {
      gtk_entry_set_placeholder_text (self->answer_entry, _("Press Enter to go on"));
      gtk_button_set_label (self->continue_button, _("_Continue"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->continue_button),
                                   _("Go on to the next turn (Enter)"));
    }
  else
    {
      gtk_entry_set_placeholder_text (self->answer_entry, _("Type your answer"));
      gtk_button_set_label (self->continue_button, _("_Check"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->continue_button),
                                   _("Check the answer (Enter)"));
    }

  if (waiting && hints_left > 0)
    {
      g_autofree char *tooltip =
        g_strdup_printf (ngettext ("Show a hint; it costs %d point (Ctrl+H)",
                                   "Show a hint; it costs %d points (Ctrl+H)",
                                   RH_PRACTICE_HINT_COST),
                         RH_PRACTICE_HINT_COST);
      gtk_widget_set_tooltip_text (self->hint_button, tooltip);
      status = g_strdup_printf (ngettext ("%u hint left", "%u hints left", hints_left),
                                hints_left);
    }
  else
    gtk_widget_set_tooltip_text (self->hint_button, _("No more hints for this turn"));
  gtk_label_set_text (self->status_label, status ? status : "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.continue",
                                 (waiting || answered));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.hint", hints_left > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.retry", answered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.skip", waiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.finish", !finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.listen", self->can_speak);
}

static void
update (RhScenarioPracticePage *self)
{
  if (self->run == NULL)
    return;

  update_conversation (self);
  update_controls (self);
  scroll_to_end (self);
}

static void
focus_composer (RhScenarioPracticePage *self)
{
  if (self->run != NULL && rh_practice_run_get_current (self->run) < 0)
    gtk_widget_grab_focus (self->results_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->answer_entry));
}

/* ---- actions ---- */

/* What a screen reader hears after an answer: the verdict and score. */
static void
describe_feedback (RhScenarioPracticePage *self,
                   const RhPracticeTurn   *turn)
{
  g_autofree char *points = format_points (turn->attempt_score);
  g_autofree char *text = NULL;

  if (turn->feedback->closest != NULL)
    /* Translators: the feedback for screen readers: verdict, points, closest answer */
    text = g_strdup_printf (_("%s, %s. Closest accepted answer: %s"),
                            verdict_name (turn->feedback->verdict), points,
                            turn->feedback->closest);
  else
    text = g_strdup_printf (_("%s, %s"), verdict_name (turn->feedback->verdict), points);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->answer_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
submit (RhScenarioPracticePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->answer_entry)));
  int current = rh_practice_run_get_current (self->run);
  const RhPracticeTurn *turn;

  if (*g_strstrip (answer) == '\0')
    {
      gtk_widget_error_bell (GTK_WIDGET (self->answer_entry));
      return;
    }

  if (!(turn = rh_practice_run_submit (self->run, answer, &error)))
    {
      show_error (self, error);
      return;
    }
  g_free (self->attempts->pdata[current]);
  self->attempts->pdata[current] = g_steal_pointer (&answer);
  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
  describe_feedback (self, turn);
  update (self);
}

static void
go_on (RhScenarioPracticePage *self)
{
  g_autoptr(GError) error = NULL;

  if (!rh_practice_run_next (self->run, &error))
    {
      show_error (self, error);
      return;
    }
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->answer_entry),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  update (self);
  focus_composer (self);
}

/* Enter: check the answer, then go on. */
static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  int current;

  if (self->run == NULL || rh_practice_run_is_finished (self->run))
    return;

  current = rh_practice_run_get_current (self->run);
  if (current < 0)
    return;

  switch (rh_practice_run_get_turn (self->run, current)->state)
    {
    case RH_PRACTICE_TURN_WAITING:
      submit (self);
      break;
    case RH_PRACTICE_TURN_ANSWERED:
      go_on (self);
      break;
    case RH_PRACTICE_TURN_PENDING:
    case RH_PRACTICE_TURN_SHOWN:
    case RH_PRACTICE_TURN_SKIPPED:
    default:
      break;
    }
}

static void
entry_activate_cb (RhScenarioPracticePage *self)
{
  if (self->run != NULL && rh_practice_run_get_current (self->run) < 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "practice.finish", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "practice.continue", NULL);
}

static void
hint_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->run == NULL)
    return;
  if (rh_practice_run_hint (self->run, &error) == NULL)
    {
      show_error (self, error);
      return;
    }
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->answer_entry));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  int current;

  if (self->run == NULL)
    return;
  current = rh_practice_run_get_current (self->run);
  if (!rh_practice_run_retry (self->run, &error))
    {
      show_error (self, error);
      return;
    }
  update (self);

  /* The last try, to change rather than to type again. */
  if (current >= 0 && g_ptr_array_index (self->attempts, current) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->answer_entry),
                           g_ptr_array_index (self->attempts, current));
  gtk_widget_grab_focus (GTK_WIDGET (self->answer_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->answer_entry), -1);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->run == NULL)
    return;
  if (!rh_practice_run_skip (self->run, &error))
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
  update (self);
  focus_composer (self);
}

static void
finish (RhScenarioPracticePage *self)
{
  g_autoptr(GError) error = NULL;
  RhPracticeResult *result;

  if (self->run == NULL || rh_practice_run_is_finished (self->run))
    return;

  rh_speech_stop ();
  if (!(result = rh_practice_run_finish (self->run, &error)))
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->result, rh_practice_result_free);
  self->result = result;
  update_controls (self);
  g_signal_emit (self, signals [FINISHED], 0);
}

static void
finish_response_cb (AdwMessageDialog       *dialog,
                    const char             *response,
                    RhScenarioPracticePage *self)
{
  if (g_str_equal (response, "finish"))
    finish (self);
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (self->run == NULL)
    return;
  if (rh_practice_run_is_complete (self->run))
    {
      finish (self);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Finish Now?"),
                                                       _("The turns you have not answered yet "
                                                         "score 0.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Practising"),
                                    "finish", _("_Finish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "finish", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (finish_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
has_progress (RhScenarioPracticePage *self)
{
  if (self->run == NULL || rh_practice_run_is_finished (self->run))
    return FALSE;
  for (guint i = 0; i < rh_practice_run_get_n_turns (self->run); i++)
    {
      const RhPracticeTurn *turn = rh_practice_run_get_turn (self->run, i);

      if (turn->attempts > 0 || turn->state == RH_PRACTICE_TURN_SKIPPED)
        return TRUE;
    }
  return FALSE;
}

static void
leave (RhScenarioPracticePage *self)
{
  rh_speech_stop ();
  gtk_widget_activate_action (GTK_WIDGET (self), "window.go-back", NULL);
}

static void
leave_response_cb (AdwMessageDialog       *dialog,
                   const char             *response,
                   RhScenarioPracticePage *self)
{
  if (g_str_equal (response, "leave"))
    leave (self);
}

/* Back (and Escape): a run with answers in it asks first, as leaving
 * throws them away. */
static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (!has_progress (self))
    {
      leave (self);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Leave the Practice?"),
                                                       _("Your answers in this run will not be "
                                                         "saved. Finish the run to keep them.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Practising"),
                                    "leave", _("_Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Reads a partner's line aloud; -1 for the latest one shown. */
static void
listen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  int index = g_variant_get_int32 (parameter);
  RhScenario *scenario;
  const char *text = NULL;

  if (self->run == NULL || !self->can_speak)
    return;

  scenario = rh_practice_run_get_scenario (self->run);
  if (index < 0)
    {
      for (guint i = rh_practice_run_get_n_shown (self->run); i > 0 && text == NULL; i--)
        if (rh_scenario_get_turn (scenario, i - 1)->kind == RH_TURN_PARTNER)
          text = rh_scenario_get_turn (scenario, i - 1)->text;
    }
  else if ((guint) index < rh_practice_run_get_n_shown (self->run) &&
           rh_scenario_get_turn (scenario, index)->kind == RH_TURN_PARTNER)
    text = rh_scenario_get_turn (scenario, index)->text;

  if (text == NULL)
    return;
  if (!rh_speech_speak (text, "en-GB", &error))
    show_error (self, error);
}

/* ---- public ---- */

/**
 * rh_scenario_practice_page_new:
 *
 * Returns: (transfer floating): a practice page on @collection
 */
GtkWidget *
rh_scenario_practice_page_new (RhCollection *collection)
{
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_SCENARIO_PRACTICE_PAGE,
                       "collection", collection,
                       NULL);
}

static void
clear_run (RhScenarioPracticePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conversation_box))) != NULL)
    gtk_box_remove (self->conversation_box, child);
  g_ptr_array_set_size (self->turn_widgets, 0);
  g_array_set_size (self->turn_shown, 0);
  g_ptr_array_set_size (self->attempts, 0);
  g_clear_pointer (&self->result, rh_practice_result_free);
  g_clear_object (&self->run);
  self->n_learner = 0;
}

/**
 * rh_scenario_practice_page_start:
 * @id_or_key: a scenario's id, or a bundled scenario's key
 *
 * Starts a new run of a scenario (a run on show is dropped).
 */
gboolean
rh_scenario_practice_page_start (RhScenarioPracticePage  *self,
                                 const char              *id_or_key,
                                 GError                 **error)
{
  g_autoptr(RhScenario) scenario = NULL;
  g_autoptr(RhPracticeRun) run = NULL;
  const char *description, *goal;
  guint n_turns;

  g_return_val_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self), FALSE);
  g_return_val_if_fail (self->library != NULL, FALSE);

  if (!(scenario = rh_scenario_library_get (self->library, id_or_key, error)) ||
      !(run = rh_practice_run_new (self->collection, scenario, error)))
    return FALSE;

  rh_speech_stop ();
  clear_run (self);
  self->run = g_steal_pointer (&run);
  self->can_speak = rh_speech_is_available ();

  n_turns = rh_practice_run_get_n_turns (self->run);
  g_ptr_array_set_size (self->turn_widgets, n_turns);
  g_ptr_array_set_size (self->attempts, n_turns);
  g_array_set_size (self->turn_shown, n_turns);
  for (guint i = 0; i < n_turns; i++)
    {
      g_array_index (self->turn_shown, TurnShown, i).state = -1;
      if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
        self->n_learner++;
    }

  adw_window_title_set_title (self->window_title, rh_scenario_get_title (scenario));
  description = rh_scenario_get_description (scenario);
  goal = rh_scenario_get_goal (scenario);
  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && *description != '\0');
  if (goal != NULL && *goal != '\0')
    {
      /* Translators: what the learner is to do in a scenario */
      g_autofree char *text = g_strdup_printf (_("Goal: %s"), goal);
      gtk_label_set_text (self->goal_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->goal_label), goal != NULL && *goal != '\0');
  gtk_widget_set_visible (self->intro_box, (description != NULL && *description != '\0') ||
                                           (goal != NULL && *goal != '\0'));

  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->answer_entry),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  update (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  focus_composer (self);
  return TRUE;
}

/**
 * rh_scenario_practice_page_stop:
 *
 * Drops the run on show (an unfinished run leaves no trace).
 */
void
rh_scenario_practice_page_stop (RhScenarioPracticePage *self)
{
  g_return_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self));

  rh_speech_stop ();
  clear_run (self);
}

/**
 * rh_scenario_practice_page_get_run:
 *
 * Returns: (transfer none) (nullable): the run on show
 */
RhPracticeRun *
rh_scenario_practice_page_get_run (RhScenarioPracticePage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self), NULL);

  return self->run;
}

/**
 * rh_scenario_practice_page_get_result:
 *
 * Returns: (transfer none) (nullable): what the finished run stored
 */
const RhPracticeResult *
rh_scenario_practice_page_get_result (RhScenarioPracticePage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self), NULL);

  return self->result;
}

GtkWidget *
_rh_scenario_practice_page_get_entry (RhScenarioPracticePage *self)
{
  g_return_val_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self), NULL);

  return GTK_WIDGET (self->answer_entry);
}

/**
 * _rh_scenario_practice_page_answer:
 *
 * @text: (nullable): what to type, or %NULL to press Enter only
 *
 * Types @text and presses Enter, as the learner would.
 */
void
_rh_scenario_practice_page_answer (RhScenarioPracticePage *self,
                                   const char             *text)
{
  g_return_if_fail (RH_IS_SCENARIO_PRACTICE_PAGE (self));

  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), text);
  g_signal_emit_by_name (self->answer_entry, "activate");
}

/* ---- GObject ---- */

static void
rh_scenario_practice_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rh_scenario_practice_page_parent_class)->map (widget);

  focus_composer (RH_SCENARIO_PRACTICE_PAGE (widget));
}

static void
rh_scenario_practice_page_unmap (GtkWidget *widget)
{
  rh_speech_stop ();

  GTK_WIDGET_CLASS (rh_scenario_practice_page_parent_class)->unmap (widget);
}

static void
rh_scenario_practice_page_dispose (GObject *object)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (object);

  /* AdwBin 1.2 unparents its child itself: hand it over first, or the
   * template would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_handle_id (&self->follow_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_SCENARIO_PRACTICE_PAGE);
  g_clear_pointer (&self->result, rh_practice_result_free);
  g_clear_object (&self->run);
  g_clear_object (&self->library);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (rh_scenario_practice_page_parent_class)->dispose (object);
}

static void
rh_scenario_practice_page_finalize (GObject *object)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (object);

  g_clear_pointer (&self->turn_widgets, g_ptr_array_unref);
  g_clear_pointer (&self->turn_shown, g_array_unref);
  g_clear_pointer (&self->attempts, g_ptr_array_unref);

  G_OBJECT_CLASS (rh_scenario_practice_page_parent_class)->finalize (object);
}

static void
rh_scenario_practice_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (object);

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
rh_scenario_practice_page_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  RhScenarioPracticePage *self = RH_SCENARIO_PRACTICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_set_object (&self->collection, g_value_get_object (value));
      g_clear_object (&self->library);
      if (self->collection != NULL)
        self->library = rh_scenario_library_new (self->collection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_scenario_practice_page_class_init (RhScenarioPracticePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_scenario_practice_page_dispose;
  object_class->finalize = rh_scenario_practice_page_finalize;
  object_class->get_property = rh_scenario_practice_page_get_property;
  object_class->set_property = rh_scenario_practice_page_set_property;
  widget_class->map = rh_scenario_practice_page_map;
  widget_class->unmap = rh_scenario_practice_page_unmap;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RhScenarioPracticePage::finished:
   *
   * The run was stored; rh_scenario_practice_page_get_result() has what
   * it stored.
   */
  signals [FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-scenario-practice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, finish_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, intro_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, description_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, goal_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, conversation_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, composer_stack);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, task_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, turn_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, hints_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, answer_entry);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, hint_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, skip_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioPracticePage, results_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "practice.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "practice.hint", NULL, hint_action);
  gtk_widget_class_install_action (widget_class, "practice.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "practice.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "practice.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "practice.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "practice.listen", "i", listen_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "practice.hint", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "practice.retry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "practice.skip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "practice.listen", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "practice.leave", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "practice.leave", NULL);

  gtk_widget_class_set_css_name (widget_class, "rhscenariopractice");
}

static void
rh_scenario_practice_page_init (RhScenarioPracticePage *self)
{
  GtkEventController *scroll, *press;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->turn_widgets = g_ptr_array_new ();
  self->turn_shown = g_array_new (FALSE, TRUE, sizeof (TurnShown));
  self->attempts = g_ptr_array_new_with_free_func (g_free);

  gtk_entry_set_max_length (self->answer_entry, RH_PRACTICE_MAX_ANSWER);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "changed",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  /* the wheel, the touchpad or the scrollbar: the learner reads back */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (user_scrolled_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), scroll);
  press = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (press, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (press, "pressed", G_CALLBACK (user_scrolled_cb), self);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scrolled_window), press);
}
