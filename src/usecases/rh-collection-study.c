// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-study"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-collection-private.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-time.h"

/* Like Anki's "learn ahead limit": when nothing else is left, a learning
 * card whose step ends within this time is shown rather than making the
 * learner wait. */
#define LEARN_AHEAD_US (20 * RH_USEC_PER_MINUTE)

typedef struct
{
  guint new_done;
  guint reviews_done;
} DayProgress;

static gboolean
day_progress (RhCollection  *self,
              DayProgress   *out,
              GError       **error)
{
  gint64 start = rh_collection_day_start (self);
  guint by_state[4];

  *out = (DayProgress) { 0 };
  if (!rh_review_repository_count_between (self->repos.reviews, start, start + RH_USEC_PER_DAY,
                                           by_state, error))
    return FALSE;
  out->new_done = by_state[RH_CARD_STATE_NEW];
  out->reviews_done = by_state[RH_CARD_STATE_REVIEW];
  return TRUE;
}

static void
remaining_limits (RhCollection      *self,
                  const DayProgress *progress,
                  guint             *new_left,
                  guint             *reviews_left)
{
  int n = self->settings.new_per_day - (int) progress->new_done;
  int r = self->settings.reviews_per_day - (int) progress->reviews_done;

  *new_left = (guint) MAX (n, 0);
  *reviews_left = (guint) MAX (r, 0);
}

/* The day's queue from the cards' counts: what the daily limits leave. */
static gboolean
queue_within_limits (RhCollection        *self,
                     const RhDeckCounts  *sum,
                     RhQueueCounts       *out,
                     GError             **error)
{
  DayProgress progress;
  guint new_left, reviews_left;

  if (!day_progress (self, &progress, error))
    return FALSE;
  remaining_limits (self, &progress, &new_left, &reviews_left);
  out->new_cards = MIN (sum->new_cards, new_left);
  out->learning = sum->learning;
  out->review = MIN (sum->due, reviews_left);
  return TRUE;
}

static void
add_counts (RhDeckCounts       *sum,
            const RhDeckCounts *counts)
{
  sum->new_cards += counts->new_cards;
  sum->learning += counts->learning;
  sum->due += counts->due;
}

/**
 * rh_collection_queue_counts:
 * @deck_id: (nullable): a deck, or %NULL for all decks
 *
 * What is left today within the daily limits.
 */
gboolean
rh_collection_queue_counts (RhCollection   *self,
                            const char     *deck_id,
                            RhQueueCounts  *out,
                            GError        **error)
{
  g_autoptr(GHashTable) counts = NULL;
  RhDeckCounts sum = { 0 };
  gint64 day_end = rh_collection_day_start (self) + RH_USEC_PER_DAY;
  GHashTableIter iter;
  gpointer key, value;

  if (!(counts = rh_card_repository_count_by_deck (self->repos.cards, day_end, error)))
    return FALSE;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (deck_id == NULL || g_strcmp0 (key, deck_id) == 0)
      add_counts (&sum, value);
  return queue_within_limits (self, &sum, out, error);
}

/**
 * rh_collection_queue_counts_for_decks:
 * @summaries: (element-type RhDeckSummary): what rh_collection_list_decks()
 *   gave, read just before
 *
 * Like rh_collection_queue_counts() for all decks, from counts already
 * read: the overview needs both and the counting is the slow part on a
 * large collection.
 */
gboolean
rh_collection_queue_counts_for_decks (RhCollection   *self,
                                      GPtrArray      *summaries,
                                      RhQueueCounts  *out,
                                      GError        **error)
{
  RhDeckCounts sum = { 0 };

  for (guint i = 0; i < summaries->len; i++)
    add_counts (&sum, &((const RhDeckSummary *) summaries->pdata[i])->counts);
  return queue_within_limits (self, &sum, out, error);
}

/* What a grade button says: rh_fsrs_format_interval() in the learner's
 * language, with the locale's decimal separator. */
