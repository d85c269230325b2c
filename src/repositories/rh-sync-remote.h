// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "rh-sync-change.h"

G_BEGIN_DECLS

#define RH_API_ERROR (rh_api_error_quark ())

/**
 * RhApiError:
 * @RH_API_ERROR_UNAUTHORIZED: the server refused the token, even a fresh one
 * @RH_API_ERROR_RATE_LIMITED: too many requests: retry after
 *   rh_api_error_get_retry_after_ms()
 * @RH_API_ERROR_SERVER: the server failed (5xx): retry later
 * @RH_API_ERROR_NETWORK: the server could not be reached, or the
 *   connection broke: retry when the network is back
 * @RH_API_ERROR_INVALID_RESPONSE: the server's answer is malformed or
 *   breaks the contract; nothing of it was used
 * @RH_API_ERROR_CONFLICT: 409: see rh_api_error_get_server_code()
 *   (batch_conflict, batch_in_progress, cursor_invalid, version_conflict)
 * @RH_API_ERROR_TOO_LARGE: 413: the batch or the body is too large
 * @RH_API_ERROR_VALIDATION: 400: the server refused the request as invalid
 *
 * How a call to the sync API failed. Errors of this domain carry the
 * server's error code and its Retry-After, when it sent them.
 */
typedef enum
{
  RH_API_ERROR_UNAUTHORIZED,
  RH_API_ERROR_RATE_LIMITED,
  RH_API_ERROR_SERVER,
  RH_API_ERROR_NETWORK,
  RH_API_ERROR_INVALID_RESPONSE,
  RH_API_ERROR_CONFLICT,
  RH_API_ERROR_TOO_LARGE,
  RH_API_ERROR_VALIDATION,
} RhApiError;

GQuark      rh_api_error_quark              (void);
void        rh_api_error_set                (GError       **error,
                                             RhApiError     code,
                                             const char    *server_code,
                                             gint64         retry_after_ms,
                                             const char    *format,
                                             ...) G_GNUC_PRINTF (5, 6);
gint64      rh_api_error_get_retry_after_ms (const GError  *error);
const char *rh_api_error_get_server_code    (const GError  *error);
gboolean    rh_api_error_is_transient       (const GError  *error);

/**
 * RhSyncResultStatus:
 * @RH_SYNC_RESULT_APPLIED: something in the change won and was logged
 * @RH_SYNC_RESULT_UNCHANGED: the server already had it, or newer
 * @RH_SYNC_RESULT_REJECTED: not applied (too large, or a review that
 *   contradicts the stored one); it never will be
 */
typedef enum
{
  RH_SYNC_RESULT_APPLIED,
  RH_SYNC_RESULT_UNCHANGED,
  RH_SYNC_RESULT_REJECTED,
} RhSyncResultStatus;

/**
 * RhSyncPushResult:
 * @status: what became of the change
 * @seq: with %RH_SYNC_RESULT_APPLIED, its place in the log
 * @code: (nullable): with %RH_SYNC_RESULT_REJECTED, why ("too_large")
 * @message: (nullable): the server's words
 */
typedef struct
{
  RhSyncResultStatus  status;
  gint64              seq;
  char               *code;
  char               *message;
} RhSyncPushResult;

/**
 * RhSyncPushAnswer:
 * @applied: how many results are %RH_SYNC_RESULT_APPLIED
 * @results: (array length=n_results): one per change, in the batch's order
 * @n_results: how many
 * @cursor: the log's position when the batch finished (not a pull cursor)
 */
typedef struct
{
  guint             applied;
  RhSyncPushResult *results;
  guint             n_results;
  char             *cursor;
} RhSyncPushAnswer;

void rh_sync_push_answer_free (RhSyncPushAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSyncPushAnswer, rh_sync_push_answer_free)

/**
 * RhSyncPage:
 * @changes: (element-type RhSyncChange): the changes, in the log's order
 * @cursor: where the next pull starts
 * @has_more: whether more changes are ready now
 */
typedef struct
{
  GPtrArray *changes;
  char      *cursor;
  gboolean   has_more;
} RhSyncPage;

