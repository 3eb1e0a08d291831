/* SPDX-License-Identifier: Apache-2.0 */
/* A flow entry's update by one packet of its flow, as flow_cache.sv and flow_dram.sv make it:
 * the reference models of both testbenches share it. */
#ifndef NSGNIC_REF_FLOW_ENTRY_H
#define NSGNIC_REF_FLOW_ENTRY_H

#include <stdint.h>

#include "nsgnic/abi.h"

static inline void ref_flow_add32(uint32_t *e, unsigned lsb, uint32_t v)
{
  nsgnic_bits_put(e, lsb, 32, (uint32_t)(nsgnic_bits_get(e, lsb, 32) + v));
}

/* Timestamp now; the direction's TCP flags ORed with tcp, its packets + 1, its bytes + len. */
static inline void ref_flow_touch(uint32_t *e, unsigned now, int outbound, unsigned tcp, unsigned len)
{
  NSGNIC_PUT(e, FLOW_TIMESTAMP, now);
  if (outbound) {
    NSGNIC_PUT(e, FLOW_TCP_OUT, NSGNIC_GET(e, FLOW_TCP_OUT) | tcp);
    ref_flow_add32(e, NSGNIC_FLOW_PKTS_OUT_LSB, 1);
    ref_flow_add32(e, NSGNIC_FLOW_BYTES_OUT_LSB, len);
  } else {
    NSGNIC_PUT(e, FLOW_TCP_IN, NSGNIC_GET(e, FLOW_TCP_IN) | tcp);
    ref_flow_add32(e, NSGNIC_FLOW_PKTS_IN_LSB, 1);
    ref_flow_add32(e, NSGNIC_FLOW_BYTES_IN_LSB, len);
  }
}

#endif
