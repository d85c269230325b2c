// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-scenario-practice.h"

/*
 * One run through a scenario. The partner's lines are shown up to the
 * next learner turn, which waits for an answer; an answer gets feedback
 * and can be retried (the best attempt counts) or left for the next turn;
 * a turn can be skipped (0). Nothing is stored until finish(), which
 * writes the session, the score of every learner turn and the cards for
 * the missed key phrases in one transaction, so an abandoned run leaves
 * no trace and a finished one is never half there.
 */

struct _RhPracticeRun
{
  GObject         parent_instance;

  RhCollection   *collection;
  RhScenario     *scenario;
  RhPracticeTurn *turns;
  guint           n_turns;
  int             current;
  guint           n_shown;
  gint64          started_us;
  gboolean        finished;
};

enum
{
  PROP_0,
  PROP_SCENARIO,
  PROP_CURRENT,
  PROP_N_SHOWN,
  PROP_COMPLETE,
  PROP_FINISHED,
  PROP_SCORE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (RhPracticeRun, rh_practice_run, G_TYPE_OBJECT)

static void
missed_phrase_free (RhMissedPhrase *missed)
{
  if (missed == NULL)
    return;
  g_free (missed->phrase);
  g_free (missed->card_id);
  g_free (missed);
}

void
rh_practice_result_free (RhPracticeResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->session);
  g_clear_pointer (&result->turns, g_ptr_array_unref);
  g_clear_pointer (&result->missed, g_ptr_array_unref);
  g_free (result);
}

static void
clear_turn (RhPracticeTurn *turn)
{
  g_clear_pointer (&turn->feedback, rh_answer_feedback_free);
  g_clear_pointer (&turn->answer, g_free);
  g_clear_pointer (&turn->missed_phrases, g_strfreev);
}

static void
rh_practice_run_finalize (GObject *object)
{
  RhPracticeRun *self = RH_PRACTICE_RUN (object);

  for (guint i = 0; i < self->n_turns; i++)
    clear_turn (&self->turns[i]);
  g_free (self->turns);
  g_clear_object (&self->scenario);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (rh_practice_run_parent_class)->finalize (object);
}

