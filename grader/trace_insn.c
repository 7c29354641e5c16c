/*
 * trace_insn.c - x86-64 instructions for the race scheduler, decoded by
 * Zydis 4.  Built without it (HAVE_ZYDIS unset: the Makefile's probe found
 * no Zydis 4 headers, or `make ZYDIS=`), every instruction is unknown
 * (trace_insn.h).
 */
#include <string.h>
#include "trace_insn.h"

#if defined(__x86_64__) && defined(HAVE_ZYDIS)
#include <dlfcn.h>
#include <Zydis/Zydis.h>

/* Zydis is loaded on first use (only race provocation decodes): every
   other run of the grader would pay its loading (bench/RESULTS.md). */
static struct {
	__typeof__(ZydisDecoderInit) *init;
	__typeof__(ZydisDecoderDecodeFull) *decode;
	__typeof__(ZydisCalcAbsoluteAddress) *address;
} zydis;

static const ZydisDecoder *decoder(void)
{
	static ZydisDecoder d;
	static int ready = -1;
	void *lib;

	if (ready < 0) {
		ready = 0;
		lib = dlopen("libZydis.so.4.0", RTLD_NOW | RTLD_LOCAL);
		if (!lib)
			return NULL;
		zydis.init = (__typeof__(zydis.init))dlsym(lib, "ZydisDecoderInit");
		zydis.decode = (__typeof__(zydis.decode))dlsym(lib, "ZydisDecoderDecodeFull");
		zydis.address = (__typeof__(zydis.address))dlsym(lib, "ZydisCalcAbsoluteAddress");
		if (!zydis.init || !zydis.decode || !zydis.address ||
		    !ZYAN_SUCCESS(zydis.init(&d, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
			return NULL;
		ready = 1;
	}
	return ready ? &d : NULL;
}

static bool is_stack_or_ip(ZydisRegister r)
{
	return r == ZYDIS_REGISTER_RSP || r == ZYDIS_REGISTER_RBP || r == ZYDIS_REGISTER_RIP ||
	       r == ZYDIS_REGISTER_ESP || r == ZYDIS_REGISTER_EBP || r == ZYDIS_REGISTER_EIP;
}

/* A memory operand that is not thread-local (fs, gs). */
static bool plain_memory(const ZydisDecodedOperand *op)
{
	const ZydisDecodedOperandMem *m = &op->mem;

	return op->type == ZYDIS_OPERAND_TYPE_MEMORY && m->type == ZYDIS_MEMOP_TYPE_MEM &&
	       m->segment != ZYDIS_REGISTER_FS && m->segment != ZYDIS_REGISTER_GS;
}

/* A memory operand through a pointer: not the stack, not a global
   (rip-relative or absolute), not thread-local. */
static bool through_pointer(const ZydisDecodedOperand *op)
{
	const ZydisDecodedOperandMem *m = &op->mem;

	if (!plain_memory(op))
		return false;
	if (m->base != ZYDIS_REGISTER_NONE)
		return !is_stack_or_ip(m->base);
	return m->index != ZYDIS_REGISTER_NONE;
}

/* A global: rip-relative, or an absolute address. */
static bool global(const ZydisDecodedOperand *op)
{
	const ZydisDecodedOperandMem *m = &op->mem;

	return plain_memory(op) && m->index == ZYDIS_REGISTER_NONE &&
	       (m->base == ZYDIS_REGISTER_RIP || m->base == ZYDIS_REGISTER_EIP ||
		m->base == ZYDIS_REGISTER_NONE);
}

static enum insn_flow flow_of(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
			      unsigned long ip, struct insn *out)
{
	if (in->attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE))
		return INSN_OTHER;
	/* ud2, hlt and the like trap or stop: never run past them; xbegin
	   may jump; popf may set the trap flag itself */
	if (in->mnemonic == ZYDIS_MNEMONIC_UD0 || in->mnemonic == ZYDIS_MNEMONIC_UD1 ||
	    in->mnemonic == ZYDIS_MNEMONIC_UD2 || in->mnemonic == ZYDIS_MNEMONIC_HLT ||
	    in->mnemonic == ZYDIS_MNEMONIC_INT3 || in->mnemonic == ZYDIS_MNEMONIC_INT1 ||
	    in->mnemonic == ZYDIS_MNEMONIC_INT || in->mnemonic == ZYDIS_MNEMONIC_INTO ||
	    in->mnemonic == ZYDIS_MNEMONIC_XBEGIN || in->mnemonic == ZYDIS_MNEMONIC_XABORT ||
	    in->mnemonic == ZYDIS_MNEMONIC_POPFQ || in->mnemonic == ZYDIS_MNEMONIC_POPFD ||
	    in->mnemonic == ZYDIS_MNEMONIC_POPF)
		return INSN_OTHER;
	switch (in->meta.category) {
	case ZYDIS_CATEGORY_COND_BR:
	case ZYDIS_CATEGORY_UNCOND_BR:
	case ZYDIS_CATEGORY_CALL: {
		ZyanU64 target;
		if (!(in->attributes & ZYDIS_ATTRIB_IS_RELATIVE) || in->operand_count_visible < 1 ||
		    ops[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE ||
		    !ZYAN_SUCCESS(zydis.address(in, &ops[0], ip, &target)))
			return INSN_OTHER;
		out->conditional = in->meta.category == ZYDIS_CATEGORY_COND_BR;
		out->call = in->meta.category == ZYDIS_CATEGORY_CALL;
		out->target = (unsigned long)target;
		return INSN_JUMP;
	}
	case ZYDIS_CATEGORY_RET:
		return in->mnemonic == ZYDIS_MNEMONIC_RET ? INSN_RETURN : INSN_OTHER;
	case ZYDIS_CATEGORY_SYSCALL:
	case ZYDIS_CATEGORY_SYSTEM:
	case ZYDIS_CATEGORY_INTERRUPT:
	case ZYDIS_CATEGORY_SYSRET:
	case ZYDIS_CATEGORY_IOSTRINGOP:
		return INSN_OTHER;
	default:
		break;
	}
	return INSN_NEXT;
}

static unsigned long jump_slot(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
			       unsigned long ip)
{
	ZyanU64 slot;

	if (in->mnemonic != ZYDIS_MNEMONIC_JMP || in->operand_count_visible < 1 ||
	    ops[0].type != ZYDIS_OPERAND_TYPE_MEMORY || ops[0].mem.base != ZYDIS_REGISTER_RIP ||
	    ops[0].mem.index != ZYDIS_REGISTER_NONE || ops[0].size != 64 ||
	    !ZYAN_SUCCESS(zydis.address(in, &ops[0], ip, &slot)))
		return 0;
	return (unsigned long)slot;
}

bool insn_decoder_ready(void)
{
	return decoder() != NULL;
}

bool insn_decode(const unsigned char *p, size_t n, unsigned long ip, struct insn *out)
{
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

	const ZydisDecoder *d = decoder();

	memset(out, 0, sizeof(*out));
	if (!d || !ZYAN_SUCCESS(zydis.decode(d, p, n, &in, ops)))
		return false;
	out->len = in.length;
	out->flow = flow_of(&in, ops, ip, out);
	out->jump_slot = jump_slot(&in, ops, ip);
	for (unsigned i = 0; i < in.operand_count; i++) {
		out->touches_pointer |= through_pointer(&ops[i]);
		out->touches_global |= global(&ops[i]);
	}
	return true;
}

#else

bool insn_decoder_ready(void)
{
	return false;
}

bool insn_decode(const unsigned char *p, size_t n, unsigned long ip, struct insn *out)
{
	(void)p, (void)n, (void)ip;
	memset(out, 0, sizeof(*out));
	return false;
}

#endif
