// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than any document Rehearse writes or reads, far shallower than
 * what exhausts JSON-GLib's stack. */
#define RH_JSON_MAX_DEPTH 64

gboolean rh_json_nests_at_most (const char  *data,
                                gssize       size,
                                guint        max_depth);
gboolean rh_json_parser_load   (JsonParser  *parser,
                                const char  *data,
                                gssize       size,
                                GError     **error);

gboolean rh_json_is_text       (JsonNode    *node);
gboolean rh_json_string_member (JsonObject  *object,
                                const char  *name,
                                const char **out);

G_END_DECLS
