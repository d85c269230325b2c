// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-collection.h"

G_BEGIN_DECLS

RhCollection *rh_fuzz_get_collection (void);
void          rh_fuzz_count          (RhCollection *self,
                                      guint        *out_cards,
                                      guint        *out_decks);

G_END_DECLS
