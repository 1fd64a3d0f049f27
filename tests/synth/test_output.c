/* Specification of the generated platform: every fact line is valid for a
 * strict ledger (fields, countries, times, booleans, order), the content
 * records are well formed, and every label's span holds what its type says,
 * at code point offsets. One run of a few thousand members is checked. */
#include <json-c/json.h>

#include <consentry/country.h>
#include <consentry/synth.h>
#include <consentry/time.h>

#include "check.h"
#include "synth/synth_int.h"
#include "synth_util.h"

#define MEMBERS 3000
#define RECORDS 30000

static char *dir;
static int8_t *known;       /* [member number]: 1 once its member fact was seen */
static int32_t *rec_member; /* [record number]: author number, -1 if unknown */

/* ---- Line iteration -------------------------------------------------------- */

typedef void (*line_fn)(json_object *o, size_t line_no);

static size_t each_line(const char *name, line_fn fn) {
  size_t len = 0, n = 0;
  char *buf = slurp(path_in(dir, name), &len);
  CHECK(buf != NULL);
  if (!buf) return 0;
  for (char *p = buf; p < buf + len;) {
    char *nl = memchr(p, '\n', (size_t)(buf + len - p));
    CHECK(nl != NULL); /* every line ends in a newline */
    if (!nl) break;
    *nl = '\0';
    json_object *o = json_tokener_parse(p);
    CHECK(o && json_object_is_type(o, json_type_object));
    if (o) fn(o, ++n);
    json_object_put(o);
    p = nl + 1;
  }
  free(buf);
  return n;
}

static const char *str(json_object *o, const char *key) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

/* Exactly these keys (comma-separated), optional ones marked with '?'. */
static bool keys_are(json_object *o, const char *want) {
  char buf[256];
  snprintf(buf, sizeof buf, ",%s,", want);
  size_t required = 0, found = 0;
  for (const char *p = buf; *p; p++) required += *p == ',' && p[1] && p[1] != '?';
  json_object_object_foreach(o, k, v) {
    (void)v;
    char key[64], opt[64];
    snprintf(key, sizeof key, ",%s,", k);
    snprintf(opt, sizeof opt, ",?%s,", k);
    if (strstr(buf, key)) found++;
    else if (!strstr(buf, opt)) return false;
  }
  return found == required;
}

/* ---- Facts --------------------------------------------------------------- */

static struct {
  size_t members, excluded, minors, offsets, moves_out_of_excluded, deletions;
  size_t by_type[8];
  cs_country_t home[MEMBERS + 1];
} fs;

static bool is_excluded(const char *cc) {
  static const char *const ex = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL "
                                "PT RO SK SI ES SE IS LI NO CH ";
  char k[4] = {cc[0], cc[1], ' ', 0};
  return strlen(cc) == 2 && strstr(ex, k) != NULL;
}

static bool time_ok(json_object *o, const char *key, cs_time_t *out) {
  const char *s = str(o, key);
  cs_time_t t;
  if (!s || cs_time_parse(s, strlen(s), &t) < 0) return false;
  if (s[strlen(s) - 1] != 'Z') fs.offsets++;
  if (out) *out = t;
  return true;
}

static bool country_ok(const char *s) {
  cs_country_t c;
  return s && cs_country_parse(s, strlen(s), &c) == 0;
}

/* The member a fact is about, which must already be known. */
static long member_of(json_object *o, const char *key) {
  const char *m = str(o, key);
  if (!m || m[0] != 'm' || strlen(m) != 8) return -1;
  long v = num_at(m + 1, 7);
  return v >= 1 && v <= MEMBERS ? v : -1;
}

static void fact_policy(json_object *o, size_t line) {
  CHECK_INT(line, 1);
  CHECK(keys_are(o, "type,version,purposes,published_at,effective_at"));
  cs_time_t pub = 0, eff = 0;
  CHECK(time_ok(o, "published_at", &pub) && time_ok(o, "effective_at", &eff));
  CHECK(eff >= pub + 30 * CS_NS_PER_DAY);
  json_object *p;
  CHECK(json_object_object_get_ex(o, "purposes", &p) && json_object_is_type(p, json_type_array));
  for (size_t i = 0; p && i < json_object_array_length(p); i++) {
    const char *s = json_object_get_string(json_object_array_get_idx(p, i));
    CHECK(!strcmp(s, "genai_training") || !strcmp(s, "personalization") ||
          !strcmp(s, "moderation"));
  }
}

