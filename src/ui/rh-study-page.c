// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-study-page.h"
#include "rh-time.h"

/* Time spent on one card counts up to this: a learner who walked away
 * should not add an hour to the time studied. */
#define MAX_ANSWER_MS (60 * 1000)

struct _RhStudyPage
{
  AdwBin          parent_instance;

  RhCollection   *collection;
  char           *deck_id;
  RhStudyCard    *current;
  RhStudyState    state;
  guint           done;
  guint           remaining;
  gint64          shown_at_us;
  char           *progress_text;

  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkProgressBar *progress_bar;
  GtkLabel       *progress_label;
  GtkWidget      *card_box;
  GtkLabel       *front_label;
  GtkWidget      *answer_box;
  GtkLabel       *back_label;
  GtkLabel       *example_label;
  GtkLabel       *notes_label;
  GtkStack       *action_stack;
  GtkWidget      *reveal_button;
  GtkWidget      *grade_buttons[4];
  GtkLabel       *interval_labels[4];
  AdwStatusPage  *summary_page;
  GtkLabel       *studied_label;
  GtkLabel       *answers_label;
  GtkLabel       *time_label;
  GtkLabel       *count_labels[4];
  GtkLabel       *retention_label;
  GtkWidget      *summary_back_button;
  GtkWidget      *empty_back_button;
};

G_DEFINE_FINAL_TYPE (RhStudyPage, rh_study_page, ADW_TYPE_BIN)

G_DEFINE_ENUM_TYPE (RhStudyState, rh_study_state,
                    G_DEFINE_ENUM_VALUE (RH_STUDY_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (RH_STUDY_STATE_QUESTION, "question"),
                    G_DEFINE_ENUM_VALUE (RH_STUDY_STATE_ANSWER, "answer"),
                    G_DEFINE_ENUM_VALUE (RH_STUDY_STATE_SUMMARY, "summary"),
                    G_DEFINE_ENUM_VALUE (RH_STUDY_STATE_EMPTY, "empty"))

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_STATE,
  PROP_DONE,
  PROP_REMAINING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  ANSWERED,
  FAILED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const char * const rating_names[] = {
  N_("Again"), N_("Hard"), N_("Good"), N_("Easy"),
};

static void
set_state (RhStudyPage  *self,
           RhStudyState  state)
{
  gboolean can_undo;

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
    }

  can_undo = state != RH_STUDY_STATE_IDLE && self->collection != NULL &&
             rh_collection_can_undo (self->collection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "study.reveal",
                                 state == RH_STUDY_STATE_QUESTION);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "study.grade",
                                 state == RH_STUDY_STATE_ANSWER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "study.continue",
                                 state == RH_STUDY_STATE_QUESTION ||
                                 state == RH_STUDY_STATE_ANSWER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "study.undo", can_undo);
}

static void
fail (RhStudyPage  *self,
      const GError *error)
{
  g_warning ("Study: %s", error->message);
  g_signal_emit (self, signals [FAILED], 0, error->message);
}

static void
update_progress (RhStudyPage *self)
{
  guint total = self->done + self->remaining;

  g_clear_pointer (&self->progress_text, g_free);
  /* Translators: cards answered in this session, and cards left today */
  self->progress_text = g_strdup_printf (_("%u done · %u left"), self->done, self->remaining);
  gtk_label_set_text (self->progress_label, self->progress_text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 total > 0 ? (double) self->done / total : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, self->progress_text,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REMAINING]);
}

