// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rh-collection-private.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-text.h"
#include "rh-time.h"

typedef struct
{
  RhDeck     *deck;
  GHashTable *fronts;
  guint       ref_count;
} DeckFronts;

static DeckFronts *
deck_fronts_ref (DeckFronts *df)
{
  df->ref_count++;
  return df;
}

static void
deck_fronts_free (DeckFronts *df)
{
  if (--df->ref_count > 0)
    return;
  g_clear_object (&df->deck);
  g_clear_pointer (&df->fronts, g_hash_table_unref);
  g_free (df);
}

/* Two fronts are the same card when they read the same: case and Unicode
 * form do not matter. */
static char *
front_key (const char *front)
{
  g_autofree char *folded = NULL;

  for (const guchar *p = (const guchar *) front; ; p++)
    {
      if (*p == '\0')
        return g_ascii_strdown (front, -1);
      if (*p >= 0x80)
        break;
    }

  folded = g_utf8_casefold (front, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

/* Other programs allow tags ours refuse (long hierarchical tags, dozens
 * per note): keep what fits rather than refuse the whole file. */
static char **
fitting_tags (char * const *tags)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; tags && tags[i] && n < 64; i++)
    {
      const char *only[] = { tags[i], NULL };
      g_auto(GStrv) clean = rh_text_normalize_tags (only, NULL);

      if (clean != NULL && clean[0] != NULL)
        {
          g_strv_builder_add (b, clean[0]);
          n++;
        }
    }
  return g_strv_builder_end (b);
}

static DeckFronts *
lookup_deck (RhCollection  *self,
             GHashTable    *decks,
             const char    *name,
             guint         *decks_created,
             GError       **error)
{
  g_autofree char *key = NULL;
  g_autofree char *clean = NULL;
  g_autoptr(GPtrArray) fronts = NULL;
  DeckFronts *df;
  gboolean created = FALSE;

  /* the name as the file spells it first: most rows repeat a few names */
  if ((df = g_hash_table_lookup (decks, name)))
    return df;

  if (!(clean = rh_deck_name_normalize (name, error)))
    return NULL;
  key = rh_deck_name_key (clean);
  if ((df = g_hash_table_lookup (decks, key)))
    {
      g_hash_table_insert (decks, g_strdup (name), deck_fronts_ref (df));
      return df;
    }

  df = g_new0 (DeckFronts, 1);
  df->ref_count = 1;
  df->fronts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!(df->deck = rh_collection_ensure_deck (self, clean, &created, error)))
    {
      deck_fronts_free (df);
      return NULL;
    }
  if (created)
    (*decks_created)++;

  if (!created)
    {
      if (!(fronts = rh_card_repository_list_fronts (self->repos.cards,
                                                     rh_deck_get_id (df->deck), error)))
        {
          deck_fronts_free (df);
          return NULL;
        }
      for (guint i = 0; i < fronts->len; i++)
        g_hash_table_add (df->fronts, front_key (fronts->pdata[i]));
    }

  g_hash_table_insert (decks, g_steal_pointer (&key), df);
  if (!g_hash_table_contains (decks, name))
    g_hash_table_insert (decks, g_strdup (name), deck_fronts_ref (df));
  return df;
}

static gboolean
import_reviews (RhCollection        *self,
                RhFlashcard         *card,
                const RhImportCard  *ic,
                RhImportResult      *result,
                GError             **error)
{
  g_autofree RhFsrsReviewInput *inputs = NULL;
  g_autofree RhCardState *each = NULL;
  guint n = ic->reviews ? ic->reviews->len : 0;
  RhCardState final;

  if (n == 0)
    return TRUE;

  inputs = g_new0 (RhFsrsReviewInput, n);
  each = g_new0 (RhCardState, n);
  for (guint i = 0; i < n; i++)
    {
      const RhImportReview *r = &g_array_index (ic->reviews, RhImportReview, i);
      if (!rh_rating_validate (r->rating, error))
        {
          g_prefix_error (error, _("Entry %u: "), ic->source_line);
          return FALSE;
        }
      inputs[i].rating = r->rating;
      inputs[i].time_us = r->time_us;
      if (i > 0 && r->time_us < inputs[i - 1].time_us)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("Entry %u: reviews are not in time order"), ic->source_line);
          return FALSE;
        }
    }

  /* The reviews carry the scheduling over: replay them through FSRS so
   * the card continues where the other program left it. */
  rh_fsrs_replay (self->params, inputs, n, rh_flashcard_get_id (card), &final, each, NULL);

  for (guint i = 0; i < n; i++)
    {
      const RhImportReview *r = &g_array_index (ic->reviews, RhImportReview, i);
      g_autoptr(RhReview) review = NULL;

      if (!(review = rh_review_new (NULL, rh_flashcard_get_id (card), r->rating, r->time_us,
                                    CLAMP (r->duration_ms, 0, RH_REVIEW_MAX_DURATION_MS),
                                    error)))
        {
          g_prefix_error (error, _("Entry %u: "), ic->source_line);
          return FALSE;
        }
      rh_review_set_state_before (review, i == 0 ? RH_CARD_STATE_NEW : each[i - 1].state);
      if (!rh_review_repository_append (self->repos.reviews, review, error))
        return FALSE;
      result->reviews++;
    }

  return rh_card_repository_update_state (self->repos.cards, rh_flashcard_get_id (card), &final,
                                          error);
}

