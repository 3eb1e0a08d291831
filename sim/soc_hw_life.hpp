// SPDX-License-Identifier: Apache-2.0
// What the Verilated shims share (soc_model.cpp: nsgnic_top; soc_model_onic.cpp: the OpenNIC
// plugin around it; soc_model_mqnic.cpp: the Corundum application block around it): model and
// FST trace created together, each in its own VerilatedContext, freed together; beats copied
// between soc.c's bytes and the models' wide words; one clock edge of a single-clock model.
// H is the shim's struct soc_hw with members ctx, top (a pointer to the Verilated class Top),
// trace, time and traced(t).
#ifndef NSGNIC_SOC_HW_LIFE_HPP
#define NSGNIC_SOC_HW_LIFE_HPP

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "verilated.h"
#include "verilated_fst_c.h"

#include "soc_hw.h"

// Frees h's trace (closed) and model (final() run), then h. NULL: no-op.
template <class H> void soc_hw_life_free(H *h)
{
  if (!h)
    return;
  if (h->trace) {
    h->trace->close();
    delete h->trace;
  }
  if (h->top) {
    h->top->final();
    delete h->top;
  }
  delete h;
}

// A new H with its model named `name`; with trace_path, an FST trace of the hierarchy `hier`
// and below (empty: everything). NULL + errno (ENOMEM, EIO: the trace file cannot be opened).
template <class H, class Top>
H *soc_hw_life_new(const char *name, const char *trace_path, const std::string &hier)
{
  H *h = new (std::nothrow) H;
  if (!h) {
    errno = ENOMEM;
    return nullptr;
  }
  h->ctx.randReset(0);
  if (trace_path)
    h->ctx.traceEverOn(true);
  h->top = new (std::nothrow) Top(&h->ctx, name);
  if (!h->top) {
    delete h;
    errno = ENOMEM;
    return nullptr;
  }
  if (trace_path) {
    h->trace = new (std::nothrow) VerilatedFstC;
    if (!h->trace) {
      soc_hw_life_free(h);
      errno = ENOMEM;
      return nullptr;
    }
    if (!hier.empty())
      h->trace->dumpvars(99, hier); // every level below hier (0 would mean everything)
    h->top->trace(h->trace, 99);
    h->trace->open(trace_path);
    if (!h->trace->isOpen()) {
      soc_hw_life_free(h);
      errno = EIO;
      return nullptr;
    }
  }
  return h;
}

