/* eval.c — scoring redaction against labelled spans, Presidio's way.
 *
 * A C rendering of presidio-research's span evaluator (see redact.h for the
 * rules), so that our precision, recall and F2 on Presidio's own benchmark
 * compare with the figures Presidio publishes. Differences, all small: our
 * tokenizer splits on whitespace and punctuation instead of spaCy's, IoU is
 * over byte rather than code-point extents, and the skip-word list carries
 * the commonest English stop words rather than all of spaCy's.
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_OTHER 32

struct cs_redact_eval {
  double iou;
  size_t records;
  size_t ann[CS_PII_N_TYPES], pred[CS_PII_N_TYPES], tp[CS_PII_N_TYPES];
  size_t pii_ann, pii_pred, pii_tp; /* type-agnostic */
  size_t look_total, look_kept;
  size_t clean, clean_changed; /* records with no personal data; those we changed anyway */
  size_t n_other;
  char other_name[MAX_OTHER][32];
  size_t other_ann[MAX_OTHER], other_hit[MAX_OTHER];
  FILE *misses; /* diagnostic output (benchmark data only), or NULL */
};

static const char *const skip_words[] = {
    "'s", "street", "st.", "st", "de", "rue", "via", "and", "a", "the", "or", "do", "as", "of",
    "day", "address", "country", "state", "city", "zip", "po", "apt", "unit", "corner", "p.o.",
    "box", "suite", "mr.", "mrs.", "miss", "year", "years", "y/o", "month", "months", "old",
    "morning", "noon", "afternoon", "night", "evening", "this", "first", "last", "week",
    "weeks", "weekend", "days", "age", "ago", "inc", "inc.", "ltd",
    /* the commonest of spaCy's English stop words */
    "i", "me", "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
    "they", "them", "their", "what", "which", "who", "whom", "that", "these", "those", "am",
    "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "does", "did",
    "an", "but", "if", "because", "until", "while", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below",
    "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further",
    "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both",
    "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own",
    "same", "so", "than", "too", "very", "can", "will", "just", "should", "now", "mr", "mrs",
    "ms", "dr", NULL};

static const struct {
  const char *label;
  int type;
} label_map[] = {
    {"PERSON", CS_PII_PERSON},        {"EMAIL_ADDRESS", CS_PII_EMAIL},
    {"PHONE_NUMBER", CS_PII_PHONE},   {"CREDIT_CARD", CS_PII_CREDIT_CARD},
    {"IBAN_CODE", CS_PII_IBAN},       {"US_SSN", CS_PII_SSN},
    {"IP_ADDRESS", CS_PII_IP},        {"STREET_ADDRESS", CS_PII_ADDRESS},
    {"ZIP_CODE", CS_PII_ADDRESS},     {"DOMAIN_NAME", CS_PII_URL},
    {"UK_NINO", CS_PII_NINO},
};

int cs_redact_eval_new(double iou_threshold, cs_redact_eval_t **out) {
  if (!(iou_threshold > 0 && iou_threshold <= 1)) return CS_EINVAL;
  cs_redact_eval_t *e = calloc(1, sizeof *e);
  if (!e) return CS_ENOMEM;
  e->iou = iou_threshold;
  *out = e;
  return CS_OK;
}

void cs_redact_eval_free(cs_redact_eval_t *e) { free(e); }

void cs_redact_eval_set_misses(cs_redact_eval_t *e, FILE *f) { e->misses = f; }

/* Our type for a label, or -1 - (index of a not-personal-data label). */
static int map_label(cs_redact_eval_t *e, const char *label) {
  cs_pii_type_t t;
  if (cs_pii_type_parse(label, strlen(label), &t) == CS_OK) return (int)t;
  for (size_t i = 0; i < sizeof label_map / sizeof label_map[0]; i++)
    if (strcmp(label, label_map[i].label) == 0) return label_map[i].type;
  for (size_t i = 0; i < e->n_other; i++)
    if (strcmp(e->other_name[i], label) == 0) return -1 - (int)i;
  if (e->n_other == MAX_OTHER) return -1 - (MAX_OTHER - 1);
  snprintf(e->other_name[e->n_other], sizeof e->other_name[0], "%s", label);
  return -1 - (int)e->n_other++;
}

/* ---- tokens and spans ---- */

typedef struct {
  size_t s, e;
  bool skip;
  int gold, pred; /* label per token; NO_LABEL for none */
} etok_t;

