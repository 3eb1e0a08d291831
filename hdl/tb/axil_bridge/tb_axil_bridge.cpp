// SPDX-License-Identifier: Apache-2.0
// axil_bridge testbench: a randomized AXI4-Lite master on one side and a model of host_window's
// request bus (random ready, response exactly one cycle after acceptance, a word memory) on the
// other. Checked every clock:
//  - AXI4-Lite rules on the slave's outputs: awready/wready/arready do not depend on any valid in
//    the same cycle (evaluated with the valids low and high); bvalid/bresp and rvalid/rresp/rdata
//    stay stable while the master holds bready/rready low; no B without a write whose AW and W
//    were both taken, no R without a taken AR;
//  - the bus: a request is held (valid, we, address, data, strobes) until ready; no request while
//    a response is due; every write request equals the next mapped AXI write (address word-
//    aligned, data, strobes) in order; every read request the next mapped read;
//  - end to end: each B is OKAY for a mapped address and DECERR above MappedBytes (which never
//    reaches the bus); each R carries the data the bus returned for that read (DECERR: 0);
//  - coverage: AW before W, W before AW, AW and W together, B and R back-pressure, DECERR reads
//    and writes, and a read and a write waiting at once must all occur; no transaction takes
//    longer than 200 clocks.
// Parameters TB_ADDRW / TB_MAPPEDBYTES. Usage: tb_axil_bridge <clocks> <seed>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <vector>

#include "Vaxil_bridge.h"
#include "verilated.h"

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}
static bool chance(unsigned pct) { return rnd() % 100 < pct; }

