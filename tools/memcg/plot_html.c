// SPDX-License-Identifier: MIT
/*
 * The plot as a self-contained HTML page (plot_out.h): the SVG inline,
 * the samples as JSON in a <script type="application/json"
 * id="plot-data"> (per source: its cgroups, frames {x, line, cmd, ms},
 * and per cgroup and frame every series and memory.events key (as
 * "ev_KEY"), null
 * where the cgroup was not there), and a small script that follows the pointer: a cursor
 * line on the plot and a table of every cgroup's values at the nearest
 * sample (id "hover", filled with the last sample on load). No external
 * file, font or script.
 */
#include <stdio.h>
#include <string.h>

#include "plot_out.h"

/* A JSON string, for a <script> element: "</" cannot close it. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' ||
			 ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_value(FILE *f, const struct plot_cell *x, int i, bool ev)
{
	int64_t v = ev ? x->ev[i] : x->v[i];

	if (x->state == PC_NONE || v == PLOT_UNSET)
		fputs("null", f);
	else if (v == PLOT_NO_LIMIT)
		fputs("\"max\"", f);
	else
		fprintf(f, "%lld", (long long)v);
}

/*
 * One series (or, @ev, one memory.events key) of every cgroup:
 * [[frame values of cgroup 0], ...].
 */
static void json_series(FILE *f, const struct plot_data *d, int i, bool ev)
{
	fputc('[', f);
	for (int c = 0; c < d->nr_cg; c++) {
		fputs(c ? ",[" : "[", f);
		for (uint32_t k = 0; k < d->nr_frames; k++) {
			if (k)
				fputc(',', f);
			json_value(f, plot_data_cell(d, k, c), i, ev);
		}
		fputc(']', f);
	}
	fputc(']', f);
}

static void json_source(FILE *f, const struct plot_layout *l, int s)
{
	static const char *const keys[PS_NR] = {
		"current", "swap", "min", "low", "high", "max",
	};
	const struct plot_data *d = l->src[s];

	fputs("{\"label\":", f);
	json_str(f, d->label);
	fputs(",\"cgroups\":[", f);
	for (int c = 0; c < d->nr_cg; c++) {
		if (c)
			fputc(',', f);
		json_str(f, d->paths[c]);
	}
	fputs("],\"frames\":[", f);
	for (uint32_t k = 0; k < d->nr_frames; k++) {
		int cmd = d->frames[k].cmd;

		fprintf(f, "%s{\"x\":%.1f,\"line\":%d,\"ms\":%.1f,\"cmd\":",
			k ? "," : "", plot_x(l, s, k),
			cmd >= 0 ? d->s->cmds[cmd].line : 0,
			d->frames[k].clock_ns / 1e6);
		json_str(f, cmd >= 0 ? d->s->cmds[cmd].text : "start");
		fputc('}', f);
	}
	fputs("],\"dying\":[", f);
	for (int c = 0; c < d->nr_cg; c++) {
		fputs(c ? ",[" : "[", f);
		for (uint32_t k = 0; k < d->nr_frames; k++)
			fprintf(f, "%s%d", k ? "," : "",
				plot_data_cell(d, k, c)->state == PC_DYING);
		fputc(']', f);
	}
	fputc(']', f);
	for (int i = 0; i < PS_NR; i++) {
		fprintf(f, ",\"%s\":", keys[i]);
		json_series(f, d, i, false);
	}
	for (int i = 0; i < PE_NR; i++) {
		fprintf(f, ",\"ev_%s\":", plot_event_name(i));
		json_series(f, d, i, true);
	}
	fputc('}', f);
}

static const char page_style[] =
	"body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:16px}"
	"#hover{border-collapse:collapse;font-size:13px;margin-top:8px}"
	"#hover td,#hover th{border:1px solid #ccc;padding:2px 8px;"
	"text-align:right}#hover td:first-child,#hover th:first-child"
	"{text-align:left}#where{font-size:13px;color:#333}";