static void
rh_practice_run_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RhPracticeRun *self = RH_PRACTICE_RUN (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_object (value, self->scenario);
      break;
    case PROP_CURRENT:
      g_value_set_int (value, self->current);
      break;
    case PROP_N_SHOWN:
      g_value_set_uint (value, self->n_shown);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, rh_practice_run_is_complete (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_SCORE:
      g_value_set_double (value, rh_practice_run_get_score (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_practice_run_class_init (RhPracticeRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rh_practice_run_finalize;
  object_class->get_property = rh_practice_run_get_property;

  properties[PROP_SCENARIO] = g_param_spec_object ("scenario", NULL, NULL, RH_TYPE_SCENARIO,
                                                   flags);
  /**
   * RhPracticeRun:current:
   *
   * The learner turn being worked on, -1 once every turn is done.
   */
  properties[PROP_CURRENT] = g_param_spec_int ("current", NULL, NULL, -1, G_MAXINT, -1, flags);
  /**
   * RhPracticeRun:n-shown:
   *
   * How many turns, from the first, the conversation shows so far.
   */
  properties[PROP_N_SHOWN] = g_param_spec_uint ("n-shown", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, flags);
  properties[PROP_SCORE] = g_param_spec_double ("score", NULL, NULL, 0.0, 100.0, 0.0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rh_practice_run_init (RhPracticeRun *self)
{
  self->current = -1;
}

/* Shows the partner's lines from @from on, up to and with the next
 * learner turn, which then waits. */
static void
reveal_from (RhPracticeRun *self,
             guint          from)
{
  int old_current = self->current;
  guint old_shown = self->n_shown;

  self->current = -1;
  for (guint i = from; i < self->n_turns; i++)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (self->scenario, i);

      self->n_shown = MAX (self->n_shown, i + 1);
      if (turn->kind == RH_TURN_LEARNER)
        {
          self->turns[i].state = RH_PRACTICE_TURN_WAITING;
          self->current = (int) i;
          break;
        }
      self->turns[i].state = RH_PRACTICE_TURN_SHOWN;
    }

  if (self->n_shown != old_shown)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
  if (self->current != old_current)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  if (self->current < 0 && old_current >= 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/**
 * rh_practice_run_new:
 *
 * Starts a run: the partner's first lines are shown and the first learner
 * turn waits. The run's time starts now.
 *
 * Returns: (transfer full) (nullable): the run, or %NULL when @scenario
 *   cannot be practised (no learner turn)
 */
RhPracticeRun *
rh_practice_run_new (RhCollection  *collection,
                     RhScenario    *scenario,
                     GError       **error)
{
  RhPracticeRun *self;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (RH_IS_SCENARIO (scenario), NULL);

  if (!rh_scenario_validate (scenario, error))
    return NULL;

  self = g_object_new (RH_TYPE_PRACTICE_RUN, NULL);
  self->collection = g_object_ref (collection);
  self->scenario = g_object_ref (scenario);
  self->n_turns = rh_scenario_get_n_turns (scenario);
  self->turns = g_new0 (RhPracticeTurn, self->n_turns);
  for (guint i = 0; i < self->n_turns; i++)
    {
      self->turns[i].index = i;
      self->turns[i].attempt_score = -1;
      self->turns[i].score = -1;
      self->turns[i].missed_phrases = g_new0 (char *, 1);
    }
  self->started_us = rh_collection_now (collection);
  reveal_from (self, 0);
  return self;
}

/**
 * rh_practice_run_get_scenario:
 *
 * Returns: (transfer none): the scenario
 */
RhScenario *
rh_practice_run_get_scenario (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);
  return self->scenario;
}

guint
rh_practice_run_get_n_turns (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), 0);
  return self->n_turns;
}

/**
 * rh_practice_run_get_turn:
 *
 * Returns: (transfer none): the state of turn @index; the scenario's turn
 *   of the same index has its text
 */
const RhPracticeTurn *
rh_practice_run_get_turn (RhPracticeRun *self,
                          guint          index)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);
  g_return_val_if_fail (index < self->n_turns, NULL);
  return &self->turns[index];
}

/**
 * rh_practice_run_get_current:
 *
 * Returns: the index of the learner turn being worked on, or -1 when
 *   every turn is done
 */
int
rh_practice_run_get_current (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), -1);
  return self->current;
}

/**
 * rh_practice_run_get_n_shown:
 *
 * Returns: how many turns, from the first, are shown
 */
guint
rh_practice_run_get_n_shown (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), 0);
  return self->n_shown;
}

/**
 * rh_practice_run_get_partner_line:
 *
 * Returns: (nullable): the partner's line a learner turn answers (the
 *   nearest partner turn before @index), or %NULL when the learner
 *   speaks first
 */
const char *
rh_practice_run_get_partner_line (RhPracticeRun *self,
                                  guint          index)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);
  g_return_val_if_fail (index < self->n_turns, NULL);

  for (guint i = index; i > 0; i--)
    {
      const RhScenarioTurn *turn = rh_scenario_get_turn (self->scenario, i - 1);

      if (turn->kind == RH_TURN_PARTNER)
        return turn->text;
    }
  return NULL;
}

/**
 * rh_practice_run_is_complete:
 *
 * Returns: whether every turn is done (the results can be shown)
 */
gboolean
rh_practice_run_is_complete (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), FALSE);
  return self->current < 0;
}

/**
 * rh_practice_run_is_finished:
 *
 * Returns: whether the run was stored
 */
gboolean
rh_practice_run_is_finished (RhPracticeRun *self)
{
  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), FALSE);
  return self->finished;
}

