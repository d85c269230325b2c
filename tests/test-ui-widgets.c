// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-ui-widgets"

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "rh-card-browser.h"
#include "rh-card-editor.h"
#include "rh-card-list-model.h"
#include "rh-forecast-chart.h"
#include "rh-heatmap.h"
#include "rh-import-dialog.h"
#include "rh-stats-page.h"
#include "rh-test-util.h"
#include "rh-ui-test-util.h"

#define N_CARDS 1000

static gboolean
elapsed_cb (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  g_assert_true (wait_for (elapsed_cb, &end));
}

static void
add_cards (RhFixture *f,
           RhDeck    *deck,
           guint      n)
{
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  g_autoptr(GError) error = NULL;

  /* one transaction, or a thousand fsyncs */
  rh_store_begin (repos->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      /* every hundredth card is about zebras */
      g_autofree char *front = g_strdup_printf (i % 100 == 7 ? "zebra %04u" : "card %04u", i);
      g_autofree char *back = g_strdup_printf ("back %04u", i);
      g_autoptr(RhFlashcard) card = rh_fixture_card (f, deck, front, back);
    }
  rh_store_commit (repos->store, &error);
  g_assert_no_error (error);
}

static guint
count_matching (RhFixture  *f,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  RhCardQuery query = { .text = text, .sort = RH_CARD_SORT_CREATED };
  guint n = 0;

  rh_collection_count_cards (f->collection, &query, &n, &error);
  g_assert_no_error (error);
  return n;
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
row_loaded_cb (gpointer data)
{
  return rh_card_row_get_loaded (data);
}

/* The front of a row, once the reader thread has filled it in. */
static char *
dup_front_at (RhCardListModel *model,
              guint            position)
{
  g_autoptr(RhCardRow) row = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (row);
  g_assert_true (wait_for (row_loaded_cb, row));
  g_assert_nonnull (rh_card_row_get_id (row));
  return g_strdup (rh_card_row_get_front (row));
}

static GtkWidget *
new_browser (RhFixture *f)
{
  GtkWidget *browser = rh_card_browser_new (f->collection);

  /* as the window does: rows are read on a thread of their own */
  rh_card_browser_set_collection_path (RH_CARD_BROWSER (browser), f->path);
  return browser;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_items_cb (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static void
wait_for_n_items (RhCardListModel *model,
                  guint            n)
{
  CountWait w = { G_LIST_MODEL (model), n };

  g_assert_true (wait_for (has_n_items_cb, &w));
}

static void
test_browser_lazy (RhFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GHashTable) unique = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *front = NULL;
  g_auto(GStrv) ids = NULL;
  GtkSelectionModel *selection;
  GtkWidget *browser, *window;
  RhCardListModel *model;
  guint pages;

  add_cards (f, deck, N_CARDS);

  browser = new_browser (f);
  model = _rh_card_browser_get_model (RH_CARD_BROWSER (browser));
  /* nothing is read before the browser is shown */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  window = show_in_window (browser);
  wait_for_n_items (model, N_CARDS);
  spin (300);

  /* one screenful: the first page, perhaps the next */
  pages = rh_card_list_model_get_pages_fetched (model);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_cmpuint (pages, <=, 2);

  /* a row far down costs one more page, not the rows before it */
  front = dup_front_at (model, 850);
  g_assert_cmpstr (front, ==, "card 0149");
  g_assert_cmpuint (rh_card_list_model_get_pages_fetched (model), ==, pages + 1);
  g_free (dup_front_at (model, 851));
  g_assert_cmpuint (rh_card_list_model_get_pages_fetched (model), ==, pages + 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_CARDS));

  /* selecting everything reads the ids in a few queries, not per page */
  selection = GTK_SELECTION_MODEL (gtk_column_view_get_model (
    _rh_card_browser_get_column_view (RH_CARD_BROWSER (browser))));
  gtk_selection_model_select_all (selection);
  selected = gtk_selection_model_get_selection (selection);
  ids = rh_card_list_model_dup_ids (model, selected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, N_CARDS);
  g_assert_cmpuint (rh_card_list_model_get_pages_fetched (model), ==, pages + 1);
  unique = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; ids[i]; i++)
    g_hash_table_add (unique, ids[i]);
  g_assert_cmpuint (g_hash_table_size (unique), ==, N_CARDS);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
query_is_zeb_cb (gpointer data)
{
  RhCardQuery query;

  rh_card_list_model_get_query (data, &query);
  return g_strcmp0 (query.text, "zeb") == 0;
}

static void
test_browser_search (RhFixture     *f,
                     gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  GtkWidget *browser, *window;
  RhCardListModel *model;
  GtkEditable *entry;

  add_cards (f, deck, N_CARDS);
  browser = new_browser (f);
  model = _rh_card_browser_get_model (RH_CARD_BROWSER (browser));
  entry = _rh_card_browser_get_search_entry (RH_CARD_BROWSER (browser));
  window = show_in_window (browser);
  wait_for_n_items (model, N_CARDS);

  gtk_editable_set_text (entry, "zebra");
  wait_for_n_items (model, N_CARDS / 100);
  for (guint i = 0; i < N_CARDS / 100; i++)
    {
      g_autofree char *front = dup_front_at (model, i);
      g_assert_true (g_str_has_prefix (front, "zebra "));
    }

  /* a prefix matches too (set_text empties the entry first, which the
   * entry reports at once; "zeb" comes after the search delay) */
  gtk_editable_set_text (entry, "zeb");
  g_assert_true (wait_for (query_is_zeb_cb, model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_CARDS / 100);

  gtk_editable_set_text (entry, "quokka");
  wait_for_n_items (model, 0);

  gtk_editable_set_text (entry, "");
  wait_for_n_items (model, N_CARDS);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_browser_sort (RhFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  g_autofree char *ascending = NULL;
  g_autofree char *descending = NULL;
  GtkWidget *browser, *window;
  RhCardListModel *model;
  RhCardQuery query;

  add_cards (f, deck, N_CARDS);
  browser = new_browser (f);
  model = _rh_card_browser_get_model (RH_CARD_BROWSER (browser));
  window = show_in_window (browser);
  wait_for_n_items (model, N_CARDS);

  _rh_card_browser_sort_by (RH_CARD_BROWSER (browser), RH_CARD_SORT_FRONT, FALSE);
  rh_card_list_model_get_query (model, &query);
  g_assert_cmpint (query.sort, ==, RH_CARD_SORT_FRONT);
  g_assert_false (query.descending);
  ascending = dup_front_at (model, 0);
  g_assert_cmpstr (ascending, ==, "card 0000");

  _rh_card_browser_sort_by (RH_CARD_BROWSER (browser), RH_CARD_SORT_FRONT, TRUE);
  rh_card_list_model_get_query (model, &query);
  g_assert_cmpint (query.sort, ==, RH_CARD_SORT_FRONT);
  g_assert_true (query.descending);
  descending = dup_front_at (model, 0);
  g_assert_cmpstr (descending, ==, "zebra 0907");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_CARDS);

  /* the other columns reach the query as well */
  _rh_card_browser_sort_by (RH_CARD_BROWSER (browser), RH_CARD_SORT_REVIEWS, TRUE);
  rh_card_list_model_get_query (model, &query);
  g_assert_cmpint (query.sort, ==, RH_CARD_SORT_REVIEWS);
  g_assert_true (query.descending);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
saved_cb (RhCardEditor *editor,
          guint        *count)
{
  (*count)++;
}

static void
test_editor (RhFixture     *f,
             gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  g_autoptr(RhFlashcard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *front = NULL;
  RhCardQuery query = { .text = "quokka", .sort = RH_CARD_SORT_CREATED };
  g_autoptr(GPtrArray) found = NULL;
  GtkWindow *editor;
  GtkWidget *weak;
  guint saved = 0;

  editor = rh_card_editor_new (NULL, f->collection, NULL, rh_deck_get_id (deck));
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  gtk_window_present (editor);
  spin (50);

  /* an empty front is refused under the front, and nothing is added */
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK, "a marsupial");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_nonnull (_rh_card_editor_get_error (RH_CARD_EDITOR (editor),
                                               RH_CARD_EDITOR_FIELD_FRONT));
  g_assert_null (_rh_card_editor_get_error (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK));
  g_assert_cmpuint (saved, ==, 0);
  g_assert_cmpuint (count_matching (f, NULL), ==, 0);

  /* both empty: both fields say so at once */
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK, "   ");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_nonnull (_rh_card_editor_get_error (RH_CARD_EDITOR (editor),
                                               RH_CARD_EDITOR_FIELD_FRONT));
  g_assert_nonnull (_rh_card_editor_get_error (RH_CARD_EDITOR (editor),
                                               RH_CARD_EDITOR_FIELD_BACK));

  /* a valid card is added; the window stays, empty, for the next one */
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_FRONT, "quokka");
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK, "a marsupial");
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_TAGS,
                            "Animals, australia");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_null (_rh_card_editor_get_error (RH_CARD_EDITOR (editor),
                                            RH_CARD_EDITOR_FIELD_FRONT));
  g_assert_null (_rh_card_editor_get_error (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK));
  g_assert_cmpuint (saved, ==, 1);
  front = _rh_card_editor_dup_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_FRONT);
  g_assert_cmpstr (front, ==, "");

  found = rh_collection_search_cards (f->collection, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  card = g_object_ref (found->pdata[0]);
  g_assert_cmpstr (rh_flashcard_get_back (card), ==, "a marsupial");
  g_assert_cmpstr (rh_flashcard_get_deck_id (card), ==, rh_deck_get_id (deck));
  g_assert_cmpstr (rh_flashcard_get_tags (card)[0], ==, "animals");
  g_assert_cmpstr (rh_flashcard_get_tags (card)[1], ==, "australia");
  gtk_window_destroy (editor);

  /* editing: the fields are filled in, and saving closes the window */
  editor = rh_card_editor_new (NULL, f->collection, rh_flashcard_get_id (card), NULL);
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  gtk_window_present (editor);
  g_clear_pointer (&front, g_free);
  front = _rh_card_editor_dup_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_FRONT);
  g_assert_cmpstr (front, ==, "quokka");
  _rh_card_editor_set_text (RH_CARD_EDITOR (editor), RH_CARD_EDITOR_FIELD_BACK,
                            "a small marsupial");
  weak = GTK_WIDGET (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_cmpuint (saved, ==, 2);
  spin (50);
  g_assert_null (weak);

  g_clear_object (&card);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = rh_collection_search_cards (f->collection, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (rh_flashcard_get_back (found->pdata[0]), ==, "a small marsupial");
  g_assert_cmpuint (count_matching (f, NULL), ==, 1);
}

static gboolean
stats_loaded_cb (gpointer data)
{
  return !rh_stats_page_get_loading (data);
}

static void
test_stats_page (RhFixture     *f,
                 gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  g_autoptr(RhStudyCard) study = NULL;
  g_autoptr(RhReview) review = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *window, *heatmap, *forecast;
  const char *description;
  char *mismatch;

  add_cards (f, deck, 3);

  page = rh_stats_page_new (f->collection);
  rh_stats_page_set_collection_path (RH_STATS_PAGE (page), f->path);
  heatmap = _rh_stats_page_get_heatmap (RH_STATS_PAGE (page));
  forecast = _rh_stats_page_get_forecast (RH_STATS_PAGE (page));
  window = show_in_window (page);
  spin (20);
  g_assert_true (wait_for (stats_loaded_cb, page));

  description = rh_heatmap_get_description (RH_HEATMAP (heatmap));
  g_assert_cmpstr (description, ==, "No reviews in the last year");

  study = rh_collection_next_card (f->collection, NULL, &error);
  g_assert_no_error (error);
  review = rh_collection_answer (f->collection, rh_flashcard_get_id (study->card),
                                 RH_RATING_GOOD, 4000, &error);
  g_assert_no_error (error);

  /* the figures come from a worker with its own connection */
  rh_stats_page_reload (RH_STATS_PAGE (page));
  g_assert_true (rh_stats_page_get_loading (RH_STATS_PAGE (page)));
  g_assert_true (wait_for (stats_loaded_cb, page));

  description = rh_heatmap_get_description (RH_HEATMAP (heatmap));
  g_test_message ("heatmap: %s", description);
  g_assert_true (g_str_has_prefix (description, "1 review in the last year, most on "));
  g_assert_true (g_str_has_suffix (description, "(1)"));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (heatmap),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                 description);
  g_assert_null (mismatch);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (heatmap), GTK_ACCESSIBLE_ROLE_IMG);

  /* the answered card is due again within the month, the others are new */
  description = rh_forecast_chart_get_description (RH_FORECAST_CHART (forecast));
  g_test_message ("forecast: %s", description);
  g_assert_true (g_str_has_prefix (description, "Due in the next 30 days: "));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (forecast),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                 description);
  g_assert_null (mismatch);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_charts (void)
{
  guint per_day[365] = { 0 };
  guint forecast[30] = { 0 };
  g_autoptr(GDateTime) first = g_date_time_new_local (2025, 1, 1, 4, 0, 0);
  g_autofree char *total = _rh_chart_format_count (1234);
  g_autofree char *expected = NULL;
  GtkWidget *heatmap = g_object_ref_sink (rh_heatmap_new ());
  GtkWidget *chart = g_object_ref_sink (rh_forecast_chart_new ());

  per_day[10] = 56;
  per_day[20] = 1178;
  rh_heatmap_set_data (RH_HEATMAP (heatmap), per_day, 365,
                       g_date_time_to_unix (first) * G_USEC_PER_SEC);
  /* the total is grouped as the locale does it: "1,234" */
  expected = g_strdup_printf ("%s reviews in the last year, most on 21 January (1178)", total);
  g_assert_cmpstr (rh_heatmap_get_description (RH_HEATMAP (heatmap)), ==, expected);

  forecast[0] = 12;
  forecast[1] = 30;
  forecast[9] = 5;
  rh_forecast_chart_set_data (RH_FORECAST_CHART (chart), forecast, 30,
                              g_date_time_to_unix (first) * G_USEC_PER_SEC);
  g_assert_cmpstr (rh_forecast_chart_get_description (RH_FORECAST_CHART (chart)), ==,
                   "Due in the next 30 days: today 12, tomorrow 30, 10 Jan 5");

  memset (forecast, 0, sizeof forecast);
  rh_forecast_chart_set_data (RH_FORECAST_CHART (chart), forecast, 30,
                              g_date_time_to_unix (first) * G_USEC_PER_SEC);
  g_assert_cmpstr (rh_forecast_chart_get_description (RH_FORECAST_CHART (chart)), ==,
                   "No cards are due in the next 30 days");

  g_object_unref (heatmap);
  g_object_unref (chart);
}