static void
set_optional_label (GtkLabel   *label,
                    const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* What a screen reader says for the card, which holds the focus. */
static void
describe_card (RhStudyPage *self,
               gboolean     revealed)
{
  g_autofree char *text = NULL;

  if (revealed)
    /* Translators: the card for screen readers: front, then back */
    text = g_strdup_printf (_("%s. Answer: %s"), gtk_label_get_text (self->front_label),
                            gtk_label_get_text (self->back_label));
  else
    text = g_strdup (gtk_label_get_text (self->front_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->card_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

static void
show_card (RhStudyPage *self,
           RhStudyCard *card)
{
  RhFlashcard *flashcard = card->card;

  g_clear_pointer (&self->current, rh_study_card_free);
  self->current = card;

  gtk_label_set_text (self->front_label, rh_flashcard_get_front (flashcard));
  gtk_label_set_text (self->back_label, rh_flashcard_get_back (flashcard));
  set_optional_label (self->example_label, rh_flashcard_get_example (flashcard));
  set_optional_label (self->notes_label, rh_flashcard_get_notes (flashcard));
  gtk_widget_set_visible (self->answer_box, FALSE);

  for (guint i = 0; i < 4; i++)
    {
      /* Translators: a grade button for screen readers: "Good, 2 d" */
      g_autofree char *accessible = g_strdup_printf (_("%s, %s"), _(rating_names[i]),
                                                     card->interval_labels[i]);
      gtk_label_set_text (self->interval_labels[i], card->interval_labels[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->grade_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
    }

  gtk_stack_set_visible_child_name (self->action_stack, "reveal");
  gtk_stack_set_visible_child_name (self->stack, "card");
  self->shown_at_us = g_get_monotonic_time ();
  set_state (self, RH_STUDY_STATE_QUESTION);
  describe_card (self, FALSE);
  /* The card takes the focus, not a button: a focused button would
   * swallow Space and Enter, and a button activated from the keyboard
   * waits a quarter of a second before it clicks. */
  gtk_widget_grab_focus (self->card_box);
}

static char *
format_duration (gint64 ms)
{
  gint64 s = (ms + 500) / 1000;

  if (s < 60)
    /* Translators: a time studied, in seconds */
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    /* Translators: a time studied, in minutes and seconds */
    return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));
  /* Translators: a time studied, in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s % 3600 / 60));
}

static void
show_summary (RhStudyPage *self,
              RhSession   *session)
{
  g_autoptr(GError) error = NULL;
  guint total = rh_session_get_total (session);
  guint again = rh_session_get_count (session, RH_RATING_AGAIN);
  guint cards = 0;
  g_autofree char *studied = NULL;
  g_autofree char *answers = g_strdup_printf ("%u", total);
  g_autofree char *time = format_duration (rh_session_get_time_ms (session));
  g_autofree char *retention = NULL;
  g_autofree char *description = NULL;

  if (total > 0)
    /* Translators: the share of answers that were not “Again” */
    retention = g_strdup_printf (_("%.0f %%"), 100.0 * (total - again) / total);
  else
    retention = g_strdup ("—");

  /* a card met again in a learning step is one card, two answers */
  if (rh_collection_count_session_cards (self->collection, session, &cards, &error))
    studied = g_strdup_printf ("%u", cards);
  else
    {
      g_warning ("Cannot count the cards of the session: %s", error->message);
      studied = g_strdup ("—");
    }

  gtk_label_set_text (self->studied_label, studied);
  gtk_label_set_text (self->answers_label, answers);
  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->retention_label, retention);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *count = g_strdup_printf ("%u", rh_session_get_count (session, i + 1));
      gtk_label_set_text (self->count_labels[i], count);
    }

  if (self->remaining > 0)
    description = g_strdup_printf (ngettext ("One card is still in learning and comes back later today",
                                             "%u cards are still in learning and come back later today",
                                             self->remaining),
                                   self->remaining);
  else
    description = g_strdup (_("You have studied everything due in this deck today"));
  adw_status_page_set_description (self->summary_page, description);

  gtk_stack_set_visible_child_name (self->stack, "summary");
  set_state (self, RH_STUDY_STATE_SUMMARY);
  gtk_widget_grab_focus (self->summary_back_button);
  /* the reviews go to the learner's other devices (when signed in) */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-soon", NULL);
}

static void
count_remaining (RhStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  RhQueueCounts counts = { 0 };

  if (!rh_collection_queue_counts (self->collection, self->deck_id, &counts, &error))
    fail (self, error);
  self->remaining = counts.new_cards + counts.learning + counts.review;
}

/* Shows the next card, or the summary when there is none. @recount asks
 * for the exact count of what is left; after an answer the count is
 * worked out from the answer instead, which spares a pass over the whole
 * collection for every card. */
static void
show_next (RhStudyPage *self,
           gboolean     recount)
{
  g_autoptr(GError) error = NULL;
  RhStudyCard *next;
  RhSession *session;

  next = rh_collection_next_card (self->collection, self->deck_id, &error);
  if (error != NULL)
    fail (self, error);

  if (recount || next == NULL)
    count_remaining (self);
  /* The card on show is one of those left. */
  if (next != NULL && self->remaining == 0)
    self->remaining = 1;
  update_progress (self);

  if (next != NULL)
    {
      show_card (self, next);
      return;
    }

  g_clear_pointer (&self->current, rh_study_card_free);
  session = rh_collection_get_session (self->collection);
  if (session != NULL && rh_session_get_total (session) > 0)
    show_summary (self, session);
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_state (self, RH_STUDY_STATE_EMPTY);
      gtk_widget_grab_focus (self->empty_back_button);
    }
}

/**
 * rh_study_page_start:
 * @deck_id: (nullable): the deck, or %NULL for all decks
 * @title: (nullable): what the header says
 *
 * Starts a session over a deck (ending the previous one).
 */
void
rh_study_page_start (RhStudyPage *self,
                     const char  *deck_id,
                     const char  *title)
{
  g_return_if_fail (RH_IS_STUDY_PAGE (self));
  g_return_if_fail (self->collection != NULL);

  rh_study_page_stop (self);

  g_free (self->deck_id);
  self->deck_id = deck_id && *deck_id ? g_strdup (deck_id) : NULL;
  adw_window_title_set_title (self->window_title, title ? title : _("Study"));
  self->done = 0;
  show_next (self, TRUE);
}

/**
 * rh_study_page_stop:
 *
 * Ends the session, if one is open, so its time and counts are saved.
 */
void
rh_study_page_stop (RhStudyPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhSession) session = NULL;

  g_return_if_fail (RH_IS_STUDY_PAGE (self));

  g_clear_pointer (&self->current, rh_study_card_free);
  if (self->collection != NULL && rh_collection_get_session (self->collection) != NULL)
    {
      session = rh_collection_end_session (self->collection, &error);
      if (error != NULL)
        g_warning ("Cannot end the session: %s", error->message);
      else if (session != NULL && rh_session_get_total (session) > 0)
        gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-soon", NULL);
    }
  set_state (self, RH_STUDY_STATE_IDLE);
}

