// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-card-repository"

#include "config.h"

#include "rh-card-repository.h"

G_DEFINE_INTERFACE (RhCardRepository, rh_card_repository, G_TYPE_OBJECT)

static void
rh_card_repository_default_init (RhCardRepositoryInterface *iface)
{
}

#define IFACE(self) RH_CARD_REPOSITORY_GET_IFACE (self)

/**
 * rh_card_repository_get:
 *
 * Returns: (transfer full) (nullable): the live card, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhFlashcard *
rh_card_repository_get (RhCardRepository  *self,
                        const char        *id,
                        GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->get (self, id, error);
}

gboolean
rh_card_repository_insert (RhCardRepository  *self,
                           RhFlashcard       *card,
                           GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->insert (self, card, error);
}

/**
 * rh_card_repository_update:
 *
 * Stores the card's content fields (not its scheduling state); fields that
 * changed get new clock stamps and the card is marked for the next push.
 */
gboolean
rh_card_repository_update (RhCardRepository  *self,
                           RhFlashcard       *card,
                           GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->update (self, card, error);
}

/**
 * rh_card_repository_update_state:
 *
 * Stores the scheduling state: a cache of the card's reviews, so it is
 * not synced on its own.
 */
gboolean
rh_card_repository_update_state (RhCardRepository   *self,
                                 const char         *card_id,
                                 const RhCardState  *state,
                                 GError            **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->update_state (self, card_id, state, error);
}

gboolean
rh_card_repository_remove (RhCardRepository  *self,
                           const char        *id,
                           GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->remove (self, id, error);
}

/**
 * rh_card_repository_search:
 *
 * Returns: (transfer full) (element-type RhFlashcard): one page of cards
 */
GPtrArray *
rh_card_repository_search (RhCardRepository   *self,
                           const RhCardQuery  *query,
                           guint               offset,
                           guint               limit,
                           GError            **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->search (self, query, offset, limit, error);
}

gboolean
rh_card_repository_count (RhCardRepository   *self,
                          const RhCardQuery  *query,
                          guint              *out_count,
                          GError            **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->count (self, query, out_count, error);
}

/**
 * rh_card_repository_search_ids:
 *
 * Every match of @query, in its order: one sort, after which any page of
 * the results is a lookup by id (rh_card_repository_get_many()) however
 * far down it is.
 *
 * Returns: (transfer full) (element-type utf8): the cards' ids
 */
GPtrArray *
rh_card_repository_search_ids (RhCardRepository   *self,
                               const RhCardQuery  *query,
                               GError            **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  return IFACE (self)->search_ids (self, query, error);
}

/**
 * rh_card_repository_get_many:
 * @ids: (array length=n_ids): the cards to read
 *
 * Returns: (transfer full) (element-type RhFlashcard): the cards in the
 *   order of @ids, with %NULL where a card is gone (deleted, or never
 *   was)
 */
GPtrArray *
rh_card_repository_get_many (RhCardRepository   *self,
                             const char * const *ids,
                             guint               n_ids,
                             GError            **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);
  return IFACE (self)->get_many (self, ids, n_ids, error);
}

/**
 * rh_card_repository_list_fronts:
 *
 * Returns: (transfer full) (element-type utf8): the fronts of the deck's
 *   live cards, to find duplicates
 */
GPtrArray *
rh_card_repository_list_fronts (RhCardRepository  *self,
                                const char        *deck_id,
                                GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->list_fronts (self, deck_id, error);
}

/**
 * rh_card_repository_list_due:
 * @deck_id: (nullable): a deck, or %NULL for all
 *
 * Returns: (transfer full) (element-type RhFlashcard): cards in review
 *   due before @before_us, the most overdue first
 */
GPtrArray *
rh_card_repository_list_due (RhCardRepository  *self,
                             const char        *deck_id,
                             gint64             before_us,
                             guint              limit,
                             GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->list_due (self, deck_id, before_us, limit, error);
}

/**
 * rh_card_repository_list_learning:
 *
 * Returns: (transfer full) (element-type RhFlashcard): cards in learning
 *   or relearning steps, by due time, at most @limit
 */
GPtrArray *
rh_card_repository_list_learning (RhCardRepository  *self,
                                  const char        *deck_id,
                                  guint              limit,
                                  GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->list_learning (self, deck_id, limit, error);
}

/**
 * rh_card_repository_list_new:
 *
 * Returns: (transfer full) (element-type RhFlashcard): new cards in the
 *   order they were added
 */
GPtrArray *
rh_card_repository_list_new (RhCardRepository  *self,
                             const char        *deck_id,
                             guint              limit,
                             GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->list_new (self, deck_id, limit, error);
}

/**
 * rh_card_repository_count_by_deck:
 *
 * Returns: (transfer full) (element-type utf8 RhDeckCounts): the counts of
 *   each deck that has cards, keyed by deck id (values are g_new'd)
 */
GHashTable *
rh_card_repository_count_by_deck (RhCardRepository  *self,
                                  gint64             day_end_us,
                                  GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), NULL);
  return IFACE (self)->count_by_deck (self, day_end_us, error);
}

/**
 * rh_card_repository_due_forecast:
 * @out_counts: (array length=n_days): filled with the number of cards in
 *   review or (re)learning falling due on each day; day 0 also counts the
 *   overdue ones
 *
 * Days are [@from_us + i * @day_us, @from_us + (i + 1) * @day_us).
 */
gboolean
rh_card_repository_due_forecast (RhCardRepository  *self,
                                 gint64             from_us,
                                 gint64             day_us,
                                 guint              n_days,
                                 guint             *out_counts,
                                 GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  g_return_val_if_fail (day_us > 0, FALSE);
  return IFACE (self)->due_forecast (self, from_us, day_us, n_days, out_counts, error);
}

/**
 * rh_card_repository_begin_bulk:
 *
 * Inside a transaction, before many inserts: the repository may put off
 * work (indexing for search; checking a deck once, not for every card)
 * until rh_card_repository_end_bulk(), which
 * must be called in the same transaction. Only inserts may happen between
 * the two.
 */
gboolean
rh_card_repository_begin_bulk (RhCardRepository  *self,
                               GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->begin_bulk (self, error);
}

gboolean
rh_card_repository_end_bulk (RhCardRepository  *self,
                             GError           **error)
{
  g_return_val_if_fail (RH_IS_CARD_REPOSITORY (self), FALSE);
  return IFACE (self)->end_bulk (self, error);
}
