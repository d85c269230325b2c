// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* As many steps as RhStudySettings holds. */
#define RH_STUDY_MAX_STEPS 8

#define RH_TYPE_PREFERENCES_WINDOW (rh_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RhPreferencesWindow, rh_preferences_window, RH, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWindow *rh_preferences_window_new (GtkWindow   *parent,
                                      GSettings   *settings);

gboolean   rh_study_steps_parse      (const char  *text,
                                      gint64      *steps_s,
                                      guint       *n_steps,
                                      GError     **error);
char     **rh_study_steps_normalize  (const char  *text,
                                      GError     **error);

G_END_DECLS
