# C autograder for processes and IPC.  `make help` lists the targets.
CC      ?= cc
# Linked in from their static archives where the system has them (Debian's
# -dev packages do): every shared library costs each start of the grader a
# load (bench/RESULTS.md).  libarchive only lends its headers
# (grader/archive_lib.c loads it on first use: linked, its 14 libraries
# would triple every start-up).
PKGS_LINKED  := libseccomp yaml-0.1 jansson
LIBS_LINKED  := seccomp yaml jansson
PKGS_HEADERS := libarchive
# $(call compiles,HEADER,C TEXT) / $(call links,FLAGS): probes of the compiler, "yes" or empty
compiles = $(shell printf '$(2)\n' | $(CC) -include $(1) -fsyntax-only -x c - 2>/dev/null && echo yes)
links = $(shell printf 'int main(void) { return 0; }\n' | $(CC) $(1) -x c - -o /dev/null 2>/dev/null && echo yes)
static_or_shared = $(if $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a)),-l:lib$(1).a,-l$(1))
CFLAGS  ?= -O2 -g
# Warnings are errors here; a build elsewhere (Gradescope's setup.sh, another
# compiler's new warnings) says `make WERROR=` and still gets a grader.
WERROR  ?= -Werror
CFLAGS  += -std=gnu11 -Wall -Wextra $(WERROR) -Wformat=2 -Wshadow -Wno-unused-parameter \
           -Wmissing-prototypes -D_GNU_SOURCE -iquote grader
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS_LINKED) $(PKGS_HEADERS) 2>/dev/null)
LDLIBS  += $(foreach l,$(LIBS_LINKED),$(call static_or_shared,$(l)))
# The grader itself is static-pie when it can be (glibc's rcrt1.o, and the
# three libraries as archives): no loader, no lazy binding, fewer pages to
# fault in: a grader's start and a sandboxed run take a fifth less time
# (bench/RESULTS.md).  libarchive and Zydis are still dlopen'ed: glibc's
# static dlopen wants the same glibc at run time as at link time, which a
# grader built where it grades has, so ld's warning about it is filtered
# out (tests/ld_quiet.awk), nothing else is.
# The unit tests are linked the same way: a static grader has two C
# libraries (its own, and the one libarchive brings), which a test linked
# otherwise would not see.  Sanitizers need a dynamic link, which they
# get (and `make STATIC_PIE=` forces one).  It relies on the compiler
# making PIE objects by default, as Debian's gcc does.
ifeq ($(origin STATIC_PIE),undefined)
STATIC_PIE := $(if $(and $(filter /%,$(shell $(CC) -print-file-name=rcrt1.o)),$(call links,-static-pie),$(if $(filter-out -l:%,$(LDLIBS)),,yes),$(if $(findstring -fsanitize,$(CFLAGS)),,yes)),-static-pie)
endif
GRADER_LDFLAGS := $(STATIC_PIE) $(LDLIBS)
# Zydis 4 (its headers) for the race scheduler's decoder, trace_insn.c:
# without them, or with another version (Ubuntu 22.04 has none, 24.04 has
# version 3), the grader is built without the decoder and the race
# scheduler single-steps every instruction, slower and still sound.
# `make ZYDIS=` builds that way on purpose.
ifeq ($(origin ZYDIS),undefined)
ZYDIS := $(call compiles,Zydis/Zydis.h,void *f = (void *)ZydisDecoderDecodeFull;)
endif
ZYDIS_CFLAGS := $(if $(ZYDIS),-DHAVE_ZYDIS)
ifeq ($(ZYDIS),)
$(info note: no Zydis 4 headers: race provocation single-steps every instruction (libzydis-dev 4))
endif
CHECK_LIBS = $(shell pkg-config --libs $(if $(STATIC_PIE),--static) check)
# $(call write_if_changed,TEXT): $@ holds TEXT, its time changed only if TEXT did
write_if_changed = echo '$(1)' > $@.tmp; if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
# $(call link_filtered,FLAGS...): link $@ from $^ by way of $@.tmp
link_filtered = $(CC) $(CFLAGS) -o $@.tmp $(filter-out build/link.flags,$^) $(1) 2>$@.err; \
	s=$$?; awk -f tests/ld_quiet.awk $@.err >&2; rm -f $@.err; [ $$s -eq 0 ] && mv -f $@.tmp $@

