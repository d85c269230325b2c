// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-card-list-model.h"
#include "rh-composition.h"
#include "rh-time.h"

/* Pages kept in memory; a screenful needs one or two, so a handful lets
 * the view scroll back and forth without going to the database. */
#define MAX_CACHED_PAGES 6

/* Longest text a cell shows; the editor has the whole card. */
#define MAX_CELL_CHARS 200

/* ---- RhCardRow ---- */

struct _RhCardRow
{
  GObject  parent_instance;

  char    *id;
  char    *front;
  char    *back;
  char    *deck_name;
  char    *due;
  char    *stability_text;
  double   stability;
  guint    reviews;
  /* FALSE while the row is a placeholder for a page being read */
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (RhCardRow, rh_card_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ID,
  ROW_PROP_FRONT,
  ROW_PROP_BACK,
  ROW_PROP_DECK_NAME,
  ROW_PROP_DUE,
  ROW_PROP_STABILITY,
  ROW_PROP_STABILITY_TEXT,
  ROW_PROP_REVIEWS,
  ROW_PROP_LOADED,
  ROW_N_PROPS
};

static GParamSpec *row_properties [ROW_N_PROPS];

static void
rh_card_row_finalize (GObject *object)
{
  RhCardRow *self = RH_CARD_ROW (object);

  g_free (self->id);
  g_free (self->front);
  g_free (self->back);
  g_free (self->deck_name);
  g_free (self->due);
  g_free (self->stability_text);

  G_OBJECT_CLASS (rh_card_row_parent_class)->finalize (object);
}

static void
rh_card_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RhCardRow *self = RH_CARD_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case ROW_PROP_FRONT:
      g_value_set_string (value, self->front);
      break;
    case ROW_PROP_BACK:
      g_value_set_string (value, self->back);
      break;
    case ROW_PROP_DECK_NAME:
      g_value_set_string (value, self->deck_name);
      break;
    case ROW_PROP_DUE:
      g_value_set_string (value, self->due);
      break;
    case ROW_PROP_STABILITY:
      g_value_set_double (value, self->stability);
      break;
    case ROW_PROP_STABILITY_TEXT:
      g_value_set_string (value, self->stability_text);
      break;
    case ROW_PROP_REVIEWS:
      g_value_set_uint (value, self->reviews);
      break;
    case ROW_PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_card_row_class_init (RhCardRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rh_card_row_finalize;
  object_class->get_property = rh_card_row_get_property;

  row_properties[ROW_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /**
   * RhCardRow:front:
   *
   * The front on one line, shortened for a cell.
   */
  row_properties[ROW_PROP_FRONT] =
    g_param_spec_string ("front", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_BACK] =
    g_param_spec_string ("back", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_DECK_NAME] =
    g_param_spec_string ("deck-name", NULL, NULL, NULL, flags);
  /**
   * RhCardRow:due:
   *
   * When the card is due, as the browser shows it ("Today", "New", a date).
   */
  row_properties[ROW_PROP_DUE] =
    g_param_spec_string ("due", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_STABILITY] =
    g_param_spec_double ("stability", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  row_properties[ROW_PROP_STABILITY_TEXT] =
    g_param_spec_string ("stability-text", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_REVIEWS] =
    g_param_spec_uint ("reviews", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * RhCardRow:loaded:
   *
   * Whether the row holds its card yet: rows of a page that is still
   * being read are empty, and fill in (with notifications) when it is.
   */
  row_properties[ROW_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
rh_card_row_init (RhCardRow *self)
{
  self->front = g_strdup ("");
  self->back = g_strdup ("");
  self->deck_name = g_strdup ("");
  self->due = g_strdup ("");
  self->stability_text = g_strdup ("");
}

/**
 * rh_card_row_get_id:
 *
 * Returns: (nullable): the card's id; %NULL while the row is not loaded,
 *   or when the collection shrank under the list
 */
const char *
rh_card_row_get_id (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->id;
}

/**
 * rh_card_row_get_loaded:
 *
 * Returns: whether the row shows a card yet
 */
gboolean
rh_card_row_get_loaded (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), FALSE);
  return self->loaded;
}

/**
 * rh_card_row_get_front:
 *
 * Returns: the front on one line
 */
const char *
rh_card_row_get_front (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->front;
}

/**
 * rh_card_row_get_back:
 *
 * Returns: the back on one line
 */
const char *
rh_card_row_get_back (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->back;
}

/**
 * rh_card_row_get_deck_name:
 *
 * Returns: the name of the card's deck
 */
const char *
rh_card_row_get_deck_name (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->deck_name;
}

/**
 * rh_card_row_get_due:
 *
 * Returns: when the card is due, formatted for the browser
 */
const char *
rh_card_row_get_due (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->due;
}

/**
 * rh_card_row_get_stability:
 *
 * Returns: the memory stability in days; 0 for a new card
 */
double
rh_card_row_get_stability (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), 0);
  return self->stability;
}

/**
 * rh_card_row_get_reviews:
 *
 * Returns: how many times the card was answered
 */
guint
rh_card_row_get_reviews (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), 0);
  return self->reviews;
}

