// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RH_USEC_PER_MINUTE (G_USEC_PER_SEC * G_GINT64_CONSTANT (60))
#define RH_USEC_PER_HOUR   (RH_USEC_PER_MINUTE * 60)
#define RH_USEC_PER_DAY    (RH_USEC_PER_HOUR * 24)

char     *rh_time_format_iso8601 (gint64       time_us);
gboolean  rh_time_parse_iso8601  (const char  *text,
                                  gint64      *out_time_us,
                                  GError     **error);
gint64    rh_time_day_start      (gint64       time_us,
                                  int          rollover_hour,
                                  GTimeZone   *tz);

G_END_DECLS
