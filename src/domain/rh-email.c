// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-email"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-email.h"

/* RFC 5321 limits */
#define MAX_ADDRESS 254
#define MAX_LOCAL   64
#define MAX_LABEL   63

struct _RhEmail
{
  char *address;
  const char *domain;
};

G_DEFINE_BOXED_TYPE (RhEmail, rh_email, rh_email_copy, rh_email_free)

static gboolean
fail (GError     **error,
      const char  *text,
      const char  *why)
{
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_EMAIL,
               _("“%s” is not a valid e-mail address: %s"), text, why);
  return FALSE;
}

static gboolean
check_domain (const char  *domain,
              const char  *text,
              GError     **error)
{
  g_auto(GStrv) labels = NULL;

  if (strchr (domain, '.') == NULL)
    return fail (error, text, _("the domain needs a dot"));

  labels = g_strsplit (domain, ".", -1);
  for (guint i = 0; labels[i]; i++)
    {
      gsize len = strlen (labels[i]);
      if (len == 0)
        return fail (error, text, _("the domain has an empty part"));
      if (len > MAX_LABEL)
        return fail (error, text, _("a part of the domain is too long"));
      if (labels[i][0] == '-' || labels[i][len - 1] == '-')
        return fail (error, text, _("a part of the domain starts or ends with a dash"));
      for (const char *p = labels[i]; *p; p++)
        if (!(g_ascii_isalnum (*p) || *p == '-' || (guchar) *p >= 0x80))
          return fail (error, text, _("the domain has a character that is not allowed"));
    }
  return TRUE;
}

/**
 * rh_email_new:
 * @text: what the learner typed
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with
 *   %RH_DOMAIN_ERROR_INVALID_EMAIL
 */
RhEmail *
rh_email_new (const char  *text,
              GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  RhEmail *self;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      fail (error, "", _("it is not text"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    {
      fail (error, trimmed, _("it is empty"));
      return NULL;
    }
  if (strlen (trimmed) > MAX_ADDRESS)
    {
      fail (error, trimmed, _("it is too long"));
      return NULL;
    }
  for (const char *p = trimmed; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      {
        fail (error, trimmed, _("it contains a space"));
        return NULL;
      }

  at = strchr (trimmed, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    {
      fail (error, trimmed, _("it needs exactly one “@”"));
      return NULL;
    }

  local = g_strndup (trimmed, at - trimmed);
  domain = g_utf8_strdown (at + 1, -1);

  if (*local == '\0')
    {
      fail (error, trimmed, _("nothing before the “@”"));
      return NULL;
    }
  if (strlen (local) > MAX_LOCAL)
    {
      fail (error, trimmed, _("the part before the “@” is too long"));
      return NULL;
    }
  if (local[0] == '.' || local[strlen (local) - 1] == '.' || strstr (local, "..") != NULL)
    {
      fail (error, trimmed, _("misplaced dot before the “@”"));
      return NULL;
    }
  if (!check_domain (domain, trimmed, error))
    return NULL;

  self = g_new0 (RhEmail, 1);
  self->address = g_strdup_printf ("%s@%s", local, domain);
  self->domain = strchr (self->address, '@') + 1;
  return self;
}

RhEmail *
rh_email_copy (const RhEmail *email)
{
  RhEmail *copy = g_new0 (RhEmail, 1);

  copy->address = g_strdup (email->address);
  copy->domain = strchr (copy->address, '@') + 1;
  return copy;
}

void
rh_email_free (RhEmail *email)
{
  if (email == NULL)
    return;
  g_free (email->address);
  g_free (email);
}

const char *
rh_email_get_address (const RhEmail *email)
{
  return email->address;
}

const char *
rh_email_get_domain (const RhEmail *email)
{
  return email->domain;
}

gboolean
rh_email_equal (const RhEmail *a,
                const RhEmail *b)
{
  return g_strcmp0 (a->address, b->address) == 0;
}
