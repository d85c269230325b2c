// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-collection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-collection-private.h"
#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-time.h"

G_DEFINE_FINAL_TYPE (RhCollection, rh_collection, G_TYPE_OBJECT)

static void
rh_collection_dispose (GObject *object)
{
  RhCollection *self = RH_COLLECTION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->repos.store);
  g_clear_object (&self->repos.users);
  g_clear_object (&self->repos.decks);
  g_clear_object (&self->repos.cards);
  g_clear_object (&self->repos.reviews);
  g_clear_object (&self->repos.sessions);
  g_clear_object (&self->repos.scenarios);

  G_OBJECT_CLASS (rh_collection_parent_class)->dispose (object);
}

static void
rh_collection_finalize (GObject *object)
{
  RhCollection *self = RH_COLLECTION (object);

  g_clear_pointer (&self->params, rh_fsrs_params_free);

  G_OBJECT_CLASS (rh_collection_parent_class)->finalize (object);
}

static void
rh_collection_class_init (RhCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rh_collection_dispose;
  object_class->finalize = rh_collection_finalize;
}

static void
rh_collection_init (RhCollection *self)
{
  rh_study_settings_init_default (&self->settings);
  self->params = rh_fsrs_params_new_default ();
}

void
rh_study_settings_init_default (RhStudySettings *settings)
{
  *settings = (RhStudySettings) {
    .new_per_day = 20,
    .reviews_per_day = 200,
    .desired_retention = 0.9,
    .rollover_hour = 4,
    .learning_steps_s = { 60, 600 },
    .n_learning_steps = 2,
    .relearning_steps_s = { 600 },
    .n_relearning_steps = 1,
    .fuzz = TRUE,
  };
}

void
rh_deck_summary_free (RhDeckSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_object (&summary->deck);
  g_free (summary);
}

void
rh_study_card_free (RhStudyCard *study_card)
{
  if (study_card == NULL)
    return;
  g_clear_object (&study_card->card);
  for (guint i = 0; i < 4; i++)
    g_free (study_card->interval_labels[i]);
  g_free (study_card);
}

/**
 * rh_collection_new:
 * @repositories: the store and repositories; each is referenced
 *
 * Returns: (transfer full): the use cases over one collection
 */
RhCollection *
rh_collection_new (const RhRepositories *repositories)
{
  RhCollection *self = g_object_new (RH_TYPE_COLLECTION, NULL);

  g_return_val_if_fail (repositories != NULL, NULL);
  g_return_val_if_fail (RH_IS_STORE (repositories->store), NULL);

  self->repos.store = g_object_ref (repositories->store);
  self->repos.users = g_object_ref (repositories->users);
  self->repos.decks = g_object_ref (repositories->decks);
  self->repos.cards = g_object_ref (repositories->cards);
  self->repos.reviews = g_object_ref (repositories->reviews);
  self->repos.sessions = g_object_ref (repositories->sessions);
  self->repos.scenarios = g_object_ref (repositories->scenarios);
  return self;
}

const RhRepositories *
rh_collection_get_repositories (RhCollection *self)
{
  return &self->repos;
}

/**
 * rh_collection_set_clock:
 * @func: (nullable): a clock, or %NULL for the real time
 *
 * Lets tests and benchmarks move through days without waiting for them.
 */
void
rh_collection_set_clock (RhCollection *self,
                         RhClockFunc   func,
                         gpointer      user_data)
{
  self->clock = func;
  self->clock_data = user_data;
}

gint64
rh_collection_now (RhCollection *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_real_time ();
}