void rh_sync_page_free (RhSyncPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSyncPage, rh_sync_page_free)

/**
 * RhSyncProfileFields:
 *
 * Which settings of an #RhSyncProfile a put changes.
 */
typedef enum
{
  RH_SYNC_PROFILE_DISPLAY_NAME      = 1 << 0,
  RH_SYNC_PROFILE_NEW_PER_DAY       = 1 << 1,
  RH_SYNC_PROFILE_REVIEWS_PER_DAY   = 1 << 2,
  RH_SYNC_PROFILE_DESIRED_RETENTION = 1 << 3,
  RH_SYNC_PROFILE_ROLLOVER_HOUR     = 1 << 4,
} RhSyncProfileFields;

/**
 * RhSyncProfile:
 * @user_id: the account
 * @display_name: (nullable): the learner's name
 * @new_per_day: new cards a day
 * @reviews_per_day: reviews a day
 * @desired_retention: 0.7–0.99
 * @rollover_hour: the local hour a study day starts
 * @version: 0 until first written, then one more with every write
 *
 * The learner's profile on the server.
 */
typedef struct
{
  char   *user_id;
  char   *display_name;
  int     new_per_day;
  int     reviews_per_day;
  double  desired_retention;
  int     rollover_hour;
  gint64  version;
} RhSyncProfile;

void rh_sync_profile_free (RhSyncProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RhSyncProfile, rh_sync_profile_free)

#define RH_TYPE_SYNC_REMOTE (rh_sync_remote_get_type ())

G_DECLARE_INTERFACE (RhSyncRemote, rh_sync_remote, RH, SYNC_REMOTE, GObject)

/**
 * RhSyncRemoteInterface:
 * @dup_account_id: (nullable): the account the calls act for (the signed-in
 *   learner), or %NULL when nobody is signed in
 * @push: sends one batch (at most %RH_SYNC_MAX_BATCH changes); the same
 *   @batch_id with the same changes gets the same answer and applies once
 * @pull: the changes after @cursor, at most @limit
 * @get_profile: the profile
 * @put_profile: changes the settings named by @fields; with
 *   @expected_version >= 0 only if the stored profile is at that version
 *
 * The sync API as the use cases see it. Every call blocks: run it in a
 * worker thread. Failures are #RH_API_ERROR errors (or the token source's
 * #RH_AUTH_ERROR, or %G_IO_ERROR_CANCELLED).
 */
struct _RhSyncRemoteInterface
{
  GTypeInterface parent_iface;

  char             *(*dup_account_id) (RhSyncRemote         *self);
  RhSyncPushAnswer *(*push)           (RhSyncRemote         *self,
                                       const char           *device_id,
                                       const char           *batch_id,
                                       GPtrArray            *changes,
                                       GCancellable         *cancellable,
                                       GError              **error);
  RhSyncPage       *(*pull)           (RhSyncRemote         *self,
                                       const char           *cursor,
                                       guint                 limit,
                                       GCancellable         *cancellable,
                                       GError              **error);
  RhSyncProfile    *(*get_profile)    (RhSyncRemote         *self,
                                       GCancellable         *cancellable,
                                       GError              **error);
  RhSyncProfile    *(*put_profile)    (RhSyncRemote         *self,
                                       const RhSyncProfile  *profile,
                                       RhSyncProfileFields   fields,
                                       gint64                expected_version,
                                       GCancellable         *cancellable,
                                       GError              **error);
};

char             *rh_sync_remote_dup_account_id (RhSyncRemote         *self);
RhSyncPushAnswer *rh_sync_remote_push           (RhSyncRemote         *self,
                                                 const char           *device_id,
                                                 const char           *batch_id,
                                                 GPtrArray            *changes,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
RhSyncPage       *rh_sync_remote_pull           (RhSyncRemote         *self,
                                                 const char           *cursor,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
RhSyncProfile    *rh_sync_remote_get_profile    (RhSyncRemote         *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
RhSyncProfile    *rh_sync_remote_put_profile    (RhSyncRemote         *self,
                                                 const RhSyncProfile  *profile,
                                                 RhSyncProfileFields   fields,
                                                 gint64                expected_version,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

G_END_DECLS