/* The learner turn that can take @what, or NULL with an error. */
static RhPracticeTurn *
current_turn (RhPracticeRun  *self,
              GError        **error)
{
  if (self->finished)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("This practice run is over"));
      return NULL;
    }
  if (self->current < 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("Every turn is done: finish the run to see the results"));
      return NULL;
    }
  return &self->turns[self->current];
}

/**
 * rh_practice_run_get_hints_left:
 *
 * Returns: how many hints the current turn still has
 */
guint
rh_practice_run_get_hints_left (RhPracticeRun *self)
{
  const RhScenarioTurn *turn;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), 0);

  if (self->current < 0 || self->finished)
    return 0;
  turn = rh_scenario_get_turn (self->scenario, self->current);
  return g_strv_length (turn->hints) - self->turns[self->current].hints_used;
}

/**
 * rh_practice_run_hint:
 *
 * Reveals the current turn's next hint. It costs %RH_PRACTICE_HINT_COST
 * points on every attempt made after it; an attempt already made keeps
 * its score.
 *
 * Returns: (transfer none) (nullable): the hint, or %NULL with an error
 *   when the turn has no hint left
 */
const char *
rh_practice_run_hint (RhPracticeRun  *self,
                      GError        **error)
{
  RhPracticeTurn *turn;
  const RhScenarioTurn *scenario_turn;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);

  if (!(turn = current_turn (self, error)))
    return NULL;
  scenario_turn = rh_scenario_get_turn (self->scenario, turn->index);
  if (turn->hints_used >= g_strv_length (scenario_turn->hints))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                   scenario_turn->hints[0] ? _("There are no more hints for this turn")
                                           : _("This turn has no hints"));
      return NULL;
    }
  return scenario_turn->hints[turn->hints_used++];
}

/**
 * rh_practice_run_submit:
 * @answer: what the learner typed
 *
 * Scores @answer against the current turn's accepted answers and key
 * phrases. The turn then shows the feedback and waits for
 * rh_practice_run_retry() or rh_practice_run_next().
 *
 * Returns: (transfer none) (nullable): the turn, with the attempt's
 *   feedback and score and the turn's (best) score
 */
const RhPracticeTurn *
rh_practice_run_submit (RhPracticeRun  *self,
                        const char     *answer,
                        GError        **error)
{
  RhPracticeTurn *turn;
  const RhScenarioTurn *scenario_turn;
  RhAnswerFeedback *feedback;
  int cost, score;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);

  if (!(turn = current_turn (self, error)))
    return NULL;
  if (turn->state != RH_PRACTICE_TURN_WAITING)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("This turn is answered: retry it or go on"));
      return NULL;
    }
  if (answer == NULL || !g_utf8_validate (answer, -1, NULL))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("The answer is not valid UTF-8 text"));
      return NULL;
    }
  if (g_utf8_strlen (answer, -1) > RH_PRACTICE_MAX_ANSWER)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                   _("The answer is longer than %d characters"), RH_PRACTICE_MAX_ANSWER);
      return NULL;
    }

  scenario_turn = rh_scenario_get_turn (self->scenario, turn->index);
  feedback = rh_answer_score (answer, (const char * const *) scenario_turn->accepted,
                              (const char * const *) scenario_turn->key_phrases);
  cost = (int) turn->hints_used * RH_PRACTICE_HINT_COST +
         (int) turn->attempts * RH_PRACTICE_RETRY_COST;
  score = MAX (feedback->score - cost, 0);

  turn->attempts++;
  turn->attempt_score = score;
  g_clear_pointer (&turn->feedback, rh_answer_feedback_free);
  turn->feedback = feedback;
  if (score > turn->score)
    {
      turn->score = score;
      g_free (turn->answer);
      turn->answer = g_strdup (answer);
      g_strfreev (turn->missed_phrases);
      turn->missed_phrases = g_strdupv (feedback->missing_phrases);
    }
  turn->state = RH_PRACTICE_TURN_ANSWERED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
  return turn;
}