#define NO_LABEL (-1000)

typedef struct {
  int type;
  size_t t0, t1;   /* token range */
  size_t ns, ne;   /* normalised byte extent */
  bool matched;
} espan_t;

static bool is_punct(unsigned char c) { return c < 0x80 && c > 0x20 && !((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9'); }
static bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static bool skip_word(const char *s, size_t n) {
  if (n == 1 && is_punct((unsigned char)s[0])) return true;
  for (const char *const *w = skip_words; *w; w++)
    if (strlen(*w) == n && strncasecmp(*w, s, n) == 0) return true;
  return false;
}

static int push_tok(etok_t **v, size_t *n, size_t *cap, const char *text, size_t s, size_t e) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 128;
    etok_t *nv = realloc(*v, nc * sizeof *nv);
    if (!nv) return CS_ENOMEM;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = (etok_t){s, e, skip_word(text + s, e - s), NO_LABEL, NO_LABEL};
  return CS_OK;
}

static int tokenize(const char *t, size_t len, etok_t **v, size_t *n) {
  size_t cap = 0;
  *n = 0;
  *v = NULL;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)t[i];
    if (is_space(c)) { i++; continue; }
    size_t j = i + 1;
    if (!is_punct(c)) {
      while (j < len && !is_space((unsigned char)t[j]) &&
             (!is_punct((unsigned char)t[j]) || t[j] == '\'' || t[j] == '-' || t[j] == '@' ||
              (t[j] == '.' && j + 1 < len && !is_space((unsigned char)t[j + 1]) && !is_punct((unsigned char)t[j + 1]))))
        j++;
      if (j - i > 2 && t[j - 2] == '\'' && (t[j - 1] | 32) == 's') j -= 2; /* split 's */
    } else if (c == '\'' && j < len && (t[j] | 32) == 's' &&
               (j + 1 == len || is_space((unsigned char)t[j + 1]) ||
                is_punct((unsigned char)t[j + 1]))) {
      j++;
    }
    if (push_tok(v, n, &cap, t, i, j) < 0) return CS_ENOMEM;
    i = j;
  }
  return CS_OK;
}

static void label_tokens(etok_t *tk, size_t n, const cs_eval_span_t *g, const int *gt,
                         size_t ng, const cs_pii_match_t *p, size_t np) {
  for (size_t k = 0; k < n; k++) {
    for (size_t i = 0; i < ng && tk[k].gold == NO_LABEL; i++)
      if (tk[k].s < g[i].end && tk[k].e > g[i].start) tk[k].gold = gt[i];
    for (size_t i = 0; i < np && tk[k].pred == NO_LABEL; i++)
      if (tk[k].s < p[i].end && tk[k].e > p[i].start) tk[k].pred = (int)p[i].type;
  }
}

static bool only_skips(const etok_t *tk, size_t a, size_t b) {
  for (size_t k = a; k < b; k++)
    if (!tk[k].skip) return false;
  return true;
}

/* Runs of one label become spans; skip-only runs vanish; neighbours merge. */
static int make_spans(const etok_t *tk, size_t n, bool gold, espan_t **out, size_t *nout) {
  espan_t *v = calloc(n ? n : 1, sizeof *v);
  if (!v) return CS_ENOMEM;
  size_t ns = 0;
  for (size_t k = 0; k < n;) {
    int lab = gold ? tk[k].gold : tk[k].pred;
    size_t j = k + 1;
    while (j < n && (gold ? tk[j].gold : tk[j].pred) == lab) j++;
    if (lab != NO_LABEL && !only_skips(tk, k, j)) {
      espan_t sp = {lab, k, j, SIZE_MAX, 0, false};
      for (size_t i = k; i < j; i++)
        if (!tk[i].skip) {
          if (tk[i].s < sp.ns) sp.ns = tk[i].s;
          if (tk[i].e > sp.ne) sp.ne = tk[i].e;
        }
      if (ns > 0 && v[ns - 1].type == lab && only_skips(tk, v[ns - 1].t1, k)) {
        v[ns - 1].t1 = j;
        v[ns - 1].ne = sp.ne;
      } else {
        v[ns++] = sp;
      }
    }
    k = j;
  }
  *out = v;
  *nout = ns;
  return CS_OK;
}

static size_t overlap(size_t a0, size_t a1, size_t b0, size_t b1) {
  size_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
}

