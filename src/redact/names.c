/* names.c — people who are not (known) members: name lists plus context.
 *
 * Every token is tagged from one hash set holding the given-name and surname
 * lists (names_data.c), everyday English words, and small hand-written sets:
 * stop words that are capitalised without being names, titles (Mr, Dr) and
 * cue words that announce a name ("by", "with", "thanks", "cc", "dear").
 * Capitalised tokens separated by single spaces (or an initial's ". ") form
 * runs; stop words and everyday words that are not names break them. A run
 * is a person when:
 *   - it starts with a given name and every other token is a name, an
 *     unknown capitalised word or an initial ("Meagan Wallace", "Ján M. Novák");
 *   - or all its tokens are names or unknown words, at least one from the
 *     lists and none an everyday word ("Gelencsér Szabina");
 *   - or it is a single given name or surname that is not an everyday word
 *     ("Gonzalez", "Rebecca is ...");
 *   - or it is two or more capitalised words that are neither listed nor
 *     everyday words, possibly with initials ("Janka M. Szász");
 *   - or, in a record written in lower case, a listed given name followed by
 *     a listed name ("patricia desrosiers");
 *   - or a title or cue comes right before it ("Mr. Kozłowski", "by Kleist",
 *     "My name is Rubija"), or it opens a line as a speaker ("Vinka: ...").
 * A token of a person found so anywhere else in the record is a person too
 * ("Faina D. Yefremova ... early Yefremova"). Known wart: a place or company
 * that happens to be a name ("Jordan", "Morgan Stanley") is taken for one.
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const stop_words[] = {
    "the", "a", "an", "this", "that", "these", "those", "i", "we", "you", "he", "she", "they",
    "it", "my", "our", "your", "his", "her", "their", "its", "in", "on", "at", "for", "from",
    "to", "of", "and", "or", "but", "if", "when", "what", "who", "why", "how", "where", "which",
    "there", "here", "thanks", "thank", "hi", "hello", "hey", "dear", "yes", "no", "not", "all",
    "any", "some", "every", "each", "today", "tomorrow", "yesterday", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "god", "street", "road", "avenue", "lane", "drive", "court", "place", "square", "city",
    "state", "university", "college", "school", "bank", "group", "inc", "ltd", "llc",
    "company", "corp", "team", "ceo", "cto", "cfo", "coo", "vp", "hr", "ai", "ml", "covid",
    "linkedin", "google", "microsoft", "apple", "amazon", "facebook", "twitter", "youtube",
    "congratulations", "congrats", "happy", "great", "new", "north", "south", "east", "west",
    "united", "kingdom", "christmas", "easter", "president", "minister", "user", "bot",
    "customer", "agent", "answer", "question", "note", "please", "also", "just", "so", "as",
    "by", "with", "after", "before", "about", "during", "is", "are", "was", "were", "be",
    "has", "have", "had", "do", "does", "did", "can", "could", "would", "should", "must",
    "let", "let's", "mr", "mrs", "ms", "dr", "prof", "sir", "st", "apt", "suite", "unit",
    "box", "po", "dept", "department", "ave", "blvd", "rd", "inc", "www", "http", "https",
    "via", "rue", "phd", "mba", "md", "id", "ok", "okay", "re", "fw", "fwd", "subject",
    "billing", "shipping", "address", "phone", "email", "name", "card", "account", "number",
    "directed", "written", "produced", "starring", "chapter", "section", "figure", "table",
    /* field labels ("E-mail:", "Mobile:") and languages ("studying English") */
    "e-mail", "mobile", "fax", "tel", "website", "desk", "cell", "english", "french", "german",
    "spanish", "italian", "portuguese", "dutch", "russian", "chinese", "japanese", "arabic",
    "hindi", "korean", "turkish", "polish", "swedish", "greek", NULL};

/* Capitalised words that name software, services and kinds of organisation
 * rather than people; a professional network mentions them constantly ("If
 * you know Terraform and Kafka", "Silverline Telecom"). A run of capitalised
 * words breaks at them, as at any stop word. */
static const char *const not_people[] = {
    "postgres", "postgresql", "mysql", "sqlite", "redis", "kafka", "kubernetes", "terraform",
    "airflow", "docker", "python", "java", "javascript", "typescript", "rust", "golang",
    "react", "angular", "vue", "django", "flask", "spark", "hadoop", "snowflake", "databricks",
    "tableau", "excel", "jira", "slack", "figma", "notion", "github", "gitlab", "jenkins",
    "ansible", "linux", "ubuntu", "windows", "android", "ios", "swift", "kotlin", "scala",
    "ruby", "rails", "nodejs", "pandas", "numpy", "pytorch", "tensorflow", "elasticsearch",
    "mongodb", "cassandra", "dbt", "looker", "salesforce", "oracle", "aws", "azure", "gcp",
    "openai", "chatgpt", "copilot", "grafana", "prometheus", "datadog", "clickhouse",
    "bigquery", "redshift", "graphql", "nginx", "helm", "zoom", "outlook", "gmail", "sql",
    "telecom", "telekom", "société", "deutsche", "gmbh", "ag", "plc", "bv", "nv", "sa", "spa",
    "srl", "sarl", "pty", "pte", "oy", "holdings", "holding", "technologies", "systems",
    "solutions", "labs", "consulting", "consultancy", "ventures", "partners", "industries",
    "airlines", "airways", "motors", "pharma", "pharmaceuticals", "banco", "bancorp",
    "insurance", "capital", "gruppe", "grupo", "corporation", "limited", "foundation",
    "institute", "agency", "studios", "media", "networks", "software", "analytics",
    "logistics", "robotics", "payments", "energy", "health", "healthcare", "foods", "security",
    "mobility", "services", "enterprises", "associates", NULL};

/* Weak cues: they precede companies and places as often as people, so they
 * confirm a listed name but not an unknown capitalised word. */
static const char *const weak_cues[] = {"by", "with", "from", "and", "under", "user",
                                        "assistant", "named", "featuring", "feat", "ft",
                                        "follow", "visited", "loves", "love", NULL};

/* Before a single capitalised word these announce a place ("in Denver"). */
static const char *const loc_preps[] = {"in", "at", "near", "across", "around", "outside",
                                        "inside", "into", "toward", "towards", "throughout",
                                        "based", "via", "within", "between", NULL};

/* Before a run without a given name these announce an organisation: "join
 * Ericsson", "joining Mercado Libre" ("join Sarah" is still a person). */
