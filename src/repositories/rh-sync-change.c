// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rh-sync-change.h"

/*
 * The sync contract's data model on the client side: which entities and
 * fields exist, what their values may be, and how a change is kept while
 * it waits to be sent (a #GVariant, so the core needs nothing but GLib).
 * The rules are the server's (tests/server/src/sync-model.mjs): a change
 * the server would refuse is refused here first, and a pulled change that
 * breaks them is refused before it touches the collection.
 */

G_DEFINE_QUARK (rh-sync-error-quark, rh_sync_error)

#define MAX_SAFE ((double) RH_SYNC_MAX_SAFE_INTEGER)

static const char * const session_kinds[] = { "review", "scenario", NULL };

#define TEXT(n, lo, hi, null) { n, RH_SYNC_FIELD_TEXT, null, lo, hi, 0, 0, NULL }
#define UUID(n, null)         { n, RH_SYNC_FIELD_UUID, null, 0, 0, 0, 0, NULL }
#define INT(n, lo, hi)        { n, RH_SYNC_FIELD_INTEGER, FALSE, 0, 0, lo, hi, NULL }

static const RhSyncFieldSpec deck_fields[] = {
  TEXT ("name", 1, 100, FALSE),
};

static const RhSyncFieldSpec card_fields[] = {
  UUID ("deck_id", FALSE),
  TEXT ("front", 1, 10000, FALSE),
  TEXT ("back", 1, 10000, FALSE),
  TEXT ("notes", 0, 20000, TRUE),
  TEXT ("example", 0, 20000, TRUE),
  /* at most 64 tags of at most 64 characters, one space between */
  TEXT ("tags", 0, 64 * 65, FALSE),
  /* JSON {scenario_id, turn_index, phrase_key}: the key phrase the card
   * was made from; its shape is checked where it is read and written */
  { "phrase_source", RH_SYNC_FIELD_JSON_TEXT, TRUE, 0, 64 * 1024, 0, 0, NULL },
};

static const RhSyncFieldSpec review_fields[] = {
  UUID ("card_id", FALSE),
  INT ("rating", 1, 4),
  INT ("time_us", 0, MAX_SAFE),
  INT ("duration_ms", 0, 24 * 3600 * 1000),
  INT ("state_before", 0, 3),
  UUID ("session_id", TRUE),
};

static const RhSyncFieldSpec session_fields[] = {
  { "kind", RH_SYNC_FIELD_ENUM, FALSE, 0, 0, 0, 0, session_kinds },
  INT ("started_us", 0, MAX_SAFE),
  INT ("ended_us", 0, MAX_SAFE),
  { "counts", RH_SYNC_FIELD_COUNTS, FALSE, 0, 0, 0, 1e9, NULL },
  INT ("time_ms", 0, MAX_SAFE),
  UUID ("scenario_id", TRUE),
  { "score", RH_SYNC_FIELD_NUMBER, FALSE, 0, 0, 0, 100, NULL },
  /* JSON [{turn_index, score, answer, hints_used, attempts, skipped}]: a
   * scenario run's results, with a stamp of their own */
  { "turn_results", RH_SYNC_FIELD_JSON_TEXT, TRUE, 0, 400000, 0, 0, NULL },
};

static const RhSyncFieldSpec scenario_fields[] = {
  { "content", RH_SYNC_FIELD_JSON_TEXT, FALSE, 0, 400000, 0, 0, NULL },
};

#undef TEXT
#undef UUID
#undef INT

static const struct
{
  const char            *name;
  const RhSyncFieldSpec *fields;
  guint                  n_fields;
  gboolean               immutable;
} entities[RH_SYNC_N_ENTITIES] = {
  [RH_SYNC_ENTITY_DECK] = { "deck", deck_fields, G_N_ELEMENTS (deck_fields), FALSE },
  [RH_SYNC_ENTITY_CARD] = { "card", card_fields, G_N_ELEMENTS (card_fields), FALSE },
  [RH_SYNC_ENTITY_SCENARIO] = { "scenario", scenario_fields, G_N_ELEMENTS (scenario_fields),
                                FALSE },
  [RH_SYNC_ENTITY_SESSION] = { "session", session_fields, G_N_ELEMENTS (session_fields),
                               FALSE },
  [RH_SYNC_ENTITY_REVIEW] = { "review", review_fields, G_N_ELEMENTS (review_fields), TRUE },
};

