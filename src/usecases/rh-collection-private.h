// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rh-collection.h"

G_BEGIN_DECLS

struct _RhCollection
{
  GObject          parent_instance;

  RhRepositories   repos;
  RhStudySettings  settings;
  RhFsrsParams    *params;
  RhClockFunc      clock;
  gpointer         clock_data;

  /* the open review session of this run, created on the first answer */
  RhSession       *session;
  /* cards answered this study day that are still in (re)learning steps,
   * kept so a learning card is not shown again before its step is due */
  gint64           last_shown_us;
};

gboolean _rh_collection_fail_if_cancelled (GCancellable *cancellable,
                                           GError      **error);

G_END_DECLS
