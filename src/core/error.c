/* error.c — the error table and diagnostics (see error.h). */
#include <consentry/error.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
  int code;
  int exit_code;
  const char *msg;
} error_table[] = {
    {CS_OK, 0, "success"},
    {CS_ENOMEM, 1, "out of memory"},
    {CS_EINVAL, 2, "invalid input"},
    {CS_EIO, 1, "input/output error"},
    {CS_EDB, 1, "ledger store error"},
    {CS_EREFUSED, 3, "refused by policy"},
    {CS_ENOTFOUND, 2, "not found"},
    {CS_ESCHEMA, 1, "ledger schema is newer than this consentry"},
    {CS_ERANGE, 2, "value out of range"},
    {CS_EINTERNAL, 1, "internal error"},
};

const char *cs_strerror(int err) {
  for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
    if (error_table[i].code == err) return error_table[i].msg;
  return "unknown error";
}

int cs_exit_code(int err) {
  for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
    if (error_table[i].code == err) return error_table[i].exit_code;
  return 1;
}

int cs_diag_set(cs_diag_t *diag, int err, const char *fmt, ...) {
  if (diag) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
    va_end(ap);
  }
  return err;
}

void cs_diag_prefix(cs_diag_t *diag, const char *fmt, ...) {
  if (!diag) return;
  char prefix[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  /* Build "prefix: old" by moving the old message right, truncating it. */
  size_t plen = strlen(prefix), olen = strlen(diag->msg);
  if (plen + 2 >= sizeof diag->msg) plen = sizeof diag->msg - 3;
  size_t keep = olen;
  if (plen + 2 + keep >= sizeof diag->msg) keep = sizeof diag->msg - plen - 3;
  memmove(diag->msg + plen + (olen ? 2 : 0), diag->msg, keep);
  memcpy(diag->msg, prefix, plen);
  if (olen) memcpy(diag->msg + plen, ": ", 2);
  diag->msg[plen + (olen ? 2 + keep : 0)] = '\0';
}
