/*
 * collect-network.c - the second area: sockets (TCP, UDP, Unix) from
 * /proc/net, each mapped to the processes holding it through the socket
 * inodes in /proc/PID/fd; interfaces and their addresses; routes; the ARP
 * neighbour table.  Also the parsers of /proc/net lines (fuzzed).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/collect.h"

static const char *const tcp_states[] = {
	"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
	"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
};

/* Hex digits only, exactly `n` of them. */
static int hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return !isxdigit((unsigned char)s[n]);
}

static uint32_t hex32(const char *s)
{
	char tmp[9];

	memcpy(tmp, s, 8);
	tmp[8] = '\0';
	return (uint32_t)strtoul(tmp, NULL, 16);
}

/* "0100007F:0277" (v4) or 32 hex digits and a port (v6), as /proc/net prints them. */
static int parse_endpoint(const char **pp, int v6, char *addr, size_t addrlen, unsigned *port)
{
	const char *p = *pp;
	size_t n = v6 ? 32 : 8;
	char *end;
	unsigned long v;

	while (*p == ' ')
		p++;
	if (!hex_run(p, n) || p[n] != ':')
		return -1;
	if (v6) {
		struct in6_addr a;

		for (int i = 0; i < 4; i++)
			a.s6_addr32[i] = hex32(p + 8 * i);
		inet_ntop(AF_INET6, &a, addr, (socklen_t)addrlen);
	} else {
		struct in_addr a = { hex32(p) };

		inet_ntop(AF_INET, &a, addr, (socklen_t)addrlen);
	}
	p += n + 1;
	if (!isxdigit((unsigned char)*p))
		return -1;
	v = strtoul(p, &end, 16);
	if (v > 65535 || (*end != ' ' && *end != '\0'))
		return -1;
	*port = (unsigned)v;
	*pp = end;
	return 0;
}

/* Skip `n` whitespace-separated fields. */
static const char *skip_fields(const char *p, int n)
{
	for (int i = 0; i < n; i++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return NULL;
		while (*p && *p != ' ')
			p++;
	}
	return p;
}

enum irk_code irk_procnet_parse_inet(const char *line, const char *proto, struct irk_sock *out,
				     struct irk_err *err)
{
	int v6 = strchr(proto, '6') != NULL, udp = proto[0] == 'u';
	const char *p = line;
	char *end;
	unsigned long st;

	memset(out, 0, sizeof(*out));
	snprintf(out->proto, sizeof(out->proto), "%s", proto);
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return irk_fail(err, IRK_EINVAL, "not a socket line");
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return irk_fail(err, IRK_EINVAL, "no ':' after the slot number");
	if (parse_endpoint(&p, v6, out->local, sizeof(out->local), &out->lport) ||
	    parse_endpoint(&p, v6, out->remote, sizeof(out->remote), &out->rport))
		return irk_fail(err, IRK_EINVAL, "malformed address");
	while (*p == ' ')
		p++;
	if (!isxdigit((unsigned char)*p))
		return irk_fail(err, IRK_EINVAL, "no state");
	st = strtoul(p, &end, 16);
	if (udp)
		snprintf(out->state, sizeof(out->state), "%s",
			 st == 7 ? "UNCONN" : st == 1 ? "ESTABLISHED" : "OTHER");
	else
		snprintf(out->state, sizeof(out->state), "%s",
			 st < sizeof(tcp_states) / sizeof(tcp_states[0]) && st ? tcp_states[st] : "UNKNOWN");
	/* tx_queue:rx_queue tr:tm->when retrnsmt, then uid timeout inode */
	p = skip_fields(end, 3);
	if (!p)
		return irk_fail(err, IRK_EINVAL, "line ends before the uid");
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return irk_fail(err, IRK_EINVAL, "no uid");
	out->uid = strtoul(p, &end, 10);
	p = skip_fields(end, 1);
	if (!p)
		return irk_fail(err, IRK_EINVAL, "line ends before the inode");
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return irk_fail(err, IRK_EINVAL, "no inode");
	out->inode = strtoull(p, NULL, 10);
	return IRK_OK;
}