/* What an immutable entity (a review) must carry with its first write. */
static const char * const review_required[] = { "card_id", "rating", "time_us", NULL };

/**
 * rh_sync_entity_to_string:
 *
 * Returns: the entity's name in the contract ("card")
 */
const char *
rh_sync_entity_to_string (RhSyncEntity entity)
{
  g_return_val_if_fail (entity < RH_SYNC_N_ENTITIES, NULL);
  return entities[entity].name;
}

/**
 * rh_sync_entity_from_string:
 *
 * Returns: whether @name is an entity of the contract
 */
gboolean
rh_sync_entity_from_string (const char   *name,
                            RhSyncEntity *out_entity)
{
  for (guint i = 0; name != NULL && i < RH_SYNC_N_ENTITIES; i++)
    if (strcmp (entities[i].name, name) == 0)
      {
        *out_entity = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * rh_sync_entity_get_fields:
 *
 * Returns: (array length=n_fields) (transfer none): the entity's fields
 */
const RhSyncFieldSpec *
rh_sync_entity_get_fields (RhSyncEntity  entity,
                           guint        *n_fields)
{
  g_return_val_if_fail (entity < RH_SYNC_N_ENTITIES, NULL);
  *n_fields = entities[entity].n_fields;
  return entities[entity].fields;
}

/**
 * rh_sync_entity_find_field:
 *
 * Returns: (transfer none) (nullable): the field, or %NULL when the
 *   entity has none of that name
 */
const RhSyncFieldSpec *
rh_sync_entity_find_field (RhSyncEntity  entity,
                           const char   *name)
{
  g_return_val_if_fail (entity < RH_SYNC_N_ENTITIES, NULL);

  for (guint i = 0; name != NULL && i < entities[entity].n_fields; i++)
    if (strcmp (entities[entity].fields[i].name, name) == 0)
      return &entities[entity].fields[i];
  return NULL;
}

/**
 * rh_sync_entity_is_immutable:
 *
 * Returns: whether the entity's fields are written once (reviews)
 */
gboolean
rh_sync_entity_is_immutable (RhSyncEntity entity)
{
  g_return_val_if_fail (entity < RH_SYNC_N_ENTITIES, FALSE);
  return entities[entity].immutable;
}

static gboolean
is_lower_hex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static gboolean
is_device_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == ':' || c == '-';
}

/**
 * rh_sync_uuid_is_valid:
 *
 * Returns: whether @text is a UUID in its 36-character lower-case form
 */
gboolean
rh_sync_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!is_lower_hex (text[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * rh_sync_device_id_is_valid:
 *
 * Returns: whether @text is 1–64 characters of A-Z a-z 0-9 . _ : -
 */
gboolean
rh_sync_device_id_is_valid (const char *text)
{
  gsize len;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len < 1 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!is_device_char (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * rh_sync_hlc_is_valid:
 *
 * Returns: whether @text is a clock stamp as the contract writes them:
 *   12 lower-case hex digits, '-', 4 lower-case hex digits, '-', a device id
 */
gboolean
rh_sync_hlc_is_valid (const char *text)
{
  if (text == NULL || strlen (text) < 19)
    return FALSE;
  for (guint i = 0; i < 17; i++)
    {
      if (i == 12)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!is_lower_hex (text[i]))
        return FALSE;
    }
  return text[17] == '-' && rh_sync_device_id_is_valid (text + 18);
}

/**
 * rh_sync_cursor_is_valid:
 *
 * Returns: whether @text is a pull cursor: 1–16 decimal digits
 */
gboolean
rh_sync_cursor_is_valid (const char *text)
{
  gsize len;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len < 1 || len > 16)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *field,
         const char *why)
{
  g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
               /* Translators: the first %s is a field name ("front"), the
                * second says what is wrong with it */
               _("The field “%s” %s"), field, why);
  return FALSE;
}

static gboolean
check_text (const RhSyncFieldSpec  *spec,
            const char             *text,
            GError                **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, spec->name, _("is not valid UTF-8 text"));
  /* A byte count over four times the limit is over it in code points
   * too: no need to count them. */
  if (strlen (text) > 4 * spec->max_chars ||
      (gsize) g_utf8_strlen (text, -1) > spec->max_chars)
    return invalid (error, spec->name, _("is too long"));
  if (spec->min_chars > 0 && is_blank (text))
    return invalid (error, spec->name, _("is empty"));
  return TRUE;
}

/**
 * rh_sync_value_validate:
 * @value: (nullable): the value, %NULL for JSON null
 *
 * Checks a value against its field's rules: type, range, length.
 */
gboolean
rh_sync_value_validate (const RhSyncFieldSpec  *spec,
                        GVariant               *value,
                        GError                **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  if (value == NULL)
    return spec->nullable ? TRUE : invalid (error, spec->name, _("cannot be null"));

  switch (spec->kind)
    {
    case RH_SYNC_FIELD_TEXT:
    case RH_SYNC_FIELD_JSON_TEXT:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return invalid (error, spec->name, _("must be text"));
      return check_text (spec, g_variant_get_string (value, NULL), error);

    case RH_SYNC_FIELD_UUID:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
          !rh_sync_uuid_is_valid (g_variant_get_string (value, NULL)))
        return invalid (error, spec->name, _("must be a lower-case UUID"));
      return TRUE;

    case RH_SYNC_FIELD_ENUM:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
          !g_strv_contains (spec->values, g_variant_get_string (value, NULL)))
        return invalid (error, spec->name, _("has a value that is not allowed"));
      return TRUE;

    case RH_SYNC_FIELD_INTEGER:
      {
        gint64 v;

        if (!g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
          return invalid (error, spec->name, _("must be a whole number"));
        v = g_variant_get_int64 (value);
        if ((double) v < spec->min || (double) v > spec->max)
          return invalid (error, spec->name, _("is out of range"));
        return TRUE;
      }

    case RH_SYNC_FIELD_NUMBER:
      {
        double v;

        if (!g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
          return invalid (error, spec->name, _("must be a number"));
        v = g_variant_get_double (value);
        if (!isfinite (v) || v < spec->min || v > spec->max)
          return invalid (error, spec->name, _("is out of range"));
        return TRUE;
      }

    case RH_SYNC_FIELD_COUNTS:
      {
        gint64 c[4];

        if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(xxxx)")))
          return invalid (error, spec->name, _("must be four counts"));
        g_variant_get (value, "(xxxx)", &c[0], &c[1], &c[2], &c[3]);
        for (guint i = 0; i < 4; i++)
          if (c[i] < 0 || (double) c[i] > spec->max)
            return invalid (error, spec->name, _("is out of range"));
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
field_free (gpointer data)
{
  RhSyncField *field = data;

  g_free (field->name);
  g_clear_pointer (&field->value, g_variant_unref);
  g_free (field->hlc);
  g_free (field);
}

/**
 * rh_sync_change_new:
 *
 * Returns: (transfer full): a change without fields
 */
RhSyncChange *
rh_sync_change_new (RhSyncEntity  entity,
                    const char   *id)
{
  RhSyncChange *change = g_new0 (RhSyncChange, 1);

  g_return_val_if_fail (entity < RH_SYNC_N_ENTITIES, NULL);

  change->entity = entity;
  change->id = g_strdup (id);
  change->fields = g_ptr_array_new_with_free_func (field_free);
  return change;
}

void
rh_sync_change_free (RhSyncChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_ptr_array_unref (change->fields);
  g_free (change->deleted_hlc);
  g_free (change->signature);
  g_free (change);
}

/**
 * rh_sync_change_list_new:
 *
 * Returns: (transfer full) (element-type RhSyncChange): an empty list
 *   that frees its changes
 */
GPtrArray *
rh_sync_change_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) rh_sync_change_free);
}

/**
 * rh_sync_change_add_field:
 * @value: (nullable) (transfer floating): the value; %NULL for null
 *
 * Adds a field (or replaces the one of that name).
 */
void
rh_sync_change_add_field (RhSyncChange *change,
                          const char   *name,
                          GVariant     *value,
                          const char   *hlc)
{
  RhSyncField *field;

  g_return_if_fail (change != NULL);
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < change->fields->len; i++)
    if (strcmp (((RhSyncField *) change->fields->pdata[i])->name, name) == 0)
      {
        g_ptr_array_remove_index (change->fields, i);
        break;
      }

  field = g_new0 (RhSyncField, 1);
  field->name = g_strdup (name);
  field->value = value ? g_variant_ref_sink (value) : NULL;
  field->hlc = g_strdup (hlc);
  g_ptr_array_add (change->fields, field);
}

