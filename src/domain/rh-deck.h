// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RH_DECK_MAX_NAME 100

#define RH_TYPE_DECK (rh_deck_get_type ())

G_DECLARE_FINAL_TYPE (RhDeck, rh_deck, RH, DECK, GObject)

RhDeck     *rh_deck_new              (const char  *name,
                                      GError     **error);
RhDeck     *rh_deck_new_full         (const char  *id,
                                      const char  *name,
                                      gint64       created_us,
                                      gint64       modified_us,
                                      GError     **error);
const char *rh_deck_get_id           (RhDeck      *self);
const char *rh_deck_get_name         (RhDeck      *self);
gboolean    rh_deck_set_name         (RhDeck      *self,
                                      const char  *name,
                                      GError     **error);
gint64      rh_deck_get_created      (RhDeck      *self);
gint64      rh_deck_get_modified     (RhDeck      *self);
void        rh_deck_set_modified     (RhDeck      *self,
                                      gint64       modified_us);
char       *rh_deck_name_normalize   (const char  *name,
                                      GError     **error);
char       *rh_deck_name_key         (const char  *name);

G_END_DECLS
