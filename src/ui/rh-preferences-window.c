// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "rh-domain-error.h"
#include "rh-preferences-window.h"

/* Longer than a day is no longer a step but an interval. */
#define MAX_STEP_S (G_GINT64_CONSTANT (24) * 3600)

struct _RhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkAdjustment        *new_cards_adjustment;
  GtkAdjustment        *reviews_adjustment;
  GtkAdjustment        *retention_adjustment;
  GtkAdjustment        *rollover_adjustment;
  AdwActionRow         *learning_steps_row;
  GtkEntry             *learning_steps_entry;
  AdwActionRow         *relearning_steps_row;
  GtkEntry             *relearning_steps_entry;
};

G_DEFINE_FINAL_TYPE (RhPreferencesWindow, rh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* ---- steps ---- */

static gboolean
parse_step (const char  *token,
            gint64      *out_s,
            GError     **error)
{
  char *end = NULL;
  guint64 n;
  gint64 unit;

  if (!g_ascii_isdigit (*token))
    goto invalid;
  n = g_ascii_strtoull (token, &end, 10);
  switch (g_ascii_tolower (*end))
    {
    case 's':
      unit = 1;
      end++;
      break;
    case 'm':
    case '\0':
      unit = 60;
      if (*end != '\0')
        end++;
      break;
    case 'h':
      unit = 3600;
      end++;
      break;
    case 'd':
      unit = 24 * 3600;
      end++;
      break;
    default:
      goto invalid;
    }
  if (*end != '\0')
    goto invalid;

  if (n == 0)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A step must be longer than 0"));
      return FALSE;
    }
  if (n > (guint64) (MAX_STEP_S / unit))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   _("A step can be at most one day"));
      return FALSE;
    }
  *out_s = (gint64) n * unit;
  return TRUE;

invalid:
  g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
               _("“%s” is not a step: write a number and a unit, like 1m, 10m or 1h"), token);
  return FALSE;
}

static char **
split_steps (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) tokens = NULL;

  tokens = g_regex_split_simple ("[\\s,]+", text ? text : "", 0, 0);
  for (guint i = 0; tokens[i]; i++)
    if (*tokens[i] != '\0')
      g_strv_builder_add (builder, tokens[i]);
  return g_strv_builder_end (builder);
}

/**
 * rh_study_steps_parse:
 * @text: steps such as "1m 10m", separated by spaces or commas
 * @steps_s: (out caller-allocates) (array fixed-size=8): the steps in seconds
 * @n_steps: (out): how many
 *
 * A number without a unit is in minutes, as in Anki. No steps at all is
 * valid: cards then graduate at once.
 */
gboolean
rh_study_steps_parse (const char  *text,
                      gint64      *steps_s,
                      guint       *n_steps,
                      GError     **error)
{
  g_auto(GStrv) tokens = split_steps (text);
  guint n = g_strv_length (tokens);

  if (n > RH_STUDY_MAX_STEPS)
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_OUT_OF_RANGE,
                   ngettext ("At most %d step", "At most %d steps", RH_STUDY_MAX_STEPS),
                   RH_STUDY_MAX_STEPS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!parse_step (tokens[i], &steps_s[i], error))
      return FALSE;
  *n_steps = n;
  return TRUE;
}

/**
 * rh_study_steps_normalize:
 *
 * Returns: (transfer full) (nullable): the steps as they are stored, one
 *   lowercase token each, or %NULL when @text is not valid
 */
char **
rh_study_steps_normalize (const char  *text,
                          GError     **error)
{
  gint64 steps[RH_STUDY_MAX_STEPS];
  guint n;
  g_auto(GStrv) tokens = NULL;

  if (!rh_study_steps_parse (text, steps, &n, error))
    return NULL;
  tokens = split_steps (text);
  for (guint i = 0; tokens[i]; i++)
    {
      char *lower = g_ascii_strdown (tokens[i], -1);
      g_free (tokens[i]);
      tokens[i] = lower;
    }
  return g_steal_pointer (&tokens);
}

/* ---- the window ---- */

static const char *
steps_key_for (RhPreferencesWindow *self,
               GtkEntry            *entry)
{
  return entry == self->learning_steps_entry ? "learning-steps" : "relearning-steps";
}

static void
show_steps_hint (RhPreferencesWindow *self,
                 GtkEntry            *entry,
                 const GError        *error)
{
  AdwActionRow *row = entry == self->learning_steps_entry ? self->learning_steps_row
                                                           : self->relearning_steps_row;

  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (row), "rh-error-row");
      adw_action_row_set_subtitle (row, entry == self->learning_steps_entry
                                   ? _("Waits before a new card’s first interval, like 1m 10m")
                                   : _("Waits after a forgotten card, like 10m"));
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (row), "rh-error-row");
      adw_action_row_set_subtitle (row, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
}

