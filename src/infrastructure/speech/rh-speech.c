// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rh-speech.h"

/*
 * Reading a partner's line aloud, when the system can: through
 * speech-dispatcher's spd-say (it honours the desktop's voice settings),
 * else espeak-ng. Neither is required. Without one the listen button is
 * hidden and nothing here complains: it only reports, through GError,
 * to the caller that asked.
 *
 * The engines are run directly, never through a shell, with the text as
 * one argument after "--", so nothing in a line can become an option or
 * a command.
 */

typedef struct
{
  const char *program;
  const char *language_option;
} Engine;

static const Engine engines[] = {
  { "spd-say", "--language" },
  { "espeak-ng", "-v" },
};

/* The utterance being spoken: espeak-ng speaks while it runs, so ending
 * it stops the line; spd-say hands the text to the daemon and exits at
 * once, and the daemon lets the line finish. Only touched from the
 * thread that speaks, the main thread. */
static GSubprocess *current;

static const Engine *
find_engine (char **out_path)
{
  for (guint i = 0; i < G_N_ELEMENTS (engines); i++)
    {
      char *path = g_find_program_in_path (engines[i].program);

      if (path != NULL)
        {
          if (out_path != NULL)
            *out_path = path;
          else
            g_free (path);
          return &engines[i];
        }
    }
  return NULL;
}

/**
 * rh_speech_get_engine:
 *
 * Looked up on every call (a few stat()s), so installing an engine while
 * Rehearse runs makes the button appear on the next scenario.
 *
 * Returns: (nullable): "spd-say", "espeak-ng", or %NULL without one
 */
const char *
rh_speech_get_engine (void)
{
  const Engine *engine = find_engine (NULL);

  return engine ? engine->program : NULL;
}

/**
 * rh_speech_is_available:
 *
 * Returns: whether a line can be spoken
 */
gboolean
rh_speech_is_available (void)
{
  return find_engine (NULL) != NULL;
}

/* "en", "en-GB", "en_US": anything else is not passed on, since it goes to
 * another program's command line. */
static gboolean
language_is_valid (const char *language)
{
  gsize len = language ? strlen (language) : 0;

  if (len < 2 || len > 16)
    return FALSE;
  for (const char *p = language; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return g_ascii_isalpha (language[0]);
}

static void
reaped_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);

  g_subprocess_wait_finish (process, result, NULL);
  if (current == process)
    g_clear_object (&current);
}

/**
 * rh_speech_speak:
 * @text: what to say
 * @language: (nullable): a language tag ("en", "en-GB"); English when %NULL
 *
 * Starts speaking @text and returns at once; a line still being spoken is
 * cut off first, so pressing the button twice does not talk over itself.
 *
 * Returns: whether speaking started; %G_IO_ERROR_NOT_FOUND without an
 *   engine, which callers can take as "hide the button"
 */
gboolean
rh_speech_speak (const char  *text,
                 const char  *language,
                 GError     **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *program = NULL;
  g_autofree char *clean = NULL;
  const Engine *engine;
  const char *argv[6];
  guint n = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("There is no text to speak"));
      return FALSE;
    }
  /* g_utf8_substring() reads past the end of a shorter string */
  clean = g_strstrip (g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1),
                                                      RH_SPEECH_MAX_CHARS)));
  if (*clean == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("There is no text to speak"));
      return FALSE;
    }

  if (!(engine = find_engine (&program)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No speech engine is installed (speech-dispatcher or espeak-ng)"));
      return FALSE;
    }

  rh_speech_stop ();

  argv[n++] = program;
  argv[n++] = engine->language_option;
  argv[n++] = language_is_valid (language) ? language : "en";
  argv[n++] = "--";
  argv[n++] = clean;
  argv[n] = NULL;

  /* stdin stays /dev/null: neither engine should wait for input */
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               error);
  if (process == NULL)
    return FALSE;

  g_debug ("Speaking through %s", program);
  g_set_object (&current, process);
  /* Reaps the child (no zombie) and forgets it once it is done. */
  g_subprocess_wait_async (process, NULL, reaped_cb, NULL);
  return TRUE;
}

/**
 * rh_speech_stop:
 *
 * Cuts off the line being spoken, if any: when the learner moves on, the
 * old line should not go on talking.
 */
void
rh_speech_stop (void)
{
  if (current == NULL)
    return;
  g_subprocess_force_exit (current);
  g_clear_object (&current);
}
