// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RH_TYPE_CALLBACK_RECEIVER (rh_callback_receiver_get_type ())

G_DECLARE_INTERFACE (RhCallbackReceiver, rh_callback_receiver, RH, CALLBACK_RECEIVER, GObject)

/**
 * RhCallbackReceiverInterface:
 * @start: starts listening for the provider's redirect; returns the
 *   redirect URI to give the provider
 * @wait_async: completes with the callback URI the browser brought back,
 *   once; fails with %RH_AUTH_ERROR_CANCELLED on cancel or timeout
 * @wait_finish: the callback URI
 * @stop: stops listening (idempotent)
 *
 * Receives the provider's redirect itself (a loopback HTTP listener),
 * when the app's URI scheme is not used.
 */
struct _RhCallbackReceiverInterface
{
  GTypeInterface parent_iface;

  char     *(*start)       (RhCallbackReceiver   *self,
                            GError              **error);
  void      (*wait_async)  (RhCallbackReceiver   *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  char     *(*wait_finish) (RhCallbackReceiver   *self,
                            GAsyncResult         *result,
                            GError              **error);
  void      (*stop)        (RhCallbackReceiver   *self);
};

char *rh_callback_receiver_start       (RhCallbackReceiver   *self,
                                        GError              **error);
void  rh_callback_receiver_wait_async  (RhCallbackReceiver   *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char *rh_callback_receiver_wait_finish (RhCallbackReceiver   *self,
                                        GAsyncResult         *result,
                                        GError              **error);
void  rh_callback_receiver_stop        (RhCallbackReceiver   *self);

G_END_DECLS
