// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RH_TYPE_EMAIL (rh_email_get_type ())

/**
 * RhEmail:
 *
 * A validated e-mail address: trimmed, with its domain lower-cased (the
 * local part is kept as typed: it may be case-sensitive).
 */
typedef struct _RhEmail RhEmail;

GType       rh_email_get_type    (void) G_GNUC_CONST;
RhEmail    *rh_email_new         (const char  *text,
                                  GError     **error);
RhEmail    *rh_email_copy        (const RhEmail *email);
void        rh_email_free        (RhEmail     *email);
const char *rh_email_get_address (const RhEmail *email);
const char *rh_email_get_domain  (const RhEmail *email);
gboolean    rh_email_equal       (const RhEmail *a,
                                  const RhEmail *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhEmail, rh_email_free)

G_END_DECLS
