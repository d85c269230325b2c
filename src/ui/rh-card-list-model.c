// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-card-list-model.h"
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

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
rh_card_row_init (RhCardRow *self)
{
}

/**
 * rh_card_row_get_id:
 *
 * Returns: (nullable): the card's id; %NULL for the placeholder shown
 *   when the collection changed under the list
 */
const char *
rh_card_row_get_id (RhCardRow *self)
{
  g_return_val_if_fail (RH_IS_CARD_ROW (self), NULL);
  return self->id;
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

/* ---- RhCardListModel ---- */

typedef struct
{
  guint      index;
  GPtrArray *rows;
} Page;

struct _RhCardListModel
{
  GObject       parent_instance;

  RhCollection *collection;

  char         *text;
  char         *deck_id;
  RhCardSort    sort;
  gboolean      descending;

  guint         n_items;
  /* of Page, the most recently used first */
  GQueue        pages;
  /* deck id → name, filled as rows need them */
  GHashTable   *deck_names;
  GError       *error;

  gint64        day_start_us;
  guint         pages_fetched;
};

static void rh_card_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhCardListModel, rh_card_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rh_card_list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static void
clear_pages (RhCardListModel *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

static const char *
lookup_deck_name (RhCardListModel *self,
                  const char      *deck_id)
{
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (deck_id == NULL)
    return "";
  if ((name = g_hash_table_lookup (self->deck_names, deck_id)))
    return name;

  if (!(deck = rh_collection_find_deck (self->collection, deck_id, &error)))
    {
      g_debug ("No deck %s: %s", deck_id, error->message);
      name = "";
    }
  else
    name = rh_deck_get_name (deck);

  g_hash_table_insert (self->deck_names, g_strdup (deck_id), g_strdup (name));
  return g_hash_table_lookup (self->deck_names, deck_id);
}

static RhCardRow *
make_row (RhCardListModel *self,
          RhFlashcard     *card)
{
  RhCardRow *row = g_object_new (RH_TYPE_CARD_ROW, NULL);
  const RhCardState *state = rh_flashcard_get_state (card);

  row->id = g_strdup (rh_flashcard_get_id (card));
  row->front = flatten_text (rh_flashcard_get_front (card));
  row->back = flatten_text (rh_flashcard_get_back (card));
  row->deck_name = g_strdup (lookup_deck_name (self, rh_flashcard_get_deck_id (card)));
  row->due = format_due (state, self->day_start_us);
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
  return row;
}

static RhCardRow *
make_placeholder_row (void)
{
  RhCardRow *row = g_object_new (RH_TYPE_CARD_ROW, NULL);

  row->front = g_strdup ("");
  row->back = g_strdup ("");
  row->deck_name = g_strdup ("");
  row->due = g_strdup ("");
  row->stability_text = g_strdup ("");
  return row;
}

static void
fill_query (RhCardListModel *self,
            RhCardQuery     *query)
{
  query->text = self->text;
  query->deck_id = self->deck_id;
  query->sort = self->sort;
  query->descending = self->descending;
}

static Page *
fetch_page (RhCardListModel *self,
            guint            index)
{
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  RhCardQuery query;
  Page *page;

  fill_query (self, &query);
  self->pages_fetched++;
  cards = rh_collection_search_cards (self->collection, &query,
                                      index * RH_CARD_LIST_MODEL_PAGE_SIZE,
                                      RH_CARD_LIST_MODEL_PAGE_SIZE, &error);
  if (cards == NULL)
    {
      g_warning ("Cannot read cards: %s", error->message);
      cards = g_ptr_array_new ();
    }

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = g_ptr_array_new_full (cards->len, g_object_unref);
  for (guint i = 0; i < cards->len; i++)
    g_ptr_array_add (page->rows, make_row (self, cards->pdata[i]));
  return page;
}

static Page *
lookup_page (RhCardListModel *self,
             guint            index)
{
  Page *page;

  for (GList *l = self->pages.head; l; l = l->next)
    {
      page = l->data;
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

  page = fetch_page (self, index);
  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_CACHED_PAGES)
    page_free (g_queue_pop_tail (&self->pages));
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
  guint offset;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, position / RH_CARD_LIST_MODEL_PAGE_SIZE);
  offset = position % RH_CARD_LIST_MODEL_PAGE_SIZE;

  /* The collection shrank since the count (another window deleted
   * cards): show an empty row until the next reload rather than break
   * the list's contract. */
  if (offset >= page->rows->len)
    return make_placeholder_row ();
  return g_object_ref (page->rows->pdata[offset]);
}

static void
rh_card_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rh_card_list_model_get_item_type;
  iface->get_n_items = rh_card_list_model_get_n_items;
  iface->get_item = rh_card_list_model_get_item;
}

static void
rh_card_list_model_finalize (GObject *object)
{
  RhCardListModel *self = RH_CARD_LIST_MODEL (object);

  clear_pages (self);
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
  self->deck_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sort = RH_CARD_SORT_CREATED;
  self->descending = TRUE;
}

/**
 * rh_card_list_model_new:
 * @collection: the collection to read
 *
 * A list of the collection's cards that reads them a page at a time, as
 * the view asks for them. It starts empty: set a query or reload it.
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

  clear_pages (self);
  g_hash_table_remove_all (self->deck_names);
  self->day_start_us = rh_collection_day_start (self->collection);

  old_n = self->n_items;
  self->n_items = new_n;
  if (old_n != 0 || new_n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
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

/**
 * rh_card_list_model_get_pages_fetched:
 *
 * For tests that check the model reads lazily.
 *
 * Returns: how many pages were read since the model was made
 */
guint
rh_card_list_model_get_pages_fetched (RhCardListModel *self)
{
  g_return_val_if_fail (RH_IS_CARD_LIST_MODEL (self), 0);
  return self->pages_fetched;
}