/**
 * rh_practice_run_retry:
 *
 * Lets the learner answer the current turn again; the best attempt
 * counts.
 */
gboolean
rh_practice_run_retry (RhPracticeRun  *self,
                       GError        **error)
{
  RhPracticeTurn *turn;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), FALSE);

  if (!(turn = current_turn (self, error)))
    return FALSE;
  if (turn->state != RH_PRACTICE_TURN_ANSWERED)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("Answer the turn before retrying it"));
      return FALSE;
    }
  turn->state = RH_PRACTICE_TURN_WAITING;
  return TRUE;
}

/**
 * rh_practice_run_next:
 *
 * Goes on to the next learner turn, once the current one has an answer.
 */
gboolean
rh_practice_run_next (RhPracticeRun  *self,
                      GError        **error)
{
  RhPracticeTurn *turn;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), FALSE);

  if (!(turn = current_turn (self, error)))
    return FALSE;
  if (turn->attempts == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("Answer the turn or skip it first"));
      return FALSE;
    }
  turn->state = RH_PRACTICE_TURN_ANSWERED;
  reveal_from (self, turn->index + 1);
  return TRUE;
}

/**
 * rh_practice_run_skip:
 *
 * Leaves the current turn without an answer: it scores 0 and all its key
 * phrases count as missed. A turn that already has an answer keeps it
 * (skipping a retry is going on).
 */
gboolean
rh_practice_run_skip (RhPracticeRun  *self,
                      GError        **error)
{
  RhPracticeTurn *turn;
  const RhScenarioTurn *scenario_turn;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), FALSE);

  if (!(turn = current_turn (self, error)))
    return FALSE;
  if (turn->attempts > 0)
    return rh_practice_run_next (self, error);

  scenario_turn = rh_scenario_get_turn (self->scenario, turn->index);
  turn->state = RH_PRACTICE_TURN_SKIPPED;
  turn->score = 0;
  g_strfreev (turn->missed_phrases);
  turn->missed_phrases = g_strdupv (scenario_turn->key_phrases);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
  reveal_from (self, turn->index + 1);
  return TRUE;
}

/**
 * rh_practice_run_get_score:
 *
 * Returns: the overall score as finishing now would store it: the mean
 *   of every learner turn's score, 0 for those not answered
 */
double
rh_practice_run_get_score (RhPracticeRun *self)
{
  double sum = 0.0;
  guint n = 0;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), 0.0);

  for (guint i = 0; i < self->n_turns; i++)
    if (rh_scenario_get_turn (self->scenario, i)->kind == RH_TURN_LEARNER)
      {
        sum += MAX (self->turns[i].score, 0);
        n++;
      }
  return n > 0 ? sum / n : 0.0;
}

/* A model sentence with @phrase blanked out: the first accepted answer
 * that has it as whole words (ASCII case ignored, which keeps byte
 * offsets), or NULL. */
static char *
blank_phrase (const char * const  *accepted,
              const char          *phrase,
              const char         **out_sentence)
{
  g_autofree char *needle = g_ascii_strdown (phrase, -1);
  gsize len = strlen (needle);

  for (guint i = 0; accepted != NULL && accepted[i]; i++)
    {
      g_autofree char *hay = g_ascii_strdown (accepted[i], -1);

      for (const char *at = strstr (hay, needle); at != NULL; at = strstr (at + 1, needle))
        {
          gsize offset = at - hay;
          gboolean starts = offset == 0 || !g_ascii_isalnum (hay[offset - 1]);
          gboolean ends = !g_ascii_isalnum (hay[offset + len]);
          GString *out;

          if (!starts || !ends)
            continue;
          out = g_string_new_len (accepted[i], offset);
          g_string_append (out, "_____");
          g_string_append (out, accepted[i] + offset + len);
          *out_sentence = accepted[i];
          return g_string_free (out, FALSE);
        }
    }
  return NULL;
}

