// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "rh-cognito"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "rh-loopback-listener.h"
#include "rh-token-source.h"

/**
 * RhLoopbackListener:
 *
 * The loopback redirect of RFC 8252 §7.3: a one-shot HTTP server on
 * 127.0.0.1 and ::1 (never another interface) at the configured port,
 * path `/callback`. It answers the browser with a small "You can close
 * this tab" page, hands the callback URI over once, refuses peers that are
 * not loopback and any callback after the first, and shuts down after the
 * callback, on cancel, or when nothing came within the timeout.
 */
struct _RhLoopbackListener
{
  GObject       parent_instance;

  guint         port;
  guint         timeout_seconds;

  SoupServer   *server;
  guint         bound_port;
  char         *redirect_uri;
  GSource      *timeout_source;
  GSource      *cancel_source;
  GTask        *wait_task;
  char         *callback_uri;
  GError       *failure;
  gboolean      received;
};

static void rh_loopback_listener_receiver_init (RhCallbackReceiverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RhLoopbackListener, rh_loopback_listener, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RH_TYPE_CALLBACK_RECEIVER,
                                                      rh_loopback_listener_receiver_init))

static void stop_listening (RhLoopbackListener *self);

static void
rh_loopback_listener_dispose (GObject *object)
{
  RhLoopbackListener *self = (RhLoopbackListener *)object;

  stop_listening (self);
  G_OBJECT_CLASS (rh_loopback_listener_parent_class)->dispose (object);
}

static void
rh_loopback_listener_finalize (GObject *object)
{
  RhLoopbackListener *self = (RhLoopbackListener *)object;

  g_free (self->redirect_uri);
  g_free (self->callback_uri);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (rh_loopback_listener_parent_class)->finalize (object);
}

static void
rh_loopback_listener_class_init (RhLoopbackListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rh_loopback_listener_dispose;
  object_class->finalize = rh_loopback_listener_finalize;
}

static void
rh_loopback_listener_init (RhLoopbackListener *self)
{
  self->timeout_seconds = RH_LOOPBACK_DEFAULT_TIMEOUT_SECONDS;
}

/**
 * rh_loopback_listener_new:
 * @port: the port registered in the redirect URI; 0 lets the system
 *   choose (tests, or providers that accept any loopback port)
 *
 * Returns: (transfer full): a listener, not listening yet
 */
RhLoopbackListener *
rh_loopback_listener_new (guint port)
{
  RhLoopbackListener *self;

  g_return_val_if_fail (port <= 65535, NULL);

  self = g_object_new (RH_TYPE_LOOPBACK_LISTENER, NULL);
  self->port = port;
  return self;
}

/**
 * rh_loopback_listener_set_timeout:
 *
 * How long a start waits for the callback (default
 * %RH_LOOPBACK_DEFAULT_TIMEOUT_SECONDS); applies to the next start.
 */
void
rh_loopback_listener_set_timeout (RhLoopbackListener *self,
                                  guint               seconds)
{
  g_return_if_fail (RH_IS_LOOPBACK_LISTENER (self));
  g_return_if_fail (seconds > 0);
  self->timeout_seconds = seconds;
}

/**
 * rh_loopback_listener_get_port:
 *
 * Returns: the port listened on, or 0 when not listening
 */
guint
rh_loopback_listener_get_port (RhLoopbackListener *self)
{
  g_return_val_if_fail (RH_IS_LOOPBACK_LISTENER (self), 0);
  return self->server ? self->bound_port : 0;
}

gboolean
rh_loopback_listener_is_listening (RhLoopbackListener *self)
{
  g_return_val_if_fail (RH_IS_LOOPBACK_LISTENER (self), FALSE);
  return self->server != NULL;
}

/**
 * rh_loopback_peer_is_allowed:
 * @peer: (nullable): the address a request came from
 *
 * Only this machine may deliver the callback: the listener is bound to
 * loopback, but a local program can still connect from another of the
 * machine's addresses.
 */
gboolean
rh_loopback_peer_is_allowed (GSocketAddress *peer)
{
  GInetAddress *address;

  if (peer == NULL || !G_IS_INET_SOCKET_ADDRESS (peer))
    return FALSE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer));
  return g_inet_address_get_is_loopback (address);
}

/* Ends the wait, if any, with the callback or @error. */
static void
complete_wait (RhLoopbackListener *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->wait_task);

  if (self->cancel_source != NULL)
    g_source_destroy (self->cancel_source);
  g_clear_pointer (&self->cancel_source, g_source_unref);
  if (task == NULL)
    return;
  if (self->callback_uri != NULL)
    g_task_return_pointer (task, g_steal_pointer (&self->callback_uri), g_free);
  else if (self->failure != NULL)
    g_task_return_error (task, g_steal_pointer (&self->failure));
  else
    g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                             _("Sign-in was cancelled."));
}

