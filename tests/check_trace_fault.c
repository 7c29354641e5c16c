/*
 * check_trace_fault.c - the fault vocabulary (grader/trace_fault.c) and the
 * system-call table it relies on (trace_syscall.c): every name a fault may
 * give means a class, every class is counted by some system call, and the
 * errno names resolve both ways.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include "trace_internal.h"

Suite *suite_trace_fault(void);

START_TEST(every_name_is_counted)
{
	uint64_t named = 0, counted = syscall_fault_classes();
	const char *call;

	for (size_t i = 0; (call = fault_call_name(i)); i++) {
		int fc = fault_class(call);
		ck_assert_msg(fc >= 0 && fc < FC__COUNT, "%s", call);
		ck_assert_msg(counted & FC_BIT(fc), "no system call counts as '%s'", call);
		named |= FC_BIT(fc);
	}
	/* and every class has a name: none is dead */
	ck_assert_uint_eq(named, FC_BIT(FC__COUNT) - 1);
	ck_assert_uint_eq(counted, FC_BIT(FC__COUNT) - 1);
}
END_TEST

START_TEST(names_of_calls)
{
	ck_assert_int_eq(fault_class("fork"), FC_FORK);
	ck_assert_int_eq(fault_class("pipe2"), FC_PIPE);
	ck_assert_int_eq(fault_class("waitpid"), FC_WAIT);
	ck_assert_int_eq(fault_class("wait4"), FC_WAIT4);
	/* not in the vocabulary (the spec rejects them too, see check_spec.c) */
	ck_assert_int_eq(fault_class("fopen"), -1);
	ck_assert_int_eq(fault_class("signal"), -1);
	ck_assert_int_eq(fault_class("exec"), -1);
	ck_assert_int_eq(fault_class("Fork"), -1);
	ck_assert_int_eq(fault_class(NULL), -1);
}
END_TEST

START_TEST(names_of_errnos)
{
	const char *name;

	ck_assert_int_eq(fault_errno("EAGAIN"), EAGAIN);
	ck_assert_int_eq(fault_errno("EMFILE"), EMFILE);
	ck_assert_int_eq(fault_errno("ENOSPC"), ENOSPC);
	ck_assert_int_eq(fault_errno("EINTR"), EINTR);
	ck_assert_int_eq(fault_errno("eagain"), -1);
	ck_assert_int_eq(fault_errno("EFOO"), -1);
	ck_assert_int_eq(fault_errno(NULL), -1);
	for (size_t i = 0; (name = fault_errno_name(i)); i++) {
		int e = fault_errno(name);
		ck_assert_msg(e > 0, "%s", name);
		/* EWOULDBLOCK and ENOTSUP are other names of EAGAIN and EOPNOTSUPP */
		if (strcmp(name, "EWOULDBLOCK") && strcmp(name, "ENOTSUP"))
			ck_assert_str_eq(errno_name(e), name);
	}
	ck_assert_str_eq(errno_name(ENOENT), "ENOENT");
	ck_assert_str_eq(errno_name(0), "E?");
	ck_assert_str_eq(errno_name(-1), "E?");
}
END_TEST

Suite *suite_trace_fault(void)
{
	Suite *s = suite_create("trace_fault");
	TCase *tc = tcase_create("vocabulary");
	tcase_add_test(tc, every_name_is_counted);
	tcase_add_test(tc, names_of_calls);
	tcase_add_test(tc, names_of_errnos);
	suite_add_tcase(s, tc);
	return s;
}
