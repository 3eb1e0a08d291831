// SPDX-License-Identifier: Apache-2.0
// The DRAM model (axi_dram.h) on a Verilated AXI4 master's ports: one binding for every
// testbench. P is the ports' name prefix (m_axi_ for flow_dram, m_axi_flow_ for datapath).
//   TB_AXI_DRAM_DRIVE(m, P, dram): before the clock's eval, the model's outputs onto the ports;
//   TB_AXI_DRAM_STEP(m, P, dram, ok): after it, the master's outputs into the model (one clock);
//     ok = 0 when a request is not a single full 64-byte beat (the only form the tier issues).
#ifndef NSGNIC_TB_AXI_DRAM_VL_H
#define NSGNIC_TB_AXI_DRAM_VL_H

#include <cstring>

#include "axi_dram.h"
#include "vl_bits.h"

#define TB_AXI_DRAM_DRIVE(m, P, dram)                                                             \
  do {                                                                                            \
    axi_dram_out o_;                                                                              \
    axi_dram_eval((dram), &o_);                                                                   \
    (m)->P##arready = o_.arready;                                                                 \
    (m)->P##awready = o_.awready;                                                                 \
    (m)->P##wready = o_.wready;                                                                   \
    (m)->P##rvalid = o_.rvalid;                                                                   \
    (m)->P##rlast = o_.rlast;                                                                     \
    (m)->P##rid = o_.rid & 1u;                                                                    \
    (m)->P##rresp = o_.rresp;                                                                     \
    uint32_t rw_[16];                                                                             \
    memcpy(rw_, o_.rdata, 64);                                                                    \
    tb::put((m)->P##rdata, rw_, 0, 512);                                                          \
    (m)->P##bvalid = o_.bvalid;                                                                   \
    (m)->P##bid = o_.bid & 1u;                                                                    \
    (m)->P##bresp = o_.bresp;                                                                     \
  } while (0)

#define TB_AXI_DRAM_STEP(m, P, dram, ok)                                                          \
  do {                                                                                            \
    axi_dram_in i_;                                                                               \
    memset(&i_, 0, sizeof i_);                                                                    \
    i_.arvalid = (m)->P##arvalid;                                                                 \
    i_.araddr = (m)->P##araddr;                                                                   \
    i_.arlen = (m)->P##arlen;                                                                     \
    i_.arid = (m)->P##arid;                                                                       \
    i_.rready = (m)->P##rready;                                                                   \
    i_.awvalid = (m)->P##awvalid;                                                                 \
    i_.awaddr = (m)->P##awaddr;                                                                   \
    i_.awlen = (m)->P##awlen;                                                                     \
    i_.awid = (m)->P##awid;                                                                       \
    i_.wvalid = (m)->P##wvalid;                                                                   \
    i_.wlast = (m)->P##wlast;                                                                     \
    uint32_t ww_[16];                                                                             \
    tb::get_words((m)->P##wdata, 0, 512, ww_);                                                    \
    i_.wdata = (const uint8_t *)ww_;                                                              \
    i_.wstrb = (m)->P##wstrb;                                                                     \
    i_.bready = (m)->P##bready;                                                                   \
    (ok) = !((i_.arvalid && (i_.arlen != 0 || (m)->P##arsize != 6 || (m)->P##arburst != 1)) ||    \
             (i_.awvalid && (i_.awlen != 0 || (m)->P##awsize != 6 || (m)->P##awburst != 1)) ||    \
             (i_.wvalid && (!i_.wlast || i_.wstrb != ~0ull)));                                    \
    axi_dram_step((dram), &i_);                                                                   \
  } while (0)

#endif