enum irk_code irk_procnet_parse_unix(const char *line, struct irk_unix_sock *out,
				     struct irk_err *err)
{
	unsigned flags, type, st;
	unsigned long long inode;
	int used = 0;
	const char *path;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (sscanf(line, "%*[0-9a-fA-F]: %*x %*x %x %x %x %llu%n", &flags, &type, &st, &inode,
		   &used) != 4 || used <= 0)
		return irk_fail(err, IRK_EINVAL, "not a unix socket line");
	out->inode = inode;
	out->listening = (flags & 0x10000) != 0;
	snprintf(out->type, sizeof(out->type), "%s",
		 type == 1 ? "stream" : type == 2 ? "dgram" : type == 5 ? "seqpacket" : "other");
	snprintf(out->state, sizeof(out->state), "%s",
		 st == 1 ? "unconnected" : st == 2 ? "connecting" : st == 3 ? "connected"
		 : st == 4 ? "disconnecting" : "other");
	path = line + used;
	while (*path == ' ')
		path++;
	n = strcspn(path, "\n");
	if (n >= sizeof(out->path))
		n = sizeof(out->path) - 1;
	memcpy(out->path, path, n);
	out->path[n] = '\0';
	return IRK_OK;
}

/* ---- which process holds which socket ---- */

struct holder {
	unsigned long long inode;
	int pid, fd;
};

struct holders {
	struct holder *v;
	size_t n, alloc;
};

static int cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static void scan_holders(struct irk_collector *c, struct holders *h)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	char path[64], link[64];

	if (!proc) {
		irk_collect_log_errno(c, "/proc", errno);
		return;
	}
	while ((de = readdir(proc))) {
		DIR *fds;
		struct dirent *fe;
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		if (!(fds = opendir(path))) {
			irk_collect_log_errno(c, path, errno);
			continue;
		}
		while ((fe = readdir(fds))) {
			char fdpath[320];
			ssize_t n;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(fdpath, sizeof(fdpath), "%s/%s", path, fe->d_name);
			n = readlink(fdpath, link, sizeof(link) - 1);
			if (n <= 8)
				continue;
			link[n] = '\0';
			if (strncmp(link, "socket:[", 8))
				continue;
			if (h->n == h->alloc) {
				h->alloc = h->alloc ? 2 * h->alloc : 1024;
				h->v = irk_realloc(h->v, h->alloc * sizeof(*h->v));
			}
			h->v[h->n++] = (struct holder){ strtoull(link + 8, NULL, 10), pid,
							atoi(fe->d_name) };
		}
		closedir(fds);
	}
	closedir(proc);
	qsort(h->v, h->n, sizeof(*h->v), cmp_holder);
}

static json_t *holders_json(struct irk_collector *c, const struct holders *h,
			    unsigned long long inode)
{
	json_t *a = json_array();
	struct holder key = { inode, 0, 0 };
	struct holder *m = bsearch(&key, h->v, h->n, sizeof(*h->v), cmp_holder);
	struct irk_buf comm = IRK_BUF_INIT;

	if (!m || inode == 0)
		return a;
	while (m > h->v && m[-1].inode == inode)
		m--;
	for (; m < h->v + h->n && m->inode == inode; m++) {
		char path[64];
		json_t *o = json_pack("{s:i, s:i}", "pid", m->pid, "fd", m->fd);

		snprintf(path, sizeof(path), "/proc/%d/comm", m->pid);
		if (irk_collect_read(c, path, &comm) == 0) {
			irk_buf_rtrim(&comm);
			json_object_set_new(o, "comm", irk_json_bytes(comm.buf, comm.len));
		}
		json_array_append_new(a, o);
	}
	irk_buf_release(&comm);
	return a;
}

static void inet_table(struct irk_collector *c, const struct holders *h, const char *proto)
{
	struct irk_buf b = IRK_BUF_INIT;
	char path[32];
	char *save = NULL, *line;
	int first = 1;

	snprintf(path, sizeof(path), "/proc/net/%s", proto);
	if (irk_collect_read(c, path, &b) != 0) {
		irk_buf_release(&b);
		return;
	}
	for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct irk_sock s;
		struct irk_err e = IRK_ERR_INIT;
		const char *user;
		json_t *o;

		if (first) { /* the header line */
			first = 0;
			continue;
		}
		if (irk_procnet_parse_inet(line, proto, &s, &e)) {
			irk_collect_log(c, "skip", path, "unreadable line: %s", e.msg);
			continue;
		}
		user = irk_collect_user(c, s.uid);
		o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:s*, s:I, s:o}", "proto", s.proto,
			      "state", s.state, "local", s.local, "lport", (int)s.lport, "remote",
			      s.remote, "rport", (int)s.rport, "uid", (json_int_t)s.uid, "user", user,
			      "inode", (json_int_t)s.inode, "processes", holders_json(c, h, s.inode));
		irk_collect_emit(c, "sockets", o);
		irk_collect_count(c, IRK_CC_SOCKETS, 1);
	}
	irk_buf_release(&b);
}

