// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Anki packages: a zip (libarchive) holding an SQLite database, maybe
 * zstd-compressed. The reader takes a path, so each input goes through
 * a temporary file.
 */
#define G_LOG_DOMAIN "rh-fuzz"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rh-apkg-reader.h"
#include "rh-fuzz-util.h"

static char *private_tmp;

static void
remove_private_tmp (void)
{
  g_rmdir (private_tmp);
}

/* The reader unpacks into a folder of its own under the temporary
 * folder and must remove it whatever the input: a folder of our own as
 * TMPDIR shows what it leaves behind. Set before anything asks GLib for
 * the temporary folder, which it then keeps. */
static void
use_private_tmp (void)
{
  g_autofree char *template = NULL;
  const char *base = g_getenv ("TMPDIR");

  template = g_build_filename (base && *base ? base : "/tmp", "rehearse-fuzz-apkg-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    g_error ("Cannot make %s: %s", template, g_strerror (errno));
  private_tmp = g_steal_pointer (&template);
  g_setenv ("TMPDIR", private_tmp, TRUE);
  atexit (remove_private_tmp);
}

static void
assert_private_tmp_empty (void)
{
  g_autoptr(GDir) dir = g_dir_open (private_tmp, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_error ("The reader left %s in the temporary folder", name);
}

static void
write_input (int            fd,
             const uint8_t *data,
             size_t         size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("Cannot write the input: %s", g_strerror (errno));
      data += n;
      size -= n;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(RhImportData) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  rh_fuzz_init_once ();
  if (private_tmp == NULL)
    use_private_tmp ();

  fd = g_file_open_tmp ("input-XXXXXX.apkg", &path, &error);
  g_assert_no_error (error);
  write_input (fd, data, size);
  g_close (fd, NULL);

  import = rh_apkg_read_file (path, NULL, NULL, NULL, &error);
  g_unlink (path);
  assert_private_tmp_empty ();

  if (import == NULL)
    {
      g_assert_nonnull (error);
      g_debug ("read: %s", error->message);
      g_assert_true (error->domain == RH_IMPORT_ERROR);
      return 0;
    }
  g_assert_no_error (error);
  g_debug ("read: %u cards, %u decks", import->cards->len,
           import->deck_names ? import->deck_names->len : 0);
  rh_fuzz_assert_import_data (import);
  return 0;
}
