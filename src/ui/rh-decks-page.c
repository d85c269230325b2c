// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-composition.h"
#include "rh-decks-page.h"

/* ---- RhDeckEntry: one deck as the list shows it ---- */

#define RH_TYPE_DECK_ENTRY (rh_deck_entry_get_type ())

G_DECLARE_FINAL_TYPE (RhDeckEntry, rh_deck_entry, RH, DECK_ENTRY, GObject)

struct _RhDeckEntry
{
  GObject       parent_instance;

  char         *id;
  char         *name;
  RhDeckCounts  counts;
};

G_DEFINE_FINAL_TYPE (RhDeckEntry, rh_deck_entry, G_TYPE_OBJECT)

static void
rh_deck_entry_finalize (GObject *object)
{
  RhDeckEntry *self = RH_DECK_ENTRY (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (rh_deck_entry_parent_class)->finalize (object);
}

static void
rh_deck_entry_class_init (RhDeckEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rh_deck_entry_finalize;
}

static void
rh_deck_entry_init (RhDeckEntry *self)
{
}

static RhDeckEntry *
rh_deck_entry_new (RhDeck             *deck,
                   const RhDeckCounts *counts)
{
  RhDeckEntry *self = g_object_new (RH_TYPE_DECK_ENTRY, NULL);

  self->id = g_strdup (rh_deck_get_id (deck));
  self->name = g_strdup (rh_deck_get_name (deck));
  self->counts = *counts;
  return self;
}

/* ---- RhDecksPage ---- */

/* The first frame makes the deck rows the window shows, at least this
 * many: each costs about a millisecond to make, style and draw. The
 * others come right after the first frame. */
#define FIRST_FRAME_ROWS 12
/* about how tall a deck row is, in pixels */
#define DECK_ROW_HEIGHT 55

typedef struct _Loader Loader;

struct _RhDecksPage
{
  AdwBin          parent_instance;

  RhCollection   *collection;
  char           *collection_path;
  GListStore     *decks;
  /* the rows made so far: the first frame's, then all */
  GtkSliceListModel *shown;
  RhDeckCounts    all_counts;
  gboolean        loaded_once;
  gboolean        loading;
  Loader         *loader;
  GCancellable   *cancellable;

  GtkStack       *stack;
  GtkListBox     *all_list;
  AdwActionRow   *all_row;
  GtkListBox     *decks_list;
  /* the deck menu while it is open */
  GtkPopover     *deck_menu;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (RhDecksPage, rh_decks_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_N_DECKS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  LOADED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void loader_unref (Loader *loader);

/* Each count keeps to its words, so a narrow row breaks the line only
 * after a separator: "12 nuevas · 0 aprendiendo ·" then "0 pendientes". */
static char *
keep_counts_together (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, " · ", -1);

  /* a translation with other separators wraps as it always did */
  if (g_strv_length (parts) < 2)
    return g_strdup (text);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (parts[i], " ", -1);

      g_free (parts[i]);
      parts[i] = g_strjoinv ("\u00a0", words);
    }
  return g_strjoinv ("\u00a0· ", parts);
}

static char *
format_counts (const RhDeckCounts *counts)
{
  g_autofree char *text = NULL;

  if (counts->total == 0)
    return g_strdup (_("No cards"));
  /* Translators: what is left to study today in a deck */
  text = g_strdup_printf (_("%u new · %u learning · %u due"),
                          counts->new_cards, counts->learning, counts->due);
  return keep_counts_together (text);
}

/**
 * rh_deck_menu_new:
 * @deck_id: the deck
 *
 * The deck's options (rename, delete), for its row and its page.
 *
 * Returns: (transfer full): the menu
 */
GMenuModel *
rh_deck_menu_new (const char *deck_id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);

  g_menu_item_set_action_and_target_value (rename, "window.rename-deck",
                                           g_variant_new_string (deck_id));
  g_menu_item_set_action_and_target_value (delete, "window.delete-deck",
                                           g_variant_new_string (deck_id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  return G_MENU_MODEL (menu);
}

/* ---- a deck's options ----
 *
 * Rename and delete are on the deck's own page, and here in a menu that
 * the row opens on a right click, a long press or the Menu key. The rows
 * carry no menu button: twenty of them cost a fifth of the first frame. */

static gboolean
unparent_popover_cb (gpointer data)
{
  g_autoptr(GtkWidget) popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  return G_SOURCE_REMOVE;
}

static void
deck_menu_closed_cb (GtkPopover *popover)
{
  /* not while the popover is still busy closing */
  g_idle_add (unparent_popover_cb, g_object_ref (popover));
}

/* Before the rows go: a popover does not outlive its parent. */
static void
close_deck_menu (RhDecksPage *self)
{
  GtkWidget *popover = GTK_WIDGET (self->deck_menu);

  if (popover == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (popover), (gpointer *) &self->deck_menu);
  self->deck_menu = NULL;
  g_signal_handlers_disconnect_by_func (popover, deck_menu_closed_cb, NULL);
  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
}

static void
show_deck_menu (RhDecksPage   *self,
                GtkListBoxRow *row,
                double         x,
                double         y)
{
  const char *deck_id = g_object_get_data (G_OBJECT (row), "rh-deck-id");
  g_autoptr(GMenuModel) menu = NULL;
  GtkWidget *popover;

  if (deck_id == NULL)
    return;

  close_deck_menu (self);
  menu = rh_deck_menu_new (deck_id);
  popover = gtk_popover_menu_new_from_model (menu);
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                                 &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (deck_menu_closed_cb), NULL);
  self->deck_menu = GTK_POPOVER (popover);
  g_object_add_weak_pointer (G_OBJECT (popover), (gpointer *) &self->deck_menu);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* A point in the deck list, or the row's own middle when @x is negative. */
static void
deck_menu_at (RhDecksPage *self,
              double       x,
              double       y)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_y (self->decks_list, (int) y);
  graphene_point_t in_row;

  if (row == NULL)
    return;
  if (!gtk_widget_compute_point (GTK_WIDGET (self->decks_list), GTK_WIDGET (row),
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &in_row))
    return;
  show_deck_menu (self, row, in_row.x, in_row.y);
}

static void
deck_list_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      RhDecksPage     *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  deck_menu_at (self, x, y);
}

