/*
 * gradebook_lms.h - a batch gradebook as the file an LMS imports:
 * "canvas" (Canvas's gradebook CSV) or "moodle" (Moodle's offline grading
 * worksheet).  Only the students whose LMS identity came with their
 * submission (an LMS bulk download) are in it.
 */
#ifndef GRADEBOOK_LMS_H
#define GRADEBOOK_LMS_H

#include <stdbool.h>

bool gradebook_format_known(const char *format);

/* Write the grades.csv at grades_csv as format at path; assignment names
   Canvas's grade column.  0, or -1 (error set). */
int gradebook_export(const char *format, const char *grades_csv, const char *assignment,
		     const char *path);

#endif
