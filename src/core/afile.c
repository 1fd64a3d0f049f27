/* afile.c — temporary-file-and-rename output (afile.h). */
#include <consentry/afile.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cs_afile {
  FILE *f;
  char *path;
  char *tmp;
};

int cs_afile_open(const char *path, cs_afile_t **out, cs_diag_t *diag) {
  cs_afile_t *af = calloc(1, sizeof *af);
  size_t n = strlen(path);
  if (!af) return CS_ENOMEM;
  af->path = strdup(path);
  af->tmp = malloc(n + sizeof ".tmp.XXXXXX");
  if (!af->path || !af->tmp) {
    cs_afile_abort(af);
    return CS_ENOMEM;
  }
  memcpy(af->tmp, path, n);
  memcpy(af->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
  int fd = mkstemp(af->tmp);
  if (fd < 0) {
    int e = errno;
    free(af->tmp);
    af->tmp = NULL;
    cs_afile_abort(af);
    return cs_diag_set(diag, CS_EIO, "%s: cannot create: %s", path, strerror(e));
  }
  /* mkstemp makes 0600; the published file gets the usual 0666 less umask. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    int e = errno;
    close(fd);
    cs_afile_abort(af);
    return cs_diag_set(diag, CS_EIO, "%s: cannot set mode: %s", path, strerror(e));
  }
  af->f = fdopen(fd, "wb");
  if (!af->f) {
    close(fd);
    cs_afile_abort(af);
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  }
  setvbuf(af->f, NULL, _IOFBF, 1 << 20);
  *out = af;
  return CS_OK;
}

FILE *cs_afile_stream(cs_afile_t *af) { return af->f; }

int cs_afile_commit(cs_afile_t *af, cs_diag_t *diag) {
  int rc = CS_OK;
  if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed: %s", af->path, strerror(errno));
  if (fclose(af->f) != 0 && rc == CS_OK)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed: %s", af->path, strerror(errno));
  af->f = NULL;
  if (rc == CS_OK && rename(af->tmp, af->path) != 0)
    rc = cs_diag_set(diag, CS_EIO, "%s: rename failed: %s", af->path, strerror(errno));
  if (rc == CS_OK) {
    free(af->tmp);
    af->tmp = NULL;
  }
  cs_afile_abort(af);
  return rc;
}

void cs_afile_abort(cs_afile_t *af) {
  if (!af) return;
  if (af->f) fclose(af->f);
  if (af->tmp) unlink(af->tmp);
  free(af->tmp);
  free(af->path);
  free(af);
}