# The grader's messages in other languages (grader/i18n.h): po/LANG.po
# compiled by GNU gettext's msgfmt (Debian package gettext) where the
# grader looks for them, beside itself: build/locale/LANG/LC_MESSAGES/.
# Without msgfmt the grader is built and speaks English only.  `make po`
# re-extracts the marked messages (xgettext) into every po/LANG.po.
MSGFMT   ?= msgfmt
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=_n:1,2 \
		  --add-comments=TRANSLATORS: --add-location=file --sort-by-file --no-wrap \
		  --package-name=grader
PO_FILES := $(wildcard po/*.po)
HAVE_MSGFMT := $(shell command -v $(MSGFMT) 2>/dev/null)
MO_FILES := $(if $(HAVE_MSGFMT),$(PO_FILES:po/%.po=build/locale/%/LC_MESSAGES/grader.mo))
ifeq ($(HAVE_MSGFMT),)
$(info note: no msgfmt: the grader speaks English only (Debian package gettext))
endif

# Debian packages the grader needs to build (names Ubuntu 22.04 and 24.04
# have too: Gradescope's setup.sh installs them with `make grader-deps`),
# the one it can do without (Ubuntu 22.04 has no libzydis-dev; an absent
# name would fail a whole apt-get install, so it has its own), and what the
# tests need besides (make deps installs them all as root; slurm-wlm and
# munge: tests/run_slurm.sh's one-node cluster).
GRADER_PKGS   := gcc make pkg-config libyaml-dev libarchive-dev libseccomp-dev libjansson-dev gettext
OPTIONAL_PKGS := libzydis-dev
DEB_PKGS := $(GRADER_PKGS) $(OPTIONAL_PKGS) check libsubunit-dev jq zip unzip libxml2-utils \
            python3 python3-yaml cmark-gfm strace slurm-wlm munge
# ... and what `make bench` times against (installed by it alone).
BENCH_PKGS := hyperfine bubblewrap

GRADER_SRC  := $(filter-out grader/main.c,$(wildcard grader/*.c))
GRADER_OBJ  := $(GRADER_SRC:grader/%.c=build/obj/%.o) build/obj/harness_h.o \
               build/obj/scaffold_templates.o
TEST_SRC    := $(wildcard tests/check_*.c)
TEST_OBJ    := $(TEST_SRC:tests/%.c=build/obj/tests/%.o)

.PHONY: FORCE po all deps grader-deps demo test soak unit-test submissions-test hostile-test walls bench stability clean help

all: build/grader build/link.flags $(MO_FILES)

help:
	@echo "make            build build/grader"
	@echo "make deps       install the Debian packages (as root) or print the apt-get line"
	@echo "make grader-deps  only those the grader needs to build (Gradescope's setup.sh)"
	@echo "make demo       build and grade the bundled sample submissions"
	@echo "make test       every test: walls, unit suites, faulty submissions, hostile submissions"
	@echo "make walls      the walls between modules, read from the #include lines (seconds)"
	@echo "make bench      benchmarks (sandbox and tracer overhead, race-provoked trials, a batch of 200)"
	@echo "make stability  grade references and faulty submissions 20x under load"
	@echo "make soak       every attack at every tier (root and unprivileged), then stability"
	@echo "make screenshots  render every faulty submission's HTML report (headless chromium)"

deps:
	@sh tests/deps.sh $(DEB_PKGS)

grader-deps:
	@sh tests/deps.sh $(GRADER_PKGS)
	@for p in $(OPTIONAL_PKGS); do sh tests/deps.sh $$p || \
	  echo "note: $$p not installed: the grader is built without it"; done

build/obj/%.o: grader/%.c $(wildcard grader/*.h) | build/obj
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The decoder is in or out as the probe said (or `make ZYDIS=`): a change
# recompiles it.
build/obj/trace_insn.o: grader/trace_insn.c grader/trace_insn.h build/zydis.flags | build/obj
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(ZYDIS_CFLAGS) -c -o $@ $<

build/obj/tests/%.o: tests/%.c $(wildcard grader/*.h) build/suites.h | build/obj/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Ibuild $(shell pkg-config --cflags check) -c -o $@ $<

build/obj build/obj/tests:
	mkdir -p $@

build/locale/%/LC_MESSAGES/grader.mo: po/%.po
	@mkdir -p $(@D)
	$(MSGFMT) --check -o $@.tmp $< && mv -f $@.tmp $@

build/grader.pot: $(wildcard grader/*.c) Makefile | build/obj
	xgettext $(XGETTEXT_FLAGS) -o $@ $(sort $(filter grader/%,$^))

po: build/grader.pot
	@for f in $(PO_FILES); do msgmerge --quiet --update --backup=none --no-wrap $$f $<; done

# exercises/harness.h (the harnesses' markers) built into the grader as
# stage_harness_h[]: the stage writes it beside every build, wherever the
# exercise folder is (grader/stage.c).
build/obj/harness_h.c: exercises/harness.h | build/obj
	{ echo 'extern const char stage_harness_h[];'; echo 'const char stage_harness_h[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0};'; } >$@.tmp && mv -f $@.tmp $@

build/obj/harness_h.o: build/obj/harness_h.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The templates of `grader new` (grader/scaffold/*) built in as
# scaffold_templates[] (grader/scaffold.h).
build/obj/scaffold_templates.c: $(sort $(wildcard grader/scaffold/*)) | build/obj
	{ echo '#include "scaffold.h"'; echo 'const struct scaffold_template scaffold_templates[] = {'; \
	  for f in $^; do echo "{\"$${f##*/}\", (const char[]){"; \
	    od -An -v -tx1 $$f | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0}},'; done; \
	  echo '{0, 0}};'; } >$@.tmp && mv -f $@.tmp $@