static void
deck_list_long_pressed_cb (GtkGestureLongPress *gesture,
                           double               x,
                           double               y,
                           RhDecksPage         *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  deck_menu_at (self, x, y);
}

/* Shift+F10 or the Menu key on a deck's row, or anything in it */
static gboolean
deck_menu_key_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  RhDecksPage *self = RH_DECKS_PAGE (user_data);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_LIST_BOX_ROW (w) && gtk_widget_get_parent (w) == GTK_WIDGET (self->decks_list))
      {
        show_deck_menu (self, GTK_LIST_BOX_ROW (w),
                        gtk_widget_get_width (w) / 2.0, gtk_widget_get_height (w) / 2.0);
        return TRUE;
      }
  return FALSE;
}

/* About what the title of a deck row holds in a 360 px window */
#define LONG_WORD_CHARS 24

/* Breaking inside words is only for a word too long for a narrow window.
 * It is not the default: a label that may break anywhere is measured at
 * its narrowest, one character a line, which made the rows a third of the
 * time to the first frame. */
static PangoWrapMode
wrap_mode_for (const char *text)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* a no-break space joins, as it does for the counts */
      run = g_unichar_isspace (c) && c != 0x00A0 && c != 0x202F ? 0 : run + 1;
      if (run > LONG_WORD_CHARS)
        return PANGO_WRAP_WORD_CHAR;
    }
  return PANGO_WRAP_WORD;
}

