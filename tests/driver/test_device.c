/* SPDX-License-Identifier: Apache-2.0 */
/* The host library's device layer against the fake device (the real firmware logic): the
 * example deployment compiled for the device and loaded, read back slot by slot; an
 * incremental update read back against the planner's model; counters; flows; refusals. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "nsgnic/device.h"
#include "nsgnic/nsgnic.h"
#include "nsgnic/slowpath.h"
#include "label_lpm.h"
#include "tables.h"
#include "test_util.h"

#define EX NSGNIC_EXAMPLES "/three-tier/"

/* The example deployment; with `from`/`to` replaced in nsgs.json when from is not NULL. */
static struct nsg_config *example(const char *from, const char *to)
{
  struct nsg_options opts;
  nsg_options_default(&opts);
  struct nsg_config *cfg = nsg_config_new(&opts);
  assert_non_null(cfg);
  assert_int_equal(nsg_config_load_service_tags(cfg, EX "servicetags.json"), 0);
  assert_int_equal(nsg_config_load_file(cfg, EX "vnets.json"), 0);
  assert_int_equal(nsg_config_load_file(cfg, EX "asgs.json"), 0);
  assert_int_equal(nsg_config_load_file(cfg, EX "nics.json"), 0);
  FILE *f = fopen(EX "nsgs.json", "rb");
  assert_non_null(f);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  if (from) {
    char *p;
    size_t lf = strlen(from), lt = strlen(to);
    assert_int_equal(lf, lt);
    int hits = 0;
    for (p = strstr(buf, from); p; p = strstr(p + lt, from), hits++)
      memcpy(p, to, lt);
    assert_true(hits > 0);
  }
  assert_int_equal(nsg_config_load_string(cfg, "nsgs.json", buf), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  return cfg;
}

struct fx {
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  struct nsgnic_dev *d;
  char err[1024];
};

static struct fx *fx_boot(const char *spec)
{
  struct fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  opts_with_log(&f->o, &f->lb);
  f->o.timeout_ms = 200;
  f->d = nsgnic_dev_open(spec, &f->o);
  assert_non_null(f->d);
  assert_int_equal(nsgnic_dev_reset(f->d), 0);
  assert_int_equal(nsgnic_dev_start(f->d), 0);
  return f;
}

static void fx_free(struct fx *f)
{
  nsgnic_dev_close(f->d);
  free(f);
}

static struct nsg_tables *compile_for(struct fx *f, const struct nsg_config *cfg, const struct nsg_tables *old)
{
  struct nsg_compile_opts co;
  assert_int_equal(nsg_device_compile_opts(f->d, &co, f->err, sizeof f->err), 0);
  uint32_t ranges[2 * NSGNIC_PORT_CLASSES];
  if (old) {
    nsg_tables_port_ranges(old, ranges);
    co.port_ranges = ranges;
  }
  struct nsg_tables *t = nsg_compile(cfg, &co, f->err, sizeof f->err);
  if (!t)
    fail_msg("compile: %s", f->err);
  return t;
}

/* Every slot and binding of the device equals `t` (value under the mask, mask, result). */
static void assert_device_holds(struct fx *f, const struct nsg_tables *t)
{
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), 0);
  const struct nsg_ttable *tabs[3] = {&t->rule, &t->label, &t->plat};
  const uint32_t sizes[3] = {caps.rule_entries, caps.label_entries, caps.platform_entries};
  for (unsigned tb = 0; tb < 3; tb++) {
    for (uint32_t i = 0; i < sizes[tb]; i++) {
      uint32_t req[2] = {tb, i}, r[NSGNIC_MSG_PAYLOAD_WORDS];
      unsigned n;
      assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_TCAM_READ, req, 2, r, NSGNIC_MSG_PAYLOAD_WORDS,
                                      &n, NULL), 0);
      const struct nsg_tentry *e = i < tabs[tb]->n ? &tabs[tb]->e[i] : NULL;
      bool valid = e && e->valid;
      uint32_t w0 = r[0];
      if ((NSGNIC_GET(&w0, P_TCAM_FLAGS) & 1u) != valid)
        fail_msg("table %u slot %u: valid %u, expected %u", tb, i,
                 (unsigned)NSGNIC_GET(&w0, P_TCAM_FLAGS) & 1u, valid);
      if (!valid)
        continue;
      for (unsigned k = 0; k < tabs[tb]->key_words; k++) {
        assert_int_equal(r[2 + k], e->val[k] & e->care[k]);
        assert_int_equal(r[10 + k], e->care[k]);
      }
      for (unsigned k = 0; k < tabs[tb]->res_words; k++)
        assert_int_equal(r[18 + k], e->res[k]);
    }
  }
  /* the bindings in both banks (BIND_FLAG_SHADOW reads the inactive one): the COMMIT copied them */
  for (uint32_t v = 0; v < t->nvports; v++)
    for (uint32_t shadow = 0; shadow < 2; shadow++) {
      uint32_t r[NSGNIC_MSG_PAYLOAD_WORDS], sel = v | shadow << (NSGNIC_P_BIND_FLAGS_LSB + NSGNIC_BIND_FLAG_SHADOW);
      unsigned n;
      assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_BIND_READ, &sel, 1, r, NSGNIC_MSG_PAYLOAD_WORDS,
                                      &n, NULL), 0);
      assert_memory_equal(&r[1], t->bind[v], NSGNIC_BINDING_WORDS * sizeof(uint32_t));
    }
}

