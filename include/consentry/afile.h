/* afile.h — all-or-nothing file output.
 *
 * Writes go to a temporary file beside the target ("PATH.tmp.XXXXXX");
 * cs_afile_commit flushes, fsyncs and renames it into place, so a reader or a
 * crash never sees a half-written file under the real name; cs_afile_abort
 * (or free without commit) removes the temporary. Not thread-safe.
 */
#ifndef CONSENTRY_AFILE_H
#define CONSENTRY_AFILE_H

#include <stdio.h>

#include <consentry/error.h>

typedef struct cs_afile cs_afile_t;

CS_MUST_USE int cs_afile_open(const char *path, cs_afile_t **out, cs_diag_t *diag);
FILE *cs_afile_stream(cs_afile_t *af);
/* Publishes the file under its real name and frees af (also on failure). */
CS_MUST_USE int cs_afile_commit(cs_afile_t *af, cs_diag_t *diag);
/* Discards the temporary and frees af; accepts NULL. */
void cs_afile_abort(cs_afile_t *af);

#endif
