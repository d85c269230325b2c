// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "validate-ui"

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

/*
 * validate-ui FILE.ui
 *
 * What `gtk4-builder-tool validate` does, in a process that knows the
 * types the file uses. The tool (GTK 4.8) cannot look up a template's
 * parent when it is a libadwaita or an app type, so it gives up on every
 * template here. This program is linked with libadwaita and the app's UI
 * library and exports its symbols (-rdynamic), so that GtkBuilder finds
 * any type through its _get_type() function, and then does what the tool
 * does:
 *
 *  - a template's class becomes a fresh subclass of its parent, under the
 *    template's class name (the app's own class is never registered, so
 *    its code does not run: it is the file that is checked), and the file
 *    is built on an instance of it with gtk_builder_extend_with_template()
 *    and gtk_builder_add_from_file(): unknown types, properties, signals,
 *    values and child types all fail;
 *  - signal handlers and closures become no-op closures, but every handler
 *    name must be bound with gtk_widget_class_bind_template_callback() in
 *    the .c file next to the .ui file;
 *  - the item templates inside GtkBuilderListItemFactory objects are built
 *    on a GtkListItem, the way the factory builds them.
 *
 * One file per process: a type registered while one file is built must
 * not stand in for the fake template class of the next. Exits 77 (skip)
 * without a display.
 */

/* ---- a scope that resolves types and records handlers ---- */

#define VALIDATE_TYPE_SCOPE (validate_scope_get_type ())
G_DECLARE_FINAL_TYPE (ValidateScope, validate_scope, VALIDATE, SCOPE, GtkBuilderCScope)

struct _ValidateScope
{
  GtkBuilderCScope  parent_instance;
  GPtrArray        *handlers;
};

static GtkBuilderScopeInterface *parent_scope_iface;

static void
noop_cb (void)
{
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope         *scope,
                               GtkBuilder              *builder,
                               const char              *function_name,
                               GtkBuilderClosureFlags   flags,
                               GObject                 *object,
                               GError                 **error)
{
  ValidateScope *self = VALIDATE_SCOPE (scope);
  gboolean swapped = (flags & GTK_BUILDER_CLOSURE_SWAPPED) != 0;

  if (!g_ptr_array_find_with_equal_func (self->handlers, function_name, g_str_equal, NULL))
    g_ptr_array_add (self->handlers, g_strdup (function_name));

  if (object == NULL)
    object = gtk_builder_get_current_object (builder);
  if (object != NULL)
    return swapped ? g_cclosure_new_object_swap (noop_cb, object)
                   : g_cclosure_new_object (noop_cb, object);
  return swapped ? g_cclosure_new_swap (noop_cb, NULL, NULL)
                 : g_cclosure_new (noop_cb, NULL, NULL);
}

static void
validate_scope_scope_init (GtkBuilderScopeInterface *iface)
{
  parent_scope_iface = g_type_interface_peek_parent (iface);
  iface->create_closure = validate_scope_create_closure;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                      validate_scope_scope_init))

static void
validate_scope_finalize (GObject *object)
{
  ValidateScope *self = VALIDATE_SCOPE (object);

  g_ptr_array_unref (self->handlers);
  G_OBJECT_CLASS (validate_scope_parent_class)->finalize (object);
}

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = validate_scope_finalize;
}

static void
validate_scope_init (ValidateScope *self)
{
  self->handlers = g_ptr_array_new_with_free_func (g_free);
}

/* ---- the file's template element ---- */

typedef struct
{
  int    depth;
  char  *class_name;
  char  *parent_name;
} TemplateInfo;

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  TemplateInfo *info = user_data;

  /* only <interface><template>, not the ones inside a factory's bytes
   * (those are CDATA, so the parser never sees them anyway) */
  if (info->depth++ == 1 && strcmp (element_name, "template") == 0)
    {
      const char *class_name = NULL;
      const char *parent_name = NULL;

      g_markup_collect_attributes (element_name, attribute_names, attribute_values, error,
                                   G_MARKUP_COLLECT_STRING, "class", &class_name,
                                   G_MARKUP_COLLECT_STRING, "parent", &parent_name,
                                   G_MARKUP_COLLECT_INVALID);
      info->class_name = g_strdup (class_name);
      info->parent_name = g_strdup (parent_name);
    }
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  TemplateInfo *info = user_data;

  info->depth--;
}

static gboolean
find_template (const char    *contents,
               gsize          length,
               TemplateInfo  *info,
               GError       **error)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, info, NULL);

  return g_markup_parse_context_parse (context, contents, length, error) &&
         g_markup_parse_context_end_parse (context, error);
}

/* ---- validation ---- */

