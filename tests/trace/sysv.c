/* sysv: System V semaphore, shared memory (attached, then used across a
   fork) and message queue; a FIFO and a socketpair.  Exit 0 if every call
   worked. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int ok = 1, sv[2];
	int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	int msg = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	int *p = shmat(shm, NULL, 0);
	ok &= sem >= 0 && shm >= 0 && msg >= 0 && p != (void *)-1;
	*p = 0;
	if (fork() == 0) {
		*p = 42;
		_exit(0);
	}
	wait(NULL);
	ok &= *p == 42;
	shmdt(p);
	semctl(sem, 0, IPC_RMID);
	shmctl(shm, IPC_RMID, NULL);
	msgctl(msg, IPC_RMID, NULL);
	ok &= mkfifo("a_fifo", 0600) == 0;
	int r = open("a_fifo", O_RDONLY | O_NONBLOCK);
	ok &= r >= 0;
	ok &= socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0;
	return ok ? 0 : 1;
}