static void initial_load(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  struct nsg_config *cfg = example(NULL, NULL);
  struct nsg_tables *t = compile_for(f, cfg, NULL);
  struct nsg_device_load_stats st;
  assert_int_equal(nsg_device_load(f->d, t, &st, f->err, sizeof f->err), 0);
  assert_int_equal(st.table_version, 1);
  assert_int_equal(st.active_bank, 1);
  assert_int_equal(st.bind_writes, t->nvports);
  assert_true(st.tcam_writes > 0 && st.live_writes * 2 == st.tcam_writes);
  /* the device holds the image, shared by both banks (the steady state) */
  assert_device_holds(f, t);
  /* a second initial load is refused */
  assert_int_equal(nsg_device_load(f->d, t, &st, f->err, sizeof f->err), -EBUSY);
  assert_non_null(strstr(f->err, "already holds tables (version 1)"));
  nsg_tables_free(t);
  nsg_config_free(cfg);
  fx_free(f);
}

/* A device whose label stage is the block-RAM trees (CAP_LABEL_LPM): the compile options say
 * label_lpm, the load sends no label TCAM entry but every tree node in use and every result row
 * at the device's geometry, twice (inactive bank, then the old one after COMMIT); an update sends
 * the trees' diff twice. */
static size_t tree_writes(const struct nsg_tables *t)
{
  struct nsg_label_lpm l;
  char err[256];
  assert_int_equal(nsg_label_lpm_build(t, &l, err, sizeof err), 0);
  size_t n = 0;
  for (unsigned f = 0; f < 2; f++) {
    for (unsigned lv = 0; lv < l.tree[f].g.levels; lv++)
      n += l.tree[f].used[lv];
    n += l.nrows;
  }
  nsg_label_lpm_free(&l);
  return n;
}

