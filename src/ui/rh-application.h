// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-accounts.h"
#include "rh-collection.h"
#include "rh-sync.h"

G_BEGIN_DECLS

#define RH_TYPE_APPLICATION (rh_application_get_type ())

G_DECLARE_FINAL_TYPE (RhApplication, rh_application, RH, APPLICATION, AdwApplication)

RhApplication *rh_application_new                 (gint64          process_start_us);
RhCollection  *rh_application_get_collection      (RhApplication  *self);
const char    *rh_application_get_collection_path (RhApplication  *self);
GSettings     *rh_application_get_settings        (RhApplication  *self);
RhAccounts    *rh_application_get_accounts        (RhApplication  *self);

void           rh_study_settings_from_gsettings   (RhStudySettings *out,
                                                   GSettings       *settings);

G_END_DECLS
