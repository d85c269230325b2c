// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-deck-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_DECK_REPOSITORY (rh_sqlite_deck_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteDeckRepository, rh_sqlite_deck_repository,
                      RH, SQLITE_DECK_REPOSITORY, GObject)

RhSqliteDeckRepository *rh_sqlite_deck_repository_new (RhSqliteDatabase *db);

G_END_DECLS
