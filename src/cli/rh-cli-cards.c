// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rh-cli.h"
#include "rh-domain-error.h"
#include "rh-text.h"
#include "rh-time.h"

static int
fail (GError *error)
{
  return rh_cli_fail (error);
}

static JsonNode *
deck_summary_to_json (const RhDeckSummary *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, rh_deck_get_id (s->deck));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, rh_deck_get_name (s->deck));
  json_builder_set_member_name (b, "cards");
  json_builder_add_int_value (b, s->counts.total);
  json_builder_set_member_name (b, "new");
  json_builder_add_int_value (b, s->counts.new_cards);
  json_builder_set_member_name (b, "learning");
  json_builder_add_int_value (b, s->counts.learning);
  json_builder_set_member_name (b, "due");
  json_builder_add_int_value (b, s->counts.due);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
add_string_member (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
rh_cli_card_to_json (RhFlashcard *card)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const RhCardState *st = rh_flashcard_get_state (card);
  static const char *states[] = { "new", "learning", "review", "relearning" };
  g_autofree char *due = rh_time_format_iso8601 (st->due_us);

  json_builder_begin_object (b);
  add_string_member (b, "id", rh_flashcard_get_id (card));
  add_string_member (b, "deck_id", rh_flashcard_get_deck_id (card));
  add_string_member (b, "front", rh_flashcard_get_front (card));
  add_string_member (b, "back", rh_flashcard_get_back (card));
  add_string_member (b, "notes", rh_flashcard_get_notes (card));
  add_string_member (b, "example", rh_flashcard_get_example (card));
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (const char * const *t = rh_flashcard_get_tags (card); *t; t++)
    json_builder_add_string_value (b, *t);
  json_builder_end_array (b);
  add_string_member (b, "state", states[CLAMP (st->state, 0, 3)]);
  add_string_member (b, "due", due);
  json_builder_set_member_name (b, "stability");
  json_builder_add_double_value (b, st->stability);
  json_builder_set_member_name (b, "difficulty");
  json_builder_add_double_value (b, st->difficulty);
  json_builder_set_member_name (b, "reps");
  json_builder_add_int_value (b, st->reps);
  json_builder_set_member_name (b, "lapses");
  json_builder_add_int_value (b, st->lapses);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
rh_cli_deck_list (RhCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc > 1)
    {
      rh_cli_usage_error (ctx, _("This command takes no arguments"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(decks = rh_collection_list_decks (coll, &error)))
    return fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();
      for (guint i = 0; i < decks->len; i++)
        json_array_add_element (array, deck_summary_to_json (decks->pdata[i]));
      json_node_set_array (root, array);
      rh_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < decks->len; i++)
    {
      const RhDeckSummary *s = decks->pdata[i];
      printf ("%s  %s  ", rh_deck_get_id (s->deck), rh_deck_get_name (s->deck));
      printf (_("%u cards, %u new, %u learning, %u due"), s->counts.total, s->counts.new_cards,
              s->counts.learning, s->counts.due);
      printf ("\n");
    }
  return 0;
}

int
rh_cli_deck_add (RhCliContext  *ctx,
                 int            argc,
                 char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give the deck’s name"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(deck = rh_collection_create_deck (coll, argv[1], &error)))
    return fail (error);

  if (ctx->json)
    {
      RhDeckSummary s = { .deck = deck };
      g_autoptr(JsonNode) node = deck_summary_to_json (&s);
      rh_cli_print_json (node);
    }
  else
    printf ("%s\n", rh_deck_get_id (deck));
  return 0;
}

int
rh_cli_deck_rename (RhCliContext  *ctx,
                    int            argc,
                    char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc != 3)
    {
      rh_cli_usage_error (ctx, _("Give the deck and its new name"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(deck = rh_collection_find_deck (coll, argv[1], &error)) ||
      !rh_collection_rename_deck (coll, rh_deck_get_id (deck), argv[2], &error))
    return fail (error);
  return 0;
}

int
rh_cli_deck_rm (RhCliContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhDeck) target = NULL;
  g_autofree char *cards = NULL;
  g_autofree char *to = NULL;
  RhDeckDeleteMode mode = RH_DECK_DELETE_ONLY_IF_EMPTY;
  RhCollection *coll;
  GOptionEntry entries[] = {
    { "cards", 0, 0, G_OPTION_ARG_STRING, &cards, N_("What to do with the deck’s cards"),
      "delete|move" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The deck that receives the cards"), N_("DECK") },
    { NULL }
  };

  PARSE_OR_RETURN (ctx, entries, argc, argv);
  if (argc != 2)
    {
      rh_cli_usage_error (ctx, _("Give the deck to delete"));
      return 2;
    }
  if (cards != NULL)
    {
      if (strcmp (cards, "delete") == 0)
        mode = RH_DECK_DELETE_WITH_CARDS;
      else if (strcmp (cards, "move") == 0 && to != NULL)
        mode = RH_DECK_DELETE_MOVE_CARDS;
      else
        {
          rh_cli_usage_error (ctx, _("--cards is “delete” or “move” (with --to DECK)"));
          return 2;
        }
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!(deck = rh_collection_find_deck (coll, argv[1], &error)))
    return fail (error);
  if (mode == RH_DECK_DELETE_MOVE_CARDS &&
      !(target = rh_collection_find_deck (coll, to, &error)))
    return fail (error);
  if (!rh_collection_delete_deck (coll, rh_deck_get_id (deck), mode,
                                  target ? rh_deck_get_id (target) : NULL, &error))
    return fail (error);
  return 0;
}

typedef struct
{
  char *deck;
  char *front;
  char *back;
  char *notes;
  char *example;
  char *tags;
} CardOptions;

static void
card_options_clear (CardOptions *o)
{
  g_free (o->deck);
  g_free (o->front);
  g_free (o->back);
  g_free (o->notes);
  g_free (o->example);
  g_free (o->tags);
}

static int
card_add_or_edit (RhCliContext  *ctx,
                  int            argc,
                  char         **argv,
                  gboolean       edit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(RhFlashcard) card = NULL;
  g_auto(GStrv) tags = NULL;
  CardOptions o = { 0 };
  RhCardDraft draft = { 0 };
  RhCollection *coll;
  int status = 0;
  GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &o.deck, N_("The deck (name or id)"), N_("DECK") },
    { "front", 0, 0, G_OPTION_ARG_STRING, &o.front, N_("The front"), N_("TEXT") },
    { "back", 0, 0, G_OPTION_ARG_STRING, &o.back, N_("The back"), N_("TEXT") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &o.notes, N_("Notes"), N_("TEXT") },
    { "example", 0, 0, G_OPTION_ARG_STRING, &o.example, N_("An example sentence"), N_("TEXT") },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &o.tags, N_("Tags, separated by spaces or commas"),
      N_("TAGS") },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    goto out;

  if (edit ? argc != 2 : (argc != 1 || o.deck == NULL || o.front == NULL || o.back == NULL))
    {
      rh_cli_usage_error (ctx, edit ? _("Give the card to edit")
                                    : _("--deck, --front and --back are required"));
      status = 2;
      goto out;
    }

  if (!(coll = rh_cli_open (ctx, &error)))
    goto fail;

  if (o.deck && !(deck = rh_collection_find_deck (coll, o.deck, &error)))
    goto fail;

  draft.deck_id = deck ? rh_deck_get_id (deck) : NULL;
  draft.front = o.front;
  draft.back = o.back;
  draft.notes = o.notes;
  draft.example = o.example;
  if (o.tags)
    {
      tags = rh_text_split_tags (o.tags);
      draft.tags = (const char * const *) tags;
    }

  card = edit ? rh_collection_edit_card (coll, argv[1], &draft, &error)
              : rh_collection_add_card (coll, &draft, &error);
  if (card == NULL)
    goto fail;

  if (ctx->json)
    {
      g_autoptr(JsonNode) node = rh_cli_card_to_json (card);
      rh_cli_print_json (node);
    }
  else if (!edit)
    printf ("%s\n", rh_flashcard_get_id (card));
  goto out;

fail:
  rh_cli_print_error (error);
  status = 1;
out:
  card_options_clear (&o);
  return status < 0 ? 0 : status;
}