/* Newlines and tabs become spaces and long text is cut, so a cell stays
 * one line high. */
static char *
flatten_text (const char *text)
{
  GString *out;
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (64);
  for (const char *p = text; *p && n < MAX_CELL_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r' || c == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }
      g_string_append_unichar (out, c);
    }
  if (n >= MAX_CELL_CHARS)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static char *
format_due (const RhCardState *state,
            gint64             day_start_us)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) today = NULL;
  gint64 days;

  if (state->state == RH_CARD_STATE_NEW)
    return g_strdup (C_("due", "New"));

  /* Whole study days from the start of today; floor for the past. */
  days = state->due_us - day_start_us;
  days = days >= 0 ? days / RH_USEC_PER_DAY : -((-days + RH_USEC_PER_DAY - 1) / RH_USEC_PER_DAY);

  if (days == 0)
    return g_strdup (C_("due", "Today"));
  if (days == 1)
    return g_strdup (C_("due", "Tomorrow"));
  if (days == -1)
    return g_strdup (C_("due", "Yesterday"));
  if (days > 1 && days < 7)
    return g_strdup_printf (ngettext ("In %d day", "In %d days", days),
                            (int) days);

  dt = g_date_time_new_from_unix_local (state->due_us / G_USEC_PER_SEC);
  today = g_date_time_new_from_unix_local (day_start_us / G_USEC_PER_SEC);
  if (dt == NULL || today == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (dt) == g_date_time_get_year (today))
    /* Translators: a due date in this year, see g_date_time_format()
     * xgettext:no-c-format */
    return g_date_time_format (dt, C_("due date", "%-d %b"));
  /* Translators: a due date in another year, see g_date_time_format()
   * xgettext:no-c-format */
  return g_date_time_format (dt, C_("due date", "%-d %b %Y"));
}

/* Copies a card read on either thread into a row the view may already
 * show, notifying each change. */
static void
fill_row (RhCardRow *row,
          RhCardRow *from)
{
  g_object_freeze_notify (G_OBJECT (row));

#define TAKE_STRING(field, prop)                                            \
  if (g_strcmp0 (row->field, from->field) != 0)                             \
    {                                                                       \
      g_free (row->field);                                                  \
      row->field = g_strdup (from->field);                                  \
      g_object_notify_by_pspec (G_OBJECT (row), row_properties[prop]);      \
    }
  TAKE_STRING (id, ROW_PROP_ID)
  TAKE_STRING (front, ROW_PROP_FRONT)
  TAKE_STRING (back, ROW_PROP_BACK)
  TAKE_STRING (deck_name, ROW_PROP_DECK_NAME)
  TAKE_STRING (due, ROW_PROP_DUE)
  TAKE_STRING (stability_text, ROW_PROP_STABILITY_TEXT)
#undef TAKE_STRING

  if (row->stability != from->stability)
    {
      row->stability = from->stability;
      g_object_notify_by_pspec (G_OBJECT (row), row_properties[ROW_PROP_STABILITY]);
    }
  if (row->reviews != from->reviews)
    {
      row->reviews = from->reviews;
      g_object_notify_by_pspec (G_OBJECT (row), row_properties[ROW_PROP_REVIEWS]);
    }
  if (!row->loaded)
    {
      row->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (row), row_properties[ROW_PROP_LOADED]);
    }

  g_object_thaw_notify (G_OBJECT (row));
}

