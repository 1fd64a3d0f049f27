/* names.c — people: a multicultural list of first and last names, e-mail
 * domains, and the case mapping used for "maria müller" / "MARIA MÜLLER"
 * variants of a name.
 *
 * The lists avoid names that are also cities, countries, companies or plain
 * English words (no Paris, Jordan, Ford, Grace), so that a look-alike and a
 * person never share a spelling in the generated text. Non-ASCII names carry
 * an ASCII spelling for handles and e-mail addresses.
 */
#include "synth/synth_int.h"

#include <string.h>

const cs__name_t cs__first_names[] = {
    {"Maria", 0}, {"James", 0}, {"Priya", 0}, {"Chukwuemeka", 0}, {"Wei", 0}, {"Zoë", "zoe"},
    {"Lukas", 0}, {"Fatima", 0}, {"Hiroshi", 0}, {"Ana", 0}, {"Oluwaseun", 0}, {"Sofia", 0},
    {"Mateus", 0}, {"Ngozi", 0}, {"Arjun", 0}, {"Chloé", "chloe"}, {"Søren", "soren"},
    {"Łukasz", "lukasz"}, {"Björn", "bjorn"}, {"Jürgen", "jurgen"}, {"José", "jose"},
    {"João", "joao"}, {"Renée", "renee"}, {"Siobhán", "siobhan"}, {"Ciarán", "ciaran"},
    {"Aoife", 0}, {"Zsófia", "zsofia"}, {"Ágnes", "agnes"}, {"Elif", 0}, {"Mehmet", 0},
    {"Ayşe", "ayse"}, {"Reza", 0}, {"Dariush", 0}, {"Olena", 0}, {"Dmytro", 0}, {"Ivan", 0},
    {"Eleni", 0}, {"Nikos", 0}, {"Wanjiru", 0}, {"Kamau", 0}, {"Achieng", 0}, {"Kwame", 0},
    {"Abena", 0}, {"Adebayo", 0}, {"Yetunde", 0}, {"Emeka", 0}, {"Amina", 0}, {"Ibrahim", 0},
    {"Omar", 0}, {"Layla", 0}, {"Youssef", 0}, {"Nour", 0}, {"Ananya", 0}, {"Rahul", 0},
    {"Deepika", 0}, {"Vikram", 0}, {"Lakshmi", 0}, {"Sanjay", 0}, {"Mei", 0}, {"Xiaoling", 0},
    {"Jun", 0}, {"Yuki", 0}, {"Haruto", 0}, {"Sakura", 0}, {"Min-jun", "minjun"},
    {"Ji-woo", "jiwoo"}, {"Seo-yeon", "seoyeon"}, {"Thanh", 0}, {"Linh", 0}, {"Minh", 0},
    {"Emily", 0}, {"Oliver", 0}, {"Charlotte", 0}, {"Henry", 0}, {"Amelia", 0}, {"Thomas", 0},
    {"Olivia", 0}, {"Daniel", 0}, {"Hannah", 0}, {"Michael", 0}, {"Sarah", 0}, {"David", 0},
    {"Rebecca", 0}, {"Christopher", 0}, {"Laura", 0}, {"Matthew", 0}, {"Jessica", 0},
    {"Andrew", 0}, {"Natalie", 0}, {"Samuel", 0}, {"Katarzyna", 0}, {"Piotr", 0},
    {"Magdalena", 0}, {"Tomasz", 0}, {"Annika", 0}, {"Lars", 0}, {"Ingrid", 0}, {"Erik", 0},
    {"Astrid", 0}, {"Sven", 0}, {"Femke", 0}, {"Joost", 0}, {"Sanne", 0}, {"Pieter", 0},
    {"Giulia", 0}, {"Marco", 0}, {"Francesca", 0}, {"Alessandro", 0}, {"Lucía", "lucia"},
    {"Alejandro", 0}, {"Camila", 0}, {"Diego", 0}, {"Valentina", 0},
    {"Ximena", 0}, {"Rodrigo", 0}, {"Beatriz", 0}, {"Gonçalo", "goncalo"}, {"Inês", "ines"},
    {"Léa", "lea"}, {"Mathieu", 0}, {"Camille", 0}, {"Étienne", "etienne"}, {"Anaïs", "anais"},
    {"Felix", 0}, {"Leonie", 0}, {"Maximilian", 0}, {"Katharina", 0}, {"Jonas", 0},
    {"Noémie", "noemie"}, {"Dragan", 0}, {"Milica", 0}, {"Andrei", 0}, {"Ioana", 0},
    {"Tariq", 0}, {"Ayesha", 0}, {"Bilal", 0}, {"Sana", 0}, {"Kofi", 0}, {"Thandiwe", 0},
    {"Sipho", 0}, {"Lerato", 0}, {"Tendai", 0}, {"Nomvula", 0}, {"Aroha", 0}, {"Tane", 0},
    {"Mohammed", 0}, {"Yasmin", 0}, {"Karim", 0}, {"Leila", 0}, {"Hamid", 0}, {"Shirin", 0},
    {"Ólafur", "olafur"}, {"Guðrún", "gudrun"}, {"Åsa", "asa"}, {"Mikael", 0}, {"Aino", 0},
    {"Veronika", 0}, {"Ondřej", "ondrej"}, {"Tereza", 0}, {"Bogdan", 0}, {"Nadia", 0},
};
const uint32_t cs__n_first_names = CS__COUNT(cs__first_names);

