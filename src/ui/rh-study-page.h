// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

/**
 * RhStudyState:
 * @RH_STUDY_STATE_IDLE: not studying
 * @RH_STUDY_STATE_QUESTION: a card's front is shown
 * @RH_STUDY_STATE_ANSWER: the back is shown and the card can be graded
 * @RH_STUDY_STATE_SUMMARY: the session is over
 * @RH_STUDY_STATE_EMPTY: there was nothing to study
 */
typedef enum
{
  RH_STUDY_STATE_IDLE,
  RH_STUDY_STATE_QUESTION,
  RH_STUDY_STATE_ANSWER,
  RH_STUDY_STATE_SUMMARY,
  RH_STUDY_STATE_EMPTY,
} RhStudyState;

#define RH_TYPE_STUDY_STATE (rh_study_state_get_type ())

GType rh_study_state_get_type (void) G_GNUC_CONST;

#define RH_TYPE_STUDY_PAGE (rh_study_page_get_type ())

G_DECLARE_FINAL_TYPE (RhStudyPage, rh_study_page, RH, STUDY_PAGE, AdwBin)

RhCollection *rh_study_page_get_collection    (RhStudyPage  *self);
void          rh_study_page_set_collection    (RhStudyPage  *self,
                                               RhCollection *collection);
void          rh_study_page_start             (RhStudyPage  *self,
                                               const char   *deck_id,
                                               const char   *title);
void          rh_study_page_stop              (RhStudyPage  *self);
RhStudyState  rh_study_page_get_state         (RhStudyPage  *self);
guint         rh_study_page_get_done          (RhStudyPage  *self);
guint         rh_study_page_get_remaining     (RhStudyPage  *self);
const char   *rh_study_page_get_progress_text (RhStudyPage  *self);

G_END_DECLS
