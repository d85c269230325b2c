// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-card-repository.h"
#include "rh-deck-repository.h"
#include "rh-fsrs.h"
#include "rh-import-data.h"
#include "rh-review-repository.h"
#include "rh-scenario-repository.h"
#include "rh-session-repository.h"
#include "rh-store.h"
#include "rh-user-repository.h"

G_BEGIN_DECLS

/**
 * RhRepositories:
 *
 * What the composition root hands to the use cases: one store (the unit
 * of work) and the repositories that write through it.
 */
typedef struct
{
  RhStore              *store;
  RhUserRepository     *users;
  RhDeckRepository     *decks;
  RhCardRepository     *cards;
  RhReviewRepository   *reviews;
  RhSessionRepository  *sessions;
  RhScenarioRepository *scenarios;
} RhRepositories;

/**
 * RhStudySettings:
 *
 * The learner's study preferences, as the UI keeps them in GSettings.
 */
typedef struct
{
  int      new_per_day;
  int      reviews_per_day;
  double   desired_retention;
  int      rollover_hour;
  gint64   learning_steps_s[8];
  guint    n_learning_steps;
  gint64   relearning_steps_s[8];
  guint    n_relearning_steps;
  gboolean fuzz;
} RhStudySettings;

void rh_study_settings_init_default (RhStudySettings *settings);

typedef enum
{
  RH_DECK_DELETE_ONLY_IF_EMPTY,
  RH_DECK_DELETE_WITH_CARDS,
  RH_DECK_DELETE_MOVE_CARDS,
} RhDeckDeleteMode;

/**
 * RhDeckSummary:
 *
 * A deck as the overview shows it.
 */
typedef struct
{
  RhDeck       *deck;
  RhDeckCounts  counts;
} RhDeckSummary;

void rh_deck_summary_free (RhDeckSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhDeckSummary, rh_deck_summary_free)

/**
 * RhCardDraft:
 *
 * What the editor or the command line gives to add or change a card.
 * %NULL fields are left as they are when editing.
 */
typedef struct
{
  const char         *deck_id;
  const char         *front;
  const char         *back;
  const char         *notes;
  const char         *example;
  const char * const *tags;
} RhCardDraft;

/**
 * RhStudyCard:
 * @card: the card to show
 * @preview: the state each rating (index rating - 1) would give
 * @interval_labels: what each grade button says ("10 min", "2 d")
 */
typedef struct
{
  RhFlashcard *card;
  RhCardState  preview[4];
  char        *interval_labels[4];
} RhStudyCard;

void rh_study_card_free (RhStudyCard *study_card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhStudyCard, rh_study_card_free)

/**
 * RhQueueCounts:
 *
 * What is left to study today in a deck (or all decks).
 */
typedef struct
{
  guint new_cards;
  guint learning;
  guint review;
} RhQueueCounts;

/**
 * RhImportResult:
 */
typedef struct
{
  guint  added;
  guint  duplicates;
  guint  decks_created;
  guint  reviews;
} RhImportResult;

/**
 * RhStats:
 */
typedef struct
{
  guint  due_today;
  guint  reviews_today;
  guint  studied_today_ms;
  double retention_7;
  double retention_30;
  double retention_365;
  guint  retention_n_7;
  guint  retention_n_30;
  guint  retention_n_365;
  guint  streak_days;
  gint64 time_studied_ms;
  guint  per_day[365];
  guint  forecast[30];
  gint64 first_day_us;
} RhStats;

typedef gint64 (*RhClockFunc) (gpointer user_data);

#define RH_TYPE_COLLECTION (rh_collection_get_type ())

G_DECLARE_FINAL_TYPE (RhCollection, rh_collection, RH, COLLECTION, GObject)

RhCollection *rh_collection_new                (const RhRepositories  *repositories);
const RhRepositories *rh_collection_get_repositories (RhCollection *self);
void          rh_collection_set_clock          (RhCollection          *self,
                                                RhClockFunc            func,
                                                gpointer               user_data);
gint64        rh_collection_now                (RhCollection          *self);
gboolean      rh_collection_set_study_settings (RhCollection          *self,
                                                const RhStudySettings *settings,
                                                GError               **error);
const RhStudySettings *rh_collection_get_study_settings (RhCollection *self);
const RhFsrsParams *rh_collection_get_fsrs_params (RhCollection       *self);
gint64        rh_collection_day_start          (RhCollection          *self);

/* decks */
RhDeck       *rh_collection_create_deck        (RhCollection          *self,
                                                const char            *name,
                                                GError               **error);
gboolean      rh_collection_rename_deck        (RhCollection          *self,
                                                const char            *deck_id,
                                                const char            *name,
                                                GError               **error);