/* Checked as the learner types; saved on Enter, when the entry loses the
 * focus or when the window closes, so that half-typed steps (or none at
 * all, while retyping) never reach the scheduler. */
static void
steps_entry_changed_cb (RhPreferencesWindow *self,
                        GtkEntry            *entry)
{
  g_autoptr(GError) error = NULL;
  gint64 steps[RH_STUDY_MAX_STEPS];
  guint n;

  rh_study_steps_parse (gtk_editable_get_text (GTK_EDITABLE (entry)), steps, &n, &error);
  show_steps_hint (self, entry, error);
}

static void
save_steps (RhPreferencesWindow *self,
            GtkEntry            *entry)
{
  g_auto(GStrv) steps = NULL;
  g_auto(GStrv) current = NULL;

  if (self->settings == NULL)
    return;

  steps = rh_study_steps_normalize (gtk_editable_get_text (GTK_EDITABLE (entry)), NULL);
  if (steps == NULL)
    return;

  current = g_settings_get_strv (self->settings, steps_key_for (self, entry));
  if (!g_strv_equal ((const char * const *) current, (const char * const *) steps))
    g_settings_set_strv (self->settings, steps_key_for (self, entry),
                         (const char * const *) steps);
}

static void
steps_entry_activate_cb (RhPreferencesWindow *self,
                         GtkEntry            *entry)
{
  save_steps (self, entry);
}

static void
steps_focus_leave_cb (GtkEventControllerFocus *controller,
                      RhPreferencesWindow     *self)
{
  save_steps (self, GTK_ENTRY (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller))));
}

static gboolean
rh_preferences_window_close_request (GtkWindow *window)
{
  RhPreferencesWindow *self = RH_PREFERENCES_WINDOW (window);

  save_steps (self, self->learning_steps_entry);
  save_steps (self, self->relearning_steps_entry);

  return GTK_WINDOW_CLASS (rh_preferences_window_parent_class)->close_request (window);
}

static void
watch_focus (RhPreferencesWindow *self,
             GtkEntry            *entry)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (steps_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (entry), focus);
}

static void
load_steps (RhPreferencesWindow *self,
            GtkEntry            *entry)
{
  g_auto(GStrv) steps = g_settings_get_strv (self->settings, steps_key_for (self, entry));
  g_autofree char *text = g_strjoinv (" ", steps);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  show_steps_hint (self, entry, NULL);
}

static void
set_settings (RhPreferencesWindow *self,
              GSettings           *settings)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) style = NULL;

  g_assert (self->settings == NULL);
  if (settings == NULL)
    return;
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "new-cards-per-day", self->new_cards_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "reviews-per-day", self->reviews_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "desired-retention", self->retention_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "rollover-hour", self->rollover_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  load_steps (self, self->learning_steps_entry);
  load_steps (self, self->relearning_steps_entry);

  style = g_settings_create_action (settings, "style");
  g_action_map_add_action (G_ACTION_MAP (group), style);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));
}

/**
 * rh_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: the application's settings, which the window edits directly
 *
 * Returns: (transfer floating): the preferences window
 */
GtkWindow *
rh_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (RH_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "settings", settings,
                       NULL);
}

static void
rh_preferences_window_dispose (GObject *object)
{
  RhPreferencesWindow *self = RH_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RH_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rh_preferences_window_parent_class)->dispose (object);
}

static void
rh_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RhPreferencesWindow *self = RH_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RhPreferencesWindow *self = RH_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      set_settings (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rh_preferences_window_class_init (RhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rh_preferences_window_dispose;
  object_class->get_property = rh_preferences_window_get_property;
  object_class->set_property = rh_preferences_window_set_property;

  GTK_WINDOW_CLASS (klass)->close_request = rh_preferences_window_close_request;

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rehearse/Rehearse/rh-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, new_cards_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, reviews_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, retention_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, rollover_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, learning_steps_row);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, learning_steps_entry);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, relearning_steps_row);
  gtk_widget_class_bind_template_child (widget_class, RhPreferencesWindow, relearning_steps_entry);
  gtk_widget_class_bind_template_callback (widget_class, steps_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, steps_entry_activate_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
rh_preferences_window_init (RhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  watch_focus (self, self->learning_steps_entry);
  watch_focus (self, self->relearning_steps_entry);
}
