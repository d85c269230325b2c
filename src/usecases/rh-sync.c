// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rh-domain-error.h"
#include "rh-id.h"
#include "rh-sync.h"
#include "rh-token-source.h"

/*
 * The sync engine: push what is pending, then pull until caught up.
 *
 * Push: the pending rows go in batches of at most 100 changes (and a few
 * MB), each with a new batch id (a UUIDv7) as its idempotency key. The
 * batch and its id are stored before the first attempt, so a retry after
 * a lost answer, a crash or a restart sends the same batch under the same
 * id and the server applies it once. When the answer comes, the rows are
 * marked pushed in one transaction with forgetting the batch; a row edited
 * meanwhile stays pending (its stamps no longer match).
 *
 * Pull: pages from the stored cursor until has_more is false; each page
 * is merged and the cursor after it stored in one transaction, so an
 * interrupted pull starts again after the last page it stored. Cards that
 * got reviews from elsewhere have their state replayed from all their
 * reviews, in time order, afterwards (and after a crash, at the next
 * sync: they are remembered in the collection).
 *
 * Failures: 429, 5xx and network errors are tried again with exponential
 * backoff and jitter (at least as long as Retry-After); a 401 gets a
 * fresh token and one more try (in the API client). A sync that still
 * fails leaves everything pending as it was: the app keeps working, and
 * the engine tries again later, or as soon as the network monitor says
 * the network is back.
 *
 * The blocking work runs in a GTask thread on a collection of its own
 * (its own SQLite connection to the same file); the properties change on
 * the main context the engine was made in.
 */

#define DEFAULT_MAX_ATTEMPTS  6
#define DEFAULT_BASE_DELAY_MS 500
#define DEFAULT_MAX_DELAY_MS  30000
#define DEFAULT_PAGE_SIZE     500
#define DEFAULT_INTERVAL_S    (5 * 60)
/* What a batch may take of the 6 MB a request body may have. */
#define BATCH_BYTES           (4 * 1024 * 1024)
#define REBUILD_CHUNK         256
/* Tries after failed syncs: 30 s, 1 min, 2 min, ... up to 30 min. */
#define RETRY_FIRST_S         30
#define RETRY_MAX_S           (30 * 60)