/**
 * rh_sync_change_get_field:
 *
 * Returns: (transfer none) (nullable): the field, if the change has it
 */
const RhSyncField *
rh_sync_change_get_field (const RhSyncChange *change,
                          const char         *name)
{
  for (guint i = 0; i < change->fields->len; i++)
    {
      RhSyncField *field = change->fields->pdata[i];

      if (strcmp (field->name, name) == 0)
        return field;
    }
  return NULL;
}

/**
 * rh_sync_change_set_tombstone:
 * @deleted_hlc: (nullable): the tombstone's stamp
 */
void
rh_sync_change_set_tombstone (RhSyncChange *change,
                              gboolean      deleted,
                              const char   *deleted_hlc)
{
  change->deleted = deleted;
  g_free (change->deleted_hlc);
  change->deleted_hlc = g_strdup (deleted_hlc);
}

/**
 * rh_sync_change_max_hlc:
 *
 * Returns: (nullable): the greatest stamp the change carries, fields and
 *   tombstone alike
 */
const char *
rh_sync_change_max_hlc (const RhSyncChange *change)
{
  const char *max = change->deleted_hlc;

  for (guint i = 0; i < change->fields->len; i++)
    {
      RhSyncField *field = change->fields->pdata[i];

      if (max == NULL || g_strcmp0 (field->hlc, max) > 0)
        max = field->hlc;
    }
  return max;
}

