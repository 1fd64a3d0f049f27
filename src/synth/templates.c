/* templates.c — the sentence templates of every content kind.
 *
 * A template is plain English with tags in braces. Tags whose names are in
 * the PII groups below plant personal data and label it; look-alike tags
 * plant labelled non-personal data; filler tags (ROLE, TEAM, ...) are never
 * labelled and never personal. Only the tables named *_pii contain personal
 * data tags, so a record drawn without personal data has none.
 *
 *   personal data: EMAIL MYMAIL PHONE URL IP CARD IBAN SSN NINO ADDR
 *                  MEMBER (a member's name, cased variant or @handle)
 *                  SELF (the author) PERSON FIRST (non-members)
 *   look-alikes:   DATE VER PCT MONEY ORDER ISO COMPANY CITY
 *   filler:        ROLE TEAM SKILL TOPIC PRODUCT EVENT NUM YEARS SMILE GOOD
 *                  STACK HASH LESSON
 */
#include "synth/templates.h"

/* ---- Posts, by theme ------------------------------------------------------ */

static const char *const announce[] = {
    "I'm happy to share that I'm starting a new position as {ROLE} at {COMPANY}! {SMILE}",
    "Big news: after {YEARS} years in {CITY}, I'm joining {COMPANY} as {ROLE}.",
    "Today we shipped {PRODUCT} {VER} to every customer, and it is the work I'm proudest of this year.",
    "Our team just closed a {MONEY} seed round led by {COMPANY}. {SMILE}",
    "We passed our {ISO} audit on {DATE} with zero major findings.",
    "After a long search I finally found a home for my next chapter: the {TEAM} team at {COMPANY}.",
    "Excited to announce that {PRODUCT} now handles {PCT} more traffic than it did in {DATE}'s peak.",
    "Some personal news: I've been promoted to {ROLE}. I did not see this coming {YEARS} years ago.",
    "We're opening a new office in {CITY} on {DATE}, our first outside the home market.",
};

static const char *const hiring[] = {
    "We're hiring! The {TEAM} team at {COMPANY} is looking for a {ROLE} in {CITY} or remote.",
    "My team is growing: we need a {ROLE} who loves {SKILL} and is curious about {TOPIC}.",
    "If you know {SKILL} and {STACK} and want to work on {PRODUCT}, my inbox is open.",
    "Hiring a {ROLE} (salary band {MONEY} to {MONEY}, fully remote within Europe).",
    "We're looking for {NUM} engineers to join {COMPANY} before {DATE}.",
    "Please share with anyone you know who is looking: {ROLE}, {TEAM} team, starting {DATE}.",
    "Applications close on {DATE}. No cover letter needed, just tell us what you built.",
};

static const char *const thanks[] = {
    "A huge thank you to the {TEAM} team for an incredible year. {SMILE}",
    "I owe a lot to the {GOOD} people I worked with on {PRODUCT}.",
    "Grateful for every mentor who took a chance on a junior {ROLE} {YEARS} years ago.",
    "Thank you to everyone at {COMPANY} who made my first {NUM} months so welcoming.",
    "Shout-out to the organisers in {CITY} for running such a {GOOD} event.",
    "Thanks to all {NUM} of you who sent feedback on {PRODUCT} {VER}. We read every word.",
};

static const char *const lesson[] = {
    "Lesson learned the hard way: {LESSON}.",
    "After {YEARS} years as a {ROLE}, the one thing I'd tell my younger self is this: {LESSON}.",
    "We cut cloud costs by {PCT} in one quarter, mostly by asking why each service existed.",
    "Unpopular opinion: {TOPIC} is a people problem long before it is a technical one.",
    "Our incident on {DATE} taught us more than any postmortem template ever could.",
    "The migration to {STACK} took {NUM} months instead of {NUM} weeks, and I would do it again.",
    "If your dashboard shows {PCT} uptime and users are still angry, measure something else.",
    "Three things I learned shipping {PRODUCT}: scope ruthlessly, {LESSON}, and celebrate small wins.",
};

