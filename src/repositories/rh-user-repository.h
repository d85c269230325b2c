// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-user.h"

G_BEGIN_DECLS

#define RH_TYPE_USER_REPOSITORY (rh_user_repository_get_type ())

G_DECLARE_INTERFACE (RhUserRepository, rh_user_repository, RH, USER_REPOSITORY, GObject)

/**
 * RhUserRepositoryInterface:
 * @get: the collection's owner, or %NULL (without error) before one is saved
 * @save: stores the owner and their study settings
 */
struct _RhUserRepositoryInterface
{
  GTypeInterface parent_iface;

  RhUser   *(*get)  (RhUserRepository  *self,
                     GError           **error);
  gboolean  (*save) (RhUserRepository  *self,
                     RhUser            *user,
                     GError           **error);
};

RhUser   *rh_user_repository_get  (RhUserRepository  *self,
                                   GError           **error);
gboolean  rh_user_repository_save (RhUserRepository  *self,
                                   RhUser            *user,
                                   GError           **error);

G_END_DECLS
