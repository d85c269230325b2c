// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-hlc"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-hlc.h"

/* A stamp from a clock further ahead than this is refused, so one bad
 * device clock cannot drag everybody's stamps into the future. */
#define MAX_DRIFT_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

struct _RhHlc
{
  gint64  ms;
  guint   counter;
  char   *device;
};

RhHlc *
rh_hlc_new (const char *device_id)
{
  RhHlc *self = g_new0 (RhHlc, 1);

  g_return_val_if_fail (device_id != NULL && *device_id != '\0', NULL);

  self->device = g_strdup (device_id);
  return self;
}

void
rh_hlc_free (RhHlc *hlc)
{
  if (hlc == NULL)
    return;
  g_free (hlc->device);
  g_free (hlc);
}

const char *
rh_hlc_get_device (RhHlc *hlc)
{
  return hlc->device;
}

/**
 * rh_hlc_now:
 * @wall_us: the wall clock now
 *
 * Returns: (transfer full): a stamp greater than every stamp this clock
 *   made or observed before
 */
char *
rh_hlc_now (RhHlc  *hlc,
            gint64  wall_us)
{
  gint64 wall_ms = wall_us / 1000;

  if (wall_ms > hlc->ms)
    {
      hlc->ms = wall_ms;
      hlc->counter = 0;
    }
  else if (hlc->counter < 0xffff)
    hlc->counter++;
  else
    {
      hlc->ms++;
      hlc->counter = 0;
    }

  return g_strdup_printf ("%012" G_GINT64_MODIFIER "x-%04x-%s",
                          hlc->ms, hlc->counter, hlc->device);
}

gboolean
rh_hlc_stamp_parse (const char  *stamp,
                    gint64      *out_ms,
                    guint       *out_counter,
                    const char **out_device)
{
  if (stamp == NULL || strlen (stamp) < 19 || stamp[12] != '-' || stamp[17] != '-')
    return FALSE;
  for (guint i = 0; i < 17; i++)
    if (i != 12 && !g_ascii_isxdigit (stamp[i]))
      return FALSE;

  if (out_ms)
    *out_ms = (gint64) g_ascii_strtoull (stamp, NULL, 16);
  if (out_counter)
    *out_counter = (guint) g_ascii_strtoull (stamp + 13, NULL, 16);
  if (out_device)
    *out_device = stamp + 18;
  return TRUE;
}

/**
 * rh_hlc_observe:
 *
 * Moves the clock past a stamp received from another device.
 */
gboolean
rh_hlc_observe (RhHlc       *hlc,
                const char  *stamp,
                GError     **error)
{
  gint64 ms;
  guint counter;
  gint64 wall_ms = g_get_real_time () / 1000;

  if (!rh_hlc_stamp_parse (stamp, &ms, &counter, NULL))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("“%s” is not a clock stamp"), stamp ? stamp : "");
      return FALSE;
    }

  if (ms > wall_ms + MAX_DRIFT_MS)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A clock stamp is too far in the future"));
      return FALSE;
    }

  if (ms > hlc->ms || (ms == hlc->ms && counter > hlc->counter))
    {
      hlc->ms = ms;
      hlc->counter = counter;
    }
  return TRUE;
}

int
rh_hlc_compare (const char *a,
                const char *b)
{
  return g_strcmp0 (a, b);
}