/* Greedy match of gold g against unmatched predictions (same type unless
 * any_type), adding each overlapping prediction that raises the IoU. */
static bool match_one(const espan_t *g, espan_t *p, size_t np, bool any_type, double thr) {
  size_t inter = 0, psum = 0, used[64], nu = 0;
  double best = 0;
  for (size_t i = 0; i < np && nu < 64; i++) {
    if (p[i].matched || (!any_type && p[i].type != g->type) || (any_type && p[i].type < 0))
      continue;
    size_t ov = overlap(g->ns, g->ne, p[i].ns, p[i].ne);
    if (!ov) continue;
    size_t pl = p[i].ne - p[i].ns;
    double iou = (double)(inter + ov) / (double)((g->ne - g->ns) + psum + pl - inter - ov);
    if (iou > best) {
      best = iou;
      inter += ov;
      psum += pl;
      used[nu++] = i;
    }
  }
  if (best < thr || nu == 0) return false;
  for (size_t k = 0; k < nu; k++) p[used[k]].matched = true;
  return true;
}

static const char *type_label(cs_redact_eval_t *e, int t) {
  return t >= 0 ? cs_pii_type_name((cs_pii_type_t)t) : e->other_name[-1 - t];
}

/* Bytes with newlines and tabs shown as \n and \t, so one span is one line. */
static void put_escaped(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') fputs("\\n", f);
    else if (s[i] == '\t') fputs("\\t", f);
    else fputc(s[i], f);
  }
}

/* One diagnostic line: kind, type, byte extent, the span in [] with up to 40
 * bytes either side, and the predictions (or gold spans) overlapping it. */
static void print_miss(cs_redact_eval_t *e, const char *kind, const espan_t *sp, const char *text,
                       size_t len, const espan_t *other, size_t n_other) {
  size_t a = sp->ns > 40 ? sp->ns - 40 : 0, b = sp->ne + 40 < len ? sp->ne + 40 : len;
  fprintf(e->misses, "%s %s %zu %zu \"", kind, type_label(e, sp->type), sp->ns, sp->ne);
  put_escaped(e->misses, text + a, sp->ns - a);
  fputc('[', e->misses);
  put_escaped(e->misses, text + sp->ns, sp->ne - sp->ns);
  fputc(']', e->misses);
  put_escaped(e->misses, text + sp->ne, b - sp->ne);
  fputc('"', e->misses);
  for (size_t i = 0; i < n_other; i++)
    if (overlap(sp->ns, sp->ne, other[i].ns, other[i].ne)) {
      fprintf(e->misses, " | %s \"", type_label(e, other[i].type));
      put_escaped(e->misses, text + other[i].ns, other[i].ne - other[i].ns);
      fputc('"', e->misses);
    }
  fputc('\n', e->misses);
}

static void print_misses(cs_redact_eval_t *e, const char *text, size_t len, const espan_t *g,
                         size_t ng, const espan_t *p, size_t np, const bool *g_found) {
  for (size_t i = 0; i < ng; i++)
    if (g[i].type >= 0 && !g_found[i]) print_miss(e, "MISS", &g[i], text, len, p, np);
  for (size_t i = 0; i < np; i++) {
    if (p[i].matched) continue;
    bool other = false;
    for (size_t k = 0; k < ng && !other; k++)
      other = g[k].type < 0 && overlap(g[k].ns, g[k].ne, p[i].ns, p[i].ne);
    if (!other) print_miss(e, "FP", &p[i], text, len, g, ng);
  }
}

static void score_typed(cs_redact_eval_t *e, espan_t *g, size_t ng, espan_t *p, size_t np,
                        const char *text, size_t len) {
  bool found[64] = {false};
  for (size_t i = 0; i < ng; i++) {
    if (g[i].type < 0) continue;
    e->ann[g[i].type]++;
    bool hit = match_one(&g[i], p, np, false, e->iou);
    if (hit) e->tp[g[i].type]++;
    if (i < 64) found[i] = hit;
  }
  if (e->misses) print_misses(e, text, len, g, ng < 64 ? ng : 64, p, np, found);
  for (size_t i = 0; i < np; i++) {
    if (p[i].matched) continue;
    /* an unmatched prediction on a not-personal-data entity is tallied there */
    int other = 0;
    for (size_t k = 0; k < ng && !other; k++)
      if (g[k].type < 0 && overlap(g[k].ns, g[k].ne, p[i].ns, p[i].ne)) other = g[k].type;
    if (!other) e->pred[p[i].type]++;
  }
  for (size_t i = 0; i < np; i++)
    if (p[i].matched) e->pred[p[i].type]++;
}

