/*
 * report_html.c - one self-contained page a student can open: the score,
 * seed and sandbox, the build's problems, then every test (failed ones
 * open) with its checks, messages, figures, what the program printed and,
 * for traced tests, the process timeline (report_svg.c).
 *
 * Inline CSS only: no script, no external resource, so the page works
 * offline and from a file:// URL.  Everything from the result is escaped
 * with report_markup(); the only markup is ours.
 */
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"
#include "trace.h"

#define OUTPUT_BYTES 6000
#define OUTPUT_LINES 60
#define COMPILE_BYTES 20000
#define COMPILE_LINES 150

static const char style[] =
	":root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;"
	"--bg:#f6f8fa;--ink:#1f2328}"
	"*{box-sizing:border-box}"
	"body{margin:0;background:var(--bg);color:var(--ink);"
	"font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}"
	"main{max-width:1120px;margin:0 auto;padding:24px 20px 48px}"
	".card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;"
	"margin-bottom:16px}"
	"header.card{display:grid;grid-template-columns:1fr auto;gap:8px 24px;align-items:start}"
	"h1{font-size:24px;margin:0;line-height:1.25}"
	".exercise{color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"font-size:13px}"
	".score{text-align:right;font-size:15px;color:var(--muted);white-space:nowrap}"
	".score b{font-size:40px;line-height:1;color:var(--ink)}"
	".score.full b{color:var(--ok)}.score.zero b{color:var(--bad)}.score.partial b{color:var(--warn)}"
	".meter{grid-column:1/-1;height:8px;border-radius:4px;background:#eaeef2;overflow:hidden}"
	".meter span{display:block;height:100%;background:var(--ok)}"
	".meter.partial span{background:#d4a72c}"
	"dl.meta{grid-column:1/-1;display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;"
	"margin:8px 0 0;font-size:14px}"
	"dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}"
	".hint{color:var(--muted);font-size:13px}"
	".warn{grid-column:1/-1;background:#fff8c5;border:1px solid #eac54f;border-radius:6px;"
	"padding:8px 12px;font-size:14px}"
	".build h2{margin:0 0 8px;font-size:17px;color:var(--bad)}.build h2+h2,.build p+h2{margin-top:16px}"
	"code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}"
	"pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px 12px;"
	"margin:6px 0 12px;white-space:pre-wrap;word-break:break-word;max-height:420px;overflow:auto}"
	"details.test{background:#fff;border:1px solid var(--line);border-radius:10px;"
	"margin-bottom:10px;overflow:hidden}"
	"details.test>summary{display:flex;align-items:center;gap:12px;padding:12px 18px;"
	"cursor:pointer;list-style:none}"
	"details.test>summary::-webkit-details-marker{display:none}"
	"details.test>summary::before{content:'\\25B8';color:var(--muted);width:10px}"
	"details.test[open]>summary::before{content:'\\25BE'}"
	"details.test[open]>summary{border-bottom:1px solid var(--line)}"
	".badge{font-size:12px;font-weight:700;letter-spacing:.04em;padding:2px 8px;border-radius:12px;"
	"color:#fff}"
	".badge.pass{background:var(--ok)}.badge.fail{background:var(--bad)}"
	".name{font-weight:600}"
	".status{color:var(--bad);font-size:14px}"
	".pts{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}"
	".body{padding:12px 18px 6px}"
	"ul.checks{list-style:none;margin:0 0 10px;padding:0}"
	"ul.checks li{padding:4px 0 4px 24px;position:relative}"
	"ul.checks li::before{position:absolute;left:2px;font-weight:700}"
	"ul.checks li.ok::before{content:'\\2713';color:var(--ok)}"
	"ul.checks li.bad::before{content:'\\2717';color:var(--bad)}"
	"ul.checks .check{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"font-size:13px;font-weight:600}"
	"ul.checks .line{color:var(--muted);font-size:12px;margin-left:6px}"
	"ul.checks pre{margin:4px 0 2px;background:#fff5f5;border-color:#ffcecb}"
	".figures{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;color:var(--muted);"
	"margin:4px 0 10px}"
	".figures b{color:var(--ink);font-weight:600}"
	"h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);"
	"margin:14px 0 4px}"
	".why{background:#fff8c5;border-color:#eac54f}.timeline-box{overflow-x:auto;border:1px solid var(--line);border-radius:6px;"
	"padding:6px;margin:6px 0 12px}"
	"svg.timeline{display:block;max-width:none;height:auto;font:11px system-ui,sans-serif}"
	"svg.timeline .lane{text-anchor:end;fill:var(--ink);font-size:12px}"
	"svg.timeline .axis{fill:var(--muted);font-size:11px}"
	"svg.timeline .end{fill:var(--muted);font-size:11px}"
	"svg.timeline .legend{fill:var(--muted);font-size:11px}"
	"svg.timeline .bad{fill:var(--bad)}"
	"footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}";

static void add_text(struct buf *b, const char *raw)
{
	report_markups(b, raw, false);
}