static const char *const org_verbs[] = {"join", "joins", "joining", "joined", NULL};

/* The same, one "with" or "by" further back: "Partnering with Ericsson",
 * "acquired by Mercado Libre", "a round led by" (not "led by" alone, which
 * precedes people too). */
static const char *const org_with[] = {"partnering", "partnered", "partner", "partners",
                                       "partnership", "partnerships", "acquired", "backed",
                                       "funded", "sponsored", "powered", "merged", "round",
                                       NULL};

static const char *const titles[] = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof",
                                     "professor", "sir", "dame", "madam", "mme", "mlle",
                                     "herr", "frau", "sr", "sra", "rev", "capt", "captain",
                                     "sgt", "officer", "judge", "uncle", "aunt", "doctor",
                                     "mister", "lady", "lord", "señor", "señora", NULL};

static const char *const cues[] = {
    "by", "with", "thanks", "thank", "cc", "dear", "hi", "hello", "hey", "met", "meet", "ask",
    "asked", "contact", "call", "called", "told", "tell", "emailed", "congrats",
    "congratulations", "welcome", "introducing", "named", "i'm", "im", "user", "from",
    "attn", "signed", "regards", "cheers", "sincerely", "beneficiary", "visited", "married",
    "loves", "love", "ask", "dm", "ping", "follow", "tagging", "featuring", "feat", "ft",
    "and", "name", "under", "assistant", "says", "said", "asks", "son", "daughter", "wife",
    "husband", "kid", "brother", "sister", "mother", "father", "mom", "dad", "grandfather",
    "grandmother", "grandson", "granddaughter", "cousin", "nephew", "niece", "friend",
    "boyfriend", "girlfriend", "fiancé", "fiancée", "colleague", "boss", NULL};

static const char *const after_cues[] = {"said", "says", "wrote", "writes", "told", "asked",
                                         "replied", "shouted", "thinks", "thought", NULL};

static const char *const particles[] = {"van", "von", "de", "der", "den", "da", "di", "del",
                                        "della", "du", "le", "la", "bin", "bint", "al", "el",
                                        "ibn", "ben", "ter", "dos", "das", NULL};

static int put_list(cs__hset_t *h, const char *const *v, size_t n, uint8_t flag) {
  for (size_t i = 0; i < n && v[i]; i++) {
    int rc = cs__hset_put(h, cs__hash_lower(v[i], strlen(v[i])), flag);
    if (rc < 0) return rc;
  }
  return CS_OK;
}

/* Sequence hash of toks[a, b), particles included. */
static uint64_t seq_hash(const cs__tok_t *toks, size_t a, size_t b) {
  uint64_t h = 0;
  for (size_t i = a; i < b; i++) h = cs__hash_seq(h, toks[i].hash);
  return h | 1;
}

/* Places are stored as the sequence hash of their tokens, as the tokenizer
 * splits them, so "Buenos Aires" matches however the text spaces it. */
static int put_places(cs__hset_t *h) {
  cs__tok_t *toks = NULL;
  size_t n = 0, cap = 0;
  int rc = CS_OK;
  for (size_t i = 0; i < cs__places_n && rc == CS_OK; i++) {
    rc = cs__tokenize(cs__places[i], strlen(cs__places[i]), &toks, &n, &cap);
    if (rc == CS_OK && n > 0) rc = cs__hset_put(h, seq_hash(toks, 0, n), 1);
  }
  free(toks);
  return rc;
}

int cs__names_build(cs__names_t *nm) {
  memset(nm, 0, sizeof *nm);
  int rc = put_list(&nm->words, cs__given_names, cs__given_names_n, CS_NAME_GIVEN);
  if (rc == CS_OK) rc = put_list(&nm->words, cs__surnames, cs__surnames_n, CS_NAME_SUR);
  if (rc == CS_OK)
    rc = put_list(&nm->words, cs__english_words, cs__english_words_n, CS_NAME_WORD);
  if (rc == CS_OK) rc = put_list(&nm->words, stop_words, SIZE_MAX, CS_NAME_STOP);
  if (rc == CS_OK) rc = put_list(&nm->words, not_people, SIZE_MAX, CS_NAME_STOP);
  if (rc == CS_OK) rc = put_list(&nm->ctx, weak_cues, SIZE_MAX, CS_CTX_WEAK);
  if (rc == CS_OK) rc = put_list(&nm->ctx, loc_preps, SIZE_MAX, CS_CTX_LOC);
  if (rc == CS_OK) rc = put_list(&nm->ctx, org_verbs, SIZE_MAX, CS_CTX_ORG);
  if (rc == CS_OK) rc = put_list(&nm->ctx, org_with, SIZE_MAX, CS_CTX_ORG_WITH);
  if (rc == CS_OK) rc = put_places(&nm->places);
  if (rc == CS_OK) rc = put_list(&nm->words, titles, SIZE_MAX, CS_NAME_TITLE);
  if (rc == CS_OK) rc = put_list(&nm->words, cues, SIZE_MAX, CS_NAME_CUE);
  if (rc == CS_OK) rc = put_list(&nm->words, particles, SIZE_MAX, CS_NAME_PARTICLE);
  if (rc == CS_OK) rc = put_list(&nm->words, after_cues, SIZE_MAX, CS_NAME_AFTER);
  nm->h_is = cs__hash_lower("is", 2);
  nm->h_name = cs__hash_lower("name", 4);
  nm->h_names = cs__hash_lower("name's", 6);
  nm->h_this = cs__hash_lower("this", 4);
  nm->h_and = cs__hash_lower("and", 3);
  nm->h_the = cs__hash_lower("the", 3);
  nm->h_with = cs__hash_lower("with", 4);
  nm->h_by = cs__hash_lower("by", 2);
  nm->h_led = cs__hash_lower("led", 3);
  nm->h_from = cs__hash_lower("from", 4);
  nm->h_to = cs__hash_lower("to", 2);
  nm->h_me = cs__hash_lower("me", 2);
  nm->h_call = cs__hash_lower("call", 4);
  nm->h_called = cs__hash_lower("called", 6);
  if (rc < 0) cs__names_free(nm);
  return rc;
}

void cs__names_free(cs__names_t *nm) {
  cs__hset_free(&nm->words);
  cs__hset_free(&nm->places);
  cs__hset_free(&nm->ctx);
}

/* A record of ten words or more with hardly any capitals is written in lower
 * case throughout; names in it are lower case too. Most records have more
 * than n / 50 capitals, which alpha <= n makes too many, and a scan of the
 * capitals alone stops once it has seen them; letters are counted only for
 * the few records left. */
