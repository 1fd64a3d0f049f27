/* pii.c — generators of personal data that validators accept.
 *
 * Card numbers pass Luhn with real brand prefixes and lengths; IBANs pass
 * mod-97 and, where the country has one (ES, BE, FR), the national check too;
 * US SSNs use valid areas, groups and serials; UK NINOs valid prefixes;
 * phones follow each country's numbering plan in international and national
 * spelling. Each generator appends one item and labels exactly its bytes.
 */
#include "synth/synth_int.h"

#include <string.h>

/* ---- Check digits --------------------------------------------------------- */

bool cs__luhn_ok(const char *s, size_t n) {
  int sum = 0, k = 0;
  for (size_t i = n; i-- > 0;) {
    if (s[i] < '0' || s[i] > '9') continue;
    int d = s[i] - '0';
    if (k++ & 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return k >= 2 && sum % 10 == 0;
}

int cs__luhn_digit(const char *digits, size_t n) {
  int sum = 0, k = 1; /* the check digit will sit at position 0 */
  for (size_t i = n; i-- > 0;) {
    int d = digits[i] - '0';
    if (k++ & 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - sum % 10) % 10;
}

/* Value mod 97 of a string of digits and letters (A=10..Z=35). */
static unsigned mod97(const char *s, size_t n, unsigned acc) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') acc = (acc * 10 + (unsigned)(c - '0')) % 97;
    else if (c >= 'A' && c <= 'Z') acc = (acc * 100 + (unsigned)(c - 'A' + 10)) % 97;
  }
  return acc;
}

bool cs__iban_ok(const char *s, size_t n) {
  char c[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k < sizeof c; i++)
    if (s[i] != ' ') c[k++] = s[i];
  if (k < 15 || k > 34) return false;
  return mod97(c, 4, mod97(c + 4, k - 4, 0)) == 1;
}

/* ---- Small helpers -------------------------------------------------------- */

static void rand_digits(cs__rng_t *r, char *out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = (char)('0' + cs__rng_below(r, 10));
}

/* Appends digits in groups (sizes end at 0) joined by sep; sep 0: none. */
static void put_grouped(cs__text_t *t, const char *d, const uint8_t *groups, char sep) {
  for (size_t g = 0; groups[g]; g++) {
    if (g && sep) cs__tx_put(t, &sep, 1);
    cs__tx_put(t, d, groups[g]);
    d += groups[g];
  }
}

/* ---- Credit cards --------------------------------------------------------- */

typedef struct {
  const char *prefix;
  uint8_t len;
  uint8_t groups[6];
} brand_t;

static const brand_t brands[] = {
    {"4", 16, {4, 4, 4, 4}},     {"4", 16, {4, 4, 4, 4}},   {"51", 16, {4, 4, 4, 4}},
    {"53", 16, {4, 4, 4, 4}},    {"55", 16, {4, 4, 4, 4}},  {"2221", 16, {4, 4, 4, 4}},
    {"2720", 16, {4, 4, 4, 4}},  {"34", 15, {4, 6, 5}},     {"37", 15, {4, 6, 5}},
    {"6011", 16, {4, 4, 4, 4}},  {"65", 16, {4, 4, 4, 4}},  {"3528", 16, {4, 4, 4, 4}},
    {"3589", 16, {4, 4, 4, 4}},  {"36", 14, {4, 6, 4}},     {"4", 13, {4, 4, 5}},
};

void cs__pii_card(cs__text_t *t, cs__rng_t *r) {
  const brand_t *b = &CS__PICK(r, brands);
  char d[20];
  size_t np = strlen(b->prefix);
  memcpy(d, b->prefix, np);
  rand_digits(r, d + np, b->len - 1 - np);
  d[b->len - 1] = (char)('0' + cs__luhn_digit(d, b->len - 1u));
  static const char seps[] = {' ', ' ', '-', 0};
  size_t start = t->len;
  put_grouped(t, d, b->groups, CS__PICK(r, seps));
  cs__tx_label(t, CS_LABEL_CREDIT_CARD, start);
}

/* ---- IBANs ---------------------------------------------------------------- */

static void es_check(const char *bank_branch, const char *acct, char out[2]) {
  static const int w[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
  int s1 = 0, s2 = 0;
  for (int i = 0; i < 8; i++) s1 += (bank_branch[i] - '0') * w[i + 2];
  for (int i = 0; i < 10; i++) s2 += (acct[i] - '0') * w[i];
  int d1 = 11 - s1 % 11, d2 = 11 - s2 % 11;
  out[0] = (char)('0' + (d1 == 11 ? 0 : d1 == 10 ? 1 : d1));
  out[1] = (char)('0' + (d2 == 11 ? 0 : d2 == 10 ? 1 : d2));
}

static uint64_t num(const char *s, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (uint64_t)(s[i] - '0');
  return v;
}

/* Writes a country's BBAN into b and returns its length. */
static size_t bban(cs__rng_t *r, const char *cc, char *b) {
  static const char *const gb_banks[] = {"NWBK", "BARC", "HBUK", "LOYD", "MIDL", "MONZ"};
  static const char *const nl_banks[] = {"ABNA", "INGB", "RABO", "TRIO", "KNAB", "SNSB"};
  if (!strcmp(cc, "DE")) return rand_digits(r, b, 18), 18;
  if (!strcmp(cc, "GB")) return memcpy(b, CS__PICK(r, gb_banks), 4), rand_digits(r, b + 4, 14), 18;
  if (!strcmp(cc, "NL")) return memcpy(b, CS__PICK(r, nl_banks), 4), rand_digits(r, b + 4, 10), 14;
  if (!strcmp(cc, "ES")) {
    rand_digits(r, b, 8);
    rand_digits(r, b + 10, 10);
    es_check(b, b + 10, b + 8);
    return 20;
  }
  if (!strcmp(cc, "BE")) {
    rand_digits(r, b, 10);
    uint64_t c = num(b, 10) % 97;
    cs__w_pad(b + 10, c ? c : 97, 2);
    return 12;
  }
  /* FR: bank 5, branch 5, account 11, RIB key 2. */
  rand_digits(r, b, 21);
  uint64_t key = 97 - (89 * num(b, 5) + 15 * num(b + 5, 5) + 3 * num(b + 10, 11)) % 97;
  cs__w_pad(b + 21, key, 2);
  return 23;
}

void cs__pii_iban(cs__text_t *t, cs__rng_t *r) {
  static const char *const ccs[] = {"DE", "GB", "FR", "NL", "ES", "BE", "DE", "FR"};
  const char *cc = CS__PICK(r, ccs);
  char iban[40];
  size_t nb = bban(r, cc, iban + 4);
  /* Check digits: 98 - (BBAN . country . "00") mod 97. */
  char tail[4] = {cc[0], cc[1], '0', '0'};
  unsigned check = 98 - mod97(tail, 4, mod97(iban + 4, nb, 0));
  memcpy(iban, cc, 2);
  cs__w_pad(iban + 2, check, 2);
  size_t n = nb + 4, start = t->len;
  if (cs__rng_chance(r, 300)) {
    cs__tx_put(t, iban, n);
  } else {
    for (size_t i = 0; i < n; i += 4) {
      if (i) cs__tx_put(t, " ", 1);
      cs__tx_put(t, iban + i, n - i < 4 ? n - i : 4);
    }
  }
  cs__tx_label(t, CS_LABEL_IBAN, start);
}

/* ---- Phones --------------------------------------------------------------- */

/* A phone pattern: '#' is a random digit, 'N' a digit 2..9, 'M' a digit
 * 6..9, everything else literal. */
static void put_pattern(cs__text_t *t, cs__rng_t *r, const char *pat) {
  char buf[48];
  size_t k = 0;
  for (; *pat && k < sizeof buf; pat++) {
    char c = *pat;
    if (c == '#') c = (char)('0' + cs__rng_below(r, 10));
    else if (c == 'N') c = (char)('2' + cs__rng_below(r, 8));
    else if (c == 'M') c = (char)('6' + cs__rng_below(r, 4));
    buf[k++] = c;
  }
  cs__tx_put(t, buf, k);
}

static const char *const phone_patterns[] = {
    /* US (NANP: area and exchange codes start 2..9) */
    "+1 N##-N##-####", "(N##) N##-####", "N##-N##-####", "+1 (N##) N## ####", "N##.N##.####",
    /* UK */
    "+44 7### ######", "07### ######", "+44 20 7### ####", "020 7### ####", "0161 ### ####",
    /* DE */
    "+49 15# ########", "015# ########", "+49 30 ########", "030 ########", "089 #######",
    /* FR */
    "+33 6 ## ## ## ##", "06 ## ## ## ##", "+33 1 ## ## ## ##", "01 ## ## ## ##",
    /* IN (mobiles start 6..9) */
    "+91 M#### #####", "+91-M#########", "0M#### #####",
    /* NG */
    "+234 803 ### ####", "0803 ### ####", "+234 806 ### ####", "0706 ### ####",
    "+234 812 ### ####",
};

void cs__pii_phone(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  put_pattern(t, r, CS__PICK(r, phone_patterns));
  cs__tx_label(t, CS_LABEL_PHONE, start);
}

/* ---- Network addresses ---------------------------------------------------- */

static void put_hex16(cs__text_t *t, unsigned v) {
  static const char hex[] = "0123456789abcdef";
  char b[4];
  size_t k = 0;
  for (int sh = 12; sh >= 0; sh -= 4)
    if (k || (v >> sh) & 15 || sh == 0) b[k++] = hex[(v >> sh) & 15];
  cs__tx_put(t, b, k);
}

static void put_ipv6(cs__text_t *t, cs__rng_t *r) {
  static const unsigned heads[] = {0x2001, 0x2a02, 0x2600, 0x2c0f, 0x2405, 0x2804};
  bool compress = cs__rng_chance(r, 500);
  put_hex16(t, CS__PICK(r, heads));
  for (int g = 1; g < 8; g++) {
    if (compress && g >= 3 && g <= 5) {
      if (g == 3) cs__tx_put(t, ":", 1);
      continue;
    }
    cs__tx_put(t, ":", 1);
    put_hex16(t, cs__rng_below(r, 0x10000));
  }
}

void cs__pii_ip(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  if (cs__rng_chance(r, 300)) {
    put_ipv6(t, r);
  } else {
    static const unsigned firsts[] = {81, 82, 86, 92, 102, 105, 151, 176, 185, 188, 203, 212};
    cs__tx_u64(t, CS__PICK(r, firsts));
    for (int i = 0; i < 3; i++) {
      cs__tx_put(t, ".", 1);
      cs__tx_u64(t, i == 2 ? 1 + cs__rng_below(r, 254) : cs__rng_below(r, 256));
    }
  }
  cs__tx_label(t, CS_LABEL_IP, start);
}

/* ---- National identifiers ------------------------------------------------- */

void cs__pii_ssn(cs__text_t *t, cs__rng_t *r) {
  uint32_t area = 1 + cs__rng_below(r, 899);
  if (area == 666) area = 665;
  char sep = cs__rng_chance(r, 850) ? '-' : ' ';
  size_t start = t->len;
  cs__tx_pad(t, area, 3);
  cs__tx_put(t, &sep, 1);
  cs__tx_pad(t, 1 + cs__rng_below(r, 99), 2);
  cs__tx_put(t, &sep, 1);
  cs__tx_pad(t, 1 + cs__rng_below(r, 9999), 4);
  cs__tx_label(t, CS_LABEL_SSN, start);
}

void cs__pii_nino(cs__text_t *t, cs__rng_t *r) {
  static const char first[] = "ABCEGHJKLMNOPRSTWXYZ", second[] = "ABCEGHJKLMNPRSTWXYZ";
  static const char *const banned[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
  char p[2];
  bool ok;
  do {
    p[0] = first[cs__rng_below(r, sizeof first - 1)];
    p[1] = second[cs__rng_below(r, sizeof second - 1)];
    ok = true;
    for (uint32_t i = 0; i < CS__COUNT(banned); i++) ok &= memcmp(p, banned[i], 2) != 0;
  } while (!ok);
  char d[6], suffix = (char)('A' + cs__rng_below(r, 4));
  rand_digits(r, d, 6);
  bool spaced = cs__rng_chance(r, 500);
  size_t start = t->len;
  cs__tx_put(t, p, 2);
  for (int i = 0; i < 3; i++) {
    if (spaced) cs__tx_put(t, " ", 1);
    cs__tx_put(t, d + 2 * i, 2);
  }
  if (spaced) cs__tx_put(t, " ", 1);
  cs__tx_put(t, &suffix, 1);
  cs__tx_label(t, CS_LABEL_NINO, start);
}

/* ---- Street addresses ----------------------------------------------------- */

typedef struct {
  const char *city, *region; /* region: US state or "" */
  uint32_t code_lo, code_hi; /* postal code range (US ZIP, DE/FR code) */
} town_t;

static const town_t us_towns[] = {
    {"Springfield", "IL", 62701, 62796}, {"Columbus", "OH", 43004, 43291},
    {"Portland", "OR", 97201, 97299},    {"Madison", "WI", 53703, 53794},
    {"Raleigh", "NC", 27601, 27699},     {"Albuquerque", "NM", 87101, 87199},
    {"Tucson", "AZ", 85701, 85775},      {"Omaha", "NE", 68102, 68198},
    {"Richmond", "VA", 23219, 23298},    {"Boise", "ID", 83702, 83799},
};
static const char *const us_streets[] = {"Maple", "Oak", "Cedar", "Elm", "Willow", "Hillcrest",
                                         "Lakeview", "Sunset", "Ridge", "Chestnut", "Meadow",
                                         "Pine", "Highland", "Riverside", "Juniper"};
static const char *const us_suffixes[] = {"Avenue", "Street", "Road",  "Drive", "Lane",
                                          "Boulevard", "Court", "Way", "Place", "Terrace"};

static void address_us(cs__text_t *t, cs__rng_t *r) {
  const town_t *w = &CS__PICK(r, us_towns);
  cs__tx_u64(t, 1 + cs__rng_below(r, 9899));
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, CS__PICK(r, us_streets));
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, CS__PICK(r, us_suffixes));
  if (cs__rng_chance(r, 250)) {
    cs__tx_str(t, ", Apt ");
    cs__tx_u64(t, 1 + cs__rng_below(r, 30));
    char unit = (char)('A' + cs__rng_below(r, 6));
    cs__tx_put(t, &unit, 1);
  }
  cs__tx_str(t, ", ");
  cs__tx_str(t, w->city);
  cs__tx_str(t, ", ");
  cs__tx_str(t, w->region);
  cs__tx_put(t, " ", 1);
  cs__tx_pad(t, w->code_lo + cs__rng_below(r, w->code_hi - w->code_lo + 1), 5);
}

static const struct {
  const char *town, *area;
} uk_towns[] = {{"Leeds", "LS"}, {"Bristol", "BS"}, {"Cardiff", "CF"}, {"Glasgow", "G"},
                {"Oxford", "OX"}, {"Brighton", "BN"}, {"Sheffield", "S"}, {"York", "YO"},
                {"Norwich", "NR"}, {"Belfast", "BT"}};
static const char *const uk_streets[] = {"High Street", "Station Road", "Church Lane",
                                         "Victoria Road", "Mill Lane", "Park Avenue",
                                         "Queen's Road", "Green Lane", "The Crescent"};

static void address_uk(cs__text_t *t, cs__rng_t *r) {
  static const char inward[] = "ABDEFGHJLNPQRSTUWXYZ"; /* no C I K M O V */
  int which = (int)cs__rng_below(r, CS__COUNT(uk_towns));
  cs__tx_u64(t, 1 + cs__rng_below(r, 240));
  if (cs__rng_chance(r, 80)) cs__tx_put(t, "B", 1);
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, CS__PICK(r, uk_streets));
  cs__tx_str(t, ", ");
  cs__tx_str(t, uk_towns[which].town);
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, uk_towns[which].area);
  cs__tx_u64(t, 1 + cs__rng_below(r, 20));
  cs__tx_put(t, " ", 1);
  char in[3] = {(char)('0' + cs__rng_below(r, 10)), inward[cs__rng_below(r, 20)],
                inward[cs__rng_below(r, 20)]};
  cs__tx_put(t, in, 3);
}