G_DEFINE_ENUM_TYPE (RhSyncState, rh_sync_state,
                    G_DEFINE_ENUM_VALUE (RH_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (RH_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (RH_SYNC_STATE_SYNCED, "synced"),
                    G_DEFINE_ENUM_VALUE (RH_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (RH_SYNC_STATE_ERROR, "error"))

G_DEFINE_BOXED_TYPE (RhSyncSummary, rh_sync_summary, rh_sync_summary_copy, rh_sync_summary_free)

/**
 * rh_sync_summary_copy:
 *
 * Returns: (transfer full): a copy
 */
RhSyncSummary *
rh_sync_summary_copy (const RhSyncSummary *summary)
{
  return g_memdup2 (summary, sizeof *summary);
}

void
rh_sync_summary_free (RhSyncSummary *summary)
{
  g_free (summary);
}

struct _RhSyncEngine
{
  GObject          parent_instance;

  RhSyncRemote    *remote;
  RhSyncOpenFunc   open_func;
  gpointer         open_data;
  GDestroyNotify   open_destroy;
  GMainContext    *context;

  /* settings, copied into each run when it starts */
  GMutex           config_lock;
  RhStudySettings  settings;
  gboolean         has_settings;
  guint            max_attempts;
  guint            base_delay_ms;
  guint            max_delay_ms;
  guint            page_size;
  guint            batch_size;
  RhSyncStepFunc   step_func;
  gpointer         step_data;

  /* one run at a time, whichever way it was started */
  GMutex           run_lock;

  /* the main context's view */
  RhSyncState      state;
  double           progress;
  char            *message;
  gint64           last_synced;
  RhSyncSummary    last_summary;
  guint            interval;
  gboolean         started;
  gboolean         running;
  gboolean         again;
  guint            failures;
  guint            periodic_id;
  guint            retry_id;
  guint            schedule_id;
  gulong           network_handler;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (RhSyncEngine, rh_sync_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_MESSAGE,
  PROP_LAST_SYNCED,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- one run, in the thread that syncs ---- */

typedef struct
{
  RhSyncEngine     *engine;
  RhStudySettings   settings;
  gboolean          has_settings;
  guint             max_attempts;
  guint             base_delay_ms;
  guint             max_delay_ms;
  guint             page_size;
  guint             batch_size;
  RhSyncStepFunc    step_func;
  gpointer          step_data;
  GCancellable     *cancellable;

  RhCollection     *collection;
  RhSyncRepository *repo;
  RhStore          *store;
  RhSyncSummary     summary;
  guint             to_push;
  guint             pushed;
  double            published;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->repo);
  g_clear_object (&run->collection);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->engine);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_new (RhSyncEngine *self,
         GCancellable *cancellable)
{
  Run *run = g_new0 (Run, 1);

  run->engine = g_object_ref (self);
  run->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  g_mutex_lock (&self->config_lock);
  run->settings = self->settings;
  run->has_settings = self->has_settings;
  run->max_attempts = MAX (self->max_attempts, 1);
  run->base_delay_ms = self->base_delay_ms;
  run->max_delay_ms = MAX (self->max_delay_ms, self->base_delay_ms);
  run->page_size = self->page_size;
  run->batch_size = self->batch_size;
  run->step_func = self->step_func;
  run->step_data = self->step_data;
  g_mutex_unlock (&self->config_lock);
  return run;
}

typedef struct
{
  RhSyncEngine *engine;
  double        progress;
} ProgressUpdate;

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->engine);
  g_free (update);
}

static gboolean
set_progress_cb (gpointer data)
{
  ProgressUpdate *update = data;
  RhSyncEngine *self = update->engine;

  if (self->running && self->progress != update->progress)
    {
      self->progress = update->progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  return G_SOURCE_REMOVE;
}

/* The push is the first half of the way, the pull the second. */
static void
publish_progress (Run    *run,
                  double  fraction)
{
  ProgressUpdate *update;

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction - run->published < 0.01 && fraction < 1.0)
    return;
  run->published = fraction;

  update = g_new0 (ProgressUpdate, 1);
  update->engine = g_object_ref (run->engine);
  update->progress = fraction;
  g_main_context_invoke_full (run->engine->context, G_PRIORITY_DEFAULT, set_progress_cb,
                              update, progress_update_free);
}

static void
report_step (Run        *run,
             RhSyncStep  step,
             const char *detail)
{
  if (run->step_func != NULL)
    run->step_func (step, detail, run->step_data);
}

/* Waits, or less if @cancellable is cancelled. */
static gboolean
wait_ms (guint          ms,
         GCancellable  *cancellable,
         GError       **error)
{
  GPollFD fd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_poll (&fd, 1, ms);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Exponential, with jitter (half to all of it), never shorter than what
 * the server asked for. */
static guint
backoff_ms (Run    *run,
            guint   attempt,
            gint64  retry_after_ms)
{
  double delay = run->base_delay_ms;

  for (guint i = 1; i < attempt && delay < run->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, run->max_delay_ms);
  delay *= g_random_double_range (0.5, 1.0);
  return (guint) MAX (delay, (double) MAX (retry_after_ms, 0));
}

typedef gpointer (*RemoteCall) (Run      *run,
                                gpointer  args,
                                GError  **error);

/* A call to the server, tried again while it fails in a way that may
 * pass. A wait the server asks for that is longer than the engine would
 * wait ends the run: the next one is timed after it. */
static gpointer
with_retries (Run         *run,
              RemoteCall   call,
              gpointer     args,
              GError     **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      GError *local_error = NULL;
      gpointer result = call (run, args, &local_error);
      gint64 retry_after;

      if (result != NULL)
        return result;

      retry_after = rh_api_error_get_retry_after_ms (local_error);
      if (!rh_api_error_is_transient (local_error) || attempt >= run->max_attempts ||
          retry_after > (gint64) run->max_delay_ms)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }

      {
        guint delay = backoff_ms (run, attempt, retry_after);

        g_debug ("%s; trying again in %u ms", local_error->message, delay);
        g_error_free (local_error);
        run->summary.retries++;
        if (!wait_ms (delay, run->cancellable, error))
          return NULL;
      }
    }
}

static gboolean
begin (Run     *run,
       GError **error)
{
  return rh_store_begin (run->store, error);
}

/* Commits when @ok, else (or when the commit fails) rolls back. */
static gboolean
finish (Run      *run,
        gboolean  ok,
        GError  **error)
{
  if (ok && rh_store_commit (run->store, error))
    return TRUE;
  rh_store_rollback (run->store);
  return FALSE;
}

typedef struct
{
  const char *batch_id;
  GPtrArray  *changes;
} PushArgs;

static gpointer
call_push (Run      *run,
           gpointer  data,
           GError  **error)
{
  PushArgs *args = data;

  return rh_sync_remote_push (run->engine->remote,
                              rh_sync_repository_get_device_id (run->repo),
                              args->batch_id, args->changes, run->cancellable, error);
}

static gboolean push_changes (Run        *run,
                              GPtrArray  *changes,
                              GError    **error);

/* Rows the server will never take (too large alone, or refused as
 * invalid) are not offered again until they change: kept here, reported. */
static gboolean
give_up_on (Run           *run,
            RhSyncChange  *change,
            const GError  *why,
            GError       **error)
{
  gboolean ok;

  g_message ("The server refused a %s (%s); it stays on this device only",
             rh_sync_entity_to_string (change->entity), why->message);
  ok = begin (run, error) &&
       finish (run,
               rh_sync_repository_mark_pushed (run->repo, change, error) &&
               rh_sync_repository_clear_outbox (run->repo, error),
               error);
  if (ok)
    run->summary.rejected++;
  return ok;
}

/* Sends a batch already kept in the outbox, and stores what became of it. */
static gboolean
send_batch (Run         *run,
            const char  *batch_id,
            GPtrArray   *changes,
            GError     **error)
{
  g_autoptr(RhSyncPushAnswer) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  PushArgs args = { batch_id, changes };
  gboolean ok;

  answer = with_retries (run, call_push, &args, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, RH_API_ERROR, RH_API_ERROR_TOO_LARGE) ||
          g_error_matches (local_error, RH_API_ERROR, RH_API_ERROR_VALIDATION))
        {
          g_autoptr(GPtrArray) first = NULL;
          g_autoptr(GPtrArray) second = NULL;
          guint half = changes->len / 2;

          /* The batch was refused whole, so none of it applied: send it
           * again in halves, under new ids, down to the change at fault. */
          if (changes->len == 1)
            return give_up_on (run, changes->pdata[0], local_error, error);

          if (!begin (run, error) ||
              !finish (run, rh_sync_repository_clear_outbox (run->repo, error), error))
            return FALSE;
          first = g_ptr_array_new ();
          second = g_ptr_array_new ();
          for (guint i = 0; i < changes->len; i++)
            g_ptr_array_add (i < half ? first : second, changes->pdata[i]);
          return push_changes (run, first, error) && push_changes (run, second, error);
        }

      if (g_error_matches (local_error, RH_API_ERROR, RH_API_ERROR_CONFLICT) &&
          g_strcmp0 (rh_api_error_get_server_code (local_error), "batch_conflict") == 0)
        {
          /* Only another batch could have used this id: drop ours, its
           * rows are still pending and go in a new batch. */
          g_debug ("Batch %s was taken: %s", batch_id, local_error->message);
          return begin (run, error) &&
                 finish (run, rh_sync_repository_clear_outbox (run->repo, error), error);
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!begin (run, error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && i < answer->n_results; i++)
    {
      /* Rejected changes (too large for the server) are not offered
       * again either; applied and unchanged ones are accepted. */
      ok = rh_sync_repository_mark_pushed (run->repo, changes->pdata[i], error);
      if (answer->results[i].status == RH_SYNC_RESULT_REJECTED)
        {
          g_message ("The server refused a %s: %s",
                     rh_sync_entity_to_string (((RhSyncChange *) changes->pdata[i])->entity),
                     answer->results[i].message ? answer->results[i].message : "");
          run->summary.rejected++;
        }
      else
        run->summary.pushed++;
    }
  ok = ok && rh_sync_repository_clear_outbox (run->repo, error);
  if (!finish (run, ok, error))
    return FALSE;

  run->summary.batches++;
  run->pushed += changes->len;
  report_step (run, RH_SYNC_STEP_BATCH_DONE, batch_id);
  if (run->to_push > 0)
    publish_progress (run, 0.5 * MIN (1.0, (double) run->pushed / run->to_push));
  return TRUE;
}

/* Keeps @changes as a new batch, then sends it. */
static gboolean
push_changes (Run        *run,
              GPtrArray  *changes,
              GError    **error)
{
  g_autofree char *batch_id = rh_id_new ();

  if (!begin (run, error) ||
      !finish (run, rh_sync_repository_save_outbox (run->repo, batch_id, changes, error), error))
    return FALSE;
  report_step (run, RH_SYNC_STEP_BATCH_SAVED, batch_id);
  return send_batch (run, batch_id, changes, error);
}

static gboolean
push_all (Run     *run,
          GError **error)
{
  g_autofree char *position = NULL;
  g_autofree char *kept_id = NULL;
  g_autoptr(GPtrArray) kept = NULL;

  /* A batch whose answer never came goes first, as it was. */
  if (!rh_sync_repository_load_outbox (run->repo, &kept_id, &kept, error))
    return FALSE;
  if (kept_id != NULL)
    {
      g_debug ("Sending batch %s again", kept_id);
      report_step (run, RH_SYNC_STEP_BATCH_SAVED, kept_id);
      if (!send_batch (run, kept_id, kept, error))
        return FALSE;
    }

  if (!rh_sync_repository_count_pending (run->repo, &run->to_push, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = NULL;
      g_autofree char *next = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      changes = rh_sync_repository_list_pending (run->repo, position, run->batch_size,
                                                 BATCH_BYTES, &next, error);
      if (changes == NULL)
        return FALSE;
      if (changes->len > 0 && !push_changes (run, changes, error))
        return FALSE;
      if (next == NULL)
        break;
      g_free (position);
      position = g_steal_pointer (&next);
    }
  return TRUE;
}

typedef struct
{
  const char *cursor;
} PullArgs;

static gpointer
call_pull (Run      *run,
           gpointer  data,
           GError  **error)
{
  PullArgs *args = data;

  return rh_sync_remote_pull (run->engine->remote, args->cursor, run->page_size,
                              run->cancellable, error);
}

static gboolean
set_cursor (Run         *run,
            const char  *cursor,
            GError     **error)
{
  return begin (run, error) &&
         finish (run, rh_sync_repository_set_cursor (run->repo, cursor, error), error);
}

static gboolean
pull_all (Run     *run,
          GError **error)
{
  g_autofree char *cursor = NULL;
  gboolean restarted = FALSE;
  guint idle_pages = 0;

  if (!(cursor = rh_sync_repository_get_cursor (run->repo, error)))
    return FALSE;

  for (;;)
    {
      g_autoptr(RhSyncPage) page = NULL;
      g_autoptr(GError) local_error = NULL;
      RhSyncApplyStats stats = { 0 };
      PullArgs args = { cursor };
      gboolean ok;

      page = with_retries (run, call_pull, &args, &local_error);
      if (page == NULL)
        {
          /* The account's log is behind our cursor: it was reset. Pull
           * it all again; merging what we have changes nothing. */
          if (!restarted &&
              g_error_matches (local_error, RH_API_ERROR, RH_API_ERROR_CONFLICT) &&
              g_strcmp0 (rh_api_error_get_server_code (local_error), "cursor_invalid") == 0)
            {
              restarted = TRUE;
              g_free (cursor);
              cursor = g_strdup ("0");
              if (!set_cursor (run, cursor, error))
                return FALSE;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* The page and the cursor after it, together or not at all. */
      if (!begin (run, error))
        return FALSE;
      ok = rh_sync_repository_apply_changes (run->repo, page->changes, &stats, error) &&
           rh_sync_repository_set_cursor (run->repo, page->cursor, error);
      if (!finish (run, ok, error))
        return FALSE;

      run->summary.pulled += stats.applied;
      run->summary.unchanged += stats.unchanged;
      run->summary.conflicts += stats.conflicts;
      run->summary.skipped += stats.skipped;
      run->summary.reviews_added += stats.reviews_added;
      run->summary.pages++;
      report_step (run, RH_SYNC_STEP_PAGE_APPLIED, page->cursor);
      /* how far is not known: creep towards the end */
      publish_progress (run, 0.5 + 0.5 * (1.0 - 1.0 / (1.0 + run->summary.pages / 4.0)));

      if (!page->has_more)
        break;
      /* A server that says "more" without moving on would keep us here. */
      if (page->changes->len == 0 && g_strcmp0 (page->cursor, cursor) == 0)
        {
          if (++idle_pages >= 3)
            break;
        }
      else
        idle_pages = 0;
      g_free (cursor);
      cursor = g_strdup (page->cursor);
    }
  return TRUE;
}

/* Replays the reviews of the cards that got reviews from elsewhere. */
static gboolean
rebuild_cards (Run     *run,
               GError **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) ids = NULL;
      gboolean ok = TRUE;

      if (!(ids = rh_sync_repository_list_cards_to_rebuild (run->repo, REBUILD_CHUNK, error)))
        return FALSE;
      if (ids->len == 0)
        return TRUE;

      if (!begin (run, error))
        return FALSE;
      for (guint i = 0; ok && i < ids->len; i++)
        {
          g_autoptr(GError) local_error = NULL;

          /* A card that is deleted (or not arrived yet) has no state to
           * show; it is rebuilt when it comes back. */
          if (!rh_collection_rebuild_card (run->collection, ids->pdata[i], NULL, &local_error) &&
              !g_error_matches (local_error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              ok = FALSE;
              break;
            }
          ok = rh_sync_repository_forget_card_to_rebuild (run->repo, ids->pdata[i], error);
          if (local_error == NULL)
            run->summary.cards_rebuilt++;
        }
      if (!finish (run, ok, error))
        return FALSE;
    }
}

/* The collection belongs to one account: the first that syncs it. */
static gboolean
check_account (Run     *run,
               GError **error)
{
  g_autofree char *account = rh_sync_remote_dup_account_id (run->engine->remote);
  g_autofree char *bound = NULL;
  g_autoptr(GError) local_error = NULL;

  if (account == NULL)
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_SIGNED_OUT, _("Sign in to sync"));
      return FALSE;
    }

  bound = rh_sync_repository_get_account (run->repo, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (bound == NULL)
    return begin (run, error) &&
           finish (run, rh_sync_repository_set_account (run->repo, account, error), error);
  if (g_strcmp0 (bound, account) != 0)
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_WRONG_ACCOUNT,
                   _("This collection belongs to another account: it cannot be synced with "
                     "this one"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_sync (Run     *run,
          GError **error)
{
  RhSyncEngine *self = run->engine;
  g_autoptr(GError) local_error = NULL;
  gboolean changed = FALSE;

  if (!self->open_func (self->open_data, &run->collection, &run->repo, error))
    return FALSE;
  g_return_val_if_fail (RH_IS_COLLECTION (run->collection), FALSE);
  g_return_val_if_fail (RH_IS_SYNC_REPOSITORY (run->repo), FALSE);
  run->store = rh_collection_get_repositories (run->collection)->store;

  /* The states are replayed with the learner's settings, as the app
   * would compute them. */
  if (run->has_settings &&
      !rh_collection_set_study_settings (run->collection, &run->settings, error))
    return FALSE;

  if (!check_account (run, error) ||
      /* left over from a sync that stopped half-way */
      !rebuild_cards (run, error) ||
      !push_all (run, error) ||
      !pull_all (run, error))
    return FALSE;

  {
    RhSyncApplyStats stats = { 0 };

    if (!begin (run, error) ||
        !finish (run, rh_sync_repository_settle (run->repo, &stats, &changed, error), error))
      return FALSE;
    run->summary.conflicts += stats.conflicts;
  }

  /* What the merge changed here (a deck renamed or brought back) goes
   * out now rather than with the next sync. */
  if (changed && !push_all (run, error))
    return FALSE;

  if (!rebuild_cards (run, error))
    return FALSE;

  run->summary.finished = g_get_real_time ();
  if (!begin (run, error) ||
      !finish (run,
               rh_sync_repository_set_last_synced (run->repo, run->summary.finished, error),
               error))
    return FALSE;

  publish_progress (run, 1.0);
  return TRUE;
}

/* ---- the main context's side ---- */

static void schedule_retry (RhSyncEngine *self);
static void start_run      (RhSyncEngine *self);

static void
set_state (RhSyncEngine *self,
           RhSyncState   state,
           const char   *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_progress (RhSyncEngine *self,
              double        progress)
{
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
}

static gboolean
begin_run_cb (gpointer data)
{
  RhSyncEngine *self = data;

  self->running = TRUE;
  set_progress (self, 0.0);
  set_state (self, RH_SYNC_STATE_SYNCING, NULL);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RhSyncEngine  *engine;
  RhSyncSummary *summary;
  GError        *error;
} RunEnd;

static void
run_end_free (gpointer data)
{
  RunEnd *end = data;

  g_object_unref (end->engine);
  g_free (end->summary);
  g_clear_error (&end->error);
  g_free (end);
}

static gboolean
needs_the_learner (const GError *error)
{
  return error->domain == RH_AUTH_ERROR ||
         g_error_matches (error, RH_SYNC_ERROR, RH_SYNC_ERROR_SIGNED_OUT) ||
         g_error_matches (error, RH_SYNC_ERROR, RH_SYNC_ERROR_WRONG_ACCOUNT) ||
         g_error_matches (error, RH_API_ERROR, RH_API_ERROR_UNAUTHORIZED);
}

static gboolean
end_run_cb (gpointer data)
{
  RunEnd *end = data;
  RhSyncEngine *self = end->engine;

  self->running = FALSE;
  g_object_freeze_notify (G_OBJECT (self));

  if (end->error == NULL)
    {
      self->failures = 0;
      self->last_summary = *end->summary;
      self->last_synced = end->summary->finished;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      set_progress (self, 1.0);
      set_state (self, RH_SYNC_STATE_SYNCED, NULL);
    }
  else if (g_error_matches (end->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, self->last_synced > 0 ? RH_SYNC_STATE_SYNCED : RH_SYNC_STATE_IDLE, NULL);
  else if (g_error_matches (end->error, RH_API_ERROR, RH_API_ERROR_NETWORK))
    {
      self->failures++;
      set_state (self, RH_SYNC_STATE_OFFLINE,
                 _("Offline: your changes are kept and synced when the network is back"));
      schedule_retry (self);
    }
  else
    {
      self->failures++;
      set_state (self, RH_SYNC_STATE_ERROR, end->error->message);
      if (!needs_the_learner (end->error))
        schedule_retry (self);
    }

  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, end->error ? NULL : end->summary, end->error);

  if (self->again && self->started)
    {
      self->again = FALSE;
      start_run (self);
    }
  return G_SOURCE_REMOVE;
}

/* Runs one sync in the calling thread; the state changes on the main
 * context. */
static gboolean
run_blocking (RhSyncEngine   *self,
              GCancellable   *cancellable,
              RhSyncSummary  *out_summary,
              GError        **error)
{
  g_autoptr(Run) run = NULL;
  RunEnd *end;
  gboolean ok;

  if (!g_mutex_trylock (&self->run_lock))
    {
      g_set_error (error, RH_SYNC_ERROR, RH_SYNC_ERROR_BUSY, _("A sync is already running"));
      return FALSE;
    }

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, begin_run_cb,
                              g_object_ref (self), g_object_unref);

  run = run_new (self, cancellable);
  ok = run_sync (run, error);
  if (ok && out_summary != NULL)
    *out_summary = run->summary;

  /* the connection is closed before the next run may start */
  g_clear_object (&run->repo);
  g_clear_object (&run->collection);
  g_mutex_unlock (&self->run_lock);

  end = g_new0 (RunEnd, 1);
  end->engine = g_object_ref (self);
  end->summary = g_memdup2 (&run->summary, sizeof run->summary);
  if (!ok && error != NULL && *error != NULL)
    end->error = g_error_copy (*error);
  else if (!ok)
    end->error = g_error_new_literal (RH_SYNC_ERROR, RH_SYNC_ERROR_FAILED,
                                      _("The sync failed"));
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, end_run_cb, end,
                              run_end_free);
  return ok;
}

/**
 * rh_sync_engine_sync:
 * @out_summary: (out caller-allocates) (optional): what it did
 *
 * Syncs once, blocking the calling thread (the command line, tests).
 * The app uses rh_sync_engine_sync_async() or the triggers.
 */
gboolean
rh_sync_engine_sync (RhSyncEngine   *self,
                     RhSyncSummary  *out_summary,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), FALSE);

  return run_blocking (self, cancellable, out_summary, error);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RhSyncEngine *self = source_object;
  RhSyncSummary summary = { 0 };
  GError *error = NULL;

  if (run_blocking (self, cancellable, &summary, &error))
    g_task_return_pointer (task, g_memdup2 (&summary, sizeof summary), g_free);
  else
    g_task_return_error (task, error);
}

/**
 * rh_sync_engine_sync_async:
 *
 * Syncs once in a worker thread.
 */
void
rh_sync_engine_sync_async (RhSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rh_sync_engine_sync_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, sync_thread);
}

