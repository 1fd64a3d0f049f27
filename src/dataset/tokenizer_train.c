/* tokenizer_train.c — learning merges from chunk frequencies.
 *
 * The classic BPE loop made incremental (as in Hugging Face tokenizers):
 *  - every distinct chunk is a "word": its symbols and how often it occurred;
 *  - a hash table holds, for every adjacent pair of symbols, its count (the
 *    sum over words of occurrences times the word's frequency) and a list of
 *    the words it appears in (which may hold stale or repeated entries; they
 *    are checked when used);
 *  - a max-heap orders pairs by (count desc, left asc, right asc). Entries go
 *    stale as counts change: an entry is used only if its count is the pair's
 *    current one; a stale entry whose pair still occurs is pushed again with
 *    the current count. Counts that rise push a fresh entry, so the heap
 *    always holds an entry at least as high as every pair's current count,
 *    and the first valid entry popped is the true maximum, ties included.
 * Merging pair (a, b) into m touches only the words on (a, b)'s list: each one
 * has its pair counts taken out, its symbols merged left to right, and its
 * counts put back; pairs new to the word (those with m) list it. Work per
 * merge is proportional to the words it changes, so tens of MB train in
 * seconds. Nothing depends on the order of words, so the result depends only
 * on the chunk counts.
 */
#include <stdlib.h>
#include <string.h>

#include "dataset/tokenizer_int.h"

typedef struct {
  uint32_t *v; /* word ids */
  uint32_t n, cap;
} wlist_t;

typedef struct {
  int64_t cnt;
  uint32_t a, b, idx;
} heap_ent_t;

typedef struct {
  /* words */
  uint32_t *sym;       /* all words' symbols, word w at sym[w_off[w]] */
  size_t *w_off;
  uint32_t *w_len, *w_stamp;
  uint64_t *w_cnt;
  size_t n_words;
  /* pairs: table slot -> pair index + 1 */
  uint32_t *slot;
  size_t slot_mask;
  uint32_t *pa, *pb, *p_stamp;
  int64_t *pcnt, *p_before;
  wlist_t *pocc;
  size_t n_pairs, pcap;
  uint32_t stamp;      /* 1 + the merge being applied */
  uint32_t *touched;
  size_t n_touched, touched_cap;
  heap_ent_t *heap;
  size_t heap_n, heap_cap;
  uint32_t *merges;    /* the result, two ids per merge */
  size_t n_merges;
} bpe_t;

#define NO_WORD UINT32_MAX

static size_t pair_hash(uint32_t a, uint32_t b) {
  uint64_t k = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull;
  return (size_t)(k >> 20);
}

static void bpe_free(bpe_t *t) {
  free(t->sym);
  free(t->w_off);
  free(t->w_len);
  free(t->w_stamp);
  free(t->w_cnt);
  free(t->slot);
  for (size_t i = 0; i < t->n_pairs; i++) free(t->pocc[i].v);
  free(t->pa);
  free(t->pb);
  free(t->p_stamp);
  free(t->pcnt);
  free(t->p_before);
  free(t->pocc);
  free(t->touched);
  free(t->heap);
  free(t->merges);
}

/* ---- the pair table ---- */

static int grow_slots(bpe_t *t) {
  size_t n = t->slot ? (t->slot_mask + 1) * 2 : 1 << 16;
  uint32_t *s = calloc(n, sizeof *s);
  if (!s) return CS_ENOMEM;
  for (size_t p = 0; p < t->n_pairs; p++) {
    size_t i = pair_hash(t->pa[p], t->pb[p]) & (n - 1);
    while (s[i]) i = (i + 1) & (n - 1);
    s[i] = (uint32_t)(p + 1);
  }
  free(t->slot);
  t->slot = s;
  t->slot_mask = n - 1;
  return CS_OK;
}

static int grow_pairs(bpe_t *t) {
  size_t n = t->pcap ? t->pcap * 2 : 1 << 16;
  if (n > UINT32_MAX - 1) return CS_ERANGE;
#define RE(field)                                                     \
  do {                                                                \
    void *p_ = realloc(t->field, n * sizeof *t->field);               \
    if (!p_) return CS_ENOMEM;                                        \
    t->field = p_;                                                    \
  } while (0)
  RE(pa); RE(pb); RE(p_stamp); RE(pcnt); RE(p_before); RE(pocc);
#undef RE
  t->pcap = n;
  return CS_OK;
}

/* The index of pair (a, b), added with count 0 if new. */
static int pair_get(bpe_t *t, uint32_t a, uint32_t b, uint32_t *out) {
  size_t i = pair_hash(a, b) & t->slot_mask;
  for (uint32_t s; (s = t->slot[i]) != 0; i = (i + 1) & t->slot_mask) {
    if (t->pa[s - 1] == a && t->pb[s - 1] == b) {
      *out = s - 1;
      return CS_OK;
    }
  }
  int rc;
  if (t->n_pairs == t->pcap && (rc = grow_pairs(t)) < 0) return rc;
  size_t p = t->n_pairs++;
  t->pa[p] = a;
  t->pb[p] = b;
  t->p_stamp[p] = 0;
  t->pcnt[p] = 0;
  t->pocc[p] = (wlist_t){0};
  t->slot[i] = (uint32_t)(p + 1);
  *out = (uint32_t)p;
  if (t->n_pairs * 2 > t->slot_mask + 1) return grow_slots(t);
  return CS_OK;
}