/* What turning cards into rows needs; each thread has its own. */
typedef struct
{
  RhCollection *collection;
  /* deck id → name, filled as rows need them */
  GHashTable   *deck_names;
  gint64        day_start_us;
} RowContext;

static const char *
lookup_deck_name (RowContext *context,
                  const char *deck_id)
{
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (deck_id == NULL)
    return "";
  if ((name = g_hash_table_lookup (context->deck_names, deck_id)))
    return name;

  if (!(deck = rh_collection_find_deck (context->collection, deck_id, &error)))
    {
      g_debug ("No deck %s: %s", deck_id, error->message);
      name = "";
    }
  else
    name = rh_deck_get_name (deck);

  g_hash_table_insert (context->deck_names, g_strdup (deck_id), g_strdup (name));
  return g_hash_table_lookup (context->deck_names, deck_id);
}

static RhCardRow *
make_row (RowContext  *context,
          RhFlashcard *card)
{
  RhCardRow *row = g_object_new (RH_TYPE_CARD_ROW, NULL);
  const RhCardState *state = rh_flashcard_get_state (card);

  g_free (row->front);
  g_free (row->back);
  g_free (row->deck_name);
  g_free (row->due);
  g_free (row->stability_text);

  row->id = g_strdup (rh_flashcard_get_id (card));
  row->front = flatten_text (rh_flashcard_get_front (card));
  row->back = flatten_text (rh_flashcard_get_back (card));
  row->deck_name = g_strdup (lookup_deck_name (context, rh_flashcard_get_deck_id (card)));
  row->due = format_due (state, context->day_start_us);
  row->stability = state->stability;
  row->reviews = state->reps > 0 ? (guint) state->reps : 0;
  if (state->state == RH_CARD_STATE_NEW || state->stability <= 0)
    row->stability_text = g_strdup ("—");
  else if (state->stability < 10)
    /* Translators: memory stability in days, with one decimal */
    row->stability_text = g_strdup_printf (_("%.1f d"), state->stability);
  else
    /* Translators: memory stability in whole days */
    row->stability_text = g_strdup_printf (_("%.0f d"), state->stability);
  row->loaded = TRUE;
  return row;
}

/* ---- pages and the reader thread ---- */

/* A page of rows as the view sees them. Refcounted: the model's cache and
 * a pending read each hold it. */
typedef struct
{
  guint      index;
  guint      generation;
  /* RhCardRow, placeholders until the page is read; main thread only */
  GPtrArray *rows;
  gboolean   loaded;
  /* atomic: set when nobody wants the page any more, so the reader
   * skips it */
  int        abandoned;
} Page;

static void
page_clear (Page *page)
{
  g_ptr_array_unref (page->rows);
}

static void
page_release (Page *page)
{
  g_atomic_rc_box_release_full (page, (GDestroyNotify) page_clear);
}

static Page *
page_new (guint index,
          guint generation,
          guint n_rows)
{
  Page *page = g_atomic_rc_box_new0 (Page);

  page->index = index;
  page->generation = generation;
  page->rows = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (page->rows, g_object_new (RH_TYPE_CARD_ROW, NULL));
  return page;
}

static void
fill_page (Page      *page,
           GPtrArray *rows)
{
  /* Fewer rows than counted, or a hole (NULL), means cards went away
   * meanwhile: their rows stay empty until the next reload. */
  for (guint i = 0; i < page->rows->len && i < rows->len; i++)
    if (rows->pdata[i] != NULL)
      fill_row (page->rows->pdata[i], rows->pdata[i]);
  page->loaded = TRUE;
}

/* One read for the reader thread, with a copy of the query as it was.
 * It is made and freed on the main thread: its page holds rows the view
 * may show. */
typedef struct
{
  Page       *page;
  guint       generation;
  char       *text;
  char       *deck_id;
  RhCardSort  sort;
  gboolean    descending;
  gint64      day_start_us;
  GWeakRef    model;
  GPtrArray  *rows;
  GError     *error;
} Request;

static void
request_free (Request *request)
{
  page_release (request->page);
  g_free (request->text);
  g_free (request->deck_id);
  g_weak_ref_clear (&request->model);
  g_clear_pointer (&request->rows, g_ptr_array_unref);
  g_clear_error (&request->error);
  g_free (request);
}

