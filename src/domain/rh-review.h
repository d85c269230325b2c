// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-fsrs.h"

G_BEGIN_DECLS

#define RH_REVIEW_MAX_DURATION_MS (G_GINT64_CONSTANT (3600) * 1000)

#define RH_TYPE_REVIEW (rh_review_get_type ())

G_DECLARE_FINAL_TYPE (RhReview, rh_review, RH, REVIEW, GObject)

gboolean    rh_rating_validate         (int          rating,
                                        GError     **error);
const char *rh_rating_to_string        (RhRating     rating);
gboolean    rh_rating_parse            (const char  *text,
                                        RhRating    *out,
                                        GError     **error);

RhReview   *rh_review_new              (const char  *id,
                                        const char  *card_id,
                                        int          rating,
                                        gint64       time_us,
                                        gint64       duration_ms,
                                        GError     **error);
const char *rh_review_get_id           (RhReview    *self);
const char *rh_review_get_card_id      (RhReview    *self);
RhRating    rh_review_get_rating       (RhReview    *self);
gint64      rh_review_get_time         (RhReview    *self);
gint64      rh_review_get_duration_ms  (RhReview    *self);
const char *rh_review_get_session_id   (RhReview    *self);
void        rh_review_set_session_id   (RhReview    *self,
                                        const char  *session_id);
RhCardStateKind rh_review_get_state_before (RhReview *self);
void        rh_review_set_state_before (RhReview    *self,
                                        RhCardStateKind state);

G_END_DECLS
