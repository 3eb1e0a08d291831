// SPDX-License-Identifier: Apache-2.0
// The thin C++ side of the simulator: wraps the Verilated rv32_sys in the C API of
// nsgnic_sim.h. Clocking, the host memory port and a stand-in device on the external MMIO port
// live here; everything else is C.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "Vrv32_sys.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include "nsgnic_sim.h"

struct nsgnic_sim {
  VerilatedContext ctx;
  Vrv32_sys *top = nullptr;
  VerilatedFstC *trace = nullptr;
  uint64_t time = 0;       // half-cycles, for the trace
  uint64_t cycles = 0;     // since cpu_start
  uint64_t instret = 0;    // since cpu_start
  // Stand-in device on the external MMIO port until the SoC attaches the datapath there:
  // MmioWords words at the start of the EXT region (the last one drives irq_external_i with its
  // bit 0, the others are scratch); one wait state before a request is accepted, the response
  // two cycles after acceptance; any other address answers with an error. It also checks the
  // port's protocol: a request not yet accepted must stay asserted and unchanged.
  uint32_t mmio_mem[16] = {};
  bool mmio_pending = false;  // a request was presented and not accepted last cycle
  uint32_t mmio_p_addr = 0, mmio_p_wdata = 0;
  unsigned mmio_p_we = 0, mmio_p_wstrb = 0;
  bool mmio_waited = false;  // valid was seen last cycle: accept now
  int mmio_resp_in = 0;      // cycles until the response (0: none due)
  uint32_t mmio_rdata = 0;
  bool mmio_err = false;
  void (*retire_hook)(void *, uint32_t) = nullptr;
  void *retire_ctx = nullptr;
  // the last trap taken and whether an MRET has returned from it since (--run-elf reports)
  bool trap_open = false;
  uint32_t trap_mcause = 0, trap_pc = 0;
};

namespace {

constexpr uint32_t MmioBase = 0x40000000u;  // SOC_REGION_EXT << SOC_REGION_SHIFT
constexpr uint32_t MmioWords = 16;

// The stand-in MMIO device, for the cycle whose inputs were just evaluated.
void mmio_cycle(nsgnic_sim *s)
{
  Vrv32_sys *t = s->top;
  if (s->mmio_pending &&
      (!t->m_mmio_valid_o || t->m_mmio_addr_o != s->mmio_p_addr || t->m_mmio_we_o != s->mmio_p_we ||
       t->m_mmio_wdata_o != s->mmio_p_wdata || t->m_mmio_wstrb_o != s->mmio_p_wstrb)) {
    std::fprintf(stderr, "nsgnic_sim: m_mmio protocol violation: request to 0x%08x withdrawn or "
                         "changed before it was accepted\n", s->mmio_p_addr);
    std::abort();
  }
  s->mmio_pending = t->m_mmio_valid_o && !t->m_mmio_ready_i;
  s->mmio_p_addr = t->m_mmio_addr_o;
  s->mmio_p_we = t->m_mmio_we_o;
  s->mmio_p_wdata = t->m_mmio_wdata_o;
  s->mmio_p_wstrb = t->m_mmio_wstrb_o;
  if (s->mmio_resp_in > 0)
    s->mmio_resp_in--;
  if (t->m_mmio_valid_o && t->m_mmio_ready_i) {
    uint32_t off = t->m_mmio_addr_o - MmioBase;
    s->mmio_err = off >= 4 * MmioWords;
    s->mmio_rdata = 0;
    if (!s->mmio_err) {
      uint32_t &w = s->mmio_mem[off / 4];
      if (t->m_mmio_we_o) {
        for (unsigned b = 0; b < 4; b++)
          if (t->m_mmio_wstrb_o & (1u << b))
            w = (w & ~(0xffu << (8 * b))) | (t->m_mmio_wdata_o & (0xffu << (8 * b)));
      } else {
        s->mmio_rdata = w;
      }
    }
    t->irq_external_i = s->mmio_mem[MmioWords - 1] & 1u;
    s->mmio_resp_in = 2;
    s->mmio_waited = false;
  } else {
    s->mmio_waited = t->m_mmio_valid_o;
  }
}

// One clock cycle: the inputs set by the caller are sampled at the rising edge.
void tick(nsgnic_sim *s)
{
  Vrv32_sys *t = s->top;
  t->m_mmio_ready_i = s->mmio_waited;
  t->m_mmio_rvalid_i = s->mmio_resp_in == 1;
  t->m_mmio_err_i = s->mmio_resp_in == 1 && s->mmio_err;
  t->m_mmio_rdata_i = s->mmio_resp_in == 1 ? s->mmio_rdata : 0;
  t->clk_i = 0;
  t->eval();
  mmio_cycle(s);
  if (t->trap_o) {
    s->trap_open = true;
    s->trap_mcause = t->trap_mcause_o;
    s->trap_pc = t->trap_pc_o;
  } else if (t->mret_o) {
    s->trap_open = false;
  }
  bool retire = t->retire_o;
  if (retire && s->retire_hook)
    s->retire_hook(s->retire_ctx, t->retire_pc_o);
  if (s->trace)
    s->trace->dump(s->time);
  s->time++;
  t->clk_i = 1;
  t->eval();
  if (s->trace)
    s->trace->dump(s->time);
  s->time++;
  s->cycles++;
  s->instret += retire;
}

// One word access through the host memory port; returns 0 or -EFAULT.
int mem_word(nsgnic_sim *s, uint32_t addr, bool we, uint32_t wdata, unsigned wstrb, uint32_t *rdata)
{
  Vrv32_sys *t = s->top;
  t->s_mem_valid_i = 1;
  t->s_mem_we_i = we;
  t->s_mem_addr_i = addr;
  t->s_mem_wdata_i = wdata;
  t->s_mem_wstrb_i = wstrb;
  uint64_t c = s->cycles, i = s->instret;
  tick(s);
  s->cycles = c;  // host accesses do not count as CPU time
  s->instret = i;
  t->s_mem_valid_i = 0;
  t->s_mem_we_i = 0;
  t->eval();
  if (t->s_mem_err_o)
    return -EFAULT;
  if (rdata)
    *rdata = t->s_mem_rdata_o;
  return 0;
}

}  // namespace