/* The reader: one thread with its own connection to the collection's
 * file, so that reading a page never holds up the main loop. It reads
 * the newest request first: that is the page the learner is looking at. */
typedef struct
{
  GAsyncQueue  *queue;
  char         *path;
  GMainContext *context;
} Reader;

/* pushed to stop the reader */
static Request reader_quit;

static void
reader_free (Reader *reader)
{
  g_async_queue_unref (reader->queue);
  g_main_context_unref (reader->context);
  g_free (reader->path);
  g_free (reader);
}

static gboolean deliver_cb (gpointer data);

static gboolean
nothing_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Hands @request back to the main thread. Not g_main_context_invoke():
 * when no thread holds the main context at that moment, it would run the
 * callback here, on the reader. */
static void
post_to_main (Reader      *reader,
              GSourceFunc  func,
              Request     *request)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, request, (GDestroyNotify) request_free);
  g_source_set_static_name (source, "[rh] card page");
  g_source_attach (source, reader->context);
}

/* What the reader keeps between pages: the ids of every match of the
 * latest query, in order, so that a page anywhere in the list is read by
 * id rather than by sorting the matches again. */
typedef struct
{
  guint      generation;
  GPtrArray *ids;
} Order;

static void
unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
read_request (RowContext *context,
              Order      *order,
              Request    *request)
{
  g_autoptr(GPtrArray) cards = NULL;
  guint offset = request->page->index * RH_CARD_LIST_MODEL_PAGE_SIZE;
  RhCardQuery query = {
    .text = request->text,
    .deck_id = request->deck_id,
    .sort = request->sort,
    .descending = request->descending,
  };

  context->day_start_us = request->day_start_us;
  if (order->ids == NULL || order->generation != request->generation)
    {
      g_clear_pointer (&order->ids, g_ptr_array_unref);
      if (!(order->ids = rh_collection_search_card_ids (context->collection, &query,
                                                        &request->error)))
        return;
      order->generation = request->generation;
    }

  if (offset < order->ids->len)
    cards = rh_collection_get_cards (context->collection,
                                     (const char * const *) order->ids->pdata + offset,
                                     MIN (RH_CARD_LIST_MODEL_PAGE_SIZE, order->ids->len - offset),
                                     &request->error);
  else
    cards = g_ptr_array_new ();
  if (cards == NULL)
    return;

  request->rows = g_ptr_array_new_full (cards->len, unref_if_any);
  for (guint i = 0; i < cards->len; i++)
    g_ptr_array_add (request->rows,
                     cards->pdata[i] != NULL ? make_row (context, cards->pdata[i]) : NULL);
}

static gpointer
reader_main (gpointer data)
{
  Reader *reader = data;
  g_autoptr(RhCollection) collection = NULL;
  g_autoptr(GHashTable) deck_names = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);
  guint names_generation = 0;
  Order order = { 0, NULL };
  Request *request;

  while ((request = g_async_queue_pop (reader->queue)) != &reader_quit)
    {
      RowContext context = { NULL, deck_names, 0 };

      if (g_atomic_int_get (&request->page->abandoned))
        {
          /* The page's rows may be the view's: let them go on its thread. */
          post_to_main (reader, nothing_cb, request);
          continue;
        }

      if (collection == NULL)
        collection = rh_composition_open (reader->path, FALSE, &request->error);
      if (collection != NULL)
        {
          /* deck names may have changed since the last reload */
          if (request->generation != names_generation)
            {
              g_hash_table_remove_all (deck_names);
              names_generation = request->generation;
            }
          context.collection = collection;
          read_request (&context, &order, request);
        }

      post_to_main (reader, deliver_cb, request);
    }

  while ((request = g_async_queue_try_pop (reader->queue)) != NULL)
    if (request != &reader_quit)
      post_to_main (reader, nothing_cb, request);
  g_clear_pointer (&order.ids, g_ptr_array_unref);
  reader_free (reader);
  return NULL;
}