static const town_t de_towns[] = {
    {"Berlin", "", 10115, 14199},  {"Hamburg", "", 20095, 22769},  {"Leipzig", "", 4103, 4357},
    {"Stuttgart", "", 70173, 70629}, {"Dresden", "", 1067, 1328}, {"Nürnberg", "", 90402, 90491},
    {"Frankfurt am Main", "", 60306, 60599}, {"Bremen", "", 28195, 28779},
};
static const char *const de_streets[] = {"Hauptstraße", "Bahnhofstraße", "Schillerstraße",
                                         "Goethestraße", "Lindenallee", "Gartenweg",
                                         "Friedrichstraße", "Am Mühlbach", "Königsallee"};
static const town_t fr_towns[] = {{"Nantes", "", 44000, 44300}, {"Bordeaux", "", 33000, 33800},
                                  {"Toulouse", "", 31000, 31500}, {"Lille", "", 59000, 59800},
                                  {"Strasbourg", "", 67000, 67200}, {"Rennes", "", 35000, 35200}};
static const char *const fr_streets[] = {"rue de la Paix", "avenue Jean Jaurès",
                                         "boulevard Saint-Michel", "rue des Lilas",
                                         "place de la République", "rue du Château"};

static void address_de(cs__text_t *t, cs__rng_t *r) {
  const town_t *w = &CS__PICK(r, de_towns);
  cs__tx_str(t, CS__PICK(r, de_streets));
  cs__tx_put(t, " ", 1);
  cs__tx_u64(t, 1 + cs__rng_below(r, 180));
  if (cs__rng_chance(r, 100)) cs__tx_put(t, "a", 1);
  cs__tx_str(t, ", ");
  cs__tx_pad(t, w->code_lo + cs__rng_below(r, w->code_hi - w->code_lo + 1), 5);
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, w->city);
}

