// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * What every fuzz target shares: the entry point libFuzzer (or
 * fuzz-main.c) calls, fatal GLib warnings, and the promises of
 * rh-import-data.h that every reader must keep.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

#include "rh-import-data.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A warning or a critical from our code or GLib is a bug the input
 * found (a failed g_return_if_fail(), a lost transaction): it aborts,
 * as g_test_init() makes it do in the unit tests. Aborts rather than
 * GLib's fatal-warning breakpoint, whose SIGTRAP libFuzzer does not
 * catch: it would stop without saving the input. */
static inline GLogWriterOutput
rh_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return output;
}

static inline void
rh_fuzz_init_once (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_log_set_writer_func (rh_fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

static inline void
rh_fuzz_assert_text (const char *what,
                     const char *text,
                     gboolean    nullable)
{
  if (text == NULL && !nullable)
    g_error ("%s is NULL", what);
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    g_error ("%s is not valid UTF-8", what);
}

/* What rh-import-data.h promises of a reader's cards: a front and a
 * back, tags (maybe none), reviews in time order, and text the domain
 * can take (valid UTF-8). The use case relies on all of it. */
static inline void
rh_fuzz_assert_import_data (const RhImportData *data)
{
  g_assert_nonnull (data->cards);
  for (guint i = 0; i < data->cards->len; i++)
    {
      const RhImportCard *card = data->cards->pdata[i];

      rh_fuzz_assert_text ("A card's front", card->front, FALSE);
      rh_fuzz_assert_text ("A card's back", card->back, FALSE);
      g_assert_cmpstr (card->front, !=, "");
      g_assert_cmpstr (card->back, !=, "");
      rh_fuzz_assert_text ("A card's notes", card->notes, TRUE);
      rh_fuzz_assert_text ("A card's example", card->example, TRUE);
      rh_fuzz_assert_text ("A card's deck name", card->deck_name, TRUE);
      g_assert_nonnull (card->tags);
      for (guint t = 0; card->tags[t] != NULL; t++)
        rh_fuzz_assert_text ("A card's tag", card->tags[t], FALSE);
      for (guint r = 1; card->reviews != NULL && r < card->reviews->len; r++)
        g_assert_cmpint (g_array_index (card->reviews, RhImportReview, r - 1).time_us, <=,
                         g_array_index (card->reviews, RhImportReview, r).time_us);
    }
  for (guint i = 0; data->deck_names != NULL && i < data->deck_names->len; i++)
    rh_fuzz_assert_text ("A deck name", data->deck_names->pdata[i], FALSE);
}

G_END_DECLS