static void fact_member(json_object *o) {
  CHECK(keys_are(o, "type,id,name,handle,email,country,?birth_date,joined_at"));
  long m = member_of(o, "id");
  CHECK(m > 0 && !known[m]);
  if (m <= 0) return;
  known[m] = 1;
  fs.members++;
  const char *cc = str(o, "country"), *bd = str(o, "birth_date");
  CHECK(cc && cs_country_parse(cc, strlen(cc), &fs.home[m]) == CS_OK);
  fs.excluded += cc && is_excluded(cc);
  CHECK(str(o, "name") && str(o, "handle") && str(o, "email") && strchr(str(o, "email"), '@'));
  int32_t days;
  if (bd) {
    CHECK(cs_date_parse(bd, strlen(bd), &days) == 0);
    fs.minors += strncmp(bd, "2007", 4) > 0;
  }
  CHECK(time_ok(o, "joined_at", NULL));
}

static void fact_about_member(json_object *o, const char *type) {
  long m = member_of(o, "member");
  CHECK(m > 0 && known[m]); /* the member fact came first */
  CHECK(time_ok(o, "at", NULL));
  const char *id = str(o, "id");
  CHECK(id != NULL);
  if (!strcmp(type, "location")) {
    CHECK(keys_are(o, "type,id,member,country,at"));
    CHECK(country_ok(str(o, "country")));
    char home[3];
    cs_country_str(m > 0 ? fs.home[m] : 0, home);
    fs.moves_out_of_excluded += is_excluded(home) && !is_excluded(str(o, "country"));
  } else if (!strcmp(type, "setting")) {
    CHECK(keys_are(o, "type,id,member,setting,value,at"));
    CHECK(!strcmp(str(o, "setting"), "genai_training"));
    json_object *v;
    CHECK(json_object_object_get_ex(o, "value", &v) && json_object_is_type(v, json_type_boolean));
  } else if (!strcmp(type, "objection")) {
    CHECK(keys_are(o, "type,id,member,purpose,at,?withdrawn"));
    const char *p = str(o, "purpose");
    CHECK(p && (!strcmp(p, "personalization") || !strcmp(p, "moderation")));
    json_object *v;
    if (json_object_object_get_ex(o, "withdrawn", &v))
      CHECK(json_object_is_type(v, json_type_boolean));
  } else if (!strcmp(type, "account_closed")) {
    CHECK(keys_are(o, "type,id,member,at"));
  } else {
    CHECK(!strcmp(type, "content_deleted"));
    CHECK(keys_are(o, "type,id,member,at"));
    long r = id && id[0] == 'r' && strlen(id) == 9 ? num_at(id + 1, 8) : -1;
    CHECK(r >= 1 && r <= RECORDS);
    if (r >= 1 && r <= RECORDS) CHECK_INT(rec_member[r], m); /* its author */
    fs.deletions++;
  }
}

static void on_fact(json_object *o, size_t line) {
  static const char *const types[] = {"policy",    "member",         "location",
                                      "setting",   "objection",      "content_deleted",
                                      "account_closed"};
  const char *type = str(o, "type");
  CHECK(type != NULL);
  if (!type) return;
  size_t k = 0;
  while (k < 7 && strcmp(type, types[k])) k++;
  CHECK(k < 7);
  fs.by_type[k]++;
  if (k == 0) fact_policy(o, line);
  else if (k == 1) fact_member(o);
  else if (k < 7) fact_about_member(o, type);
}

/* ---- Content and labels --------------------------------------------------- */

static struct {
  size_t records, unknown, late, pii_records, spans_after_non_ascii, handles;
  size_t by_label[CS_N_LABELS];
} cs;

static void on_record(json_object *o, size_t line) {
  CHECK(keys_are(o, "id,member,kind,created_at,visibility,text"));
  const char *id = str(o, "id"), *kind = str(o, "kind"), *vis = str(o, "visibility");
  char want[16];
  snprintf(want, sizeof want, "r%08zu", line);
  CHECK_STR(id, want);
  CHECK(kind && strstr(" post article comment message profile feedback ai_prompt ", kind));
  CHECK(vis && strstr(" public connections private ", vis));
  cs_time_t t = 0;
  CHECK(time_ok(o, "created_at", &t));
  cs.late += t >= INT64_C(1735689600) * CS_NS_PER_SEC; /* 2025-01-01 */
  const char *m = str(o, "member");
  long v = m && m[0] == 'm' && strlen(m) >= 8 ? num_at(m + 1, strlen(m) - 1) : -1;
  CHECK(v >= 1);
  bool is_known = v >= 1 && v <= MEMBERS;
  cs.unknown += !is_known;
  if (line <= RECORDS) rec_member[line] = is_known ? (int32_t)v : -1;
  CHECK(str(o, "text") != NULL);
  cs.records++;
}