static void address_fr(cs__text_t *t, cs__rng_t *r) {
  const town_t *w = &CS__PICK(r, fr_towns);
  cs__tx_u64(t, 1 + cs__rng_below(r, 120));
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, CS__PICK(r, fr_streets));
  cs__tx_str(t, ", ");
  cs__tx_pad(t, w->code_lo + cs__rng_below(r, w->code_hi - w->code_lo + 1), 5);
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, w->city);
}

void cs__pii_address(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  uint32_t k = cs__rng_below(r, 10);
  if (k < 4) address_us(t, r);
  else if (k < 6) address_uk(t, r);
  else if (k < 9) address_de(t, r);
  else address_fr(t, r);
  cs__tx_label(t, CS_LABEL_ADDRESS, start);
}

/* ---- People, mail and links of non-members ------------------------------- */

void cs__pii_person(cs__text_t *t, cs__rng_t *r, bool first_only) {
  size_t start = t->len;
  cs__tx_str(t, cs__first_names[cs__rng_below(r, cs__n_first_names)].s);
  if (!first_only) {
    cs__tx_put(t, " ", 1);
    cs__tx_str(t, cs__last_names[cs__rng_below(r, cs__n_last_names)].s);
  }
  cs__tx_label(t, CS_LABEL_PERSON, start);
}