static char *
format_interval (gint64 seconds)
{
  gint64 tenths;
  RhIntervalUnit unit = rh_fsrs_interval_round (seconds, &tenths);
  g_autofree char *number = tenths % 10 == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, tenths / 10)
                                             : g_strdup_printf ("%.1f", tenths / 10.0);

  switch (unit)
    {
    /* Translators: a short interval on a grade button, in seconds */
    case RH_INTERVAL_SECONDS: return g_strdup_printf (C_("interval", "%s s"), number);
    /* Translators: a short interval on a grade button, in minutes */
    case RH_INTERVAL_MINUTES: return g_strdup_printf (C_("interval", "%s min"), number);
    /* Translators: a short interval on a grade button, in hours */
    case RH_INTERVAL_HOURS: return g_strdup_printf (C_("interval", "%s h"), number);
    /* Translators: a short interval on a grade button, in days */
    case RH_INTERVAL_DAYS: return g_strdup_printf (C_("interval", "%s d"), number);
    /* Translators: a short interval on a grade button, in months */
    case RH_INTERVAL_MONTHS: return g_strdup_printf (C_("interval", "%s mo"), number);
    /* Translators: a short interval on a grade button, in years */
    default: return g_strdup_printf (C_("interval", "%s y"), number);
    }
}

static RhStudyCard *
make_study_card (RhCollection *self,
                 RhFlashcard  *card)
{
  RhStudyCard *sc = g_new0 (RhStudyCard, 1);
  gint64 now = rh_collection_now (self);
  guint64 seed = rh_fsrs_fuzz_seed (rh_flashcard_get_id (card), now);

  sc->card = g_object_ref (card);
  rh_fsrs_preview (self->params, rh_flashcard_get_state (card), now, seed, sc->preview);
  for (guint i = 0; i < 4; i++)
    sc->interval_labels[i] = format_interval ((sc->preview[i].due_us - now)
                                                      / G_USEC_PER_SEC);
  return sc;
}

/**
 * rh_collection_next_card:
 * @deck_id: (nullable): a deck, or %NULL for all decks
 *
 * Picks what to study next: a (re)learning card whose step is due, then
 * reviews (most overdue first), then new cards in the order they were
 * added, within the day's limits; last, a learning card due soon.
 *
 * Returns: (transfer full) (nullable): the card, or %NULL without error
 *   when there is nothing left today
 */
RhStudyCard *
rh_collection_next_card (RhCollection  *self,
                         const char    *deck_id,
                         GError       **error)
{
  gint64 now = rh_collection_now (self);
  gint64 day_end = rh_collection_day_start (self) + RH_USEC_PER_DAY;
  g_autoptr(GPtrArray) learning = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  DayProgress progress;
  guint new_left, reviews_left;

  if (!(learning = rh_card_repository_list_learning (self->repos.cards, deck_id, 1, error)))
    return NULL;
  if (learning->len > 0 &&
      rh_flashcard_get_state (learning->pdata[0])->due_us <= now)
    return make_study_card (self, learning->pdata[0]);

  if (!day_progress (self, &progress, error))
    return NULL;
  remaining_limits (self, &progress, &new_left, &reviews_left);

  if (reviews_left > 0)
    {
      if (!(due = rh_card_repository_list_due (self->repos.cards, deck_id, day_end, 1, error)))
        return NULL;
      if (due->len > 0)
        return make_study_card (self, due->pdata[0]);
    }

  if (new_left > 0)
    {
      if (!(fresh = rh_card_repository_list_new (self->repos.cards, deck_id, 1, error)))
        return NULL;
      if (fresh->len > 0)
        return make_study_card (self, fresh->pdata[0]);
    }

  if (learning->len > 0)
    {
      const RhCardState *state = rh_flashcard_get_state (learning->pdata[0]);
      if (state->due_us <= now + LEARN_AHEAD_US && state->due_us < day_end)
        return make_study_card (self, learning->pdata[0]);
    }

  return NULL;
}

/**
 * rh_collection_study_card:
 *
 * Returns: (transfer full) (nullable): one particular card with the
 *   intervals its grades would give
 */
RhStudyCard *
rh_collection_study_card (RhCollection  *self,
                          const char    *card_id,
                          GError       **error)
{
  g_autoptr(RhFlashcard) card = rh_collection_get_card (self, card_id, error);

  if (card == NULL)
    return NULL;
  return make_study_card (self, card);
}

static gboolean
ensure_session (RhCollection  *self,
                gint64         now,
                GError       **error)
{
  if (self->session != NULL && rh_session_is_open (self->session))
    return TRUE;

  g_clear_object (&self->session);
  self->session = rh_session_new (NULL, RH_SESSION_KIND_REVIEW, now, error);
  return self->session != NULL;
}

/**
 * rh_collection_answer:
 * @duration_ms: how long the learner looked at the card
 *
 * Records the answer and reschedules the card in one transaction, and
 * remembers the card's state before it so undo can restore it exactly.
 *
 * Returns: (transfer full) (nullable): the review written
 */