static GtkWidget *
create_deck_row (gpointer item,
                 gpointer user_data)
{
  RhDeckEntry *entry = item;
  g_autofree char *counts = format_counts (&entry->counts);
  g_autofree char *study_label = g_strdup_printf (_("Study %s"), entry->name);
  GtkWidget *row, *header, *titles, *title, *subtitle, *study;

  /* The parts of an AdwActionRow a deck uses, and the same style classes
   * (row > box.header > box.title > label.title, label.subtitle): a
   * third fewer widgets a row, which tells on the first frame. */
  row = gtk_list_box_row_new ();
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (header, "header");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), header);

  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (titles, "title");
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (header), titles);

  title = gtk_label_new (entry->name);
  gtk_widget_add_css_class (title, "title");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), wrap_mode_for (entry->name));
  gtk_box_append (GTK_BOX (titles), title);

  subtitle = gtk_label_new (counts);
  gtk_widget_add_css_class (subtitle, "subtitle");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), wrap_mode_for (counts));
  gtk_box_append (GTK_BOX (titles), subtitle);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, subtitle, NULL,
                                  -1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "window.open-deck");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", entry->id);
  g_object_set_data_full (G_OBJECT (row), "rh-deck-id", g_strdup (entry->id), g_free);

  study = gtk_button_new_with_label (_("Study"));
  gtk_widget_set_valign (study, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (study), "window.study");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (study), "s", entry->id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (study),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, study_label,
                                  -1);
  gtk_box_append (GTK_BOX (header), study);

  return row;
}

/**
 * rh_decks_snapshot_load:
 *
 * Reads the decks and what is left in them today. Two passes over the
 * cards: on a large collection, a worker thread's job.
 *
 * Returns: (transfer full) (nullable): the snapshot
 */
RhDecksSnapshot *
rh_decks_snapshot_load (RhCollection  *collection,
                        GError       **error)
{
  g_autoptr(RhDecksSnapshot) snapshot = g_new0 (RhDecksSnapshot, 1);

  if (!(snapshot->summaries = rh_collection_list_decks (collection, error)) ||
      !rh_collection_queue_counts_for_decks (collection, snapshot->summaries, &snapshot->queue,
                                             error))
    return NULL;
  return g_steal_pointer (&snapshot);
}

void
rh_decks_snapshot_free (RhDecksSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->summaries, g_ptr_array_unref);
  g_free (snapshot);
}

/* As many rows as the window's height holds, or FIRST_FRAME_ROWS */
static guint
first_frame_rows (RhDecksPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  int width = 0, height = 0;

  /* both out arguments: GTK 4.8 writes to each */
  if (GTK_IS_WINDOW (root))
    gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
  return MAX (FIRST_FRAME_ROWS, height / DECK_ROW_HEIGHT + 1);
}

/* The empty and error pages start hidden, so the first frame does not
 * style them. */
static void
show_stack_page (GtkStack   *stack,
                 const char *name)
{
  gtk_widget_set_visible (gtk_stack_get_child_by_name (stack, name), TRUE);
  gtk_stack_set_visible_child_name (stack, name);
}

static void
show_error (RhDecksPage  *self,
            const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  show_stack_page (self->stack, "error");
}

static void
show_decks (RhDecksPage           *self,
            const RhDecksSnapshot *snapshot)
{
  GPtrArray *summaries = snapshot->summaries;
  const RhQueueCounts *queue = &snapshot->queue;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *focused_id = NULL;
  g_autofree char *all_counts = NULL;
  GtkRoot *root;
  GtkWidget *focus;
  guint old_n;

  /* Keep the keyboard where it was across the rebuild. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_LIST_BOX_ROW (w) && gtk_widget_get_parent (w) == GTK_WIDGET (self->decks_list))
      {
        focused_id = g_strdup (g_object_get_data (G_OBJECT (w), "rh-deck-id"));
        break;
      }

  /* The decks' counts are raw; the daily limits apply to the whole
   * collection, so what one deck can still show is its count capped by
   * what all decks together can (which queue_counts() gives). */
  self->all_counts = (RhDeckCounts) { 0 };
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < summaries->len; i++)
    {
      RhDeckSummary *summary = summaries->pdata[i];
      RhDeckCounts counts = summary->counts;

      counts.new_cards = MIN (counts.new_cards, queue->new_cards);
      counts.due = MIN (counts.due, queue->review);
      self->all_counts.total += counts.total;
      g_ptr_array_add (entries, rh_deck_entry_new (summary->deck, &counts));
    }
  self->all_counts.new_cards = queue->new_cards;
  self->all_counts.learning = queue->learning;
  self->all_counts.due = queue->review;

  old_n = g_list_model_get_n_items (G_LIST_MODEL (self->decks));
  close_deck_menu (self);
  if (gtk_slice_list_model_get_size (self->shown) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->shown, first_frame_rows (self));
  g_list_store_splice (self->decks, 0, old_n, entries->pdata, entries->len);

  all_counts = format_counts (&self->all_counts);
  adw_action_row_set_subtitle (self->all_row, all_counts);
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "list" : "empty");

  if (focused_id != NULL)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->decks_list));
         row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "rh-deck-id"), focused_id) == 0)
        {
          gtk_widget_grab_focus (row);
          break;
        }

  if (old_n != entries->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_DECKS]);
  g_signal_emit (self, signals [LOADED], 0);
}

