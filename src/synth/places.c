/* places.c — countries members live in, and the company and city names used
 * as look-alikes (proper nouns that are not personal data).
 *
 * Country weights are relative within their group: synth draws the group
 * first (40% excluded jurisdictions: EU27, IS, LI, NO, CH), then a country by
 * weight, so the excluded share does not depend on these numbers.
 */
#include "synth/synth_int.h"

const cs__country_t cs__countries[] = {
    /* Excluded for genai_training: EU27 + IS, LI, NO, CH. */
    {"DE", true, 16}, {"FR", true, 13}, {"IT", true, 10}, {"ES", true, 10}, {"NL", true, 8},
    {"PL", true, 7},  {"SE", true, 4},  {"BE", true, 4},  {"AT", true, 3},  {"PT", true, 3},
    {"IE", true, 3},  {"DK", true, 2},  {"FI", true, 2},  {"CZ", true, 2},  {"RO", true, 3},
    {"GR", true, 2},  {"HU", true, 2},  {"SK", true, 1},  {"BG", true, 1},  {"HR", true, 1},
    {"SI", true, 1},  {"LT", true, 1},  {"LV", true, 1},  {"EE", true, 1},  {"LU", true, 1},
    {"CY", true, 1},  {"MT", true, 1},  {"IS", true, 1},  {"LI", true, 1},  {"NO", true, 2},
    {"CH", true, 3},
    /* Everywhere else: opt-out by default. */
    {"US", false, 30}, {"GB", false, 12}, {"IN", false, 18}, {"NG", false, 5}, {"CA", false, 6},
    {"BR", false, 7},  {"AU", false, 4},  {"JP", false, 3},  {"SG", false, 2}, {"ZA", false, 3},
    {"MX", false, 4},  {"KE", false, 2},  {"AE", false, 2},  {"PH", false, 3}, {"ID", false, 3},
    {"EG", false, 2},  {"AR", false, 2},  {"CO", false, 2},  {"TR", false, 2}, {"PK", false, 2},
    {"NZ", false, 1},  {"KR", false, 1},  {"IL", false, 1},  {"GH", false, 1}, {"VN", false, 1},
    {"CL", false, 1},  {"UA", false, 1},  {"MA", false, 1},  {"SA", false, 1}, {"BD", false, 1},
};
const uint32_t cs__n_countries = CS__COUNT(cs__countries);

const char *const cs__companies[] = {
    "Siemens",         "Infosys",          "Shopify",       "Unilever",      "Accenture",
    "Nestlé",          "Spotify",          "Atlassian",     "Flutterwave",   "Safaricom",
    "Rakuten",         "Grab",             "Mercado Libre", "Nubank",        "Zalando",
    "Booking.com",     "Adyen",            "SAP",           "Capgemini",     "Wipro",
    "Tata Consultancy Services", "Northwind Traders", "Contoso",  "Globex Corporation",
    "Initech",         "Acme Analytics",   "Blue Harbor Logistics", "Helios Energy",
    "Kestrel Robotics", "Lumen Health",    "Orbital Freight", "Pinecrest Capital",
    "Quantica Labs",   "Redwood Payments", "Silverline Telecom", "Tidewater Foods",
    "Umbra Security",  "Vantage Bioworks", "Willow & Finch",  "Zephyr Mobility",
    "Deutsche Bahn",   "Société Générale", "Ericsson",      "Nokia",         "Philips",
    "Airbus",          "Canva",            "Paystack",      "Jumia",         "Andela",
};
const uint32_t cs__n_companies = CS__COUNT(cs__companies);

const char *const cs__cities[] = {
    "São Paulo", "Zürich",   "Montréal", "Kraków",    "Malmö",     "Düsseldorf", "Bogotá",
    "Reykjavík", "München",  "Köln",     "Lagos",     "Nairobi",   "Bengaluru",  "Mumbai",
    "Singapore", "Toronto",  "Vancouver", "Melbourne", "Auckland", "Tokyo",      "Osaka",
    "Seoul",     "Dubai",    "Cairo",    "Accra",     "Johannesburg", "Cape Town", "Lisbon",
    "Barcelona", "Amsterdam", "Rotterdam", "Stockholm", "Helsinki", "Copenhagen", "Dublin",
    "Manchester", "Edinburgh", "Lyon",    "Marseille", "Milan",     "Turin",      "Warsaw",
    "Prague",    "Vienna",   "Budapest", "Bucharest", "Athens",    "Istanbul",   "Chicago",
    "Seattle",   "Boston",   "Denver",   "Atlanta",   "Mexico City", "Buenos Aires", "Santiago de Chile",
    "Lima",      "Manila",   "Jakarta",  "Hanoi",     "Karachi",   "Dhaka",      "Casablanca",
};
const uint32_t cs__n_cities = CS__COUNT(cs__cities);
