/* svg.c - hand-written SVG charts: the timeline and bar charts; see irk/svg.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "irk/incident.h"
#include "irk/markup.h"
#include "irk/svg.h"
#include "irk/timefmt.h"

#define W 960
#define LEFT 120
#define RIGHT 24
#define TOP 36
#define BAND_H 26
#define LANE_H 24
#define AXIS_H 34
#define LANES_MAX 24

/* Phase bands: from this stage time to the next one that is set. */
static const struct {
	const char *from, *label, *fill;
} bands[] = {
	{ "occurred", "undetected", "#f3d6d6" }, { "detected", "detected", "#f7e3c4" },
	{ "triage", "triage", "#f6efc0" },	 { "contained", "contained", "#dcefd0" },
	{ "eradicated", "eradicated", "#cfe6ee" }, { "recovered", "recovered", "#dcdcf3" },
};
#define NBANDS (sizeof(bands) / sizeof(bands[0]))

static int stage_ms(const struct irk_timeline *t, const char *name, int64_t *ms)
{
	const char *s = json_string_value(json_object_get(json_object_get(t->incident, "times"), name));
	return s && irk_time_parse_utc(s, ms, NULL) == IRK_OK;
}

static double xpos(int64_t ms, int64_t t0, int64_t t1)
{
	double x = LEFT + (double)(ms - t0) * (W - LEFT - RIGHT) / (double)(t1 - t0);
	return x < LEFT ? LEFT : x > W - RIGHT ? W - RIGHT : x;
}

static int64_t tick_step(int64_t span)
{
	static const int64_t steps[] = { 60000,	   300000,   900000,	1800000,  3600000,
					 7200000,  21600000, 43200000, 86400000, 604800000,
					 2592000000LL };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 8)
			return steps[i];
	return span / 8 + 1;
}

static void axis(int64_t t0, int64_t t1, int y, int h, struct irk_buf *out)
{
	int64_t step = tick_step(t1 - t0), first = (t0 / step + 1) * step;
	char when[IRK_TIME_MAX];

	irk_buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", LEFT, y,
		     W - RIGHT, y);
	for (int64_t ms = first; ms < t1; ms += step) {
		double x = xpos(ms, t0, t1);

		irk_time_utc(ms, 0, when);
		/* "2026-11-21T14:05:00Z": show the date for day steps, else day and time. */
		if (step >= 86400000)
			when[10] = '\0';
		else {
			when[16] = '\0';
			when[10] = ' ';
		}
		irk_buf_addf(out,
			     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
			     "stroke-dasharray=\"2,3\"/>\n"
			     "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>\n",
			     x, TOP, x, y + 4, x, y + 16, step >= 86400000 ? when : when + 5);
	}
	(void)h;
	irk_buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555\">UTC</text>\n",
		     W - RIGHT - 20, y + 30);
}