static void unix_table(struct irk_collector *c, const struct holders *h)
{
	struct irk_buf b = IRK_BUF_INIT;
	char *save = NULL, *line;
	int first = 1;

	if (irk_collect_read(c, "/proc/net/unix", &b) != 0) {
		irk_buf_release(&b);
		return;
	}
	for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct irk_unix_sock s;
		struct irk_err e = IRK_ERR_INIT;

		if (first) {
			first = 0;
			continue;
		}
		if (irk_procnet_parse_unix(line, &s, &e)) {
			irk_collect_log(c, "skip", "/proc/net/unix", "unreadable line: %s", e.msg);
			continue;
		}
		irk_collect_emit(c, "sockets",
				 json_pack("{s:s, s:s, s:s, s:b, s:o, s:I, s:o}", "proto", "unix",
					   "type", s.type, "state", s.listening ? "LISTEN" : s.state,
					   "listening", s.listening, "path",
					   irk_json_bytes(s.path, strlen(s.path)), "inode",
					   (json_int_t)s.inode, "processes", holders_json(c, h, s.inode)));
		irk_collect_count(c, IRK_CC_SOCKETS, 1);
	}
	irk_buf_release(&b);
}

/* ---- interfaces, routes, neighbours ---- */

static void sys_attr(struct irk_collector *c, json_t *o, const char *ifname, const char *attr,
		     struct irk_buf *b)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	if (irk_collect_read(c, path, b) == 0) {
		irk_buf_rtrim(b);
		json_object_set_new(o, attr, irk_json_bytes(b->buf, b->len));
	}
}

static void interfaces(struct irk_collector *c)
{
	struct ifaddrs *ifa = NULL;
	struct irk_buf b = IRK_BUF_INIT;
	json_t *byname = json_object();
	const char *name;
	json_t *o;
	DIR *d = opendir("/sys/class/net");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		o = json_pack("{s:s, s:[]}", "name", de->d_name, "addresses");
		sys_attr(c, o, de->d_name, "address", &b);
		sys_attr(c, o, de->d_name, "operstate", &b);
		sys_attr(c, o, de->d_name, "mtu", &b);
		sys_attr(c, o, de->d_name, "flags", &b);
		json_object_set_new(byname, de->d_name, o);
	}
	if (d)
		closedir(d);
	else
		irk_collect_log_errno(c, "/sys/class/net", errno);
	/* getifaddrs() asks the kernel over netlink: no program is run */
	if (getifaddrs(&ifa) != 0)
		irk_collect_log(c, "skip", "netlink RTM_GETADDR", "%s", strerror(errno));
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		char addr[INET6_ADDRSTRLEN];
		int prefix = 0;
		json_t *iface;

		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
				     i->ifa_addr->sa_family != AF_INET6))
			continue;
		iface = json_object_get(byname, i->ifa_name);
		if (!iface) {
			iface = json_pack("{s:s, s:[]}", "name", i->ifa_name, "addresses");
			json_object_set_new(byname, i->ifa_name, iface);
		}
		json_object_set_new(iface, "up", json_boolean(i->ifa_flags & IFF_UP));
		json_object_set_new(iface, "promiscuous", json_boolean(i->ifa_flags & IFF_PROMISC));
		if (i->ifa_addr->sa_family == AF_INET) {
			struct sockaddr_in *a = (void *)i->ifa_addr, *m = (void *)i->ifa_netmask;

			inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
			if (m)
				prefix = __builtin_popcount(m->sin_addr.s_addr);
		} else {
			struct sockaddr_in6 *a = (void *)i->ifa_addr, *m = (void *)i->ifa_netmask;

			inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
			for (int k = 0; m && k < 16; k++)
				prefix += __builtin_popcount(m->sin6_addr.s6_addr[k]);
		}
		json_array_append_new(json_object_get(iface, "addresses"),
				      json_pack("{s:s, s:s, s:i}", "family",
						i->ifa_addr->sa_family == AF_INET ? "inet" : "inet6",
						"address", addr, "prefix", prefix));
	}
	if (ifa)
		freeifaddrs(ifa);
	json_object_foreach(byname, name, o)
		irk_collect_emit(c, "interfaces", json_incref(o));
	json_decref(byname);
	irk_buf_release(&b);
}

