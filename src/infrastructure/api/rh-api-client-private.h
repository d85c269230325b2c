// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

#include "rh-sync-remote.h"

G_BEGIN_DECLS

/* What the client reads from the server's answers, apart from the
 * network: for the tests that feed it answers of their own. */
RhSyncPage *rh_api_client_parse_page (GBytes      *answer,
                                      const char  *cursor,
                                      guint        limit,
                                      GError     **error);

G_END_DECLS
