// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char  *rh_text_clean          (const char  *text,
                               const char  *what,
                               gsize        max_chars,
                               gboolean     required,
                               GError     **error);
char **rh_text_normalize_tags (const char * const *tags,
                               GError            **error);
char **rh_text_split_tags     (const char  *text);

G_END_DECLS