static const char *const event[] = {
    "I had a great time speaking at {EVENT} in {CITY} last week.",
    "Notes from {EVENT}: the best talk was about {TOPIC}, and the hallway track was even better.",
    "On {DATE} I'll be at {EVENT} in {CITY}; come say hi if you're around.",
    "Slides from my talk on {TOPIC} are up, including the part on {ISO} we ran out of time for.",
    "Tickets for {EVENT} are {MONEY} until {DATE}, then the price goes up.",
    "Over {NUM} hundred people joined {EVENT} this year, up {PCT} on last year.",
};

static const char *const body[] = {
    "It has been a long road, and I'm grateful for everyone who helped along the way.",
    "None of this would have happened without a team that cares about the details.",
    "We started with a spreadsheet and a lot of optimism; today {PRODUCT} serves customers in {NUM} countries.",
    "The hardest part was not {SKILL}, it was agreeing on what \"done\" means.",
    "Our retention went from {PCT} to {PCT} once we fixed onboarding.",
    "I spent the first month mostly listening, which turned out to be the right call.",
    "We rewrote the pipeline on {STACK} and the nightly job now finishes in {NUM} minutes.",
    "If you are working on {TOPIC}, I'd love to compare notes.",
    "The budget was {MONEY}, and we came in a little under it.",
    "The {VER} release also fixes the export bug a lot of you reported.",
    "Partnering with {COMPANY} made the rollout in {CITY} much smoother.",
    "We aligned our controls with {ISO} early, which saved weeks later.",
    "I'm still amazed by how {GOOD} this community is.",
    "Order {ORDER} was the first one placed through the new checkout, on {DATE}.",
    "The pilot ran from {DATE} to {DATE} and we learned a lot.",
    "Our NPS jumped {PCT} after the redesign, and support tickets fell by a third.",
    "A quick reminder that {LESSON}.",
    "Working across time zones from {CITY} to {CITY} forced us to write things down.",
    "We benchmarked {STACK} against two alternatives and it won on every metric we cared about.",
    "The team in {CITY} made the launch feel effortless, which it definitely was not.",
    "Our design lead in {CITY} said it best: ship the boring version first. {SMILE}",
    "Next up: {TOPIC}, and a lot more {SKILL}.",
};

static const char *const closers[] = {
    "Onwards! {SMILE}", "More soon.", "What would you add?", "Thoughts welcome in the comments.",
    "Here's to the next chapter. {SMILE}", "Let's connect if this resonates.",
    "Grateful. {SMILE}", "Back to work. \\o/",
};

/* ---- Articles ------------------------------------------------------------- */

static const char *const titles[] = {
    "What {YEARS} years of {TOPIC} taught me",
    "How we cut our cloud bill by {PCT}",
    "A practical guide to {SKILL} for the busy {ROLE}",
    "Why {TOPIC} matters more than ever",
    "Lessons from migrating to {STACK}",
    "Notes from {EVENT} in {CITY}",
    "Getting certified for {ISO}: what nobody tells you",
};

static const char *const article_body[] = {
    "Most teams underestimate how much {TOPIC} depends on trust.",
    "When we started, the system handled a few thousand requests a day; by {DATE} it handled millions.",
    "The first version of {PRODUCT} was built in {NUM} weeks by a team of {NUM}.",
    "We measured everything, and the numbers were humbling: only {PCT} of features were used weekly.",
    "The real cost was not the {MONEY} in licences but the hours spent working around them.",
    "Here is the framework we now use, refined over {NUM} projects.",
    "First, write down the problem in plain language before touching any code.",
    "Second, decide what you will not do; a roadmap is mostly a list of refusals.",
    "Third, {LESSON}.",
    "Our auditors asked for evidence mapped to {ISO}, and we had most of it already.",
    "In {CITY}, the regulators asked different questions than in {CITY}, and both were fair.",
    "{COMPANY} published a similar analysis, and their conclusions matched ours.",
    "The upgrade to {VER} removed a class of bugs that had haunted us for a year.",
    "We saw latency fall by {PCT} and error rates by {PCT} within a week.",
    "Nobody on the team was an expert in {SKILL} at the start; everyone was by the end.",
    "If I had to do it again, I'd spend more time on {TOPIC} and less on tooling.",
    "There is a temptation to treat {TOPIC} as a checkbox. Resist it.",
    "The invoice for the pilot came to {MONEY}, which finance described as \"surprisingly reasonable\".",
    "Reference order {ORDER} shows the edge case: a refund issued before the charge settled.",
};