static void
set_loading (RhDecksPage *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

/* ---- loading off the main thread ---- */

/* A connection of the page's own, used by one worker thread at a time. */
struct _Loader
{
  GMutex        mutex;
  char         *path;
  RhCollection *collection;
};

static void
loader_clear (gpointer data)
{
  Loader *loader = data;

  g_mutex_clear (&loader->mutex);
  g_free (loader->path);
  g_clear_object (&loader->collection);
}

static void
loader_unref (Loader *loader)
{
  g_atomic_rc_box_release_full (loader, loader_clear);
}

static Loader *
loader_new (const char *path)
{
  Loader *loader = g_atomic_rc_box_new0 (Loader);

  g_mutex_init (&loader->mutex);
  loader->path = g_strdup (path);
  return loader;
}

typedef struct
{
  Loader          *loader;
  RhStudySettings  settings;
  gint64           now;       /* the page's collection's time, when asked */
  RhDecksSnapshot *snapshot;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_clear_pointer (&job->loader, loader_unref);
  g_clear_pointer (&job->snapshot, rh_decks_snapshot_free);
  g_free (job);
}

static gint64
fixed_clock (gpointer data)
{
  return *(gint64 *) data;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  Loader *loader = job->loader;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&loader->mutex);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (loader->collection == NULL &&
      !(loader->collection = rh_composition_open (loader->path, FALSE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* counted as the page's collection would count them, at its time */
  rh_collection_set_clock (loader->collection, fixed_clock, &job->now);
  if (rh_collection_set_study_settings (loader->collection, &job->settings, &error))
    job->snapshot = rh_decks_snapshot_load (loader->collection, &error);
  rh_collection_set_clock (loader->collection, NULL, NULL);
  if (job->snapshot == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RhDecksPage *self = RH_DECKS_PAGE (object);
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* A newer load, or the page going away, cancelled this one. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_loading (self, FALSE);
      show_error (self, error);
      return;
    }

  set_loading (self, FALSE);
  show_decks (self, job->snapshot);
}

static void
load_async (RhDecksPage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job = g_new0 (LoadJob, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->loader == NULL)
    self->loader = loader_new (self->collection_path);
  job->loader = g_atomic_rc_box_acquire (self->loader);
  job->settings = *rh_collection_get_study_settings (self->collection);
  job->now = rh_collection_now (self->collection);

  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, load_async);
  g_task_set_task_data (task, job, load_job_free);
  set_loading (self, TRUE);
  g_task_run_in_thread (task, load_thread);
}

/**
 * rh_decks_page_reload:
 *
 * Reads the decks and their counts again. The first time (at startup, so
 * the first frame has them) this happens at once; later, once the page
 * knows the collection's file, on a worker thread with a connection of
 * its own, and the rows keep their old counts until the new ones come.
 *
 * Returns: %FALSE when the collection could not be read (the page then
 *   says so)
 */
gboolean
rh_decks_page_reload (RhDecksPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDecksSnapshot) snapshot = NULL;

  g_return_val_if_fail (RH_IS_DECKS_PAGE (self), FALSE);

  if (self->collection == NULL)
    return FALSE;

  if (self->loaded_once && self->collection_path != NULL)
    {
      load_async (self);
      return TRUE;
    }

  if (!(snapshot = rh_decks_snapshot_load (self->collection, &error)))
    {
      show_error (self, error);
      return FALSE;
    }
  rh_decks_page_show_snapshot (self, snapshot);
  return TRUE;
}

/**
 * rh_decks_page_show_snapshot:
 *
 * Shows decks read elsewhere: at startup, while GTK started up.
 */
void
rh_decks_page_show_snapshot (RhDecksPage           *self,
                             const RhDecksSnapshot *snapshot)
{
  g_return_if_fail (RH_IS_DECKS_PAGE (self));
  g_return_if_fail (snapshot != NULL);

  self->loaded_once = TRUE;
  show_decks (self, snapshot);
}

/**
 * rh_decks_page_set_collection_path:
 * @path: (nullable): the collection's file, for a worker's own connection
 *
 * Without it (or for an in-memory collection) every reload runs on the
 * main thread.
 */
void
rh_decks_page_set_collection_path (RhDecksPage *self,
                                   const char  *path)
{
  g_return_if_fail (RH_IS_DECKS_PAGE (self));

  if (g_strcmp0 (path, ":memory:") == 0)
    path = NULL;
  if (g_strcmp0 (self->collection_path, path) == 0)
    return;

  g_free (self->collection_path);
  self->collection_path = g_strdup (path);
  g_clear_pointer (&self->loader, loader_unref);
}

/**
 * rh_decks_page_get_loading:
 *
 * Returns: whether a reload is on its way
 */
gboolean
rh_decks_page_get_loading (RhDecksPage *self)
{
  g_return_val_if_fail (RH_IS_DECKS_PAGE (self), FALSE);

  return self->loading;
}

/**
 * rh_decks_page_focus_deck:
 * @deck_id: (nullable): a deck, or %NULL for the All Decks row
 *
 * Puts the keyboard focus on a deck's row, as when coming back from it.
 */
void
rh_decks_page_focus_deck (RhDecksPage *self,
                          const char  *deck_id)
{
  g_return_if_fail (RH_IS_DECKS_PAGE (self));

  if (deck_id != NULL)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->decks_list));
         row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "rh-deck-id"), deck_id) == 0)
        {
          gtk_widget_grab_focus (row);
          return;
        }
  gtk_widget_grab_focus (GTK_WIDGET (self->all_row));
}