void irk_svg_timeline(const struct irk_timeline *t, struct irk_buf *out)
{
	const char *lanes[LANES_MAX];
	size_t nlanes = 0;
	int64_t t0 = INT64_MAX, t1 = INT64_MIN, ms;
	int height, lanes_top = TOP + BAND_H + 6;
	struct irk_buf tip = IRK_BUF_INIT;
	char when[IRK_TIME_MAX];

	for (size_t i = 0; i < t->n; i++) {
		t0 = t->ev[i].at_ms < t0 ? t->ev[i].at_ms : t0;
		t1 = t->ev[i].at_ms > t1 ? t->ev[i].at_ms : t1;
		size_t l = 0;
		while (l < nlanes && strcmp(lanes[l], t->ev[i].kind))
			l++;
		if (l == nlanes && nlanes < LANES_MAX)
			lanes[nlanes++] = t->ev[i].kind;
	}
	for (size_t b = 0; b < NBANDS; b++)
		if (stage_ms(t, bands[b].from, &ms)) {
			t0 = ms < t0 ? ms : t0;
			t1 = ms > t1 ? ms : t1;
		}
	if (stage_ms(t, "closed", &ms))
		t1 = ms > t1 ? ms : t1;
	if (t0 == INT64_MAX)
		t0 = t1 = 0;
	/* A little room on both sides so that the first and last marks are not on the edge. */
	{
		int64_t pad = (t1 - t0) / 40 + 30000;
		t0 -= pad;
		t1 += pad;
	}
	height = lanes_top + (int)nlanes * LANE_H + AXIS_H + 10;
	irk_buf_addf(out,
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" role=\"img\">\n"
		     "<title>",
		     W, height, W, height);
	irk_xml_escape(out, t->inc);
	irk_buf_adds(out, " timeline</title>\n");
	irk_buf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", W,
		     height);
	irk_buf_addf(out, "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
	irk_xml_escape(out, t->inc);
	irk_buf_adds(out, " — ");
	irk_xml_escape(out, json_string_value(json_object_get(t->incident, "title")));
	irk_buf_adds(out, "</text>\n");
	/* Phase bands. */
	for (size_t b = 0; b < NBANDS; b++) {
		int64_t from, to = t1;
		double x0, x1;

		if (!stage_ms(t, bands[b].from, &from))
			continue;
		for (size_t c = b + 1; c <= NBANDS; c++)
			if (stage_ms(t, c < NBANDS ? bands[c].from : "closed", &to))
				break;
			else
				to = t1;
		if (to < from)
			continue;
		x0 = xpos(from, t0, t1);
		x1 = xpos(to, t0, t1);
		irk_buf_addf(out,
			     "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
			     "opacity=\"0.8\"><title>%s from ",
			     x0, TOP, x1 - x0 < 1 ? 1 : x1 - x0,
			     lanes_top - TOP + (int)nlanes * LANE_H, bands[b].fill, bands[b].label);
		irk_time_utc(from, 0, when);
		irk_buf_addf(out, "%s</title></rect>\n", when);
		if (x1 - x0 > 7.0 * strlen(bands[b].label))
			irk_buf_addf(out,
				     "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#333\">%s</text>\n",
				     x0 + 4, TOP + 16, bands[b].label);
	}
	if (stage_ms(t, "closed", &ms))
		irk_buf_addf(out,
			     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" "
			     "stroke-width=\"2\"><title>closed</title></line>\n",
			     xpos(ms, t0, t1), TOP, xpos(ms, t0, t1),
			     lanes_top + (int)nlanes * LANE_H);
	/* Lanes: one per kind, labelled on the left. */
	for (size_t l = 0; l < nlanes; l++) {
		int y = lanes_top + (int)l * LANE_H + LANE_H / 2;

		irk_buf_addf(out,
			     "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>\n"
			     "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
			     LEFT, y, W - RIGHT, y, LEFT - 8, y + 4);
		irk_xml_escape(out, lanes[l]);
		irk_buf_adds(out, "</text>\n");
	}
	/* Events: a dot where it happened; a late one is hollow with a dashed line to when it was written. */
	for (size_t i = 0; i < t->n; i++) {
		const struct irk_tl_event *ev = &t->ev[i];
		size_t l = 0;
		double x;
		int y;

		while (l < nlanes && strcmp(lanes[l], ev->kind))
			l++;
		if (l == nlanes)
			continue;
		x = xpos(ev->at_ms, t0, t1);
		y = lanes_top + (int)l * LANE_H + LANE_H / 2;
		if (ev->late)
			irk_buf_addf(out,
				     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" "
				     "stroke-dasharray=\"3,2\"/>\n",
				     x, y, xpos(ev->rec_ms, t0, t1), y);
		irk_buf_addf(out,
			     "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\" stroke=\"%s\" "
			     "stroke-width=\"2\"><title>",
			     x, y, ev->late ? "#fff" : "#2c5d8a", ev->late ? "#c0392b" : "#1d3f5e");
		irk_time_utc(ev->at_ms, 0, when);
		irk_buf_reset(&tip);
		irk_buf_addf(&tip, "#%lld %s %s: ", (long long)ev->seq, when, ev->kind);
		irk_timeline_describe(ev, &tip);
		if (tip.len > 300)
			irk_buf_setlen(&tip, 300);
		/* Do not cut a UTF-8 sequence in half. */
		while (tip.len && ((unsigned char)tip.buf[tip.len - 1] & 0xc0) == 0x80)
			irk_buf_setlen(&tip, tip.len - 1);
		if (tip.len && (unsigned char)tip.buf[tip.len - 1] >= 0xc0)
			irk_buf_setlen(&tip, tip.len - 1);
		if (ev->late)
			irk_buf_adds(&tip, " (recorded late)");
		irk_xml_escape(out, tip.buf);
		irk_buf_adds(out, "</title></circle>\n");
	}
	axis(t0, t1, lanes_top + (int)nlanes * LANE_H + 4, height, out);
	irk_buf_addf(out,
		     "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#2c5d8a\"/>"
		     "<text x=\"%d\" y=\"%d\" font-size=\"10\">entry</text>\n"
		     "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#fff\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
		     "<text x=\"%d\" y=\"%d\" font-size=\"10\">recorded late (dashes: until recorded)</text>\n",
		     LEFT, height - 12, LEFT + 8, height - 8, LEFT + 60, height - 12, LEFT + 68,
		     height - 8);
	irk_buf_adds(out, "</svg>\n");
	irk_buf_release(&tip);
}

void irk_svg_bars(const char *title, const struct irk_svg_bar *bars, size_t n,
		  const char *const series[2], const char *unit, struct irk_buf *out)
{
	static const char *const fill[2] = { "#2c5d8a", "#e08a2c" };
	const int bw = 420, left = 220, row = series[1] ? 30 : 22;
	int height = 50 + (int)n * row + 10;
	double max = 0;

	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2; s++)
			if (bars[i].value[s] > max)
				max = bars[i].value[s];
	if (max <= 0)
		max = 1;
	irk_buf_addf(out,
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" "
		     "viewBox=\"0 0 760 %d\" font-family=\"sans-serif\" role=\"img\">\n<title>",
		     height, height);
	irk_xml_escape(out, title);
	irk_buf_adds(out, "</title>\n<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\">");
	irk_xml_escape(out, title);
	irk_buf_adds(out, "</text>\n");
	for (int s = 0; s < 2 && series[s]; s++) {
		irk_buf_addf(out,
			     "<rect x=\"%d\" y=\"28\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			     "<text x=\"%d\" y=\"37\" font-size=\"10\">",
			     left + s * 120, fill[s], left + s * 120 + 14);
		irk_xml_escape(out, series[s]);
		irk_buf_adds(out, "</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		int y = 46 + (int)i * row;

		irk_buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
			     left - 8, y + 12);
		irk_xml_escape(out, bars[i].label);
		irk_buf_adds(out, "</text>\n");
		for (int s = 0; s < 2 && series[s]; s++) {
			double v = bars[i].value[s];
			int by = y + s * 12 + (series[1] ? 0 : 2);

			if (v < 0 || isnan(v)) {
				irk_buf_addf(out,
					     "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#777\">no "
					     "data</text>\n",
					     left, by + 9);
				continue;
			}
			irk_buf_addf(out,
				     "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"%s\"/>"
				     "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.*f%s</text>\n",
				     left, by, v / max * bw, fill[s], left + v / max * bw + 4, by + 9,
				     *unit ? 1 : 0, v, unit);
		}
	}
	irk_buf_adds(out, "</svg>\n");
}
