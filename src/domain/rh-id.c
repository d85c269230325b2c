// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-id"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-id.h"

/**
 * rh_id_new_at:
 * @time_us: UTC microseconds
 *
 * Makes a UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random
 * bits, so ids made on one machine sort by creation time.
 *
 * Returns: (transfer full): the id, lower-case with dashes
 */
char *
rh_id_new_at (gint64 time_us)
{
  guint8 b[16];
  guint64 ms = (guint64) (time_us / 1000);

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (b + i, &r, 4);
    }

  b[0] = (ms >> 40) & 0xff;
  b[1] = (ms >> 32) & 0xff;
  b[2] = (ms >> 24) & 0xff;
  b[3] = (ms >> 16) & 0xff;
  b[4] = (ms >> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;

  /* by hand rather than with printf: imports make ids by the 100,000 */
  {
    static const char hex[] = "0123456789abcdef";
    char *out = g_malloc (37);
    char *p = out;

    for (guint i = 0; i < 16; i++)
      {
        if (i == 4 || i == 6 || i == 8 || i == 10)
          *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0xf];
      }
    *p = '\0';
    return out;
  }
}

char *
rh_id_new (void)
{
  return rh_id_new_at (g_get_real_time ());
}

/**
 * rh_id_is_valid:
 *
 * Any RFC 9562 UUID in its 36-character lower-case form is accepted, so
 * ids made by other clients (and by imports) are too.
 */
gboolean
rh_id_is_valid (const char *id)
{
  if (id == NULL || strlen (id) != 36)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (id[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
        return FALSE;
    }

  return TRUE;
}

gboolean
rh_id_validate (const char  *id,
                GError     **error)
{
  if (!rh_id_is_valid (id))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID,
                   _("“%s” is not a valid id"), id ? id : "");
      return FALSE;
    }
  return TRUE;
}