/**
 * rh_decks_page_get_collection:
 *
 * Returns: (transfer none) (nullable): the collection shown
 */
RhCollection *
rh_decks_page_get_collection (RhDecksPage *self)
{
  g_return_val_if_fail (RH_IS_DECKS_PAGE (self), NULL);

  return self->collection;
}

void
rh_decks_page_set_collection (RhDecksPage  *self,
                              RhCollection *collection)
{
  g_return_if_fail (RH_IS_DECKS_PAGE (self));
  g_return_if_fail (!collection || RH_IS_COLLECTION (collection));

  if (g_set_object (&self->collection, collection))
    {
      /* the caller loads: from a snapshot, or with rh_decks_page_reload() */
      self->loaded_once = FALSE;
      g_cancellable_cancel (self->cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLLECTION]);
    }
}

guint
rh_decks_page_get_n_decks (RhDecksPage *self)
{
  g_return_val_if_fail (RH_IS_DECKS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->decks));
}

static RhDeckEntry *
find_entry (RhDecksPage *self,
            const char  *deck_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->decks));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RhDeckEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->decks), i);
      if (g_strcmp0 (entry->id, deck_id) == 0)
        return entry;
    }
  return NULL;
}

/**
 * rh_decks_page_dup_deck_name:
 * @deck_id: (nullable): a deck, or %NULL for all decks
 *
 * Returns: (transfer full) (nullable): the deck's name as last loaded
 */
char *
rh_decks_page_dup_deck_name (RhDecksPage *self,
                             const char  *deck_id)
{
  RhDeckEntry *entry;

  g_return_val_if_fail (RH_IS_DECKS_PAGE (self), NULL);

  if (deck_id == NULL || *deck_id == '\0')
    return g_strdup (_("All Decks"));
  if ((entry = find_entry (self, deck_id)))
    return g_strdup (entry->name);
  return NULL;
}

