// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "rh-collection.h"

G_BEGIN_DECLS

#define RH_TYPE_CARD_EDITOR (rh_card_editor_get_type ())

G_DECLARE_FINAL_TYPE (RhCardEditor, rh_card_editor, RH, CARD_EDITOR, AdwWindow)

GtkWindow *rh_card_editor_new (GtkWindow    *parent,
                               RhCollection *collection,
                               const char   *card_id,
                               const char   *deck_id);

/**
 * RhCardEditorField:
 *
 * The fields that show their own validation message; for tests.
 */
typedef enum
{
  RH_CARD_EDITOR_FIELD_FRONT,
  RH_CARD_EDITOR_FIELD_BACK,
  RH_CARD_EDITOR_FIELD_NOTES,
  RH_CARD_EDITOR_FIELD_EXAMPLE,
  RH_CARD_EDITOR_FIELD_TAGS,
  RH_CARD_EDITOR_N_FIELDS
} RhCardEditorField;

/* Internal, for tests. */
void        _rh_card_editor_set_text  (RhCardEditor      *self,
                                       RhCardEditorField  field,
                                       const char        *text);
char       *_rh_card_editor_dup_text  (RhCardEditor      *self,
                                       RhCardEditorField  field);
const char *_rh_card_editor_get_error (RhCardEditor      *self,
                                       RhCardEditorField  field);

G_END_DECLS