static bool lower_case_record(const cs__tok_t *toks, size_t n) {
  const size_t most = n / 50; /* caps * 50 > n once caps > most */
  size_t caps = 0, alpha = 0;
  for (size_t i = 0; i < n; i++)
    if ((toks[i].flags & CS_TOK_CAP) && ++caps > most) return false;
  for (size_t i = 0; i < n; i++) alpha += (toks[i].flags & CS_TOK_ALPHA) != 0;
  return alpha >= 4 && caps * 50 <= alpha;
}

/* "Shout-out", "Follow-up": a hyphenated word made of everyday words is one. */
static void hyphen_words(const cs__names_t *nm, cs__tok_t *t, const char *text) {
  if (!memchr(text + t->start, '-', t->end - t->start)) return; /* one part: nothing to add */
  size_t s = t->start, parts = 0;
  for (size_t k = t->start; k <= t->end; k++) {
    if (k < t->end && text[k] != '-') continue;
    if (!(cs__hset_get(&nm->words, cs__hash_lower(text + s, k - s)) & CS_NAME_WORD)) return;
    parts++;
    s = k + 1;
  }
  if (parts > 1) t->name |= CS_NAME_WORD;
}

/* Tokens between a prefetch and its lookup; names_tag reads capitals
 * TAG_LEAD tokens ahead, as a token is looked up if it or one of the two
 * after it is capitalised. */
enum { TAG_AHEAD = 8, TAG_LEAD = TAG_AHEAD + 2 };

/* In a record in lower case every token is looked up. */
static void tag_all(const cs__names_t *nm, const char *text, cs__tok_t *toks, size_t n) {
  enum { AHEAD = TAG_AHEAD };
  const cs__hset_t words = nm->words; /* a copy: see cs__names_tag */
  for (size_t i = 0; i < n && i < AHEAD; i++) cs__hset_prefetch(&words, toks[i].hash);
  for (size_t i = 0; i < n; i++) {
    if (i + AHEAD < n) cs__hset_prefetch(&words, toks[i + AHEAD].hash);
    toks[i].name = cs__hset_get(&words, toks[i].hash);
    if (!toks[i].name && (toks[i].flags & CS_TOK_CAP)) hyphen_words(nm, &toks[i], text);
  }
}

/* Whether t surely holds no '-', read eight bytes at once where the text
 * has them (avail: the bytes of text that may be read); false: not known. */
static inline bool surely_no_hyphen(const char *text, size_t avail, const cs__tok_t *t) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = UINT64_C(0x0101010101010101);
  size_t l = t->end - t->start;
  if (l > 8 || avail - t->start < 8) return false;
  uint64_t w;
  memcpy(&w, text + t->start, 8);
  uint64_t x = w ^ (ones * '-'); /* a zero byte where a '-' is */
  /* bit 7 of each zero byte (and maybe of bytes above one, past the first:
   * those lie above a '-' in the token or past its end, masked off) */
  uint64_t z = (x - ones) & ~x & (ones * 0x80);
  if (l < 8) z &= (UINT64_C(1) << (8 * l)) - 1;
  return z == 0;
#else
  (void)text;
  (void)avail;
  (void)t;
  return false;
#endif
}

/* Tags one token: looked up if near a capital, else nothing. */
static inline void tag_one(const cs__names_t *nm, const cs__hset_t *words, const char *text,
                           size_t avail, cs__tok_t *t, bool near) {
  if (!near) {
    t->name = 0;
    return;
  }
  t->name = cs__hset_get(words, t->hash);
  if (!t->name && (t->flags & CS_TOK_CAP) && !surely_no_hyphen(text, avail, t))
    hyphen_words(nm, t, text);
}

/* Only capitalised tokens and the two before each (cues: "by X", "name is
 * X") are looked up: the list is megabytes and most tokens are neither.
 * Which ones is read off a window of capital bits shifted along the tokens
 * (bit k: toks[r - k] is capitalised, r the token read last, TAG_LEAD ahead
 * of the one tagged), so a token costs a load, a shift and two tests rather
 * than three flag tests, and only the tokens to be looked up are
 * prefetched, TAG_AHEAD tokens before their lookup. */

/* One token of the window: cap (0 or 1) is toks[i + TAG_LEAD]'s capital, 0
 * past the end; prefetches toks[i + TAG_AHEAD] if it is to be looked up and
 * tags toks[i]. Returns the window moved on. */
static inline uint32_t tag_step(const cs__names_t *nm, const cs__hset_t *words, const char *text,
                                size_t avail, cs__tok_t *toks, size_t i, uint32_t win, uint32_t cap) {
  win = win << 1 | cap;
  if (win & 7) cs__hset_prefetch(words, toks[i + TAG_AHEAD].hash); /* 0 past the end */
  tag_one(nm, words, text, avail, &toks[i], win & (7u << TAG_AHEAD));
  return win;
}

static inline uint32_t cap_bit(const cs__tok_t *t) { return (t->flags & CS_TOK_CAP) != 0; }

bool cs__names_tag(const cs__names_t *nm, const char *text, cs__tok_t *toks, size_t n) {
  enum { AHEAD = TAG_AHEAD, LEAD = TAG_LEAD };
  if (lower_case_record(toks, n)) {
    tag_all(nm, text, toks, n);
    return true;
  }
  /* a copy: the byte stores to toks[i].name may alias anything, so the
   * compiler would reload the set's fields through nm after each */
  const cs__hset_t words = nm->words;
  if (!words.cap) { /* no lists: nothing to tag (and the lookups below need not ask) */
    for (size_t i = 0; i < n; i++) toks[i].name = 0;
    return false;
  }
  const size_t avail = n ? toks[n - 1].end : 0; /* text goes on at least so far */
  uint32_t win = 0;
  const size_t first = n < LEAD ? n : LEAD;
  for (size_t r = 0; r < first; r++) win = win << 1 | cap_bit(&toks[r]);
  win <<= LEAD - first; /* nothing past the end */
  /* the first AHEAD tokens near a capital, till none is left: bit LEAD - 1
   * of near is toks[k] */
  uint32_t near = (win | win << 1 | win << 2) & (((1u << AHEAD) - 1) << (LEAD - AHEAD));
  for (size_t k = 0; near; k++, near = (near << 1) & ((1u << LEAD) - 1))
    if (near & (1u << (LEAD - 1))) cs__hset_prefetch(&words, toks[k].hash);
  size_t i = 0;
  for (; i + LEAD + 3 < n; i += 4) { /* four tokens a turn: less loop per token */
    win = tag_step(nm, &words, text, avail, toks, i, win, cap_bit(&toks[i + LEAD]));
    win = tag_step(nm, &words, text, avail, toks, i + 1, win, cap_bit(&toks[i + LEAD + 1]));
    win = tag_step(nm, &words, text, avail, toks, i + 2, win, cap_bit(&toks[i + LEAD + 2]));
    win = tag_step(nm, &words, text, avail, toks, i + 3, win, cap_bit(&toks[i + LEAD + 3]));
  }
  for (; i + LEAD < n; i++) /* the rest with more to read */
    win = tag_step(nm, &words, text, avail, toks, i, win, cap_bit(&toks[i + LEAD]));
  for (; i < n; i++) win = tag_step(nm, &words, text, avail, toks, i, win, 0); /* nothing more to read */
  return false;
}