static void routes(struct irk_collector *c)
{
	struct irk_buf b = IRK_BUF_INIT;
	char *save = NULL, *line;

	if (irk_collect_read(c, "/proc/net/route", &b) == 0) {
		for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char ifname[32], dst[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
			unsigned d, g, fl, metric, m;
			struct in_addr a;

			if (sscanf(line, "%31s %x %x %x %*d %*d %u %x", ifname, &d, &g, &fl, &metric,
				   &m) != 6)
				continue; /* the header */
			a.s_addr = d;
			inet_ntop(AF_INET, &a, dst, sizeof(dst));
			a.s_addr = g;
			inet_ntop(AF_INET, &a, gw, sizeof(gw));
			a.s_addr = m;
			inet_ntop(AF_INET, &a, mask, sizeof(mask));
			irk_collect_emit(c, "routes",
					 json_pack("{s:s, s:o, s:s, s:s, s:s, s:i, s:b}", "family",
						   "inet", "iface", irk_json_bytes(ifname, strlen(ifname)),
						   "destination", dst, "mask", mask, "gateway", gw,
						   "metric", (int)metric, "up", (fl & 1) != 0));
		}
	}
	save = NULL;
	if (irk_collect_read(c, "/proc/net/ipv6_route", &b) == 0) {
		for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char dhex[33], nhex[33], ifname[32], dst[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN];
			unsigned dlen, metric;
			struct in6_addr a;

			if (sscanf(line, "%32[0-9a-f] %x %*32[0-9a-f] %*x %32[0-9a-f] %x %*x %*x %*x %31s",
				   dhex, &dlen, nhex, &metric, ifname) != 5)
				continue;
			for (int k = 0; k < 16; k++) {
				char two[3] = { dhex[2 * k], dhex[2 * k + 1], 0 };
				a.s6_addr[k] = (uint8_t)strtoul(two, NULL, 16);
			}
			inet_ntop(AF_INET6, &a, dst, sizeof(dst));
			for (int k = 0; k < 16; k++) {
				char two[3] = { nhex[2 * k], nhex[2 * k + 1], 0 };
				a.s6_addr[k] = (uint8_t)strtoul(two, NULL, 16);
			}
			inet_ntop(AF_INET6, &a, nh, sizeof(nh));
			irk_collect_emit(c, "routes",
					 json_pack("{s:s, s:o, s:s, s:i, s:s, s:I}", "family", "inet6",
						   "iface", irk_json_bytes(ifname, strlen(ifname)),
						   "destination", dst, "prefix", (int)dlen, "gateway", nh,
						   "metric", (json_int_t)metric));
		}
	}
	save = NULL;
	if (irk_collect_read(c, "/proc/net/arp", &b) == 0) {
		int first = 1;

		for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char ip[64], mac[64], dev[32];
			unsigned hw, fl;

			if (first) {
				first = 0;
				continue;
			}
			if (sscanf(line, "%63s %x %x %63s %*s %31s", ip, &hw, &fl, mac, dev) != 5)
				continue;
			irk_collect_emit(c, "neighbours",
					 json_pack("{s:o, s:o, s:o, s:b, s:b}", "address",
						   irk_json_bytes(ip, strlen(ip)), "mac",
						   irk_json_bytes(mac, strlen(mac)), "iface",
						   irk_json_bytes(dev, strlen(dev)), "complete",
						   (fl & 2) != 0, "permanent", (fl & 4) != 0));
		}
	}
	irk_buf_release(&b);
}

void irk_collect_network(struct irk_collector *c)
{
	struct holders h = { 0 };
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6", NULL };

	scan_holders(c, &h);
	for (const char *const *p = protos; *p; p++)
		inet_table(c, &h, *p);
	unix_table(c, &h);
	interfaces(c);
	routes(c);
	free(h.v);
}
