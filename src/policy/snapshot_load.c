/* snapshot_load.c — a snapshot straight from the ledger store.
 *
 * Kept apart from snapshot.c so that the pure snapshot code links without the
 * store (the tests of snapshot.c build snapshots by hand). Two scans: every
 * member fact as of T, grouped by member as the snapshot needs, then every
 * deletion as of T.
 */
#include <consentry/policy.h>
#include <consentry/store.h>

static int add_cb(void *ctx, const cs_fact_t *f) { return cs_snapshot_add(ctx, f); }

int cs_snapshot_load(cs_store_t *store, const cs_config_t *cfg, cs_time_t T, cs_snapshot_t **out,
                     cs_diag_t *diag) {
  cs_snapshot_t *snap = NULL;
  int rc = cs_snapshot_new(cfg, T, &snap);
  if (rc != CS_OK) return cs_diag_set(diag, rc, "snapshot: %s", cs_strerror(rc));
  if (diag) diag->msg[0] = '\0';
  rc = cs_store_each_member_fact(store, NULL, T, add_cb, snap, diag);
  if (rc == CS_OK) rc = cs_store_each_deletion(store, T, add_cb, snap, diag);
  if (rc == CS_OK) rc = cs_snapshot_finish(snap);
  if (rc != CS_OK) {
    /* Store errors explain themselves; the snapshot's own ones do not. */
    if (diag && !diag->msg[0]) cs_diag_set(diag, rc, "snapshot: %s", cs_strerror(rc));
    cs_snapshot_free(snap);
    return rc;
  }
  *out = snap;
  return CS_OK;
}
