// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RH_SYNC_ERROR (rh_sync_error_quark ())

/**
 * RhSyncError:
 * @RH_SYNC_ERROR_INVALID: a change breaks the sync contract
 *   (docs/api/openapi.yaml)
 * @RH_SYNC_ERROR_WRONG_ACCOUNT: the collection already syncs with another
 *   account: its data can never be pushed into this one
 * @RH_SYNC_ERROR_SIGNED_OUT: nobody is signed in
 * @RH_SYNC_ERROR_BUSY: a sync is already running
 * @RH_SYNC_ERROR_FAILED: the sync could not finish (the message says why)
 */
typedef enum
{
  RH_SYNC_ERROR_INVALID,
  RH_SYNC_ERROR_WRONG_ACCOUNT,
  RH_SYNC_ERROR_SIGNED_OUT,
  RH_SYNC_ERROR_BUSY,
  RH_SYNC_ERROR_FAILED,
} RhSyncError;

GQuark rh_sync_error_quark (void);

/**
 * RhSyncEntity:
 *
 * The kinds of rows the contract syncs, in the order a push sends them:
 * a deck before its cards, a card before its reviews.
 */
typedef enum
{
  RH_SYNC_ENTITY_DECK,
  RH_SYNC_ENTITY_CARD,
  RH_SYNC_ENTITY_SCENARIO,
  RH_SYNC_ENTITY_SESSION,
  RH_SYNC_ENTITY_REVIEW,
} RhSyncEntity;

#define RH_SYNC_N_ENTITIES 5

/* The contract's limits. */
#define RH_SYNC_MAX_BATCH        100
#define RH_SYNC_MAX_BODY_BYTES   (6 * 1024 * 1024)
#define RH_SYNC_MAX_SAFE_INTEGER G_GINT64_CONSTANT (9007199254740991)

/**
 * RhSyncFieldKind:
 *
 * How a field's value looks, and which #GVariant type holds it: text,
 * UUID, enum and JSON text are "s", integers "x", numbers "d", the
 * session counts "(xxxx)" (again, hard, good, easy). JSON null is a %NULL
 * value.
 */
typedef enum
{
  RH_SYNC_FIELD_TEXT,
  RH_SYNC_FIELD_UUID,
  RH_SYNC_FIELD_INTEGER,
  RH_SYNC_FIELD_NUMBER,
  RH_SYNC_FIELD_ENUM,
  RH_SYNC_FIELD_COUNTS,
  RH_SYNC_FIELD_JSON_TEXT,
} RhSyncFieldKind;

/**
 * RhSyncFieldSpec:
 * @name: the field's name in the contract
 * @kind: its kind
 * @nullable: whether JSON null is allowed
 * @min_chars: for text, the fewest characters once blanks are trimmed
 * @max_chars: for text, the most characters (code points)
 * @min: for integers and numbers, the smallest value
 * @max: for integers and numbers, the largest value
 * @values: (array zero-terminated=1) (nullable): for enums, the values
 *
 * One field of an entity, as the contract defines it.
 */
typedef struct
{
  const char         *name;
  RhSyncFieldKind     kind;
  gboolean            nullable;
  gsize               min_chars;
  gsize               max_chars;
  double              min;
  double              max;
  const char * const *values;
} RhSyncFieldSpec;

const char            *rh_sync_entity_to_string   (RhSyncEntity   entity);
gboolean               rh_sync_entity_from_string (const char    *name,
                                                   RhSyncEntity  *out_entity);
const RhSyncFieldSpec *rh_sync_entity_get_fields  (RhSyncEntity   entity,
                                                   guint         *n_fields);
const RhSyncFieldSpec *rh_sync_entity_find_field  (RhSyncEntity   entity,
                                                   const char    *name);
gboolean               rh_sync_entity_is_immutable (RhSyncEntity  entity);

gboolean               rh_sync_uuid_is_valid      (const char    *text);
gboolean               rh_sync_hlc_is_valid       (const char    *text);
gboolean               rh_sync_device_id_is_valid (const char    *text);
gboolean               rh_sync_cursor_is_valid    (const char    *text);
gboolean               rh_sync_value_validate     (const RhSyncFieldSpec  *spec,
                                                   GVariant               *value,
                                                   GError                **error);

/**
 * RhSyncField:
 * @name: the field's name
 * @value: (nullable): its value (see #RhSyncFieldKind), %NULL for null
 * @hlc: the stamp of the write that set it
 */
typedef struct
{
  char     *name;
  GVariant *value;
  char     *hlc;
} RhSyncField;

/**
 * RhSyncChange:
 * @entity: which kind of row
 * @id: the row's id (a lower-case UUID)
 * @fields: (element-type RhSyncField): the fields with their stamps
 * @deleted: pushed: whether @deleted_hlc is sent as a tombstone; pulled:
 *   whether the server holds the row as deleted after this change
 * @deleted_hlc: (nullable): the tombstone's stamp
 * @seq: pulled: the change's place in the account's log; 0 otherwise
 * @signature: (nullable): local: the row's stamps when it was read, so
 *   marking it pushed can tell whether it changed meanwhile
 *
 * One row's change, as pushed or pulled.
 */
typedef struct
{
  RhSyncEntity  entity;
  char         *id;
  GPtrArray    *fields;
  gboolean      deleted;
  char         *deleted_hlc;
  gint64        seq;
  char         *signature;
} RhSyncChange;

RhSyncChange      *rh_sync_change_new           (RhSyncEntity         entity,
                                                 const char          *id);
void               rh_sync_change_free          (RhSyncChange        *change);
void               rh_sync_change_add_field     (RhSyncChange        *change,
                                                 const char          *name,
                                                 GVariant            *value,
                                                 const char          *hlc);
const RhSyncField *rh_sync_change_get_field     (const RhSyncChange  *change,
                                                 const char          *name);
void               rh_sync_change_set_tombstone (RhSyncChange        *change,
                                                 gboolean             deleted,
                                                 const char          *deleted_hlc);
const char        *rh_sync_change_max_hlc       (const RhSyncChange  *change);
gboolean           rh_sync_change_validate      (const RhSyncChange  *change,
                                                 gboolean             for_push,
                                                 GError             **error);
gsize              rh_sync_change_estimate_size (const RhSyncChange  *change);
GVariant          *rh_sync_change_to_variant    (const RhSyncChange  *change);
RhSyncChange      *rh_sync_change_from_variant  (GVariant            *variant,
                                                 GError             **error);
GVariant          *rh_sync_changes_to_variant   (GPtrArray           *changes);
GPtrArray         *rh_sync_changes_from_variant (GVariant            *variant,
                                                 GError             **error);
GPtrArray         *rh_sync_change_list_new      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSyncChange, rh_sync_change_free)

G_END_DECLS