static int list_add(wlist_t *l, uint32_t w) {
  if (l->n && l->v[l->n - 1] == w) return CS_OK;
  if (l->n == l->cap) {
    uint32_t n = l->cap ? l->cap * 2 : 4;
    if (n < l->cap) return CS_ERANGE;
    uint32_t *v = realloc(l->v, (size_t)n * sizeof *v);
    if (!v) return CS_ENOMEM;
    l->v = v;
    l->cap = n;
  }
  l->v[l->n++] = w;
  return CS_OK;
}

/* Adds delta to pair (a, b), remembering its count before this merge; lists
 * word w under it unless w is NO_WORD. */
static int bump(bpe_t *t, uint32_t a, uint32_t b, int64_t delta, uint32_t w) {
  uint32_t p;
  int rc = pair_get(t, a, b, &p);
  if (rc < 0) return rc;
  if (t->p_stamp[p] != t->stamp) {
    if ((rc = cs__grow((void **)&t->touched, &t->touched_cap, t->n_touched, 1,
                       sizeof *t->touched)) < 0)
      return rc;
    t->p_stamp[p] = t->stamp;
    t->p_before[p] = t->pcnt[p];
    t->touched[t->n_touched++] = p;
  }
  t->pcnt[p] += delta;
  return w == NO_WORD ? CS_OK : list_add(&t->pocc[p], w);
}

/* ---- the heap ---- */

static bool above(const heap_ent_t *x, const heap_ent_t *y) {
  if (x->cnt != y->cnt) return x->cnt > y->cnt;
  if (x->a != y->a) return x->a < y->a;
  return x->b < y->b;
}

static int heap_push(bpe_t *t, uint32_t p) {
  int rc = cs__grow((void **)&t->heap, &t->heap_cap, t->heap_n, 1, sizeof *t->heap);
  if (rc < 0) return rc;
  heap_ent_t e = {t->pcnt[p], t->pa[p], t->pb[p], p};
  size_t i = t->heap_n++;
  while (i > 0 && above(&e, &t->heap[(i - 1) / 2])) {
    t->heap[i] = t->heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  t->heap[i] = e;
  return CS_OK;
}

static heap_ent_t heap_pop(bpe_t *t) {
  heap_ent_t top = t->heap[0], last = t->heap[--t->heap_n];
  size_t i = 0, n = t->heap_n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && above(&t->heap[c + 1], &t->heap[c])) c++;
    if (!above(&t->heap[c], &last)) break;
    t->heap[i] = t->heap[c];
    i = c;
  }
  if (n) t->heap[i] = last;
  return top;
}

/* The most frequent pair now, or false when none is left. */
static int best_pair(bpe_t *t, heap_ent_t *out, bool *found) {
  *found = false;
  while (t->heap_n) {
    heap_ent_t e = heap_pop(t);
    int64_t cur = t->pcnt[e.idx];
    if (cur == e.cnt) {
      *out = e;
      *found = true;
      return CS_OK;
    }
    if (cur > 0 && cur < e.cnt) {
      int rc = heap_push(t, e.idx);
      if (rc < 0) return rc;
    }
  }
  return CS_OK;
}

/* ---- words ---- */

static int load_words(bpe_t *t, const cs_tok_trainer_t *tr) {
  size_t n_sym = 0, n_words = 0;
  for (size_t i = 0; i <= tr->mask; i++)
    if (tr->slots[i].count && tr->slots[i].len >= 2) {
      n_words++;
      n_sym += tr->slots[i].len;
    }
  if (n_words >= NO_WORD) return CS_ERANGE;
  t->sym = malloc((n_sym + 1) * sizeof *t->sym);
  t->w_off = malloc((n_words + 1) * sizeof *t->w_off);
  t->w_len = malloc((n_words + 1) * sizeof *t->w_len);
  t->w_stamp = calloc(n_words + 1, sizeof *t->w_stamp);
  t->w_cnt = malloc((n_words + 1) * sizeof *t->w_cnt);
  if (!t->sym || !t->w_off || !t->w_len || !t->w_stamp || !t->w_cnt) return CS_ENOMEM;
  size_t at = 0;
  for (size_t i = 0; i <= tr->mask; i++) {
    const cs__chunk_slot_t *s = &tr->slots[i];
    if (!s->count || s->len < 2) continue;
    t->w_off[t->n_words] = at;
    t->w_len[t->n_words] = s->len;
    t->w_cnt[t->n_words++] = s->count;
    for (uint32_t j = 0; j < s->len; j++) t->sym[at++] = tr->arena[s->off + j];
  }
  return CS_OK;
}

