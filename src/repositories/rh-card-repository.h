// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-flashcard.h"

G_BEGIN_DECLS

typedef enum
{
  RH_CARD_SORT_CREATED,
  RH_CARD_SORT_FRONT,
  RH_CARD_SORT_BACK,
  RH_CARD_SORT_DECK,
  RH_CARD_SORT_DUE,
  RH_CARD_SORT_STABILITY,
  RH_CARD_SORT_REVIEWS,
} RhCardSort;

/**
 * RhCardQuery:
 * @text: (nullable): full-text search over front, back, notes, example and
 *   tags; words are prefixes and all must match
 * @deck_id: (nullable): only this deck
 */
typedef struct
{
  const char *text;
  const char *deck_id;
  RhCardSort  sort;
  gboolean    descending;
} RhCardQuery;

/**
 * RhDeckCounts:
 * @total: live cards
 * @new_cards: never studied
 * @learning: in (re)learning steps and due before the day ends
 * @due: in review and due before the day ends
 */
typedef struct
{
  guint total;
  guint new_cards;
  guint learning;
  guint due;
} RhDeckCounts;

#define RH_TYPE_CARD_REPOSITORY (rh_card_repository_get_type ())

G_DECLARE_INTERFACE (RhCardRepository, rh_card_repository, RH, CARD_REPOSITORY, GObject)

struct _RhCardRepositoryInterface
{
  GTypeInterface parent_iface;

  RhFlashcard *(*get)           (RhCardRepository   *self,
                                 const char         *id,
                                 GError            **error);
  gboolean     (*insert)        (RhCardRepository   *self,
                                 RhFlashcard        *card,
                                 GError            **error);
  gboolean     (*update)        (RhCardRepository   *self,
                                 RhFlashcard        *card,
                                 GError            **error);
  gboolean     (*update_state)  (RhCardRepository   *self,
                                 const char         *card_id,
                                 const RhCardState  *state,
                                 GError            **error);
  gboolean     (*remove)        (RhCardRepository   *self,
                                 const char         *id,
                                 GError            **error);
  GPtrArray   *(*search)        (RhCardRepository   *self,
                                 const RhCardQuery  *query,
                                 guint               offset,
                                 guint               limit,
                                 GError            **error);
  gboolean     (*count)         (RhCardRepository   *self,
                                 const RhCardQuery  *query,
                                 guint              *out_count,
                                 GError            **error);
  GPtrArray   *(*search_ids)    (RhCardRepository   *self,
                                 const RhCardQuery  *query,
                                 GError            **error);
  GPtrArray   *(*get_many)      (RhCardRepository   *self,
                                 const char * const *ids,
                                 guint               n_ids,
                                 GError            **error);
  GPtrArray   *(*list_fronts)   (RhCardRepository   *self,
                                 const char         *deck_id,
                                 GError            **error);
  GPtrArray   *(*list_due)      (RhCardRepository   *self,
                                 const char         *deck_id,
                                 gint64              before_us,
                                 guint               limit,
                                 GError            **error);
  GPtrArray   *(*list_learning) (RhCardRepository   *self,
                                 const char         *deck_id,
                                 guint               limit,
                                 GError            **error);
  GPtrArray   *(*list_new)      (RhCardRepository   *self,
                                 const char         *deck_id,
                                 guint               limit,
                                 GError            **error);
  GHashTable  *(*count_by_deck) (RhCardRepository   *self,
                                 gint64              day_end_us,
                                 GError            **error);
  gboolean     (*due_forecast)  (RhCardRepository   *self,
                                 gint64              from_us,
                                 gint64              day_us,
                                 guint               n_days,
                                 guint              *out_counts,
                                 GError            **error);
  gboolean     (*begin_bulk)    (RhCardRepository   *self,
                                 GError            **error);
  gboolean     (*end_bulk)      (RhCardRepository   *self,
                                 GError            **error);
};

RhFlashcard *rh_card_repository_get           (RhCardRepository   *self,
                                               const char         *id,
                                               GError            **error);
gboolean     rh_card_repository_insert        (RhCardRepository   *self,
                                               RhFlashcard        *card,
                                               GError            **error);
gboolean     rh_card_repository_update        (RhCardRepository   *self,
                                               RhFlashcard        *card,
                                               GError            **error);
gboolean     rh_card_repository_update_state  (RhCardRepository   *self,
                                               const char         *card_id,
                                               const RhCardState  *state,
                                               GError            **error);
gboolean     rh_card_repository_remove        (RhCardRepository   *self,
                                               const char         *id,
                                               GError            **error);
GPtrArray   *rh_card_repository_search        (RhCardRepository   *self,
                                               const RhCardQuery  *query,
                                               guint               offset,
                                               guint               limit,
                                               GError            **error);
gboolean     rh_card_repository_count         (RhCardRepository   *self,
                                               const RhCardQuery  *query,
                                               guint              *out_count,
                                               GError            **error);
GPtrArray   *rh_card_repository_search_ids    (RhCardRepository   *self,
                                               const RhCardQuery  *query,
                                               GError            **error);
GPtrArray   *rh_card_repository_get_many      (RhCardRepository   *self,
                                               const char * const *ids,
                                               guint               n_ids,
                                               GError            **error);
GPtrArray   *rh_card_repository_list_fronts   (RhCardRepository   *self,
                                               const char         *deck_id,
                                               GError            **error);
GPtrArray   *rh_card_repository_list_due      (RhCardRepository   *self,
                                               const char         *deck_id,
                                               gint64              before_us,
                                               guint               limit,
                                               GError            **error);
GPtrArray   *rh_card_repository_list_learning (RhCardRepository   *self,
                                               const char         *deck_id,
                                               guint               limit,
                                               GError            **error);
GPtrArray   *rh_card_repository_list_new      (RhCardRepository   *self,
                                               const char         *deck_id,
                                               guint               limit,
                                               GError            **error);
GHashTable  *rh_card_repository_count_by_deck (RhCardRepository   *self,
                                               gint64              day_end_us,
                                               GError            **error);

gboolean     rh_card_repository_due_forecast  (RhCardRepository   *self,
                                               gint64              from_us,
                                               gint64              day_us,
                                               guint               n_days,
                                               guint              *out_counts,
                                               GError            **error);
gboolean     rh_card_repository_begin_bulk    (RhCardRepository   *self,
                                               GError            **error);
gboolean     rh_card_repository_end_bulk      (RhCardRepository   *self,
                                               GError            **error);

G_END_DECLS