// A device's sizes from its NSGNIC_SOC_<V>_<PARAM> definitions (sim/soc.cmake); LabelLpm and
// LabelCtx are set only where the label stage is the block-RAM trees (the shell wrappers have no
// such parameter). With label contexts the label TCAM is the local-address table: its size
// stays.
#ifndef NSGNIC_SOC_SMALL_LABELLPM
#define NSGNIC_SOC_SMALL_LABELLPM 0
#endif
#ifndef NSGNIC_SOC_REAL_LABELLPM
#define NSGNIC_SOC_REAL_LABELLPM 0
#endif
#ifndef NSGNIC_SOC_SMALL_LABELCTX
#define NSGNIC_SOC_SMALL_LABELCTX 0
#endif
#ifndef NSGNIC_SOC_REAL_LABELCTX
#define NSGNIC_SOC_REAL_LABELCTX 0
#endif
#ifndef NSGNIC_SOC_SDRAM_LABELCTX
#define NSGNIC_SOC_SDRAM_LABELCTX 0
#endif
#define SOC_HW_SIZES(V, name)                                                                      \
  {name, NSGNIC_SOC_##V##_RULEENTRIES,                                                             \
   NSGNIC_SOC_##V##_LABELLPM && !NSGNIC_SOC_##V##_LABELCTX ? 0u : NSGNIC_SOC_##V##_LABELENTRIES,   \
   NSGNIC_SOC_##V##_PLATFORMENTRIES, NSGNIC_SOC_##V##_VPORTS, NSGNIC_SOC_##V##_FLOWBUCKETS,        \
   NSGNIC_SOC_##V##_FLOWWAYS, NSGNIC_SOC_##V##_FLOWSTASH, NSGNIC_SOC_##V##_MAXBEATS,              \
   NSGNIC_SOC_##V##_DATAW, NSGNIC_SOC_##V##_IRAMBYTES, NSGNIC_SOC_##V##_DRAMBYTES,                \
   NSGNIC_SOC_##V##_TICKCYCLES, NSGNIC_SOC_##V##_LABELLPM, NSGNIC_SOC_##V##_LABELCTX}

#ifdef NSGNIC_SOC_SMALL_RULEENTRIES
// The shell wrappers are Verilated with the small device's sizes only (hdl/soc.cmake): their
// soc_hw_device answers this for "small" or NULL, NULL for any other name.
inline const soc_hw_sizes *soc_hw_small_only(const char *name)
{
  static const soc_hw_sizes small = SOC_HW_SIZES(SMALL, "small");
  return !name || !std::strcmp(name, small.name) ? &small : nullptr;
}

// A new shell wrapper H (model Top named `name`), traced whole (nsgnic_top is one level further
// down, so there are no scopes): NULL + ENODEV for a device but small, EINVAL for a trace scope
// other than "all", else as soc_hw_life_new.
template <class H, class Top>
H *soc_hw_wrapper_new(const char *device, const char *trace_path, const char *trace_scope,
                      const char *name)
{
  if (!soc_hw_small_only(device)) {
    errno = ENODEV;
    return nullptr;
  }
  if (trace_scope && *trace_scope && std::strcmp(trace_scope, "all") != 0) {
    errno = EINVAL;
    return nullptr;
  }
  return soc_hw_life_new<H, Top>(name, trace_path, "");
}
#endif

// One beat of soc.c (SOC_HW_BEAT_BYTES, little-endian) into / out of a model's 512-bit port.
template <class W> void soc_hw_beat_in(W &port, const uint8_t *bytes)
{
  for (unsigned w = 0; w < SOC_HW_BEAT_BYTES / 4; w++) {
    uint32_t v;
    std::memcpy(&v, bytes + 4 * w, 4);
    port[w] = v;
  }
}

template <class W> void soc_hw_beat_out(uint8_t *bytes, const W &port)
{
  for (unsigned w = 0; w < SOC_HW_BEAT_BYTES / 4; w++) {
    uint32_t v = port[w];
    std::memcpy(bytes + 4 * w, &v, 4);
  }
}

// The rising edge of a model clocked by one clock `clk` (a member of h->top): the trace samples
// before and after it; the clock is left low, evaluated with the next cycle's inputs
// (soc_hw_eval).
template <class H, class C> void soc_hw_single_clock_edge(H *h, C &clk)
{
  if (h->traced(h->time))
    h->trace->dump(h->time);
  h->time++;
  clk = 1;
  h->top->eval();
  if (h->traced(h->time))
    h->trace->dump(h->time);
  h->time++;
  clk = 0;
}

// The monitor and debug pins, which nsgnic_top and the OpenNIC plugin name alike.
template <class Top> void soc_hw_sample_mon(const Top *t, soc_pins_out *out)
{
  out->mon_park_valid = t->mon_park_valid_o;
  out->mon_park_ok = t->mon_park_ok_o;
  out->mon_park_slot = t->mon_park_slot_o;
  out->mon_valid = t->mon_valid_o;
  out->mon_action = t->mon_action_o;
  out->mon_reason = t->mon_reason_o;
  out->mon_rule_id = t->mon_rule_id_o;
  out->mon_flow_hit = t->mon_flow_hit_o;
  out->mon_learned = t->mon_learned_o;
  out->tohost = t->tohost_o;
  out->retire = t->retire_o;
}

#endif