uint8_t cs__names_lookup(const cs__names_t *nm, uint64_t hash) {
  return cs__hset_get(&nm->words, hash);
}

/* "I'm", "We're", "don't": a contraction is never a name ("O'Neil" is).
 * The part after the last apostrophe (' or the last byte of U+2019) is one
 * or two letters, so only the bytes two and three from the end matter. */
static bool apostrophe(char c) { return c == '\'' || (unsigned char)c == 0x99; }

static bool contraction(const char *text, const cs__tok_t *t) {
  size_t e = t->end, n = e - t->start;
  const char *x;
  if (n >= 2 && apostrophe(text[e - 2])) {
    x = text + e - 1;
    return (x[0] | 32) == 'm' || (x[0] | 32) == 'd' || (x[0] | 32) == 't';
  }
  if (n >= 3 && apostrophe(text[e - 3])) {
    x = text + e - 2;
    char a = (char)(x[0] | 32), b = (char)(x[1] | 32); /* as strncasecmp: the letters in either case */
    return (a == 'r' && b == 'e') || (a == 'l' && b == 'l') || (a == 'v' && b == 'e');
  }
  return false;
}

/* "ClickHouse", "TypeScript": a capital after a small letter inside an ASCII
 * word is a product's spelling, unless what precedes it is a name prefix
 * ("McDonald", "MacArthur", "DeShawn", "LaToya", "DiCaprio"). */
static bool camel_case(const char *text, const cs__tok_t *t) {
  /* the prefixes by length (two, three, four letters) */
  static const char *const pre[5] = {NULL, NULL, "mc de la le di da du st ", "mac van von ", "fitz "};
  for (size_t k = t->start + 1; k < t->end; k++) {
    char ch = text[k], prev = text[k - 1];
    if (!(ch >= 'A' && ch <= 'Z') || !(prev >= 'a' && prev <= 'z')) continue;
    size_t l = k - t->start;
    if (l >= sizeof pre / sizeof pre[0] || !pre[l]) return true;
    for (const char *p = pre[l]; *p; p += l + 1)
      if (cs__same_caseless(text + t->start, p, l)) return false;
    return true;
  }
  return false;
}

/* Whether a capitalised word is spelt as no name is: a contraction or
 * CamelCase. Out of line (unless_no_name_spelling): classify, which runs
 * for every capitalised token, asks it only of the few that would
 * otherwise be names, and keeps its own registers free of the byte
 * scans'. */
static inline bool no_name_spelling(const char *text, const cs__tok_t *t) {
  return contraction(text, t) || camel_case(text, t);
}

/* Token classes for the run rules. */
typedef enum { C_NONE, C_G, C_g, C_S, C_s, C_U, C_I, C_P } cls_t;

/* k, or C_NONE where t is spelt as no name is (out of line, and a tail
 * call: see no_name_spelling). */
static __attribute__((noinline)) cls_t unless_no_name_spelling(const char *text, const cs__tok_t *t,
                                                               cls_t k) {
  return no_name_spelling(text, t) ? C_NONE : k;
}

/* The class of a capitalised token of two letters or more. */
static inline cls_t cap_class(const char *text, const cs__tok_t *t) {
  uint8_t nf = t->name;
  if (!(t->flags & CS_TOK_ALPHA) || (t->flags & CS_TOK_PLACE) || (nf & (CS_NAME_STOP | CS_NAME_TITLE)))
    return C_NONE;
  bool word = nf & CS_NAME_WORD;
  /* all capitals: an acronym (DE, NINO, CEO) unless long and a listed name */
  if ((t->flags & CS_TOK_UPPER) &&
      (t->end - t->start <= 4 || !(nf & (CS_NAME_GIVEN | CS_NAME_SUR))))
    return C_NONE;
  cls_t k = nf & CS_NAME_GIVEN ? (word ? C_g : C_G)
            : nf & CS_NAME_SUR ? (word ? C_s : C_S)
            : word             ? C_NONE
                               : C_U;
  /* the byte scans last: they can only make it C_NONE, and a capitalised
   * everyday word ("The", "Great") is C_NONE already */
  return k == C_NONE ? C_NONE : unless_no_name_spelling(text, t, k);
}

/* A capitalised token of two or three bytes that starts past ASCII: an
 * initial if it is a single letter ("Á"), else as cap_class says. Out of
 * line, as the decoder is called: classify needs no registers saved. */
static __attribute__((noinline)) cls_t short_utf8_class(const char *text, const cs__tok_t *t) {
  uint32_t cp;
  size_t l = t->end - t->start;
  if (cs__utf8_decode((const unsigned char *)text + t->start, l, &cp) == l) return C_I;
  return cap_class(text, t);
}

static inline cls_t classify(const char *text, size_t len, const cs__tok_t *t, bool lower_mode) {
  uint8_t nf = t->name;
  if (!(t->flags & CS_TOK_CAP)) {
    if (nf & CS_NAME_PARTICLE) return C_P;
    if (!lower_mode || (nf & (CS_NAME_WORD | CS_NAME_STOP | CS_NAME_CUE | CS_NAME_AFTER)) ||
        !(t->flags & CS_TOK_ALPHA) || t->end - t->start < 2)
      return C_NONE;
    return nf & CS_NAME_GIVEN ? C_G : nf & CS_NAME_SUR ? C_S : C_U;
  }
  size_t l = t->end - t->start;
  if (l == 1) { /* an initial: "M.", not the pronoun I */
    char ch = text[t->start];
    return ch != 'I' || (t->end < len && text[t->end] == '.') ? C_I : C_NONE;
  }
  /* a single letter of two or three bytes ("Á") is an initial too; a
   * token that starts with an ASCII byte is no such letter */
  if (l <= 3 && (unsigned char)text[t->start] >= 0x80) return short_utf8_class(text, t);
  return cap_class(text, t);
}

