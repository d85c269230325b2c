// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-session.h"

G_BEGIN_DECLS

#define RH_TYPE_SESSION_REPOSITORY (rh_session_repository_get_type ())

G_DECLARE_INTERFACE (RhSessionRepository, rh_session_repository, RH, SESSION_REPOSITORY, GObject)

struct _RhSessionRepositoryInterface
{
  GTypeInterface parent_iface;

  gboolean   (*save)         (RhSessionRepository  *self,
                              RhSession            *session,
                              GError              **error);
  RhSession *(*get)          (RhSessionRepository  *self,
                              const char           *id,
                              GError              **error);
  GPtrArray *(*list_open)    (RhSessionRepository  *self,
                              GError              **error);
  GPtrArray *(*list_between) (RhSessionRepository  *self,
                              gint64                from_us,
                              gint64                to_us,
                              GError              **error);
};

gboolean   rh_session_repository_save         (RhSessionRepository  *self,
                                               RhSession            *session,
                                               GError              **error);
RhSession *rh_session_repository_get          (RhSessionRepository  *self,
                                               const char           *id,
                                               GError              **error);
GPtrArray *rh_session_repository_list_open    (RhSessionRepository  *self,
                                               GError              **error);
GPtrArray *rh_session_repository_list_between (RhSessionRepository  *self,
                                               gint64                from_us,
                                               gint64                to_us,
                                               GError              **error);

G_END_DECLS