/**
 * rh_sync_engine_sync_finish:
 * @out_summary: (out caller-allocates) (optional): what it did
 */
gboolean
rh_sync_engine_sync_finish (RhSyncEngine   *self,
                            GAsyncResult   *result,
                            RhSyncSummary  *out_summary,
                            GError        **error)
{
  g_autofree RhSyncSummary *summary = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rh_sync_engine_sync_async,
                        FALSE);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  if (summary == NULL)
    return FALSE;
  if (out_summary != NULL)
    *out_summary = *summary;
  return TRUE;
}

static void
triggered_sync_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  RhSyncEngine *self = RH_SYNC_ENGINE (object);

  /* end_run_cb has shown the outcome already, except when another sync
   * (a blocking one) held the collection: then this one never started,
   * and it is tried again shortly. */
  if (!rh_sync_engine_sync_finish (self, result, NULL, &error))
    {
      g_debug ("Sync failed: %s", error->message);
      if (g_error_matches (error, RH_SYNC_ERROR, RH_SYNC_ERROR_BUSY))
        {
          self->running = FALSE;
          if (self->started)
            rh_sync_engine_schedule_sync (self, 5);
        }
    }
}

static void
start_run (RhSyncEngine *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* running is set now, not when the thread starts, so that a second
   * request meanwhile is folded into this one */
  self->running = TRUE;
  rh_sync_engine_sync_async (self, self->cancellable, triggered_sync_cb, NULL);
}

