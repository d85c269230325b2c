// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-fsrs.h"

G_BEGIN_DECLS

#define RH_FLASHCARD_MAX_SIDE  10000
#define RH_FLASHCARD_MAX_NOTES 20000

#define RH_TYPE_FLASHCARD (rh_flashcard_get_type ())

G_DECLARE_FINAL_TYPE (RhFlashcard, rh_flashcard, RH, FLASHCARD, GObject)

RhFlashcard        *rh_flashcard_new          (const char          *deck_id,
                                               const char          *front,
                                               const char          *back,
                                               GError             **error);
RhFlashcard        *rh_flashcard_new_with_id  (const char          *id,
                                               const char          *deck_id,
                                               const char          *front,
                                               const char          *back,
                                               gint64               created_us,
                                               GError             **error);
RhFlashcard        *rh_flashcard_copy         (RhFlashcard         *self);
const char         *rh_flashcard_get_id       (RhFlashcard         *self);
const char         *rh_flashcard_get_deck_id  (RhFlashcard         *self);
gboolean            rh_flashcard_set_deck_id  (RhFlashcard         *self,
                                               const char          *deck_id,
                                               GError             **error);
const char         *rh_flashcard_get_front    (RhFlashcard         *self);
gboolean            rh_flashcard_set_front    (RhFlashcard         *self,
                                               const char          *front,
                                               GError             **error);
const char         *rh_flashcard_get_back     (RhFlashcard         *self);
gboolean            rh_flashcard_set_back     (RhFlashcard         *self,
                                               const char          *back,
                                               GError             **error);
const char         *rh_flashcard_get_notes    (RhFlashcard         *self);
gboolean            rh_flashcard_set_notes    (RhFlashcard         *self,
                                               const char          *notes,
                                               GError             **error);
const char         *rh_flashcard_get_example  (RhFlashcard         *self);
gboolean            rh_flashcard_set_example  (RhFlashcard         *self,
                                               const char          *example,
                                               GError             **error);
const char * const *rh_flashcard_get_tags     (RhFlashcard         *self);
gboolean            rh_flashcard_set_tags     (RhFlashcard         *self,
                                               const char * const  *tags,
                                               GError             **error);
char               *rh_flashcard_dup_tags_string (RhFlashcard      *self);
gint64              rh_flashcard_get_created  (RhFlashcard         *self);
gint64              rh_flashcard_get_modified (RhFlashcard         *self);
void                rh_flashcard_set_modified (RhFlashcard         *self,
                                               gint64               modified_us);
const RhCardState  *rh_flashcard_get_state    (RhFlashcard         *self);
void                rh_flashcard_set_state    (RhFlashcard         *self,
                                               const RhCardState   *state);

gboolean            rh_card_state_equal       (const RhCardState   *a,
                                               const RhCardState   *b);
char               *rh_card_state_serialize   (const RhCardState   *state);
gboolean            rh_card_state_deserialize (const char          *text,
                                               RhCardState         *state,
                                               GError             **error);

G_END_DECLS
