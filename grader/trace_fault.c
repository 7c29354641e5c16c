/*
 * trace_fault.c - the names of faults: their calls and their errnos.
 */
#include <errno.h>
#include <string.h>
#include "trace_fault.h"
#include "util.h"

/* Library names as students write them; several may mean one class. */
static const struct {
	const char *name;
	enum fault_class fc;
} calls[] = {
	{"fork", FC_FORK}, {"vfork", FC_VFORK}, {"clone", FC_CLONE}, {"execve", FC_EXECVE},
	{"pipe", FC_PIPE}, {"pipe2", FC_PIPE}, {"mkfifo", FC_MKFIFO},
	{"socketpair", FC_SOCKETPAIR}, {"open", FC_OPEN}, {"openat", FC_OPEN},
	{"creat", FC_OPEN}, {"close", FC_CLOSE}, {"read", FC_READ}, {"write", FC_WRITE},
	{"dup", FC_DUP}, {"dup2", FC_DUP}, {"mmap", FC_MMAP}, {"munmap", FC_MUNMAP},
	{"ftruncate", FC_FTRUNCATE}, {"shm_open", FC_SHM_OPEN}, {"shm_unlink", FC_SHM_UNLINK},
	{"sem_open", FC_SEM_OPEN}, {"sem_unlink", FC_SEM_UNLINK}, {"mq_open", FC_MQ_OPEN},
	{"mq_send", FC_MQ_SEND}, {"mq_receive", FC_MQ_RECEIVE}, {"mq_unlink", FC_MQ_UNLINK},
	{"semget", FC_SEMGET}, {"semop", FC_SEMOP}, {"shmget", FC_SHMGET},
	{"shmat", FC_SHMAT}, {"msgget", FC_MSGGET}, {"msgsnd", FC_MSGSND},
	{"msgrcv", FC_MSGRCV}, {"kill", FC_KILL}, {"sigaction", FC_SIGACTION},
	{"wait", FC_WAIT}, {"waitpid", FC_WAIT}, {"wait4", FC_WAIT4}, {"waitid", FC_WAITID},
};

#define ERRNO(e) {#e, e}
static const struct {
	const char *name;
	int value;
} errnos[] = {
	ERRNO(EPERM), ERRNO(ENOENT), ERRNO(ESRCH), ERRNO(EINTR), ERRNO(EIO), ERRNO(ENXIO),
	ERRNO(E2BIG), ERRNO(ENOEXEC), ERRNO(EBADF), ERRNO(ECHILD), ERRNO(EAGAIN),
	ERRNO(EWOULDBLOCK), ERRNO(ENOMEM), ERRNO(EACCES), ERRNO(EFAULT), ERRNO(EBUSY),
	ERRNO(EEXIST), ERRNO(ENOTDIR), ERRNO(EISDIR), ERRNO(EINVAL), ERRNO(ENFILE),
	ERRNO(EMFILE), ERRNO(EFBIG), ERRNO(ENOSPC), ERRNO(ESPIPE), ERRNO(EROFS),
	ERRNO(EMLINK), ERRNO(EPIPE), ERRNO(ERANGE), ERRNO(EDEADLK), ERRNO(ENAMETOOLONG),
	ERRNO(ENOSYS), ERRNO(ENOTEMPTY), ERRNO(EOVERFLOW), ERRNO(ETIMEDOUT), ERRNO(EDQUOT),
	ERRNO(ENOTSUP), ERRNO(EMSGSIZE), ERRNO(EIDRM), ERRNO(ENOMSG),
};

int fault_class(const char *call)
{
	for (size_t i = 0; call && i < ARRAY_SIZE(calls); i++)
		if (!strcmp(calls[i].name, call))
			return calls[i].fc;
	return -1;
}

int fault_errno(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(errnos); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return -1;
}

const char *fault_call_name(size_t i)
{
	return i < ARRAY_SIZE(calls) ? calls[i].name : NULL;
}

const char *fault_errno_name(size_t i)
{
	return i < ARRAY_SIZE(errnos) ? errnos[i].name : NULL;
}

const char *errno_name(long err)
{
	const char *n = err > 0 ? strerrorname_np((int)err) : NULL;
	return n ? n : "E?";
}
