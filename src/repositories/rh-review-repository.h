// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-review.h"

G_BEGIN_DECLS

/**
 * RhLastAnswer:
 *
 * What undo needs to take the last answer back: the review and the card's
 * state before it, serialised with rh_card_state_serialize().
 */
typedef struct
{
  char *review_id;
  char *card_id;
  char *session_id;
  char *previous_state;
} RhLastAnswer;

void rh_last_answer_free (RhLastAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhLastAnswer, rh_last_answer_free)

#define RH_TYPE_REVIEW_REPOSITORY (rh_review_repository_get_type ())

G_DECLARE_INTERFACE (RhReviewRepository, rh_review_repository, RH, REVIEW_REPOSITORY, GObject)

struct _RhReviewRepositoryInterface
{
  GTypeInterface parent_iface;

  gboolean      (*append)          (RhReviewRepository  *self,
                                    RhReview            *review,
                                    GError             **error);
  GPtrArray    *(*list_for_card)   (RhReviewRepository  *self,
                                    const char          *card_id,
                                    GError             **error);
  GPtrArray    *(*list_between)    (RhReviewRepository  *self,
                                    gint64               from_us,
                                    gint64               to_us,
                                    GError             **error);
  gboolean      (*remove)          (RhReviewRepository  *self,
                                    const char          *id,
                                    GError             **error);
  gboolean      (*set_last_answer) (RhReviewRepository  *self,
                                    const RhLastAnswer  *answer,
                                    GError             **error);
  RhLastAnswer *(*get_last_answer) (RhReviewRepository  *self,
                                    GError             **error);
  gboolean      (*clear_last_answer) (RhReviewRepository *self,
                                    GError             **error);
  gboolean      (*count_between)   (RhReviewRepository  *self,
                                    gint64               from_us,
                                    gint64               to_us,
                                    guint               *out_by_state,
                                    GError             **error);
  gboolean      (*count_session_cards) (RhReviewRepository *self,
                                    const char          *session_id,
                                    guint               *out_cards,
                                    GError             **error);
};

gboolean      rh_review_repository_append            (RhReviewRepository  *self,
                                                      RhReview            *review,
                                                      GError             **error);
GPtrArray    *rh_review_repository_list_for_card     (RhReviewRepository  *self,
                                                      const char          *card_id,
                                                      GError             **error);
GPtrArray    *rh_review_repository_list_between      (RhReviewRepository  *self,
                                                      gint64               from_us,
                                                      gint64               to_us,
                                                      GError             **error);
gboolean      rh_review_repository_remove            (RhReviewRepository  *self,
                                                      const char          *id,
                                                      GError             **error);
gboolean      rh_review_repository_set_last_answer   (RhReviewRepository  *self,
                                                      const RhLastAnswer  *answer,
                                                      GError             **error);
RhLastAnswer *rh_review_repository_get_last_answer   (RhReviewRepository  *self,
                                                      GError             **error);
gboolean      rh_review_repository_clear_last_answer (RhReviewRepository  *self,
                                                      GError             **error);
gboolean      rh_review_repository_count_between     (RhReviewRepository  *self,
                                                      gint64               from_us,
                                                      gint64               to_us,
                                                      guint               *out_by_state,
                                                      GError             **error);
gboolean      rh_review_repository_count_session_cards (RhReviewRepository *self,
                                                        const char         *session_id,
                                                        guint              *out_cards,
                                                        GError            **error);

G_END_DECLS