gboolean
rh_collection_set_study_settings (RhCollection           *self,
                                  const RhStudySettings  *settings,
                                  GError                **error)
{
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();

  if (settings->new_per_day < 0 || settings->new_per_day > 9999 ||
      settings->reviews_per_day < 0 || settings->reviews_per_day > 99999)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("Daily limits must be between 0 and 9999 new cards and 99999 reviews"));
      return FALSE;
    }
  if (settings->rollover_hour < 0 || settings->rollover_hour > 23)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("The day must start at an hour between 0 and 23"));
      return FALSE;
    }
  if (!rh_fsrs_params_set_retention (params, settings->desired_retention, error) ||
      !rh_fsrs_params_set_learning_steps (params, settings->learning_steps_s,
                                          MIN (settings->n_learning_steps, 8), error) ||
      !rh_fsrs_params_set_relearning_steps (params, settings->relearning_steps_s,
                                            MIN (settings->n_relearning_steps, 8), error))
    return FALSE;
  params->enable_fuzz = settings->fuzz;

  self->settings = *settings;
  g_clear_pointer (&self->params, rh_fsrs_params_free);
  self->params = g_steal_pointer (&params);
  return TRUE;
}

const RhStudySettings *
rh_collection_get_study_settings (RhCollection *self)
{
  return &self->settings;
}

const RhFsrsParams *
rh_collection_get_fsrs_params (RhCollection *self)
{
  return self->params;
}

/**
 * rh_collection_day_start:
 *
 * Returns: the start of the current study day (the rollover hour, local time)
 */
gint64
rh_collection_day_start (RhCollection *self)
{
  return rh_time_day_start (rh_collection_now (self), self->settings.rollover_hour, NULL);
}

