// SPDX-License-Identifier: Apache-2.0
// The same pins as soc_model.cpp (soc_hw.h), but through Corundum's application block
// (hdl/boards/corundum/nsgnic_mqnic_app_block.sv, module mqnic_app_block): the AXI4-Lite pins go
// to s_axil_app_ctrl (the app BAR, same clock), a frame the C side sends to a VF port enters on
// the interface TX stream from one of its vport's TX queues (tid = vport << 2 | lane, tuser =
// a TX engine tag), a wire frame on the interface RX stream (tid = label context); the block's
// two outputs (interface TX to the port, interface RX to the host queues) are presented as the
// one m_axis of soc.c, the vport taken back from the RX queue destination. So the whole C
// harness (nsgnic_soc.h, the SoC tests) runs unchanged through Corundum's interfaces.
//
// Checked on the way, aborting the simulation on a violation: every host frame taken is
// completed once on m_axis_if_tx_cpl with its tag, in order (the completion port is back-
// pressured every other cycle); a frame to the host names its vport's queue directly (tdest MSB
// set, the rest = the datapath's vport) and carries no bad-frame flag; a frame to the wire
// carries tag 0.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>

#include "Vmqnic_app_block.h"
#include "Vmqnic_app_block___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include "soc_hw.h"
#include "soc_hw_life.hpp"

namespace {
constexpr unsigned kTxQueueShift = 2;       // -GTxQueueShift (hdl/soc.cmake)
constexpr unsigned kRxDestW = 8;            // AXIS_IF_RX_DEST_WIDTH (template default)
constexpr unsigned kTagW = 16;              // TX_TAG_WIDTH
constexpr unsigned kRxUserW = 96 + 1;       // AXIS_IF_RX_USER_WIDTH: PTP_TS_WIDTH + 1
constexpr uint32_t kAppAddrMask = 0xffffff; // AXIL_APP_CTRL_ADDR_WIDTH 24 (-G, hdl/soc.cmake)
}  // namespace

struct soc_hw {
  VerilatedContext ctx;
  Vmqnic_app_block *top = nullptr;
  VerilatedFstC *trace = nullptr;
  uint64_t time = 0;          // half cycles (trace time stamps)
  uint64_t from = 0, to = 0;  // traced cycles [from, to), to == 0: no end
  uint64_t cycles = 0;
  uint16_t next_tag = 0;      // the TX engine's tag of the next host frame (low kTagW-1 bits)
  std::deque<uint16_t> cpl_due;  // tags of host frames taken, not yet completed
  bool traced(uint64_t t) const { return trace && t / 2 >= from && (to == 0 || t / 2 < to); }
};