build/obj/scaffold_templates.o: build/obj/scaffold_templates.c grader/scaffold.h
	$(CC) $(CFLAGS) -c -o $@ $<

build/libgrader.a: $(GRADER_OBJ)
	rm -f $@ && ar rcs $@ $^

# Linked aside and renamed: a grading that runs while make relinks never
# meets a half-written binary.
build/grader: build/obj/main.o build/libgrader.a build/link.flags
	@echo "link $@"; $(call link_filtered,$(GRADER_LDFLAGS))

# What a program linked with build/libgrader.a needs after it (the bench
# and test scripts that build their own drivers read it): linked as the
# grader is, so that they measure what it pays.  Rewritten only when it
# changes, and what is linked depends on it: `make STATIC_PIE=` relinks.
build/link.flags: FORCE | build/obj
	@$(call write_if_changed,$(GRADER_LDFLAGS))
build/zydis.flags: FORCE | build/obj
	@$(call write_if_changed,$(ZYDIS_CFLAGS))
FORCE:

# Every tests/check_<module>.c defines `Suite *suite_<module>(void)`; the
# runner (tests/run_suites.c) includes this generated X-macro list.
build/suites.h: $(TEST_SRC) | build/obj
	@for f in $(filter-out tests/check_main.c,$(TEST_SRC)); do \
	  n=$${f#tests/check_}; echo "SUITE($${n%.c})"; done > $@.tmp && mv $@.tmp $@

build/check_suites: $(filter-out build/obj/tests/check_main.o,$(TEST_OBJ)) build/obj/tests/run_suites.o build/libgrader.a build/link.flags
	@echo "link $@"; $(call link_filtered,$(GRADER_LDFLAGS) $(CHECK_LIBS))

build/obj/tests/run_suites.o: tests/run_suites.c build/suites.h | build/obj/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Ibuild $(shell pkg-config --cflags check) -c -o $@ $<

demo: deps all
	@sh tests/demo.sh

test: deps all build/check_suites
	@sh tests/run_all.sh

unit-test: all build/check_suites
	build/check_suites

submissions-test: all
	@sh tests/run_submissions.sh

hostile-test: all
	@sh tests/run_hostile.sh

walls:
	@sh tests/walls.sh

bench: deps all
	@sh tests/deps.sh $(BENCH_PKGS)
	@sh bench/run.sh

stability: all
	@sh tests/stability.sh

# PNGs of the HTML reports in build/screenshots/, to look at.  EXERCISES=...
screenshots: all
	@[ "$$(id -u)" -ne 0 ] || command -v chromium >/dev/null || sh tests/deps.sh chromium
	@sh tests/screenshots.sh $(EXERCISES)

# The long runs: every attack at every tier, as root and as an ordinary
# user, then the stability rounds.
soak: all build/check_suites
	sh tests/run_hostile.sh
	[ "$$(id -u)" -ne 0 ] || sh tests/unpriv.sh
	sh tests/stability.sh

clean:
	rm -rf build