static void
stop_listening (RhLoopbackListener *self)
{
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (self->server != NULL)
    {
      g_debug ("The loopback listener on port %u stops", self->bound_port);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  complete_wait (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  RhLoopbackListener *self = user_data;
  guint minutes = MAX (1, self->timeout_seconds / 60);

  g_clear_pointer (&self->timeout_source, g_source_unref);
  g_clear_error (&self->failure);
  self->failure = g_error_new (RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Nothing came back from the browser within %u minute, "
                                            "so sign-in was stopped. Try again.",
                                            "Nothing came back from the browser within %u minutes, "
                                            "so sign-in was stopped. Try again.",
                                            minutes),
                               minutes);
  stop_listening (self);
  return G_SOURCE_REMOVE;
}

static gboolean
deliver_cb (gpointer user_data)
{
  RhLoopbackListener *self = user_data;

  /* the page went out: hand the callback over, and close */
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  complete_wait (self);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  return G_SOURCE_REMOVE;
}

static void
message_finished_cb (SoupServerMessage  *msg,
                     RhLoopbackListener *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, deliver_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[rh-loopback] deliver");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *title,
         const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><meta charset=\"utf-8\"><title>%s</title>\n"
                          "<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;"
                          "text-align:center}</style></head>\n"
                          "<body><h1>%s</h1><p>%s</p></body></html>\n",
                          escaped_title, escaped_title, escaped_text);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
}

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RhLoopbackListener *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);

  if (!rh_loopback_peer_is_allowed (soup_server_message_get_remote_address (msg)))
    {
      g_debug ("The loopback listener refused a peer that is not this machine");
      respond (msg, SOUP_STATUS_FORBIDDEN, _("Not allowed"),
               _("Only this computer can finish signing in to Rehearse."));
      return;
    }
  if (g_strcmp0 (path, "/callback") != 0)
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, _("Not found"), _("There is nothing here."));
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Not allowed"), _("There is nothing here."));
      return;
    }
  if (self->received)
    {
      g_debug ("The loopback listener refused a second callback");
      respond (msg, SOUP_STATUS_CONFLICT, _("Already done"),
               _("This sign-in was already completed. You can close this tab."));
      return;
    }

  self->received = TRUE;
  self->callback_uri = raw_query ? g_strconcat (self->redirect_uri, "?", raw_query, NULL)
                                 : g_strdup (self->redirect_uri);
  if (query != NULL && g_hash_table_contains (query, "error"))
    respond (msg, SOUP_STATUS_OK, _("Sign-in did not finish"),
             _("Rehearse was not signed in. You can close this tab and try again from the app."));
  else
    respond (msg, SOUP_STATUS_OK, _("Signed in to Rehearse"),
             _("You can close this tab and go back to Rehearse."));
  g_debug ("The loopback listener received the callback");
  g_signal_connect_object (msg, "finished", G_CALLBACK (message_finished_cb), self, 0);
}

/* RhCallbackReceiver */

static char *
rh_loopback_listener_start (RhCallbackReceiver  *receiver,
                            GError             **error)
{
  RhLoopbackListener *self = RH_LOOPBACK_LISTENER (receiver);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) ipv4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) ipv6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address4 = NULL;
  g_autoptr(GSocketAddress) address6 = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) ipv6_error = NULL;
  GSList *listeners;

  stop_listening (self);
  self->received = FALSE;
  g_clear_pointer (&self->callback_uri, g_free);
  g_clear_error (&self->failure);

  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (server, NULL, callback_handler, self, NULL);

  address4 = g_inet_socket_address_new (ipv4, self->port);
  if (!soup_server_listen (server, address4, 0, &local_error))
    {
      g_set_error (error, RH_AUTH_ERROR, RH_AUTH_ERROR_NETWORK,
                   _("Could not wait for the browser on port %u: %s"),
                   self->port, local_error->message);
      return NULL;
    }
  listeners = soup_server_get_listeners (server);
  self->bound_port = self->port;
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (local != NULL)
        self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  /* "localhost" may resolve to ::1 first; a machine without IPv6 is fine */
  address6 = g_inet_socket_address_new (ipv6, self->bound_port);
  if (!soup_server_listen (server, address6, 0, &ipv6_error))
    g_debug ("Not listening on ::1: %s", ipv6_error ? ipv6_error->message : "?");

  self->server = g_steal_pointer (&server);
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup_printf ("http://localhost:%u/callback", self->bound_port);
  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->timeout_source, timeout_cb, self, NULL);
  g_source_set_static_name (self->timeout_source, "[rh-loopback] timeout");
  g_source_attach (self->timeout_source, g_main_context_get_thread_default ());
  g_debug ("The loopback listener waits on port %u", self->bound_port);
  return g_strdup (self->redirect_uri);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  RhLoopbackListener *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  stop_listening (self);
  return G_SOURCE_REMOVE;
}

static void
rh_loopback_listener_wait_async (RhCallbackReceiver  *receiver,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  RhLoopbackListener *self = RH_LOOPBACK_LISTENER (receiver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rh_loopback_listener_wait_async);
  /* a cancel ends the wait like a timeout: with RH_AUTH_ERROR_CANCELLED */
  g_task_set_check_cancellable (task, FALSE);
  if (self->wait_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The listener is already waited on");
      return;
    }
  if (self->server == NULL && self->callback_uri == NULL)
    {
      if (self->failure != NULL)
        g_task_return_error (task, g_steal_pointer (&self->failure));
      else
        g_task_return_new_error (task, RH_AUTH_ERROR, RH_AUTH_ERROR_CANCELLED,
                                 _("Sign-in was cancelled."));
      return;
    }

  self->wait_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }
  /* the callback came before anyone waited: deliver it */
  if (self->server == NULL)
    complete_wait (self);
}

static char *
rh_loopback_listener_wait_finish (RhCallbackReceiver  *receiver,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, receiver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rh_loopback_listener_stop (RhCallbackReceiver *receiver)
{
  stop_listening (RH_LOOPBACK_LISTENER (receiver));
}

static void
rh_loopback_listener_receiver_init (RhCallbackReceiverInterface *iface)
{
  iface->start = rh_loopback_listener_start;
  iface->wait_async = rh_loopback_listener_wait_async;
  iface->wait_finish = rh_loopback_listener_wait_finish;
  iface->stop = rh_loopback_listener_stop;
}
