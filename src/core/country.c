/* country.c — the ISO 3166-1 alpha-2 list (249 assigned codes). */
#include <consentry/country.h>

#include <string.h>

static const char iso_codes[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU "
    "ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ "
    "LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ "
    "OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA "
    "RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ "
    "UA UG UM US UY UZ "
    "VA VC VE VG VI VN VU "
    "WF WS "
    "YE YT "
    "ZA ZM ZW ";

static cs_country_t pack(char a, char b) { return (cs_country_t)((a - 'A') * 26 + (b - 'A') + 1); }

static int is_assigned(char a, char b) {
  for (const char *p = iso_codes; *p; p += 3)
    if (p[0] == a && p[1] == b) return 1;
  return 0;
}

int cs_country_parse(const char *s, size_t len, cs_country_t *out) {
  if (len != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') return CS_EINVAL;
  if (!is_assigned(s[0], s[1])) return CS_EINVAL;
  *out = pack(s[0], s[1]);
  return CS_OK;
}

void cs_country_str(cs_country_t c, char out[3]) {
  if (c == CS_COUNTRY_NONE || c >= CS_COUNTRY_SLOTS) {
    out[0] = '\0';
    return;
  }
  out[0] = (char)('A' + (c - 1) / 26);
  out[1] = (char)('A' + (c - 1) % 26);
  out[2] = '\0';
}

void cs_country_each(void (*fn)(void *ctx, cs_country_t c), void *ctx) {
  for (const char *p = iso_codes; *p; p += 3) fn(ctx, pack(p[0], p[1]));
}
