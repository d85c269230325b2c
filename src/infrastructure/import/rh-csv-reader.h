// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-import-data.h"

G_BEGIN_DECLS

/* Limits past which a file is refused with RH_IMPORT_ERROR_TOO_LARGE. */
#define RH_CSV_MAX_FIELD_BYTES (64 * 1024)
#define RH_CSV_MAX_FILE_BYTES  ((gsize) 512 * 1024 * 1024)

typedef struct
{
  /* 0 = guess from the first data line: tab if it has one, otherwise
   * ';' if it has at least as many of those as of ',' outside quotes,
   * otherwise ',' */
  char     delimiter;
  /* The first data row names the columns: front, back, notes, example,
   * tags, deck (any case; "question" and "answer" also work). When FALSE
   * a first row is still taken as a header if it names both a front and
   * a back column and nothing it names is unknown. */
  gboolean has_header;
  /* 0-based columns used when there is no header row; -1 = absent */
  int      col_front;
  int      col_back;
  int      col_notes;
  int      col_example;
  int      col_tags;
  int      col_deck;
} RhCsvOptions;

void          rh_csv_options_init (RhCsvOptions         *options);

RhImportData *rh_csv_read_bytes   (GBytes               *bytes,
                                   const RhCsvOptions   *options,
                                   GCancellable         *cancellable,
                                   RhImportProgressFunc  progress,
                                   gpointer              progress_data,
                                   GError              **error);

RhImportData *rh_csv_read_file    (const char           *path,
                                   const RhCsvOptions   *options,
                                   GCancellable         *cancellable,
                                   RhImportProgressFunc  progress,
                                   gpointer              progress_data,
                                   GError              **error);

G_END_DECLS
