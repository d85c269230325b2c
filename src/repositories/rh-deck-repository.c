// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-deck-repository"

#include "config.h"

#include "rh-deck-repository.h"

G_DEFINE_INTERFACE (RhDeckRepository, rh_deck_repository, G_TYPE_OBJECT)

static void
rh_deck_repository_default_init (RhDeckRepositoryInterface *iface)
{
}

/**
 * rh_deck_repository_list:
 *
 * Returns: (transfer full) (element-type RhDeck): the decks
 */
GPtrArray *
rh_deck_repository_list (RhDeckRepository  *self,
                         GError           **error)
{
  g_return_val_if_fail (RH_IS_DECK_REPOSITORY (self), NULL);
  return RH_DECK_REPOSITORY_GET_IFACE (self)->list (self, error);
}

/**
 * rh_deck_repository_get:
 *
 * Returns: (transfer full) (nullable): the deck
 */
RhDeck *
rh_deck_repository_get (RhDeckRepository  *self,
                        const char        *id,
                        GError           **error)
{
  g_return_val_if_fail (RH_IS_DECK_REPOSITORY (self), NULL);
  return RH_DECK_REPOSITORY_GET_IFACE (self)->get (self, id, error);
}

/**
 * rh_deck_repository_find_by_name:
 *
 * Returns: (transfer full) (nullable): the deck
 */
RhDeck *
rh_deck_repository_find_by_name (RhDeckRepository  *self,
                                 const char        *name,
                                 GError           **error)
{
  g_return_val_if_fail (RH_IS_DECK_REPOSITORY (self), NULL);
  return RH_DECK_REPOSITORY_GET_IFACE (self)->find_by_name (self, name, error);
}

gboolean
rh_deck_repository_save (RhDeckRepository  *self,
                         RhDeck            *deck,
                         GError           **error)
{
  g_return_val_if_fail (RH_IS_DECK_REPOSITORY (self), FALSE);
  return RH_DECK_REPOSITORY_GET_IFACE (self)->save (self, deck, error);
}

gboolean
rh_deck_repository_remove (RhDeckRepository  *self,
                           const char        *id,
                           GError           **error)
{
  g_return_val_if_fail (RH_IS_DECK_REPOSITORY (self), FALSE);
  return RH_DECK_REPOSITORY_GET_IFACE (self)->remove (self, id, error);
}