/* Whether tokens a and b (a before b) are joined by a name-internal gap. */
static bool joined(const char *text, const cs__tok_t *a, const cs__tok_t *b) {
  size_t gap = b->start - a->end;
  const char *g = text + a->end;
  if (gap == 1) return g[0] == ' ';
  if (gap == 2 && g[0] == '.' && g[1] == ' ') return a->end - a->start == 1;
  return false;
}

/* Whether "name" is among the eight tokens before toks[i]. */
static bool name_question(const cs__names_t *nm, const cs__tok_t *toks, size_t i) {
  for (size_t k = i, w = 0; k-- > 0 && w < 8; w++)
    if (toks[k].hash == nm->h_name) return true;
  return false;
}

/* 0: no cue before toks[i]; 1: a weak one ("with", "by"); 2: a strong one. */
static int cue_before(const cs__names_t *nm, const char *text, const cs__tok_t *toks, size_t i) {
  if (i == 0) return 0;
  if (toks[i - 1].name & CS_NAME_TITLE) return 2;
  /* a cue ends at a sentence's end: "the right call. Ericsson published";
   * but a question about a name cues the answer: "What's your name? Jildau" */
  for (size_t k = toks[i - 1].end; k < toks[i].start; k++) {
    if (text[k] == '?') return name_question(nm, toks, i) ? 2 : 0;
    if (text[k] == '.' || text[k] == '!') return 0;
  }
  if (toks[i - 1].name & CS_NAME_CUE)
    return cs__hset_get(&nm->ctx, toks[i - 1].hash) & CS_CTX_WEAK ? 1 : 2;
  /* "name is X", "name's X", "this is X" */
  if (toks[i - 1].hash == nm->h_names) return 2;
  return i >= 2 && toks[i - 1].hash == nm->h_is &&
                 (toks[i - 2].hash == nm->h_name || toks[i - 2].hash == nm->h_this)
             ? 2
             : 0;
}

/* Whether toks[i] opens a sentence or a line: nothing but spaces and
 * commas lie between it and the token before. */
static bool sentence_start(const char *text, const cs__tok_t *toks, size_t i) {
  if (i == 0) return true;
  for (size_t k = toks[i - 1].end; k < toks[i].start; k++)
    if (text[k] != ' ' && text[k] != ',') return true;
  return false;
}

/* Whether toks[i] is a capitalised word mid-sentence that is neither a name
 * nor a title or cue, nor an acronym ("CEO Jane Smith"): "Deutsche",
 * "Vantage", "Société". */
static bool proper_noun_head(const char *text, size_t len, const cs__tok_t *toks, size_t i) {
  const cs__tok_t *t = &toks[i];
  if (!(t->flags & CS_TOK_CAP) || (t->flags & CS_TOK_UPPER) || !(t->flags & CS_TOK_ALPHA) ||
      t->end - t->start < 2 || (t->name & (CS_NAME_TITLE | CS_NAME_CUE | CS_NAME_PARTICLE)))
    return false;
  return classify(text, len, t, false) == C_NONE && !sentence_start(text, toks, i);
}

/* Whether the run toks[a, b) names a place or another proper noun that is
 * not a person: the whole run, or each part between particles ("Santiago de
 * Chile"), is in the gazetteer; or a single word follows a preposition of
 * place ("in Denver"); or it is "from X to Y". */
static bool place_like(const cs__names_t *nm, const char *text, size_t len,
                       const cs__tok_t *toks, size_t n, size_t a, size_t b, const cls_t *c) {
  if (cs__hset_get(&nm->places, seq_hash(toks, a, b))) return true;
  bool all = true, parts = false;
  for (size_t s = a; s < b && all;) {
    size_t e = s;
    while (e < b && !(toks[e].name & CS_NAME_PARTICLE && !(toks[e].flags & CS_TOK_CAP))) e++;
    parts |= e < b;
    all = e > s && cs__hset_get(&nm->places, seq_hash(toks, s, e));
    s = e + 1;
  }
  if (parts && all) return true;
  if (a == 0) return false;
  const cs__tok_t *p = &toks[a - 1];
  bool adjacent = p->end + 1 == toks[a].start;
  /* "The Milan office", "the Ericsson team": a single word after a
   * determiner is a place, firm or product far more often than a person
   * (a full name after it, "the Steffen Mauer version", still counts) */
  if (adjacent && b == a + 1 && p->hash == nm->h_the) return true;
  bool given = false;
  for (size_t i = a; i < b; i++) given |= c[i - a] == C_G || c[i - a] == C_g;
  uint8_t pctx = adjacent ? cs__hset_get(&nm->ctx, p->hash) : 0;
  /* "at Mercado Libre", "in Santa Clara": after a preposition of place, a
   * run without a listed given name is a place or an organisation */
  if (!given && b > a + 1 && (pctx & CS_CTX_LOC)) return true;
  /* "join Ericsson", "Partnering with Mercado Libre" */
  if (!given && (pctx & CS_CTX_ORG)) return true;
  if (!given && adjacent && a >= 2 && (p->hash == nm->h_with || p->hash == nm->h_by)) {
    size_t v = a - 2; /* "seed round led by": past "led" to the noun */
    if (toks[v].hash == nm->h_led && v > 0 && p->hash == nm->h_by) v--;
    if (cs__hset_get(&nm->ctx, toks[v].hash) & CS_CTX_ORG_WITH) return true;
  }
  /* "Deutsche Bahn", "Vantage Bioworks": a run that continues a capitalised
   * word which is no name, title or cue, mid-sentence, is the tail of a
   * proper noun (a firm, a product) rather than a person */
  if (adjacent && proper_noun_head(text, len, toks, a - 1)) return true;
  if (b != a + 1) return false;
  if (adjacent && (cs__hset_get(&nm->ctx, p->hash) & CS_CTX_LOC)) return true;
  /* "Willow & Finch", "Marks & Spencer": single words joined by & name firms */
  size_t e = toks[a].end;
  if (b < n && toks[b].start == e + 3 && !memcmp(text + e, " & ", 3)) return true;
  if (toks[a].start == p->end + 3 && !memcmp(text + p->end, " & ", 3) && (p->flags & CS_TOK_CAP))
    return true;
  if (p->hash == nm->h_from && b < n && toks[b].hash == nm->h_to) return true;
  if (p->hash != nm->h_to) return false;
  /* "from Mexico City to Milan", "from Santiago de Chile to Manila": back
   * over up to four capitalised words (and particles) to "from" */
  for (size_t k = a - 1, words = 0; k-- > 0 && words < 4; words++) {
    if (toks[k].hash == nm->h_from) return words > 0;
    if (!(toks[k].flags & CS_TOK_CAP) && !(toks[k].name & CS_NAME_PARTICLE)) return false;
  }
  return false;
}