/**
 * rh_decks_page_get_counts:
 * @deck_id: (nullable): a deck, or %NULL for all decks
 * @out: (out): what is left today, within the daily limits
 */
void
rh_decks_page_get_counts (RhDecksPage  *self,
                          const char   *deck_id,
                          RhDeckCounts *out)
{
  RhDeckEntry *entry;

  g_return_if_fail (RH_IS_DECKS_PAGE (self));

  *out = (RhDeckCounts) { 0 };
  if (deck_id == NULL || *deck_id == '\0')
    *out = self->all_counts;
  else if ((entry = find_entry (self, deck_id)))
    *out = entry->counts;
}

/**
 * rh_decks_page_list_decks:
 *
 * Returns: (transfer full): a #GtkStringList of the deck names, each
 *   item's "rh-deck-id" data its id, for a deck picker
 */
GListModel *
rh_decks_page_list_decks (RhDecksPage *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->decks));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RhDeckEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->decks), i);
      g_autoptr(GObject) item = NULL;

      gtk_string_list_append (names, entry->name);
      item = g_list_model_get_item (G_LIST_MODEL (names), i);
      g_object_set_data_full (item, "rh-deck-id", g_strdup (entry->id), g_free);
    }
  return G_LIST_MODEL (names);
}

static void
rh_decks_page_dispose (GObject *object)
{
  RhDecksPage *self = RH_DECKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loader, loader_unref);
  close_deck_menu (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_DECKS_PAGE);
  g_clear_object (&self->collection);
  g_clear_object (&self->shown);
  g_clear_object (&self->decks);
  g_clear_pointer (&self->collection_path, g_free);

  G_OBJECT_CLASS (rh_decks_page_parent_class)->dispose (object);
}

static void
rh_decks_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RhDecksPage *self = RH_DECKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;

    case PROP_N_DECKS:
      g_value_set_uint (value, rh_decks_page_get_n_decks (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_decks_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RhDecksPage *self = RH_DECKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      rh_decks_page_set_collection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
first_frame_painted_cb (GdkFrameClock *clock,
                        RhDecksPage   *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, self);
  /* NULL once disposed */
  if (self->shown != NULL)
    gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
}

static void
rh_decks_page_map (GtkWidget *widget)
{
  RhDecksPage *self = RH_DECKS_PAGE (widget);

  GTK_WIDGET_CLASS (rh_decks_page_parent_class)->map (widget);
  if (gtk_slice_list_model_get_size (self->shown) != G_MAXUINT)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (first_frame_painted_cb), self, 0);
}

static void
rh_decks_page_class_init (RhDecksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_decks_page_dispose;
  object_class->get_property = rh_decks_page_get_property;
  object_class->set_property = rh_decks_page_set_property;
  widget_class->map = rh_decks_page_map;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_DECKS] =
    g_param_spec_uint ("n-decks", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RhDecksPage::loaded:
   *
   * The decks and their counts were read again.
   */
  signals [LOADED] =
    g_signal_new ("loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-decks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhDecksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RhDecksPage, all_list);
  gtk_widget_class_bind_template_child (widget_class, RhDecksPage, all_row);
  gtk_widget_class_bind_template_child (widget_class, RhDecksPage, decks_list);
  gtk_widget_class_bind_template_child (widget_class, RhDecksPage, error_page);
}

static void
rh_decks_page_init (RhDecksPage *self)
{
  GtkGesture *click, *long_press;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->decks = g_list_store_new (RH_TYPE_DECK_ENTRY);
  self->shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->decks)), 0,
                                          FIRST_FRAME_ROWS);
  gtk_list_box_bind_model (self->decks_list, G_LIST_MODEL (self->shown),
                           create_deck_row, self, NULL);

  /* one set of controllers on the list, none on each row */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (deck_list_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->decks_list), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (deck_list_long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->decks_list), GTK_EVENT_CONTROLLER (long_press));

  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                                  GDK_SHIFT_MASK),
                                                          gtk_callback_action_new (deck_menu_key_cb,
                                                                                   self, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                          gtk_callback_action_new (deck_menu_key_cb,
                                                                                   self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->decks_list), keys);
}
