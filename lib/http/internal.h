/*
 * internal.h - what the files of lib/http share and nothing else sees: the
 * server handle, the session store and the login rate limiter.
 */
#ifndef IRK_HTTP_INTERNAL_H
#define IRK_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>

#include "irk/http.h"

struct irk_http_session {
	char id_sha256[65];      /* SHA-256 of the cookie value: the cookie itself is not kept */
	char csrf[65];
	char member[IRK_KEYID_HEX];
	int64_t expires_ms;
};

struct irk_http_limit {
	char who[160];           /* "ip:127.0.0.1" or "email:a@b" */
	int64_t window_ms;
	int failures;
};

/* A view waiting to be written to http_views (they are written in batches). */
struct irk_http_view {
	int64_t at_ms;
	char member[IRK_KEYID_HEX];
	char incident[32];
	char what[16];
};

#define IRK_HTTP_VIEWS_BATCH 256
#define IRK_HTTP_VIEWS_FLUSH_MS 1000

struct irk_http_server {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;    /* the casebook, the sessions, the limiter */
	pthread_mutex_t verify;  /* one verify at a time: each checks signatures on every CPU */
	struct irk_casebook *cb;
	struct irk_identity id;  /* the server member's key */
	struct irk_http_config cfg;
	char *tls_cert, *tls_key;
	int port;
	int tls;
	int stopping;            /* set once by irk_http_stop (atomic) */
	int inflight;            /* API requests inside dispatch (atomic) */
	struct irk_http_session *sessions;
	size_t nsessions, asessions;
	struct irk_http_limit *limits;
	size_t nlimits, alimits;
	struct irk_http_view views[IRK_HTTP_VIEWS_BATCH];
	size_t nviews;
	int64_t views_flushed_ms;
};

/* Write the pending views in one transaction (lock held). */
void irk_http_views_flush(struct irk_http_server *srv);

/* Sessions (session.c); call with srv->lock held. */
void irk_http_session_new(struct irk_http_server *srv, const char *member, char cookie[65],
			  char csrf[65]);
const struct irk_http_session *irk_http_session_get(struct irk_http_server *srv,
						    const char *cookie, int *expired);
void irk_http_session_drop(struct irk_http_server *srv, const char *cookie);
void irk_http_sessions_free(struct irk_http_server *srv);

/* Login rate limiting (session.c): 1 when `who` is over the limit now. */
int irk_http_limited(struct irk_http_server *srv, const char *who);
void irk_http_limit_fail(struct irk_http_server *srv, const char *who);
void irk_http_limit_clear(struct irk_http_server *srv, const char *who);

#endif
