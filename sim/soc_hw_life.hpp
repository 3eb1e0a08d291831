// SPDX-License-Identifier: Apache-2.0
// The lifecycle both Verilated shims share (soc_model.cpp: nsgnic_top; soc_model_onic.cpp: the
// OpenNIC plugin around it): model and FST trace created together, each in its own
// VerilatedContext, freed together. H is the shim's struct soc_hw with members ctx, top (a
// pointer to the Verilated class Top) and trace.
#ifndef NSGNIC_SOC_HW_LIFE_HPP
#define NSGNIC_SOC_HW_LIFE_HPP

#include <cerrno>
#include <new>
#include <string>

#include "verilated.h"
#include "verilated_fst_c.h"

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

#endif
