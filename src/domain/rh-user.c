// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-user"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-domain-error.h"
#include "rh-text.h"
#include "rh-user.h"

#define MAX_USER_ID 128
#define MAX_DISPLAY_NAME 100

struct _RhUser
{
  GObject  parent_instance;

  char    *id;
  RhEmail *email;
  char    *display_name;
  int      new_cards_per_day;
  int      reviews_per_day;
  double   desired_retention;
};

G_DEFINE_FINAL_TYPE (RhUser, rh_user, G_TYPE_OBJECT)

static void
rh_user_finalize (GObject *object)
{
  RhUser *self = RH_USER (object);

  g_free (self->id);
  g_clear_pointer (&self->email, rh_email_free);
  g_free (self->display_name);

  G_OBJECT_CLASS (rh_user_parent_class)->finalize (object);
}

static void
rh_user_class_init (RhUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_user_finalize;
}

static void
rh_user_init (RhUser *self)
{
  self->new_cards_per_day = 20;
  self->reviews_per_day = 200;
  self->desired_retention = 0.9;
}

/**
 * rh_user_id_validate:
 *
 * A user id is the account's subject (Cognito `sub`) or "local" for the
 * signed-out learner: printable ASCII without spaces.
 */
gboolean
rh_user_id_validate (const char  *user_id,
                     GError     **error)
{
  gsize len = user_id ? strlen (user_id) : 0;

  if (len == 0 || len > MAX_USER_ID)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isgraph (user_id[i]))
      goto bad;
  return TRUE;

bad:
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_ID,
               _("“%s” is not a valid user id"), user_id ? user_id : "");
  return FALSE;
}

/**
 * rh_user_new:
 * @email: (nullable): the address; %NULL for the signed-out learner
 *
 * Returns: (transfer full) (nullable): the user
 */
RhUser *
rh_user_new (const char  *user_id,
             const char  *email,
             GError     **error)
{
  g_autoptr(RhUser) self = NULL;

  if (!rh_user_id_validate (user_id, error))
    return NULL;

  self = g_object_new (RH_TYPE_USER, NULL);
  self->id = g_strdup (user_id);
  if (email != NULL && !rh_user_set_email (self, email, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
rh_user_get_id (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), NULL);
  return self->id;
}

const RhEmail *
rh_user_get_email (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), NULL);
  return self->email;
}

gboolean
rh_user_set_email (RhUser      *self,
                   const char  *email,
                   GError     **error)
{
  RhEmail *parsed;

  g_return_val_if_fail (RH_IS_USER (self), FALSE);

  if (!(parsed = rh_email_new (email, error)))
    return FALSE;
  g_clear_pointer (&self->email, rh_email_free);
  self->email = parsed;
  return TRUE;
}

const char *
rh_user_get_display_name (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), NULL);
  return self->display_name;
}

gboolean
rh_user_set_display_name (RhUser      *self,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *clean;

  g_return_val_if_fail (RH_IS_USER (self), FALSE);

  clean = rh_text_clean (name, _("The display name"), MAX_DISPLAY_NAME, FALSE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_free (self->display_name);
  self->display_name = clean;
  return TRUE;
}

int
rh_user_get_new_cards_per_day (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), 0);
  return self->new_cards_per_day;
}

gboolean
rh_user_set_new_cards_per_day (RhUser      *self,
                               int          limit,
                               GError     **error)
{
  g_return_val_if_fail (RH_IS_USER (self), FALSE);

  if (limit < 0 || limit > RH_USER_MAX_NEW_PER_DAY)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("The daily new-card limit must be between 0 and %d"),
                   RH_USER_MAX_NEW_PER_DAY);
      return FALSE;
    }
  self->new_cards_per_day = limit;
  return TRUE;
}

int
rh_user_get_reviews_per_day (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), 0);
  return self->reviews_per_day;
}

gboolean
rh_user_set_reviews_per_day (RhUser      *self,
                             int          limit,
                             GError     **error)
{
  g_return_val_if_fail (RH_IS_USER (self), FALSE);

  if (limit < 0 || limit > RH_USER_MAX_REVIEWS_PER_DAY)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("The daily review limit must be between 0 and %d"),
                   RH_USER_MAX_REVIEWS_PER_DAY);
      return FALSE;
    }
  self->reviews_per_day = limit;
  return TRUE;
}

double
rh_user_get_desired_retention (RhUser *self)
{
  g_return_val_if_fail (RH_IS_USER (self), 0);
  return self->desired_retention;
}

gboolean
rh_user_set_desired_retention (RhUser      *self,
                               double       retention,
                               GError     **error)
{
  g_return_val_if_fail (RH_IS_USER (self), FALSE);

  /* written so that NaN fails too */
  if (!(retention >= RH_USER_MIN_RETENTION - 1e-9 && retention <= RH_USER_MAX_RETENTION + 1e-9))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("The desired retention must be between %.2f and %.2f"),
                   RH_USER_MIN_RETENTION, RH_USER_MAX_RETENTION);
      return FALSE;
    }
  self->desired_retention = retention;
  return TRUE;
}
