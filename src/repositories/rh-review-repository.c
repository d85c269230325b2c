// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-review-repository"

#include "config.h"

#include "rh-review-repository.h"

G_DEFINE_INTERFACE (RhReviewRepository, rh_review_repository, G_TYPE_OBJECT)

static void
rh_review_repository_default_init (RhReviewRepositoryInterface *iface)
{
}

#define IFACE(self) RH_REVIEW_REPOSITORY_GET_IFACE (self)

void
rh_last_answer_free (RhLastAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->review_id);
  g_free (answer->card_id);
  g_free (answer->session_id);
  g_free (answer->previous_state);
  g_free (answer);
}

/**
 * rh_review_repository_append:
 *
 * Reviews are an append-only log: they are added, and only taken back by
 * undo (as a tombstone), never edited.
 */
gboolean
rh_review_repository_append (RhReviewRepository  *self,
                             RhReview            *review,
                             GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  return IFACE (self)->append (self, review, error);
}

/**
 * rh_review_repository_list_for_card:
 *
 * Returns: (transfer full) (element-type RhReview): the card's live
 *   reviews in time order (ties by id)
 */
GPtrArray *
rh_review_repository_list_for_card (RhReviewRepository  *self,
                                    const char          *card_id,
                                    GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), NULL);
  return IFACE (self)->list_for_card (self, card_id, error);
}

/**
 * rh_review_repository_list_between:
 *
 * Returns: (transfer full) (element-type RhReview): live reviews with
 *   @from_us <= time < @to_us, in time order
 */
GPtrArray *
rh_review_repository_list_between (RhReviewRepository  *self,
                                   gint64               from_us,
                                   gint64               to_us,
                                   GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), NULL);
  return IFACE (self)->list_between (self, from_us, to_us, error);
}

gboolean
rh_review_repository_remove (RhReviewRepository  *self,
                             const char          *id,
                             GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  return IFACE (self)->remove (self, id, error);
}

gboolean
rh_review_repository_set_last_answer (RhReviewRepository  *self,
                                      const RhLastAnswer  *answer,
                                      GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  return IFACE (self)->set_last_answer (self, answer, error);
}

/**
 * rh_review_repository_get_last_answer:
 *
 * Returns: (transfer full) (nullable): the answer undo would take back, or
 *   %NULL (without error) when there is none
 */
RhLastAnswer *
rh_review_repository_get_last_answer (RhReviewRepository  *self,
                                      GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), NULL);
  return IFACE (self)->get_last_answer (self, error);
}

gboolean
rh_review_repository_clear_last_answer (RhReviewRepository  *self,
                                        GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  return IFACE (self)->clear_last_answer (self, error);
}

/**
 * rh_review_repository_count_between:
 * @out_by_state: (array fixed-size=4): filled with the number of live
 *   reviews in [@from_us, @to_us), by the card's state before the answer
 *   (#RhCardStateKind)
 */
gboolean
rh_review_repository_count_between (RhReviewRepository  *self,
                                    gint64               from_us,
                                    gint64               to_us,
                                    guint               *out_by_state,
                                    GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  return IFACE (self)->count_between (self, from_us, to_us, out_by_state, error);
}

/**
 * rh_review_repository_count_session_cards:
 * @out_cards: (out): how many cards have a live answer in the session
 *
 * A card answered three times in a session counts once.
 */
gboolean
rh_review_repository_count_session_cards (RhReviewRepository  *self,
                                          const char          *session_id,
                                          guint               *out_cards,
                                          GError             **error)
{
  g_return_val_if_fail (RH_IS_REVIEW_REPOSITORY (self), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);
  return IFACE (self)->count_session_cards (self, session_id, out_cards, error);
}
