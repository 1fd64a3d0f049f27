/* test_types.c — each structured type found, and its look-alikes kept. */
#include "redact/redact_util.h"

static fixture_t F;

static void test_email_url_ip(void) {
  CHECK_REDACT(&F, "mail jane.doe+x@example.co.uk now", "mail <EMAIL> now");
  CHECK_REDACT(&F, "see https://example.com/a?b=1).", "see <URL>).");
  CHECK_REDACT(&F, "visit www.example.org, or example.io", "visit <URL>, or <URL>");
  CHECK_REDACT(&F, "host 192.168.1.10 and 2001:db8::1.", "host <IP> and <IP>.");
  CHECK_REDACT(&F, "fe80::1ff:fe23:4567:890a is up", "<IP> is up");
  /* look-alikes */
  CHECK_REDACT(&F, "version 1.2.3 and 300.1.1.1 and e.g. Node.js", "version 1.2.3 and 300.1.1.1 and e.g. Node.js");
  CHECK_REDACT(&F, "at 12:30:45 today", "at 12:30:45 today");
  CHECK_REDACT(&F, "a role at Booking.com, see booking.com/jobs", "a role at Booking.com, see <URL>");
}

static void test_cards_iban(void) {
  CHECK_REDACT(&F, "card 4111 1111 1111 1111 ok", "card <CREDIT_CARD> ok");
  CHECK_REDACT(&F, "card 5500-0000-0000-0004", "card <CREDIT_CARD>");
  CHECK_REDACT(&F, "amex 378282246310005", "amex <CREDIT_CARD>");
  CHECK_REDACT(&F, "bad 4111 1111 1111 1112 kept", "bad 4111 1111 1111 1112 kept");
  CHECK_REDACT(&F, "order 1234567812345678 kept", "order 1234567812345678 kept");
  CHECK_REDACT(&F, "IBAN GB82 WEST 1234 5698 7654 32.", "IBAN <IBAN>.");
  CHECK_REDACT(&F, "iban DE89370400440532013000", "iban <IBAN>");
  CHECK_REDACT(&F, "iban DE89370400440532013001 bad", "iban DE89370400440532013001 bad");
}

static void test_ssn_nino(void) {
  CHECK_REDACT(&F, "SSN 123-45-6789", "SSN <SSN>");
  CHECK_REDACT(&F, "my ssn is 123456789", "my ssn is <SSN>");
  CHECK_REDACT(&F, "id 000-12-3456 and 666-12-3456 and 900-12-3456", "id 000-12-3456 and 666-12-3456 and 900-12-3456");
  CHECK_REDACT(&F, "order 123456789 shipped", "order 123456789 shipped");
  CHECK_REDACT(&F, "NINO AB 12 34 56 C", "NINO <NINO>");
  CHECK_REDACT(&F, "NINO QQ123456C? no: BG123456A", "NINO QQ123456C? no: BG123456A");
}

static void test_phones(void) {
  CHECK_REDACT(&F, "call (555) 123-4567", "call <PHONE>");
  CHECK_REDACT(&F, "US +1 415 555 2671", "US <PHONE>");
  CHECK_REDACT(&F, "UK +44 20 7946 0958 or 020 7946 0958 or 07700 900123",
               "UK <PHONE> or <PHONE> or <PHONE>");
  CHECK_REDACT(&F, "DE +49 30 12345678, 030 12345678", "DE <PHONE>, <PHONE>");
  CHECK_REDACT(&F, "FR +33 1 23 45 67 89 / 01 23 45 67 89", "FR <PHONE> / <PHONE>");
  CHECK_REDACT(&F, "IN +91 98765 43210, 98765 43210", "IN <PHONE>, <PHONE>");
  CHECK_REDACT(&F, "NG +234 803 123 4567, 0803 123 4567", "NG <PHONE>, <PHONE>");
  CHECK_REDACT(&F, "desk 555-123-4567 x204", "desk <PHONE>");
  /* look-alikes: dates, money, percentages, decimals, counts */
  CHECK_REDACT(&F, "on 2024-05-01 and 01/05/2024 and 2024-05-01 12:00",
               "on 2024-05-01 and 01/05/2024 and 2024-05-01 12:00");
  CHECK_REDACT(&F, "costs $1 250 000 or 3.14159265 or 45.5% of 1200000",
               "costs $1 250 000 or 3.14159265 or 45.5% of 1200000");
  CHECK_REDACT(&F, "ISO 9001 and 2019-2023 and 12345", "ISO 9001 and 2019-2023 and 12345");
}