namespace {

const uint64_t kSpace = TB_ADDRW >= 32 ? (1ull << 32) : (1ull << TB_ADDRW);
const uint64_t kMapped = TB_MAPPEDBYTES;

struct wr {
  uint32_t addr, data;
  uint8_t strb;
  long t0;
};
struct rd {
  uint32_t addr;
  long t0;
};

// The unmapped bytes above the window (none when the window fills the address space): a
// function, not a constant, so the unused branch of such a configuration divides by no constant 0.
uint64_t unmapped(void)
{
  return kSpace - kMapped;
}

uint32_t pick_addr(void)
{
  uint64_t a;
  uint64_t hole = unmapped();
  if (hole != 0 && chance(20))
    a = kMapped + (((uint64_t)rnd() << 16 ^ rnd()) % hole);
  else
    a = ((uint64_t)rnd() << 16 ^ rnd()) % kMapped;
  return (uint32_t)a;
}

long errors = 0;
void fail(long cyc, const char *what)
{
  if (errors++ < 20)
    printf("cycle %ld: %s\n", cyc, what);
}

}  // namespace

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= (argc > 2 ? strtoull(argv[2], nullptr, 0) : 1) * 0x2545f4914f6cdd1dull;
  Vaxil_bridge *m = new Vaxil_bridge;
  std::vector<uint32_t> mem(kMapped / 4);
  for (auto &w : mem) w = rnd();

  // master state
  std::deque<wr> wq;           // writes created, AW and/or W not yet taken
  bool aw_on = false, w_on = false;
  int aw_wait = 0, w_wait = 0; // clocks before AW / W of the head write are raised
  bool aw_done = false, w_done = false;
  std::deque<wr> b_due;        // writes with AW and W taken, B outstanding
  std::deque<rd> rq;           // reads created, AR not yet taken
  bool ar_on = false;
  std::deque<rd> r_due;
  std::deque<wr> bus_w;        // mapped writes the bus must see, in order
  std::deque<rd> bus_r;
  std::deque<uint32_t> r_data; // data the bus returned, per mapped read, in order
  // bus state
  bool resp_due = false, resp_we = false;
  uint32_t resp_data = 0;
  bool req_seen = false;       // a request was pending (not accepted) at the last edge
  uint32_t req_addr = 0, req_wdata = 0;
  uint8_t req_wstrb = 0, req_we = 0;
  // response stability
  bool b_hold = false, r_hold = false;
  uint8_t b_resp_q = 0, r_resp_q = 0;
  uint32_t r_data_q = 0;
  // coverage
  long n_aw_first = 0, n_w_first = 0, n_same = 0, n_bp_b = 0, n_bp_r = 0, n_decerr_w = 0,
       n_decerr_r = 0, n_both_wait = 0, n_writes = 0, n_reads = 0;

  m->clk_i = 0;
  m->rst_ni = 0;
  m->eval();
  m->clk_i = 1;
  m->eval();
  m->clk_i = 0;
  m->rst_ni = 1;
  m->eval();

  for (long cyc = 0; cyc < clocks; cyc++) {
    // new transactions
    if (wq.size() < 3 && chance(30)) {
      wr w{pick_addr(), rnd(), (uint8_t)(chance(70) ? 0xf : rnd() & 0xf), cyc};
      wq.push_back(w);
    }
    if (rq.size() < 3 && chance(30)) rq.push_back(rd{pick_addr(), cyc});
    if (!wq.empty() && !aw_on && !w_on && !aw_done && !w_done) {
      unsigned k = rnd() % 3;  // 0: AW first, 1: W first, 2: together
      aw_wait = k == 1 ? 1 + (int)(rnd() % 3) : 0;
      w_wait = k == 0 ? 1 + (int)(rnd() % 3) : 0;
      aw_on = aw_wait == 0;
      w_on = w_wait == 0;
      if (k == 0) n_aw_first++;
      else if (k == 1) n_w_first++;
      else n_same++;
    } else {
      if (!wq.empty() && !aw_done && !aw_on && aw_wait > 0 && --aw_wait == 0) aw_on = true;
      if (!wq.empty() && !w_done && !w_on && w_wait > 0 && --w_wait == 0) w_on = true;
    }
    if (!rq.empty()) ar_on = true;

    // master outputs
    const wr *hw = wq.empty() ? nullptr : &wq.front();
    m->s_axil_awaddr = hw ? hw->addr : 0;
    m->s_axil_awprot = rnd() & 7;
    m->s_axil_wdata = hw ? hw->data : 0;
    m->s_axil_wstrb = hw ? hw->strb : 0;
    m->s_axil_araddr = rq.empty() ? 0 : rq.front().addr;
    m->s_axil_arprot = rnd() & 7;
    bool bready = chance(60), rready = chance(60);
    m->s_axil_bready = bready;
    m->s_axil_rready = rready;

    // ready must not depend on valid (no combinational path)
    m->s_axil_awvalid = 0;
    m->s_axil_wvalid = 0;
    m->s_axil_arvalid = 0;
    m->eval();
    uint8_t rdy0 = (uint8_t)(m->s_axil_awready | m->s_axil_wready << 1 | m->s_axil_arready << 2);
    m->s_axil_awvalid = aw_on;
    m->s_axil_wvalid = w_on;
    m->s_axil_arvalid = ar_on;

    // bus inputs: random ready; the response of the request taken at the last edge
    bool bus_ready = chance(60);
    m->m_bus_ready_i = bus_ready;
    m->m_bus_rvalid_i = resp_due;
    m->m_bus_rdata_i = resp_due && !resp_we ? resp_data : (resp_due ? 0 : rnd());
    m->eval();
    uint8_t rdy1 = (uint8_t)(m->s_axil_awready | m->s_axil_wready << 1 | m->s_axil_arready << 2);
    if (rdy0 != rdy1) fail(cyc, "a ready depends on a valid of the same cycle");

    // response stability while held
    if (b_hold && (!m->s_axil_bvalid || m->s_axil_bresp != b_resp_q))
      fail(cyc, "B changed or dropped before bready");
    if (r_hold && (!m->s_axil_rvalid || m->s_axil_rresp != r_resp_q || m->s_axil_rdata != r_data_q))
      fail(cyc, "R changed or dropped before rready");

    // bus request checks
    bool bus_valid = m->m_bus_valid_o;
    if (req_seen && (!bus_valid || m->m_bus_addr_o != req_addr || m->m_bus_we_o != req_we ||
                     (req_we && (m->m_bus_wdata_o != req_wdata || m->m_bus_wstrb_o != req_wstrb))))
      fail(cyc, "bus request changed or withdrawn before ready");
    if (bus_valid && resp_due) fail(cyc, "bus request while a response is due");
    bool bus_acc = bus_valid && bus_ready;
    bool next_resp = false, next_we = false;
    uint32_t next_data = 0;
    if (bus_acc) {
      uint32_t a = m->m_bus_addr_o;
      if (a & 3u) fail(cyc, "bus address not word aligned");
      if (m->m_bus_we_o) {
        if (bus_w.empty()) {
          fail(cyc, "bus write without an AXI write");
        } else {
          wr e = bus_w.front();
          bus_w.pop_front();
          if (a != (e.addr & ~3u) || m->m_bus_wdata_o != e.data || m->m_bus_wstrb_o != e.strb)
            fail(cyc, "bus write differs from the AXI write");
          uint32_t &w = mem[(a / 4) % mem.size()];
          for (int b = 0; b < 4; b++)
            if (e.strb >> b & 1) w = (w & ~(0xffu << 8 * b)) | (e.data & (0xffu << 8 * b));
        }
        next_we = true;
      } else {
        if (bus_r.empty()) {
          fail(cyc, "bus read without an AXI read");
        } else {
          rd e = bus_r.front();
          bus_r.pop_front();
          if (a != (e.addr & ~3u)) fail(cyc, "bus read address differs from the AXI read");
          next_data = mem[(a / 4) % mem.size()];
          r_data.push_back(next_data);
        }
      }
      next_resp = true;
    }
    req_seen = bus_valid && !bus_ready;
    req_addr = m->m_bus_addr_o;
    req_we = m->m_bus_we_o;
    req_wdata = m->m_bus_wdata_o;
    req_wstrb = m->m_bus_wstrb_o;

    // AXI handshakes at this edge
    if (aw_on && m->s_axil_awready) {
      aw_on = false;
      aw_done = true;
    }
    if (w_on && m->s_axil_wready) {
      w_on = false;
      w_done = true;
    }
    if (aw_done && w_done) {
      wr e = wq.front();
      wq.pop_front();
      aw_done = w_done = false;
      b_due.push_back(e);
      if (e.addr < kMapped) bus_w.push_back(e);
      n_writes++;
    }
    if (ar_on && m->s_axil_arready) {
      rd e = rq.front();
      rq.pop_front();
      ar_on = false;
      r_due.push_back(e);
      if (e.addr < kMapped) bus_r.push_back(e);
      n_reads++;
    }
    if (!b_due.empty() && !r_due.empty()) n_both_wait++;
    if (m->s_axil_bvalid) {
      if (b_due.empty()) {
        fail(cyc, "B without a write");
      } else if (bready) {
        wr e = b_due.front();
        b_due.pop_front();
        unsigned want = e.addr < kMapped ? 0u : 3u;
        if (m->s_axil_bresp != want) fail(cyc, "wrong bresp");
        n_decerr_w += want == 3;
      } else {
        n_bp_b++;
      }
    }
    if (m->s_axil_rvalid) {
      if (r_due.empty()) {
        fail(cyc, "R without a read");
      } else if (rready) {
        rd e = r_due.front();
        r_due.pop_front();
        if (e.addr < kMapped) {
          uint32_t want = r_data.empty() ? 0xdeadbeef : r_data.front();
          if (!r_data.empty()) r_data.pop_front();
          if (m->s_axil_rresp != 0 || m->s_axil_rdata != want) fail(cyc, "wrong read response");
        } else {
          n_decerr_r++;
          if (m->s_axil_rresp != 3 || m->s_axil_rdata != 0) fail(cyc, "wrong DECERR read response");
        }
      } else {
        n_bp_r++;
      }
    }
    b_hold = m->s_axil_bvalid && !bready;
    r_hold = m->s_axil_rvalid && !rready;
    b_resp_q = m->s_axil_bresp;
    r_resp_q = m->s_axil_rresp;
    r_data_q = m->s_axil_rdata;
    if ((!b_due.empty() && cyc - b_due.front().t0 > 200) || (!r_due.empty() && cyc - r_due.front().t0 > 200)) {
      fail(cyc, "a transaction took more than 200 clocks");
      break;
    }

    m->clk_i = 1;
    m->eval();
    m->clk_i = 0;
    m->eval();
    resp_due = next_resp;
    resp_we = next_we;
    resp_data = next_data;
  }

  printf("axil_bridge: %ld writes, %ld reads; AW first %ld, W first %ld, together %ld; B held %ld, "
         "R held %ld; DECERR writes %ld, reads %ld; read+write waiting %ld\n",
         n_writes, n_reads, n_aw_first, n_w_first, n_same, n_bp_b, n_bp_r, n_decerr_w, n_decerr_r,
         n_both_wait);
  bool cover = n_aw_first > 10 && n_w_first > 10 && n_same > 10 && n_bp_b > 10 && n_bp_r > 10 &&
               n_both_wait > 10 && (kMapped == kSpace || (n_decerr_w > 5 && n_decerr_r > 5));
  if (!cover) fail(clocks, "coverage not reached");
  delete m;
  printf("%s (%ld errors)\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
