/* cmd_serve.c — `consentry serve`: parse flags, start the server, wait for
 * SIGINT or SIGTERM, stop it cleanly. */
#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: consentry serve [--port N] [--bind ADDR] [--db PATH] [--config FILE]\n"
    "                       [--model RUN_DIR] [--admin-key-file FILE] [--rate-limit N]\n"
    "                       [--burst N] [--threads N] [--port-file FILE]\n"
    "Serves the member page and the JSON API of docs/API.md over HTTP.\n"
    "  --port N            port (default 8080; 0 picks a free one)\n"
    "  --bind ADDR         IPv4 address to listen on (default 127.0.0.1)\n"
    "  --model RUN_DIR     a training run for POST /api/assist (else it answers 503)\n"
    "  --admin-key-file F  the admin key (else $CONSENTRY_ADMIN_KEY; none: admin off)\n"
    "  --rate-limit N      requests per second per token (default 20; 0 = no limit)\n"
    "  --burst N           bucket size of the rate limit (default 2 x rate)\n"
    "  --threads N         HTTP worker threads (default 2)\n"
    "  --port-file FILE    write the port listened on to FILE once ready\n"
    "Prints \"listening on http://ADDR:PORT\" on stdout when ready; stops on\n"
    "SIGINT or SIGTERM after committing and answering every queued change.\n"
    "Example: consentry serve --port 8080 --admin-key-file admin.key\n";

typedef struct {
  cs_cli_common_t c;
  cs_server_opts_t o;
  const char *key_file, *port_file;
  bool burst_set;
} args_t;

/* The key: first line of the file, or the environment. Caller frees. */
static int read_key(const char *path, char **out) {
  *out = NULL;
  if (!path) {
    const char *env = getenv("CONSENTRY_ADMIN_KEY");
    if (env && *env && !(*out = strdup(env))) return cs_cli_fail("serve", CS_ENOMEM, NULL);
    return 0;
  }
  FILE *f = fopen(path, "r");
  if (!f) return cs_cli_usage("serve", "--admin-key-file: cannot read '%s'", path);
  char buf[512];
  bool ok = fgets(buf, sizeof buf, f) != NULL;
  fclose(f);
  buf[ok ? strcspn(buf, "\r\n") : 0] = 0;
  if (strlen(buf) < 16) {
    explicit_bzero(buf, sizeof buf);
    return cs_cli_usage("serve", "--admin-key-file: expected a key of at least 16 characters");
  }
  *out = strdup(buf);
  explicit_bzero(buf, sizeof buf);
  return *out ? 0 : cs_cli_fail("serve", CS_ENOMEM, NULL);
}

static int parse(int argc, char **argv, args_t *a) {
  enum { OPT_PORT = CS_OPT_FIRST_LOCAL, OPT_BIND, OPT_MODEL, OPT_KEY, OPT_RATE, OPT_BURST,
         OPT_THREADS, OPT_PORT_FILE };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"port", required_argument, NULL, OPT_PORT},
                                       {"bind", required_argument, NULL, OPT_BIND},
                                       {"model", required_argument, NULL, OPT_MODEL},
                                       {"admin-key-file", required_argument, NULL, OPT_KEY},
                                       {"rate-limit", required_argument, NULL, OPT_RATE},
                                       {"burst", required_argument, NULL, OPT_BURST},
                                       {"threads", required_argument, NULL, OPT_THREADS},
                                       {"port-file", required_argument, NULL, OPT_PORT_FILE},
                                       {0, 0, 0, 0}};
  int opt;
  uint64_t v;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &a->c)) continue;
    switch (opt) {
    case OPT_PORT:
      if (cs_cli_parse_u64("serve", "--port", optarg, 0, 65535, &v)) return CS_EXIT_USAGE;
      a->o.port = (uint16_t)v;
      break;
    case OPT_BIND: a->o.bind = optarg; break;
    case OPT_MODEL: a->o.model_dir = optarg; break;
    case OPT_KEY: a->key_file = optarg; break;
    case OPT_PORT_FILE: a->port_file = optarg; break;
    case OPT_RATE:
      if (cs_cli_parse_double("serve", "--rate-limit", optarg, 0, 1e9, &a->o.rate))
        return CS_EXIT_USAGE;
      break;
    case OPT_BURST:
      if (cs_cli_parse_double("serve", "--burst", optarg, 1, 1e9, &a->o.burst)) return CS_EXIT_USAGE;
      a->burst_set = true;
      break;
    case OPT_THREADS:
      if (cs_cli_parse_u64("serve", "--threads", optarg, 1, 64, &v)) return CS_EXIT_USAGE;
      a->o.threads = (unsigned)v;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cs_cli_usage("serve", "unknown option");
    }
  }
  if (optind != argc) return cs_cli_usage("serve", "unexpected argument '%s'", argv[optind]);
  if (!a->burst_set) a->o.burst = a->o.rate * 2 < 1 ? 1 : a->o.rate * 2;
  return 0;
}

static int write_port_file(const char *path, uint16_t port) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) return cs_cli_usage("serve", "--port-file: cannot write '%s'", path);
  fprintf(f, "%u\n", port);
  if (fclose(f) != 0 || rename(tmp, path) != 0)
    return cs_cli_usage("serve", "--port-file: cannot write '%s'", path);
  return 0;
}

/* Blocks SIGINT/SIGTERM before any thread starts (the server's threads
 * inherit the mask), then waits for one of them here. */
static int run(args_t *a, const cs_config_t *cfg, sigset_t *set) {
  cs_server_t *srv = NULL;
  cs_diag_t d = {{0}};
  int rc = cs_server_start(&a->o, cfg, &srv, &d);
  if (rc < 0) return cs_cli_fail("serve", rc, &d);
  uint16_t port = cs_server_port(srv);
  int ec = a->port_file ? write_port_file(a->port_file, port) : 0;
  if (!ec) {
    printf("listening on http://%s:%u\n", a->o.bind, port);
    fflush(stdout);
    int sig = 0;
    sigwait(set, &sig);
    fprintf(stderr, "consentry serve: signal %d, stopping\n", sig);
  }
  cs_server_stop(srv);
  return ec;
}

int cs_cmd_serve(int argc, char **argv) {
  args_t a = {.o = cs_server_defaults()};
  int ec = parse(argc, argv, &a);
  if (ec) return ec < 0 ? CS_EXIT_OK : ec;
  a.o.db = cs_cli_db_path(&a.c);
  char *key = NULL;
  cs_config_t *cfg = NULL;
  ec = read_key(a.key_file, &key);
  if (!ec) ec = cs_cli_load_config("serve", &a.c, &cfg);
  a.o.admin_key = key;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (!ec) ec = run(&a, cfg, &set);
  if (key) explicit_bzero(key, strlen(key));
  free(key);
  cs_config_free(cfg);
  return ec;
}