/* The numeric patterns are scanned only over stretches of digits and
 * " -./()+": at the very start and end of a text, with extensions, next to
 * letters, and two stretches in a row. */
static void test_numeric_windows(void) {
  CHECK_REDACT(&F, "555-123-4567", "<PHONE>");
  CHECK_REDACT(&F, "4111 1111 1111 1111", "<CREDIT_CARD>");
  CHECK_REDACT(&F, "ip 192.168.1.20", "ip <IP>");
  CHECK_REDACT(&F, "call 555-123-4567 ext. 12 now", "call <PHONE> now");
  CHECK_REDACT(&F, "call 555-123-4567 ext", "call <PHONE> ext");
  CHECK_REDACT(&F, "ssn 123-45-6789; card 4111-1111-1111-1111.",
               "ssn <SSN>; card <CREDIT_CARD>.");
  CHECK_REDACT(&F, "ID123-45-6789 and 192.168.1.20x", "ID123-45-6789 and 192.168.1.20x");
  CHECK_REDACT(&F, "(555) 123-4567,(555) 765-4321", "<PHONE>,<PHONE>");
}

/* Which parts after a street join it: see push_address in address.c. */
static void test_address_parts(void) {
  /* a letter block: street and unit lines, then town and country lines that
   * stay, with the postcode redacted on its own */
  CHECK_REDACT(&F, "Billing address:\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488",
               "Billing address:\n<ADDRESS>\n Riisa\n\n Estonia <ADDRESS>");
  CHECK_REDACT(&F, "Address:\n14 Crown Street Kishiev Squares\n Suite 321\n LONDON\n Wales 75419",
               "Address:\n<ADDRESS>\n LONDON\n Wales <ADDRESS>");
  /* the same lines in the middle of a sentence are one address */
  CHECK_REDACT(&F, "please send it to 1987 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903?",
               "please send it to <ADDRESS>?");
  /* one line with a postcode, several parts or no comma joins the street */
  CHECK_REDACT(&F, "Ship it to 11 boulevard Saint-Michel, 59049 Lille. Thanks",
               "Ship it to <ADDRESS>. Thanks");
  CHECK_REDACT(&F, "Acme\n50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom\nMobile: none",
               "Acme\n<ADDRESS>\nMobile: none");
  CHECK_REDACT(&F, "send it to 18 McPherson Road Suite 019 CHARLEROI Victoria? ok",
               "send it to <ADDRESS>? ok");
  /* military post: the ship's line joins the FPO line, in any case */
  CHECK_REDACT(&F, "Our offices are at USNS Bergman\nFPO AP 93757", "Our offices are at <ADDRESS>");
  CHECK_REDACT(&F, "sent to\npsc 5420, box 2708\napo aa 33879\nmobile: 99", "sent to\n<ADDRESS>\nmobile: 99");
  /* a postcode after a town in a sentence; standards and years are none */
  CHECK_REDACT(&F, "to support Factset in Bjert 6091 in its mission",
               "to support Factset in Bjert <ADDRESS> in its mission");
  CHECK_REDACT(&F, "Certified in ISO 9001:2015 and in ISO 14001. Founded in Berlin 2019 by us.",
               "Certified in ISO 9001:2015 and in ISO 14001. Founded in Berlin 2019 by us.");
  /* "??? " quotes a line as "> " does */
  CHECK_REDACT(&F, "??? Acme\n??? 4923 Parmova 109\n??? Suite 380\n??? Maribor\n??? Slovenia 82709",
               "??? Acme\n??? <ADDRESS>\n??? Maribor\n??? Slovenia <ADDRESS>");
  /* empty fields of an exported table inside an address: "nan", a region's
   * number before the postcode */
  CHECK_REDACT(&F, "I'll meet you at 25615 Tawastintie 72 Apt. 004\nKNIVSTA, nan 18237 after it.",
               "I'll meet you at <ADDRESS> after it.");
  CHECK_REDACT(&F, "Address: 83393 Pärna 33\nCite Sfaxi\n, 13\n 44939", "Address: <ADDRESS>");
  CHECK_REDACT(&F, "the mean was nan, 18237 rows in all", "the mean was nan, 18237 rows in all");
  /* a building's name before the house number joins the address; a
   * person's listed name does not */
  CHECK_REDACT(&F, "Our offices are at Storgarden 52 Trajanka Forks, Harstad 9544",
               "Our offices are at <ADDRESS>");
  CHECK_REDACT(&F, "Write to Meagan Wallace 52 Main Street.", "Write to <PERSON> <ADDRESS>.");
  /* a town left after a street is no person */
  CHECK_REDACT(&F, "Billing:\n4844 Søndergade 52\n Apt. 656\n Brønderslev\n\n Denmark 35018",
               "Billing:\n<ADDRESS>\n Brønderslev\n\n Denmark <ADDRESS>");
}

