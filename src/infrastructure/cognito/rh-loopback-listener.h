// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-callback-receiver.h"

G_BEGIN_DECLS

/* How long the listener waits for the browser. */
#define RH_LOOPBACK_DEFAULT_TIMEOUT_SECONDS 300

#define RH_TYPE_LOOPBACK_LISTENER (rh_loopback_listener_get_type ())

G_DECLARE_FINAL_TYPE (RhLoopbackListener, rh_loopback_listener, RH, LOOPBACK_LISTENER, GObject)

RhLoopbackListener *rh_loopback_listener_new              (guint               port);
void                rh_loopback_listener_set_timeout      (RhLoopbackListener *self,
                                                           guint               seconds);
guint               rh_loopback_listener_get_port         (RhLoopbackListener *self);
gboolean            rh_loopback_listener_is_listening     (RhLoopbackListener *self);
gboolean            rh_loopback_peer_is_allowed           (GSocketAddress     *peer);

G_END_DECLS
