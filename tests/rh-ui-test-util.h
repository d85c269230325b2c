// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>
#include <string.h>

#include "rh-test-util.h"

/* What the UI tests share: letting the main loop run, waiting for a
 * condition, finding widgets and windows, and pressing a key through the
 * shortcut controllers (GTK 4.8 cannot synthesise key events). */

typedef gboolean (*Condition) (gpointer data);
typedef gboolean (*WidgetTest) (GtkWidget *widget, gconstpointer data);

/* The first widget under @root, @root itself included and depth first,
 * that passes @test. */
static inline GtkWidget *
find_widget (GtkWidget     *root,
             WidgetTest     test,
             gconstpointer  data)
{
  if (test (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, test, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  const char *text;
  gboolean    exact;
  gboolean    mapped;
} LabelQuery;

static inline gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  const LabelQuery *q = data;
  const char *label;

  if (!GTK_IS_LABEL (widget) ||
      !(q->mapped ? gtk_widget_get_mapped (widget) : gtk_widget_get_visible (widget)))
    return FALSE;
  label = gtk_label_get_text (GTK_LABEL (widget));
  return q->exact ? g_str_equal (label, q->text) : strstr (label, q->text) != NULL;
}

/* A label with this text (or containing it) whose own visible flag is
 * set: it may be on a page not on show. */
static inline GtkLabel *
find_label (GtkWidget  *root,
            const char *text,
            gboolean    exact)
{
  LabelQuery q = { text, exact, FALSE };

  return GTK_LABEL (find_widget (root, is_label, &q));
}

/* A label with this text (or containing it) that is on show (mapped). */
static inline GtkLabel *
find_mapped_label (GtkWidget  *root,
                   const char *text,
                   gboolean    exact)
{
  LabelQuery q = { text, exact, TRUE };

  return GTK_LABEL (find_widget (root, is_label, &q));
}

/* A window on show of this type (a dialog, an editor). */
static inline GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static inline void
iterate (void)
{
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static inline gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static inline gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* What a key press does in GTK: from the focus widget up to the window,
 * the first shortcut bound to the key that agrees to run. (GTK 4 has no
 * public way to make a key event, so the test walks the same bindings.) */
static inline gboolean
press_key (GtkWidget       *window,
           guint            keyval,
           GdkModifierType  mods)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, mods);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  for (GtkWidget *w = focus ? focus : window; w; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
                continue;
              if (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, w,
                                                gtk_shortcut_get_arguments (shortcut)))
                {
                  iterate ();
                  return TRUE;
                }
            }
        }
    }
  return FALSE;
}
