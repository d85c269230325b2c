// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rh-cli.h"
#include "rh-domain-error.h"
#include "rh-json-load.h"
#include "rh-review.h"
#include "rh-time.h"

/* A review history of one card is small; a bigger input is a mistake. */
#define MAX_REPLAY_INPUT (16 * 1024 * 1024)

static GBytes *
read_input (const char  *path,
            GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[8192];
  gssize n;

  if (path == NULL || strcmp (path, "-") == 0)
    in = g_unix_input_stream_new (0, FALSE);
  else
    {
      file = g_file_new_for_commandline_arg (path);
      if (!(in = G_INPUT_STREAM (g_file_read (file, NULL, error))))
        return NULL;
    }

  while ((n = g_input_stream_read (in, chunk, sizeof chunk, NULL, error)) > 0)
    {
      if (buf->len + n > MAX_REPLAY_INPUT)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_TOO_LONG,
                       _("The input is larger than 16 MiB"));
          return NULL;
        }
      g_byte_array_append (buf, chunk, n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

static GArray *
parse_history (GBytes  *bytes,
               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (RhFsrsReviewInput));
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;
  JsonArray *array;

  if (!rh_json_parser_load (parser, data, len, error))
    {
      g_prefix_error (error, _("The input is not JSON: "));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                   _("The input must be a JSON array of reviews"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj;
      JsonNode *rating, *time;
      RhFsrsReviewInput in = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("Review %u is not an object"), i + 1);
          return NULL;
        }
      obj = json_node_get_object (node);
      rating = json_object_get_member (obj, "rating");
      time = json_object_get_member (obj, "time");

      if (rating == NULL || json_node_get_value_type (rating) != G_TYPE_INT64 ||
          json_node_get_int (rating) < 1 || json_node_get_int (rating) > 4)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("Review %u: “rating” must be an integer from 1 to 4"), i + 1);
          return NULL;
        }
      if (time == NULL || json_node_get_value_type (time) != G_TYPE_STRING ||
          !rh_time_parse_iso8601 (json_node_get_string (time), &in.time_us, NULL))
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("Review %u: “time” must be an RFC 3339 time"), i + 1);
          return NULL;
        }
      if (out->len > 0 && in.time_us < g_array_index (out, RhFsrsReviewInput, out->len - 1).time_us)
        {
          g_set_error (error, RH_DOMAIN_ERROR, RH_DOMAIN_ERROR_INVALID_INPUT,
                       _("Review %u is earlier than the review before it"), i + 1);
          return NULL;
        }
      in.rating = (RhRating) json_node_get_int (rating);
      g_array_append_val (out, in);
    }

  return g_steal_pointer (&out);
}

int
rh_cli_fsrs_replay (RhCliContext  *ctx,
                    int            argc,
                    char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) history = NULL;
  g_autoptr(RhFsrsParams) params = rh_fsrs_params_new_default ();
  g_autofree RhCardState *each = NULL;
  g_autofree double *retr = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  double retention = 0.9;
  RhCardState final;
  int status;
  GOptionEntry entries[] = {
    { "retention", 0, 0, G_OPTION_ARG_DOUBLE, &retention,
      N_("Desired retention, 0.70–0.99 (default 0.9)"), "R" },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    return status < 0 ? 0 : status;
  if (argc > 2)
    {
      rh_cli_usage_error (ctx, _("Give at most one file"));
      return 2;
    }

  params->enable_fuzz = FALSE;
  if (!rh_fsrs_params_set_retention (params, retention, &error) ||
      !(bytes = read_input (argc == 2 ? argv[1] : NULL, &error)) ||
      !(history = parse_history (bytes, &error)))
    return rh_cli_fail (error);

  each = g_new0 (RhCardState, MAX (history->len, 1));
  retr = g_new0 (double, MAX (history->len, 1));
  if (history->len > 0)
    rh_fsrs_replay (params, (RhFsrsReviewInput *) history->data, history->len, NULL, &final,
                    each, retr);

  json_builder_begin_array (b);
  for (guint i = 0; i < history->len; i++)
    {
      g_autofree char *due = rh_time_format_iso8601 (each[i].due_us);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "stability");
      json_builder_add_double_value (b, each[i].stability);
      json_builder_set_member_name (b, "difficulty");
      json_builder_add_double_value (b, each[i].difficulty);
      json_builder_set_member_name (b, "retrievability");
      if (i == 0 || isnan (retr[i]))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, retr[i]);
      json_builder_set_member_name (b, "interval_days");
      json_builder_add_int_value (b, rh_fsrs_next_interval_days (params, each[i].stability));
      json_builder_set_member_name (b, "due");
      json_builder_add_string_value (b, due);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  rh_cli_print_json (root);
  return 0;
}

