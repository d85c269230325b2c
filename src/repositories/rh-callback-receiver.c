// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-callback-receiver"

#include "config.h"

#include "rh-callback-receiver.h"

G_DEFINE_INTERFACE (RhCallbackReceiver, rh_callback_receiver, G_TYPE_OBJECT)

static void
rh_callback_receiver_default_init (RhCallbackReceiverInterface *iface)
{
}

/**
 * rh_callback_receiver_start:
 *
 * Returns: (transfer full) (nullable): the redirect URI
 */
char *
rh_callback_receiver_start (RhCallbackReceiver  *self,
                            GError             **error)
{
  g_return_val_if_fail (RH_IS_CALLBACK_RECEIVER (self), NULL);
  return RH_CALLBACK_RECEIVER_GET_IFACE (self)->start (self, error);
}

void
rh_callback_receiver_wait_async (RhCallbackReceiver  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (RH_IS_CALLBACK_RECEIVER (self));
  RH_CALLBACK_RECEIVER_GET_IFACE (self)->wait_async (self, cancellable, callback, user_data);
}

/**
 * rh_callback_receiver_wait_finish:
 *
 * Returns: (transfer full) (nullable): the callback URI
 */
char *
rh_callback_receiver_wait_finish (RhCallbackReceiver  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (RH_IS_CALLBACK_RECEIVER (self), NULL);
  return RH_CALLBACK_RECEIVER_GET_IFACE (self)->wait_finish (self, result, error);
}

void
rh_callback_receiver_stop (RhCallbackReceiver *self)
{
  g_return_if_fail (RH_IS_CALLBACK_RECEIVER (self));
  RH_CALLBACK_RECEIVER_GET_IFACE (self)->stop (self);
}