namespace {

[[noreturn]] void violation(const char *what, unsigned a, unsigned b)
{
  std::fprintf(stderr, "mqnic_app_block (nsgnic): %s (%u, %u)\n", what, a, b);
  std::abort();
}

uint16_t tag_of(const soc_hw *h) { return (uint16_t)((1u << (kTagW - 1)) | (h->next_tag & 0x7fff)); }

void drive(soc_hw *h, const soc_pins_in *in)
{
  Vmqnic_app_block *t = h->top;
  t->rst = !in->rst_n;
  t->s_axil_app_ctrl_awaddr = in->awaddr & kAppAddrMask;
  t->s_axil_app_ctrl_awprot = 0;
  t->s_axil_app_ctrl_awvalid = in->awvalid;
  t->s_axil_app_ctrl_wdata = in->wdata;
  t->s_axil_app_ctrl_wstrb = in->wstrb;
  t->s_axil_app_ctrl_wvalid = in->wvalid;
  t->s_axil_app_ctrl_bready = in->bready;
  t->s_axil_app_ctrl_araddr = in->araddr & kAppAddrMask;
  t->s_axil_app_ctrl_arprot = 0;
  t->s_axil_app_ctrl_arvalid = in->arvalid;
  t->s_axil_app_ctrl_rready = in->rready;
  bool vf = (in->tuser >> 8) & 1;
  unsigned id = in->tuser & 0xff;
  soc_hw_beat_in(t->s_axis_if_tx_tdata, in->tdata);
  soc_hw_beat_in(t->s_axis_if_rx_tdata, in->tdata);
  t->s_axis_if_tx_tkeep = in->tkeep;
  t->s_axis_if_rx_tkeep = in->tkeep;
  t->s_axis_if_tx_tlast = in->tlast;
  t->s_axis_if_rx_tlast = in->tlast;
  t->s_axis_if_tx_tvalid = in->tvalid && vf;
  t->s_axis_if_rx_tvalid = in->tvalid && !vf;
  t->s_axis_if_tx_tid = (id << kTxQueueShift) | (id & ((1u << kTxQueueShift) - 1));
  t->s_axis_if_tx_tdest = 0;
  t->s_axis_if_tx_tuser = (uint32_t)tag_of(h) << 1;   // {tag, not bad}
  t->s_axis_if_rx_tid = id;
  t->s_axis_if_rx_tdest = 0;
  for (unsigned w = 0; w < (kRxUserW + 31) / 32; w++)   // {time stamp, not bad}
    t->s_axis_if_rx_tuser[w] = 0;
  t->m_axis_if_tx_tready = in->m_tready;
  t->m_axis_if_rx_tready = in->m_tready;
  t->m_axis_if_tx_cpl_ready = h->cycles & 1;
  t->ptp_sync_ts_tod[0] = (uint32_t)h->cycles;
  t->s_axis_if_tx_cpl_valid = 0;
}

void sample(const soc_hw *h, const soc_pins_in *in, soc_pins_out *out)
{
  const Vmqnic_app_block *t = h->top;
  const Vmqnic_app_block___024root *r = t->rootp;
  out->awready = t->s_axil_app_ctrl_awready;
  out->wready = t->s_axil_app_ctrl_wready;
  out->bvalid = t->s_axil_app_ctrl_bvalid;
  out->bresp = t->s_axil_app_ctrl_bresp;
  out->arready = t->s_axil_app_ctrl_arready;
  out->rvalid = t->s_axil_app_ctrl_rvalid;
  out->rresp = t->s_axil_app_ctrl_rresp;
  out->rdata = t->s_axil_app_ctrl_rdata;
  bool vf = (in->tuser >> 8) & 1;
  out->s_tready = vf ? t->s_axis_if_tx_tready : t->s_axis_if_rx_tready;
  bool wire = t->m_axis_if_tx_tvalid;
  if (wire)
    soc_hw_beat_out(out->m_tdata, t->m_axis_if_tx_tdata);
  else
    soc_hw_beat_out(out->m_tdata, t->m_axis_if_rx_tdata);
  out->m_tkeep = wire ? t->m_axis_if_tx_tkeep : t->m_axis_if_rx_tkeep;
  out->m_tlast = wire ? t->m_axis_if_tx_tlast : t->m_axis_if_rx_tlast;
  out->m_tvalid = t->m_axis_if_tx_tvalid || t->m_axis_if_rx_tvalid;
  // to the host: PORT {VF, vport} from the queue it is steered to; to the wire: the block keeps
  // the datapath's PORT inside (Corundum's TX stream has no field for it)
  unsigned dest = t->m_axis_if_rx_tdest;
  out->m_tuser = wire ? r->mqnic_app_block__DOT__dbg_out_port
                      : (uint16_t)(0x100u | (dest & ((1u << (kRxDestW - 1)) - 1)));
  // the output beat's tid and the monitor: probe points inside the block (docs/board.md)
  out->m_tid = r->mqnic_app_block__DOT__dbg_out_tid;
  out->irq = r->mqnic_app_block__DOT__dbg_irq;
  struct {  // the pins of nsgnic_top's monitor, as Verilator types them
    CData mon_park_valid_o, mon_park_ok_o, mon_park_slot_o, mon_valid_o, mon_action_o,
        mon_reason_o;
    SData mon_rule_id_o;
    CData mon_flow_hit_o, mon_learned_o;
    IData tohost_o;
    CData retire_o;
  } mon = {r->mqnic_app_block__DOT__dbg_mon_park_valid, r->mqnic_app_block__DOT__dbg_mon_park_ok,
           r->mqnic_app_block__DOT__dbg_mon_park_slot, r->mqnic_app_block__DOT__dbg_mon_valid,
           r->mqnic_app_block__DOT__dbg_mon_action, r->mqnic_app_block__DOT__dbg_mon_reason,
           r->mqnic_app_block__DOT__dbg_mon_rule_id, r->mqnic_app_block__DOT__dbg_mon_flow_hit,
           r->mqnic_app_block__DOT__dbg_mon_learned, r->mqnic_app_block__DOT__dbg_tohost,
           r->mqnic_app_block__DOT__dbg_retire};
  soc_hw_sample_mon(&mon, out);
}

// The handshakes that happen at the coming edge: host frames taken and completions sent.
void check(soc_hw *h, const soc_pins_in *in, const soc_pins_out *out)
{
  const Vmqnic_app_block *t = h->top;
  if (!in->rst_n) {
    h->cpl_due.clear();
    return;
  }
  bool vf = (in->tuser >> 8) & 1;
  if (in->tvalid && vf && out->s_tready && in->tlast) {
    h->cpl_due.push_back(tag_of(h));
    h->next_tag++;
  }
  if (t->m_axis_if_tx_cpl_valid && t->m_axis_if_tx_cpl_ready) {
    if (h->cpl_due.empty())
      violation("TX completion without a host frame: tag, frames due", t->m_axis_if_tx_cpl_tag, 0);
    if (t->m_axis_if_tx_cpl_tag != h->cpl_due.front())
      violation("TX completion tag differs: got, want", t->m_axis_if_tx_cpl_tag, h->cpl_due.front());
    h->cpl_due.pop_front();
  }
  if (out->m_tvalid && in->m_tready) {
    if (t->m_axis_if_tx_tvalid && t->m_axis_if_tx_tuser != 0)
      violation("frame to the wire with a TX tag: tuser, 0", t->m_axis_if_tx_tuser, 0);
    if (t->m_axis_if_rx_tvalid && !((t->m_axis_if_rx_tdest >> (kRxDestW - 1)) & 1))
      violation("frame to the host without a direct queue: tdest, 0", t->m_axis_if_rx_tdest, 0);
    unsigned want = t->rootp->mqnic_app_block__DOT__dbg_out_port & 0xffu;   // the datapath's
    if (t->m_axis_if_rx_tvalid && (t->m_axis_if_rx_tdest & ((1u << (kRxDestW - 1)) - 1)) != want)
      violation("frame to the host steered to another queue: tdest, vport", t->m_axis_if_rx_tdest, want);
    if (t->m_axis_if_rx_tvalid && (t->m_axis_if_rx_tuser[0] & 1))
      violation("frame to the host flagged bad: tuser[0], 0", 1, 0);
  }
}

}  // namespace

extern "C" {

const soc_hw_sizes *soc_hw_device(const char *name) { return soc_hw_small_only(name); }

const char *soc_hw_device_names(void) { return "small"; }

soc_hw *soc_hw_new(const char *device, const char *trace_path, const char *trace_scope)
{
  soc_hw *h = soc_hw_wrapper_new<soc_hw, Vmqnic_app_block>(device, trace_path, trace_scope,
                                                            "mqnic_app_block");
  if (!h)
    return nullptr;
  h->top->clk = 0;
  h->top->rst = 1;
  h->top->eval();
  return h;
}

void soc_hw_free(soc_hw *h) { soc_hw_life_free(h); }

void soc_hw_eval(soc_hw *h, const soc_pins_in *in, soc_pins_out *out)
{
  drive(h, in);
  h->top->clk = 0;
  h->top->eval();
  sample(h, in, out);
  check(h, in, out);
}

void soc_hw_trace_window(soc_hw *h, uint64_t from, uint64_t to)
{
  h->from = from;
  h->to = to;
}

void soc_hw_edge(soc_hw *h)
{
  soc_hw_single_clock_edge(h, h->top->clk);
  h->cycles++;
}

}  // extern "C"