/* Returns: (transfer full): the queue to push requests to */
static GAsyncQueue *
reader_start (const char *path)
{
  Reader *reader = g_new0 (Reader, 1);
  GAsyncQueue *queue = g_async_queue_new ();
  g_autoptr(GThread) thread = NULL;

  /* The thread owns the reader; the model keeps a hold on the queue. */
  reader->queue = g_async_queue_ref (queue);
  reader->path = g_strdup (path);
  reader->context = g_main_context_ref_thread_default ();
  thread = g_thread_new ("rh-card-reader", reader_main, reader);
  return queue;
}

/* Tells the reader to stop once it is done with the page at hand, and
 * drops the model's hold on its queue. */
static void
reader_stop (GAsyncQueue *queue)
{
  g_async_queue_push_front (queue, &reader_quit);
  g_async_queue_unref (queue);
}

/* ---- RhCardListModel ---- */

struct _RhCardListModel
{
  GObject       parent_instance;

  RhCollection *collection;
  /* the reader's queue, or %NULL to read on the main thread */
  GAsyncQueue  *reader_queue;

  char         *text;
  char         *deck_id;
  RhCardSort    sort;
  gboolean      descending;

  guint         n_items;
  /* positions only: GtkMultiSelection would read every selected row to
   * remember it, which on "select all" means every page */
  GtkBitset    *selected;
  /* bumped by every reload: reads for an older one are dropped */
  guint         generation;
  /* of Page, the most recently used first */
  GQueue        pages;
  GHashTable   *deck_names;
  GError       *error;

  gint64        day_start_us;
  guint         pages_fetched;
};

static void rh_card_list_model_iface_init      (GListModelInterface        *iface);
static void rh_card_list_model_selection_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhCardListModel, rh_card_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rh_card_list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      rh_card_list_model_selection_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
fill_query (RhCardListModel *self,
            RhCardQuery     *query)
{
  query->text = self->text;
  query->deck_id = self->deck_id;
  query->sort = self->sort;
  query->descending = self->descending;
}

static GPtrArray *
read_rows_sync (RhCardListModel  *self,
                guint             offset,
                guint             limit,
                GError          **error)
{
  g_autoptr(GPtrArray) cards = NULL;
  GPtrArray *rows;
  RowContext context = { self->collection, self->deck_names, self->day_start_us };
  RhCardQuery query;

  fill_query (self, &query);
  if (!(cards = rh_collection_search_cards (self->collection, &query, offset, limit, error)))
    return NULL;

  rows = g_ptr_array_new_full (cards->len, g_object_unref);
  for (guint i = 0; i < cards->len; i++)
    g_ptr_array_add (rows, make_row (&context, cards->pdata[i]));
  return rows;
}

static void
load_page_sync (RhCardListModel *self,
                Page            *page)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (!(rows = read_rows_sync (self, page->index * RH_CARD_LIST_MODEL_PAGE_SIZE,
                               RH_CARD_LIST_MODEL_PAGE_SIZE, &error)))
    {
      g_warning ("Cannot read cards: %s", error->message);
      page->loaded = TRUE;
      return;
    }
  fill_page (page, rows);
}

static gboolean
deliver_cb (gpointer data)
{
  Request *request = data;
  g_autoptr(RhCardListModel) self = g_weak_ref_get (&request->model);

  if (self == NULL || request->page->loaded || request->generation != self->generation)
    return G_SOURCE_REMOVE;

  if (request->rows == NULL)
    {
      /* The reader could not: read here rather than show nothing. */
      g_warning ("Cannot read cards in the background: %s",
                 request->error ? request->error->message : "?");
      load_page_sync (self, request->page);
      return G_SOURCE_REMOVE;
    }

  fill_page (request->page, request->rows);
  return G_SOURCE_REMOVE;
}

static void
request_page (RhCardListModel *self,
              Page            *page)
{
  Request *request;

  self->pages_fetched++;
  g_debug ("Reading page %u of the card list%s", page->index,
           self->reader_queue ? " in the background" : "");

  if (self->reader_queue == NULL)
    {
      load_page_sync (self, page);
      return;
    }

  request = g_new0 (Request, 1);
  request->page = g_atomic_rc_box_acquire (page);
  request->generation = self->generation;
  request->text = g_strdup (self->text);
  request->deck_id = g_strdup (self->deck_id);
  request->sort = self->sort;
  request->descending = self->descending;
  request->day_start_us = self->day_start_us;
  g_weak_ref_init (&request->model, self);
  g_async_queue_push_front (self->reader_queue, request);
}

