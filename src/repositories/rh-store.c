// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-store"

#include "config.h"

#include "rh-store.h"

G_DEFINE_QUARK (rh-store-error-quark, rh_store_error)
G_DEFINE_INTERFACE (RhStore, rh_store, G_TYPE_OBJECT)

static void
rh_store_default_init (RhStoreInterface *iface)
{
}

gboolean
rh_store_begin (RhStore  *self,
                GError  **error)
{
  g_return_val_if_fail (RH_IS_STORE (self), FALSE);
  return RH_STORE_GET_IFACE (self)->begin (self, error);
}

gboolean
rh_store_commit (RhStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (RH_IS_STORE (self), FALSE);
  return RH_STORE_GET_IFACE (self)->commit (self, error);
}

void
rh_store_rollback (RhStore *self)
{
  g_return_if_fail (RH_IS_STORE (self));
  RH_STORE_GET_IFACE (self)->rollback (self);
}

/**
 * rh_store_run:
 * @func: the work; on %FALSE everything it wrote is undone
 *
 * Runs @func inside one transaction.
 */
gboolean
rh_store_run (RhStore          *self,
              RhStoreWorkFunc   func,
              gpointer          user_data,
              GError          **error)
{
  if (!rh_store_begin (self, error))
    return FALSE;
  if (!func (user_data, error))
    {
      rh_store_rollback (self);
      return FALSE;
    }
  if (!rh_store_commit (self, error))
    {
      rh_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}