static int count_pairs(bpe_t *t) {
  int rc = grow_slots(t);
  for (size_t w = 0; rc == CS_OK && w < t->n_words; w++) {
    const uint32_t *s = t->sym + t->w_off[w];
    for (uint32_t i = 0; rc == CS_OK && i + 1 < t->w_len[w]; i++)
      rc = bump(t, s[i], s[i + 1], (int64_t)t->w_cnt[w], (uint32_t)w);
  }
  for (size_t p = 0; rc == CS_OK && p < t->n_pairs; p++) rc = heap_push(t, (uint32_t)p);
  t->n_touched = 0;
  return rc;
}

/* Applies merge (a, b) -> m to word w, if it still holds the pair. */
static int merge_word(bpe_t *t, uint32_t w, uint32_t a, uint32_t b, uint32_t m) {
  uint32_t *s = t->sym + t->w_off[w], n = t->w_len[w], i, j;
  int64_t c = (int64_t)t->w_cnt[w];
  for (i = 0; i + 1 < n && !(s[i] == a && s[i + 1] == b); i++) {
  }
  if (i + 1 >= n) return CS_OK; /* a stale entry */
  int rc = CS_OK;
  for (i = 0; rc == CS_OK && i + 1 < n; i++) rc = bump(t, s[i], s[i + 1], -c, NO_WORD);
  for (i = 0, j = 0; i < n; j++) {
    bool hit = i + 1 < n && s[i] == a && s[i + 1] == b;
    s[j] = hit ? m : s[i];
    i += hit ? 2 : 1;
  }
  t->w_len[w] = n = j;
  for (i = 0; rc == CS_OK && i + 1 < n; i++)
    rc = bump(t, s[i], s[i + 1], c, (s[i] == m || s[i + 1] == m) ? w : NO_WORD);
  return rc;
}

static int apply_merge(bpe_t *t, const heap_ent_t *e) {
  uint32_t m = (uint32_t)(CS_TOK_FIRST_MERGE + t->n_merges);
  t->merges[2 * t->n_merges] = e->a;
  t->merges[2 * t->n_merges + 1] = e->b;
  t->n_merges++;
  t->stamp++;
  t->n_touched = 0;
  wlist_t list = t->pocc[e->idx]; /* detached: the pair never forms again */
  t->pocc[e->idx] = (wlist_t){0};
  int rc = CS_OK;
  for (uint32_t k = 0; rc == CS_OK && k < list.n; k++) {
    uint32_t w = list.v[k];
    if (t->w_stamp[w] == t->stamp) continue;
    t->w_stamp[w] = t->stamp;
    rc = merge_word(t, w, e->a, e->b, m);
  }
  free(list.v);
  for (size_t k = 0; rc == CS_OK && k < t->n_touched; k++) {
    uint32_t p = t->touched[k];
    if (t->pcnt[p] > t->p_before[p]) rc = heap_push(t, p);
  }
  return rc;
}

static int learn(bpe_t *t, const cs_tok_train_opts_t *opts, size_t target, uint64_t min_count,
                 bool *early) {
  cs_tok_train_progress_t prog = {1, 0, t->n_words, 0, target};
  *early = false;
  while (t->n_merges < target) {
    heap_ent_t e;
    bool found;
    int rc = best_pair(t, &e, &found);
    if (rc < 0) return rc;
    if (!found || (uint64_t)e.cnt < min_count) {
      *early = true;
      break;
    }
    if ((rc = apply_merge(t, &e)) < 0) return rc;
    if (opts->progress && (t->n_merges & 255) == 0) {
      prog.merges_done = t->n_merges;
      opts->progress(opts->progress_ctx, &prog);
    }
  }
  prog.merges_done = t->n_merges;
  if (opts->progress) opts->progress(opts->progress_ctx, &prog);
  return CS_OK;
}

int cs_tok_trainer_finish(cs_tok_trainer_t *tr, const cs_tok_train_opts_t *opts,
                          cs_tokenizer_t **out, cs_tok_train_stats_t *stats, cs_diag_t *diag) {
  if (opts->vocab < CS_TOK_FIRST_MERGE || opts->vocab > CS_TOK_MAX_VOCAB)
    return cs_diag_set(diag, CS_ERANGE,
                       "vocab: expected %d (bytes and special tokens) to %d (uint16 shards), "
                       "got %zu",
                       CS_TOK_FIRST_MERGE, CS_TOK_MAX_VOCAB, opts->vocab);
  size_t target = opts->vocab - CS_TOK_FIRST_MERGE;
  uint64_t min_count = opts->min_count ? opts->min_count : 2;
  bpe_t t = {0};
  bool early = false;
  int rc = load_words(&t, tr);
  if (rc == CS_OK && !(t.merges = malloc((2 * target + 1) * sizeof *t.merges))) rc = CS_ENOMEM;
  if (rc == CS_OK) rc = count_pairs(&t);
  if (rc == CS_OK) rc = learn(&t, opts, target, min_count, &early);
  if (rc == CS_OK) rc = cs_tokenizer_from_merges(t.merges, t.n_merges, out, diag);
  else cs_diag_set(diag, rc, "training failed: %s", cs_strerror(rc));
  if (rc == CS_OK && stats)
    *stats = (cs_tok_train_stats_t){tr->bytes, tr->chunks, tr->used, t.n_merges, early};
  bpe_free(&t);
  return rc;
}
