// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RH_STORE_ERROR (rh_store_error_quark ())

/**
 * RhStoreError:
 * @RH_STORE_ERROR_FAILED: the storage failed (disk full, I/O error, ...)
 * @RH_STORE_ERROR_CORRUPT: the collection file is damaged or not a collection
 * @RH_STORE_ERROR_TOO_NEW: the collection was written by a newer Rehearse
 * @RH_STORE_ERROR_BUSY: another program holds the collection
 */
typedef enum
{
  RH_STORE_ERROR_FAILED,
  RH_STORE_ERROR_CORRUPT,
  RH_STORE_ERROR_TOO_NEW,
  RH_STORE_ERROR_BUSY,
} RhStoreError;

GQuark rh_store_error_quark (void);

#define RH_TYPE_STORE (rh_store_get_type ())

G_DECLARE_INTERFACE (RhStore, rh_store, RH, STORE, GObject)

/**
 * RhStoreInterface:
 *
 * The unit of work: use cases that write wrap their repository calls in
 * one transaction. Transactions nest: an inner begin/commit is a
 * savepoint, and only the outermost commit makes the changes durable.
 */
struct _RhStoreInterface
{
  GTypeInterface parent_iface;

  gboolean (*begin)    (RhStore  *self,
                        GError  **error);
  gboolean (*commit)   (RhStore  *self,
                        GError  **error);
  void     (*rollback) (RhStore  *self);
};

gboolean rh_store_begin    (RhStore  *self,
                            GError  **error);
gboolean rh_store_commit   (RhStore  *self,
                            GError  **error);
void     rh_store_rollback (RhStore  *self);

typedef gboolean (*RhStoreWorkFunc) (gpointer   user_data,
                                     GError   **error);

gboolean rh_store_run      (RhStore          *self,
                            RhStoreWorkFunc   func,
                            gpointer          user_data,
                            GError          **error);

G_END_DECLS
