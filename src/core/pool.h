/* pool.h — an ordered parallel pipeline over chunks of lines (internal).
 *
 * Input files are cut into chunks of whole lines (~1 MiB). Each chunk is
 * processed by `work` into an output object on one of `threads` workers (each
 * with its own state from worker_new), and `merge` consumes the outputs on
 * the calling thread strictly in input order, so results never depend on the
 * thread count or on timing. With threads <= 1 everything runs on the calling
 * thread without copying. At most 2 x threads chunks are in flight, so memory
 * stays flat.
 *
 * If work fails on a chunk, that chunk's output (what it did before the
 * failure) is merged, then the error is returned; nothing later is merged.
 */
#ifndef CS_CORE_POOL_H
#define CS_CORE_POOL_H

#include <stddef.h>

#include <consentry/error.h>

typedef struct {
  unsigned threads;
  void *arg;                             /* passed to worker_new and out_new */
  void *(*worker_new)(void *arg);        /* per-worker state; NULL: out of memory */
  void (*worker_free)(void *worker);
  void *(*out_new)(void *arg);           /* one output object per chunk slot */
  void (*out_free)(void *out);
  /* Processes the whole lines [data, data + len), the first being line
   * first_line of path, into out. */
  int (*work)(void *worker, const char *path, const char *data, size_t len, size_t first_line,
              void *out, cs_diag_t *diag);
  /* Consumes out (and leaves it ready for reuse); bytes: the input bytes the
   * chunk covered, newlines included. */
  int (*merge)(void *ctx, const char *path, void *out, unsigned long long bytes, cs_diag_t *diag);
  void *merge_ctx;
} cs__pool_t;

/* out_new / out_free for pools whose chunk output is one cs_buf_t. */
void *cs__pool_buf_new(void *arg);
void cs__pool_buf_free(void *out);

CS_MUST_USE int cs__pool_run(const cs__pool_t *p, const char *const *paths, size_t n_paths,
                             cs_diag_t *diag);

#endif