static char *
topic_tag (const char *topic)
{
  GString *tag;

  if (topic == NULL)
    return NULL;
  tag = g_string_new (NULL);
  for (const char *p = topic; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (tag, c);
      else if (tag->len > 0 && tag->str[tag->len - 1] != '-')
        g_string_append_c (tag, '-');
    }
  if (tag->len == 0)
    {
      g_string_free (tag, TRUE);
      return NULL;
    }
  return g_string_free (tag, FALSE);
}

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  g_autofree char *hay = g_ascii_strdown (haystack, -1);
  g_autofree char *low = g_ascii_strdown (needle, -1);

  return strstr (hay, low) != NULL;
}

/* The flashcard for a missed key phrase: the partner's line for context
 * and a model answer with the phrase blanked out on the front, the
 * phrase on the back. The learner's task goes on the front only when it
 * does not give the phrase away ("Say you have three years…"). */
static RhFlashcard *
add_phrase_card (RhPracticeRun  *self,
                 const char     *deck_id,
                 guint           index,
                 const char     *phrase,
                 GError        **error)
{
  const RhScenarioTurn *turn = rh_scenario_get_turn (self->scenario, index);
  const char *partner = rh_practice_run_get_partner_line (self, index);
  const char *sentence = NULL;
  g_autofree char *blanked = blank_phrase ((const char * const *) turn->accepted, phrase,
                                           &sentence);
  g_autofree char *tag = topic_tag (rh_scenario_get_topic (self->scenario));
  g_autofree char *notes = NULL;
  g_autofree char *front_text = NULL;
  const char *tags[] = { "scenario", tag, NULL };
  GString *front = g_string_new (NULL);
  RhCardDraft draft = { 0 };

  if (partner != NULL)
    g_string_append_printf (front, "“%s”", partner);
  if (blanked == NULL || partner == NULL)
    {
      if (blanked == NULL || !contains_ascii_nocase (turn->text, phrase))
        g_string_append_printf (front, "%s%s", front->len ? "\n" : "", turn->text);
    }
  if (blanked != NULL)
    g_string_append_printf (front, "%s%s", front->len ? "\n\n" : "", blanked);
  else
    g_string_append_printf (front, "\n\n%s", _("Which key phrase fits here?"));
  front_text = g_string_free (front, FALSE);

  notes = g_strdup_printf (_("From the scenario “%s”, turn %u: %s"),
                           rh_scenario_get_title (self->scenario), index + 1, turn->text);

  draft.deck_id = deck_id;
  draft.front = front_text;
  draft.back = phrase;
  draft.notes = notes;
  draft.example = sentence;
  draft.tags = tags;
  return rh_collection_add_card (self->collection, &draft, error);
}

/* Makes a card for each missed phrase that never had one. */
static gboolean
learn_from_mistakes (RhPracticeRun     *self,
                     RhPracticeResult  *result,
                     GError           **error)
{
  const RhRepositories *repos = rh_collection_get_repositories (self->collection);
  const char *scenario_id = rh_scenario_get_id (self->scenario);
  g_autoptr(RhDeck) deck = NULL;
  gint64 now = rh_collection_now (self->collection);

  for (guint i = 0; i < self->n_turns; i++)
    {
      RhPracticeTurn *turn = &self->turns[i];

      /* A turn never reached tells nothing about what the learner knows. */
      if (turn->attempts == 0 && turn->state != RH_PRACTICE_TURN_SKIPPED)
        continue;

      for (guint p = 0; turn->missed_phrases[p]; p++)
        {
          const char *phrase = turn->missed_phrases[p];
          g_autofree char *key = rh_answer_normalize (phrase);
          g_autoptr(GError) local_error = NULL;
          g_autoptr(RhPhraseCardLink) link = NULL;
          RhMissedPhrase *missed;

          if (*key == '\0')
            continue;
          link = rh_scenario_repository_find_phrase_card (repos->scenarios, scenario_id, i, key,
                                                          &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }

          missed = g_new0 (RhMissedPhrase, 1);
          missed->turn_index = i;
          missed->phrase = g_strdup (phrase);
          g_ptr_array_add (result->missed, missed);

          if (link != NULL)
            {
              missed->card_id = g_strdup (link->card_id);
              continue;
            }

          {
            g_autoptr(RhFlashcard) card = NULL;
            RhPhraseCardLink new_link = { 0 };

            if (deck == NULL &&
                !(deck = rh_collection_ensure_deck (self->collection, _(RH_SCENARIO_PHRASE_DECK),
                                                    NULL, error)))
              return FALSE;
            if (!(card = add_phrase_card (self, rh_deck_get_id (deck), i, phrase, error)))
              return FALSE;

            new_link.scenario_id = (char *) scenario_id;
            new_link.turn_index = i;
            new_link.phrase_key = key;
            new_link.card_id = (char *) rh_flashcard_get_id (card);
            new_link.created_us = now;
            if (!rh_scenario_repository_add_phrase_card (repos->scenarios, &new_link, error))
              return FALSE;

            missed->card_id = g_strdup (rh_flashcard_get_id (card));
            missed->new_card = TRUE;
            result->cards_created++;
          }
        }
    }
  return TRUE;
}