static gboolean
set_tags_leniently (RhFlashcard  *card,
                    char * const *tags,
                    GError      **error)
{
  g_auto(GStrv) fitting = NULL;

  if (rh_flashcard_set_tags (card, (const char * const *) tags, NULL))
    return TRUE;
  fitting = fitting_tags (tags);
  return rh_flashcard_set_tags (card, (const char * const *) fitting, error);
}

static gboolean
import_one (RhCollection        *self,
            GHashTable          *decks,
            const RhImportCard  *ic,
            const char          *default_deck,
            RhImportResult      *result,
            GError             **error)
{
  g_autoptr(RhFlashcard) card = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  DeckFronts *df;
  gint64 created = ic->created_us > 0 ? ic->created_us : rh_collection_now (self);

  if (!(df = lookup_deck (self, decks, ic->deck_name ? ic->deck_name : default_deck,
                          &result->decks_created, error)))
    return FALSE;

  id = rh_id_new_at (created);
  if (!(card = rh_flashcard_new_with_id (id, rh_deck_get_id (df->deck), ic->front, ic->back,
                                         created, error)) ||
      (ic->notes && !rh_flashcard_set_notes (card, ic->notes, error)) ||
      (ic->example && !rh_flashcard_set_example (card, ic->example, error)) ||
      (ic->tags && !set_tags_leniently (card, ic->tags, error)))
    {
      g_prefix_error (error, _("Entry %u: "), ic->source_line);
      return FALSE;
    }

  key = front_key (rh_flashcard_get_front (card));
  if (g_hash_table_contains (df->fronts, key))
    {
      result->duplicates++;
      return TRUE;
    }

  if (!rh_card_repository_insert (self->repos.cards, card, error) ||
      !import_reviews (self, card, ic, result, error))
    return FALSE;

  g_hash_table_add (df->fronts, g_steal_pointer (&key));
  result->added++;
  return TRUE;
}

/**
 * rh_collection_import:
 * @data: what a reader parsed
 * @default_deck: the deck for entries that name none
 *
 * Adds the cards (and their reviews) in one transaction, skipping cards
 * whose front is already in their deck. On any error, nothing is added.
 */
gboolean
rh_collection_import (RhCollection    *self,
                      RhImportData    *data,
                      const char      *default_deck,
                      RhImportResult  *out_result,
                      GCancellable    *cancellable,
                      GError         **error)
{
  return rh_collection_import_full (self, data, default_deck, NULL, NULL, out_result,
                                    cancellable, error);
}

/**
 * rh_collection_import_full:
 * @progress: (nullable): called now and then with the share of the cards
 *   added so far, from 0 to 1
 *
 * rh_collection_import(), telling how far it is.
 */
