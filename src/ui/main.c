// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rh-application.h"

/* How long the process ran before main(): the kernel keeps its start time
 * (in clock ticks since boot) in /proc/self/stat, field 22. Good to a
 * tick (10 ms); 0 when it cannot be read. */
static gint64
time_before_main_us (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_comm;
  struct timespec now;
  long ticks_per_s = sysconf (_SC_CLK_TCK);
  guint64 start_ticks;
  gint64 now_us, start_us, before;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) || ticks_per_s <= 0)
    return 0;
  /* The command name (field 2) may hold spaces: count from its “)”. */
  if (!(after_comm = strrchr (stat, ')')))
    return 0;
  fields = g_strsplit (after_comm + 2, " ", 0);
  /* after_comm + 2 starts at field 3, so field 22 is index 19 */
  if (g_strv_length (fields) < 20)
    return 0;
  start_ticks = g_ascii_strtoull (fields[19], NULL, 10);

  if (clock_gettime (CLOCK_BOOTTIME, &now) != 0)
    return 0;
  now_us = (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
  start_us = (gint64) (start_ticks * G_USEC_PER_SEC / (guint64) ticks_per_s);
  before = now_us - start_us;
  return before >= 0 && before < 10 * G_USEC_PER_SEC ? before : 0;
}

/* An uninstalled build has its schema in the build tree: use it when the
 * schema is not installed, rather than abort in g_settings_new(). This
 * must run before anything asks GIO for the default schema source. */
static void
find_schema (void)
{
#ifdef RH_BUILD_SCHEMA_DIR
  const char * const *dirs = g_get_system_data_dirs ();
  g_autofree char *compiled = g_build_filename (RH_BUILD_SCHEMA_DIR, "gschemas.compiled", NULL);

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL)
    return;

  for (int i = -1; i < 0 || dirs[i] != NULL; i++)
    {
      const char *data_dir = i < 0 ? g_get_user_data_dir () : dirs[i];
      g_autofree char *dir = g_build_filename (data_dir, "glib-2.0", "schemas", NULL);
      g_autoptr(GSettingsSchemaSource) source = NULL;
      g_autoptr(GSettingsSchema) schema = NULL;

      if (!(source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, NULL)))
        continue;
      if ((schema = g_settings_schema_source_lookup (source, BASE_ID, FALSE)))
        return;
    }

  if (g_file_test (compiled, G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", RH_BUILD_SCHEMA_DIR, TRUE);
#endif
}

int
main (int   argc,
      char *argv[])
{
  gint64 main_us = g_get_monotonic_time ();
  gint64 process_start_us = main_us - time_before_main_us ();
  g_autoptr(RhApplication) app = NULL;
  const char *localedir = g_getenv ("REHEARSE_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* an uninstalled build's translations: meson devenv points this at build/po */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  find_schema ();

  app = rh_application_new (process_start_us);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