/* "Ericsson published ...", "Mercado Libre reported ...", "Key takeaways":
 * at the start of a sentence every word is capitalised, so a run there
 * without a listed given name and without a cue (no "Mr", no "said") is a
 * firm, a product or an ordinary word as often as a surname. A surname
 * mentioned there after a full name earlier is still found (later_mentions). */
static bool sentence_opener(const cs__names_t *nm, const char *text, const cs__tok_t *toks, size_t a, size_t b,
                            const cls_t *c) {
  /* Of longer runs only those led by a listed surname and continued by
   * unlisted words ("Mercado Libre"): "Tomomi Nishiyama", led by an unlisted
   * word, is far likelier a given name and a surname. */
  for (size_t i = a + 1; i < b; i++)
    if (c[0] != C_S || c[i - a] != C_U) return false;
  if (a > 0) { /* a full stop, question or exclamation mark or a line break before it */
    bool stop = false;
    for (size_t k = toks[a - 1].end; k < toks[a].start; k++)
      stop |= text[k] == '.' || text[k] == '!' || text[k] == '?' || text[k] == '\n';
    if (!stop || toks[a - 1].name & CS_NAME_TITLE || toks[a - 1].end - toks[a - 1].start == 1)
      return false;
    /* the answer to "What's your last name?" */
    for (size_t k = a, w = 0; k-- > 0 && w < 8; w++)
      if (toks[k].hash == nm->h_name) return false;
  }
  for (size_t i = a; i < b; i++)
    if (c[i - a] == C_G || c[i - a] == C_g || c[i - a] == C_I) return false;
  return true;
}

/* 2: the run is followed by "said" or a speaker's colon; 1: by a relative
 * "who", which refers to a person unless the run is a place ("everyone at
 * Nubank who"); 0: neither. */
static int after_cue(const cs__tok_t *toks, size_t n, size_t j, const char *text, size_t len) {
  if (j < n && (toks[j].name & CS_NAME_AFTER)) return 2;
  /* a relative "who" refers to a person: "Shout-out to Xiaoling, who stayed" */
  size_t e0 = toks[j - 1].end;
  if (j < n && toks[j].end - toks[j].start == 3 && !memcmp(text + toks[j].start, "who", 3) &&
      (toks[j].start - e0 == 1 || (toks[j].start - e0 == 2 && text[e0] == ',')))
    return 1;
  /* a speaker label: a colon follows the run */
  size_t e = toks[j - 1].end;
  return e < len && text[e] == ':' && (e + 1 == len || text[e + 1] == ' ' || text[e + 1] == '\n')
             ? 2
             : 0;
}

/* Decides a run toks[a, b) of classes c; returns the first token of the
 * person within it, or b if it is none. */
static size_t decide(const cls_t *c, size_t k, int cue, bool lower) {
  bool cued = cue == 2 || (cue == 1 && (k > 1 || c[0] != C_U));
  size_t lists = 0, words = 0, unknown = 0;
  for (size_t i = 0; i < k; i++) {
    lists += c[i] == C_G || c[i] == C_S;
    words += c[i] == C_g || c[i] == C_s;
    unknown += c[i] == C_U;
  }
  if (c[k - 1] == C_I || c[k - 1] == C_P) return k;
  if (lower) return k >= 2 && c[0] == C_G ? 0 : k; /* lower-case text: "eva kleist" */
  if (cued) return 0;
  if (k >= 2 && words == 0 && c[0] != C_I) return 0; /* "Janka M. Szász", "Tomomi Nishiyama" */
  if (k == 1) return (c[0] == C_G || c[0] == C_S) ? 0 : k;
  if (c[0] == C_G || c[0] == C_g) return 0;
  if (words == 0 && lists >= 1) {
    size_t first = 0;
    while (first < k && c[first] == C_U && lists) {
      bool later_given = false;
      for (size_t i = first + 1; i < k; i++) later_given |= c[i] == C_G;
      if (!later_given) break;
      first++;
    }
    return first;
  }
  (void)unknown;
  return k;
}

/* Marks person tokens' hashes so later mentions of them count too. */
typedef struct {
  uint64_t h[64];
  size_t n;
  size_t lo, hi; /* the tokens emit marked lie in [lo, hi) */
} seen_t;

static int emit(cs__mvec_t *m, cs__tok_t *toks, size_t a, size_t b, seen_t *seen,
                const cls_t *c) {
  if (a < seen->lo) seen->lo = a;
  if (b > seen->hi) seen->hi = b;
  for (size_t i = a; i < b; i++) {
    toks[i].mark = 1;
    if (seen->n < 64 && c[i - a] != C_I && c[i - a] != C_P) seen->h[seen->n++] = toks[i].hash;
  }
  return cs__mvec_push(m, CS_PII_PERSON, toks[a].start, toks[b - 1].end);
}

static int later_mentions(cs__tok_t *toks, size_t n, const seen_t *seen, cs__mvec_t *m) {
  const size_t ns = seen->n; /* a local: the pushes below cannot change it */
  if (!ns) return CS_OK;
  for (size_t i = 0; i < n; i++) {
    if (!(toks[i].flags & CS_TOK_CAP) || toks[i].mark) continue;
    for (size_t k = 0; k < ns; k++)
      if (toks[i].hash == seen->h[k]) {
        int rc = cs__mvec_push(m, CS_PII_PERSON, toks[i].start, toks[i].end);
        if (rc < 0) return rc;
        break;
      }
  }
  return CS_OK;
}

/* Whether toks a and b (a before b) are joined by ", " or " and " / " & ". */
static bool coordinated(const char *text, const cs__tok_t *t, size_t a, size_t b, uint64_t and_h) {
  if (b == a + 2) return t[a + 1].hash == and_h && t[a + 1].start == t[a].end + 1;
  if (b != a + 1) return false;
  size_t gap = t[b].start - t[a].end;
  const char *g = text + t[a].end;
  return gap == 2 && g[0] == ',' && g[1] == ' '; /* " & " joins firms: see place_like */
}

