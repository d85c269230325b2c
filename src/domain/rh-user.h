// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-email.h"

G_BEGIN_DECLS

#define RH_TYPE_USER (rh_user_get_type ())

G_DECLARE_FINAL_TYPE (RhUser, rh_user, RH, USER, GObject)

#define RH_USER_MIN_RETENTION 0.70
#define RH_USER_MAX_RETENTION 0.99
#define RH_USER_MAX_NEW_PER_DAY 9999
#define RH_USER_MAX_REVIEWS_PER_DAY 99999

gboolean       rh_user_id_validate           (const char  *user_id,
                                              GError     **error);

RhUser        *rh_user_new                   (const char  *user_id,
                                              const char  *email,
                                              GError     **error);
const char    *rh_user_get_id                (RhUser      *self);
const RhEmail *rh_user_get_email             (RhUser      *self);
gboolean       rh_user_set_email             (RhUser      *self,
                                              const char  *email,
                                              GError     **error);
const char    *rh_user_get_display_name      (RhUser      *self);
gboolean       rh_user_set_display_name      (RhUser      *self,
                                              const char  *name,
                                              GError     **error);
int            rh_user_get_new_cards_per_day (RhUser      *self);
gboolean       rh_user_set_new_cards_per_day (RhUser      *self,
                                              int          limit,
                                              GError     **error);
int            rh_user_get_reviews_per_day   (RhUser      *self);
gboolean       rh_user_set_reviews_per_day   (RhUser      *self,
                                              int          limit,
                                              GError     **error);
double         rh_user_get_desired_retention (RhUser      *self);
gboolean       rh_user_set_desired_retention (RhUser      *self,
                                              double       retention,
                                              GError     **error);

G_END_DECLS