gboolean
_rh_collection_fail_if_cancelled (GCancellable  *cancellable,
                                  GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ---- decks ---- */

/**
 * rh_collection_create_deck:
 *
 * Returns: (transfer full) (nullable): the new deck
 */
RhDeck *
rh_collection_create_deck (RhCollection  *self,
                           const char    *name,
                           GError       **error)
{
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhDeck) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  gint64 now = rh_collection_now (self);
  g_autofree char *id = rh_id_new_at (now);

  if (!(deck = rh_deck_new_full (id, name, now, now, error)))
    return NULL;

  if (!rh_store_begin (self->repos.store, error))
    return NULL;

  existing = rh_deck_repository_find_by_name (self->repos.decks, rh_deck_get_name (deck),
                                              &local_error);
  if (local_error == NULL && existing != NULL)
    g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                 _("A deck named “%s” already exists"), rh_deck_get_name (existing));

  if (local_error != NULL ||
      !rh_deck_repository_save (self->repos.decks, deck, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    {
      rh_store_rollback (self->repos.store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&deck);
}

gboolean
rh_collection_rename_deck (RhCollection  *self,
                           const char    *deck_id,
                           const char    *name,
                           GError       **error)
{
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhDeck) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;

  if (!(deck = rh_deck_repository_get (self->repos.decks, deck_id, &local_error)) ||
      !rh_deck_set_name (deck, name, &local_error))
    goto fail;

  existing = rh_deck_repository_find_by_name (self->repos.decks, rh_deck_get_name (deck),
                                              &local_error);
  if (local_error != NULL)
    goto fail;
  if (existing != NULL && g_strcmp0 (rh_deck_get_id (existing), deck_id) != 0)
    {
      g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_DUPLICATE,
                   _("A deck named “%s” already exists"), rh_deck_get_name (existing));
      goto fail;
    }

  rh_deck_set_modified (deck, rh_collection_now (self));
  if (!rh_deck_repository_save (self->repos.decks, deck, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
for_each_card_in_deck (RhCollection  *self,
                       const char    *deck_id,
                       const char    *target_deck_id,
                       GError       **error)
{
  RhCardQuery query = { .deck_id = deck_id, .sort = RH_CARD_SORT_CREATED };

  /* Work in pages: a deck can hold 100,000 cards. Each page moves or
   * deletes its cards, so the next page starts at offset 0 again. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = rh_card_repository_search (self->repos.cards, &query, 0, 500,
                                                             error);
      if (page == NULL)
        return FALSE;
      if (page->len == 0)
        return TRUE;

      for (guint i = 0; i < page->len; i++)
        {
          RhFlashcard *card = page->pdata[i];

          if (target_deck_id != NULL)
            {
              if (!rh_flashcard_set_deck_id (card, target_deck_id, error))
                return FALSE;
              rh_flashcard_set_modified (card, rh_collection_now (self));
              if (!rh_card_repository_update (self->repos.cards, card, error))
                return FALSE;
            }
          else if (!rh_card_repository_remove (self->repos.cards, rh_flashcard_get_id (card),
                                               error))
            return FALSE;
        }
    }
}

/**
 * rh_collection_delete_deck:
 * @mode: what to do with the deck's cards
 * @target_deck_id: (nullable): where cards go with %RH_DECK_DELETE_MOVE_CARDS
 *
 * Deleting a deck that has cards needs the learner's choice: with
 * %RH_DECK_DELETE_ONLY_IF_EMPTY such a deck gives %RH_DOMAIN_ERROR_NOT_EMPTY
 * and the UI asks.
 */
gboolean
rh_collection_delete_deck (RhCollection      *self,
                           const char        *deck_id,
                           RhDeckDeleteMode   mode,
                           const char        *target_deck_id,
                           GError           **error)
{
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhDeck) target = NULL;
  g_autoptr(GError) local_error = NULL;
  RhCardQuery query = { .deck_id = deck_id };
  guint n_cards = 0;

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;

  if (!(deck = rh_deck_repository_get (self->repos.decks, deck_id, &local_error)) ||
      !rh_card_repository_count (self->repos.cards, &query, &n_cards, &local_error))
    goto fail;

  if (n_cards > 0)
    {
      switch (mode)
        {
        case RH_DECK_DELETE_ONLY_IF_EMPTY:
          g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_EMPTY,
                       ngettext ("The deck “%s” has %u card: delete it or move it first",
                                 "The deck “%s” has %u cards: delete them or move them first",
                                 n_cards),
                       rh_deck_get_name (deck), n_cards);
          goto fail;

        case RH_DECK_DELETE_MOVE_CARDS:
          if (g_strcmp0 (target_deck_id, deck_id) == 0)
            {
              g_set_error (&local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                           _("Cards cannot be moved to the deck being deleted"));
              goto fail;
            }
          if (!(target = rh_deck_repository_get (self->repos.decks, target_deck_id,
                                                 &local_error)))
            goto fail;
          if (!for_each_card_in_deck (self, deck_id, target_deck_id, &local_error))
            goto fail;
          break;

        case RH_DECK_DELETE_WITH_CARDS:
        default:
          if (!for_each_card_in_deck (self, deck_id, NULL, &local_error))
            goto fail;
          break;
        }
    }

  if (!rh_deck_repository_remove (self->repos.decks, deck_id, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b)
{
  const RhDeckSummary *sa = *(const RhDeckSummary * const *) a;
  const RhDeckSummary *sb = *(const RhDeckSummary * const *) b;

  return g_utf8_collate (rh_deck_get_name (sa->deck), rh_deck_get_name (sb->deck));
}

/**
 * rh_collection_list_decks:
 *
 * Returns: (transfer full) (element-type RhDeckSummary): the decks with
 *   their counts for the current study day, by name
 */
GPtrArray *
rh_collection_list_decks (RhCollection  *self,
                          GError       **error)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) out = NULL;
  gint64 day_end = rh_collection_day_start (self) + RH_USEC_PER_DAY;

  if (!(decks = rh_deck_repository_list (self->repos.decks, error)))
    return NULL;
  if (!(counts = rh_card_repository_count_by_deck (self->repos.cards, day_end, error)))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) rh_deck_summary_free);
  for (guint i = 0; i < decks->len; i++)
    {
      RhDeckSummary *summary = g_new0 (RhDeckSummary, 1);
      RhDeckCounts *c;

      summary->deck = g_object_ref (decks->pdata[i]);
      if ((c = g_hash_table_lookup (counts, rh_deck_get_id (summary->deck))))
        summary->counts = *c;
      g_ptr_array_add (out, summary);
    }
  g_ptr_array_sort (out, compare_summaries);
  return g_steal_pointer (&out);
}