/* A listed name; or, joined by "and", any unlisted capitalised word. */
static bool person_like(const char *text, size_t len, const cs__tok_t *t, bool by_and) {
  cls_t k = classify(text, len, t, false);
  return k == C_G || k == C_g || k == C_S || k == C_s || (by_and && k == C_U);
}

/* Whether toks[i] can be coordinated with a token in direction dir: the
 * next token that way is "and" or lies behind ", " (what coordinated asks
 * of its first step, which most names fail). */
static bool may_coordinate(const char *text, const cs__tok_t *t, size_t n, size_t i, int dir,
                           uint64_t and_h) {
  size_t j = dir < 0 ? i - 1 : i + 1; /* SIZE_MAX for i == 0 */
  if (j >= n) return false;
  size_t a = dir < 0 ? j : i, b = dir < 0 ? i : j;
  const char *g = text + t[a].end;
  return t[j].hash == and_h || (t[b].start - t[a].end == 2 && g[0] == ',' && g[1] == ' ');
}

/* "Monjeau, Graves and Reed": a listed name makes its coordinated
 * capitalised neighbours names too. */
static int coordination(const cs__names_t *nm, const char *text, size_t len, cs__tok_t *toks,
                        size_t n, const seen_t *seen, cs__mvec_t *m) {
  /* only emit marks 1 (this marks 2), and only in [lo, hi) */
  for (size_t i = seen->lo; i < seen->hi; i++) {
    if (toks[i].mark != 1) continue;
    for (int dir = -1; dir <= 1; dir += 2) {
      if (!may_coordinate(text, toks, n, i, dir, nm->h_and)) continue;
      size_t cur = i;
      /* a list with "and" in it ("Kónya, Becker and Vasquez"): any
       * capitalised word joined to it by a comma is a name too */
      bool and_list = (i + 1 < n && toks[i + 1].hash == nm->h_and) ||
                      (i > 0 && toks[i - 1].hash == nm->h_and);
      for (int steps = 0; steps < 8; steps++) {
        size_t nb = SIZE_MAX;
        for (size_t d = 1; d <= 2 && nb == SIZE_MAX; d++) {
          size_t j = dir < 0 ? (cur >= d ? cur - d : SIZE_MAX) : cur + d;
          if (j >= n) continue;
          size_t a = dir < 0 ? j : cur, b = dir < 0 ? cur : j;
          if (!coordinated(text, toks, a, b, nm->h_and)) continue;
          if (toks[j].mark) nb = j; /* walk on through names already found */
          else if (person_like(text, len, &toks[j], d == 2 || and_list)) nb = j;
        }
        if (nb == SIZE_MAX) break;
        and_list |= nb + 2 == cur || cur + 2 == nb;
        if (!toks[nb].mark) {
          toks[nb].mark = 2;
          int rc = cs__mvec_push(m, CS_PII_PERSON, toks[nb].start, toks[nb].end);
          if (rc < 0) return rc;
        }
        cur = nb;
      }
    }
  }
  return CS_OK;
}

/* A capitalised word that is no stop word, title or cue: "Snider". */
static bool cap_word(const cs__tok_t *t) {
  return (t->flags & CS_TOK_CAP) && (t->flags & CS_TOK_ALPHA) && t->end - t->start >= 2 &&
         !(t->flags & (CS_TOK_UPPER | CS_TOK_PLACE)) &&
         !(t->name & (CS_NAME_STOP | CS_NAME_TITLE | CS_NAME_CUE));
}

/* Whether t is spelt exactly as one of v[0, n). */
static bool spelt_as(const char *text, const cs__tok_t *t, const cs__word_t *v,
                     size_t n) {
  size_t l = t->end - t->start;
  for (size_t k = 0; k < n; k++)
    if (v[k].len == l && !memcmp(text + t->start, v[k].s, l)) return true;
  return false;
}

/* "Drake PLC", "Fernandez Inc.": a legal form after a run makes it a firm. */
static bool legal_form(const char *text, const cs__tok_t *t) {
  static const cs__word_t v[] = {
      CS__WORD("Inc"),  CS__WORD("LLC"),  CS__WORD("Ltd"), CS__WORD("PLC"), CS__WORD("Plc"),
      CS__WORD("GmbH"), CS__WORD("Corp"), CS__WORD("AG"),  CS__WORD("SA"),  CS__WORD("BV"),
      CS__WORD("NV"),   CS__WORD("Oy"),   CS__WORD("AB"),  CS__WORD("LLP"), CS__WORD("Co"),
      CS__WORD("Group"), CS__WORD("Holdings")};
  return spelt_as(text, t, v, sizeof v / sizeof v[0]);
}

/* Jr, Sr, II, III, IV, MD, DDS, PhD after a full name. */
static bool generational(const char *text, const cs__tok_t *t) {
  static const cs__word_t v[] = {CS__WORD("Jr"), CS__WORD("Sr"),  CS__WORD("II"),
                                 CS__WORD("III"), CS__WORD("IV"), CS__WORD("MD"),
                                 CS__WORD("DDS"), CS__WORD("PhD"), CS__WORD("DVM"),
                                 CS__WORD("Esq")};
  return spelt_as(text, t, v, sizeof v / sizeof v[0]);
}

/* A lower-case word of letters that is neither an everyday word nor a
 * listed stop word, cue or title. */
static bool lower_name(const cs__names_t *nm, const char *text, const cs__tok_t *toks,
                       size_t i) {
  const cs__tok_t *t = &toks[i];
  if ((t->flags & CS_TOK_CAP) || !(t->flags & CS_TOK_ALPHA) || t->end - t->start < 3 || i < 2 ||
      toks[i - 1].end + 1 != t->start || text[toks[i - 1].end] != ' ')
    return false;
  /* only after "name is", "name's", "call me", "called me" */
  uint64_t p = toks[i - 1].hash, q = toks[i - 2].hash;
  bool cued = p == nm->h_names || (p == nm->h_is && q == nm->h_name) ||
              (p == nm->h_me && (q == nm->h_call || q == nm->h_called));
  return cued && !(cs__hset_get(&nm->words, t->hash) &
                   (CS_NAME_WORD | CS_NAME_STOP | CS_NAME_CUE | CS_NAME_TITLE |
                    CS_NAME_PARTICLE | CS_NAME_AFTER));
}

