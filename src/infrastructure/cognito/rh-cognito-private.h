// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

GBytes     *_rh_cognito_send        (SoupSession   *session,
                                     SoupMessage   *msg,
                                     GCancellable  *cancellable,
                                     GError       **error);
JsonObject *_rh_cognito_parse_json  (GBytes        *body,
                                     GError       **error);
GBytes     *_rh_base64url_decode    (const char    *text,
                                     gssize         len);
char       *_rh_base64url_encode    (const guint8  *data,
                                     gsize          len);

G_END_DECLS