/**
 * rh_collection_find_deck:
 * @id_or_name: a deck's id, or its name (without regard to case)
 *
 * Returns: (transfer full) (nullable): the deck, or %NULL with
 *   %RH_DOMAIN_ERROR_NOT_FOUND
 */
RhDeck *
rh_collection_find_deck (RhCollection  *self,
                         const char    *id_or_name,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  RhDeck *deck;

  if (rh_id_is_valid (id_or_name))
    return rh_deck_repository_get (self->repos.decks, id_or_name, error);

  deck = rh_deck_repository_find_by_name (self->repos.decks, id_or_name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (deck == NULL)
    g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND,
                 _("There is no deck named “%s”"), id_or_name ? id_or_name : "");
  return deck;
}

/**
 * rh_collection_ensure_deck:
 *
 * Finds the deck by name or creates it, inside the caller's transaction
 * when there is one.
 *
 * Returns: (transfer full) (nullable): the deck
 */
RhDeck *
rh_collection_ensure_deck (RhCollection  *self,
                           const char    *name,
                           gboolean      *out_created,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RhDeck) deck = NULL;
  gint64 now = rh_collection_now (self);

  if (out_created)
    *out_created = FALSE;

  deck = rh_deck_repository_find_by_name (self->repos.decks, name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (deck != NULL)
    return g_steal_pointer (&deck);

  id = rh_id_new_at (now);
  if (!(deck = rh_deck_new_full (id, name, now, now, error)) ||
      !rh_deck_repository_save (self->repos.decks, deck, error))
    return NULL;
  if (out_created)
    *out_created = TRUE;
  return g_steal_pointer (&deck);
}

/* ---- cards ---- */

static gboolean
apply_draft (RhFlashcard        *card,
             const RhCardDraft  *draft,
             GError            **error)
{
  if (draft->front != NULL && !rh_flashcard_set_front (card, draft->front, error))
    return FALSE;
  if (draft->back != NULL && !rh_flashcard_set_back (card, draft->back, error))
    return FALSE;
  if (draft->notes != NULL && !rh_flashcard_set_notes (card, draft->notes, error))
    return FALSE;
  if (draft->example != NULL && !rh_flashcard_set_example (card, draft->example, error))
    return FALSE;
  if (draft->tags != NULL && !rh_flashcard_set_tags (card, draft->tags, error))
    return FALSE;
  if (draft->deck_id != NULL && !rh_flashcard_set_deck_id (card, draft->deck_id, error))
    return FALSE;
  return TRUE;
}

/**
 * rh_collection_add_card:
 *
 * Returns: (transfer full) (nullable): the new card
 */