RhReview *
rh_collection_answer (RhCollection  *self,
                      const char    *card_id,
                      RhRating       rating,
                      gint64         duration_ms,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhReview) review = NULL;
  g_autofree char *previous = NULL;
  gint64 now = rh_collection_now (self);
  RhCardState next;
  RhLastAnswer last = { 0 };
  gboolean new_session;

  if (!rh_rating_validate (rating, error))
    return NULL;
  duration_ms = CLAMP (duration_ms, 0, RH_REVIEW_MAX_DURATION_MS);

  new_session = self->session == NULL || !rh_session_is_open (self->session);
  if (!ensure_session (self, now, error))
    return NULL;

  if (!rh_store_begin (self->repos.store, error))
    return NULL;

  if (!(card = rh_collection_get_card (self, card_id, &local_error)))
    goto fail;

  previous = rh_card_state_serialize (rh_flashcard_get_state (card));
  rh_fsrs_schedule (self->params, rh_flashcard_get_state (card), rating, now,
                    rh_fsrs_fuzz_seed (card_id, now), &next);

  if (!(review = rh_review_new (NULL, card_id, rating, now, duration_ms, &local_error)))
    goto fail;
  rh_review_set_state_before (review, rh_flashcard_get_state (card)->state);
  rh_review_set_session_id (review, rh_session_get_id (self->session));

  last.review_id = (char *) rh_review_get_id (review);
  last.card_id = (char *) card_id;
  last.session_id = (char *) rh_session_get_id (self->session);
  last.previous_state = previous;

  rh_session_record (self->session, rating, duration_ms);

  if (!rh_review_repository_append (self->repos.reviews, review, &local_error) ||
      !rh_card_repository_update_state (self->repos.cards, card_id, &next, &local_error) ||
      !rh_review_repository_set_last_answer (self->repos.reviews, &last, &local_error) ||
      !rh_session_repository_save (self->repos.sessions, self->session, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    {
      rh_session_unrecord (self->session, rating, duration_ms);
      goto fail;
    }

  return g_steal_pointer (&review);

fail:
  rh_store_rollback (self->repos.store);
  if (new_session)
    g_clear_object (&self->session);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

gboolean
rh_collection_can_undo (RhCollection *self)
{
  g_autoptr(RhLastAnswer) last = rh_review_repository_get_last_answer (self->repos.reviews, NULL);

  return last != NULL;
}

/**
 * rh_collection_undo:
 *
 * Takes back the last answer: the review becomes a tombstone, the card
 * gets back its exact previous state and the session its count.
 *
 * Returns: (transfer full) (nullable): the card, to show again; %NULL with
 *   %RH_DOMAIN_ERROR_NOTHING_TO_UNDO when there is nothing to undo
 */
RhFlashcard *
rh_collection_undo (RhCollection  *self,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhLastAnswer) last = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(RhSession) stored_session = NULL;
  RhSession *session = NULL;
  RhReview *review = NULL;
  RhCardState previous;

  if (!rh_store_begin (self->repos.store, error))
    return NULL;

  last = rh_review_repository_get_last_answer (self->repos.reviews, &local_error);
  if (local_error != NULL)
    goto fail;
  if (last == NULL)
    {
      g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOTHING_TO_UNDO,
                   _("There is no answer to undo"));
      goto fail;
    }

  if (!rh_card_state_deserialize (last->previous_state, &previous, &local_error))
    goto fail;
  if (!(reviews = rh_review_repository_list_for_card (self->repos.reviews, last->card_id,
                                                      &local_error)))
    goto fail;
  for (guint i = 0; i < reviews->len; i++)
    if (g_strcmp0 (rh_review_get_id (reviews->pdata[i]), last->review_id) == 0)
      review = reviews->pdata[i];
  if (review == NULL)
    {
      g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOTHING_TO_UNDO,
                   _("The last answer can no longer be undone"));
      goto fail;
    }

  if (last->session_id != NULL)
    {
      if (self->session != NULL &&
          g_strcmp0 (rh_session_get_id (self->session), last->session_id) == 0)
        session = self->session;
      else
        {
          stored_session = rh_session_repository_get (self->repos.sessions, last->session_id,
                                                      NULL);
          session = stored_session;
        }
    }

  if (session != NULL)
    rh_session_unrecord (session, rh_review_get_rating (review),
                         rh_review_get_duration_ms (review));

  if (!rh_review_repository_remove (self->repos.reviews, last->review_id, &local_error) ||
      !rh_card_repository_update_state (self->repos.cards, last->card_id, &previous,
                                        &local_error) ||
      !rh_review_repository_clear_last_answer (self->repos.reviews, &local_error) ||
      (session != NULL &&
       !rh_session_repository_save (self->repos.sessions, session, &local_error)) ||
      !rh_store_commit (self->repos.store, &local_error))
    {
      if (session != NULL)
        rh_session_record (session, rh_review_get_rating (review),
                           rh_review_get_duration_ms (review));
      goto fail;
    }

  return rh_card_repository_get (self->repos.cards, last->card_id, error);

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * rh_collection_rebuild_card:
 * @out_state: (out) (optional): the rebuilt state
 *
 * The scheduling state is a cache of the reviews: this replays them in
 * time order and stores the result. Sync calls it after reviews made
 * elsewhere arrive.
 */
