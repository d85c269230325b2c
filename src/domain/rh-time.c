// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-time"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-time.h"

/**
 * rh_time_format_iso8601:
 * @time_us: UTC microseconds
 *
 * Returns: (transfer full): RFC 3339 text in UTC, with milliseconds
 */
char *
rh_time_format_iso8601 (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *base = NULL;
  gint64 frac = time_us % G_USEC_PER_SEC;

  if (dt == NULL)
    return g_strdup ("");

  if (frac < 0)
    {
      g_clear_pointer (&dt, g_date_time_unref);
      dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC - 1);
      frac += G_USEC_PER_SEC;
    }

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (frac / 1000));
}

gboolean
rh_time_parse_iso8601 (const char  *text,
                       gint64      *out_time_us,
                       GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text != NULL)
    dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt == NULL)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("“%s” is not an RFC 3339 time"), text ? text : "");
      return FALSE;
    }

  *out_time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/**
 * rh_time_day_start:
 * @time_us: a moment
 * @rollover_hour: the local hour at which a study day begins (0..23)
 * @tz: (nullable): the time zone, local when %NULL
 *
 * A study day does not end at midnight: a learner up at 1 am is still in
 * yesterday's day. This returns the start of the study day holding @time_us.
 *
 * Returns: UTC microseconds
 */
gint64
rh_time_day_start (gint64     time_us,
                   int        rollover_hour,
                   GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) shifted = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) here = NULL;

  rollover_hour = CLAMP (rollover_hour, 0, 23);
  here = g_date_time_to_timezone (utc, local);
  shifted = g_date_time_add_hours (here, -rollover_hour);
  start = g_date_time_new (local,
                           g_date_time_get_year (shifted),
                           g_date_time_get_month (shifted),
                           g_date_time_get_day_of_month (shifted),
                           rollover_hour, 0, 0);
  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}