static void score_any(cs_redact_eval_t *e, espan_t *g, size_t ng, espan_t *p, size_t np) {
  for (size_t i = 0; i < np; i++) p[i].matched = false;
  for (size_t i = 0; i < ng; i++) {
    if (g[i].type < 0) continue;
    e->pii_ann++;
    if (match_one(&g[i], p, np, true, e->iou)) e->pii_tp++;
  }
  for (size_t i = 0; i < np; i++) {
    bool other = false;
    for (size_t k = 0; k < ng && !other; k++)
      other = g[k].type < 0 && !p[i].matched && overlap(g[k].ns, g[k].ne, p[i].ns, p[i].ne);
    if (!other) e->pii_pred++;
  }
}

static void tally_other(cs_redact_eval_t *e, const cs_eval_span_t *g, const int *gt, size_t ng,
                        const cs_pii_match_t *p, size_t np) {
  for (size_t i = 0; i < ng; i++) {
    if (gt[i] >= 0) continue;
    size_t o = (size_t)(-1 - gt[i]);
    e->other_ann[o]++;
    for (size_t k = 0; k < np; k++)
      if (overlap(g[i].start, g[i].end, p[k].start, p[k].end)) {
        e->other_hit[o]++;
        break;
      }
  }
}

static void tally_lookalikes(cs_redact_eval_t *e, const cs_eval_span_t *l, size_t nl,
                             const cs_pii_match_t *p, size_t np) {
  for (size_t i = 0; i < nl; i++) {
    bool hit = false;
    for (size_t k = 0; k < np && !hit; k++) hit = overlap(l[i].start, l[i].end, p[k].start, p[k].end) > 0;
    e->look_total++;
    e->look_kept += !hit;
  }
}

int cs_redact_eval_add(cs_redact_eval_t *e, const char *text, size_t len,
                       const cs_eval_span_t *gold, size_t n_gold,
                       const cs_eval_span_t *lookalikes, size_t n_lookalikes,
                       const cs_pii_match_t *pred, size_t n_pred) {
  etok_t *tk = NULL;
  espan_t *gs = NULL, *ps = NULL;
  size_t nt = 0, ngs = 0, nps = 0;
  int *gt = malloc((n_gold ? n_gold : 1) * sizeof *gt);
  int rc = gt ? tokenize(text, len, &tk, &nt) : CS_ENOMEM;
  if (rc < 0) goto out;
  for (size_t i = 0; i < n_gold; i++) gt[i] = map_label(e, gold[i].label);
  label_tokens(tk, nt, gold, gt, n_gold, pred, n_pred);
  rc = make_spans(tk, nt, true, &gs, &ngs);
  if (rc == CS_OK) rc = make_spans(tk, nt, false, &ps, &nps);
  if (rc < 0) goto out;
  score_typed(e, gs, ngs, ps, nps, text, len);
  score_any(e, gs, ngs, ps, nps);
  tally_other(e, gold, gt, n_gold, pred, n_pred);
  tally_lookalikes(e, lookalikes, n_lookalikes, pred, n_pred);
  bool clean = true;
  for (size_t i = 0; i < n_gold; i++) clean &= gt[i] < 0;
  e->clean += clean;
  e->clean_changed += clean && n_pred > 0;
  e->records++;
out:
  free(gt);
  free(tk);
  free(gs);
  free(ps);
  return rc;
}

static void stats(size_t ann, size_t pred, size_t tp, cs_eval_stats_t *o) {
  o->annotated = ann;
  o->predicted = pred;
  o->true_pos = tp;
  o->precision = pred ? (double)tp / (double)pred : (ann ? 0 : 1);
  o->recall = ann ? (double)tp / (double)ann : 1;
  double p = o->precision, r = o->recall;
  o->f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  o->f2 = p + r > 0 ? 5 * p * r / (4 * p + r) : 0;
}

void cs_redact_eval_type(const cs_redact_eval_t *e, cs_pii_type_t t, cs_eval_stats_t *out) {
  stats(e->ann[t], e->pred[t], e->tp[t], out);
}

void cs_redact_eval_total(const cs_redact_eval_t *e, cs_eval_stats_t *out) {
  size_t a = 0, p = 0, t = 0;
  for (int i = 0; i < CS_PII_N_TYPES; i++) {
    a += e->ann[i];
    p += e->pred[i];
    t += e->tp[i];
  }
  stats(a, p, t, out);
}

