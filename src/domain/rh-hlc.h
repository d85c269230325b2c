// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RhHlc:
 *
 * A hybrid logical clock. Stamps are text that sorts as the clock does:
 * 12 hex digits of milliseconds, 4 of counter, then the device id, so a
 * plain strcmp() orders two stamps and breaks ties by device.
 */
typedef struct _RhHlc RhHlc;

RhHlc      *rh_hlc_new         (const char  *device_id);
void        rh_hlc_free        (RhHlc       *hlc);
const char *rh_hlc_get_device  (RhHlc       *hlc);
char       *rh_hlc_now         (RhHlc       *hlc,
                                gint64       wall_us);
gboolean    rh_hlc_observe     (RhHlc       *hlc,
                                const char  *stamp,
                                GError     **error);
gboolean    rh_hlc_stamp_parse (const char  *stamp,
                                gint64      *out_ms,
                                guint       *out_counter,
                                const char **out_device);
int         rh_hlc_compare     (const char  *a,
                                const char  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhHlc, rh_hlc_free)

G_END_DECLS
