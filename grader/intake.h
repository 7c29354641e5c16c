/*
 * intake.h - find a student's files in a submission, safely.
 *
 * A submission is a C file, a directory, or an archive (zip, tar, tar.gz,
 * ...; read with libarchive, never extracted as-is).  Intake knows nothing
 * of building or running: it copies the wanted files (by base name, found
 * anywhere in the tree, ignoring __MACOSX/, dot files and build products)
 * into a destination directory.  It refuses what could hurt the grader:
 * absolute or ".." paths, links, devices, files over 1 MiB, archives whose
 * unpacked size exceeds 64 MiB or hold over 10 000 entries.
 */
#ifndef INTAKE_H
#define INTAKE_H

#include <stdbool.h>

struct intake {
	char **found;       /* every regular file seen (relative paths), sorted */
	char **missing;     /* wanted base names not found (NULL if none)       */
	char **ambiguous;   /* wanted names found at several places none of
			       which is less deep: not copied (which one is the
			       student's is not ours to guess), a note names them
			       (NULL if none).  Copies at different depths are not
			       ambiguous: the least deep is used, a note names all. */
	char **candidates;  /* every path of a file with a wanted name (direct
			       ones; the nested ones when none is direct) */
	char **notes;       /* what was skipped or renamed, one line each, e.g.
			       "skipped ../../x.c: path outside the submission",
			       "used halfcopy.c as half_copy.c" (NULL if none)  */
};

/* Copy the wanted files of submission into dest (which exists).
   0: done (missing files are not an error: they are reported in *out).
   -1: the submission cannot be read or is unsafe (error set). */
int intake_collect(const char *submission, char *const *wanted,
		   const char *dest, struct intake *out);
void intake_free(struct intake *in);

/* intake_collect without copying anything, every nested archive opened:
   what a submission holds (batch tells one student from several). */
int intake_survey(const char *submission, char *const *wanted, struct intake *out);

/* A name for the gradebook: the file or directory name without extension;
   for LMS bulk-download entries ("Ada Lovelace_12345_assignsubmission_file_x.c"
   or "lovelace_late_12345_67890_x.c") the student part. Caller frees. */
char *intake_student_name(const char *submission);

/* Is path an archive libarchive can read?  1 or 0; -1 (error set) when
   libarchive cannot be loaded (archive_lib.h): the grader's fault, never
   "not an archive" (an archive would then be graded as one C file). */
int intake_is_archive(const char *path);

/* Does this archive, or folder (the archive extracted), look like an LMS
   bulk download (Moodle folders or files "Name_12345_assignsubmission_file_...",
   Canvas files "name[_late]_12345_67890_file", Blackboard
   "..._user_attempt_DATE...")?  1 or 0; -1 (error set) when libarchive
   cannot be loaded. */
int intake_is_bulk(const char *archive);

/* A student of an LMS bulk download, as the LMS knows them. */
struct lms_student {
	char *dir;              /* the student's files (intake_split_bulk) */
	char *name;             /* as the LMS shows it */
	const char *lms;        /* "moodle", "canvas" or "blackboard" (static) */
	char *id;               /* Moodle participant id ("Participant N" in
				   its grading worksheet), Canvas user id,
				   Blackboard user name */
	char *submission_id;    /* Canvas: the newest submission's id (or NULL) */
	bool late;              /* Canvas: a file of theirs is marked late */
};

/* Split an LMS bulk download (one archive or folder holding one file, folder
   or archive per student) into dest/<student>/...  Returns the number of
   students and sets *out to them (sorted by name then id, ended by one
   with dir NULL; intake_lms_free), or -1.  Two students of the same name
   and different ids are two students. */
int intake_split_bulk(const char *archive, const char *dest, struct lms_student **out);
void intake_lms_free(struct lms_student *st);

/* The LMS identity in a submission's file or folder name (its dir and name
   left NULL): 1, or 0 (not an LMS name; *out zeroed).  Free with
   free(out->id), free(out->submission_id). */
int intake_lms_identity(const char *submission, struct lms_student *out);

/* What one argument of `batch` holds (intake_class.c has the rules). */
enum intake_kind {
	INTAKE_STUDENT,         /* one student's work */
	INTAKE_BULK,            /* an LMS bulk download: intake_split_bulk */
	INTAKE_CLASS,           /* a folder of students: *members, one each */
};
/* The kind of path, or -1 (error set) when it cannot be read, or is an
   archive that holds several students' work (never graded as one).
   *members (INTAKE_CLASS only, else NULL): the students' folders and
   archives, sorted; caller frees. */
int intake_classify(const char *path, char *const *wanted, char ***members);

#endif
