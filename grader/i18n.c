/*
 * i18n.c - the language of the grader's messages (i18n.h).
 *
 * glibc's gettext looks a message up in the catalogues of the languages
 * LANGUAGE lists, unless the LC_MESSAGES locale is "C".  A student's laptop
 * (or this machine) seldom has zh_CN generated, so a Chinese grader never
 * relies on it: LC_MESSAGES becomes C.UTF-8 (which glibc always ships),
 * LANGUAGE becomes zh_CN for this process (the sandbox gives the student's
 * program its own environment), and the catalogue's output stays UTF-8
 * whatever LC_CTYPE is.  Numbers and everything else keep the C locale.
 */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "i18n.h"
#include "util.h"

static bool zh;

bool i18n_zh(void)
{
	return zh;
}

const char *i18n_lang(void)
{
	return zh ? "zh" : "en";
}

const char *i18n_text(const char *msgid)
{
	return zh ? dgettext(I18N_DOMAIN, msgid) : msgid;
}

const char *i18n_ntext(const char *msgid, const char *plural, unsigned long n)
{
	if (zh)
		return dngettext(I18N_DOMAIN, msgid, plural, n);
	return n == 1 ? msgid : plural;
}

char *i18n_locale_dir(void)
{
	const char *env = getenv("GRADER_LOCALEDIR");
	if (env && *env)
		return xstrdup(env);
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return xstrdup("locale");
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	*slash = '\0';
	return path_join(exe, "locale");
}

static const char *non_empty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* "zh", "en" or NULL (not a language of ours) for one locale name. */
static const char *language_of(const char *locale)
{
	if (str_starts(locale, "zh"))
		return "zh";
	if (str_starts(locale, "en") || !strcmp(locale, "C") || str_starts(locale, "C.") ||
	    !strcmp(locale, "POSIX"))
		return "en";
	return NULL;
}

/* The language the environment asks for, as gettext reads it. */
static const char *environment_language(void)
{
	const char *locale = non_empty("LC_ALL");
	if (!locale)
		locale = non_empty("LC_MESSAGES");
	if (!locale)
		locale = non_empty("LANG");
	if (!locale || !strcmp(locale, "C") || !strcmp(locale, "POSIX"))
		return "en";
	const char *list = non_empty("LANGUAGE");
	while (list && *list) {
		size_t n = strcspn(list, ":");
		char *one = xstrndup(list, n);
		const char *lang = *one ? language_of(one) : NULL;
		free(one);
		if (lang)
			return lang;
		list += n + (list[n] == ':');
	}
	const char *lang = language_of(locale);
	return lang ? lang : "en";
}

/* Bind the Chinese catalogue; 0 once a message of it is found. */
static int load_chinese(void)
{
	char *dir = i18n_locale_dir();
	char *mo = xasprintf("%s/zh_CN/LC_MESSAGES/" I18N_DOMAIN ".mo", dir);
	int rc = 0;
	if (!path_exists(mo))
		rc = error_set("no Chinese catalogue at %s (built by make with GNU gettext's "
			       "msgfmt: Debian package gettext)", mo);
	if (rc == 0) {
		bindtextdomain(I18N_DOMAIN, dir);
		bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
		bind_textdomain_codeset("libc", "UTF-8");   /* strsignal, strerror */
		setenv("LANGUAGE", "zh_CN", 1);
		if (!setlocale(LC_MESSAGES, "C.UTF-8") && !setlocale(LC_MESSAGES, "C.utf8") &&
		    !setlocale(LC_MESSAGES, ""))
			rc = error_set("no locale to read %s with: neither C.UTF-8 nor the "
				       "environment's is installed", mo);
	}
	/* the catalogue's header answers the empty message id once it is read */
	static const char header_id[] = "";
	const char *header = rc == 0 ? dgettext(I18N_DOMAIN, header_id) : "";
	if (rc == 0 && (!header || !*header))
		rc = error_set("cannot read the Chinese catalogue %s", mo);
	free(mo);
	free(dir);
	return rc;
}

int i18n_init(const char *lang)
{
	bool asked = lang != NULL;
	if (!lang)
		lang = environment_language();
	if (strcmp(lang, "zh") && strcmp(lang, "en"))
		return error_set("--lang takes zh or en, not '%s'", lang);
	zh = false;
	if (!strcmp(lang, "en"))
		return 0;
	if (load_chinese() < 0) {
		setlocale(LC_MESSAGES, "C");
		return asked ? -1 : 0;
	}
	zh = true;
	return 0;
}
