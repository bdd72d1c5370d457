/*
 * collect-clock.c - the first area: the clocks, uptime and identity of the
 * host, so that every later time in the collection can be placed (boot
 * time, time zone, clock offsets) and the host named.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "irk/collect.h"
#include "irk/timefmt.h"

static json_t *clock_json(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return json_null();
	return json_real((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* First line of a small file, trimmed, as JSON (null when unreadable). */
static json_t *first_line(struct irk_collector *c, const char *path, struct irk_buf *b)
{
	if (irk_collect_read(c, path, b) != 0)
		return json_null();
	b->buf[strcspn(b->buf, "\n")] = '\0';
	return irk_json_bytes(b->buf, strlen(b->buf));
}

void irk_collect_clock(struct irk_collector *c)
{
	struct irk_buf b = IRK_BUF_INIT, tz = IRK_BUF_INIT;
	char now[IRK_TIME_MAX], boot[IRK_TIME_MAX];
	struct utsname u;
	double up = 0;
	long long btime = 0;
	json_t *o;
	char *p;
	ssize_t n;

	irk_time_utc(irk_now_ms(), 1, now);
	o = json_pack("{s:s, s:o, s:o, s:o}", "utc", now, "realtime", clock_json(CLOCK_REALTIME),
		      "monotonic", clock_json(CLOCK_MONOTONIC), "boottime", clock_json(CLOCK_BOOTTIME));
	if (irk_collect_read(c, "/proc/uptime", &b) == 0) {
		up = strtod(b.buf, NULL);
		json_object_set_new(o, "uptime_s", json_real(up));
	}
	if (irk_collect_read(c, "/proc/stat", &b) == 0 && (p = strstr(b.buf, "\nbtime ")))
		btime = strtoll(p + 7, NULL, 10);
	if (btime > 0) {
		irk_time_utc(btime * 1000, 0, boot);
		json_object_set_new(o, "boot", json_string(boot));
	}
	irk_buf_grow(&tz, 4096);
	n = irk_collect_readlink(c, "/etc/localtime", tz.buf, tz.alloc - 1);
	if (n > 0) {
		irk_buf_setlen(&tz, (size_t)n);
		json_object_set_new(o, "localtime", irk_json_bytes(tz.buf, tz.len));
	}
	json_object_set_new(o, "timezone", first_line(c, "/etc/timezone", &b));
	json_object_set_new(o, "utc_offset_min", json_integer(irk_local_offset(irk_now_ms())));
	if (uname(&u) == 0)
		json_object_set_new(o, "uname",
				    json_pack("{s:s, s:s, s:s, s:s, s:s}", "sysname", u.sysname,
					      "nodename", u.nodename, "release", u.release, "version",
					      u.version, "machine", u.machine));
	json_object_set_new(o, "hostname", first_line(c, "/proc/sys/kernel/hostname", &b));
	json_object_set_new(o, "boot_id", first_line(c, "/proc/sys/kernel/random/boot_id", &b));
	json_object_set_new(o, "machine_id", first_line(c, "/etc/machine-id", &b));
	json_object_set_new(o, "kernel_tainted", first_line(c, "/proc/sys/kernel/tainted", &b));
	json_object_set_new(o, "clocksource",
			    first_line(c, "/sys/devices/system/clocksource/clocksource0/current_clocksource", &b));
	irk_collect_emit(c, "clock", o);
	irk_buf_release(&b);
	irk_buf_release(&tz);
}