/* A page leaving the cache is still wanted while the view shows its
 * rows, even unread: only then can the reader skip it. */
static void
evict_page (Page *page)
{
  gboolean in_use = FALSE;

  if (!page->loaded)
    for (guint i = 0; i < page->rows->len && !in_use; i++)
      in_use = G_OBJECT (page->rows->pdata[i])->ref_count > 1;
  if (!in_use)
    g_atomic_int_set (&page->abandoned, 1);
  page_release (page);
}

static void
clear_pages (RhCardListModel *self)
{
  Page *page;

  /* Every page is stale: a pending read of one is of no use. */
  while ((page = g_queue_pop_head (&self->pages)))
    {
      g_atomic_int_set (&page->abandoned, 1);
      page_release (page);
    }
}

static Page *
find_page (RhCardListModel *self,
           guint            index)
{
  for (GList *l = self->pages.head; l; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          if (l != self->pages.head)
            {
              g_queue_unlink (&self->pages, l);
              g_queue_push_head_link (&self->pages, l);
            }
          return page;
        }
    }
  return NULL;
}

static Page *
lookup_page (RhCardListModel *self,
             guint            index)
{
  Page *page;
  guint first = index * RH_CARD_LIST_MODEL_PAGE_SIZE;

  if ((page = find_page (self, index)))
    return page;

  page = page_new (index, self->generation,
                   MIN (RH_CARD_LIST_MODEL_PAGE_SIZE, self->n_items - first));
  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_CACHED_PAGES)
    evict_page (g_queue_pop_tail (&self->pages));

  request_page (self, page);
  return page;
}

static GType
rh_card_list_model_get_item_type (GListModel *model)
{
  return RH_TYPE_CARD_ROW;
}

static guint
rh_card_list_model_get_n_items (GListModel *model)
{
  return RH_CARD_LIST_MODEL (model)->n_items;
}

static gpointer
rh_card_list_model_get_item (GListModel *model,
                             guint       position)
{
  RhCardListModel *self = RH_CARD_LIST_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, position / RH_CARD_LIST_MODEL_PAGE_SIZE);
  return g_object_ref (page->rows->pdata[position % RH_CARD_LIST_MODEL_PAGE_SIZE]);
}

static void
rh_card_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rh_card_list_model_get_item_type;
  iface->get_n_items = rh_card_list_model_get_n_items;
  iface->get_item = rh_card_list_model_get_item;
}

static gboolean
rh_card_list_model_is_selected (GtkSelectionModel *model,
                                guint              position)
{
  return gtk_bitset_contains (RH_CARD_LIST_MODEL (model)->selected, position);
}

static GtkBitset *
rh_card_list_model_get_selection_in_range (GtkSelectionModel *model,
                                           guint              position,
                                           guint              n_items)
{
  GtkBitset *result = gtk_bitset_new_range (position, n_items);

  gtk_bitset_intersect (result, RH_CARD_LIST_MODEL (model)->selected);
  return result;
}

static gboolean
rh_card_list_model_set_selection (GtkSelectionModel *model,
                                  GtkBitset         *selected,
                                  GtkBitset         *mask)
{
  RhCardListModel *self = RH_CARD_LIST_MODEL (model);
  g_autoptr(GtkBitset) changed = gtk_bitset_copy (self->selected);
  g_autoptr(GtkBitset) added = gtk_bitset_copy (selected);
  guint first, last;

  gtk_bitset_intersect (added, mask);
  gtk_bitset_subtract (self->selected, mask);
  gtk_bitset_union (self->selected, added);
  gtk_bitset_remove_range_closed (self->selected, self->n_items, G_MAXUINT);

  /* the symmetric difference: what was selected or unselected */
  gtk_bitset_difference (changed, self->selected);
  if (gtk_bitset_is_empty (changed))
    return TRUE;

  first = gtk_bitset_get_minimum (changed);
  last = gtk_bitset_get_maximum (changed);
  gtk_selection_model_selection_changed (model, first, last - first + 1);
  return TRUE;
}

static void
rh_card_list_model_selection_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = rh_card_list_model_is_selected;
  iface->get_selection_in_range = rh_card_list_model_get_selection_in_range;
  iface->set_selection = rh_card_list_model_set_selection;
}