static const char *punct_end = ".,;:!?\"'";

static bool span_text_ok(cs_label_t type, const char *s, size_t n) {
  char d[40];
  size_t k = digits_of(s, n, d, sizeof d);
  switch (type) {
  case CS_LABEL_EMAIL: return memchr(s, '@', n) && !memchr(s, ' ', n) && s[0] != '@';
  case CS_LABEL_PHONE: return k >= 9 && k <= 13;
  case CS_LABEL_URL: return !strncmp(s, "https://", 8) || !strncmp(s, "www.", 4);
  case CS_LABEL_IP: return memchr(s, '.', n) || memchr(s, ':', n);
  case CS_LABEL_CREDIT_CARD: return k >= 13 && t_luhn(d, k);
  case CS_LABEL_IBAN: return t_iban(s, n);
  case CS_LABEL_SSN: return t_ssn(s, n);
  case CS_LABEL_NINO: return t_nino(s, n);
  case CS_LABEL_PERSON: return s[0] == '@' ? n > 2 : k == 0;
  case CS_LABEL_ADDRESS: return k >= 3 && memchr(s, ',', n);
  case CS_LABEL_DATE: return k >= 5;
  case CS_LABEL_VERSION: return k >= 2 && memchr(s, '.', n);
  case CS_LABEL_PERCENT: return k >= 1 && s[n - 1] == '%';
  case CS_LABEL_MONEY: return k >= 1 && (strchr("$", s[0]) || !strncmp(s, "€", 3) ||
                                         !strncmp(s, "£", 2) || !strncmp(s, "₹", 3) ||
                                         !strncmp(s, "CHF ", 4));
  case CS_LABEL_ORDER_NUMBER: return k >= 12 && !t_luhn(d, k);
  case CS_LABEL_ISO_STANDARD: return !strncmp(s, "ISO", 3);
  case CS_LABEL_COMPANY:
  case CS_LABEL_CITY: {
    const char *const *tab = type == CS_LABEL_CITY ? cs__cities : cs__companies;
    uint32_t nt = type == CS_LABEL_CITY ? cs__n_cities : cs__n_companies;
    for (uint32_t i = 0; i < nt; i++)
      if (strlen(tab[i]) == n && !memcmp(tab[i], s, n)) return true;
    return false;
  }
  default: return false;
  }
}

static cs_label_t label_type(const char *s) {
  for (int t = 0; t < CS_N_LABELS; t++)
    if (s && !strcmp(s, cs_label_name((cs_label_t)t))) return (cs_label_t)t;
  return CS_N_LABELS;
}

/* Checks one span list of a record; returns how many spans it holds. */
static size_t check_spans(json_object *arr, const char *text, bool pii) {
  size_t len = strlen(text), prev_end = 0, n = json_object_array_length(arr);
  for (size_t i = 0; i < n; i++) {
    json_object *sp = json_object_array_get_idx(arr, i);
    CHECK(keys_are(sp, "type,start,end"));
    cs_label_t type = label_type(str(sp, "type"));
    CHECK(type < CS_N_LABELS && (type < CS_SYNTH_N_PII) == pii);
    json_object *a, *b;
    json_object_object_get_ex(sp, "start", &a);
    json_object_object_get_ex(sp, "end", &b);
    int64_t s = json_object_get_int64(a), e = json_object_get_int64(b);
    CHECK(s >= (int64_t)prev_end && e > s);
    size_t bs = cp_to_byte(text, len, (size_t)s), be = cp_to_byte(text, len, (size_t)e);
    CHECK(bs != (size_t)-1 && be != (size_t)-1);
    if (type >= CS_N_LABELS || bs == (size_t)-1 || be == (size_t)-1) return n;
    const char *x = text + bs;
    size_t xn = be - bs;
    bool ok = span_text_ok(type, x, xn) && !isspace((unsigned char)x[0]) &&
              !isspace((unsigned char)x[xn - 1]) && !strchr(punct_end, x[xn - 1]);
    if (!ok) fprintf(stderr, "bad %s span: \"%.*s\"\n", cs_label_name(type), (int)xn, x);
    CHECK(ok);
    cs.by_label[type]++;
    cs.handles += type == CS_LABEL_PERSON && x[0] == '@';
    for (size_t j = 0; j < bs; j++)
      if ((unsigned char)text[j] >= 0x80) {
        cs.spans_after_non_ascii++;
        break;
      }
    prev_end = (size_t)e;
  }
  return n;
}

