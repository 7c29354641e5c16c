/*
 * archive_lib.h - libarchive, loaded on first use.
 *
 * libarchive pulls in some fourteen libraries (libxml2, ICU and its 30 MB
 * of data, libstdc++, every compressor...), which a linked grader would
 * load and relocate at each start: three times the start-up of a grader
 * that never touches an archive (bench/RESULTS.md).  So it is not linked:
 * archive_lib() dlopens libarchive.so.13 the first time it is called and
 * returns its functions, called as A->archive_read_new() where
 * A = archive_lib().
 * libarchive's own headers still give the types and constants.
 *
 * Contract:
 *   - archive_lib() returns NULL, with an error set (util.h) that names the
 *     library, says why, and which Debian package provides it, when the
 *     library or one of its functions cannot be loaded.  Callers return -1:
 *     a grader fault, never a verdict on a submission.
 *   - The outcome is decided once: later calls return the same pointer (or
 *     NULL, setting the same error again).  The library is never unloaded,
 *     so code that holds a struct archive or struct archive_entry (which
 *     only exists once archive_lib() succeeded) may call archive_lib()
 *     without checking for NULL.
 *   - Every libarchive function the grader calls is listed below.  A
 *     direct call (not through A) compiles but does not link: libarchive
 *     is not on the link line.
 */
#ifndef ARCHIVE_LIB_H
#define ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#define ARCHIVE_LIB_SONAME  "libarchive.so.13"
#define ARCHIVE_LIB_PACKAGE "libarchive13"

/* X-macro: F(function) for every libarchive function the grader uses. */
#define ARCHIVE_LIB_FUNCTIONS(F) \
	F(archive_error_string) \
	F(archive_format) \
	F(archive_read_new) \
	F(archive_read_support_format_tar) \
	F(archive_read_support_format_zip) \
	F(archive_read_support_format_7zip) \
	F(archive_read_support_format_rar) \
	F(archive_read_support_format_rar5) \
	F(archive_read_support_format_cpio) \
	F(archive_read_support_format_iso9660) \
	F(archive_read_support_format_xar) \
	F(archive_read_support_format_cab) \
	F(archive_read_support_format_lha) \
	F(archive_read_support_format_ar) \
	F(archive_read_support_filter_gzip) \
	F(archive_read_support_filter_bzip2) \
	F(archive_read_support_filter_xz) \
	F(archive_read_support_filter_lzma) \
	F(archive_read_support_filter_lzip) \
	F(archive_read_support_filter_zstd) \
	F(archive_read_support_filter_lz4) \
	F(archive_read_support_filter_compress) \
	F(archive_read_open_filename) \
	F(archive_read_open_memory) \
	F(archive_read_next_header) \
	F(archive_read_next_header2) \
	F(archive_read_data) \
	F(archive_read_free) \
	F(archive_read_disk_new) \
	F(archive_read_disk_open) \
	F(archive_read_disk_descend) \
	F(archive_read_disk_set_symlink_physical) \
	F(archive_write_new) \
	F(archive_write_set_format_zip) \
	F(archive_write_open_filename) \
	F(archive_write_header) \
	F(archive_write_data) \
	F(archive_write_close) \
	F(archive_write_free) \
	F(archive_entry_new) \
	F(archive_entry_free) \
	F(archive_entry_pathname) \
	F(archive_entry_pathname_utf8) \
	F(archive_entry_hardlink) \
	F(archive_entry_filetype) \
	F(archive_entry_size) \
	F(archive_entry_size_is_set) \
	F(archive_entry_set_pathname) \
	F(archive_entry_set_size) \
	F(archive_entry_set_filetype) \
	F(archive_entry_set_perm) \
	F(archive_entry_set_mtime)

/* One pointer per function, of the function's own type. */
struct archive_lib {
#define ARCHIVE_LIB_MEMBER(fn) __typeof__(fn) *fn;
	ARCHIVE_LIB_FUNCTIONS(ARCHIVE_LIB_MEMBER)
#undef ARCHIVE_LIB_MEMBER
};

/* libarchive's functions, loaded on the first call; NULL (error set) when
   it cannot be loaded. */
const struct archive_lib *archive_lib(void);

/* libarchive converts entry names to the charset of the current locale,
   and in the "C" locale a UTF-8 name ("héllo/half_copy.c") cannot be
   converted.  Between archive_lib_utf8_begin() and archive_lib_utf8_end()
   (nested pairs allowed) the calling thread is in C.UTF-8 for libarchive,
   from the moment libarchive is loaded: begin does not load it (a C file
   or a folder never does).  It is the locale of libarchive's own C
   library: a static grader has one of its own besides the shared one
   libarchive brings, and its uselocale() would not reach libarchive.
   One thread at a time uses libarchive. */
void archive_lib_utf8_begin(void);
void archive_lib_utf8_end(void);

#endif