gboolean
rh_collection_rebuild_card (RhCollection  *self,
                            const char    *card_id,
                            RhCardState   *out_state,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autofree RhFsrsReviewInput *inputs = NULL;
  RhCardState state;

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;

  if (!(card = rh_card_repository_get (self->repos.cards, card_id, &local_error)) ||
      !(reviews = rh_review_repository_list_for_card (self->repos.reviews, card_id,
                                                      &local_error)))
    goto fail;

  if (reviews->len == 0)
    rh_card_state_init_new (&state, rh_flashcard_get_created (card));
  else
    {
      inputs = g_new0 (RhFsrsReviewInput, reviews->len);
      for (guint i = 0; i < reviews->len; i++)
        {
          inputs[i].rating = rh_review_get_rating (reviews->pdata[i]);
          inputs[i].time_us = rh_review_get_time (reviews->pdata[i]);
        }
      rh_fsrs_replay (self->params, inputs, reviews->len, card_id, &state, NULL, NULL);
    }

  if (!rh_card_repository_update_state (self->repos.cards, card_id, &state, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    goto fail;

  if (out_state)
    *out_state = state;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rh_collection_get_session:
 *
 * Returns: (transfer none) (nullable): the open review session, if the
 *   learner answered anything in this run
 */
RhSession *
rh_collection_get_session (RhCollection *self)
{
  return self->session;
}

/**
 * rh_collection_count_session_cards:
 * @session: a review session
 * @out_cards: (out): how many cards the learner answered in it; a card
 *   answered again in a learning step counts once, an undone answer not
 *   at all
 */
gboolean
rh_collection_count_session_cards (RhCollection  *self,
                                   RhSession     *session,
                                   guint         *out_cards,
                                   GError       **error)
{
  g_return_val_if_fail (RH_IS_SESSION (session), FALSE);
  return rh_review_repository_count_session_cards (self->repos.reviews,
                                                   rh_session_get_id (session),
                                                   out_cards, error);
}

/**
 * rh_collection_end_session:
 *
 * Returns: (transfer full) (nullable): the ended session for the summary,
 *   or %NULL without error when none was open
 */
RhSession *
rh_collection_end_session (RhCollection  *self,
                           GError       **error)
{
  g_autoptr(RhSession) session = NULL;

  if (self->session == NULL)
    return NULL;

  if (!rh_session_end (self->session, rh_collection_now (self), error) ||
      !rh_session_repository_save (self->repos.sessions, self->session, error))
    return NULL;

  session = g_steal_pointer (&self->session);
  return g_steal_pointer (&session);
}

/**
 * rh_collection_close_abandoned_sessions:
 *
 * A session left open when the app was closed is ended at the moment its
 * last answer was recorded (its start plus the time studied).
 *
 * Returns: the number of sessions closed, or G_MAXUINT on error
 */
guint
rh_collection_close_abandoned_sessions (RhCollection  *self,
                                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  guint closed = 0;

  if (!rh_store_begin (self->repos.store, error))
    return G_MAXUINT;

  if (!(open = rh_session_repository_list_open (self->repos.sessions, &local_error)))
    goto fail;

  for (guint i = 0; i < open->len; i++)
    {
      RhSession *session = open->pdata[i];
      gint64 end = rh_session_get_started (session) + rh_session_get_time_ms (session) * 1000;

      if (self->session != NULL &&
          g_strcmp0 (rh_session_get_id (self->session), rh_session_get_id (session)) == 0)
        continue;
      if (!rh_session_end (session, end, &local_error) ||
          !rh_session_repository_save (self->repos.sessions, session, &local_error))
        goto fail;
      closed++;
    }

  if (!rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return closed;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return G_MAXUINT;
}