/**
 * rh_practice_run_finish:
 *
 * Stores the run: a scenario session (the overall score, start, end and
 * time), the score of every learner turn (turns not answered count 0) and
 * a card in the “Scenario phrases” deck for every missed key phrase that
 * does not have one yet, all in one transaction. A run can finish before
 * its last turn; it finishes once.
 *
 * Returns: (transfer full) (nullable): what was stored
 */
RhPracticeResult *
rh_practice_run_finish (RhPracticeRun  *self,
                        GError        **error)
{
  const RhRepositories *repos;
  g_autoptr(RhPracticeResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhSession) session = NULL;
  gint64 now;

  g_return_val_if_fail (RH_IS_PRACTICE_RUN (self), NULL);

  if (self->finished)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("This practice run is over"));
      return NULL;
    }

  repos = rh_collection_get_repositories (self->collection);
  now = MAX (rh_collection_now (self->collection), self->started_us);

  result = g_new0 (RhPracticeResult, 1);
  result->turns = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_turn_result_free);
  result->missed = g_ptr_array_new_with_free_func ((GDestroyNotify) missed_phrase_free);
  result->score = rh_practice_run_get_score (self);

  for (guint i = 0; i < self->n_turns; i++)
    {
      RhPracticeTurn *turn = &self->turns[i];
      RhTurnResult *stored;

      if (rh_scenario_get_turn (self->scenario, i)->kind != RH_TURN_LEARNER)
        continue;
      stored = g_new0 (RhTurnResult, 1);
      stored->turn_index = i;
      stored->score = MAX (turn->score, 0);
      stored->answer = g_strdup (turn->answer);
      stored->hints_used = turn->hints_used;
      stored->attempts = turn->attempts;
      stored->skipped = turn->attempts == 0;
      g_ptr_array_add (result->turns, stored);
    }

  if (!(session = rh_session_new (NULL, RH_SESSION_KIND_SCENARIO, self->started_us, error)) ||
      !rh_session_end (session, now, error) ||
      !rh_session_set_scenario (session, rh_scenario_get_id (self->scenario), result->score,
                                error))
    return NULL;
  rh_session_set_time_ms (session, (now - self->started_us) / 1000);

  if (!rh_store_begin (repos->store, error))
    return NULL;
  if (!rh_session_repository_save (repos->sessions, session, &local_error) ||
      !rh_session_repository_save_turn_results (repos->sessions, rh_session_get_id (session),
                                                result->turns, &local_error) ||
      !learn_from_mistakes (self, result, &local_error) ||
      !rh_store_commit (repos->store, &local_error))
    {
      rh_store_rollback (repos->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  result->session = g_steal_pointer (&session);
  self->finished = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  return g_steal_pointer (&result);
}
