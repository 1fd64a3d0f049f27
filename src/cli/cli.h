/* cli.h — shared plumbing of the consentry command-line front end.
 *
 * The CLI only parses arguments, calls the library and maps errors to exit
 * codes (0 ok, 1 runtime failure, 2 bad usage or input, 3 refused by policy).
 * Each subcommand lives in its own cmd_<name>.c as `int cs_cmd_<name>(int argc,
 * char **argv)`, where argv[0] is the subcommand's name, and returns the exit
 * status.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <consentry/consentry.h>

#define CS_EXIT_OK 0
#define CS_EXIT_FAIL 1
#define CS_EXIT_USAGE 2
#define CS_EXIT_REFUSED 3

/* Options every subcommand that touches the ledger accepts. */
typedef struct {
  const char *db;     /* --db, else $CONSENTRY_DB, else ./consentry.db */
  const char *config; /* --config, NULL for the built-in purposes */
  bool json;          /* --json */
} cs_cli_common_t;

/* Long options every subcommand shares; put CS_CLI_COMMON_LONGOPTS first in
 * a getopt_long table and pass unknown option codes to cs_cli_common_opt. */
enum { CS_OPT_DB = 1000, CS_OPT_CONFIG, CS_OPT_JSON, CS_OPT_HELP, CS_OPT_FIRST_LOCAL };
#define CS_CLI_COMMON_LONGOPTS                                                  \
  {"db", required_argument, NULL, CS_OPT_DB},                                   \
      {"config", required_argument, NULL, CS_OPT_CONFIG},                       \
      {"json", no_argument, NULL, CS_OPT_JSON}, {"help", no_argument, NULL, 'h'}

/* Handles a shared option: 1 if it was one (stored in c), 0 if not. */
int cs_cli_common_opt(int opt, const char *arg, cs_cli_common_t *c);

/* Prints "consentry CMD: message" to stderr and returns the exit code for err. */
int cs_cli_fail(const char *cmd, int err, const cs_diag_t *diag);
/* Prints a usage error (exit 2). */
int cs_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *cs_cli_db_path(const cs_cli_common_t *c);
/* Loads --config or the defaults; on failure prints and returns an exit code
 * (> 0), else 0. */
int cs_cli_load_config(const char *cmd, const cs_cli_common_t *c, cs_config_t **out);
/* Opens the ledger; same convention. */
int cs_cli_open_store(const char *cmd, const cs_cli_common_t *c, cs_store_t **out);
/* Parses --at / --as-of style times; "now" is accepted. Exit-code convention. */
int cs_cli_parse_time(const char *cmd, const char *flag, const char *s, cs_time_t *out);

/* Worker threads by default: online CPUs, at most 8. */
unsigned cs_cli_default_threads(void);
/* Parses --threads N (1..64); prints a usage error and returns non-zero if bad. */
int cs_cli_parse_threads(const char *cmd, const char *s, unsigned *out);

/* Parses --shards "all" (*n = 0) or "K,K,..." (at most cap distinct shard
 * numbers below 256); prints a usage error and returns non-zero if bad. */
int cs_cli_parse_shards(const char *cmd, const char *s, unsigned *out, size_t cap, size_t *n);
/* Parses a whole number flag value in [min, max]; same convention. */
int cs_cli_parse_u64(const char *cmd, const char *flag, const char *s, unsigned long long min,
                     unsigned long long max, uint64_t *out);
/* Parses a finite number flag value in [min, max]; same convention. */
int cs_cli_parse_double(const char *cmd, const char *flag, const char *s, double min, double max,
                        double *out);

/* Whether to draw progress: stderr is a terminal and --json is off. */
bool cs_cli_progress_enabled(const cs_cli_common_t *c);

/* Writes s as a JSON string literal (quotes and escapes) to f. */
void cs_cli_json_str(FILE *f, const char *s);
/* The same for n bytes that may hold NULs. */
void cs_cli_json_strn(FILE *f, const char *s, size_t n);

#endif