/*
 * The hover: the nearest frame of each source to the pointer's x (frames
 * are in x order), a cursor line, and the values table.
 */
static const char page_script[] =
	"(function(){\n"
	"var D=JSON.parse(document.getElementById('plot-data').textContent);\n"
	"var svg=document.getElementById('plot');\n"
	"var NS='http://www.w3.org/2000/svg';\n"
	"var cur=document.createElementNS(NS,'line');\n"
	"cur.setAttribute('id','cursor');cur.setAttribute('stroke','#888');\n"
	"cur.setAttribute('y1',D.top);cur.setAttribute('y2',D.bottom);\n"
	"svg.appendChild(cur);\n"
	"function mb(v){if(v===null)return '';if(v==='max')return 'max';\n"
	" return (v/1048576).toFixed(1)+'M';}\n"
	"function nearest(fr,x){var lo=0,hi=fr.length-1;\n"
	" while(lo<hi){var m=(lo+hi)>>1;if(fr[m].x<x)lo=m+1;else hi=m;}\n"
	" if(lo>0&&x-fr[lo-1].x<fr[lo].x-x)lo--;return lo;}\n"
	"function show(x){\n"
	" var tb=document.getElementById('hover');\n"
	" var rows=['<tr><th>cgroup</th><th>source</th><th>current</th>"
	"<th>swap</th><th>min</th><th>low</th><th>high</th><th>max</th>"
	"</tr>'];\n"
	" var where='';\n"
	" D.sources.forEach(function(s,si){var k=nearest(s.frames,x);\n"
	"  var f=s.frames[k];if(si===0){cur.setAttribute('x1',f.x);\n"
	"   cur.setAttribute('x2',f.x);where='sample '+(k+1)+' of '+\n"
	"   s.frames.length+', line '+f.line+': '+f.cmd+', '+f.ms+' ms';}\n"
	"  s.cgroups.forEach(function(c,ci){if(s.current[ci][k]===null)"
	"return;\n"
	"   var tr=document.createElement('tr');\n"
	"   tr.className='hover-row'+(s.dying[ci][k]?' dying':'');\n"
	"   tr.dataset.cgroup=c;tr.dataset.source=s.label;\n"
	"   [c+(s.dying[ci][k]?' (dying)':''),s.label,mb(s.current[ci][k]),"
	"mb(s.swap[ci][k]),\n"
	"    mb(s.min[ci][k]),mb(s.low[ci][k]),mb(s.high[ci][k]),"
	"mb(s.max[ci][k])]\n"
	"    .forEach(function(t){var td=document.createElement('td');\n"
	"     td.textContent=t;tr.appendChild(td);});\n"
	"   rows.push(tr.outerHTML);});});\n"
	" tb.innerHTML=rows.join('');\n"
	" document.getElementById('where').textContent=where;}\n"
	"svg.addEventListener('mousemove',function(ev){\n"
	" var p=svg.createSVGPoint();p.x=ev.clientX;p.y=ev.clientY;\n"
	" show(p.matrixTransform(svg.getScreenCTM().inverse()).x);});\n"
	"var fr=D.sources[0].frames;show(fr[fr.length-1].x);\n"
	"document.body.dataset.ready='1';\n"
	"})();\n";

void plot_html_write(FILE *f, const struct plot_layout *l)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>memcg plot: ", f);
	plot_xml_text(f, l->src[0]->s->filename, 200);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", page_style);
	plot_svg_write(f, l, false);
	fputs("<div id=\"where\"></div>\n<table id=\"hover\"></table>\n"
	      "<script type=\"application/json\" id=\"plot-data\">", f);
	fprintf(f, "{\"top\":%.1f,\"bottom\":%.1f,\"sources\":[", l->top,
		l->top + l->height);
	for (int s = 0; s < l->nr_src; s++) {
		if (s)
			fputc(',', f);
		json_source(f, l, s);
	}
	fprintf(f, "]}</script>\n<script>\n%s</script>\n</body>\n</html>\n",
		page_script);
}
