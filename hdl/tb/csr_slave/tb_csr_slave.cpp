// SPDX-License-Identifier: Apache-2.0
// csr_slave testbench: random bus traffic (reads and writes every clock or idle) over every
// defined register and window word of include/nsgnic/abi/csr.def.h, random addresses (holes,
// unaligned, out of every window) and table commands with indices at and beyond each table's
// bound, against the C reference map (ref_csr.c). The surroundings are simulated here: the
// lookup's management port answers after 0..3 clocks, the flow-cache slot takes an operation
// after a random wait and finishes it later, the exception queue and counters return values
// derived from the index the slave presents (so a wrong index shows in the read data). Checked
// each clock: read data, control outputs (bank, learn, gen, port ranges), the management request
// and flow operation fields, EXQ pop and counter clear pulses. Every defined word must have been
// read (and every writable one written) at least once. Parameters are TB_*.
// Usage: tb_csr_slave <clocks> <seed>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vcsr_slave.h"
#include "nsgnic/abi.h"
#include "ref_csr.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0xd1b54a32d192ed03ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}
static uint32_t mix(uint32_t x)
{
  x ^= x >> 16; x *= 0x7feb352du; x ^= x >> 15; x *= 0x846ca68bu; x ^= x >> 16;
  return x;
}

static long errors;
#define CHECK(cond, ...) \
  do { if (!(cond) && errors++ < 12) { printf("cycle %ld: ", cyc); printf(__VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  const ref_csr_cfg cfg = {TB_RULEENTRIES, TB_LABELENTRIES, TB_PLATFORMENTRIES, TB_VPORTS,
                           TB_FLOWBUCKETS, TB_FLOWWAYS, TB_HDRBYTES, TB_EXQDEPTH, TB_FLOWSTASH};
  const unsigned fww = TB_FLOWWAYS > 1 ? __builtin_ctz(TB_FLOWWAYS) : 1;
  const unsigned sizes[8] = {TB_RULEENTRIES, TB_LABELENTRIES, TB_PLATFORMENTRIES, TB_VPORTS,
                             NSGNIC_FLOW_TABLES * TB_FLOWBUCKETS * TB_FLOWWAYS + TB_FLOWSTASH,
                             TB_FLOWBUCKETS, 0, 0};
  ref_csr ref;
  ref_csr_reset(&ref, &cfg);
  std::vector<unsigned> mapped;
  for (unsigned a = 0; a < 4096; a += 4)
    if (ref_csr_mapped(&ref, a)) mapped.push_back(a);
  std::vector<long> nread(4096 / 4), nwrite(4096 / 4);

  Vcsr_slave *m = new Vcsr_slave;
  m->clk_i = 0; m->rst_ni = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();

  long cyc = 0, n_tcam = 0, n_flow = 0, n_err = 0, n_bad = 0, n_ignored = 0;
  int tcam_wait = -1, flow_taken = 0, flow_wait = -1;
  unsigned now = 0;
  uint32_t pend_read = 0;
  int have_read = 0;
  for (; cyc < clocks; cyc++) {
    // ---- the bus request of this clock
    unsigned k = rnd() % 100, addr = 0;
    int req = k >= 10, we = rnd() & 1;
    uint32_t wdata = rnd();
    if (k < 10) {
    } else if (k < 65) {
      addr = mapped[rnd() % mapped.size()];
    } else if (k < 85) {  // a table command
      addr = NSGNIC_CSR_CMD;
      we = rnd() % 8 != 0;
      unsigned table = rnd() % 16 == 0 ? 6 + rnd() % 2 : rnd() % 6, sz = sizes[table];
      unsigned pick = rnd() % 8, idx;
      idx = pick == 0 ? 0 : pick == 1 ? (sz ? sz - 1 : 0) : pick == 2 ? sz : pick == 3 ? 0xffff
          : pick == 4 ? rnd() & 0xffff : (sz ? rnd() % sz : 0);
      if (table == NSGNIC_DP_TABLE_BINDING && pick != 3 && pick != 4)
        NSGNIC_PUT(&idx, DP_BIND_INDEX_BANK, rnd() & 1);  // either bank of the vport
      wdata = 0;
      NSGNIC_PUT(&wdata, DP_CMD_INDEX, idx);
      NSGNIC_PUT(&wdata, DP_CMD_TABLE, table);
      NSGNIC_PUT(&wdata, DP_CMD_OP, rnd() & 1);
      NSGNIC_PUT(&wdata, DP_CMD_VALID, rnd() & 1);
      if (rnd() % 4 == 0) wdata |= rnd() << 21;  // reserved bits are ignored
    } else {
      addr = rnd() & 0xfff;  // anywhere, unaligned too
      n_bad += !ref_csr_mapped(&ref, addr);
    }
    if (req) (we ? nwrite : nread)[addr >> 2]++;
    m->s_csr_req_i = req;
    m->s_csr_we_i = we;
    m->s_csr_addr_i = addr;
    m->s_csr_wdata_i = wdata;

    // ---- surroundings
    ref_csr_env env;
    now = (now + (rnd() % 4 == 0)) & 0xffff;
    env.now = now;
    env.exq_count = rnd() % 9;
    env.exq_meta = rnd();
    env.exq_slot = rnd() & 0xffu;
    env.exq_parked = rnd();
    uint32_t salt = rnd();
    for (unsigned i = 0; i < 32; i++) env.exq_word[i] = mix(salt ^ i);
    for (unsigned i = 0; i < 64; i++) env.cnt[i] = mix(~salt ^ i);
    m->now_i = env.now;
    m->exq_count_i = env.exq_count;
    m->exq_meta_i = env.exq_meta;
    m->exq_slot_i = env.exq_slot;
    m->exq_parked_i = env.exq_parked;
    env.age_count = rnd() % (NSGNIC_AGE_FIFO_DEPTH + 1);
    env.age_index = rnd() & 0xffffu;
    env.age_passes = rnd();
    for (unsigned i = 0; i < 16; i++) env.age_entry[i] = mix(salt ^ (0x100 + i));
    m->age_count_i = env.age_count;
    m->age_index_i = env.age_index;
    m->age_passes_i = env.age_passes;
    tb::put(m->age_entry_i, env.age_entry, 0, 512);
    // lookup management port: done after the scheduled wait
    m->m_done_i = 0;
    uint32_t rv[16], rm[8], rr[4];
    int rvalid = rnd() & 1;
    if (tcam_wait == 0) {
      for (auto &w : rv) w = rnd();
      for (auto &w : rm) w = rnd();
      for (auto &w : rr) w = rnd();
      m->m_done_i = 1;
      tb::put(m->m_rvalue_i, rv, 0, 512);
      tb::put(m->m_rmask_i, rm, 0, 256);
      tb::put(m->m_rres_i, rr, 0, 128);
      m->m_rvalid_i = rvalid;
    }
    // flow slot: take a pending operation now and then, finish it later
    m->flow_taken_i = 0;
    m->flow_done_i = 0;
    uint32_t fr[16];
    if (m->flow_pending_o && !flow_taken && rnd() % 3 == 0) {
      m->flow_taken_i = 1;
      flow_taken = 1;
      flow_wait = rnd() % 4;
      unsigned op = ref.op_table == NSGNIC_DP_TABLE_FLOW_OVF ? 3 : ref.op_we ? 2 : 1;
      unsigned idx = op == 3 ? ref.op_idx << fww : ref.op_idx;
      uint32_t want[16] = {0}, got[16];
      if (op == 3) want[0] = ref.op_we << 1 | ref.op_valid;
      else memcpy(want, ref.data, sizeof want);
      tb::get_words(m->flow_data_o, 0, 512, got);
      CHECK(m->flow_op_o == op && m->flow_index_o == idx && !memcmp(got, want, sizeof got),
            "flow op %u index %u, want op %u index %u (or data differs)", m->flow_op_o,
            (unsigned)m->flow_index_o, op, idx);
      n_flow++;
    } else if (flow_taken && flow_wait-- == 0) {
      for (auto &w : fr) w = rnd();
      m->flow_done_i = 1;
      tb::put(m->flow_rdata_i, fr, 0, 512);
      flow_taken = 0;
    }
    m->eval();
    m->exq_word_i = mix(salt ^ m->exq_word_o);
    m->cnt_data_i = mix(~salt ^ m->cnt_idx_o);
    m->eval();

    // ---- reference: read value now, write effects, completions (the slave's order)
    uint32_t expect_rd = req && !we ? ref_csr_read(&ref, addr, &env) : 0;
    ref_csr_fx fx;
    memset(&fx, 0, sizeof fx);
    int decoding = ref.decode;   // a CMD written last clock is checked in this one
    if (req && we) {
      unsigned was_busy = ref.busy;
      ref_csr_write(&ref, addr, wdata, &fx);
      if ((addr & 0xffc) == NSGNIC_CSR_CMD) n_ignored += was_busy;
    }
    if (decoding) n_err += ref_csr_decode(&ref, &fx) < 0;
    CHECK(m->exq_pop_o == fx.pop, "exq_pop %d, want %d (addr %03x)", m->exq_pop_o, fx.pop, addr);
    CHECK(m->age_pop_o == fx.age_pop, "age_pop %d, want %d (addr %03x)", m->age_pop_o, fx.age_pop, addr);
    CHECK(m->age_est_we_o == fx.age_est && (!fx.age_est || (m->age_est_vport_o == ref.age_sel &&
                                                            m->age_est_to_o == fx.age_est_to)),
          "age_est %d vport %u to %u, want %d %u %u", m->age_est_we_o, m->age_est_vport_o, m->age_est_to_o,
          fx.age_est, ref.age_sel, fx.age_est_to);
    CHECK(m->exq_rel_o == fx.rel && (!fx.rel || m->exq_rel_data_o == fx.rel_data),
          "exq_rel %d data %08x, want %d %08x (addr %03x)", m->exq_rel_o, m->exq_rel_data_o, fx.rel,
          fx.rel_data, addr);
    CHECK(m->cnt_clr_o == fx.clr && (!fx.clr || m->cnt_idx_o == fx.clr_idx),
          "cnt_clr %d idx %u, want %d idx %u", m->cnt_clr_o, m->cnt_idx_o, fx.clr, fx.clr_idx);
    if (m->flow_taken_i) ref.flow_pending = 0;
    if (m->m_done_i) { ref_csr_tcam_done(&ref, rvalid, rv, rm, rr); tcam_wait = -1; }
    else if (tcam_wait > 0) tcam_wait--;
    if (m->flow_done_i) ref_csr_flow_done(&ref, fr);

    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();

    // ---- outputs after the edge
    // read data comes back the clock after the request: the one just taken
    if (req && !we) { have_read = 1; pend_read = expect_rd; }
    if (have_read) {
      CHECK(m->s_csr_rvalid_o && m->s_csr_rdata_o == pend_read,
            "read of %03x: got %08x rvalid %d, want %08x", addr, m->s_csr_rdata_o, m->s_csr_rvalid_o, pend_read);
      have_read = 0;
    } else {
      CHECK(!m->s_csr_rvalid_o, "rvalid without a read");
    }
    CHECK(m->bank_o == ref.bank && m->learn_en_o == ref.learn && m->gen_o == ref.gen,
          "ctrl bank %d learn %d gen %d, want %u %u %u", m->bank_o, m->learn_en_o, m->gen_o,
          ref.bank, ref.learn, ref.gen);
    uint32_t pr[8];
    tb::get_words(m->prange_o, 0, 256, pr);
    CHECK(!memcmp(pr, ref.prange, sizeof pr), "port ranges differ");
    uint32_t hk[12];
    tb::get_words(m->hkey_o, 0, 384, hk);
    CHECK(!memcmp(hk, ref.hkey, sizeof hk), "flow-hash keys differ");
    uint32_t ato[4];
    tb::get_words(m->age_to_o, 0, 16 * NSGNIC_AGE_CLASSES, ato);
    CHECK(m->age_en_o == ref.age_en && m->age_pace_o == ref.age_pace && !memcmp(ato, ref.age_to, sizeof ato),
          "aging control differs");
    CHECK(m->flow_limit_o == ref.flow_limit && m->dram_slot_o == ref.dram_slot && !m->flow_dram_o,
          "flow limit / DRAM slot outputs differ");
    CHECK(m->flow_pending_o == ref.flow_pending, "flow_pending %d, want %u", m->flow_pending_o, ref.flow_pending);
    CHECK(m->m_req_o == fx.start_tcam, "m_req %d, want %d", m->m_req_o, fx.start_tcam);
    if (m->m_req_o) {
      uint32_t v[16], mk[8], r[4];
      tb::get_words(m->m_value_o, 0, 512, v);
      tb::get_words(m->m_mask_o, 0, 256, mk);
      tb::get_words(m->m_res_o, 0, 128, r);
      CHECK(m->m_table_o == ref.op_table && m->m_we_o == ref.op_we && m->m_idx_o == ref.op_idx &&
            m->m_valid_o == ref.op_valid && !memcmp(v, ref.data, sizeof v) &&
            !memcmp(mk, ref.mask, sizeof mk) && !memcmp(r, ref.res, sizeof r),
            "management request table %u we %u idx %u valid %u, want %u %u %u %u (or window differs)",
            m->m_table_o, m->m_we_o, m->m_idx_o, m->m_valid_o, ref.op_table, ref.op_we, ref.op_idx,
            ref.op_valid);
      tcam_wait = rnd() % 4;
      n_tcam++;
    }
  }
  long unread = 0;
  for (unsigned a : mapped) {
    int ro = a == NSGNIC_CSR_CMD || a == NSGNIC_CSR_EXQ_POP;
    if ((!ro && !nread[a >> 2]) || !nwrite[a >> 2]) {
      if (unread++ < 5) printf("FAIL: word %03x never %s\n", a, nwrite[a >> 2] ? "read" : "written");
    }
  }
  printf("csr_slave R=%d L=%d P=%d V=%d F=%dx%d X=%d H=%d: %ld clocks, %zu mapped words, %ld table ops,"
         " %ld flow ops, %ld rejected and %ld ignored (busy) commands, %ld unmapped accesses; %ld errors\n",
         TB_RULEENTRIES, TB_LABELENTRIES, TB_PLATFORMENTRIES, TB_VPORTS, TB_FLOWBUCKETS, TB_FLOWWAYS,
         TB_EXQDEPTH, TB_HDRBYTES, cyc, mapped.size(), n_tcam, n_flow, n_err, n_ignored, n_bad, errors);
  m->final();
  delete m;
  if (unread || !n_tcam || !n_flow || !n_err || !n_ignored || !n_bad) { printf("FAIL: coverage\n"); return 1; }
  return errors ? 1 : 0;
}
