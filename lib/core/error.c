/* error.c - filling in struct irk_err; see include/irk/error.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/error.h"

enum irk_code irk_fail(struct irk_err *err, enum irk_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != IRK_OK)
		return code;
	err->code = code;
	err->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void irk_hint(struct irk_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void irk_err_prefix(struct irk_err *err, const char *fmt, ...)
{
	struct irk_buf b = IRK_BUF_INIT;
	va_list ap;

	if (!err || err->code == IRK_OK)
		return;
	va_start(ap, fmt);
	irk_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	irk_buf_addf(&b, ": %s", err->msg);
	snprintf(err->msg, sizeof(err->msg), "%s", b.buf);
	irk_buf_release(&b);
}

void irk_err_clear(struct irk_err *err)
{
	if (!err)
		return;
	err->code = IRK_OK;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
}

const char *irk_code_name(enum irk_code code)
{
	static const char *const names[] = {
		[IRK_OK] = "ok",
		[IRK_EFAIL] = "check-failed",
		[IRK_EUSAGE] = "usage",
		[IRK_ENOTFOUND] = "not-found",
		[IRK_EINVAL] = "invalid-input",
		[IRK_EKEY] = "key",
		[IRK_EDB] = "database",
		[IRK_EIO] = "io",
		[IRK_ESTATE] = "state",
		[IRK_EPERM] = "permission",
		[IRK_ETAMPER] = "tampered",
		[IRK_EBUSY] = "busy",
		[IRK_EINTERNAL] = "internal",
	};

	if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown";
}
