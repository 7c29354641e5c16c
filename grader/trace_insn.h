/*
 * trace_insn.h - what the race scheduler needs to know of one x86-64
 * instruction: its length, whether it simply goes on to the next one,
 * where a direct jump or call goes, and whether it reaches memory through
 * a pointer or a global.  Decoded with Zydis 4 (exact for the whole
 * instruction set), loaded on first use; without it (not installed, no
 * Zydis 4 headers when the grader was built, or on other machines) every
 * instruction is "unknown", and the race scheduler single-steps it and
 * takes it as one that may touch shared memory: much slower, still sound.
 */
#ifndef TRACE_INSN_H
#define TRACE_INSN_H

#include <stdbool.h>
#include <stddef.h>

enum insn_flow {
	INSN_UNKNOWN,   /* not decoded: treat as anything at all           */
	INSN_NEXT,      /* goes on to the instruction after it             */
	INSN_JUMP,      /* a direct jump or call to target (conditional:
			   or to the next)                                  */
	INSN_RETURN,    /* ret: to the address on top of the stack         */
	INSN_OTHER,     /* indirect jump or call, syscall, int, repeated
			   string instruction: may go anywhere, or trap more
			   than once when single-stepped                    */
};

struct insn {
	unsigned len;
	enum insn_flow flow;
	bool conditional;         /* INSN_JUMP: may also go on to the next   */
	bool call;                /* INSN_JUMP: a call (pushes a + len)      */
	unsigned long target;     /* INSN_JUMP                                */
	/* reads or writes memory through a base or index register other
	   than rsp, rbp and rip: where shared data is read and written (-O0
	   keeps locals at rbp-relative addresses) */
	bool touches_pointer;
	/* reads or writes a global: rip-relative or absolute, not thread-local
	   (shared by the threads of a process) */
	bool touches_global;
	/* `jmp [rip + disp]` (a PLT entry): where the destination is read
	   from, or 0 */
	unsigned long jump_slot;
};

/* Whether instructions are decoded here (Zydis 4 built in and loaded);
   `grader list` says so. */
bool insn_decoder_ready(void);

/* Decode the instruction at p (n bytes readable), found at address ip.
   Returns false (and flow INSN_UNKNOWN) if it is not a valid one. */
bool insn_decode(const unsigned char *p, size_t n, unsigned long ip, struct insn *out);

#endif
