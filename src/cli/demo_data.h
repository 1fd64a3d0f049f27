/* demo_data.h — the small platform `consentry demo` builds (internal to the CLI). */
#ifndef CS_CLI_DEMO_DATA_H
#define CS_CLI_DEMO_DATA_H

#include <stdio.h>

/* The as-of time the demo gates at. */
#define CS_DEMO_AS_OF "2024-09-01T00:00:00Z"

/* Writes the demo's facts / content as JSONL. Returns 0 or -1 on write error. */
int cs_demo_write_facts(FILE *f);
int cs_demo_write_content(FILE *f);

#endif