static void row(FILE *f, const char *name, const cs_eval_stats_t *s) {
  fprintf(f, "%-12s %9zu %9zu %9zu %9.4f %9.4f %9.4f %9.4f\n", name, s->annotated, s->predicted,
          s->true_pos, s->precision, s->recall, s->f1, s->f2);
}

static void jrow(FILE *f, const char *name, const cs_eval_stats_t *s, bool comma) {
  fprintf(f,
          "\"%s\":{\"annotated\":%zu,\"predicted\":%zu,\"true_positives\":%zu,"
          "\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"f2\":%.4f}%s",
          name, s->annotated, s->predicted, s->true_pos, s->precision, s->recall, s->f1, s->f2,
          comma ? "," : "");
}

static void report_json(const cs_redact_eval_t *e, FILE *f) {
  cs_eval_stats_t s;
  fprintf(f, "{\"records\":%zu,\"iou_threshold\":%.2f,\"types\":{", e->records, e->iou);
  bool first = true;
  for (int t = 0; t < CS_PII_N_TYPES; t++) {
    if (!e->ann[t] && !e->pred[t]) continue;
    if (!first) fputc(',', f);
    first = false;
    cs_redact_eval_type(e, (cs_pii_type_t)t, &s);
    jrow(f, cs_pii_type_name((cs_pii_type_t)t), &s, false);
  }
  fputs("},", f);
  cs_redact_eval_total(e, &s);
  jrow(f, "total", &s, true);
  stats(e->pii_ann, e->pii_pred, e->pii_tp, &s);
  jrow(f, "pii_any_type", &s, true);
  fprintf(f, "\"lookalikes\":{\"total\":%zu,\"kept\":%zu,\"kept_share\":%.4f},",
          e->look_total, e->look_kept,
          e->look_total ? (double)e->look_kept / (double)e->look_total : 1.0);
  fprintf(f, "\"pii_free_records\":{\"total\":%zu,\"changed\":%zu,\"changed_share\":%.4f},"
             "\"not_personal\":{",
          e->clean, e->clean_changed, e->clean ? (double)e->clean_changed / (double)e->clean : 0.0);
  for (size_t i = 0; i < e->n_other; i++)
    fprintf(f, "%s\"%s\":{\"annotated\":%zu,\"redacted\":%zu}", i ? "," : "", e->other_name[i],
            e->other_ann[i], e->other_hit[i]);
  fputs("}}\n", f);
}

static void report_text(const cs_redact_eval_t *e, FILE *f) {
  cs_eval_stats_t s;
  fprintf(f, "records %zu, span IoU threshold %.2f (presidio-research span scoring)\n",
          e->records, e->iou);
  fprintf(f, "%-12s %9s %9s %9s %9s %9s %9s %9s\n", "type", "annotated", "predicted", "correct",
          "precision", "recall", "F1", "F2");
  for (int t = 0; t < CS_PII_N_TYPES; t++) {
    if (!e->ann[t] && !e->pred[t]) continue;
    cs_redact_eval_type(e, (cs_pii_type_t)t, &s);
    row(f, cs_pii_type_name((cs_pii_type_t)t), &s);
  }
  cs_redact_eval_total(e, &s);
  row(f, "TOTAL", &s);
  stats(e->pii_ann, e->pii_pred, e->pii_tp, &s);
  row(f, "PII(any type)", &s);
  if (e->look_total)
    fprintf(f, "look-alikes kept: %zu of %zu (%.4f)\n", e->look_kept, e->look_total,
            (double)e->look_kept / (double)e->look_total);
  if (e->clean)
    fprintf(f, "records without personal data changed: %zu of %zu (%.4f)\n", e->clean_changed,
            e->clean, (double)e->clean_changed / (double)e->clean);
  if (e->n_other) fprintf(f, "labels without a type of ours (annotated / redacted anyway):\n");
  for (size_t i = 0; i < e->n_other; i++)
    fprintf(f, "  %-18s %6zu %6zu\n", e->other_name[i], e->other_ann[i], e->other_hit[i]);
}

int cs_redact_eval_report(const cs_redact_eval_t *e, FILE *f, bool json) {
  if (json) report_json(e, f);
  else report_text(e, f);
  return ferror(f) ? CS_EIO : CS_OK;
}