/* WCAG's relative luminance of an opaque colour */
static double
relative_luminance (const GdkRGBA *color)
{
  double channels[3] = { color->red, color->green, color->blue };

  for (guint i = 0; i < 3; i++)
    channels[i] = channels[i] <= 0.04045 ? channels[i] / 12.92
                                         : pow ((channels[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

static GdkRGBA
composite (const GdkRGBA *color,
           const GdkRGBA *background)
{
  return (GdkRGBA) {
    background->red + color->alpha * (color->red - background->red),
    background->green + color->alpha * (color->green - background->green),
    background->blue + color->alpha * (color->blue - background->blue),
    1.0f,
  };
}

/* Every level of the heatmap, drawn on a card as the statistics page
 * does, stands apart from the one before it: an empty day from the
 * fewest reviews, and so on to the most. */
static void
assert_levels_apart (GtkWidget *heatmap)
{
  GdkRGBA colors[_RH_HEATMAP_N_COLORS];
  GdkRGBA window_bg, card_bg, background;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  double previous = 0;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkStyleContext *context = gtk_widget_get_style_context (heatmap);

    /* Adwaita's, where the style has no such names */
    if (!gtk_style_context_lookup_color (context, "window_bg_color", &window_bg))
      gdk_rgba_parse (&window_bg, dark ? "#242424" : "#fafafa");
    if (!gtk_style_context_lookup_color (context, "card_bg_color", &card_bg))
      gdk_rgba_parse (&card_bg, dark ? "rgba(255,255,255,0.08)" : "#ffffff");
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  background = composite (&card_bg, &window_bg);

  _rh_heatmap_get_level_colors (RH_HEATMAP (heatmap), colors);
  for (guint i = 0; i < _RH_HEATMAP_N_COLORS; i++)
    {
      GdkRGBA color = composite (&colors[i], &background);
      double luminance = relative_luminance (&color);

      if (i > 0)
        {
          double ratio = (MAX (luminance, previous) + 0.05) / (MIN (luminance, previous) + 0.05);

          g_test_message ("level %u to %u: contrast %.2f", i - 1, i, ratio);
          g_assert_cmpfloat (ratio, >=, 1.3);
        }
      previous = luminance;
    }
}

static void
test_heatmap_levels (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *heatmap = rh_heatmap_new ();
  GtkWidget *window = show_in_window (heatmap);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  spin (20);
  g_assert_false (adw_style_manager_get_dark (manager));
  assert_levels_apart (heatmap);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  spin (20);
  g_assert_true (adw_style_manager_get_dark (manager));
  assert_levels_apart (heatmap);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
write_file (RhFixture  *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

typedef struct
{
  guint         reading;
  guint         adding;
  GCancellable *cancel_when_adding;
  double        added;   /* the last share of cards added */
} Progress;

static void
progress_cb (RhImportStage stage,
             double        fraction,
             gpointer      user_data)
{
  Progress *p = user_data;

  if (stage == RH_IMPORT_STAGE_READING)
    {
      g_assert_cmpfloat (fraction, >=, 0);
      g_assert_cmpfloat (fraction, <=, 1);
      p->reading++;
    }
  else
    {
      /* how far the adding is, never back */
      g_assert_cmpfloat (fraction, >=, p->adding > 0 ? p->added : 0);
      g_assert_cmpfloat (fraction, <=, 1);
      p->added = fraction;
      p->adding++;
      if (p->cancel_when_adding)
        g_cancellable_cancel (p->cancel_when_adding);
    }
}

typedef struct
{
  const char     *collection_path;
  const char     *file_path;
  RhImportResult  result;
  gboolean        ok;
  GError         *error;
  Progress        progress;
} ImportRun;

static gpointer
import_thread (gpointer data)
{
  ImportRun *run = data;

  run->ok = _rh_import_run_sync (run->collection_path, run->file_path, "Spanish", NULL,
                                 progress_cb, &run->progress, &run->result, NULL, &run->error);
  return NULL;
}

static void
test_import (RhFixture     *f,
             gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "spanish.csv",
                                     "front,back,tags\n"
                                     "hola,hello,greeting\n"
                                     "adiós,goodbye,greeting\n"
                                     "gracias,thank you,\n");
  ImportRun run = { f->path, csv };
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GError) error = NULL;

  /* on a worker thread, like the dialog, while the main thread's
   * collection stays open */
  thread = g_thread_new ("import", import_thread, &run);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.result.added, ==, 3);
  g_assert_cmpuint (run.result.duplicates, ==, 0);
  g_assert_cmpuint (run.result.decks_created, ==, 1);
  g_assert_cmpuint (run.progress.reading, >=, 1);
  /* from nothing to all */
  g_assert_cmpuint (run.progress.adding, ==, 2);
  g_assert_cmpfloat (run.progress.added, ==, 1.0);

  /* the main thread's collection sees them */
  g_assert_cmpuint (count_matching (f, NULL), ==, 3);
  g_assert_cmpuint (count_matching (f, "gracias"), ==, 1);
  decks = rh_collection_list_decks (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decks->len, ==, 1);
  g_assert_cmpstr (rh_deck_get_name (((RhDeckSummary *) decks->pdata[0])->deck), ==, "Spanish");

  /* the same file again: all duplicates */
  memset (&run.result, 0, sizeof run.result);
  memset (&run.progress, 0, sizeof run.progress);
  thread = g_thread_new ("import", import_thread, &run);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result.added, ==, 0);
  g_assert_cmpuint (run.result.duplicates, ==, 3);
  g_assert_cmpuint (count_matching (f, NULL), ==, 3);
}

static void
test_import_cancelled (RhFixture     *f,
                       gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "french.csv",
                                     "front,back,deck\n"
                                     "bonjour,hello,French\n"
                                     "merci,thank you,French\n");
  g_autofree char *before = rh_fixture_checksum (f);
  g_autofree char *after = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  Progress progress = { 0, 0, cancellable };
  RhImportResult result = { 0 };
  gboolean ok;

  /* cancelled once the cards are being added: the one transaction is
   * rolled back, deck included */
  ok = _rh_import_run_sync (f->path, csv, NULL, cancellable, progress_cb, &progress,
                            &result, NULL, &error);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* at the first report, none added, and none ever is */
  g_assert_cmpuint (progress.adding, ==, 1);
  g_assert_cmpfloat (progress.added, ==, 0.0);
  g_assert_cmpuint (count_matching (f, NULL), ==, 0);
  g_clear_error (&error);
  decks = rh_collection_list_decks (f->collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decks->len, ==, 0);
  after = rh_fixture_checksum (f);
  g_assert_cmpstr (before, ==, after);

  /* cancelled before it starts */
  g_clear_error (&error);
  ok = _rh_import_run_sync (f->path, csv, NULL, cancellable, NULL, NULL, NULL, NULL, &error);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_matching (f, NULL), ==, 0);
}

