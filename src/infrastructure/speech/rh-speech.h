// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A partner's line is one or two sentences; a longer text is cut here. */
#define RH_SPEECH_MAX_CHARS 2000

const char *rh_speech_get_engine   (void);
gboolean    rh_speech_is_available (void);
gboolean    rh_speech_speak        (const char  *text,
                                    const char  *language,
                                    GError     **error);
void        rh_speech_stop         (void);

G_END_DECLS
