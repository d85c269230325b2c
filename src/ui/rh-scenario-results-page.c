// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-answer-scoring.h"
#include "rh-scenario-results-page.h"

/*
 * What a finished practice run stored: the overall score, each learner
 * turn with the answer that counted and the key phrases it missed, and
 * how many of those became flashcards in “Scenario phrases”, which can be
 * studied from here.
 */

struct _RhScenarioResultsPage
{
  AdwBin          parent_instance;

  RhCollection   *collection;

  AdwWindowTitle *window_title;
  GtkLabel       *score_label;
  GtkLabel       *summary_label;
  GtkWidget      *phrases_box;
  GtkLabel       *phrases_label;
  GtkWidget      *study_button;
  GtkListBox     *turns_list;
  GtkWidget      *again_button;
};

G_DEFINE_FINAL_TYPE (RhScenarioResultsPage, rh_scenario_results_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char *
score_class (int score)
{
  if (score >= RH_ANSWER_RIGHT_SCORE)
    return "rh-verdict-right";
  if (score >= RH_ANSWER_CLOSE_SCORE)
    return "rh-verdict-close";
  return "rh-verdict-wrong";
}

static char *
join_missed (const RhPracticeResult *result,
             guint                   turn_index)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < result->missed->len; i++)
    {
      RhMissedPhrase *missed = g_ptr_array_index (result->missed, i);

      if (missed->turn_index != turn_index)
        continue;
      /* Translators: one key phrase in a list of them */
      g_string_append_printf (text, text->len ? _(", “%s”") : _("“%s”"), missed->phrase);
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
make_turn_row (RhPracticeRun          *run,
               const RhPracticeResult *result,
               guint                   index,
               guint                   number)
{
  const RhScenarioTurn *scenario_turn = rh_scenario_get_turn (rh_practice_run_get_scenario (run),
                                                              index);
  const RhPracticeTurn *turn = rh_practice_run_get_turn (run, index);
  int score = MAX (turn->score, 0);
  g_autofree char *title = g_strdup_printf (_("%u. %s"), number, scenario_turn->text);
  g_autofree char *missed = join_missed (result, index);
  g_autofree char *score_text = g_strdup_printf ("%d", score);
  g_autofree char *score_accessible = g_strdup_printf (ngettext ("%d point", "%d points", score),
                                                       score);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row, *score_label;

  if (turn->state == RH_PRACTICE_TURN_SKIPPED)
    g_string_append (subtitle, _("Skipped"));
  else if (turn->answer != NULL)
    g_string_append_printf (subtitle, _("“%s”"), turn->answer);
  else
    g_string_append (subtitle, _("Not answered"));
  if (missed != NULL)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("Missed: %s"), missed);
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_add_css_class (row, "rh-result-row");

  score_label = gtk_label_new (score_text);
  gtk_widget_set_valign (score_label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (score_label, "heading");
  gtk_widget_add_css_class (score_label, "numeric");
  gtk_widget_add_css_class (score_label, score_class (score));
  gtk_accessible_update_property (GTK_ACCESSIBLE (score_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, score_accessible,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), score_label);
  return row;
}

static void
show_phrases (RhScenarioResultsPage  *self,
              const RhPracticeResult *result)
{
  const char *deck_name = _(RH_SCENARIO_PHRASE_DECK);
  g_autoptr(RhDeck) deck = NULL;
  g_autofree char *text = NULL;
  guint n_missed = result->missed->len;

  if (n_missed == 0)
    text = g_strdup (_("You used every key phrase"));
  else if (result->cards_created > 0)
    text = g_strdup_printf (ngettext ("%u phrase added to “%s”", "%u phrases added to “%s”",
                                      result->cards_created),
                            result->cards_created, deck_name);
  else
    text = g_strdup_printf (ngettext ("The %u phrase you missed is already in “%s”",
                                      "The %u phrases you missed are already in “%s”",
                                      n_missed),
                            n_missed, deck_name);
  gtk_label_set_text (self->phrases_label, text);

  if (n_missed > 0 && self->collection != NULL)
    deck = rh_collection_find_deck (self->collection, deck_name, NULL);
  gtk_widget_set_visible (self->study_button, deck != NULL);
  if (deck != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->study_button), "s",
                                      rh_deck_get_id (deck));
}