/**
 * rh_sync_engine_request_sync:
 *
 * Syncs now (on demand, after a study session): in the background, and
 * once more after the current sync if one is running.
 */
void
rh_sync_engine_request_sync (RhSyncEngine *self)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->schedule_id, g_source_remove);
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  start_run (self);
}

static gboolean
scheduled_cb (gpointer data)
{
  RhSyncEngine *self = data;

  self->schedule_id = 0;
  rh_sync_engine_request_sync (self);
  return G_SOURCE_REMOVE;
}

/**
 * rh_sync_engine_schedule_sync:
 * @delay_seconds: how long to wait
 *
 * Syncs after a while, once for any number of requests meanwhile: for
 * changes that come in bursts.
 */
void
rh_sync_engine_schedule_sync (RhSyncEngine *self,
                              guint         delay_seconds)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  if (self->schedule_id != 0)
    return;
  self->schedule_id = g_timeout_add_seconds (delay_seconds, scheduled_cb, self);
}

static gboolean
retry_cb (gpointer data)
{
  RhSyncEngine *self = data;

  self->retry_id = 0;
  rh_sync_engine_request_sync (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (RhSyncEngine *self)
{
  guint delay = RETRY_FIRST_S;

  if (!self->started)
    return;
  for (guint i = 1; i < self->failures && delay < RETRY_MAX_S; i++)
    delay *= 2;
  delay = MIN (delay, RETRY_MAX_S);
  delay = (guint) (delay * g_random_double_range (0.75, 1.0));
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_seconds (MAX (delay, 1), retry_cb, self);
}

static gboolean
periodic_cb (gpointer data)
{
  RhSyncEngine *self = data;

  rh_sync_engine_request_sync (self);
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    RhSyncEngine    *self)
{
  if (available && self->started && !self->running &&
      (self->state == RH_SYNC_STATE_OFFLINE || self->state == RH_SYNC_STATE_ERROR))
    {
      g_debug ("The network is back: syncing");
      rh_sync_engine_request_sync (self);
    }
}

static void
restart_periodic (RhSyncEngine *self)
{
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  if (self->started && self->interval > 0)
    self->periodic_id = g_timeout_add_seconds (self->interval, periodic_cb, self);
}

/**
 * rh_sync_engine_start:
 *
 * Syncs now, then every few minutes (#RhSyncEngine:interval), and when
 * the network comes back after the server could not be reached. Call it
 * on the main context the engine was made in.
 */
void
rh_sync_engine_start (RhSyncEngine *self)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  restart_periodic (self);
  self->network_handler = g_signal_connect_object (g_network_monitor_get_default (),
                                                   "network-changed",
                                                   G_CALLBACK (network_changed_cb), self, 0);
  rh_sync_engine_request_sync (self);
}

/**
 * rh_sync_engine_stop:
 *
 * No more automatic syncs; a running one is cancelled (what it stored so
 * far stays: the next sync goes on from there).
 */
void
rh_sync_engine_stop (RhSyncEngine *self)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  self->again = FALSE;
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- the object ---- */

static void
rh_sync_engine_dispose (GObject *object)
{
  RhSyncEngine *self = RH_SYNC_ENGINE (object);

  rh_sync_engine_stop (self);

  G_OBJECT_CLASS (rh_sync_engine_parent_class)->dispose (object);
}

static void
rh_sync_engine_finalize (GObject *object)
{
  RhSyncEngine *self = RH_SYNC_ENGINE (object);

  if (self->open_destroy != NULL)
    self->open_destroy (self->open_data);
  g_clear_object (&self->remote);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->message);
  g_mutex_clear (&self->config_lock);
  g_mutex_clear (&self->run_lock);

  G_OBJECT_CLASS (rh_sync_engine_parent_class)->finalize (object);
}