static gboolean
check_handlers (ValidateScope *scope,
                const char    *ui_path)
{
  g_autofree char *base = g_strndup (ui_path, strlen (ui_path) - strlen (".ui"));
  g_autofree char *c_path = g_strconcat (base, ".c", NULL);
  g_autofree char *source = NULL;
  gboolean ok = TRUE;

  if (scope->handlers->len == 0)
    return TRUE;

  if (!g_file_get_contents (c_path, &source, NULL, NULL))
    {
      g_printerr ("%s: has signal handlers but there is no %s to bind them\n", ui_path, c_path);
      return FALSE;
    }

  for (guint i = 0; i < scope->handlers->len; i++)
    {
      const char *name = g_ptr_array_index (scope->handlers, i);
      g_autofree char *pattern = g_strdup_printf (
        "bind_template_callback\\s*\\(\\s*[^,]+,\\s*%s\\s*\\)"
        "|bind_template_callback_full\\s*\\(\\s*[^,]+,\\s*\"%s\"", name, name);

      if (!g_regex_match_simple (pattern, source, 0, 0))
        {
          g_printerr ("%s: the handler %s is not bound with "
                      "gtk_widget_class_bind_template_callback() in %s\n",
                      ui_path, name, c_path);
          ok = FALSE;
        }
    }
  return ok;
}

/* The item templates a GtkBuilderListItemFactory in the file will build,
 * built here once on a list item of their own. */
static gboolean
validate_factories (GtkBuilder *builder,
                    const char *ui_path)
{
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  gboolean ok = TRUE;
  guint n = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      GtkBuilderListItemFactory *factory;
      g_autoptr(GtkBuilder) item_builder = NULL;
      g_autoptr(ValidateScope) scope = NULL;
      g_autoptr(GObject) item = NULL;
      g_autoptr(GError) error = NULL;
      GBytes *bytes;
      gsize size;
      const char *data;

      if (!GTK_IS_BUILDER_LIST_ITEM_FACTORY (l->data))
        continue;
      factory = l->data;
      n++;
      if ((bytes = gtk_builder_list_item_factory_get_bytes (factory)) == NULL)
        continue;

      item_builder = gtk_builder_new ();
      scope = g_object_new (VALIDATE_TYPE_SCOPE, NULL);
      gtk_builder_set_scope (item_builder, GTK_BUILDER_SCOPE (scope));
      item = g_object_ref_sink (g_object_new (GTK_TYPE_LIST_ITEM, NULL));
      data = g_bytes_get_data (bytes, &size);
      if (!gtk_builder_extend_with_template (item_builder, item, GTK_TYPE_LIST_ITEM,
                                             data, size, &error))
        {
          g_printerr ("%s: list item factory %u: %s\n", ui_path, n, error->message);
          ok = FALSE;
        }
      else if (!check_handlers (scope, ui_path))
        ok = FALSE;
    }
  return ok;
}

static gboolean
validate_file (const char *ui_path)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(ValidateScope) scope = g_object_new (VALIDATE_TYPE_SCOPE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TemplateInfo info = { 0 };
  gsize length;
  gboolean ok;

  gtk_builder_set_scope (builder, GTK_BUILDER_SCOPE (scope));

  if (!g_file_get_contents (ui_path, &contents, &length, &error) ||
      !find_template (contents, length, &info, &error))
    {
      g_printerr ("%s: %s\n", ui_path, error->message);
      return FALSE;
    }

  if (info.class_name != NULL)
    {
      GType parent_type, template_type;
      GTypeQuery query;
      GObject *object;

      parent_type = gtk_builder_get_type_from_name (builder, info.parent_name);
      if (parent_type == G_TYPE_INVALID)
        {
          g_printerr ("%s: unknown template parent type %s\n", ui_path, info.parent_name);
          return FALSE;
        }

      /* The class itself is never looked up through the scope, which
       * would register the app's real class. */
      template_type = g_type_from_name (info.class_name);
      if (template_type == G_TYPE_INVALID)
        {
          g_type_query (parent_type, &query);
          template_type = g_type_register_static_simple (parent_type, info.class_name,
                                                         query.class_size, NULL,
                                                         query.instance_size, NULL, 0);
        }

      object = g_object_new (template_type, NULL);
      if (G_IS_INITIALLY_UNOWNED (object))
        g_object_ref_sink (object);
      ok = gtk_builder_extend_with_template (builder, object, template_type, " ", 1, &error) &&
           gtk_builder_add_from_file (builder, ui_path, &error);
      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
      g_object_unref (object);
    }
  else
    ok = gtk_builder_add_from_file (builder, ui_path, &error);

  if (!ok)
    g_printerr ("%s: %s\n", ui_path, error->message);
  else
    ok = check_handlers (scope, ui_path) && validate_factories (builder, ui_path);

  g_free (info.class_name);
  g_free (info.parent_name);
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2 || !g_str_has_suffix (argv[1], ".ui"))
    {
      g_printerr ("usage: validate-ui FILE.ui\n");
      return 2;
    }

  if (!gtk_init_check ())
    {
      printf ("no display: skipped\n");
      return 77;
    }
  adw_init ();
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  if (!validate_file (argv[1]))
    return 1;
  printf ("%s: valid\n", argv[1]);
  return 0;
}
