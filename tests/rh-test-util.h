// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "rh-composition.h"
#include "rh-time.h"

/* A temporary folder that removes itself, and a clock tests can move. */
typedef struct
{
  char         *dir;
  char         *path;
  RhCollection *collection;
  gint64        now;
} RhFixture;

static inline gint64
rh_fixture_clock (gpointer data)
{
  return ((RhFixture *) data)->now;
}

static inline void
rh_fixture_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        rh_fixture_remove_dir (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static inline void
rh_fixture_open (RhFixture *f)
{
  g_autoptr(GError) error = NULL;

  f->collection = rh_composition_open (f->path, FALSE, &error);
  g_assert_no_error (error);
  rh_collection_set_clock (f->collection, rh_fixture_clock, f);
}

static inline void
rh_fixture_setup (RhFixture     *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) noon = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  f->dir = g_dir_make_tmp ("rehearse-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "collection.rehearse", NULL);
  /* noon local time on a fixed day, far from the day's rollover */
  noon = g_date_time_new (tz, 2025, 6, 10, 12, 0, 0);
  f->now = g_date_time_to_unix (noon) * G_USEC_PER_SEC;
  rh_fixture_open (f);
}

static inline void
rh_fixture_teardown (RhFixture     *f,
                     gconstpointer  data)
{
  g_clear_object (&f->collection);
  rh_fixture_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* The file's bytes, to prove a failed operation left it untouched. */
static inline char *
rh_fixture_checksum (RhFixture *f)
{
  g_autofree char *dump = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  const RhRepositories *repos = rh_collection_get_repositories (f->collection);
  RhCardQuery q = { .sort = RH_CARD_SORT_CREATED };
  g_autoptr(GPtrArray) decks = rh_deck_repository_list (repos->decks, NULL);
  g_autoptr(GPtrArray) cards = rh_card_repository_search (repos->cards, &q, 0, G_MAXUINT, NULL);

  /* the logical content: every deck and card with its state */
  for (guint i = 0; decks && i < decks->len; i++)
    g_string_append_printf (all, "D %s %s\n", rh_deck_get_id (decks->pdata[i]),
                            rh_deck_get_name (decks->pdata[i]));
  for (guint i = 0; cards && i < cards->len; i++)
    {
      g_autofree char *st = rh_card_state_serialize (rh_flashcard_get_state (cards->pdata[i]));
      g_string_append_printf (all, "C %s %s %s %s %s\n", rh_flashcard_get_id (cards->pdata[i]),
                              rh_flashcard_get_deck_id (cards->pdata[i]),
                              rh_flashcard_get_front (cards->pdata[i]),
                              rh_flashcard_get_back (cards->pdata[i]), st);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, all->len);
}

static inline RhDeck *
rh_fixture_deck (RhFixture  *f,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  RhDeck *deck = rh_collection_create_deck (f->collection, name, &error);

  g_assert_no_error (error);
  return deck;
}

static inline RhFlashcard *
rh_fixture_card (RhFixture  *f,
                 RhDeck     *deck,
                 const char *front,
                 const char *back)
{
  g_autoptr(GError) error = NULL;
  RhCardDraft draft = { .deck_id = rh_deck_get_id (deck), .front = front, .back = back };
  RhFlashcard *card = rh_collection_add_card (f->collection, &draft, &error);

  g_assert_no_error (error);
  return card;
}