static json_object **records; /* parsed content, for the labels pass */

static void keep_record(json_object *o, size_t line) {
  on_record(o, line);
  if (line <= RECORDS) records[line] = json_object_get(o);
}

static void on_labels(json_object *o, size_t line) {
  CHECK(keys_are(o, "id,spans,lookalikes"));
  json_object *rec = line <= RECORDS ? records[line] : NULL;
  CHECK(rec != NULL);
  if (!rec) return;
  CHECK_STR(str(o, "id"), str(rec, "id"));
  json_object *spans, *looks;
  CHECK(json_object_object_get_ex(o, "spans", &spans) &&
        json_object_object_get_ex(o, "lookalikes", &looks));
  if (!spans || !looks) return;
  const char *text = str(rec, "text");
  cs.pii_records += check_spans(spans, text, true) > 0;
  check_spans(looks, text, false);
}

/* ---- The tests ------------------------------------------------------------ */

static void test_generate(void) {
  dir = tmp_dir();
  cs_synth_opts_t o = {.members = MEMBERS, .records = RECORDS, .seed = 11, .out_dir = dir};
  cs_synth_stats_t st;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_synth_run(&o, &st, &d), CS_OK);
  CHECK_INT(st.members, MEMBERS);
  CHECK_INT(st.records, RECORDS);
  CHECK(access(path_in(dir, ".content.jsonl.tmp"), F_OK) != 0); /* renamed away */
}

static void test_content(void) {
  CHECK_INT(each_line("content.jsonl", keep_record), RECORDS);
  CHECK(cs.unknown > RECORDS / 200 && cs.unknown < RECORDS / 25); /* ~2% */
  CHECK(cs.late > RECORDS / 20);                                  /* after 2025-01-01 */
}

static void test_facts(void) {
  size_t lines = each_line("facts.jsonl", on_fact);
  CHECK(lines > MEMBERS);
  CHECK_INT(fs.by_type[0], 1);
  CHECK_INT(fs.members, MEMBERS);
  for (int k = 2; k < 7; k++) CHECK(fs.by_type[k] > 0);
  double share = (double)fs.excluded / (double)fs.members;
  printf("excluded share %.3f, minors %zu, offsets %zu, moves out of excluded %zu\n", share,
         fs.minors, fs.offsets, fs.moves_out_of_excluded);
  CHECK(share > 0.36 && share < 0.44);
  CHECK(fs.minors > MEMBERS / 100 && fs.minors < MEMBERS / 15);
  CHECK(fs.offsets > 0);
  CHECK(fs.moves_out_of_excluded > 0);
  CHECK(fs.deletions > RECORDS / 200);
}

static void test_labels(void) {
  CHECK_INT(each_line("labels.jsonl", on_labels), RECORDS);
  double share = (double)cs.pii_records / RECORDS;
  printf("records with personal data %.3f, spans after non-ASCII %zu, handles %zu\n", share,
         cs.spans_after_non_ascii, cs.handles);
  CHECK(share > 0.28 && share < 0.42);
  CHECK(cs.spans_after_non_ascii > 100);
  CHECK(cs.handles > 0);
  for (int t = 0; t < CS_N_LABELS; t++) {
    if (cs.by_label[t] == 0) fprintf(stderr, "no %s label\n", cs_label_name((cs_label_t)t));
    CHECK(cs.by_label[t] > 0);
  }
  for (size_t i = 1; i <= RECORDS; i++) json_object_put(records[i]);
}

static void setup(void) {
  known = calloc(MEMBERS + 1, 1);
  rec_member = calloc(RECORDS + 1, sizeof *rec_member);
  records = calloc(RECORDS + 1, sizeof *records);
}

static void teardown(void) {
  for (int k = 0; k < 3; k++) {
    static const char *const names[] = {"facts.jsonl", "content.jsonl", "labels.jsonl"};
    unlink(path_in(dir, names[k]));
  }
  rmdir(dir);
  free(known);
  free(rec_member);
  free(records);
}

RUN_TESTS(setup, test_generate, test_content, test_facts, test_labels, teardown)
