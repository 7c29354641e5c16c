/*
 * check_util.c - util.c: terminal columns of UTF-8 text, signal names.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

Suite *suite_util(void);

START_TEST(test_text_cols)
{
	ck_assert_uint_eq(text_cols(""), 0);
	ck_assert_uint_eq(text_cols("odd size"), 8);
	ck_assert_uint_eq(text_cols("caf\u00e9"), 4);          /* 2 bytes, 1 column */
	ck_assert_uint_eq(text_cols("e\u0301"), 1);            /* combining accent */
	ck_assert_uint_eq(text_cols("\u50f5\u5c38\u8fdb\u7a0b"), 8);  /* 僵尸进程 */
	ck_assert_uint_eq(text_cols("\uff08x\uff09"), 5);      /* full-width brackets */
}
END_TEST

START_TEST(test_text_fit)
{
	size_t used;
	ck_assert_uint_eq(text_fit("abcdef", 4, &used), 4);
	ck_assert_uint_eq(used, 4);
	ck_assert_uint_eq(text_fit("abc", 10, &used), 3);
	ck_assert_uint_eq(used, 3);
	/* a wide character that does not fit is left out whole */
	const char *zh = "a\u50f5\u5c38";                     /* 1 + 2 + 2 columns */
	ck_assert_uint_eq(text_fit(zh, 4, &used), 4);          /* "a僵": 1 + 3 bytes */
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(text_fit(zh, 0, &used), 0);
	ck_assert_uint_eq(text_fit("caf\u00e9!", 4, NULL), strlen("caf\u00e9"));
}
END_TEST

/* One name per signal for the trace, the reports and the checks. */
/* Whole lines come out one by one; a partial one waits for its end. */
START_TEST(test_buf_take_line)
{
	struct buf b = BUF_INIT;
	ck_assert_ptr_null(buf_take_line(&b));
	buf_adds(&b, "one\n\ntw");
	char *l = buf_take_line(&b);
	ck_assert_str_eq(l, "one");
	free(l);
	l = buf_take_line(&b);
	ck_assert_str_eq(l, "");
	free(l);
	ck_assert_ptr_null(buf_take_line(&b));
	buf_adds(&b, "o\n");
	l = buf_take_line(&b);
	ck_assert_str_eq(l, "two");
	free(l);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_signal_names)
{
	char b[32];

	ck_assert_str_eq(signal_name(SIGSEGV, b, sizeof(b)), "SIGSEGV");
	ck_assert_str_eq(signal_name(SIGUSR1, b, sizeof(b)), "SIGUSR1");
	ck_assert_str_eq(signal_name(SIGIO, b, sizeof(b)), "SIGPOLL");   /* glibc's name for 29 */
	ck_assert_str_eq(signal_name(SIGRTMIN + 2, b, sizeof(b)), "SIGRTMIN+2");
	ck_assert_str_eq(signal_name(0, b, sizeof(b)), "signal 0");
	ck_assert_str_eq(signal_name(99, b, sizeof(b)), "signal 99");
	ck_assert_str_eq(signal_name(SIGTERM, b, 5), "SIGT");             /* cut, not overrun */
}
END_TEST

Suite *suite_util(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	tcase_add_test(tc, test_text_cols);
	tcase_add_test(tc, test_text_fit);
	tcase_add_test(tc, test_signal_names);
	tcase_add_test(tc, test_buf_take_line);
	suite_add_tcase(s, tc);
	return s;
}
