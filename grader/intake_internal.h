/*
 * intake_internal.h - what intake.c lends intake_lms.c: the rules every
 * entry of a submission or a bulk download goes through.  Who holds a
 * struct archive has libarchive loaded (archive_lib.h).
 */
#ifndef INTAKE_INTERNAL_H
#define INTAKE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

#define INTAKE_DIR_DEPTH_MAX 32     /* folders inside a submission, levels */

struct archive;
struct archive_entry;

/* A reader of every format libarchive reads itself, but mtree, with
   in-process decompressors only.  NULL (error set) when libarchive cannot
   be loaded. */
struct archive *intake_new_reader(void);
/* An entry's path cleaned ('\' -> '/', no "." or empty component), or
   NULL: *why says why it is unsafe (absolute, "..", too long), or is NULL
   for the root itself.  Caller frees. */
char *intake_clean_path(const char *raw, const char **why);
/* Is any component of a clean path junk (__MACOSX, dot files)? */
bool intake_is_junk(const char *path);
/* Why an entry is not taken (a link, a device...), or NULL (file, folder). */
const char *intake_unsafe_type(struct archive_entry *e);
/* An entry's path as stored (or its UTF-8 form). */
const char *intake_entry_name(struct archive_entry *e);
/* The data of the current entry of the archive ctx into b, at most cap
   bytes.  0, or -1 (error set; path names it). */
int intake_read_entry(void *ctx, struct buf *b, long cap, const char *path);
/* Folders a clean relative path goes down. */
int intake_depth(const char *path);
/* The length of name's archive extension (".tar.gz"), or 0. */
size_t intake_archive_ext(const char *name);

#endif