const cs__name_t cs__last_names[] = {
    {"Müller", "mueller"}, {"Smith", 0}, {"Sharma", 0}, {"Okafor", 0}, {"Zhang", 0},
    {"García", "garcia"}, {"Nguyễn", "nguyen"}, {"Kowalski", 0}, {"Rossi", 0}, {"Silva", 0},
    {"Tanaka", 0}, {"Kim", 0}, {"Haddad", 0}, {"Yılmaz", "yilmaz"}, {"Schäfer", "schaefer"},
    {"Dubois", 0}, {"O'Connor", "oconnor"}, {"Murphy", 0}, {"Johansson", 0}, {"Nielsen", 0},
    {"Van der Berg", "vanderberg"}, {"De Vries", "devries"}, {"Jansen", 0}, {"Kovács", "kovacs"},
    {"Nowak", 0}, {"Wiśniewski", "wisniewski"}, {"Dąbrowska", "dabrowska"}, {"Dvořák", "dvorak"},
    {"Novák", "novak"}, {"Papadopoulos", 0}, {"Georgiou", 0}, {"Shevchenko", 0}, {"Kuznetsova", 0},
    {"Petrenko", 0}, {"Popescu", 0}, {"Ionescu", 0}, {"Horvat", 0}, {"Jovanović", "jovanovic"},
    {"Çelik", "celik"}, {"Şahin", "sahin"}, {"Demir", 0}, {"Hosseini", 0}, {"Rahimi", 0},
    {"Al-Masri", "almasri"}, {"Aziz", 0}, {"Mansour", 0}, {"Khalil", 0}, {"Adeyemi", 0},
    {"Okonkwo", 0}, {"Eze", 0}, {"Abubakar", 0}, {"Bello", 0}, {"Mensah", 0}, {"Owusu", 0},
    {"Kariuki", 0}, {"Mwangi", 0}, {"Otieno", 0}, {"Odhiambo", 0}, {"Ndlovu", 0}, {"Dlamini", 0},
    {"Mokoena", 0}, {"Naidoo", 0}, {"Patel", 0}, {"Iyer", 0}, {"Reddy", 0}, {"Chatterjee", 0},
    {"Nair", 0}, {"Menon", 0}, {"Gupta", 0}, {"Banerjee", 0}, {"Khan", 0}, {"Qureshi", 0},
    {"Siddiqui", 0}, {"Wang", 0}, {"Chen", 0}, {"Liu", 0}, {"Huang", 0}, {"Zhao", 0}, {"Lin", 0},
    {"Sato", 0}, {"Suzuki", 0}, {"Takahashi", 0}, {"Watanabe", 0}, {"Yamamoto", 0}, {"Park", 0},
    {"Choi", 0}, {"Jung", 0}, {"Tran", 0}, {"Pham", 0}, {"Johnson", 0},
    {"Williams", 0}, {"Brown", 0}, {"Taylor", 0}, {"Anderson", 0}, {"Thompson", 0},
    {"Harris", 0}, {"Robinson", 0}, {"Walker", 0}, {"Wright", 0}, {"Hughes", 0}, {"Evans", 0},
    {"Roberts", 0}, {"Fitzgerald", 0}, {"MacLeod", 0}, {"Campbell", 0}, {"Sánchez", "sanchez"},
    {"Gómez", "gomez"}, {"Pérez", "perez"}, {"Hernández", "hernandez"}, {"Rodríguez", "rodriguez"},
    {"Martínez", "martinez"}, {"Jiménez", "jimenez"}, {"Nuñez", "nunez"}, {"Oliveira", 0},
    {"Souza", 0}, {"Ferreira", 0}, {"Conceição", "conceicao"}, {"Almeida", 0}, {"Costa", 0},
    {"Romano", 0}, {"Esposito", 0}, {"Ricci", 0}, {"Moreau", 0}, {"Lefèvre", "lefevre"},
    {"Girard", 0}, {"Rousseau", 0}, {"Weber", 0}, {"Becker", 0}, {"Hoffmann", 0},
    {"Schmidt", 0}, {"Fischer", 0}, {"Wagner", 0}, {"Krüger", "krueger"}, {"Lindqvist", 0},
    {"Berglund", 0}, {"Ødegaard", "odegaard"}, {"Halvorsen", 0}, {"Virtanen", 0},
    {"Korhonen", 0}, {"Jónsdóttir", "jonsdottir"}, {"Gunnarsson", 0}, {"Byrne", 0},
    {"Ní Bhriain", "nibhriain"}, {"Te Rangi", "terangi"}, {"Kealoha", 0}, {"Begay", 0},
};
const uint32_t cs__n_last_names = CS__COUNT(cs__last_names);