/* Whether the capitalised token t is surely C_NONE to classify by its flags
 * alone: not letters, a place, a stop word or title, an everyday word that
 * is not listed as a name, an acronym (cap_class's tests). Capitalised
 * sentence openers ("The", "Thanks", "CEO") are mostly such; skipping them
 * in the scan saves the trip through classify. An initial is left to
 * classify: one byte, or a letter of two or three bytes (starts past ASCII). */
static inline bool plainly_no_name(const char *text, const cs__tok_t *t) {
  uint8_t nf = t->name;
  uint16_t fl = t->flags;
  size_t l = t->end - t->start;
  bool listed = nf & (CS_NAME_GIVEN | CS_NAME_SUR);
  bool none = !(fl & CS_TOK_ALPHA) || (fl & CS_TOK_PLACE) || (nf & (CS_NAME_STOP | CS_NAME_TITLE)) ||
              ((nf & CS_NAME_WORD) && !listed) || ((fl & CS_TOK_UPPER) && (l <= 4 || !listed));
  return none && l >= 2 && (l > 3 || (unsigned char)text[t->start] < 0x80);
}

/* The first token at or after i that can start a run, or n. Outside a
 * record in lower case, a lower-case token cannot (classify gives C_P, a
 * particle, or C_NONE) unless it is a cued lower-case name ("my name is
 * vitoria"); those tokens, most of a record, are skipped here, in a loop
 * of its own that keeps its few variables in registers. */
/* Whether toks[i] can start a run outside a lower-case record; prev is
 * toks[i - 1].hash (0 for the first). */
static inline bool may_start(const cs__names_t *nm, const char *text, const cs__tok_t *toks, size_t i,
                             uint64_t prev) {
  if (toks[i].flags & CS_TOK_CAP) return !plainly_no_name(text, &toks[i]);
  /* lower_name's cues end so; a particle needs no test of its own:
   * lower_name rejects it (its name flags come from the same set) */
  return (prev == nm->h_names || prev == nm->h_is || prev == nm->h_me) && lower_name(nm, text, toks, i);
}

static size_t next_run_start(const cs__names_t *nm, const char *text, const cs__tok_t *toks,
                             size_t n, size_t i, bool lower) {
  if (lower) return i;
  uint64_t prev = i ? toks[i - 1].hash : 0;
  /* four tokens a turn: the loop's own instructions were a third of it */
  for (; i + 4 <= n; i += 4) {
    if (may_start(nm, text, toks, i, prev)) return i;
    if (may_start(nm, text, toks, i + 1, toks[i].hash)) return i + 1;
    if (may_start(nm, text, toks, i + 2, toks[i + 1].hash)) return i + 2;
    if (may_start(nm, text, toks, i + 3, toks[i + 2].hash)) return i + 3;
    prev = toks[i + 3].hash;
  }
  for (; i < n; i++) {
    if (may_start(nm, text, toks, i, prev)) return i;
    prev = toks[i].hash;
  }
  return n;
}

int cs__names_find(const cs__names_t *nm, const char *text, size_t len, cs__tok_t *toks,
                   size_t n, bool lower, cs__mvec_t *m) {
  seen_t seen; /* not zeroed: a record reads only h[0, n) */
  seen.n = 0;
  seen.lo = n;
  seen.hi = 0;
  cls_t c[8];
  size_t m0 = m->n;
  for (size_t i = 0; (i = next_run_start(nm, text, toks, n, i, lower)) < n;) {
    c[0] = classify(text, len, &toks[i], lower);
    if ((c[0] == C_NONE || c[0] == C_U) && !(toks[i].flags & CS_TOK_CAP) &&
        lower_name(nm, text, toks, i)) { /* (lower_name rejects capitals at once) */
      /* "my name is vitoria", "call me višeslav": a strong cue, then a
       * lower-case word that is no everyday word */
      int rc = emit(m, toks, i, i + 1, &seen, c);
      if (rc < 0) return rc;
      i++;
      continue;
    }
    if (c[0] == C_NONE || c[0] == C_P) { i++; continue; }
    size_t j = i + 1;
    while (j < n && j - i < 8 && joined(text, &toks[j - 1], &toks[j])) {
      c[j - i] = classify(text, len, &toks[j], lower);
      /* "Ella H. Snider": after a name and an initial, a capitalised
       * everyday word is a surname */
      if (c[j - i] == C_NONE && j - i >= 2 && c[j - i - 1] == C_I && c[0] != C_I &&
          cap_word(&toks[j]))
        c[j - i] = C_s;
      /* "Moira Pagan", "Steve Jobs": after a listed given name that is no
       * everyday word, a capitalised everyday word ending the run is a
       * surname ("Paris Peace Forum", "Jackson Hole Symposium" go on) */
      if (c[j - i] == C_NONE && j - i == 1 && c[0] == C_G && cap_word(&toks[j]) &&
          (toks[j].name & CS_NAME_WORD) &&
          !(j + 1 < n && joined(text, &toks[j], &toks[j + 1]) && (toks[j + 1].flags & CS_TOK_CAP)))
        c[j - i] = C_s;
      if (c[j - i] == C_NONE) break;
      j++;
    }
    /* "Kevin Veitonen II", "Sammy Davis Jr." */
    size_t jx = j < n && j - i >= 2 && joined(text, &toks[j - 1], &toks[j]) &&
                        generational(text, &toks[j])
                    ? j + 1
                    : j;
    size_t k = j - i;
    int after = after_cue(toks, n, j, text, len);
    int cue = after == 2 ? 2 : cue_before(nm, text, toks, i);
    size_t first = decide(c, k, after ? 2 : cue, lower && !(toks[i].flags & CS_TOK_CAP));
    if (first < k && cue < 2 && place_like(nm, text, len, toks, n, i + first, j, c + first)) first = k;
    if (first < k && j < n && joined(text, &toks[j - 1], &toks[j]) && legal_form(text, &toks[j]))
      first = k;
    if (first < k && !cue && !after && !lower && sentence_opener(nm, text, toks, i + first, j, c + first))
      first = k;
    if (first < k) {
      int rc = emit(m, toks, i + first, j, &seen, c + first);
      if (rc == CS_OK && jx > j) rc = cs__mvec_push(m, CS_PII_PERSON, toks[j].start, toks[j].end);
      if (rc < 0) return rc;
    }
    i = j;
  }
  /* both start from the names found above (marked by emit): none, nothing */
  if (m->n == m0) return CS_OK;
  int rc = coordination(nm, text, len, toks, n, &seen, m);
  return rc < 0 ? rc : later_mentions(toks, n, &seen, m);
}
