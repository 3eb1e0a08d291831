/* SPDX-License-Identifier: Apache-2.0 */
/* The hardware aging engine's class and timeout of a flow entry, in C: the twin of
 * nsgnic_flow_age_pkg in hdl/rtl/flow_cache.sv (flow_age_class, flow_age_timeout), used by the
 * firmware's RAM HAL, the testbenches' reference models and the host (which derives the same
 * state for its flow log). Freestanding-safe (stdint only).
 *
 * The class is the host conntrack's state (docs/slowpath.md, S5) as far as the entry shows it:
 * TCP flag bits per direction (SYN, FIN, RST), packet counts per direction, which side initiated
 * and HOST_FIRST (the host counted the initiator's first packet, the entry did not). The
 * established classes (TCP_EST, REPLIED) take the flow's vport's timeout (the VNet's
 * flowTimeoutInMinutes, CSR_AGE_EST) when it is set, else the class's own. */
#ifndef NSGNIC_FLOW_AGE_H
#define NSGNIC_FLOW_AGE_H

#include <stdint.h>

#include "nsgnic/abi.h"

/* AGE_CLASS of a FLOW entry (FLOW_WORDS words). */
static inline unsigned nsgnic_flow_age_class(const uint32_t *e)
{
  unsigned proto = (unsigned)NSGNIC_GET(e, FLOW_PROTO);
  unsigned out = (unsigned)NSGNIC_GET(e, FLOW_TCP_OUT), in = (unsigned)NSGNIC_GET(e, FLOW_TCP_IN);
  int init_out = (int)NSGNIC_GET(e, FLOW_INIT_OUTBOUND);
  uint32_t po = (uint32_t)NSGNIC_GET(e, FLOW_PKTS_OUT), pin = (uint32_t)NSGNIC_GET(e, FLOW_PKTS_IN);
  unsigned ti = init_out ? out : in, tr = init_out ? in : out;
  uint32_t pi = init_out ? po : pin, pr = init_out ? pin : po;
  int first = (int)NSGNIC_GET(e, FLOW_HOST_FIRST);
  if (proto == 6) {
    unsigned fl = out | in;
    if (fl & 4u)
      return NSGNIC_AGE_CLASS_TCP_CLOSED;
    if ((out & 2u) && (in & 2u))
      return NSGNIC_AGE_CLASS_TCP_TIME_WAIT;
    if (fl & 2u)
      return NSGNIC_AGE_CLASS_TCP_CLOSING;
    if (!(ti & 1u))
      return NSGNIC_AGE_CLASS_TCP_EST; /* picked up without the initiator's SYN */
    if (pr == 0)
      return NSGNIC_AGE_CLASS_TCP_HALF_OPEN; /* SYN_SENT */
    if ((tr & 1u) && (pi == 0 || (pi == 1 && !first)))
      return NSGNIC_AGE_CLASS_TCP_HALF_OPEN; /* SYN_RECV: at most the initiator's SYN */
    return NSGNIC_AGE_CLASS_TCP_EST;
  }
  if (proto == 1 || proto == 58)
    return NSGNIC_AGE_CLASS_ICMP;
  return pr ? NSGNIC_AGE_CLASS_REPLIED : NSGNIC_AGE_CLASS_NEW;
}

/* Idle timeout (NOW units) of class `cls` under the class timeouts to[AGE_CLASSES] and the
 * flow's vport's established timeout `est` (0: none). */
static inline unsigned nsgnic_flow_age_timeout(unsigned cls, const unsigned *to, unsigned est)
{
  if ((cls == NSGNIC_AGE_CLASS_TCP_EST || cls == NSGNIC_AGE_CLASS_REPLIED) && (est & 0xffffu))
    return est & 0xffffu;
  return to[cls] & 0xffffu;
}

/* The engine deletes a valid entry idle (now - TIMESTAMP mod 2^16) for at least its timeout;
 * est[vport] per vport (256 entries, FLOW.VPORT). */
static inline int nsgnic_flow_age_expired(const uint32_t *e, unsigned now, const unsigned *to,
                                          const uint16_t *est)
{
  if (!NSGNIC_GET(e, FLOW_VALID))
    return 0;
  unsigned idle = (now - (unsigned)NSGNIC_GET(e, FLOW_TIMESTAMP)) & 0xffffu;
  unsigned v = (unsigned)NSGNIC_GET(e, FLOW_VPORT);
  return idle >= nsgnic_flow_age_timeout(nsgnic_flow_age_class(e), to, est ? est[v] : 0u);
}

#endif /* NSGNIC_FLOW_AGE_H */