/**
 * rh_sync_change_validate:
 * @for_push: whether the change is about to be pushed (it must then change
 *   something); a pulled change may carry no field at all
 *
 * Checks a change against the contract: its id, every field's name,
 * stamp and value, the tombstone, and what an immutable entity must carry.
 */
gboolean
rh_sync_change_validate (const RhSyncChange  *change,
                         gboolean             for_push,
                         GError             **error)
{
  g_return_val_if_fail (change != NULL, FALSE);

  if (change->entity >= RH_SYNC_N_ENTITIES)
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, _("An unknown kind of change"));
      return FALSE;
    }
  if (!rh_sync_uuid_is_valid (change->id))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                   _("A change’s id is not a lower-case UUID"));
      return FALSE;
    }

  for (guint i = 0; i < change->fields->len; i++)
    {
      RhSyncField *field = change->fields->pdata[i];
      const RhSyncFieldSpec *spec = rh_sync_entity_find_field (change->entity, field->name);

      if (spec == NULL)
        {
          g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                       _("A %s has no field “%s”"),
                       rh_sync_entity_to_string (change->entity), field->name);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (((RhSyncField *) change->fields->pdata[j])->name, field->name) == 0)
          return invalid (error, field->name, _("is given twice"));
      if (!rh_sync_hlc_is_valid (field->hlc))
        return invalid (error, field->name, _("has a malformed clock stamp"));
      if (!rh_sync_value_validate (spec, field->value, error))
        return FALSE;
    }

  if (change->deleted_hlc != NULL && !rh_sync_hlc_is_valid (change->deleted_hlc))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                   _("A tombstone has a malformed clock stamp"));
      return FALSE;
    }
  if (change->deleted && change->deleted_hlc == NULL)
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                   _("A tombstone has no clock stamp"));
      return FALSE;
    }
  if (for_push && change->fields->len == 0 && !change->deleted)
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID,
                   _("A change changes nothing"));
      return FALSE;
    }

  if (rh_sync_entity_is_immutable (change->entity) && change->fields->len > 0)
    for (guint i = 0; review_required[i] != NULL; i++)
      if (rh_sync_change_get_field (change, review_required[i]) == NULL)
        return invalid (error, review_required[i], _("is missing"));

  return TRUE;
}

/**
 * rh_sync_change_estimate_size:
 *
 * Returns: about how many bytes the change takes in a request body; never
 *   less (text is counted as if every byte were escaped twice over)
 */