static void add_points(struct buf *b, double score, double max)
{
	report_points(b, score);
	buf_adds(b, "/");
	report_points(b, max);
}

static const char *score_class(const struct result *r)
{
	if (r->score >= r->max_score && result_exit_status(r) == 0)
		return "full";
	return r->score > 0 ? "partial" : "zero";
}

static void add_header(struct buf *b, const struct result *r)
{
	double pct = r->max_score > 0 ? 100 * r->score / r->max_score : 0;

	buf_adds(b, "<header class=\"card\"><div><h1>");
	add_text(b, r->title && *r->title ? r->title : r->exercise);
	buf_adds(b, "</h1><div class=\"exercise\">");
	add_text(b, r->exercise);
	buf_addf(b, "</div></div><div class=\"score %s\"><b>", score_class(r));
	report_points(b, r->score);
	buf_adds(b, "</b> / ");
	report_points(b, r->max_score);
	buf_addf(b, " %s</div>", _("points"));
	buf_addf(b, "<div class=\"meter %s\"><span style=\"width:%.1f%%\"></span></div>",
		 score_class(r), pct < 0 ? 0 : pct > 100 ? 100 : pct);

	buf_adds(b, "<dl class=\"meta\">");
	if (r->submission) {
		buf_addf(b, "<dt>%s</dt><dd><code>", _("Submission"));
		add_text(b, r->submission);
		buf_adds(b, "</code></dd>");
	}
	buf_addf(b, "<dt>%s</dt><dd>", _("Tests"));
	buf_addf(b, _("%zu of %zu passed"), report_tests_passed(r), r->ntests);
	buf_addf(b, "</dd><dt>%s</dt><dd><code>%lu</code> <span class=\"hint\">%s "
		 "<code>--seed %lu</code></span></dd>", _("Seed"), r->seed, _("replay with"), r->seed);
	buf_addf(b, "<dt>%s</dt><dd>", _("Sandbox"));
	add_text(b, r->sandbox && r->sandbox->name ? r->sandbox->name : "unknown");
	buf_addf(b, "</dd><dt>%s</dt><dd>%.2f s</dd></dl>", _("Time"), r->elapsed_ms / 1000);
	if (r->sandbox && r->sandbox->missing[0]) {
		struct buf m = BUF_INIT;
		buf_add(&m, r->sandbox->missing, strnlen(r->sandbox->missing, sizeof(r->sandbox->missing)));
		buf_addf(b, "<div class=\"warn\">%s%s", _("Weaker sandbox"), _(": "));
		add_text(b, buf_str(&m));
		buf_adds(b, ".</div>");
		buf_free(&m);
	}
	buf_adds(b, "</header>\n");
}

static void add_files(struct buf *b, const char *what, char *const *files)
{
	buf_addf(b, "<p>%s%s", what, _(": "));
	if (!files || !files[0])
		buf_adds(b, _("none"));
	for (size_t i = 0; files && files[i]; i++) {
		buf_adds(b, i ? ", <code>" : "<code>");
		add_text(b, files[i]);
		buf_adds(b, "</code>");
	}
	buf_adds(b, "</p>");
}

static void add_build(struct buf *b, const struct result *r)
{
	bool missing = r->files_missing && r->files_missing[0];

	if (r->compiled && !missing)
		return;
	buf_adds(b, "<section class=\"card build\">");
	if (missing) {
		buf_addf(b, "<h2>%s</h2>", _("Missing files"));
		add_files(b, _("Missing"), r->files_missing);
		add_files(b, _("Found"), r->files_found);
	}
	if (!r->compiled) {
		buf_addf(b, "<h2>%s</h2>", _("Compile error"));
		if (r->compile_output && *r->compile_output) {
			char *cut = report_cut(r->compile_output, COMPILE_BYTES, COMPILE_LINES);
			buf_adds(b, "<pre>");
			add_text(b, cut);
			buf_adds(b, "</pre>");
			free(cut);
		}
	}
	buf_adds(b, "</section>\n");
}

static void add_checks(struct buf *b, const struct test_verdict *t)
{
	if (t->nchecks == 0)
		return;
	buf_adds(b, "<ul class=\"checks\">");
	for (size_t i = 0; i < t->nchecks; i++) {
		const struct check_result *c = &t->checks[i];
		struct buf title = BUF_INIT;
		report_check_title(c, &title);
		buf_addf(b, "<li class=\"%s\"><span class=\"check\">", c->passed ? "ok" : "bad");
		add_text(b, buf_str(&title));
		buf_adds(b, "</span>");
		if (c->line > 0) {
			buf_adds(b, "<span class=\"line\">");
			buf_addf(b, _("spec line %d"), c->line);
			buf_adds(b, "</span>");
		}
		if (!c->passed) {
			buf_adds(b, "<pre>");
			add_text(b, c->message && *c->message ? c->message : _("failed"));
			buf_adds(b, "</pre>");
		}
		buf_adds(b, "</li>");
		buf_free(&title);
	}
	buf_adds(b, "</ul>");
}

