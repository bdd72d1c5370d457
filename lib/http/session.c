/*
 * session.c - browser sessions and the login rate limiter, both in the
 * server's memory (a restart logs everyone out, by design: one process, and
 * nothing a stolen database copy could replay).
 *
 * The cookie value is 32 random bytes in hex; only its SHA-256 is stored.
 * Each session has its own CSRF token, which the page sends back in the
 * X-CSRF-Token header on every state-changing request.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "irk/hash.h"
#include "irk/timefmt.h"

#define LIMIT_WINDOW_MS 60000

static void random_hex(char out[65])
{
	uint8_t b[32];

	randombytes_buf(b, sizeof(b));
	irk_hex(b, sizeof(b), out);
}

static void cookie_hash(const char *cookie, char out[65])
{
	uint8_t sum[IRK_SHA256_LEN];

	irk_sha256(cookie, strlen(cookie), sum);
	irk_hex(sum, sizeof(sum), out);
}

static void sessions_expire(struct irk_http_server *srv, int64_t now)
{
	size_t i = 0;

	while (i < srv->nsessions) {
		if (srv->sessions[i].expires_ms <= now)
			srv->sessions[i] = srv->sessions[--srv->nsessions];
		else
			i++;
	}
}

void irk_http_session_new(struct irk_http_server *srv, const char *member, char cookie[65],
			  char csrf[65])
{
	struct irk_http_session *s;
	int64_t now = irk_now_ms();
	int secs = srv->cfg.session_seconds > 0 ? srv->cfg.session_seconds : IRK_HTTP_SESSION_S;

	sessions_expire(srv, now);
	if (srv->nsessions == srv->asessions) {
		srv->asessions = srv->asessions ? 2 * srv->asessions : 16;
		srv->sessions = irk_realloc(srv->sessions, srv->asessions * sizeof(*s));
	}
	s = &srv->sessions[srv->nsessions++];
	random_hex(cookie);
	random_hex(csrf);
	cookie_hash(cookie, s->id_sha256);
	memcpy(s->csrf, csrf, 65);
	snprintf(s->member, sizeof(s->member), "%s", member);
	s->expires_ms = now + (int64_t)secs * 1000;
}

const struct irk_http_session *irk_http_session_get(struct irk_http_server *srv,
						    const char *cookie, int *expired)
{
	char h[65];
	int64_t now = irk_now_ms();

	*expired = 0;
	cookie_hash(cookie, h);
	for (size_t i = 0; i < srv->nsessions; i++) {
		if (sodium_memcmp(srv->sessions[i].id_sha256, h, 64))
			continue;
		if (srv->sessions[i].expires_ms <= now) {
			*expired = 1;
			srv->sessions[i] = srv->sessions[--srv->nsessions];
			return NULL;
		}
		return &srv->sessions[i];
	}
	return NULL;
}

void irk_http_session_drop(struct irk_http_server *srv, const char *cookie)
{
	char h[65];

	cookie_hash(cookie, h);
	for (size_t i = 0; i < srv->nsessions; i++)
		if (!strcmp(srv->sessions[i].id_sha256, h)) {
			srv->sessions[i] = srv->sessions[--srv->nsessions];
			return;
		}
}

void irk_http_sessions_free(struct irk_http_server *srv)
{
	if (srv->sessions)
		sodium_memzero(srv->sessions, srv->asessions * sizeof(*srv->sessions));
	free(srv->sessions);
	free(srv->limits);
	srv->sessions = NULL;
	srv->limits = NULL;
}

static struct irk_http_limit *limit_find(struct irk_http_server *srv, const char *who, int add)
{
	int64_t now = irk_now_ms();
	size_t i = 0;

	while (i < srv->nlimits) { /* forget windows that have passed */
		if (now - srv->limits[i].window_ms >= LIMIT_WINDOW_MS)
			srv->limits[i] = srv->limits[--srv->nlimits];
		else if (!strcmp(srv->limits[i].who, who))
			return &srv->limits[i];
		else
			i++;
	}
	if (!add)
		return NULL;
	if (srv->nlimits == srv->alimits) {
		srv->alimits = srv->alimits ? 2 * srv->alimits : 16;
		srv->limits = irk_realloc(srv->limits, srv->alimits * sizeof(*srv->limits));
	}
	memset(&srv->limits[srv->nlimits], 0, sizeof(srv->limits[0]));
	snprintf(srv->limits[srv->nlimits].who, sizeof(srv->limits[0].who), "%s", who);
	srv->limits[srv->nlimits].window_ms = now;
	return &srv->limits[srv->nlimits++];
}

int irk_http_limited(struct irk_http_server *srv, const char *who)
{
	struct irk_http_limit *l = limit_find(srv, who, 0);
	int max = srv->cfg.login_failures > 0 ? srv->cfg.login_failures : 5;

	return l && l->failures >= max;
}

void irk_http_limit_fail(struct irk_http_server *srv, const char *who)
{
	limit_find(srv, who, 1)->failures++;
}

void irk_http_limit_clear(struct irk_http_server *srv, const char *who)
{
	struct irk_http_limit *l = limit_find(srv, who, 0);

	if (l)
		*l = srv->limits[--srv->nlimits];
}
