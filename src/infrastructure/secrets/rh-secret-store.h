// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-secret-repository.h"

G_BEGIN_DECLS

/* The Secret Service schema, named after the application id. */
#define RH_SECRET_SCHEMA_NAME "io.github.rehearse.Rehearse.Token"

#define RH_TYPE_SECRET_STORE (rh_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (RhSecretStore, rh_secret_store, RH, SECRET_STORE, GObject)

RhSecretStore *rh_secret_store_new (void);

G_END_DECLS