/**
 * rh_scenario_results_page_show:
 * @run: the finished run
 * @result: what finishing it stored
 *
 * Shows a run's results.
 */
void
rh_scenario_results_page_show (RhScenarioResultsPage  *self,
                               RhPracticeRun          *run,
                               const RhPracticeResult *result)
{
  RhScenario *scenario;
  GtkWidget *child;
  int score;
  guint number = 0;

  g_return_if_fail (RH_IS_SCENARIO_RESULTS_PAGE (self));
  g_return_if_fail (RH_IS_PRACTICE_RUN (run));
  g_return_if_fail (result != NULL);

  scenario = rh_practice_run_get_scenario (run);
  score = (int) (result->score + 0.5);

  adw_window_title_set_subtitle (self->window_title, rh_scenario_get_title (scenario));

  {
    g_autofree char *text = g_strdup_printf ("%d", score);
    /* Translators: the overall score of a practice run, for screen readers */
    g_autofree char *accessible = g_strdup_printf (_("Score: %d of 100"), score);

    gtk_label_set_text (self->score_label, text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->score_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                    -1);
  }
  gtk_widget_remove_css_class (GTK_WIDGET (self->score_label), "rh-verdict-right");
  gtk_widget_remove_css_class (GTK_WIDGET (self->score_label), "rh-verdict-close");
  gtk_widget_remove_css_class (GTK_WIDGET (self->score_label), "rh-verdict-wrong");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), score_class (score));

  if (score >= RH_ANSWER_RIGHT_SCORE)
    gtk_label_set_text (self->summary_label,
                        _("Excellent: you could have this conversation for real."));
  else if (score >= RH_ANSWER_CLOSE_SCORE)
    gtk_label_set_text (self->summary_label, _("Good: a few phrases still to practise."));
  else
    gtk_label_set_text (self->summary_label,
                        _("Keep going: study the phrases you missed, then try again."));

  show_phrases (self, result);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->turns_list))) != NULL)
    gtk_list_box_remove (self->turns_list, child);
  for (guint i = 0; i < rh_practice_run_get_n_turns (run); i++)
    if (rh_scenario_get_turn (scenario, i)->kind == RH_TURN_LEARNER)
      gtk_list_box_append (self->turns_list, make_turn_row (run, result, i, ++number));

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->again_button), "s",
                                    rh_scenario_get_id (scenario));
  gtk_widget_grab_focus (self->again_button);
}

/**
 * rh_scenario_results_page_new:
 *
 * Returns: (transfer floating): a results page
 */
GtkWidget *
rh_scenario_results_page_new (RhCollection *collection)
{
  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  return g_object_new (RH_TYPE_SCENARIO_RESULTS_PAGE,
                       "collection", collection,
                       NULL);
}

/* ---- GObject ---- */

static void
rh_scenario_results_page_map (GtkWidget *widget)
{
  RhScenarioResultsPage *self = RH_SCENARIO_RESULTS_PAGE (widget);

  GTK_WIDGET_CLASS (rh_scenario_results_page_parent_class)->map (widget);

  gtk_widget_grab_focus (self->again_button);
}

static void
rh_scenario_results_page_dispose (GObject *object)
{
  RhScenarioResultsPage *self = RH_SCENARIO_RESULTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_SCENARIO_RESULTS_PAGE);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (rh_scenario_results_page_parent_class)->dispose (object);
}

static void
rh_scenario_results_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RhScenarioResultsPage *self = RH_SCENARIO_RESULTS_PAGE (object);

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
rh_scenario_results_page_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RhScenarioResultsPage *self = RH_SCENARIO_RESULTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_set_object (&self->collection, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_scenario_results_page_class_init (RhScenarioResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_scenario_results_page_dispose;
  object_class->get_property = rh_scenario_results_page_get_property;
  object_class->set_property = rh_scenario_results_page_set_property;
  widget_class->map = rh_scenario_results_page_map;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-scenario-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, score_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, phrases_box);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, phrases_label);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, study_button);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, turns_list);
  gtk_widget_class_bind_template_child (widget_class, RhScenarioResultsPage, again_button);
}

static void
rh_scenario_results_page_init (RhScenarioResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
