/*
 * sse.c - an incident's new entries as Server-Sent Events.
 *
 * Each event is "id: <seq>", "event: entry", "data: <the entry as JSON>";
 * a browser that reconnects sends Last-Event-ID and gets what it missed.
 * The stream runs in its connection's own thread: it takes the casebook lock
 * only to read, polls four times a second, sends a comment every 15 s so
 * that idle connections stay open, and ends when the server stops.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "irk/incident.h"
#include "irk/timefmt.h"

#define POLL_MS 250
#define KEEPALIVE_MS 15000

struct stream {
	struct irk_http_server *srv;
	char inc[IRK_CHAIN_MAX];
	int64_t after;
	struct irk_buf pending;
	size_t sent;
	int64_t last_write_ms;
};

/* Read entries newer than st->after into st->pending as events. */
static void stream_fill(struct stream *st)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr = NULL, *e;
	size_t i;

	pthread_mutex_lock(&st->srv->lock);
	if (irk_incident_entries_after(st->srv->cb, st->inc, st->after, &arr, &err))
		arr = NULL;
	pthread_mutex_unlock(&st->srv->lock);
	if (!arr)
		return;
	json_array_foreach(arr, i, e) {
		char *s = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
		int64_t seq = json_integer_value(json_object_get(e, "seq"));
		if (!s)
			continue;
		irk_buf_addf(&st->pending, "id: %lld\nevent: entry\ndata: %s\n\n", (long long)seq, s);
		free(s);
		st->after = seq;
	}
	json_decref(arr);
}

static long stream_read(void *arg, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = arg;
	size_t n;

	(void)pos;
	while (st->sent == st->pending.len) {
		irk_buf_reset(&st->pending);
		st->sent = 0;
		if (__atomic_load_n(&st->srv->stopping, __ATOMIC_SEQ_CST))
			return -1; /* MHD_CONTENT_READER_END_OF_STREAM */
		stream_fill(st);
		if (st->pending.len)
			break;
		if (irk_now_ms() - st->last_write_ms >= KEEPALIVE_MS) {
			irk_buf_adds(&st->pending, ": keepalive\n\n");
			break;
		}
		usleep(POLL_MS * 1000);
	}
	n = st->pending.len - st->sent;
	if (n > max)
		n = max;
	memcpy(buf, st->pending.buf + st->sent, n);
	st->sent += n;
	st->last_write_ms = irk_now_ms();
	return (long)n;
}

static void stream_free(void *arg)
{
	struct stream *st = arg;

	irk_buf_release(&st->pending);
	free(st);
}

void irk_api_entries_stream(struct irk_http_request *req, struct irk_http_response *res)
{
	const char *last = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Last-Event-ID");
	int64_t v = irk_http_seq(last ? last : irk_http_query(req, "after"));
	struct stream *st;

	if (v < 0)
		return irk_http_error(res, 400, IRK_EINVAL, "bad-query",
				      "Last-Event-ID and ?after must be sequence numbers");
	st = irk_calloc(1, sizeof(*st));
	if (!irk_http_incident(req, res, st->inc)) {
		free(st);
		return;
	}
	irk_http_record_view(req, st->inc, "stream");
	st->srv = req->srv;
	st->after = v;
	irk_buf_init(&st->pending, 0);
	/* Tell the client how long to wait before reconnecting. */
	irk_buf_adds(&st->pending, "retry: 2000\n\n");
	st->last_write_ms = irk_now_ms();
	res->stream = stream_read;
	res->stream_free = stream_free;
	res->stream_arg = st;
	res->content_type = "text/event-stream; charset=utf-8";
}
