// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-session-repository"

#include "config.h"

#include "rh-session-repository.h"

G_DEFINE_INTERFACE (RhSessionRepository, rh_session_repository, G_TYPE_OBJECT)

static void
rh_session_repository_default_init (RhSessionRepositoryInterface *iface)
{
}

#define IFACE(self) RH_SESSION_REPOSITORY_GET_IFACE (self)

/**
 * rh_session_repository_save:
 *
 * Inserts or updates the session (marked for the next push).
 */
gboolean
rh_session_repository_save (RhSessionRepository  *self,
                            RhSession            *session,
                            GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), FALSE);
  return IFACE (self)->save (self, session, error);
}

/**
 * rh_session_repository_get:
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhSession *
rh_session_repository_get (RhSessionRepository  *self,
                           const char           *id,
                           GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->get (self, id, error);
}

/**
 * rh_session_repository_list_open:
 *
 * Returns: (transfer full) (element-type RhSession): sessions not ended
 */
GPtrArray *
rh_session_repository_list_open (RhSessionRepository  *self,
                                 GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_open (self, error);
}

/**
 * rh_session_repository_list_between:
 *
 * Returns: (transfer full) (element-type RhSession): sessions started in
 *   [@from_us, @to_us), by start time
 */
GPtrArray *
rh_session_repository_list_between (RhSessionRepository  *self,
                                    gint64                from_us,
                                    gint64                to_us,
                                    GError              **error)
{
  g_return_val_if_fail (RH_IS_SESSION_REPOSITORY (self), NULL);
  return IFACE (self)->list_between (self, from_us, to_us, error);
}
