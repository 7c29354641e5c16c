/*
 * i18n.h - the grader's messages in the student's language (GNU gettext).
 *
 * Every text a student reads is written in English in the code and marked:
 * _("...") where it is used, N_("...") where it is only stored (a table,
 * translated where it is shown), _n("one", "many", n) for a count.
 * xgettext finds the marks (Makefile: XGETTEXT_FLAGS), po/LANG.po holds the
 * translations, make compiles them into build/locale/LANG/LC_MESSAGES/
 * grader.mo, and the grader finds them beside its own binary
 * (BINDIR/locale): a build works where it stands, no install step.
 * tests/run_i18n.sh keeps every catalogue complete.
 *
 * Translated: the checks' messages and hints, the statuses shown to
 * people, the verdicts' messages, the reports' headings and labels.
 * Never translated: what machines read (JSON keys, CSV headers, status
 * keywords, the trace's JSON), test names, the grader's own errors (exit
 * 2, for whoever runs it), spec lint messages, and what the harnesses print
 * (specs compare it).  The student's program always runs with LC_ALL=C
 * (sandbox_plan.c): only the grader's own messages change language.
 */
#ifndef I18N_H
#define I18N_H

#include <stdbool.h>

#define I18N_DOMAIN "grader"

#define _(msgid) i18n_text(msgid)
#define N_(msgid) msgid
#define _n(msgid, plural, n) i18n_ntext(msgid, plural, n)

/* Choose the language (main.c: for check and batch, the commands that
   write reports; the others, for instructors, and trace's strace-like log
   stay English): lang "zh" or "en" (--lang), or NULL to follow the
   environment as gettext does (LANGUAGE unless the locale is C or POSIX,
   then LC_ALL, LC_MESSAGES, LANG; any zh* is Chinese, the rest English).
   Chinese needs no generated zh_CN locale: the catalogue is bound
   directly (C.UTF-8 for LC_MESSAGES, LANGUAGE=zh_CN for this process).
   Call once, first thing, before any other thread or library: it may set
   LANGUAGE in the environment.  0, or -1 (error set) for an unknown lang,
   or when lang is "zh" and the catalogue cannot be loaded; a language the
   environment asks for that cannot be loaded is English, silently. */
int i18n_init(const char *lang);
/* "zh" or "en": the language messages are in. */
const char *i18n_lang(void);
bool i18n_zh(void);

/* msgid in the chosen language (msgid itself in English). */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));
/* msgid or plural (by n) in the chosen language. */
const char *i18n_ntext(const char *msgid, const char *plural, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* The catalogue directory: $GRADER_LOCALEDIR, else BINDIR/locale.
   Caller frees. */
char *i18n_locale_dir(void);

#endif