RhFlashcard *
rh_collection_add_card (RhCollection       *self,
                        const RhCardDraft  *draft,
                        GError            **error)
{
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  gint64 now = rh_collection_now (self);

  id = rh_id_new_at (now);
  if (!(card = rh_flashcard_new_with_id (id, draft->deck_id, draft->front, draft->back, now,
                                         error)) ||
      !apply_draft (card, draft, error))
    return NULL;

  if (!rh_store_begin (self->repos.store, error))
    return NULL;
  if (!(deck = rh_deck_repository_get (self->repos.decks, draft->deck_id, &local_error)) ||
      !rh_card_repository_insert (self->repos.cards, card, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    {
      rh_store_rollback (self->repos.store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&card);
}

/**
 * rh_collection_edit_card:
 * @draft: the fields to change; %NULL ones stay
 *
 * Returns: (transfer full) (nullable): the card as stored
 */
RhFlashcard *
rh_collection_edit_card (RhCollection       *self,
                         const char         *card_id,
                         const RhCardDraft  *draft,
                         GError            **error)
{
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!rh_store_begin (self->repos.store, error))
    return NULL;

  if (!(card = rh_card_repository_get (self->repos.cards, card_id, &local_error)) ||
      !apply_draft (card, draft, &local_error))
    goto fail;
  if (draft->deck_id != NULL &&
      !(deck = rh_deck_repository_get (self->repos.decks, draft->deck_id, &local_error)))
    goto fail;

  rh_flashcard_set_modified (card, rh_collection_now (self));
  if (!rh_card_repository_update (self->repos.cards, card, &local_error) ||
      !rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return g_steal_pointer (&card);

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * rh_collection_delete_cards:
 *
 * Deletes all the cards or, when one is missing, none.
 */
gboolean
rh_collection_delete_cards (RhCollection        *self,
                            const char * const  *card_ids,
                            GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;

  for (guint i = 0; card_ids && card_ids[i]; i++)
    {
      g_autoptr(RhFlashcard) card = rh_card_repository_get (self->repos.cards, card_ids[i],
                                                            &local_error);
      if (card == NULL ||
          !rh_card_repository_remove (self->repos.cards, card_ids[i], &local_error))
        goto fail;
    }

  if (!rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rh_collection_move_cards:
 *
 * Moves all the cards to @deck_id or, on any error, none.
 */
gboolean
rh_collection_move_cards (RhCollection        *self,
                          const char * const  *card_ids,
                          const char          *deck_id,
                          GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RhDeck) deck = NULL;

  if (!rh_store_begin (self->repos.store, error))
    return FALSE;

  if (!(deck = rh_deck_repository_get (self->repos.decks, deck_id, &local_error)))
    goto fail;

  for (guint i = 0; card_ids && card_ids[i]; i++)
    {
      g_autoptr(RhFlashcard) card = rh_card_repository_get (self->repos.cards, card_ids[i],
                                                            &local_error);
      if (card == NULL || !rh_flashcard_set_deck_id (card, deck_id, &local_error))
        goto fail;
      rh_flashcard_set_modified (card, rh_collection_now (self));
      if (!rh_card_repository_update (self->repos.cards, card, &local_error))
        goto fail;
    }

  if (!rh_store_commit (self->repos.store, &local_error))
    goto fail;
  return TRUE;

fail:
  rh_store_rollback (self->repos.store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rh_collection_get_card:
 *
 * Returns: (transfer full) (nullable): the card
 */
RhFlashcard *
rh_collection_get_card (RhCollection  *self,
                        const char    *card_id,
                        GError       **error)
{
  if (!rh_id_validate (card_id, error))
    return NULL;
  return rh_card_repository_get (self->repos.cards, card_id, error);
}

/**
 * rh_collection_search_cards:
 *
 * Returns: (transfer full) (element-type RhFlashcard): one page of results
 */
GPtrArray *
rh_collection_search_cards (RhCollection       *self,
                            const RhCardQuery  *query,
                            guint               offset,
                            guint               limit,
                            GError            **error)
{
  return rh_card_repository_search (self->repos.cards, query, offset, limit, error);
}

gboolean
rh_collection_count_cards (RhCollection       *self,
                           const RhCardQuery  *query,
                           guint              *out_count,
                           GError            **error)
{
  return rh_card_repository_count (self->repos.cards, query, out_count, error);
}

/**
 * rh_collection_search_card_ids:
 *
 * The ids of every card that matches @query, in its order: for lists
 * that show any stretch of the results at once (see
 * rh_collection_get_cards()).
 *
 * Returns: (transfer full) (element-type utf8): the ids
 */
GPtrArray *
rh_collection_search_card_ids (RhCollection       *self,
                               const RhCardQuery  *query,
                               GError            **error)
{
  return rh_card_repository_search_ids (self->repos.cards, query, error);
}

/**
 * rh_collection_get_cards:
 * @ids: (array length=n_ids): the cards to read
 *
 * Returns: (transfer full) (element-type RhFlashcard): the cards in the
 *   order of @ids, %NULL for any that is gone
 */
GPtrArray *
rh_collection_get_cards (RhCollection        *self,
                         const char * const  *ids,
                         guint                n_ids,
                         GError             **error)
{
  return rh_card_repository_get_many (self->repos.cards, ids, n_ids, error);
}
