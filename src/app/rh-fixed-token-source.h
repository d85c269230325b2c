// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-token-source.h"

G_BEGIN_DECLS

#define RH_TYPE_FIXED_TOKEN_SOURCE (rh_fixed_token_source_get_type ())

G_DECLARE_FINAL_TYPE (RhFixedTokenSource, rh_fixed_token_source, RH, FIXED_TOKEN_SOURCE, GObject)

RhTokenSource *rh_fixed_token_source_new (const char *access_token,
                                          const char *user_id,
                                          const char *refused_message);

G_END_DECLS