extern "C" {

struct nsgnic_sim *nsgnic_sim_create(const char *trace_path)
{
  nsgnic_sim *s = new (std::nothrow) nsgnic_sim;
  if (!s) {
    errno = ENOMEM;
    return nullptr;
  }
  s->top = new (std::nothrow) Vrv32_sys(&s->ctx, "rv32_sys");
  if (!s->top) {
    delete s;
    errno = ENOMEM;
    return nullptr;
  }
  if (trace_path) {
    s->ctx.traceEverOn(true);
    s->trace = new (std::nothrow) VerilatedFstC;
    if (!s->trace) {
      nsgnic_sim_destroy(s);
      errno = ENOMEM;
      return nullptr;
    }
    s->top->trace(s->trace, 99);
    s->trace->open(trace_path);
    if (!s->trace->isOpen()) {
      nsgnic_sim_destroy(s);
      errno = EIO;
      return nullptr;
    }
  }
  nsgnic_sim_reset(s);
  return s;
}

void nsgnic_sim_destroy(struct nsgnic_sim *s)
{
  if (!s)
    return;
  if (s->trace) {
    s->trace->close();
    delete s->trace;
  }
  if (s->top) {
    s->top->final();
    delete s->top;
  }
  delete s;
}

void nsgnic_sim_reset(struct nsgnic_sim *s)
{
  Vrv32_sys *t = s->top;
  t->s_mem_valid_i = 0;
  t->irq_external_i = 0;
  t->core_rst_ni = 0;
  t->rst_ni = 0;
  s->mmio_waited = false;
  s->mmio_resp_in = 0;
  s->mmio_pending = false;
  std::memset(s->mmio_mem, 0, sizeof(s->mmio_mem));
  tick(s);
  tick(s);
  t->rst_ni = 1;
  tick(s);
  s->cycles = 0;
  s->instret = 0;
}

int nsgnic_sim_mem_write(struct nsgnic_sim *s, uint32_t addr, const void *buf, size_t len)
{
  const uint8_t *p = static_cast<const uint8_t *>(buf);
  while (len > 0) {
    uint32_t word_addr = addr & ~3u;
    unsigned lane = addr & 3u;
    uint32_t wdata = 0;
    unsigned wstrb = 0;
    while (lane < 4 && len > 0) {
      wdata |= static_cast<uint32_t>(*p++) << (8 * lane);
      wstrb |= 1u << lane;
      lane++;
      addr++;
      len--;
    }
    int rc = mem_word(s, word_addr, true, wdata, wstrb, nullptr);
    if (rc)
      return rc;
  }
  return 0;
}

int nsgnic_sim_mem_read(struct nsgnic_sim *s, uint32_t addr, void *buf, size_t len)
{
  uint8_t *p = static_cast<uint8_t *>(buf);
  while (len > 0) {
    uint32_t word;
    int rc = mem_word(s, addr & ~3u, false, 0, 0, &word);
    if (rc)
      return rc;
    for (unsigned lane = addr & 3u; lane < 4 && len > 0; lane++, addr++, len--)
      *p++ = static_cast<uint8_t>(word >> (8 * lane));
  }
  return 0;
}

void nsgnic_sim_set_tohost_addr(struct nsgnic_sim *s, uint32_t addr)
{
  s->top->tohost_addr_i = addr;
}

void nsgnic_sim_cpu_start(struct nsgnic_sim *s, uint32_t boot_addr)
{
  Vrv32_sys *t = s->top;
  t->boot_addr_i = boot_addr;
  t->core_rst_ni = 0;
  tick(s);
  t->core_rst_ni = 1;
  s->cycles = 0;
  s->instret = 0;
  s->trap_open = false;
}

void nsgnic_sim_step(struct nsgnic_sim *s, uint64_t n)
{
  for (uint64_t i = 0; i < n; i++)
    tick(s);
}

int nsgnic_sim_run(struct nsgnic_sim *s, uint64_t max_cycles, uint32_t *tohost)
{
  for (uint64_t i = 0; i < max_cycles; i++) {
    tick(s);
    if (s->top->tohost_o != 0) {
      if (tohost)
        *tohost = s->top->tohost_o;
      return 1;
    }
  }
  return 0;
}

void nsgnic_sim_set_retire_hook(struct nsgnic_sim *s, void (*fn)(void *ctx, uint32_t pc), void *ctx)
{
  s->retire_hook = fn;
  s->retire_ctx = ctx;
}

int nsgnic_sim_open_trap(const struct nsgnic_sim *s, uint32_t *mcause, uint32_t *mepc)
{
  if (!s->trap_open)
    return 0;
  if (mcause)
    *mcause = s->trap_mcause;
  if (mepc)
    *mepc = s->trap_pc;
  return 1;
}

uint32_t nsgnic_sim_tohost(const struct nsgnic_sim *s) { return s->top->tohost_o; }
uint64_t nsgnic_sim_cycles(const struct nsgnic_sim *s) { return s->cycles; }
uint64_t nsgnic_sim_instret(const struct nsgnic_sim *s) { return s->instret; }

}  // extern "C"
