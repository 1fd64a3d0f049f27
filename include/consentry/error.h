/* error.h — the one error table of libconsentry.
 *
 * Every fallible function returns 0 (CS_OK) or a negative cs_err_t and writes
 * its results through out parameters; a failed call leaves its outputs and any
 * store it touched unchanged. Where the caller needs to know *what* was wrong
 * (a file:line, a field, what was expected), the function also takes a
 * cs_diag_t, a caller-owned fixed buffer: no allocation is needed to report an
 * error, so even CS_ENOMEM can be explained.
 *
 * Thread safety: everything here is reentrant; a cs_diag_t belongs to one
 * thread at a time.
 */
#ifndef CONSENTRY_ERROR_H
#define CONSENTRY_ERROR_H

#include <stddef.h>

#define CS_MUST_USE __attribute__((warn_unused_result))

typedef enum {
  CS_OK = 0,
  CS_ENOMEM = -1,    /* an allocation failed */
  CS_EINVAL = -2,    /* bad input or bad usage: the caller's data is wrong */
  CS_EIO = -3,       /* reading or writing a file failed */
  CS_EDB = -4,       /* the ledger store failed */
  CS_EREFUSED = -5,  /* refused by policy (notice period, no covering policy) */
  CS_ENOTFOUND = -6, /* a named thing (member, purpose, file) does not exist */
  CS_ESCHEMA = -7,   /* the ledger's schema is newer than this build knows */
  CS_ERANGE = -8,    /* a value is out of the representable range */
  CS_EINTERNAL = -9  /* a broken invariant: a bug in consentry */
} cs_err_t;

/* A short, static description of an error code. Never NULL. */
const char *cs_strerror(int err);

/* The CLI exit status for an error code: 0 ok, 1 runtime failure,
 * 2 bad usage or input, 3 refused by policy. */
int cs_exit_code(int err);

#define CS_DIAG_MAX 1024
typedef struct {
  char msg[CS_DIAG_MAX]; /* empty, or a one-line human explanation */
} cs_diag_t;

/* Formats into diag (if non-NULL) and returns err, so call sites read
 * `return cs_diag_set(d, CS_EINVAL, "%s:%zu: at: expected ...", ...);`. */
int cs_diag_set(cs_diag_t *diag, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "prefix: " in front of the current message (if any). */
void cs_diag_prefix(cs_diag_t *diag, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