static void
test_import_error (RhFixture     *f,
                   gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (_rh_import_run_sync (f->path, missing, NULL, NULL, NULL, NULL, NULL, NULL,
                                       &error));
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (count_matching (f, NULL), ==, 0);
}

/* The import window's closing words: what was added, or why nothing was. */
static GtkLabel *
find_summary (void)
{
  GtkWindow *dialog = find_toplevel (RH_TYPE_IMPORT_DIALOG);
  GtkLabel *label = NULL;

  if (dialog != NULL && !(label = find_mapped_label (GTK_WIDGET (dialog), "added", FALSE)))
    label = find_mapped_label (GTK_WIDGET (dialog), "Nothing was imported", FALSE);
  return label;
}

static gboolean
summary_shown (gpointer data)
{
  return find_summary () != NULL;
}

/* Imports @csv through the import window, as the file dialog would, and
 * returns what the window says when it is done. */
static char *
import_summary (RhFixture  *f,
                const char *csv)
{
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  char *summary;

  rh_import_dialog_run_file (NULL, f->path, file, NULL, NULL);
  g_assert_true (wait_for (summary_shown, NULL));
  summary = g_strdup (gtk_label_get_text (find_summary ()));
  gtk_window_destroy (find_toplevel (RH_TYPE_IMPORT_DIALOG));
  spin (20);
  return summary;
}