static void lpm_load_update(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake,lpm");
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), 0);
  assert_true(caps.caps & (1u << NSGNIC_CAP_LABEL_LPM));
  assert_int_equal(caps.label_entries, 0);
  assert_int_equal(caps.lpm_levels, NSGNIC_LPM_LEVELS);
  assert_int_equal(caps.lpm_leaves[0], NSGNIC_LPM4_LEAF_NODES);
  struct nsg_compile_opts co;
  assert_int_equal(nsg_device_compile_opts(f->d, &co, f->err, sizeof f->err), 0);
  assert_true(co.label_lpm);
  struct nsg_config *c1 = example(NULL, NULL);
  struct nsg_tables *t1 = compile_for(f, c1, NULL);
  assert_true(t1->label.n > 0);
  size_t rule_plat = 0;
  for (size_t i = 0; i < t1->rule.n; i++) rule_plat += t1->rule.e[i].valid;
  for (size_t i = 0; i < t1->plat.n; i++) rule_plat += t1->plat.e[i].valid;
  struct nsg_device_load_stats st;
  assert_int_equal(nsg_device_load(f->d, t1, &st, f->err, sizeof f->err), 0);
  assert_int_equal(st.table_version, 1);
  assert_int_equal(st.tcam_writes, 2 * rule_plat);  /* no label TCAM entry */
  assert_int_equal(st.lpm_writes, 2 * tree_writes(t1));
  /* an update changing one label result (a label bit no rule uses): the trees' diff, before
   * and after the switch */
  struct nsg_tables *t2 = nsg_tables_clone(t1);
  assert_non_null(t2);
  size_t k = 0;
  while (!t2->label.e[k].valid) k++;
  t2->label.e[k].res[1] ^= 1u << 30;  /* LABELS bit 62 */
  assert_int_equal(nsg_device_update(f->d, t1, t2, &st, f->err, sizeof f->err), 0);
  assert_int_equal(st.table_version, 2);
  struct nsg_label_lpm a, b;
  assert_int_equal(nsg_label_lpm_build(t1, &a, f->err, sizeof f->err), 0);
  assert_int_equal(nsg_label_lpm_build(t2, &b, f->err, sizeof f->err), 0);
  size_t diff = 0;
  for (unsigned fam = 0; fam < 2; fam++) {
    diff += lpm_diff(&a.tree[fam], &b.tree[fam], NULL, 0);
    for (size_t r = 0; r < (a.nrows > b.nrows ? a.nrows : b.nrows); r++) {
      static const uint32_t z[NSG_TRES_WORDS];
      const uint32_t *x = r < a.nrows ? a.rows[r] : z, *y = r < b.nrows ? b.rows[r] : z;
      diff += memcmp(x, y, sizeof z) != 0;
    }
  }
  assert_true(diff > 0);
  assert_int_equal(st.lpm_writes, 2 * diff);
  nsg_label_lpm_free(&a);
  nsg_label_lpm_free(&b);
  nsg_tables_free(t1);
  nsg_tables_free(t2);
  nsg_config_free(c1);
  fx_free(f);
}

/* A device with per-vport label contexts (CAP_LABEL_CTX, fake option ctx): the compile options
 * say label_ctx; the load writes the local-address table through TABLE_LABEL, the trees with
 * LPM_ROW rows and the bindings with LABEL_CTX; the device then holds every slot and binding;
 * an update (a changed rule) goes through; tables without label contexts are refused. */
static void ctx_load_update(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake,ctx");
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), 0);
  assert_true(caps.caps & (1u << NSGNIC_CAP_LABEL_LPM));
  assert_true(caps.caps & (1u << NSGNIC_CAP_LABEL_CTX));
  assert_true(caps.label_entries > 0);
  struct nsg_compile_opts co;
  assert_int_equal(nsg_device_compile_opts(f->d, &co, f->err, sizeof f->err), 0);
  assert_true(co.label_ctx);
  struct nsg_config *c1 = example(NULL, NULL);
  /* a device with contexts refuses tables without them */
  struct nsg_tables *g = nsg_compile(c1, NULL, f->err, sizeof f->err);
  assert_non_null(g);
  struct nsg_device_load_stats st;
  assert_int_equal(nsg_device_load(f->d, g, &st, f->err, sizeof f->err), -EINVAL);
  assert_non_null(strstr(f->err, "CAP_LABEL_CTX"));
  nsg_tables_free(g);
  struct nsg_tables *t1 = compile_for(f, c1, NULL);
  assert_true(t1->label_ctx);
  assert_true(t1->nctxs > 0 && t1->nlrows > 0);
  size_t tcam = 0, locals = 0;
  for (size_t i = 0; i < t1->rule.n; i++) tcam += t1->rule.e[i].valid;
  for (size_t i = 0; i < t1->plat.n; i++) tcam += t1->plat.e[i].valid;
  for (size_t i = 0; i < t1->label.n; i++) locals += t1->label.e[i].valid;
  size_t ips = 0;
  for (size_t v = 0; v < t1->nvports; v++) ips += t1->vports[v].nips;
  assert_int_equal(locals, ips);  /* one local-address entry per NIC address */
  assert_int_equal(nsg_device_load(f->d, t1, &st, f->err, sizeof f->err), 0);
  assert_int_equal(st.table_version, 1);
  assert_int_equal(st.tcam_writes, 2 * (tcam + locals));
  assert_int_equal(st.lpm_writes, 2 * tree_writes(t1));
  assert_device_holds(f, t1);
  struct nsg_config *c2 = example("\"destinationPortRange\": \"8080\"", "\"destinationPortRange\": \"8081\"");
  struct nsg_tables *t2 = compile_for(f, c2, t1);
  assert_true(t2->label_ctx);
  assert_int_equal(nsg_device_update(f->d, t1, t2, &st, f->err, sizeof f->err), 0);
  assert_int_equal(st.table_version, 2);
  nsg_tables_free(t1);
  nsg_tables_free(t2);
  nsg_config_free(c1);
  nsg_config_free(c2);
  fx_free(f);
}

