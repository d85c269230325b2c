// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-sync-remote.h"
#include "rh-token-source.h"

G_BEGIN_DECLS

#define RH_TYPE_API_CLIENT (rh_api_client_get_type ())

G_DECLARE_FINAL_TYPE (RhApiClient, rh_api_client, RH, API_CLIENT, GObject)

/* The largest answer read from the server; anything longer is refused. */
#define RH_API_CLIENT_MAX_RESPONSE_BYTES (16 * 1024 * 1024)

RhApiClient *rh_api_client_new         (const char     *base_url,
                                        RhTokenSource  *tokens,
                                        GError        **error);
const char  *rh_api_client_get_base_url (RhApiClient   *self);
void         rh_api_client_set_timeout  (RhApiClient   *self,
                                         guint          seconds);

G_END_DECLS