const char *const cs__mail_domains[] = {
    "gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "web.de",    "gmx.de",
    "orange.fr", "proton.me",   "icloud.com", "yahoo.co.in",  "libero.it", "mail.com",
};
const uint32_t cs__n_mail_domains = CS__COUNT(cs__mail_domains);

/* ---- Case mapping -------------------------------------------------------- */

static uint32_t decode(const unsigned char *s, size_t *used) {
  if (s[0] < 0x80) return *used = 1, s[0];
  if ((s[0] & 0xE0) == 0xC0 && s[1]) return *used = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
  if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2])
    return *used = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
  return *used = 1, s[0]; /* anything else passes through byte by byte */
}

static size_t encode(uint32_t c, char *out) {
  if (c < 0x80) return out[0] = (char)c, 1;
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  out[0] = (char)(0xE0 | (c >> 12));
  out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[2] = (char)(0x80 | (c & 0x3F));
  return 3;
}

/* Latin Extended-A pairs case by parity, with the parity flipping in
 * U+0139..U+0148 and U+0179..U+017E; U+0130, U+0131, U+0138, U+0149 and
 * U+017F have no simple partner and stay as they are. */
static bool ext_a_upper_parity(uint32_t c, uint32_t *upper_is_odd) {
  if (c < 0x100 || c > 0x17E || c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 ||
      c == 0x178)
    return false;
  *upper_is_odd = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
  return true;
}

static uint32_t map_case(uint32_t c, bool upper) {
  if (c < 0x80) {
    if (upper && c >= 'a' && c <= 'z') return c - 32;
    if (!upper && c >= 'A' && c <= 'Z') return c + 32;
    return c;
  }
  if (c >= 0xC0 && c <= 0xFE && c != 0xD7 && c != 0xF7 && c != 0xDF) {
    if (upper && c >= 0xE0) return c - 0x20;
    if (!upper && c < 0xE0) return c + 0x20;
    return c;
  }
  uint32_t odd_up = 0;
  bool paired = ext_a_upper_parity(c, &odd_up);
  if (!paired && c >= 0x1E00 && c <= 0x1EFF && !(c >= 0x1E96 && c <= 0x1E9F)) {
    paired = true; /* Latin Extended Additional: even upper, odd lower */
    odd_up = 0;
  }
  if (!paired) return c;
  bool is_upper = (c & 1u) == odd_up;
  if (upper && !is_upper) return c - 1; /* the upper case letter comes first */
  if (!upper && is_upper) return c + 1;
  return c;
}

void cs__tx_case(cs__text_t *t, const char *s, bool upper) {
  const unsigned char *p = (const unsigned char *)s;
  char tmp[4];
  while (*p) {
    size_t used;
    uint32_t c = decode(p, &used);
    if (used == 1 && c >= 0x80) cs__tx_put(t, (const char *)p, 1);
    else cs__tx_put(t, tmp, encode(map_case(c, upper), tmp));
    p += used;
  }
}

void cs__tx_ascii(cs__text_t *t, const cs__name_t *n) {
  const char *s = n->ascii ? n->ascii : n->s;
  char tmp[64];
  size_t k = 0;
  for (; *s && k < sizeof tmp; s++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c >= 'a' && c <= 'z') tmp[k++] = c;
  }
  cs__tx_put(t, tmp, k);
}