static void load_refused(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  struct nsg_config *cfg = example(NULL, NULL);
  /* port-range comparators: no firmware command sets them yet */
  struct nsg_compile_opts co;
  assert_int_equal(nsg_device_compile_opts(f->d, &co, f->err, sizeof f->err), 0);
  co.no_port_classes = false;
  struct nsg_tables *t = nsg_compile(cfg, &co, f->err, sizeof f->err);
  assert_non_null(t);
  struct nsg_device_load_stats st;
  bool uses = false;
  for (unsigned k = 0; k < 2 * NSGNIC_PORT_CLASSES; k++) {
    uint32_t w = t->port_range[k / NSGNIC_PORT_CLASSES][k % NSGNIC_PORT_CLASSES];
    uses |= NSGNIC_GET(&w, PORT_RANGE_LO) <= NSGNIC_GET(&w, PORT_RANGE_HI);
  }
  if (uses) {
    assert_int_equal(nsg_device_load(f->d, t, &st, f->err, sizeof f->err), -ENOTSUP);
    assert_non_null(strstr(f->err, "--no-port-classes"));
  }
  nsg_tables_free(t);
  /* more rule entries than the device has */
  t = compile_for(f, cfg, NULL);
  struct nsg_tentry z;
  memset(&z, 0, sizeof z);
  while (t->rule.n <= 1024)
    assert_int_equal(nsg_ttable_push(&t->rule, &z), 0);
  assert_int_equal(nsg_device_load(f->d, t, &st, f->err, sizeof f->err), -ENOSPC);
  assert_non_null(strstr(f->err, "rule TCAM needs"));
  nsg_tables_free(t);
  nsg_config_free(cfg);
  fx_free(f);
  /* a device that never answers: the layer reports the timeout with the command */
  f = fx_boot("fake,mute");
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), -ETIMEDOUT);
  assert_non_null(strstr(f->err, "GET_CAPS"));
  fx_free(f);
}