static void add_figure(struct buf *b, const char *name, const char *value)
{
	buf_addf(b, "<span>%s <b>%s</b></span>", name, value);
}

static void add_figures(struct buf *b, const struct run *run)
{
	struct buf v = BUF_INIT;

	buf_adds(b, "<div class=\"figures\">");
	buf_addf(&v, "%.0f ms", run->cpu_ms);
	add_figure(b, _("CPU"), buf_str(&v));
	buf_reset(&v);
	buf_addf(&v, "%.0f ms", run->wall_ms);
	add_figure(b, _("wall"), buf_str(&v));
	if (run->peak_memory > 0) {
		buf_reset(&v);
		report_bytes(&v, (double)run->peak_memory);
		add_figure(b, _("peak memory"), buf_str(&v));
	}
	if (run->processes > 0) {
		buf_reset(&v);
		buf_addf(&v, "%ld", run->processes);
		add_figure(b, _("processes"), buf_str(&v));
	}
	buf_reset(&v);
	report_bytes(&v, (double)run->out.total);
	add_figure(b, "stdout", buf_str(&v));
	buf_reset(&v);
	report_bytes(&v, (double)run->err.total);
	add_figure(b, "stderr", buf_str(&v));
	buf_adds(b, "</div>");
	buf_free(&v);
}

static void add_stream(struct buf *b, const char *name, const struct capture *c)
{
	char *text = report_excerpt(c, OUTPUT_BYTES, OUTPUT_LINES);

	if (!text)
		return;
	buf_addf(b, "<h3>%s</h3><pre>", name);
	add_text(b, text);
	buf_adds(b, "</pre>");
	free(text);
}

static void add_test(struct buf *b, const struct result *r, const struct test_verdict *t,
		     size_t i)
{
	buf_addf(b, "<details class=\"test\" id=\"test-%zu\"%s><summary>", i + 1,
		 t->passed ? "" : " open");
	buf_addf(b, "<span class=\"badge %s\">%s</span><span class=\"name\">",
		 t->passed ? "pass" : "fail", t->passed ? _("PASS") : _("FAIL"));
	add_text(b, t->name ? t->name : "?");
	buf_adds(b, "</span>");
	if (!t->passed && t->status) {
		buf_adds(b, "<span class=\"status\">");
		add_text(b, report_status(t));
		buf_adds(b, "</span>");
	}
	buf_adds(b, "<span class=\"pts\">");
	add_points(b, t->score, t->max_score);
	buf_adds(b, "</span></summary><div class=\"body\">");

	if (!t->passed && t->ran && t->message && *t->message) {
		buf_adds(b, "<pre class=\"why\">");
		add_text(b, t->message);
		buf_adds(b, "</pre>");
	}
	add_checks(b, t);
	if (!t->ran) {
		buf_addf(b, "<p class=\"hint\">%s</p></div></details>\n",
			 r->compiled ? _("Not run.") : _("Not run: the program did not build."));
		return;
	}
	if (t->args) {
		buf_addf(b, "<p class=\"hint\">%s%s<code>", _("Command"), _(": "));
		add_text(b, t->args);
		buf_adds(b, "</code></p>");
	}
	add_figures(b, &t->run);
	add_stream(b, "stdout", &t->run.out);
	add_stream(b, "stderr", &t->run.err);
	if (t->run.trace && t->run.trace->nprocs) {
		char id[32];
		snprintf(id, sizeof(id), "t%zu", i + 1);
		struct check_blame blame = {{0}, 0};
		for (size_t c = 0; c < t->nchecks; c++)
			for (size_t k = 0; k < t->checks[c].blame.n && blame.n < BLAME_MAX; k++)
				blame.seq[blame.n++] = t->checks[c].blame.seq[k];
		buf_addf(b, "<h3>%s</h3><div class=\"timeline-box\">", _("Processes"));
		report_svg_timeline(t->run.trace, id, &blame, b);
		buf_adds(b, "</div>");
	}
	buf_adds(b, "</div></details>\n");
}

static void html_text(const struct result *r, struct buf *b)
{
	buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<title>", i18n_zh() ? "zh-CN" : "en");
	add_text(b, r->exercise);
	buf_adds(b, ": ");
	add_points(b, r->score, r->max_score);
	buf_addf(b, "</title><style>%s</style></head>\n<body><main>\n", style);
	add_header(b, r);
	add_build(b, r);
	buf_adds(b, "<section class=\"tests\">\n");
	for (size_t i = 0; i < r->ntests; i++)
		add_test(b, r, &r->tests[i], i);
	buf_addf(b, "</section>\n<footer>%s ", _("Generated by the grader. Replay this grading with"));
	buf_addf(b, "<code>--seed %lu</code>.</footer>\n</main></body></html>\n", r->seed);
}

int report_html(const struct result *r, const char *path)
{
	struct buf b = BUF_INIT;

	html_text(r, &b);
	int rc = report_write_file(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
