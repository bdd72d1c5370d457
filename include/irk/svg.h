/*
 * svg.h - hand-written SVG charts: the incident timeline (phases as bands,
 * events as marks on one lane per kind) and simple bar charts for metrics.
 *
 * Output is a standalone, well-formed <svg> element (namespace set, every
 * text escaped) that can be saved as a file or embedded in HTML.  Sizes are
 * fixed in user units with a viewBox, so it scales when printed.
 */
#ifndef IRK_SVG_H
#define IRK_SVG_H

#include <stddef.h>

#include "irk/buf.h"
#include "irk/timeline.h"

void irk_svg_timeline(const struct irk_timeline *t, struct irk_buf *out);

struct irk_svg_bar {
	const char *label;
	double value[2]; /* two series side by side (e.g. median and p90); value[1] < 0: none */
};

/*
 * Horizontal bar chart.  `series` names the two series (series[1] may be
 * NULL for one series); `unit` is appended to each value ("h", "").
 */
void irk_svg_bars(const char *title, const struct irk_svg_bar *bars, size_t n,
		  const char *const series[2], const char *unit, struct irk_buf *out);

#endif
