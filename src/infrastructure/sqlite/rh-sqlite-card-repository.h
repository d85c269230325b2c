// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-card-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_CARD_REPOSITORY (rh_sqlite_card_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteCardRepository, rh_sqlite_card_repository,
                      RH, SQLITE_CARD_REPOSITORY, GObject)

RhSqliteCardRepository *rh_sqlite_card_repository_new (RhSqliteDatabase *db);

G_END_DECLS