/* ---- actions ---- */

static void
reveal_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RhStudyPage *self = RH_STUDY_PAGE (widget);

  if (self->state != RH_STUDY_STATE_QUESTION)
    return;

  gtk_widget_set_visible (self->answer_box, TRUE);
  gtk_stack_set_visible_child_name (self->action_stack, "grade");
  set_state (self, RH_STUDY_STATE_ANSWER);
  describe_card (self, TRUE);
  gtk_widget_grab_focus (self->card_box);
}

/* Space and Enter: show the answer, then (like Anki) answer “Good”. */
static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RhStudyPage *self = RH_STUDY_PAGE (widget);

  if (self->state == RH_STUDY_STATE_QUESTION)
    gtk_widget_activate_action (widget, "study.reveal", NULL);
  else if (self->state == RH_STUDY_STATE_ANSWER)
    gtk_widget_activate_action (widget, "study.grade", "i", RH_RATING_GOOD);
}

static void
grade_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RhStudyPage *self = RH_STUDY_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = NULL;
  int rating = g_variant_get_int32 (parameter);
  gint64 duration_ms, due, day_end;

  if (self->state != RH_STUDY_STATE_ANSWER || self->current == NULL)
    return;
  if (rating < RH_RATING_AGAIN || rating > RH_RATING_EASY)
    return;

  duration_ms = MIN ((g_get_monotonic_time () - self->shown_at_us) / 1000, MAX_ANSWER_MS);
  due = self->current->preview[rating - 1].due_us;
  day_end = rh_collection_day_start (self->collection) + RH_USEC_PER_DAY;
  review = rh_collection_answer (self->collection,
                                 rh_flashcard_get_id (self->current->card),
                                 rating, duration_ms, &error);
  if (review == NULL)
    {
      fail (self, error);
      return;
    }

  /* The card leaves today's queue unless its next step is still today. */
  self->done++;
  if (due >= day_end && self->remaining > 0)
    self->remaining--;
  show_next (self, FALSE);
  g_signal_emit (self, signals [ANSWERED], 0, rating);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RhStudyPage *self = RH_STUDY_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  RhStudyCard *again;

  if (self->state == RH_STUDY_STATE_IDLE)
    return;

  if (!(card = rh_collection_undo (self->collection, &error)) ||
      !(again = rh_collection_study_card (self->collection, rh_flashcard_get_id (card), &error)))
    {
      fail (self, error);
      set_state (self, self->state);
      return;
    }

  if (self->done > 0)
    self->done--;
  count_remaining (self);
  self->remaining = MAX (self->remaining, 1);
  update_progress (self);
  show_card (self, again);
}

/* ---- GObject ---- */

RhCollection *
rh_study_page_get_collection (RhStudyPage *self)
{
  g_return_val_if_fail (RH_IS_STUDY_PAGE (self), NULL);

  return self->collection;
}

void
rh_study_page_set_collection (RhStudyPage  *self,
                              RhCollection *collection)
{
  g_return_if_fail (RH_IS_STUDY_PAGE (self));
  g_return_if_fail (!collection || RH_IS_COLLECTION (collection));

  if (self->collection == collection)
    return;
  rh_study_page_stop (self);
  g_set_object (&self->collection, collection);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLLECTION]);
}

RhStudyState
rh_study_page_get_state (RhStudyPage *self)
{
  g_return_val_if_fail (RH_IS_STUDY_PAGE (self), RH_STUDY_STATE_IDLE);

  return self->state;
}

/**
 * rh_study_page_get_done:
 *
 * Returns: the cards answered since the session started
 */
guint
rh_study_page_get_done (RhStudyPage *self)
{
  g_return_val_if_fail (RH_IS_STUDY_PAGE (self), 0);

  return self->done;
}

/**
 * rh_study_page_get_remaining:
 *
 * Returns: the cards left today in the deck, within the daily limits
 */
