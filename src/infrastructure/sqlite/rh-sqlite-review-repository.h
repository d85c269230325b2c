// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "rh-review-repository.h"
#include "rh-sqlite-database.h"

G_BEGIN_DECLS

#define RH_TYPE_SQLITE_REVIEW_REPOSITORY (rh_sqlite_review_repository_get_type ())

G_DECLARE_FINAL_TYPE (RhSqliteReviewRepository, rh_sqlite_review_repository,
                      RH, SQLITE_REVIEW_REPOSITORY, GObject)

RhSqliteReviewRepository *rh_sqlite_review_repository_new (RhSqliteDatabase *db);

G_END_DECLS