static void
test_import_dialog_summary (RhFixture     *f,
                            gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "Spanish.csv",
                                     "front,back\n"
                                     "hola,hello\n"
                                     "adiós,goodbye\n"
                                     "gracias,thank you\n");
  g_autofree char *broken = write_file (f, "Broken.csv",
                                        "front,back\n"
                                        "perro,\"dog\n");
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *failed = NULL;

  /* a deck named after the file; nothing was skipped, so nothing says so */
  first = import_summary (f, csv);
  g_assert_cmpstr (first, ==, "3 cards added, 1 deck created");
  g_assert_cmpuint (count_matching (f, "gracias"), ==, 1);

  /* the same file again: only what happened is told */
  again = import_summary (f, csv);
  g_assert_cmpstr (again, ==, "0 cards added, 3 duplicates skipped");
  g_assert_cmpuint (count_matching (f, NULL), ==, 3);

  /* a file that breaks off: where, as a sentence, and that nothing came in */
  failed = import_summary (f, broken);
  g_assert_cmpstr (failed, ==, "Line 2: a quoted field is never closed.\nNothing was imported.");
  g_assert_cmpuint (count_matching (f, NULL), ==, 3);
}

static void
test_import_dialog_template (void)
{
  GtkWidget *dialog = g_object_new (RH_TYPE_IMPORT_DIALOG, NULL);

  /* the template builds; nothing runs, so Escape just closes */
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_activate_action (dialog, "window.close", NULL);
  spin (50);
}