static const char *const work_domains[] = {
    "kestrelrobotics.io", "lumenhealth.org",  "quanticalabs.ai",   "redwoodpay.com",
    "helios-energy.de",   "blueharbor.co.uk", "tidewaterfoods.com", "zephyr-mobility.fr",
    "pinecrest.capital",  "umbrasec.io",      "gmail.com",         "outlook.com",
};

void cs__pii_email(cs__text_t *t, cs__rng_t *r) {
  const cs__name_t *f = &cs__first_names[cs__rng_below(r, cs__n_first_names)];
  const cs__name_t *l = &cs__last_names[cs__rng_below(r, cs__n_last_names)];
  size_t start = t->len;
  uint32_t style = cs__rng_below(r, 4);
  cs__tx_ascii(t, f);
  if (style == 0) cs__tx_put(t, ".", 1);
  if (style == 1) cs__tx_put(t, "_", 1);
  if (style != 3) cs__tx_ascii(t, l);
  if (style == 1) cs__tx_u64(t, 10 + cs__rng_below(r, 90));
  cs__tx_put(t, "@", 1);
  cs__tx_str(t, CS__PICK(r, work_domains));
  cs__tx_label(t, CS_LABEL_EMAIL, start);
}

void cs__pii_url(cs__text_t *t, cs__rng_t *r) {
  const cs__name_t *f = &cs__first_names[cs__rng_below(r, cs__n_first_names)];
  const cs__name_t *l = &cs__last_names[cs__rng_below(r, cs__n_last_names)];
  size_t start = t->len;
  switch (cs__rng_below(r, 5)) {
  case 0:
    cs__tx_str(t, "https://www.linkedin.com/in/");
    cs__tx_ascii(t, f);
    cs__tx_put(t, "-", 1);
    cs__tx_ascii(t, l);
    cs__tx_put(t, "-", 1);
    cs__tx_u64(t, 100 + cs__rng_below(r, 900));
    break;
  case 1:
    cs__tx_str(t, "https://github.com/");
    cs__tx_ascii(t, f);
    cs__tx_ascii(t, l);
    break;
  case 2:
    cs__tx_str(t, "https://");
    cs__tx_ascii(t, f);
    cs__tx_ascii(t, l);
    cs__tx_str(t, cs__rng_chance(r, 500) ? ".dev" : ".com");
    break;
  case 3:
    cs__tx_str(t, "https://calendly.com/");
    cs__tx_ascii(t, f);
    cs__tx_put(t, "-", 1);
    cs__tx_ascii(t, l);
    cs__tx_str(t, "/30min");
    break;
  default:
    cs__tx_str(t, "www.");
    cs__tx_ascii(t, l);
    cs__tx_str(t, "-portfolio.net/about?ref=");
    cs__tx_ascii(t, f);
    break;
  }
  cs__tx_label(t, CS_LABEL_URL, start);
}