gboolean
rh_collection_import_full (RhCollection          *self,
                           RhImportData          *data,
                           const char            *default_deck,
                           RhImportProgressFunc   progress,
                           gpointer               progress_data,
                           RhImportResult        *out_result,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) decks = NULL;
  RhImportResult result = { 0 };

  g_return_val_if_fail (data != NULL, FALSE);

  if (default_deck == NULL)
    default_deck = _("Imported");

  decks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) deck_fronts_free);

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;
  if (!rh_card_repository_begin_bulk (self->repos.cards, &local_error))
    goto fail;

  /* Decks named by the file exist after import even when empty. */
  for (guint i = 0; data->deck_names && i < data->deck_names->len; i++)
    if (!lookup_deck (self, decks, data->deck_names->pdata[i], &result.decks_created,
                      &local_error))
      goto fail;

  for (guint i = 0; i < data->cards->len; i++)
    {
      /* told first, so that a cancel from the callback is seen now */
      if (i % 1024 == 0)
        {
          if (progress != NULL)
            progress ((double) i / data->cards->len, progress_data);
          if (_rh_collection_fail_if_cancelled (cancellable, &local_error))
            goto fail;
        }
      if (!import_one (self, decks, data->cards->pdata[i], default_deck, &result, &local_error))
        goto fail;
    }

  if (!rh_card_repository_end_bulk (self->repos.cards, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    goto fail;
  if (progress != NULL)
    progress (1.0, progress_data);

  if (out_result)
    *out_result = result;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
append_csv_field (GString    *out,
                  const char *value,
                  gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

/**
 * rh_collection_export_csv:
 * @deck_id: (nullable): one deck, or %NULL for all
 *
 * Writes RFC 4180 CSV with a header (front, back, notes, example, tags,
 * deck) that the CSV import reads back.
 */
gboolean
rh_collection_export_csv (RhCollection   *self,
                          GOutputStream  *stream,
                          const char     *deck_id,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(GString) out = g_string_new ("front,back,notes,example,tags,deck\r\n");
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) decks = NULL;
  RhCardQuery query = { .deck_id = deck_id, .sort = RH_CARD_SORT_CREATED };
  guint offset = 0;

  if (!(decks = rh_deck_repository_list (self->repos.decks, error)))
    return FALSE;
  for (guint i = 0; i < decks->len; i++)
    g_hash_table_insert (names, g_strdup (rh_deck_get_id (decks->pdata[i])),
                         g_strdup (rh_deck_get_name (decks->pdata[i])));

  for (;;)
    {
      g_autoptr(GPtrArray) page = rh_card_repository_search (self->repos.cards, &query, offset,
                                                             1000, error);
      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          RhFlashcard *card = page->pdata[i];
          g_autofree char *tags = rh_flashcard_dup_tags_string (card);

          append_csv_field (out, rh_flashcard_get_front (card), FALSE);
          append_csv_field (out, rh_flashcard_get_back (card), FALSE);
          append_csv_field (out, rh_flashcard_get_notes (card), FALSE);
          append_csv_field (out, rh_flashcard_get_example (card), FALSE);
          append_csv_field (out, tags, FALSE);
          append_csv_field (out, g_hash_table_lookup (names, rh_flashcard_get_deck_id (card)),
                            TRUE);
        }

      if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (out, 0);

      if (page->len < 1000)
        break;
      offset += page->len;
    }

  return g_output_stream_flush (stream, cancellable, error);
}

/**
 * rh_collection_stats:
 *
 * Fills @out with the figures of the statistics page, for the study day
 * that holds now.
 */
gboolean
rh_collection_stats (RhCollection  *self,
                     RhStats       *out,
                     GError       **error)
{
  gint64 today = rh_collection_day_start (self);
  gint64 first = today - 364 * RH_USEC_PER_DAY;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GHashTable) counts = NULL;
  guint passed[3] = { 0 }, total[3] = { 0 };
  static const int windows[3] = { 7, 30, 365 };
  GHashTableIter iter;
  gpointer value;

  memset (out, 0, sizeof *out);
  out->first_day_us = first;

  /* Day boundaries move with daylight saving; a day index from a fixed
   * 24 h length is off by at most an hour around the change, which the
   * rollover hour (04:00 by default) absorbs. */
  if (!(reviews = rh_review_repository_list_between (self->repos.reviews, first,
                                                     today + RH_USEC_PER_DAY, error)))
    return FALSE;

  for (guint i = 0; i < reviews->len; i++)
    {
      RhReview *r = reviews->pdata[i];
      gint64 t = rh_review_get_time (r);
      gint64 day = (t - first) / RH_USEC_PER_DAY;

      if (day < 0 || day > 364)
        continue;
      out->per_day[day]++;
      out->time_studied_ms += rh_review_get_duration_ms (r);
      if (day == 364)
        {
          out->reviews_today++;
          out->studied_today_ms += rh_review_get_duration_ms (r);
        }

      if (rh_review_get_state_before (r) != RH_CARD_STATE_REVIEW)
        continue;
      for (guint w = 0; w < 3; w++)
        if (t >= today - (windows[w] - 1) * RH_USEC_PER_DAY)
          {
            total[w]++;
            if (rh_review_get_rating (r) != RH_RATING_AGAIN)
              passed[w]++;
          }
    }

  out->retention_7 = total[0] ? (double) passed[0] / total[0] : NAN;
  out->retention_30 = total[1] ? (double) passed[1] / total[1] : NAN;
  out->retention_365 = total[2] ? (double) passed[2] / total[2] : NAN;
  out->retention_n_7 = total[0];
  out->retention_n_30 = total[1];
  out->retention_n_365 = total[2];

  /* A streak survives a day that has only just begun. */
  for (int d = out->per_day[364] > 0 ? 364 : 363; d >= 0 && out->per_day[d] > 0; d--)
    out->streak_days++;

  if (!rh_card_repository_due_forecast (self->repos.cards, today, RH_USEC_PER_DAY, 30,
                                        out->forecast, error))
    return FALSE;

  if (!(counts = rh_card_repository_count_by_deck (self->repos.cards, today + RH_USEC_PER_DAY,
                                                   error)))
    return FALSE;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const RhDeckCounts *c = value;
      out->due_today += c->due + c->learning;
    }

  return TRUE;
}