static void update(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  struct nsg_config *c1 = example(NULL, NULL);
  struct nsg_config *c2 = example("\"destinationPortRange\": \"8080\"", "\"destinationPortRange\": \"8081\"");
  struct nsg_tables *t1 = compile_for(f, c1, NULL);
  struct nsg_tables *t2 = compile_for(f, c2, t1);
  struct nsg_device_load_stats st;
  /* an update from tables the device does not hold is refused before any write */
  assert_int_equal(nsg_device_update(f->d, t1, t2, &st, f->err, sizeof f->err), -ESTALE);
  assert_non_null(strstr(f->err, "does not hold the old tables"));
  assert_int_equal(st.tcam_writes, 0);
  assert_int_equal(nsg_device_load(f->d, t1, &st, f->err, sizeof f->err), 0);
  /* the planner's model of the device after the update */
  struct nsg_tables *exp = nsg_tables_clone(t1);
  assert_non_null(exp);
  exp->bank = st.active_bank;
  struct nsg_update *u = nsg_update_plan(exp, t2, f->err, sizeof f->err);
  assert_non_null(u);
  for (size_t i = 0; i < nsg_update_count(u); i++)
    assert_int_equal(nsg_tables_apply(exp, nsg_update_write(u, i), 1), 0);

  if (nsg_device_update(f->d, t1, t2, &st, f->err, sizeof f->err) != 0)
    fail_msg("update: %s", f->err);
  assert_int_equal(st.table_version, 2);
  assert_int_equal(st.active_bank, 0);
  assert_true(st.tcam_writes > 0 && st.tcam_writes < 100);
  assert_device_holds(f, exp);

  /* the same update again finds a device that no longer holds t1's entries where the plan
   * expects them... it still only writes what differs; back to t1 restores the original */
  struct nsg_tables *t1b = compile_for(f, c1, t1);
  /* the device now holds `exp` (t2 in t1's id space) */
  struct nsg_tables *exp2 = nsg_tables_clone(exp);
  assert_non_null(exp2);
  struct nsg_update *u2 = nsg_update_plan(exp2, t1b, f->err, sizeof f->err);
  assert_non_null(u2);
  for (size_t i = 0; i < nsg_update_count(u2); i++)
    assert_int_equal(nsg_tables_apply(exp2, nsg_update_write(u2, i), 1), 0);
  if (nsg_device_update(f->d, exp, t1b, &st, f->err, sizeof f->err) != 0)
    fail_msg("update back: %s", f->err);
  assert_int_equal(st.table_version, 3);
  assert_device_holds(f, exp2);

  nsg_update_free(u2);
  nsg_tables_free(exp2);
  nsg_tables_free(t1b);
  nsg_update_free(u);
  nsg_tables_free(exp);
  nsg_tables_free(t1);
  nsg_tables_free(t2);
  nsg_config_free(c1);
  nsg_config_free(c2);
  fx_free(f);
}

static void counters_and_flows(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), 0);
  /* more counters than one command carries */
  uint64_t c[64];
  assert_int_equal(nsg_device_counters(f->d, NSGNIC_CNT_BLOCK_FW, 0, caps.fw_counters, c, f->err,
                                       sizeof f->err), 0);
  assert_int_equal(c[NSGNIC_FWCNT_CMD_OK], 1);  /* GET_CAPS */
  assert_true(caps.dp_counters > NSGNIC_COUNTERS_PER_READ);
  assert_int_equal(nsg_device_counters(f->d, NSGNIC_CNT_BLOCK_DP, 0, caps.dp_counters, c, f->err,
                                       sizeof f->err), 0);
  assert_int_equal(nsg_device_counters(f->d, NSGNIC_CNT_BLOCK_DP, caps.dp_counters, 1, c, f->err,
                                       sizeof f->err), -EREMOTEIO);
  assert_non_null(strstr(f->err, "BAD_INDEX"));

  /* a flow inserted by command, read and deleted through the layer */
  uint32_t p[1 + NSGNIC_FLOW_BITS / 32] = {0}, idx = 0, entry[NSGNIC_FLOW_BITS / 32];
  uint32_t *e = p + 1;
  e[NSGNIC_FLOW_LOCAL_ADDR_LSB / 32] = 0x0a000104;
  e[NSGNIC_FLOW_REMOTE_ADDR_LSB / 32] = 0x0a000204;
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, 443);
  NSGNIC_PUT(e, FLOW_REMOTE_PORT, 50000);
  NSGNIC_PUT(e, FLOW_PROTO, 6);
  NSGNIC_PUT(e, FLOW_VPORT, 1);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  unsigned n;
  assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_FLOW_INSERT, p, 1 + NSGNIC_FLOW_BITS / 32, &idx,
                                  1, &n, NULL), 0);
  /* the aging scan reports it idle on the event ring */
  uint32_t ag[3] = {1, 0, 64}, code = 0, ev[NSGNIC_MSG_PAYLOAD_WORDS];
  assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_AGING_START, ag, 3, NULL, 0, NULL, NULL), 0);
  int got = 0;
  for (int i = 0; i < 1000 && !(got == 1 && code == NSGNIC_EVT_IDLE_FLOW); i++)
    got = nsgnic_dev_event(f->d, &code, ev, &n);
  assert_int_equal(got, 1);
  assert_int_equal(code, NSGNIC_EVT_IDLE_FLOW);
  assert_int_equal(ev[NSGNIC_P_IDLE_INDEX_LSB / 32], idx);
  assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_AGING_STOP, NULL, 0, NULL, 0, NULL, NULL), 0);
  assert_int_equal(nsg_device_flow_read(f->d, idx, entry, f->err, sizeof f->err), 0);
  assert_int_equal(NSGNIC_GET(entry, FLOW_LOCAL_PORT), 443);
  assert_int_equal(entry[NSGNIC_FLOW_REMOTE_ADDR_LSB / 32], 0x0a000204);
  /* a delete with another key leaves it */
  uint32_t other[NSGNIC_FLOW_BITS / 32];
  memcpy(other, entry, sizeof other);
  NSGNIC_PUT(other, FLOW_REMOTE_PORT, 50001);
  assert_int_equal(nsg_device_flow_delete(f->d, idx, other, f->err, sizeof f->err), -ENOENT);
  assert_int_equal(nsg_device_flow_delete(f->d, idx, entry, f->err, sizeof f->err), 0);
  assert_int_equal(nsg_device_flow_read(f->d, idx, entry, f->err, sizeof f->err), -ENOENT);
  assert_int_equal(nsg_device_flow_delete(f->d, idx, e, f->err, sizeof f->err), -ENOENT);
  fx_free(f);
}

