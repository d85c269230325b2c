// SPDX-License-Identifier: GPL-3.0-or-later
#include "rh-domain-error.h"

G_DEFINE_QUARK (rh-domain-error-quark, rh_domain_error)
