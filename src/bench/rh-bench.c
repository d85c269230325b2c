// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * rehearse-bench: builds a 100,000-card collection in 20 decks and prints
 * how long the things a learner waits for take. Run on demand:
 *
 *   ./build/src/bench/rehearse-bench [--cards N] [--keep DIR] [--gui PATH] [--import-only]
 */
#define G_LOG_DOMAIN "rh-bench"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rh-composition.h"
#include "rh-csv-reader.h"
#include "rh-id.h"
#include "rh-time.h"

static int n_cards = 100000;
static int n_answers = 10000;
static char *keep_dir;
static char *gui_path;
static gboolean import_only;

static GOptionEntry entries[] = {
  { "cards", 0, 0, G_OPTION_ARG_INT, &n_cards, "Cards in the collection (default 100000)", "N" },
  { "answers", 0, 0, G_OPTION_ARG_INT, &n_answers, "Answers to time (default 10000)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Keep the collection in DIR", "DIR" },
  { "gui", 0, 0, G_OPTION_ARG_FILENAME, &gui_path,
    "Measure the GUI's first frame with this rehearse binary", "PATH" },
  { "import-only", 0, 0, G_OPTION_ARG_NONE, &import_only,
    "Measure only the CSV import against raw sqlite3", NULL },
  { NULL }
};

static gint64 bench_now;

