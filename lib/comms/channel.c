/* channel.c - delivering published messages; see irk/channel.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "irk/buf.h"
#include "irk/channel.h"
#include "irk/fs.h"

enum irk_code irk_channel_file(const char *path, const char *text, size_t len,
			       struct irk_err *err)
{
	struct stat sb;

	if (stat(path, &sb) == 0) {
		irk_fail(err, IRK_ESTATE, "%s already exists; a published message is never overwritten",
			 path);
		irk_hint(err, "choose a new file name with --to");
		return IRK_ESTATE;
	}
	return irk_write_file(path, text, len, 0644, err);
}

static enum irk_code write_all(int fd, const char *p, size_t n, const char *what,
			       struct irk_err *err)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return irk_fail(err, IRK_EIO, "writing to %s: %s", what, strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return IRK_OK;
}

/* Split http://host[:port]/path; IRK_EINVAL for anything else. */
static enum irk_code parse_url(const char *url, char host[256], char port[8], const char **path,
			       struct irk_err *err)
{
	const char *h = url + 7, *end, *colon;
	size_t hl;

	if (strncmp(url, "http://", 7)) {
		irk_fail(err, IRK_EINVAL, "webhook URL '%s' is not an http:// URL", url);
		irk_hint(err, "irk speaks plain HTTP only; put a local relay in front of HTTPS endpoints");
		return IRK_EINVAL;
	}
	end = h + strcspn(h, "/?#");
	colon = memchr(h, ':', (size_t)(end - h));
	hl = (size_t)((colon ? colon : end) - h);
	if (hl == 0 || hl >= 256 || (colon && (end - colon - 1 < 1 || end - colon - 1 > 5)))
		return irk_fail(err, IRK_EINVAL, "webhook URL '%s' has no usable host or port", url);
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (colon) {
		memcpy(port, colon + 1, (size_t)(end - colon - 1));
		port[end - colon - 1] = '\0';
	} else {
		strcpy(port, "80");
	}
	for (const char *p = host; *p; p++)
		if (*p <= ' ' || *p == '@')
			return irk_fail(err, IRK_EINVAL, "webhook URL '%s' has a bad host", url);
	*path = *end == '/' ? end : "/";
	return IRK_OK;
}

static int wait_fd(int fd, short ev, int timeout_s)
{
	struct pollfd p = { fd, ev, 0 };
	int r;

	do
		r = poll(&p, 1, timeout_s * 1000);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

enum irk_code irk_channel_webhook(const char *url, const char *text, size_t len, int timeout_s,
				  struct irk_err *err)
{
	char host[256], port[8], status[128];
	const char *path = "/";
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	struct irk_buf req = IRK_BUF_INIT, resp = IRK_BUF_INIT;
	enum irk_code rc;
	int fd = -1, gai, code;

	if ((rc = parse_url(url, host, port, &path, err)))
		return rc;
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		return irk_fail(err, IRK_EIO, "webhook host %s: %s", host, gai_strerror(gai));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && wait_fd(fd, POLLOUT, timeout_s))) {
			int soerr = 0;
			socklen_t sl = sizeof(soerr);
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
			if (soerr == 0)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return irk_fail(err, IRK_EIO, "cannot connect to webhook %s:%s", host, port);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	{
		struct timeval tv = { timeout_s, 0 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	irk_buf_addf(&req,
		     "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: irk\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n",
		     path, host, len);
	irk_buf_add(&req, text, len);
	rc = write_all(fd, req.buf, req.len, "the webhook", err);
	while (!rc && resp.len < 4096) {
		ssize_t n;
		irk_buf_grow(&resp, 1024);
		n = read(fd, resp.buf + resp.len, 1024);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		irk_buf_setlen(&resp, resp.len + (size_t)n);
	}
	close(fd);
	if (!rc) {
		snprintf(status, sizeof(status), "%.*s", (int)strcspn(resp.buf, "\r\n"), resp.buf);
		if (sscanf(status, "HTTP/1.%*d %d", &code) != 1)
			rc = irk_fail(err, IRK_EIO, "webhook %s sent no HTTP response", url);
		else if (code < 200 || code > 299)
			rc = irk_fail(err, IRK_EIO, "webhook %s answered '%s'", url, status);
	}
	irk_buf_release(&req);
	irk_buf_release(&resp);
	return rc;
}

static int header_safe(const char *s)
{
	return !strpbrk(s, "\r\n");
}

enum irk_code irk_channel_sendmail(const char *program, const char *to, const char *subject,
				   const char *text, size_t len, struct irk_err *err)
{
	struct irk_buf msg = IRK_BUF_INIT;
	int fds[2], status;
	pid_t pid;
	enum irk_code rc;
	void (*old)(int);

	if (!program || access(program, X_OK) != 0) {
		irk_fail(err, IRK_ENOTFOUND, "no sendmail program at %s",
			 program ? program : "(none)");
		irk_hint(err, "install one, or name it with --sendmail PATH or IRK_SENDMAIL");
		return IRK_ENOTFOUND;
	}
	if (!header_safe(to) || !header_safe(subject))
		return irk_fail(err, IRK_EINVAL, "recipients and subject must be one line each");
	if (pipe2(fds, O_CLOEXEC) != 0)
		return irk_fail(err, IRK_EIO, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return irk_fail(err, IRK_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		execl(program, program, "-t", "-i", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	irk_buf_addf(&msg,
		     "To: %s\nSubject: %s\nMIME-Version: 1.0\n"
		     "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
		     to, subject);
	irk_buf_add(&msg, text, len);
	old = signal(SIGPIPE, SIG_IGN);
	rc = write_all(fds[1], msg.buf, msg.len, program, err);
	signal(SIGPIPE, old);
	close(fds[1]);
	irk_buf_release(&msg);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = irk_fail(err, IRK_EIO, "%s failed (status %d)", program,
			      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return rc;
}