/* ABI 1.2 wrappers: CMD_EXC_RELEASE (a token nothing parks: -ENOENT on a parking device,
 * -ENOTSUP on one without CAP_EXC_PARK, never a silent success), the aging scan's range checks
 * before any command, host-driven time refused without CAP_EXT_TIME. */
static void abi12_wrappers(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(f->d, &caps, f->err, sizeof f->err), 0);
  int rc = nsg_device_exc_release(f->d, 12345, 0, true, f->err, sizeof f->err);
  if (caps.caps & (1u << NSGNIC_CAP_EXC_PARK)) {
    assert_int_equal(rc, -ENOENT);
    assert_non_null(strstr(f->err, "no parked packet has token 12345"));
  } else {
    assert_int_equal(rc, -ENOTSUP);
    assert_non_null(strstr(f->err, "does not park"));
  }
  const struct nsg_dev_ops *ops = &nsg_device_exc_ops;
  assert_non_null(ops->release);
  assert_int_equal(ops->release(f->d, 12345, 0, false), rc);
  uint64_t before[NSGNIC_FW_COUNTERS];
  assert_int_equal(nsg_device_counters(f->d, NSGNIC_CNT_BLOCK_FW, 0, 2, before, f->err, sizeof f->err), 0);
  assert_int_equal(nsg_device_aging_start(f->d, 0, 0, 64, f->err, sizeof f->err), -EINVAL);
  assert_non_null(strstr(f->err, "threshold 0"));
  assert_int_equal(nsg_device_aging_start(f->d, 32768, 0, 64, f->err, sizeof f->err), -EINVAL);
  assert_int_equal(nsg_device_aging_start(f->d, 10, 0, 0, f->err, sizeof f->err), -EINVAL);
  uint64_t after[NSGNIC_FW_COUNTERS];
  assert_int_equal(nsg_device_counters(f->d, NSGNIC_CNT_BLOCK_FW, 0, 2, after, f->err, sizeof f->err), 0);
  assert_int_equal(after[NSGNIC_FWCNT_CMD_OK], before[NSGNIC_FWCNT_CMD_OK] + 1); /* only the read */
  assert_int_equal(after[NSGNIC_FWCNT_CMD_ERR], before[NSGNIC_FWCNT_CMD_ERR]);   /* nothing sent */
  assert_int_equal(nsg_device_aging_start(f->d, 32767, 0, 65536, f->err, sizeof f->err), 0);
  assert_int_equal(nsg_device_aging_stop(f->d, f->err, sizeof f->err), 0);
  rc = nsg_device_time_external(f->d, true, f->err, sizeof f->err);
  if (nsgnic_dev_rd32(f->d, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_EXT_TIME)) {
    assert_int_equal(rc, 0);
    assert_int_equal(nsg_device_time_external(f->d, false, f->err, sizeof f->err), 0);
  } else {
    assert_int_equal(rc, -ENOTSUP);
    assert_non_null(strstr(f->err, "CAP_EXT_TIME"));
  }
  fx_free(f);
}