gboolean      rh_collection_delete_deck        (RhCollection          *self,
                                                const char            *deck_id,
                                                RhDeckDeleteMode       mode,
                                                const char            *target_deck_id,
                                                GError               **error);
GPtrArray    *rh_collection_list_decks         (RhCollection          *self,
                                                GError               **error);
RhDeck       *rh_collection_find_deck          (RhCollection          *self,
                                                const char            *id_or_name,
                                                GError               **error);
RhDeck       *rh_collection_ensure_deck        (RhCollection          *self,
                                                const char            *name,
                                                gboolean              *out_created,
                                                GError               **error);

/* cards */
RhFlashcard  *rh_collection_add_card           (RhCollection          *self,
                                                const RhCardDraft     *draft,
                                                GError               **error);
RhFlashcard  *rh_collection_edit_card          (RhCollection          *self,
                                                const char            *card_id,
                                                const RhCardDraft     *draft,
                                                GError               **error);
gboolean      rh_collection_delete_cards       (RhCollection          *self,
                                                const char * const    *card_ids,
                                                GError               **error);
gboolean      rh_collection_move_cards         (RhCollection          *self,
                                                const char * const    *card_ids,
                                                const char            *deck_id,
                                                GError               **error);
RhFlashcard  *rh_collection_get_card           (RhCollection          *self,
                                                const char            *card_id,
                                                GError               **error);
GPtrArray    *rh_collection_search_cards       (RhCollection          *self,
                                                const RhCardQuery     *query,
                                                guint                  offset,
                                                guint                  limit,
                                                GError               **error);
gboolean      rh_collection_count_cards        (RhCollection          *self,
                                                const RhCardQuery     *query,
                                                guint                 *out_count,
                                                GError               **error);
GPtrArray    *rh_collection_search_card_ids    (RhCollection          *self,
                                                const RhCardQuery     *query,
                                                GError               **error);
GPtrArray    *rh_collection_get_cards          (RhCollection          *self,
                                                const char * const    *ids,
                                                guint                  n_ids,
                                                GError               **error);

/* study */
gboolean      rh_collection_queue_counts       (RhCollection          *self,
                                                const char            *deck_id,
                                                RhQueueCounts         *out,
                                                GError               **error);
gboolean      rh_collection_queue_counts_for_decks (RhCollection      *self,
                                                GPtrArray             *summaries,
                                                RhQueueCounts         *out,
                                                GError               **error);
RhStudyCard  *rh_collection_next_card          (RhCollection          *self,
                                                const char            *deck_id,
                                                GError               **error);
RhStudyCard  *rh_collection_study_card         (RhCollection          *self,
                                                const char            *card_id,
                                                GError               **error);
RhReview     *rh_collection_answer             (RhCollection          *self,
                                                const char            *card_id,
                                                RhRating               rating,
                                                gint64                 duration_ms,
                                                GError               **error);
RhFlashcard  *rh_collection_undo               (RhCollection          *self,
                                                GError               **error);
gboolean      rh_collection_can_undo           (RhCollection          *self);
gboolean      rh_collection_rebuild_card       (RhCollection          *self,
                                                const char            *card_id,
                                                RhCardState           *out_state,
                                                GError               **error);
RhSession    *rh_collection_get_session        (RhCollection          *self);
gboolean      rh_collection_count_session_cards (RhCollection         *self,
                                                 RhSession            *session,
                                                 guint                *out_cards,
                                                 GError              **error);
RhSession    *rh_collection_end_session        (RhCollection          *self,
                                                GError               **error);
guint         rh_collection_close_abandoned_sessions (RhCollection    *self,
                                                GError               **error);

/* import / export / stats */
gboolean      rh_collection_import             (RhCollection          *self,
                                                RhImportData          *data,
                                                const char            *default_deck,
                                                RhImportResult        *out_result,
                                                GCancellable          *cancellable,
                                                GError               **error);
gboolean      rh_collection_import_full        (RhCollection          *self,
                                                RhImportData          *data,
                                                const char            *default_deck,
                                                RhImportProgressFunc   progress,
                                                gpointer               progress_data,
                                                RhImportResult        *out_result,
                                                GCancellable          *cancellable,
                                                GError               **error);
gboolean      rh_collection_export_csv         (RhCollection          *self,
                                                GOutputStream         *stream,
                                                const char            *deck_id,
                                                GCancellable          *cancellable,
                                                GError               **error);
gboolean      rh_collection_stats              (RhCollection          *self,
                                                RhStats               *out,
                                                GError               **error);

G_END_DECLS