static void
rh_card_list_model_finalize (GObject *object)
{
  RhCardListModel *self = RH_CARD_LIST_MODEL (object);

  clear_pages (self);
  g_clear_pointer (&self->selected, gtk_bitset_unref);
  g_clear_pointer (&self->reader_queue, reader_stop);
  g_clear_pointer (&self->deck_names, g_hash_table_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->collection);
  g_free (self->text);
  g_free (self->deck_id);

  G_OBJECT_CLASS (rh_card_list_model_parent_class)->finalize (object);
}

static void
rh_card_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RhCardListModel *self = RH_CARD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_card_list_model_class_init (RhCardListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rh_card_list_model_finalize;
  object_class->get_property = rh_card_list_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rh_card_list_model_init (RhCardListModel *self)
{
  g_queue_init (&self->pages);
  self->selected = gtk_bitset_new_empty ();
  self->deck_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sort = RH_CARD_SORT_CREATED;
  self->descending = TRUE;
}

/**
 * rh_card_list_model_new:
 * @collection: the collection to read
 *
 * A list of the collection's cards that reads them a page at a time, as
 * the view asks for them, and their selection (a #GtkSelectionModel that
 * allows many rows). It starts empty: set a query or reload it.
 *
 * Returns: (transfer full): the model
 */
RhCardListModel *
rh_card_list_model_new (RhCollection *collection)
{
  RhCardListModel *self;

  g_return_val_if_fail (RH_IS_COLLECTION (collection), NULL);

  self = g_object_new (RH_TYPE_CARD_LIST_MODEL, NULL);
  self->collection = g_object_ref (collection);
  return self;
}

/**
 * rh_card_list_model_set_collection_path:
 * @path: (nullable): the file the collection was opened from
 *
 * With the file, pages are read on a thread of their own with its own
 * connection: the model hands out empty rows at once and fills them in
 * when their page is read. Without it (or for ":memory:") pages are read
 * on the main thread when asked for.
 */
void
rh_card_list_model_set_collection_path (RhCardListModel *self,
                                        const char      *path)
{
  g_return_if_fail (RH_IS_CARD_LIST_MODEL (self));

  g_clear_pointer (&self->reader_queue, reader_stop);
  if (path != NULL && g_strcmp0 (path, ":memory:") != 0)
    self->reader_queue = reader_start (path);
}

/**
 * rh_card_list_model_reload:
 *
 * Counts the cards that match again and drops what was read, for after
 * the collection changed.
 */
void
rh_card_list_model_reload (RhCardListModel *self)
{
  g_autoptr(GError) error = NULL;
  RhCardQuery query;
  guint old_n, new_n = 0;

  g_return_if_fail (RH_IS_CARD_LIST_MODEL (self));

  fill_query (self, &query);
  if (!rh_collection_count_cards (self->collection, &query, &new_n, &error))
    {
      g_warning ("Cannot count cards: %s", error->message);
      new_n = 0;
    }
  g_clear_error (&self->error);
  self->error = g_steal_pointer (&error);

  self->generation++;
  clear_pages (self);
  g_hash_table_remove_all (self->deck_names);
  self->day_start_us = rh_collection_day_start (self->collection);

  /* Two signals, not one: when a single change removes the row a list
   * view tracks (its anchor or focus), GTK looks for that row among all
   * the added ones, which would read every page of the collection. */
  old_n = self->n_items;
  self->n_items = 0;
  /* the rows go, and their selection with them */
  gtk_bitset_remove_all (self->selected);
  if (old_n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  self->n_items = new_n;
  if (new_n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * rh_card_list_model_set_query:
 * @query: what to list: the text is searched with the collection's
 *   full-text search, in the order of @query's sort
 *
 * Changes what the model lists and reloads it.
 */
void
rh_card_list_model_set_query (RhCardListModel   *self,
                              const RhCardQuery *query)
{
  g_autofree char *text = NULL;

  g_return_if_fail (RH_IS_CARD_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  /* Whitespace only is no search at all. */
  text = g_strstrip (g_strdup (query->text ? query->text : ""));

  g_free (self->text);
  self->text = *text ? g_steal_pointer (&text) : NULL;
  g_free (self->deck_id);
  self->deck_id = g_strdup (query->deck_id);
  self->sort = query->sort;
  self->descending = query->descending;

  rh_card_list_model_reload (self);
}

/**
 * rh_card_list_model_get_query:
 * @out_query: (out caller-allocates): filled with the current query; its
 *   strings belong to the model
 */
void
rh_card_list_model_get_query (RhCardListModel *self,
                              RhCardQuery     *out_query)
{
  g_return_if_fail (RH_IS_CARD_LIST_MODEL (self));
  g_return_if_fail (out_query != NULL);

  fill_query (self, out_query);
}

/**
 * rh_card_list_model_get_error:
 *
 * Returns: (nullable) (transfer none): why the last reload found no
 *   cards, or %NULL
 */
const GError *
rh_card_list_model_get_error (RhCardListModel *self)
{
  g_return_val_if_fail (RH_IS_CARD_LIST_MODEL (self), NULL);
  return self->error;
}

/* The ids of the rows from @start to @end, from pages already read or
 * else from every match's id in order (@all_ids, read on first need). */
static gboolean
add_ids (RhCardListModel  *self,
         GStrvBuilder     *builder,
         guint             start,
         guint             end,
         GPtrArray       **all_ids,
         GError          **error)
{
  guint position = start;

  while (position <= end)
    {
      guint index = position / RH_CARD_LIST_MODEL_PAGE_SIZE;
      guint page_end = (index + 1) * RH_CARD_LIST_MODEL_PAGE_SIZE - 1;
      Page *page = NULL;

      for (GList *l = self->pages.head; l && page == NULL; l = l->next)
        if (((Page *) l->data)->index == index && ((Page *) l->data)->loaded)
          page = l->data;

      if (page != NULL)
        {
          for (; position <= MIN (end, page_end); position++)
            {
              guint offset = position % RH_CARD_LIST_MODEL_PAGE_SIZE;

              if (offset < page->rows->len && RH_CARD_ROW (page->rows->pdata[offset])->id)
                g_strv_builder_add (builder, RH_CARD_ROW (page->rows->pdata[offset])->id);
            }
          continue;
        }

      if (*all_ids == NULL)
        {
          RhCardQuery query;

          fill_query (self, &query);
          if (!(*all_ids = rh_collection_search_card_ids (self->collection, &query, error)))
            return FALSE;
        }
      /* the cards may have changed since the count: no more than there are */
      if (position >= (*all_ids)->len)
        break;
      for (; position <= MIN (end, page_end) && position < (*all_ids)->len; position++)
        g_strv_builder_add (builder, (*all_ids)->pdata[position]);
    }
  return TRUE;
}

/**
 * rh_card_list_model_dup_ids:
 * @positions: the rows, e.g. the selection
 *
 * The cards at @positions, read now where their page is not read yet.
 *
 * Returns: (transfer full) (nullable): their ids, or %NULL with @error
 */
GStrv
rh_card_list_model_dup_ids (RhCardListModel  *self,
                            GtkBitset        *positions,
                            GError          **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) all_ids = NULL;
  GtkBitsetIter iter;
  guint position, start = 0, end = 0;
  gboolean in_run = FALSE;

  g_return_val_if_fail (RH_IS_CARD_LIST_MODEL (self), NULL);
  g_return_val_if_fail (positions != NULL, NULL);

  /* contiguous runs of positions, each read with as few queries as can be */
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, positions, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      if (position >= self->n_items)
        break;
      if (in_run && position == end + 1)
        {
          end = position;
          continue;
        }
      if (in_run && !add_ids (self, builder, start, end, &all_ids, error))
        return NULL;
      start = end = position;
      in_run = TRUE;
    }
  if (in_run && !add_ids (self, builder, start, end, &all_ids, error))
    return NULL;

  return g_strv_builder_end (builder);
}

/**
 * rh_card_list_model_get_pages_fetched:
 *
 * For tests that check the model reads lazily.
 *
 * Returns: how many pages were asked for since the model was made
 */
guint
rh_card_list_model_get_pages_fetched (RhCardListModel *self)
{
  g_return_val_if_fail (RH_IS_CARD_LIST_MODEL (self), 0);
  return self->pages_fetched;
}