static JsonNode *
study_card_to_json (RhStudyCard *sc)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char *names[] = { "again", "hard", "good", "easy" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "card");
  json_builder_add_value (b, rh_cli_card_to_json (sc->card));
  json_builder_set_member_name (b, "intervals");
  json_builder_begin_object (b);
  for (guint i = 0; i < 4; i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_string_value (b, sc->interval_labels[i]);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
rh_cli_study_next (RhCliContext  *ctx,
                   int            argc,
                   char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhStudyCard) sc = NULL;
  g_autofree char *deck_name = NULL;
  RhCollection *coll;
  int status;
  GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck_name, N_("Only this deck"), N_("DECK") },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    return status < 0 ? 0 : status;
  if (argc != 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (deck_name && !(deck = rh_collection_find_deck (coll, deck_name, &error)))
    return rh_cli_fail (error);

  sc = rh_collection_next_card (coll, deck ? rh_deck_get_id (deck) : NULL, &error);
  if (error)
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) node = sc ? study_card_to_json (sc) : json_node_new (JSON_NODE_NULL);
      rh_cli_print_json (node);
    }
  else if (sc == NULL)
    printf ("%s\n", _("Nothing left to study today."));
  else
    {
      printf ("%s\n%s\n%s\n", rh_flashcard_get_id (sc->card), rh_flashcard_get_front (sc->card),
              rh_flashcard_get_back (sc->card));
      printf (_("Again: %s  Hard: %s  Good: %s  Easy: %s\n"), sc->interval_labels[0],
              sc->interval_labels[1], sc->interval_labels[2], sc->interval_labels[3]);
    }
  return 0;
}

int
rh_cli_study_answer (RhCliContext  *ctx,
                     int            argc,
                     char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhReview) review = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  RhCollection *coll;
  RhRating rating;
  g_autofree char *due = NULL;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 3)
    {
      rh_cli_usage_error (ctx, _("Give the card and the rating"));
      return 2;
    }
  if (!rh_rating_parse (argv[2], &rating, &error))
    {
      rh_cli_usage_error (ctx, error->message);
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(review = rh_collection_answer (coll, argv[1], rating, 0, &error)) ||
      !(card = rh_collection_get_card (coll, argv[1], &error)))
    return rh_cli_fail (error);
  rh_collection_end_session (coll, NULL);

  if (ctx->json)
    {
      g_autoptr(JsonNode) node = rh_cli_card_to_json (card);
      rh_cli_print_json (node);
      return 0;
    }
  due = rh_time_format_iso8601 (rh_flashcard_get_state (card)->due_us);
  printf (_("Next due %s\n"), due);
  return 0;
}

int
rh_cli_study_undo (RhCliContext  *ctx,
                   int            argc,
                   char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(card = rh_collection_undo (coll, &error)))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) node = rh_cli_card_to_json (card);
      rh_cli_print_json (node);
    }
  else
    printf (_("Undid the answer to “%s”\n"), rh_flashcard_get_front (card));
  return 0;
}

int
rh_cli_stats (RhCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree RhStats *stats = g_new0 (RhStats, 1);
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!rh_collection_stats (coll, stats, &error))
    return rh_cli_fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "due_today");
      json_builder_add_int_value (b, stats->due_today);
      json_builder_set_member_name (b, "reviews_today");
      json_builder_add_int_value (b, stats->reviews_today);
      json_builder_set_member_name (b, "retention_30");
      if (isnan (stats->retention_30))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, stats->retention_30);
      json_builder_set_member_name (b, "retention_30_reviews");
      json_builder_add_int_value (b, stats->retention_n_30);
      json_builder_set_member_name (b, "streak_days");
      json_builder_add_int_value (b, stats->streak_days);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      rh_cli_print_json (root);
      return 0;
    }

  printf (_("Due today: %u\n"), stats->due_today);
  printf (_("Reviews today: %u\n"), stats->reviews_today);
  if (isnan (stats->retention_30))
    printf ("%s\n", _("Retention (30 days): no reviews yet"));
  else
    printf (_("Retention (30 days): %.1f%% of %u reviews\n"), stats->retention_30 * 100.0,
            stats->retention_n_30);
  return 0;
}