/* ---- Comments, messages, profiles, feedback, prompts ---------------------- */

static const char *const comments[] = {
    "Congratulations! Well deserved. {SMILE}", "This is so true.",
    "Great write-up, thanks for sharing.", "Couldn't agree more about {TOPIC}.",
    "We saw the same thing after upgrading to {VER}.", "Love this. {SMILE}",
    "Which version of {STACK} were you on?", "Saving this for later.",
    "{PCT} is impressive for a team that size!", "See you at {EVENT}!",
    "How long did the {ISO} certification take you?", "Huge milestone, congrats to the whole team!",
    "The {CITY} office is lucky to have you.", "Would love to read more about the migration.",
};

static const char *const greetings[] = {"Hi there,", "Hello!", "Hey,", "Good morning,",
                                        "Hi,", "Thanks for reaching out."};

static const char *const messages[] = {
    "Are you free for a quick call on {DATE}?",
    "I saw your post about {TOPIC} and wanted to ask a few questions.",
    "Could you send me the slides from {EVENT}?",
    "The invoice for {MONEY} went out this morning, reference {ORDER}.",
    "We're still deciding between {STACK} and something managed.",
    "Let me know if the role in {CITY} is still open.",
    "Happy to make an intro to someone at {COMPANY}.",
    "I'll be in {CITY} from {DATE} to {DATE} if you want to grab lunch.",
    "No rush on this, whenever you have a minute.",
    "The contract renews on {DATE}; the new price is {MONEY} per seat.",
};

static const char *const signoffs[] = {"Thanks!", "Cheers,", "Best regards,", "Talk soon.",
                                       "Speak soon {SMILE}"};

static const char *const headlines[] = {
    "{ROLE} at {COMPANY} | {SKILL} | {TOPIC}",
    "{ROLE} · {SKILL} and {STACK} · based in {CITY}",
    "Helping teams with {TOPIC} | {ROLE} | ex-{COMPANY}",
};

static const char *const about[] = {
    "I've spent {YEARS} years working on {TOPIC}, most recently at {COMPANY}.",
    "I care about {TOPIC}, clear writing and teams that trust each other.",
    "Currently leading the {TEAM} team; before that, {ROLE} in {CITY}.",
    "Certified in {ISO}. Fluent in {SKILL}, learning {STACK}.",
    "Outside work: running, bad puns and far too much coffee. {SMILE}",
    "Open to mentoring anyone moving into {TOPIC}.",
};

static const char *const feedback[] = {
    "The app crashes every time I open settings since {VER}.",
    "Please bring back the old export option; the new one drops {PCT} of my rows.",
    "My order {ORDER} from {DATE} still shows as pending.",
    "I was billed {MONEY} instead of {MONEY} this month.",
    "Search is much faster since the update, nice work.",
    "Dark mode in {VER} is great, but the contrast on buttons is too low.",
    "The notifications about {TOPIC} are far too frequent.",
    "Could you add an option to hide salary ranges below {MONEY}?",
    "The \"Save\" button doesn't respond on the mobile app.",
};

static const char *const prompts[] = {
    "Write a LinkedIn post announcing that I'm joining {COMPANY} as {ROLE}.",
    "Summarise this article about {TOPIC} in three bullet points.",
    "Rewrite this in a friendlier tone: \"Your request has been rejected.\"",
    "Suggest five headlines for a post about {TOPIC}.",
    "Draft a job description for a {ROLE} on the {TEAM} team.",
    "Explain {SKILL} to a new {ROLE} in two paragraphs.",
    "Turn these notes from {EVENT} into a short recap.",
    "My script fails reading C:\\Users\\Public\\report_{NUM}.csv, why?",
    "Compare {STACK} and Postgres for a team of {NUM}.",
};