static void
rh_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RhSyncEngine *self = RH_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_sync_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RhSyncEngine *self = RH_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      rh_sync_engine_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_sync_engine_class_init (RhSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rh_sync_engine_dispose;
  object_class->finalize = rh_sync_engine_finalize;
  object_class->get_property = rh_sync_engine_get_property;
  object_class->set_property = rh_sync_engine_set_property;

  /**
   * RhSyncEngine:state:
   *
   * Synced, syncing, offline, or failed.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, RH_TYPE_SYNC_STATE, RH_SYNC_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RhSyncEngine:progress:
   *
   * How far the running sync is, 0 to 1.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RhSyncEngine:message:
   *
   * Why the last sync failed, or is waiting (nullable), to show as it is.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RhSyncEngine:last-synced:
   *
   * When the last sync finished (µs since the epoch), 0 for not yet.
   */
  properties[PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RhSyncEngine:interval:
   *
   * Seconds between automatic syncs while started; 0 for none.
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, 24 * 3600, DEFAULT_INTERVAL_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RhSyncEngine::finished:
   * @summary: (nullable): what the sync did, when it worked
   * @error: (nullable): why it failed
   *
   * A sync ended; the properties are up to date.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2,
                  RH_TYPE_SYNC_SUMMARY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rh_sync_engine_init (RhSyncEngine *self)
{
  g_mutex_init (&self->config_lock);
  g_mutex_init (&self->run_lock);
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->batch_size = RH_SYNC_MAX_BATCH;
  self->interval = DEFAULT_INTERVAL_S;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * rh_sync_engine_new:
 * @remote: the sync API, acting for the signed-in account
 * @open_func: opens that account's collection for a sync (in the thread
 *   that syncs)
 *
 * The engine's properties change on the calling thread's main context.
 *
 * Returns: (transfer full): the engine, stopped
 */
RhSyncEngine *
rh_sync_engine_new (RhSyncRemote   *remote,
                    RhSyncOpenFunc  open_func,
                    gpointer        user_data,
                    GDestroyNotify  destroy)
{
  RhSyncEngine *self;

  g_return_val_if_fail (RH_IS_SYNC_REMOTE (remote), NULL);
  g_return_val_if_fail (open_func != NULL, NULL);

  self = g_object_new (RH_TYPE_SYNC_ENGINE, NULL);
  self->remote = g_object_ref (remote);
  self->open_func = open_func;
  self->open_data = user_data;
  self->open_destroy = destroy;
  return self;
}

/**
 * rh_sync_engine_set_study_settings:
 *
 * The settings card states are replayed with after reviews arrive: the
 * learner's, as the app uses them.
 */
void
rh_sync_engine_set_study_settings (RhSyncEngine          *self,
                                   const RhStudySettings *settings)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));
  g_return_if_fail (settings != NULL);

  g_mutex_lock (&self->config_lock);
  self->settings = *settings;
  self->has_settings = TRUE;
  g_mutex_unlock (&self->config_lock);
}

