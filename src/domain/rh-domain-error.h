// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RH_DOMAIN_ERROR (rh_domain_error_quark ())

/**
 * RhDomainError:
 *
 * Every rule a learner can break ends up as one of these codes, with a
 * message that can be shown as it is.
 */
typedef enum
{
  RH_DOMAIN_ERROR_INVALID_EMAIL,
  RH_DOMAIN_ERROR_INVALID_ID,
  RH_DOMAIN_ERROR_EMPTY,
  RH_DOMAIN_ERROR_TOO_LONG,
  RH_DOMAIN_ERROR_OUT_OF_RANGE,
  RH_DOMAIN_ERROR_DUPLICATE,
  RH_DOMAIN_ERROR_NOT_FOUND,
  RH_DOMAIN_ERROR_INVALID_SCENARIO,
  RH_DOMAIN_ERROR_INVALID_INPUT,
  RH_DOMAIN_ERROR_NOT_EMPTY,
  RH_DOMAIN_ERROR_NOTHING_TO_UNDO,
} RhDomainError;

GQuark rh_domain_error_quark (void);

G_END_DECLS