/* The exception loop's device interface over the driver, then the loop itself on it. */
static void exc_adapter(void **state)
{
  (void)state;
  struct fx *f = fx_boot("fake");
  const struct nsg_dev_ops *ops = &nsg_device_exc_ops;
  void *dev = f->d;
  uint32_t e[16] = {0}, r[16], slot[32];
  e[NSGNIC_FLOW_LOCAL_ADDR_LSB / 32] = 0x0a0a0104;
  e[NSGNIC_FLOW_REMOTE_ADDR_LSB / 32] = 0x0a0a0204;
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, 1433);
  NSGNIC_PUT(e, FLOW_REMOTE_PORT, 40000);
  NSGNIC_PUT(e, FLOW_PROTO, 6);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  long idx = ops->install_flow(dev, e);
  assert_true(idx >= 0);
  assert_int_equal(ops->install_flow(dev, e), -EEXIST);
  assert_int_equal(ops->read_flow(dev, (uint32_t)idx, r), 1);
  assert_memory_equal(r, e, 10 * sizeof(uint32_t));
  assert_int_equal(ops->read_flow(dev, (uint32_t)(idx + 1) % 256, r), 0);
  assert_int_equal(ops->flow_slots(dev), 256);
  assert_int_equal(ops->events_lost(dev), 0);
  assert_int_equal(ops->reinject(dev, 0, (const uint8_t *)"x", 1), -EOPNOTSUPP);
  assert_int_equal(ops->read_event(dev, slot), 0);
  assert_int_equal(ops->delete_flow(dev, (uint32_t)idx, e), 0);
  assert_int_equal(ops->delete_flow(dev, (uint32_t)idx, e), -ENOENT);

  /* the loop: a flow on the device ages, the idle report reaches the loop as an event */
  idx = ops->install_flow(dev, e);
  assert_true(idx >= 0);
  struct nsg_config *cfg = example(NULL, NULL);
  struct nsg_slowpath *sp = nsg_slowpath_new(cfg, NULL);
  assert_non_null(sp);
  struct nsg_exc_opts xo;
  nsg_exc_opts_default(&xo);
  struct nsg_exc *x = nsg_exc_new(sp, ops, dev, &xo);
  assert_non_null(x);
  assert_true(nsg_exc_rebuild(x, 0) >= 0);
  uint32_t ag[3] = {1, 0, 64};
  assert_int_equal(nsgnic_dev_cmd(f->d, NSGNIC_CMD_AGING_START, ag, 3, NULL, 0, NULL, NULL), 0);
  struct nsg_exc_stats st;
  for (int i = 0; i < 200; i++) {
    assert_true(nsg_exc_poll(x, (uint64_t)i * 1000000u) >= 0);
    nsg_exc_get_stats(x, &st);
    if (st.idle_reports > 0)
      break;
  }
  assert_true(st.idle_reports > 0);
  assert_int_equal(st.dev_errors, 0);
  assert_false(st.device_down);
  nsg_exc_free(x);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(initial_load),
    cmocka_unit_test(lpm_load_update),
    cmocka_unit_test(ctx_load_update),
    cmocka_unit_test(load_refused),
    cmocka_unit_test(update),
    cmocka_unit_test(counters_and_flows),
    cmocka_unit_test(exc_adapter),
    cmocka_unit_test(abi12_wrappers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