static void
test_export (RhFixture     *f,
             gconstpointer  data)
{
  g_autoptr(RhDeck) deck = rh_fixture_deck (f, "Animals");
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  add_cards (f, deck, 5);
  g_assert_true (_rh_export_run_sync (f->path, file, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "front,back,notes,example,tags,deck\r\n"));
  g_assert_nonnull (strstr (contents, "card 0004,back 0004,,,,Animals\r\n"));
}

int
main (int   argc,
      char *argv[])
{
  /* The expected texts are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add (name, RhFixture, NULL, rh_fixture_setup, func, rh_fixture_teardown)

  ADD ("/ui/card-browser/lazy-model", test_browser_lazy);
  ADD ("/ui/card-browser/search", test_browser_search);
  ADD ("/ui/card-browser/sort", test_browser_sort);
  ADD ("/ui/card-editor/validate-and-save", test_editor);
  ADD ("/ui/stats-page/heatmap-after-answer", test_stats_page);
  g_test_add_func ("/ui/charts/descriptions", test_charts);
  g_test_add_func ("/ui/charts/heatmap-levels", test_heatmap_levels);
  ADD ("/ui/import/csv-on-worker", test_import);
  ADD ("/ui/import/cancelled", test_import_cancelled);
  ADD ("/ui/import/error", test_import_error);
  g_test_add_func ("/ui/import/dialog-template", test_import_dialog_template);
  ADD ("/ui/import/dialog-summary", test_import_dialog_summary);
  ADD ("/ui/export/csv", test_export);

#undef ADD

  return g_test_run ();
}
