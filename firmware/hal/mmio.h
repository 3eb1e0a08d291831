/* SPDX-License-Identifier: Apache-2.0 */
/* Register access on the soft-core (target only): volatile 32-bit loads/stores and the
 * addresses of the SoC memory map (soc.def.h) and the host window (host.def.h). With
 * NSGNIC_FW_HOST_MMIO the accesses go to functions a host test provides instead. */
#ifndef NSGNIC_FW_MMIO_H
#define NSGNIC_FW_MMIO_H

#include <stdint.h>

#include "nsgnic/abi.h"

/* Address of `off` in SoC region `region` (SOC_REGION_*). */
#define FW_SOC_ADDR(region, off) \
  (((uint32_t)NSGNIC_SOC_REGION_##region << NSGNIC_SOC_REGION_SHIFT) + (uint32_t)(off))

#define FW_HOSTWIN_BASE FW_SOC_ADDR(EXT, NSGNIC_HOSTWIN_FW_OFFSET)

#ifdef NSGNIC_FW_HOST_MMIO
/* Host unit tests of hal_csr.c: the test provides the bus (a fake datapath). */
uint32_t fw_test_mmio_rd(uint32_t addr);
void fw_test_mmio_wr(uint32_t addr, uint32_t v);
static inline uint32_t mmio_rd(uint32_t addr) { return fw_test_mmio_rd(addr); }
static inline void mmio_wr(uint32_t addr, uint32_t v) { fw_test_mmio_wr(addr, v); }
#else
static inline uint32_t mmio_rd(uint32_t addr) { return *(volatile uint32_t *)(uintptr_t)addr; }
static inline void mmio_wr(uint32_t addr, uint32_t v) { *(volatile uint32_t *)(uintptr_t)addr = v; }
#endif

/* mtime bits 31:0 (clock cycles). */
static inline uint32_t fw_mtime(void) { return mmio_rd(FW_SOC_ADDR(LOCAL, NSGNIC_SOC_LOCAL_MTIME_LO)); }

/* Pass/fail signature for the testbench: 1 = pass, (n << 1) | 1 = failed step n. */
static inline void fw_tohost(uint32_t v) { mmio_wr(FW_SOC_ADDR(LOCAL, NSGNIC_SOC_LOCAL_TOHOST), v); }

#endif /* NSGNIC_FW_MMIO_H */