gsize
rh_sync_change_estimate_size (const RhSyncChange *change)
{
  gsize size = 160;

  for (guint i = 0; i < change->fields->len; i++)
    {
      RhSyncField *field = change->fields->pdata[i];

      size += 120;
      if (field->value != NULL && g_variant_is_of_type (field->value, G_VARIANT_TYPE_STRING))
        {
          gsize len = 0;

          g_variant_get_string (field->value, &len);
          /* JSON escapes only quotes, backslashes and controls; the
           * scenario document is JSON inside JSON, so every quote in it
           * becomes two bytes */
          size += len * 2;
        }
    }
  return size;
}

#define CHANGE_TYPE "(ssa(smvs)bmsxms)"

/**
 * rh_sync_change_to_variant:
 *
 * Returns: (transfer floating): the change, to be kept until it is sent
 */
GVariant *
rh_sync_change_to_variant (const RhSyncChange *change)
{
  GVariantBuilder fields;

  g_variant_builder_init (&fields, G_VARIANT_TYPE ("a(smvs)"));
  for (guint i = 0; i < change->fields->len; i++)
    {
      RhSyncField *field = change->fields->pdata[i];

      g_variant_builder_add (&fields, "(smvs)", field->name, field->value, field->hlc);
    }
  return g_variant_new (CHANGE_TYPE,
                        rh_sync_entity_to_string (change->entity),
                        change->id,
                        &fields,
                        change->deleted,
                        change->deleted_hlc,
                        change->seq,
                        change->signature);
}

/**
 * rh_sync_change_from_variant:
 *
 * Returns: (transfer full) (nullable): the change kept by
 *   rh_sync_change_to_variant()
 */
RhSyncChange *
rh_sync_change_from_variant (GVariant  *variant,
                             GError   **error)
{
  g_autoptr(RhSyncChange) change = NULL;
  g_autoptr(GVariantIter) fields = NULL;
  const char *entity_name;
  const char *id;
  const char *name;
  const char *hlc;
  GVariant *value;
  gboolean deleted;
  const char *deleted_hlc;
  const char *signature;
  gint64 seq;
  RhSyncEntity entity;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CHANGE_TYPE)))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, _("A kept change is damaged"));
      return NULL;
    }

  g_variant_get (variant, "(&s&sa(smvs)bm&sxm&s)", &entity_name, &id, &fields, &deleted,
                 &deleted_hlc, &seq, &signature);
  if (!rh_sync_entity_from_string (entity_name, &entity))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, _("A kept change is damaged"));
      return NULL;
    }

  change = rh_sync_change_new (entity, id);
  while (g_variant_iter_next (fields, "(&smv&s)", &name, &value, &hlc))
    {
      rh_sync_change_add_field (change, name, value, hlc);
      g_clear_pointer (&value, g_variant_unref);
    }
  rh_sync_change_set_tombstone (change, deleted, deleted_hlc);
  change->seq = seq;
  change->signature = g_strdup (signature);
  return g_steal_pointer (&change);
}

/**
 * rh_sync_changes_to_variant:
 * @changes: (element-type RhSyncChange): the changes
 *
 * Returns: (transfer floating): all of them, as one value
 */
GVariant *
rh_sync_changes_to_variant (GPtrArray *changes)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a" CHANGE_TYPE));
  for (guint i = 0; i < changes->len; i++)
    g_variant_builder_add_value (&builder, rh_sync_change_to_variant (changes->pdata[i]));
  return g_variant_builder_end (&builder);
}

/**
 * rh_sync_changes_from_variant:
 *
 * Returns: (transfer full) (element-type RhSyncChange) (nullable): the
 *   changes kept by rh_sync_changes_to_variant()
 */
GPtrArray *
rh_sync_changes_from_variant (GVariant  *variant,
                              GError   **error)
{
  g_autoptr(GPtrArray) changes = rh_sync_change_list_new ();
  GVariantIter iter;
  GVariant *child;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE ("a" CHANGE_TYPE)))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_INVALID, _("A kept batch is damaged"));
      return NULL;
    }

  g_variant_iter_init (&iter, variant);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      RhSyncChange *change = rh_sync_change_from_variant (child, error);

      g_variant_unref (child);
      if (change == NULL)
        return NULL;
      g_ptr_array_add (changes, change);
    }
  return g_steal_pointer (&changes);
}
