// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The fuzz targets without libFuzzer: every argument is a file, or a
 * folder whose files are all run (in name order), each read whole and
 * passed to LLVMFuzzerTestOneInput() once. This is how the seed corpora
 * and the crashes found so far run as regression tests, with any
 * compiler. Arguments starting with '-' (libFuzzer's options) are
 * ignored, so the same command line works with both.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rh-fuzz-util.h"

static guint n_inputs;

static void
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  /* An exact copy, without the NUL g_file_get_contents() adds, so that a
   * read past the end is caught (by AddressSanitizer or valgrind) as it
   * is under libFuzzer. */
  data = g_malloc (MAX (length, 1));
  memcpy (data, contents, length);
  g_clear_pointer (&contents, g_free);

  g_print ("%s\n", path);
  LLVMFuzzerTestOneInput (data, length);
  n_inputs++;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
run_dir (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("%s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);

      if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        run_file (child);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE|FOLDER…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      if (argv[i][0] == '-')
        continue;
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        run_dir (argv[i]);
      else
        run_file (argv[i]);
    }

  g_print ("%u inputs ran\n", n_inputs);
  /* A corpus that is not where it should be would pass unnoticed. */
  return n_inputs > 0 ? 0 : 1;
}
