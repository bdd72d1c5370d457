/* webhook.c - a small HTTP/1.1 JSON POST client for findings; see irk/outlet.h. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "irk/outlet.h"

static enum irk_code split_url(const char *url, char *host, size_t hl, char *port, size_t pl,
			       const char **path, struct irk_err *err)
{
	const char *h, *end, *colon;

	if (strncmp(url, "http://", 7))
		return irk_fail(err, IRK_EUSAGE, "webhook URL %s: only http:// is supported", url);
	h = url + 7;
	end = h + strcspn(h, "/");
	*path = *end ? end : "/";
	colon = memchr(h, ':', (size_t)(end - h));
	if (h[0] == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb)
			return irk_fail(err, IRK_EUSAGE, "webhook URL %s: bad IPv6 address", url);
		snprintf(host, hl, "%.*s", (int)(rb - h - 1), h + 1);
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		snprintf(host, hl, "%.*s", (int)((colon ? colon : end) - h), h);
	}
	snprintf(port, pl, "%.*s", colon ? (int)(end - colon - 1) : 2, colon ? colon + 1 : "80");
	if (!*host)
		return irk_fail(err, IRK_EUSAGE, "webhook URL %s has no host", url);
	return IRK_OK;
}

enum irk_code irk_webhook_post(const char *url, const char *body, size_t len, int timeout_ms,
			       struct irk_err *err)
{
	char host[256], port[16], reply[256];
	const char *path = "/";
	struct addrinfo hints = { 0 }, *ai = NULL, *p;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	struct irk_buf req = IRK_BUF_INIT;
	enum irk_code rc;
	int fd = -1, status = 0;
	size_t sent = 0, got = 0;

	if ((rc = split_url(url, host, sizeof(host), port, sizeof(port), &path, err)))
		return rc;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai))
		return irk_fail(err, IRK_EIO, "webhook %s: cannot resolve %s", url, host);
	for (p = ai; p && fd < 0; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (connect(fd, p->ai_addr, p->ai_addrlen)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		return irk_fail(err, IRK_EIO, "webhook %s: cannot connect", url);
	irk_buf_addf(&req,
		     "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
		     "Content-Length: %zu\r\nUser-Agent: irk\r\nConnection: close\r\n\r\n",
		     path, host, len);
	irk_buf_add(&req, body, len);
	while (sent < req.len) {
		ssize_t n = send(fd, req.buf + sent, req.len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	irk_buf_release(&req);
	while (got < sizeof(reply) - 1) {
		ssize_t n = recv(fd, reply + got, sizeof(reply) - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply, '\n', got))
			break;
	}
	close(fd);
	reply[got] = 0;
	if (sscanf(reply, "HTTP/%*s %d", &status) != 1)
		return irk_fail(err, IRK_EIO, "webhook %s: no HTTP answer", url);
	if (status < 200 || status > 299)
		return irk_fail(err, IRK_EIO, "webhook %s answered %d", url, status);
	return IRK_OK;
}
