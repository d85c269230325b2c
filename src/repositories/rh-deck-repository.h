// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-deck.h"

G_BEGIN_DECLS

#define RH_TYPE_DECK_REPOSITORY (rh_deck_repository_get_type ())

G_DECLARE_INTERFACE (RhDeckRepository, rh_deck_repository, RH, DECK_REPOSITORY, GObject)

/**
 * RhDeckRepositoryInterface:
 * @list: the live decks, sorted by name
 * @get: a live deck, or %RH_DOMAIN_ERROR_NOT_FOUND
 * @find_by_name: the live deck whose name matches without regard to case,
 *   or %NULL (without error) when there is none
 * @save: inserts or updates; changed fields get new clock stamps and the
 *   deck is marked for the next push
 * @remove: leaves a tombstone; the deck must have no live cards
 */
struct _RhDeckRepositoryInterface
{
  GTypeInterface parent_iface;

  GPtrArray *(*list)         (RhDeckRepository  *self,
                              GError           **error);
  RhDeck    *(*get)          (RhDeckRepository  *self,
                              const char        *id,
                              GError           **error);
  RhDeck    *(*find_by_name) (RhDeckRepository  *self,
                              const char        *name,
                              GError           **error);
  gboolean   (*save)         (RhDeckRepository  *self,
                              RhDeck            *deck,
                              GError           **error);
  gboolean   (*remove)       (RhDeckRepository  *self,
                              const char        *id,
                              GError           **error);
};

GPtrArray *rh_deck_repository_list         (RhDeckRepository  *self,
                                            GError           **error);
RhDeck    *rh_deck_repository_get          (RhDeckRepository  *self,
                                            const char        *id,
                                            GError           **error);
RhDeck    *rh_deck_repository_find_by_name (RhDeckRepository  *self,
                                            const char        *name,
                                            GError           **error);
gboolean   rh_deck_repository_save         (RhDeckRepository  *self,
                                            RhDeck            *deck,
                                            GError           **error);
gboolean   rh_deck_repository_remove       (RhDeckRepository  *self,
                                            const char        *id,
                                            GError           **error);

G_END_DECLS
