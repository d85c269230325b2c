// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-deck"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-deck.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-text.h"

struct _RhDeck
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  gint64   created_us;
  gint64   modified_us;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (RhDeck, rh_deck, G_TYPE_OBJECT)

static void
rh_deck_finalize (GObject *object)
{
  RhDeck *self = RH_DECK (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (rh_deck_parent_class)->finalize (object);
}

static void
rh_deck_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RhDeck *self = RH_DECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_deck_class_init (RhDeckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rh_deck_finalize;
  object_class->get_property = rh_deck_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rh_deck_init (RhDeck *self)
{
}

/**
 * rh_deck_name_normalize:
 *
 * Returns: (transfer full) (nullable): the name trimmed and in NFC
 */
char *
rh_deck_name_normalize (const char  *name,
                        GError     **error)
{
  g_autofree char *clean = rh_text_clean (name, _("The deck name"), RH_DECK_MAX_NAME, TRUE, error);

  if (clean != NULL && strchr (clean, '\n') != NULL)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("The deck name must be on one line"));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

/**
 * rh_deck_name_key:
 *
 * Deck names are unique without regard to case: “Spanish” and “spanish”
 * would look like the same deck to a learner.
 *
 * Returns: (transfer full): the key names are compared by
 */
char *
rh_deck_name_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

RhDeck *
rh_deck_new (const char  *name,
             GError     **error)
{
  gint64 now = g_get_real_time ();
  g_autofree char *id = rh_id_new_at (now);

  return rh_deck_new_full (id, name, now, now, error);
}

RhDeck *
rh_deck_new_full (const char  *id,
                  const char  *name,
                  gint64       created_us,
                  gint64       modified_us,
                  GError     **error)
{
  g_autofree char *clean = NULL;
  RhDeck *self;

  if (!rh_id_validate (id, error))
    return NULL;
  if (!(clean = rh_deck_name_normalize (name, error)))
    return NULL;

  self = g_object_new (RH_TYPE_DECK, NULL);
  self->id = g_strdup (id);
  self->name = g_steal_pointer (&clean);
  self->created_us = created_us;
  self->modified_us = modified_us;
  return self;
}

const char *
rh_deck_get_id (RhDeck *self)
{
  g_return_val_if_fail (RH_IS_DECK (self), NULL);
  return self->id;
}

const char *
rh_deck_get_name (RhDeck *self)
{
  g_return_val_if_fail (RH_IS_DECK (self), NULL);
  return self->name;
}

gboolean
rh_deck_set_name (RhDeck      *self,
                  const char  *name,
                  GError     **error)
{
  char *clean;

  g_return_val_if_fail (RH_IS_DECK (self), FALSE);

  if (!(clean = rh_deck_name_normalize (name, error)))
    return FALSE;
  g_free (self->name);
  self->name = clean;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  return TRUE;
}

gint64
rh_deck_get_created (RhDeck *self)
{
  return self->created_us;
}

gint64
rh_deck_get_modified (RhDeck *self)
{
  return self->modified_us;
}

void
rh_deck_set_modified (RhDeck *self,
                      gint64  modified_us)
{
  self->modified_us = modified_us;
}
