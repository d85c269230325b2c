// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-user-repository"

#include "config.h"

#include "rh-user-repository.h"

G_DEFINE_INTERFACE (RhUserRepository, rh_user_repository, G_TYPE_OBJECT)

static void
rh_user_repository_default_init (RhUserRepositoryInterface *iface)
{
}

/**
 * rh_user_repository_get:
 *
 * Returns: (transfer full) (nullable): the user
 */
RhUser *
rh_user_repository_get (RhUserRepository  *self,
                        GError           **error)
{
  g_return_val_if_fail (RH_IS_USER_REPOSITORY (self), NULL);
  return RH_USER_REPOSITORY_GET_IFACE (self)->get (self, error);
}

gboolean
rh_user_repository_save (RhUserRepository  *self,
                         RhUser            *user,
                         GError           **error)
{
  g_return_val_if_fail (RH_IS_USER_REPOSITORY (self), FALSE);
  return RH_USER_REPOSITORY_GET_IFACE (self)->save (self, user, error);
}
