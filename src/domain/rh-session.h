// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-fsrs.h"

G_BEGIN_DECLS

typedef enum
{
  RH_SESSION_KIND_REVIEW,
  RH_SESSION_KIND_SCENARIO,
} RhSessionKind;

#define RH_TYPE_SESSION (rh_session_get_type ())

G_DECLARE_FINAL_TYPE (RhSession, rh_session, RH, SESSION, GObject)

RhSession     *rh_session_new             (const char    *id,
                                           RhSessionKind  kind,
                                           gint64         started_us,
                                           GError       **error);
const char    *rh_session_get_id          (RhSession     *self);
RhSessionKind  rh_session_get_kind        (RhSession     *self);
const char    *rh_session_kind_to_string  (RhSessionKind  kind);
gboolean       rh_session_kind_parse      (const char    *text,
                                           RhSessionKind *out);
gint64         rh_session_get_started     (RhSession     *self);
gint64         rh_session_get_ended       (RhSession     *self);
gboolean       rh_session_end             (RhSession     *self,
                                           gint64         ended_us,
                                           GError       **error);
gboolean       rh_session_is_open         (RhSession     *self);
guint          rh_session_get_count       (RhSession     *self,
                                           RhRating       rating);
guint          rh_session_get_total       (RhSession     *self);
void           rh_session_set_count       (RhSession     *self,
                                           RhRating       rating,
                                           guint          count);
void           rh_session_record          (RhSession     *self,
                                           RhRating       rating,
                                           gint64         duration_ms);
void           rh_session_unrecord        (RhSession     *self,
                                           RhRating       rating,
                                           gint64         duration_ms);
gint64         rh_session_get_time_ms     (RhSession     *self);
void           rh_session_set_time_ms     (RhSession     *self,
                                           gint64         time_ms);
const char    *rh_session_get_scenario_id (RhSession     *self);
gboolean       rh_session_set_scenario    (RhSession     *self,
                                           const char    *scenario_id,
                                           double         score,
                                           GError       **error);
double         rh_session_get_score       (RhSession     *self);

G_END_DECLS
