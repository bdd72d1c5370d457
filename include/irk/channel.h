/*
 * channel.h - delivering a published message: to a file, to an HTTP webhook
 * (a plain HTTP/1.1 POST to an http:// URL; no TLS), or through a sendmail
 * program (`sendmail -t`).  The bytes delivered are exactly the message
 * text, so that the recorded SHA-256 verifies against what was received.
 */
#ifndef IRK_CHANNEL_H
#define IRK_CHANNEL_H

#include <stddef.h>

#include "irk/error.h"

/* Write the text to `path` (mode 0644), refusing to overwrite an existing file. */
enum irk_code irk_channel_file(const char *path, const char *text, size_t len,
			       struct irk_err *err);

/* POST text/plain to `url` (http://host[:port]/path); 2xx is success.  Timeout in seconds. */
enum irk_code irk_channel_webhook(const char *url, const char *text, size_t len, int timeout_s,
				  struct irk_err *err);

/* Run `program -t -i` with headers To/Subject and the text on its standard input. */
enum irk_code irk_channel_sendmail(const char *program, const char *to, const char *subject,
				   const char *text, size_t len, struct irk_err *err);

#endif