guint
rh_study_page_get_remaining (RhStudyPage *self)
{
  g_return_val_if_fail (RH_IS_STUDY_PAGE (self), 0);

  return self->remaining;
}

/**
 * rh_study_page_get_progress_text:
 *
 * Returns: (transfer none) (nullable): what the progress label says
 */
const char *
rh_study_page_get_progress_text (RhStudyPage *self)
{
  g_return_val_if_fail (RH_IS_STUDY_PAGE (self), NULL);

  return self->progress_text;
}

static void
rh_study_page_dispose (GObject *object)
{
  RhStudyPage *self = RH_STUDY_PAGE (object);

  if (self->collection != NULL)
    rh_study_page_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_STUDY_PAGE);
  g_clear_object (&self->collection);
  g_clear_pointer (&self->current, rh_study_card_free);

  G_OBJECT_CLASS (rh_study_page_parent_class)->dispose (object);
}

static void
rh_study_page_finalize (GObject *object)
{
  RhStudyPage *self = RH_STUDY_PAGE (object);

  g_free (self->deck_id);
  g_free (self->progress_text);

  G_OBJECT_CLASS (rh_study_page_parent_class)->finalize (object);
}

static void
rh_study_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RhStudyPage *self = RH_STUDY_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;

    case PROP_REMAINING:
      g_value_set_uint (value, self->remaining);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_study_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RhStudyPage *self = RH_STUDY_PAGE (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      rh_study_page_set_collection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            keyval,
         GdkModifierType  mods,
         const char      *action,
         int              rating)
{
  if (rating > 0)
    gtk_widget_class_add_binding_action (widget_class, keyval, mods, action, "i", rating);
  else
    gtk_widget_class_add_binding_action (widget_class, keyval, mods, action, NULL);
}

static void
rh_study_page_class_init (RhStudyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint digit_keys[4][2] = {
    { GDK_KEY_1, GDK_KEY_KP_1 },
    { GDK_KEY_2, GDK_KEY_KP_2 },
    { GDK_KEY_3, GDK_KEY_KP_3 },
    { GDK_KEY_4, GDK_KEY_KP_4 },
  };

  object_class->dispose = rh_study_page_dispose;
  object_class->finalize = rh_study_page_finalize;
  object_class->get_property = rh_study_page_get_property;
  object_class->set_property = rh_study_page_set_property;

  properties [PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL,
                         RH_TYPE_COLLECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       RH_TYPE_STUDY_STATE, RH_STUDY_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_DONE] =
    g_param_spec_uint ("done", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_REMAINING] =
    g_param_spec_uint ("remaining", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RhStudyPage::answered:
   * @rating: the grade given
   *
   * A card was answered (and the next one is on show).
   */
  signals [ANSWERED] =
    g_signal_new ("answered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * RhStudyPage::failed:
   * @message: what went wrong, to show as it is
   */
  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-study-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, card_box);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, front_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, answer_box);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, back_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, example_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, reveal_button);
  gtk_widget_class_bind_template_child_full (widget_class, "again_button", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, grade_buttons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "hard_button", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, grade_buttons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "good_button", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, grade_buttons[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "easy_button", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, grade_buttons[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "again_interval", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, interval_labels[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "hard_interval", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, interval_labels[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "good_interval", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, interval_labels[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "easy_interval", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, interval_labels[3]));
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, summary_page);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, studied_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, answers_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, time_label);
  gtk_widget_class_bind_template_child_full (widget_class, "again_count_label", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, count_labels[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "hard_count_label", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, count_labels[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "good_count_label", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, count_labels[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "easy_count_label", FALSE,
                                             G_STRUCT_OFFSET (RhStudyPage, count_labels[3]));
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, retention_label);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, summary_back_button);
  gtk_widget_class_bind_template_child (widget_class, RhStudyPage, empty_back_button);

  gtk_widget_class_install_action (widget_class, "study.reveal", NULL, reveal_action);
  gtk_widget_class_install_action (widget_class, "study.grade", "i", grade_action);
  gtk_widget_class_install_action (widget_class, "study.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "study.continue", NULL, continue_action);

  add_key (widget_class, GDK_KEY_space, 0, "study.continue", 0);
  add_key (widget_class, GDK_KEY_Return, 0, "study.continue", 0);
  add_key (widget_class, GDK_KEY_KP_Enter, 0, "study.continue", 0);
  for (guint i = 0; i < 4; i++)
    {
      add_key (widget_class, digit_keys[i][0], 0, "study.grade", i + 1);
      add_key (widget_class, digit_keys[i][1], 0, "study.grade", i + 1);
    }
  add_key (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "study.undo", 0);

  gtk_widget_class_set_css_name (widget_class, "rhstudypage");
}

static void
rh_study_page_init (RhStudyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_state (self, RH_STUDY_STATE_IDLE);
  update_progress (self);
}
