// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RH_IMPORT_ERROR (rh_import_error_quark ())

typedef enum
{
  RH_IMPORT_ERROR_MALFORMED,
  RH_IMPORT_ERROR_ENCODING,
  RH_IMPORT_ERROR_MISSING_FIELD,
  RH_IMPORT_ERROR_TOO_LARGE,
  RH_IMPORT_ERROR_UNSUPPORTED,
  RH_IMPORT_ERROR_IO,
  RH_IMPORT_ERROR_CANCELLED,
} RhImportError;

typedef struct
{
  gint64 time_us;
  int    rating;      /* 1 = again, 2 = hard, 3 = good, 4 = easy */
  gint64 duration_ms;
} RhImportReview;

typedef struct
{
  char    *deck_name;   /* nullable: use the caller's default deck */
  char    *front;       /* trimmed, non-empty */
  char    *back;        /* trimmed, non-empty */
  char    *notes;       /* nullable */
  char    *example;     /* nullable */
  char   **tags;        /* NULL-terminated, may be empty */
  gint64   created_us;  /* 0 = unknown */
  GArray  *reviews;     /* of RhImportReview, time order; may be empty */
  guint    source_line; /* line (CSV) or note index (apkg) for messages */
} RhImportCard;

typedef struct
{
  GPtrArray *cards;         /* RhImportCard*, owned */
  GPtrArray *deck_names;    /* char*, in file order, unique */
  guint      skipped_cards; /* cards left out because nothing readable was left */
} RhImportData;

/* Called now and then with a fraction between 0 and 1. */
typedef void (*RhImportProgressFunc) (double   fraction,
                                      gpointer user_data);

GQuark        rh_import_error_quark        (void);

RhImportData *rh_import_data_new           (void);
void          rh_import_data_free          (RhImportData *data);
void          rh_import_data_add_deck_name (RhImportData *data,
                                            const char   *deck_name);
void          rh_import_data_take_card     (RhImportData *data,
                                            RhImportCard *card);

RhImportCard *rh_import_card_new           (void);
void          rh_import_card_free          (RhImportCard *card);

char        **rh_import_split_tags         (const char   *text,
                                            gssize        length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhImportData, rh_import_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhImportCard, rh_import_card_free)

G_END_DECLS