static void test_addresses(void) {
  /* a bare town after the street is a place, not personal data */
  CHECK_REDACT(&F, "I live at 221 Baker Street, London.", "I live at <ADDRESS>, London.");
  CHECK_REDACT(&F, "ship to 1600 Pennsylvania Ave NW, Washington, DC 20500 today",
               "ship to <ADDRESS> today");
  CHECK_REDACT(&F, "office: Rua Mina 50", "office: <ADDRESS>");
  CHECK_REDACT(&F, "postcode SW1A 1AA", "postcode <ADDRESS>");
  CHECK_REDACT(&F, "We grew 20 percent in 2023 via email.", "We grew 20 percent in 2023 via email.");
  /* UK postcodes join the street; German "Am ..." streets */
  CHECK_REDACT(&F, "send it to 131 Station Road, Oxford OX20 1XX. Thanks",
               "send it to <ADDRESS>. Thanks");
  CHECK_REDACT(&F, "Our new address is Am Mühlbach 86, 70317 Stuttgart.",
               "Our new address is <ADDRESS>.");
  /* a full stop after a number ends a sentence, a blank line ends an address */
  CHECK_REDACT(&F, "before 03.04.2023. Applications close on Monday.",
               "before 03.04.2023. Applications close on Monday.");
  CHECK_REDACT(&F, "done in 4 minutes. Congratulations team, well deserved",
               "done in 4 minutes. Congratulations team, well deserved");
  CHECK_REDACT(&F, "at 4025 Willow Road, Springfield, IL 62795.\n\nBest,\nTeam",
               "at <ADDRESS>.\n\nBest,\nTeam");
  /* "30min" is not a house number; "8939, SSN 647" is not a street */
  CHECK_REDACT(&F, "slot: https://cal.com/x/30min Congratulations team, well done",
               "slot: <URL> Congratulations team, well done");
  CHECK_REDACT(&F, "phone 0803 772 8939, SSN 647 05 4212.", "phone <PHONE>, SSN <SSN>.");
  CHECK_REDACT(&F, "to 5B The Crescent, Glasgow G5 8GG or 89 Queen's Road, Bristol BS14 4DW.",
               "to <ADDRESS> or <ADDRESS>.");
  CHECK_REDACT(&F, "at Königsallee 139, 60359 Frankfurt am Main. We're here",
               "at <ADDRESS>. We're here");
}

static void setup(void) { F = fixture(); }
static void teardown(void) { fixture_free(&F); }

RUN_TESTS(setup, test_email_url_ip, test_cards_iban, test_ssn_nino, test_phones, test_numeric_windows,
          test_addresses, test_address_parts,
          teardown)