/**
 * rh_sync_engine_set_retry_policy:
 * @max_attempts: tries of one request before the sync gives up
 * @base_delay_ms: the first wait; each next one doubles
 * @max_delay_ms: the longest wait
 */
void
rh_sync_engine_set_retry_policy (RhSyncEngine *self,
                                 guint         max_attempts,
                                 guint         base_delay_ms,
                                 guint         max_delay_ms)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->config_lock);
  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = max_delay_ms;
  g_mutex_unlock (&self->config_lock);
}

/**
 * rh_sync_engine_set_page_size:
 * @page_size: changes asked for per pull, 1–1000
 */
void
rh_sync_engine_set_page_size (RhSyncEngine *self,
                              guint         page_size)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));
  g_return_if_fail (page_size >= 1 && page_size <= 1000);

  g_mutex_lock (&self->config_lock);
  self->page_size = page_size;
  g_mutex_unlock (&self->config_lock);
}

/**
 * rh_sync_engine_set_batch_size:
 * @batch_size: changes per push, 1–100
 */
void
rh_sync_engine_set_batch_size (RhSyncEngine *self,
                               guint         batch_size)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));
  g_return_if_fail (batch_size >= 1 && batch_size <= RH_SYNC_MAX_BATCH);

  g_mutex_lock (&self->config_lock);
  self->batch_size = batch_size;
  g_mutex_unlock (&self->config_lock);
}