/* ---- Personal data ---------------------------------------------------------- */

static const char *const social_pii[] = {
    "Thanks to {MEMBER} for the introduction!",
    "Huge thanks to {MEMBER} and {PERSON} for reviewing every draft.",
    "Congratulations {MEMBER}, well deserved!",
    "I'm working with {PERSON} on this; reach out to them or to me.",
    "Shout-out to {FIRST}, who stayed late to fix the release.",
    "Interested? Email me at {MYMAIL} or call {PHONE}.",
    "Send your CV to {EMAIL} with the subject \"{ROLE}\".",
    "My portfolio is at {URL} if you want to see the case studies.",
    "Book a slot with me here: {URL}",
    "Big thanks to {MEMBER} who mentored me through my first year.",
    "cc {MEMBER} {MEMBER}",
    "Questions? Ping {FIRST} at {EMAIL}.",
    "Photo credit: {PERSON}. {SMILE}",
};

static const char *const private_pii[] = {
    "My number is {PHONE}, call me any time after six.",
    "Please send the contract to {ADDR}.",
    "You can reach {PERSON} on {PHONE} or at {EMAIL}.",
    "Here are my bank details for the refund: {IBAN}.",
    "The deposit should go to IBAN {IBAN}, account holder {SELF}.",
    "I paid with my card {CARD}, can you check what went wrong?",
    "For the background check: my SSN is {SSN}.",
    "My National Insurance number is {NINO}, as requested by payroll.",
    "Our new address is {ADDR}.",
    "I can't log in; the attempts came from {IP}, which isn't me.",
    "My account email is {MYMAIL}.",
    "The server at {IP} keeps rejecting my uploads.",
    "The card {CARD} was charged twice for the same order.",
    "Ship it to {SELF}, {ADDR}.",
    "Fill in this form for me: name {SELF}, phone {PHONE}, SSN {SSN}.",
};

static const char *const profile_pii[] = {
    "I'm {SELF}, and I build things for the web.",
    "Contact: {MYMAIL} · {PHONE}",
    "Portfolio: {URL}",
    "Say hello at {MYMAIL}.",
};

#define TABLE(x) {x, CS__COUNT(x)}
const cs__table_t cs__tpl_announce = TABLE(announce), cs__tpl_hiring = TABLE(hiring),
                  cs__tpl_thanks = TABLE(thanks), cs__tpl_lesson = TABLE(lesson),
                  cs__tpl_event = TABLE(event), cs__tpl_body = TABLE(body),
                  cs__tpl_closers = TABLE(closers), cs__tpl_titles = TABLE(titles),
                  cs__tpl_article_body = TABLE(article_body), cs__tpl_comments = TABLE(comments),
                  cs__tpl_greetings = TABLE(greetings), cs__tpl_messages = TABLE(messages),
                  cs__tpl_signoffs = TABLE(signoffs), cs__tpl_headlines = TABLE(headlines),
                  cs__tpl_about = TABLE(about), cs__tpl_feedback = TABLE(feedback),
                  cs__tpl_prompts = TABLE(prompts), cs__tpl_social_pii = TABLE(social_pii),
                  cs__tpl_private_pii = TABLE(private_pii),
                  cs__tpl_profile_pii = TABLE(profile_pii);

const cs__table_t *const cs__tpl_all[] = {
    &cs__tpl_announce,  &cs__tpl_hiring,       &cs__tpl_thanks,      &cs__tpl_lesson,
    &cs__tpl_event,     &cs__tpl_body,         &cs__tpl_closers,     &cs__tpl_titles,
    &cs__tpl_article_body, &cs__tpl_comments,  &cs__tpl_greetings,   &cs__tpl_messages,
    &cs__tpl_signoffs,  &cs__tpl_headlines,    &cs__tpl_about,       &cs__tpl_feedback,
    &cs__tpl_prompts,   &cs__tpl_social_pii,   &cs__tpl_private_pii, &cs__tpl_profile_pii,
};
const uint32_t cs__n_tpl_all = CS__COUNT(cs__tpl_all);