int
rh_cli_card_add (RhCliContext  *ctx,
                 int            argc,
                 char         **argv)
{
  return card_add_or_edit (ctx, argc, argv, FALSE);
}

int
rh_cli_card_edit (RhCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  return card_add_or_edit (ctx, argc, argv, TRUE);
}

int
rh_cli_card_rm (RhCliContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  RhCollection *coll;

  PARSE_OR_RETURN (ctx, NULL, argc, argv);
  if (argc < 2)
    {
      rh_cli_usage_error (ctx, _("Give the cards to delete"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  if (!rh_collection_delete_cards (coll, (const char * const *) argv + 1, &error))
    return fail (error);
  return 0;
}

static gboolean
parse_sort (const char *text,
            RhCardSort *out)
{
  static const char *names[] = { "created", "front", "back", "deck", "due", "stability",
                                 "reviews" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = (RhCardSort) i;
        return TRUE;
      }
  return FALSE;
}

static int
list_cards (RhCliContext  *ctx,
            int            argc,
            char         **argv,
            gboolean       search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RhDeck) deck = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *deck_name = NULL;
  g_autofree char *sort = NULL;
  gboolean desc = FALSE;
  int limit = 100, offset = 0;
  RhCardQuery query = { .sort = RH_CARD_SORT_CREATED };
  RhCollection *coll;
  int status;
  GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck_name, N_("Only this deck"), N_("DECK") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort,
      N_("created, front, back, deck, due, stability or reviews"), N_("FIELD") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &desc, N_("Sort in descending order"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N cards (default 100)"), "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, N_("Skip the first N cards"), "N" },
    { NULL }
  };

  status = rh_cli_parse (ctx, entries, &argc, &argv);
  if (status != 0)
    return status < 0 ? 0 : status;
  if (search ? argc < 2 : argc != 1)
    {
      rh_cli_usage_error (ctx, search ? _("Give the words to search for")
                                      : _("This command takes no arguments"));
      return 2;
    }
  if (sort && !parse_sort (sort, &query.sort))
    {
      rh_cli_usage_error (ctx, _("Unknown sort field"));
      return 2;
    }
  if (limit < 0 || offset < 0)
    {
      rh_cli_usage_error (ctx, _("--limit and --offset cannot be negative"));
      return 2;
    }
  OPEN_OR_RETURN (ctx, coll);

  g_autofree char *text = search ? g_strjoinv (" ", argv + 1) : NULL;
  query.text = text;
  query.descending = desc;
  if (deck_name)
    {
      if (!(deck = rh_collection_find_deck (coll, deck_name, &error)))
        return fail (error);
      query.deck_id = rh_deck_get_id (deck);
    }

  if (!(cards = rh_collection_search_cards (coll, &query, offset, limit, &error)))
    return fail (error);

  if (ctx->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();
      for (guint i = 0; i < cards->len; i++)
        json_array_add_element (array, rh_cli_card_to_json (cards->pdata[i]));
      json_node_set_array (root, array);
      rh_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < cards->len; i++)
    {
      RhFlashcard *card = cards->pdata[i];
      g_autofree char *front = g_strdelimit (g_strdup (rh_flashcard_get_front (card)), "\n\t", ' ');
      g_autofree char *back = g_strdelimit (g_strdup (rh_flashcard_get_back (card)), "\n\t", ' ');
      printf ("%s\t%s\t%s\n", rh_flashcard_get_id (card), front, back);
    }
  return 0;
}

int
rh_cli_card_list (RhCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  return list_cards (ctx, argc, argv, FALSE);
}

int
rh_cli_card_search (RhCliContext  *ctx,
                    int            argc,
                    char         **argv)
{
  return list_cards (ctx, argc, argv, TRUE);
}
