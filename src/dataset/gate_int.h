/* gate_int.h — what gate.c shares with the chunk runner (internal). */
#ifndef CS_DATASET_GATE_INT_H
#define CS_DATASET_GATE_INT_H

#include <consentry/gate.h>

#include "core/buf.h"

#define CS_GATE_FIELD_MAX 256 /* longest id, member, kind, time or visibility accepted */
#define CS_GATE_BATCH 64      /* records looked up together so their cache misses overlap */

/* Validates one line into d (all but its reason), decoding escaped short
 * fields into the gate's buffers for batch slot `slot` (< CS_GATE_BATCH). */
int cs__gate_parse_line(cs_gate_t *g, size_t slot, const char *file, size_t line_no,
                        const char *line, size_t len, cs_gate_decision_t *d, cs_diag_t *diag);
cs_reason_t cs__gate_decide(const cs_gate_t *g, const cs_member_state_t *m,
                            cs_gate_decision_t *d);
const cs_snapshot_t *cs__gate_snapshot(const cs_gate_t *g);

/* Appends {"id","member","included","reason"} and a newline: the decisions
 * format of the gate and of datasets. */
int cs__gate_put_decision(cs_buf_t *b, const char *id, size_t id_len, const char *member,
                          size_t member_len, const char *reason);

#endif
