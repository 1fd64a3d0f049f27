/* lookalikes.c — things that look like personal data and are not: dates,
 * versions, percentages, money, order numbers, ISO standard numbers, company
 * and city names. A redactor that removes these is over-redacting; labels
 * let the evaluation count that.
 *
 * Order numbers are long digit strings grouped like card numbers on purpose,
 * and their last digit is always chosen so that Luhn FAILS: they are the
 * negatives a card detector must reject.
 */
#include "synth/synth_int.h"

static const char *const months[] = {"January", "February", "March",     "April",
                                     "May",     "June",     "July",      "August",
                                     "September", "October", "November", "December"};

/* Appends "a<sep>b<sep>c", each zero-padded to two digits (years have four). */
static void put3(cs__text_t *t, uint32_t a, const char *sep, uint32_t b, uint32_t c) {
  cs__tx_pad(t, a, 2);
  cs__tx_str(t, sep);
  cs__tx_pad(t, b, 2);
  cs__tx_str(t, sep);
  cs__tx_pad(t, c, 2);
}

void cs__look_date(cs__text_t *t, cs__rng_t *r) {
  uint32_t y = 2019 + cs__rng_below(r, 8), m = 1 + cs__rng_below(r, 12),
           d = 1 + cs__rng_below(r, 28);
  size_t start = t->len;
  switch (cs__rng_below(r, 5)) {
  case 0: put3(t, y, "-", m, d); break;
  case 1:
    cs__tx_u64(t, d);
    cs__tx_put(t, " ", 1);
    cs__tx_str(t, months[m - 1]);
    cs__tx_put(t, " ", 1);
    cs__tx_u64(t, y);
    break;
  case 2:
    cs__tx_str(t, months[m - 1]);
    cs__tx_put(t, " ", 1);
    cs__tx_u64(t, d);
    cs__tx_str(t, ", ");
    cs__tx_u64(t, y);
    break;
  case 3: put3(t, d, "/", m, y); break;
  default: put3(t, d, ".", m, y); break;
  }
  cs__tx_label(t, CS_LABEL_DATE, start);
}

void cs__look_version(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  uint32_t style = cs__rng_below(r, 3);
  if (style == 0) cs__tx_put(t, "v", 1);
  cs__tx_u64(t, cs__rng_below(r, 12));
  cs__tx_put(t, ".", 1);
  cs__tx_u64(t, cs__rng_below(r, 20));
  if (style != 2) {
    cs__tx_put(t, ".", 1);
    cs__tx_u64(t, cs__rng_below(r, 10));
  }
  cs__tx_label(t, CS_LABEL_VERSION, start);
}

void cs__look_percent(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  cs__tx_u64(t, 1 + cs__rng_below(r, 99));
  if (cs__rng_chance(r, 300)) {
    cs__tx_put(t, ".", 1);
    cs__tx_u64(t, cs__rng_below(r, 10));
  }
  cs__tx_put(t, "%", 1);
  cs__tx_label(t, CS_LABEL_PERCENT, start);
}

/* 1299 -> "1,299" (sep ',') or "1.299" (sep '.'). */
static void put_thousands(cs__text_t *t, uint64_t v, char sep) {
  if (v >= 1000) {
    put_thousands(t, v / 1000, sep);
    cs__tx_put(t, &sep, 1);
    cs__tx_pad(t, v % 1000, 3);
  } else {
    cs__tx_u64(t, v);
  }
}

void cs__look_money(cs__text_t *t, cs__rng_t *r) {
  static const uint64_t scales[] = {100, 1000, 10000, 100000, 2000000};
  uint64_t v = 1 + cs__rng_below(r, (uint32_t)CS__PICK(r, scales));
  size_t start = t->len;
  switch (cs__rng_below(r, 6)) {
  case 0:
    cs__tx_put(t, "$", 1), put_thousands(t, v, ','), cs__tx_put(t, ".", 1),
        cs__tx_pad(t, cs__rng_below(r, 100), 2);
    break;
  case 1: cs__tx_put(t, "$", 1), put_thousands(t, v, ','); break;
  case 2: cs__tx_str(t, "€"), put_thousands(t, v, ','); break;
  case 3:
    cs__tx_str(t, "£"), put_thousands(t, v, ','), cs__tx_put(t, ".", 1),
        cs__tx_pad(t, cs__rng_below(r, 100), 2);
    break;
  case 4: cs__tx_str(t, "₹"), put_thousands(t, v, ','); break;
  default: cs__tx_str(t, "CHF "), put_thousands(t, v, '\''); break;
  }
  cs__tx_label(t, CS_LABEL_MONEY, start);
}

void cs__look_order(cs__text_t *t, cs__rng_t *r) {
  static const uint8_t lens[] = {12, 14, 16, 16};
  char d[16];
  uint8_t n = CS__PICK(r, lens);
  d[0] = (char)('1' + cs__rng_below(r, 9));
  for (uint8_t i = 1; i + 1 < n; i++) d[i] = (char)('0' + cs__rng_below(r, 10));
  int good = cs__luhn_digit(d, n - 1u);
  d[n - 1] = (char)('0' + (good + 1 + (int)cs__rng_below(r, 9)) % 10);
  size_t start = t->len;
  char sep = n == 16 && cs__rng_chance(r, 600) ? (cs__rng_chance(r, 500) ? ' ' : '-') : 0;
  for (uint8_t i = 0; i < n; i += 4) {
    if (i && sep) cs__tx_put(t, &sep, 1);
    cs__tx_put(t, d + i, n - i < 4 ? n - i : 4);
  }
  cs__tx_label(t, CS_LABEL_ORDER_NUMBER, start);
}

void cs__look_iso(cs__text_t *t, cs__rng_t *r) {
  static const char *const iso[] = {
      "ISO 27001",          "ISO 9001:2015", "ISO/IEC 27001:2022", "ISO 14001",
      "ISO 8601",           "ISO 45001:2018", "ISO/IEC 42001:2023", "ISO 3166-1",
      "ISO/IEC 27701:2019", "ISO 13485",      "ISO 22301",          "ISO 50001"};
  size_t start = t->len;
  cs__tx_str(t, CS__PICK(r, iso));
  cs__tx_label(t, CS_LABEL_ISO_STANDARD, start);
}

void cs__look_company(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  cs__tx_str(t, cs__companies[cs__rng_below(r, cs__n_companies)]);
  cs__tx_label(t, CS_LABEL_COMPANY, start);
}

void cs__look_city(cs__text_t *t, cs__rng_t *r) {
  size_t start = t->len;
  cs__tx_str(t, cs__cities[cs__rng_below(r, cs__n_cities)]);
  cs__tx_label(t, CS_LABEL_CITY, start);
}