static gint64
bench_clock (gpointer data)
{
  return bench_now;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static const char *words[] = {
  "house", "river", "green", "table", "window", "mountain", "bread", "coffee", "letter",
  "garden", "yellow", "friend", "market", "summer", "winter", "station", "teacher", "doctor",
  "kitchen", "morning", "evening", "village", "bottle", "camera", "forest", "island", "pencil",
};

static char *
make_text (guint i,
           guint salt)
{
  return g_strdup_printf ("%s %s %u", words[(i * 7 + salt) % G_N_ELEMENTS (words)],
                          words[(i / 3 + salt * 5) % G_N_ELEMENTS (words)], i);
}

static GString *
make_csv (int n)
{
  GString *csv = g_string_new ("front,back,tags,deck\n");

  for (int i = 0; i < n; i++)
    {
      g_autofree char *front = make_text (i, 1);
      g_autofree char *back = make_text (i, 2);
      g_string_append_printf (csv, "%s,%s,bench,Deck %02d\n", front, back, i % 20);
    }
  return csv;
}

static double
raw_sqlite_insert (const char *dir,
                   int         n)
{
  g_autofree char *path = g_build_filename (dir, "raw.sqlite3", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode=WAL; CREATE TABLE cards (id TEXT PRIMARY KEY,"
                    " deck TEXT, front TEXT, back TEXT, tags TEXT)", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO cards VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = rh_id_new ();
      g_autofree char *front = make_text (i, 1);
      g_autofree char *back = make_text (i, 2);
      g_autofree char *deck = g_strdup_printf ("Deck %02d", i % 20);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, deck, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, front, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, back, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, "bench", -1, SQLITE_STATIC);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return ms_since (start);
}

/* The same rows into the collection's own schema (stamps, indexes and
 * the search index), straight through sqlite3: what the import costs
 * beyond SQLite itself. */
static double
raw_sqlite_same_schema (const char *dir,
                        int         n)
{
  g_autofree char *path = g_build_filename (dir, "raw-schema.rehearse", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhCollection) coll = NULL;
  g_autofree char **deck_ids = g_new0 (char *, 20);
  sqlite3 *db = NULL;
  sqlite3_stmt *card = NULL;
  sqlite3_stmt *fts = NULL;
  const char *stamp = "0193a1b2c3d4-0001-5a6b7c8d9e0f";
  gint64 start;

  g_unlink (path);
  coll = rh_composition_open (path, FALSE, &error);
  g_assert_no_error (error);
  for (int d = 0; d < 20; d++)
    {
      g_autofree char *name = g_strdup_printf ("Deck %02d", d);
      g_autoptr(RhDeck) deck = rh_collection_create_deck (coll, name, &error);
      g_assert_no_error (error);
      deck_ids[d] = g_strdup (rh_deck_get_id (deck));
    }
  g_clear_object (&coll);

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO cards (id, deck_id, front, back, tags, created, modified,"
                          " front_hlc, back_hlc, notes_hlc, example_hlc, tags_hlc, deck_hlc, due)"
                          " VALUES (?1, ?2, ?3, ?4, 'bench', ?5, ?5, ?6, ?6, ?6, ?6, ?6, ?6, ?5)",
                      -1, &card, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO cards_fts (rowid, front, back, tags) VALUES (?1, ?2, ?3,"
                          " 'bench')", -1, &fts, NULL);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = rh_id_new ();
      g_autofree char *front = make_text (i, 1);
      g_autofree char *back = make_text (i, 2);
      sqlite3_bind_text (card, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (card, 2, deck_ids[i % 20], -1, SQLITE_STATIC);
      sqlite3_bind_text (card, 3, front, -1, SQLITE_STATIC);
      sqlite3_bind_text (card, 4, back, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (card, 5, g_get_real_time ());
      sqlite3_bind_text (card, 6, stamp, -1, SQLITE_STATIC);
      sqlite3_step (card);
      sqlite3_reset (card);
      sqlite3_bind_int64 (fts, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (fts, 2, front, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, back, -1, SQLITE_STATIC);
      sqlite3_step (fts);
      sqlite3_reset (fts);
    }
  sqlite3_finalize (card);
  sqlite3_finalize (fts);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  for (int d = 0; d < 20; d++)
    g_free (deck_ids[d]);
  return ms_since (start);
}

/* Imports n_cards CSV rows into a fresh collection, then inserts the same
 * rows with sqlite3 alone, and prints the ratio. */
static void
measure_import (const char *dir)
{
  g_autofree char *ipath = g_build_filename (dir, "import.rehearse", NULL);
  g_autoptr(GString) csv = make_csv (n_cards);
  g_autoptr(GBytes) bytes = g_bytes_new (csv->str, csv->len);
  g_autoptr(RhImportData) data = NULL;
  g_autoptr(RhCollection) target = NULL;
  g_autoptr(GError) error = NULL;
  RhImportResult result;
  RhCsvOptions options;
  double parse_ms, import_ms, raw_ms, same_ms;
  gint64 start;

  g_unlink (ipath);
  target = rh_composition_open (ipath, FALSE, &error);
  g_assert_no_error (error);
  rh_csv_options_init (&options);
  start = g_get_monotonic_time ();
  data = rh_csv_read_bytes (bytes, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  parse_ms = ms_since (start);
  g_assert_true (rh_collection_import (target, data, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  import_ms = ms_since (start);
  printf ("import_csv_ms: %.1f (%u cards; parsing %.1f)\n", import_ms, result.added, parse_ms);

  raw_ms = raw_sqlite_insert (dir, n_cards);
  printf ("raw_sqlite_insert_ms: %.1f\n", raw_ms);
  printf ("import_vs_raw_ratio: %.2f\n", import_ms / raw_ms);
  same_ms = raw_sqlite_same_schema (dir, n_cards);
  printf ("raw_sqlite_same_schema_ms: %.1f\n", same_ms);
  printf ("import_vs_same_schema_ratio: %.2f\n", import_ms / same_ms);
  /* what SQLite alone pays for the schema's stamps, indexes and search
   * index, against the bare table */
  printf ("same_schema_vs_raw_ratio: %.2f\n", same_ms / raw_ms);
}

/* Runs the app until its first frame, @runs times, and returns the median
 * of the times it printed (-1 when it could not run). */
static double
first_frame_median (const char *path,
                    char      **env,
                    const char *label,
                    int         runs)
{
  g_autofree double *times = g_new0 (double, runs);
  const char *argv[] = { path, NULL };
  int n = 0;

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      int status = 0;
      const char *line;
      gint64 spawned = g_get_monotonic_time ();

      if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                         NULL, &status, &error))
        {
          printf ("%s: failed (%s)\n", label, error->message);
          return -1;
        }
      /* From the spawn, to the microsecond; the app's own figure counts
       * from a process start it knows only to 10 ms. */
      if ((line = out ? strstr (out, "first-frame-monotonic-us ") : NULL))
        times[n++] = (g_ascii_strtoll (line + strlen ("first-frame-monotonic-us "), NULL, 10) -
                      spawned) / 1000.0;
      else if ((line = out ? strstr (out, "first-frame-ms ") : NULL))
        times[n++] = g_ascii_strtod (line + strlen ("first-frame-ms "), NULL);
    }
  if (n == 0)
    {
      printf ("%s: no probe output\n", label);
      return -1;
    }
  qsort (times, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  printf ("%s: median %.0f, min %.0f, max %.0f (%d runs)\n", label,
          n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2, times[0], times[n - 1], n);
  return times[n / 2];
}

/* Removes @dir and the files in it (no subdirectories). */
static void
remove_flat_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* Starts a headless Wayland compositor on a socket of its own in
 * @runtime_dir, and waits until it listens. NULL, saying why, when
 * weston is not installed or does not come up. */
static GSubprocess *
start_weston (const char *runtime_dir,
              const char *socket_name)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) weston = NULL;
  g_autofree char *socket_path = g_build_filename (runtime_dir, socket_name, NULL);
  g_autofree char *socket_arg = g_strdup_printf ("--socket=%s", socket_name);
  g_autofree char *program = g_find_program_in_path ("weston");
  g_autoptr(GError) error = NULL;

  if (program == NULL)
    {
      printf ("startup_first_frame_ms_wayland: skipped (weston is not installed)\n");
      return NULL;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  weston = g_subprocess_launcher_spawn (launcher, &error, program, "--backend=headless-backend.so",
                                        socket_arg, "--width=1280", "--height=800",
                                        "--idle-time=0", NULL);
  if (weston == NULL)
    {
      printf ("startup_first_frame_ms_wayland: skipped (%s)\n", error->message);
      return NULL;
    }
  for (int i = 0; i < 100 && !g_file_test (socket_path, G_FILE_TEST_EXISTS); i++)
    g_usleep (50 * 1000);
  if (!g_file_test (socket_path, G_FILE_TEST_EXISTS))
    {
      printf ("startup_first_frame_ms_wayland: skipped (weston did not start)\n");
      g_subprocess_force_exit (weston);
      return NULL;
    }
  /* its shell's own clients start after the socket */
  g_usleep (500 * 1000);
  return g_steal_pointer (&weston);
}

/* The same first frame on Wayland, the session GNOME starts by default.
 * There GDK sets up OpenGL only for a renderer that draws with it, not
 * to pick the window's X visual at display open as on X11. */
static void
measure_wayland (const char *path,
                 char      **env)
{
  g_autofree char *runtime_dir = g_dir_make_tmp ("rehearse-bench-wl-XXXXXX", NULL);
  g_autoptr(GSubprocess) weston = NULL;
  g_auto(GStrv) wl_env = NULL;

  if (runtime_dir == NULL)
    return;
  g_chmod (runtime_dir, 0700);
  if ((weston = start_weston (runtime_dir, "rehearse-bench")) != NULL)
    {
      wl_env = g_environ_unsetenv (g_strdupv (env), "DISPLAY");
      wl_env = g_environ_setenv (wl_env, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
      wl_env = g_environ_setenv (wl_env, "WAYLAND_DISPLAY", "rehearse-bench", TRUE);
      wl_env = g_environ_setenv (wl_env, "GDK_BACKEND", "wayland", TRUE);
      first_frame_median (path, wl_env, "startup_warm_up_ms_wayland", 2);
      first_frame_median (path, wl_env, "startup_first_frame_ms_wayland", 9);
      g_subprocess_send_signal (weston, SIGTERM);
      g_subprocess_wait (weston, NULL, NULL);
    }
  remove_flat_dir (runtime_dir);
}

/* From process start to the first frame of the decks page, on the
 * collection just built. Under Xvfb, GTK's start includes setting up
 * Mesa's software OpenGL (llvmpipe), which a desktop with a graphics
 * driver does not pay for: the second figure leaves that out
 * (GDK_DEBUG=gl-disable), to show what is the app's own. */
static void
measure_gui (const char *path,
             const char *data_dir)
{
  g_auto(GStrv) env = g_get_environ ();
  g_auto(GStrv) env_no_gl = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("startup_first_frame_ms: skipped (no display; run under xvfb-run)\n");
      return;
    }

  env = g_environ_setenv (env, "REHEARSE_DATA_DIR", data_dir, TRUE);
  env = g_environ_setenv (env, "REHEARSE_STARTUP_PROBE", "1", TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  /* drawing with software OpenGL is no one's desktop: cairo, unless told */
  env = g_environ_setenv (env, "GSK_RENDERER", "cairo", FALSE);
  printf ("startup_renderer: %s\n", g_environ_getenv (env, "GSK_RENDERER"));
  env_no_gl = g_environ_setenv (g_strdupv (env), "GDK_DEBUG", "gl-disable", TRUE);
  /* the collections just written go to disk first, not during the runs;
   * the first runs read the files into the page cache */
  sync ();
  first_frame_median (path, env, "startup_warm_up_ms", 2);
  first_frame_median (path, env, "startup_first_frame_ms", 9);
  first_frame_median (path, env_no_gl, "startup_first_frame_ms_without_gl_setup", 9);
  measure_wayland (path, env);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) octx = g_option_context_new ("- Rehearse benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(RhCollection) coll = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *times = NULL;
  const RhRepositories *repos;
  struct rusage usage;
  RhStudySettings settings;
  gint64 start;
  double create_ms;

  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }

  dir = keep_dir ? g_strdup (keep_dir) : g_dir_make_tmp ("rehearse-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0700);
  path = g_build_filename (dir, "local.rehearse", NULL);
  g_unlink (path);

  printf ("cards: %d in 20 decks\n", n_cards);
  if (import_only)
    {
      measure_import (dir);
      goto out;
    }

  /* create: decks and cards through the repositories in one transaction */
  coll = rh_composition_open (path, FALSE, &error);
  g_assert_no_error (error);
  repos = rh_collection_get_repositories (coll);
  start = g_get_monotonic_time ();
  g_assert_true (rh_store_begin (repos->store, &error));
  {
    RhDeck *ids[20];
    for (int d = 0; d < 20; d++)
      {
        g_autofree char *name = g_strdup_printf ("Deck %02d", d);
        ids[d] = rh_collection_ensure_deck (coll, name, NULL, &error);
        g_assert_no_error (error);
      }
    for (int i = 0; i < n_cards; i++)
      {
        g_autofree char *front = make_text (i, 1);
        g_autofree char *back = make_text (i, 2);
        g_autofree char *id = rh_id_new ();
        g_autoptr(RhFlashcard) card = rh_flashcard_new_with_id (id, rh_deck_get_id (ids[i % 20]),
                                                               front, back,
                                                               g_get_real_time (), &error);
        g_assert_no_error (error);
        rh_card_repository_insert (repos->cards, card, &error);
        g_assert_no_error (error);
      }
    for (int d = 0; d < 20; d++)
      g_object_unref (ids[d]);
  }
  g_assert_true (rh_store_commit (repos->store, &error));
  create_ms = ms_since (start);
  printf ("create_ms: %.1f\n", create_ms);
  g_clear_object (&coll);

  /* open cold: a new process would do exactly this */
  start = g_get_monotonic_time ();
  coll = rh_composition_open (path, FALSE, &error);
  g_assert_no_error (error);
  printf ("open_ms: %.1f\n", ms_since (start));

  start = g_get_monotonic_time ();
  decks = rh_collection_list_decks (coll, &error);
  g_assert_no_error (error);
  printf ("due_counts_per_deck_ms: %.1f (%u decks)\n", ms_since (start), decks->len);

  {
    RhCardQuery q = { .text = "mount", .sort = RH_CARD_SORT_CREATED };
    g_autoptr(GPtrArray) hits = NULL;
    guint n = 0;

    start = g_get_monotonic_time ();
    g_assert_true (rh_collection_count_cards (coll, &q, &n, &error));
    hits = rh_collection_search_cards (coll, &q, 0, 200, &error);
    g_assert_no_error (error);
    printf ("fts_search_ms: %.1f (%u hits, first page of %u)\n", ms_since (start), n, hits->len);
  }

  /* the card browser, sorted by front: a page far down the list, found by
   * sorting for every page (LIMIT/OFFSET), against sorting once for the
   * ids and reading each page by id, as the browser does */
  {
    RhCardQuery q = { .sort = RH_CARD_SORT_FRONT };
    g_autoptr(GPtrArray) page = NULL;
    g_autoptr(GPtrArray) ids = NULL;
    g_autoptr(GPtrArray) cards = NULL;
    guint deep = n_cards > 400 ? (guint) n_cards - 400 : 0;
    double offset_ms, order_ms, by_id_ms;

    start = g_get_monotonic_time ();
    page = rh_collection_search_cards (coll, &q, deep, 200, &error);
    g_assert_no_error (error);
    offset_ms = ms_since (start);

    start = g_get_monotonic_time ();
    ids = rh_collection_search_card_ids (coll, &q, &error);
    g_assert_no_error (error);
    order_ms = ms_since (start);

    start = g_get_monotonic_time ();
    cards = rh_collection_get_cards (coll, (const char * const *) ids->pdata + deep,
                                     MIN (200, ids->len - deep), &error);
    g_assert_no_error (error);
    by_id_ms = ms_since (start);
    g_assert_cmpuint (cards->len, ==, page->len);
    for (guint i = 0; i < cards->len; i++)
      g_assert_cmpstr (rh_flashcard_get_id (cards->pdata[i]), ==,
                       rh_flashcard_get_id (page->pdata[i]));

    printf ("browse_page_by_offset_ms: %.1f (200 rows at row %u, sorted by front)\n",
            offset_ms, deep);
    printf ("browse_order_ms: %.1f (the ids of %u cards, sorted by front, once)\n",
            order_ms, ids->len);
    printf ("browse_page_by_id_ms: %.2f (the same 200 rows)\n", by_id_ms);
  }

  /* study: answer cards as a learner would over many days */
  rh_study_settings_init_default (&settings);
  settings.new_per_day = 9999;
  settings.reviews_per_day = 99999;
  rh_collection_set_study_settings (coll, &settings, &error);
  g_assert_no_error (error);
  bench_now = g_get_real_time ();
  rh_collection_set_clock (coll, bench_clock, NULL);

  start = g_get_monotonic_time ();
  {
    RhQueueCounts counts;
    g_autoptr(RhStudyCard) sc = NULL;
    g_assert_true (rh_collection_queue_counts (coll, NULL, &counts, &error));
    sc = rh_collection_next_card (coll, NULL, &error);
    g_assert_no_error (error);
    printf ("build_queue_ms: %.1f (%u new available)\n", ms_since (start), counts.new_cards);
  }

  times = g_new0 (double, n_answers);
  for (int i = 0; i < n_answers; i++)
    {
      g_autoptr(RhStudyCard) sc = rh_collection_next_card (coll, NULL, &error);
      g_autoptr(RhReview) review = NULL;
      gint64 t0;

      g_assert_no_error (error);
      if (sc == NULL)
        {
          bench_now += RH_USEC_PER_DAY;
          i--;
          continue;
        }
      t0 = g_get_monotonic_time ();
      review = rh_collection_answer (coll, rh_flashcard_get_id (sc->card),
                                     (i % 10 == 0) ? RH_RATING_AGAIN : (i % 10 == 1) ? RH_RATING_HARD
                                     : (i % 10 == 2) ? RH_RATING_EASY : RH_RATING_GOOD, 3000,
                                     &error);
      times[i] = ms_since (t0);
      g_assert_no_error (error);
      bench_now += 20 * G_USEC_PER_SEC;
    }
  qsort (times, n_answers, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  printf ("answer_ms: median %.3f, p99 %.3f (%d answers)\n", times[n_answers / 2],
          times[(int) (n_answers * 0.99)], n_answers);
  g_clear_object (&coll);

  measure_import (dir);

  getrusage (RUSAGE_SELF, &usage);
  printf ("peak_rss_mib: %.1f\n", usage.ru_maxrss / 1024.0);

  if (gui_path)
    measure_gui (gui_path, dir);

out:
  if (!keep_dir)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)))
        {
          g_autofree char *p = g_build_filename (dir, name, NULL);
          g_unlink (p);
        }
      g_rmdir (dir);
    }
  return 0;
}
