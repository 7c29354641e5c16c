/*
 * trace_fault.h - the failures the tracer can inject: the names a fault may
 * give its call and its errno, and the classes of system calls they count.
 *
 * One vocabulary for the spec language (spec.c validates a fault through
 * fault_class() and fault_errno()) and the tracer (which counts and fails
 * the calls).  A name means a class of calls, not one system call: "fork"
 * counts every process creation (fork, vfork, clone without CLONE_THREAD),
 * "open" the opens of the student's files (not libraries, /proc ...),
 * "sem_open" the open of /dev/shm/sem.NAME.  Which system calls count as
 * which class is a column of the tracer's system-call table
 * (trace_syscall.c).
 */
#ifndef TRACE_FAULT_H
#define TRACE_FAULT_H

#include <stddef.h>

/* One fault to inject by the tracer: the NTH call (1-based, counted over
   the whole process tree) of CALL fails with ERRNO ("fork", "pipe", ...).
   line and col: where a spec wrote it (0 if not from a spec). */
struct fault {
	char *call;
	long nth;
	char *errno_name;
	int line, col;
};

/* The classes of calls a fault counts. */
enum fault_class {
	FC_FORK, FC_VFORK, FC_CLONE, FC_EXECVE, FC_PIPE, FC_MKFIFO, FC_SOCKETPAIR,
	FC_OPEN, FC_CLOSE, FC_READ, FC_WRITE, FC_DUP, FC_MMAP, FC_MUNMAP,
	FC_FTRUNCATE, FC_SHM_OPEN, FC_SHM_UNLINK, FC_SEM_OPEN, FC_SEM_UNLINK,
	FC_MQ_OPEN, FC_MQ_SEND, FC_MQ_RECEIVE, FC_MQ_UNLINK, FC_SEMGET, FC_SEMOP,
	FC_SHMGET, FC_SHMAT, FC_MSGGET, FC_MSGSND, FC_MSGRCV, FC_KILL,
	FC_SIGACTION, FC_WAIT, FC_WAIT4, FC_WAITID,
	FC__COUNT
};
#define FC_BIT(c) (1ULL << (c))

/* The class a fault's call name means ("pipe2" -> FC_PIPE), or -1. */
int fault_class(const char *call);
/* The value of an errno name a fault may return ("EAGAIN" -> EAGAIN), or -1. */
int fault_errno(const char *name);
/* The i-th call name / errno name a fault may use (in the order of the
   documentation), NULL after the last: for messages that list them. */
const char *fault_call_name(size_t i);
const char *fault_errno_name(size_t i);

/* The name of any errno value, for messages and the trace ("ENOENT");
   "E?" if unknown. */
const char *errno_name(long err);

#endif