/**
 * rh_sync_engine_set_step_func:
 * @func: (nullable): called at each step, in the thread that syncs
 */
void
rh_sync_engine_set_step_func (RhSyncEngine   *self,
                              RhSyncStepFunc  func,
                              gpointer        user_data)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->config_lock);
  self->step_func = func;
  self->step_data = user_data;
  g_mutex_unlock (&self->config_lock);
}

RhSyncState
rh_sync_engine_get_state (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), RH_SYNC_STATE_IDLE);
  return self->state;
}

double
rh_sync_engine_get_progress (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), 0.0);
  return self->progress;
}

/**
 * rh_sync_engine_get_message:
 *
 * Returns: (nullable): why the last sync failed or waits
 */
const char *
rh_sync_engine_get_message (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), NULL);
  return self->message;
}

gint64
rh_sync_engine_get_last_synced (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), 0);
  return self->last_synced;
}

/**
 * rh_sync_engine_get_last_summary:
 *
 * Returns: (nullable): what the last successful sync did
 */
const RhSyncSummary *
rh_sync_engine_get_last_summary (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), NULL);
  return self->last_synced > 0 ? &self->last_summary : NULL;
}

guint
rh_sync_engine_get_interval (RhSyncEngine *self)
{
  g_return_val_if_fail (RH_IS_SYNC_ENGINE (self), 0);
  return self->interval;
}

void
rh_sync_engine_set_interval (RhSyncEngine *self,
                             guint         seconds)
{
  g_return_if_fail (RH_IS_SYNC_ENGINE (self));

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  restart_periodic (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}
