/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic co-simulated NIC: a configuration compiled and loaded, through the real firmware's
 * mailbox, into the Verilated SoC (driver backend "sim": rv32 CPU + firmware + datapath), then
 * packets through its datapath. Used by `nsgnic verify --engine sim`, `nsgnic run --sim`, the
 * SoC tests and bench/e2e.sh.
 *
 * Lifecycle: nsg_simnic_new(cfg) (boots the device, compiles for its table sizes, loads) ->
 * nsg_simnic_verify()* / nsg_simnic_frame()* -> nsg_simnic_free() (NULL: no-op).
 *
 * Verify answers for a NEW flow, as Azure's IP flow verify does: the device is opened with
 * CTRL.LEARN_OFF (opts.learn = false), so no query leaves a flow entry behind that a later query
 * could hit. The query becomes a frame (Ethernet + IPv4/IPv6 + TCP SYN / UDP / ICMP echo / bare
 * protocol header) sent on the NIC's VF (outbound) or on the wire of its VNet context
 * (inbound); the datapath's verdict and rule id are turned back into the answer with the image's
 * rule-name table (an allow without a rule id — platform exemption or no NSG — is named from
 * the same tables, and refused if they disagree). A punted frame (e.g. an IPv6 extension header such as AH) is answered by the
 * host's exception path, which decides as the reference evaluator does (counted in
 * stats.punted). Any other drop reason is an error (-EIO): never a guessed answer.
 *
 * Without the HDL model in the build every constructor fails with ENOTSUP.
 * Errors: negative errno, message in err; constructors return NULL and set errno. */
#ifndef NSGNIC_SIMNIC_H
#define NSGNIC_SIMNIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/compile.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"
#include "nsgnic/nsgnic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nsg_simnic_opts {
  const char *firmware;   /* ELF; NULL: the build's nsgnic-fw.elf */
  const char *trace;      /* FST waveform, or NULL */
  const char *trace_scope; /* NULL/"all", "datapath", "cpu", "window" or a hierarchy (u_dp.u_parser) */
  uint64_t trace_from, trace_to; /* traced cycles [from, to) (to == 0: no end; from == UINT64_MAX:
                                    off until nsg_simnic_trace_window) */
  bool learn;             /* hardware flow learning (false for verify: every query is new) */
  bool events;            /* the caller reads the event ring (exceptions, idle reports: e.g. with
                             nsg_exc_poll over nsg_device_exc_ops); false: events are dropped */
  unsigned timeout_ms;    /* driver waits (mailbox, boot): default 300000 */
  nsgnic_log_fn log;      /* driver messages; NULL: silent */
  void *log_ctx;
};
void nsg_simnic_opts_default(struct nsg_simnic_opts *o);

struct nsg_simnic_stats {
  uint64_t boot_cycles;       /* device cycles until the firmware was ready */
  uint64_t load_cycles;       /* cycles of the table load through the mailbox */
  size_t tcam_writes, bind_writes;
  uint64_t frames, allowed, denied, punted, dropped;  /* frames through the datapath */
  uint64_t learned, flow_hits;
};

struct nsg_simnic;
/* cfg must be valid (finalized) and outlive the object. NULL + errno: ENOTSUP (no model in
 * this build), ENOSPC (does not fit the simulated tables), driver errors. */
struct nsg_simnic *nsg_simnic_new(const struct nsg_config *cfg, const struct nsg_simnic_opts *o,
                                  char *err, size_t errlen);
void nsg_simnic_free(struct nsg_simnic *n);

/* IP flow verify through the datapath (see above): the contract of nsg_verify(). */
int nsg_simnic_verify(struct nsg_simnic *n, const struct nsg_query *q, struct nsg_verdict *v,
                      char *err, size_t errlen);

/* One frame through the NIC. Its PORT comes from the topology: source address on a local NIC
 * -> that NIC's VF (outbound; when the destination is a local NIC too, an allowed frame then
 * arrives on the wire for the inbound leg); else destination on a local NIC -> the wire of its
 * VNet context (inbound). */
enum nsg_simnic_fate { NSG_SIMNIC_ALLOWED, NSG_SIMNIC_DENIED, NSG_SIMNIC_PUNTED, NSG_SIMNIC_DROPPED,
                       NSG_SIMNIC_NO_NIC };
struct nsg_simnic_frame {
  enum nsg_simnic_fate fate;
  int vport;              /* deciding NIC's vport (the last leg's), -1 */
  const char *nic;        /* its NIC name, NULL */
  bool outbound;          /* direction of the deciding leg */
  unsigned reason;        /* REASON_* of the deciding leg */
  char rule[300];         /* "NSG/securityRules/NAME", "platform" or "" */
  bool learned, flow_hit; /* any leg */
  struct nsg_simnic_leg {  /* each leg through the datapath (2: between two local NICs) */
    int vport;             /* -1: not a local NIC's (a frame from the wire to no NIC) */
    bool outbound, learned, flow_hit;
    unsigned action, reason;
  } legs[2];
  unsigned nlegs;
  const uint8_t *out;     /* allowed: the frame as it left (valid until the next call) */
  size_t out_len;
};
int nsg_simnic_frame(struct nsg_simnic *n, const uint8_t *frame, size_t len,
                     struct nsg_simnic_frame *r, char *err, size_t errlen);

/* A parked punted frame the host released with ACTION_ALLOW (CAP_EXC_PARK: CMD_EXC_RELEASE, e.g.
 * through the exception loop) as it left the datapath: the whole frame and its PORT. Runs the
 * device up to max_cycles while none has come. 1 and *r filled (out valid until the next call),
 * 0 none within max_cycles, -EPROTO a sent frame's result was still pending (call it between
 * frames only). */
struct nsg_simnic_release {
  uint16_t out_port;
  const uint8_t *out;
  size_t out_len;
};
int nsg_simnic_released(struct nsg_simnic *n, uint64_t max_cycles, struct nsg_simnic_release *r);

void nsg_simnic_get_stats(const struct nsg_simnic *n, struct nsg_simnic_stats *s);
/* The compiled tables the device holds, and the driver handle (mailbox, events). */
const struct nsg_tables *nsg_simnic_tables(const struct nsg_simnic *n);
struct nsgnic_dev *nsg_simnic_dev(struct nsg_simnic *n);
/* From now on the trace holds the cycles in [from, to) (to == 0: no end; UINT64_MAX, 0: off). */
void nsg_simnic_trace_window(struct nsg_simnic *n, uint64_t from, uint64_t to);
/* Device cycles so far. */
uint64_t nsg_simnic_cycles(const struct nsg_simnic *n);
/* Runs the device for `cycles` clock cycles (firmware main loop, aging scan, event posting). */
void nsg_simnic_step(struct nsg_simnic *n, uint64_t cycles);

/* A rule change: compiles cfg (finalized; it must outlive the object) for the device, reusing
 * the current tables' label bits and port ranges, and updates the device incrementally and
 * atomically (nsg_device_update: the new rules take effect at one bank switch). Flows in the
 * device's flow cache stay (S5); ending those a flushConnection NSG no longer allows is the
 * caller's (the slow path's reload over the device's flows). On error the device may hold the
 * old or (after the switch, message says so) the new rules; the object keeps the old ones. */
int nsg_simnic_update(struct nsg_simnic *n, const struct nsg_config *cfg, struct nsg_device_load_stats *st,
                      char *err, size_t errlen);

/* The binding table's vport of a NIC (by name or resource id; -1 none), the NIC name of a vport
 * (NULL none), and the PORT word of a vport's VF (to_vf) or of the wire of its VNet context. */
int nsg_simnic_vport(const struct nsg_simnic *n, const char *nic);
const char *nsg_simnic_vport_nic(const struct nsg_simnic *n, int vport);
int nsg_simnic_port(const struct nsg_simnic *n, int vport, bool to_vf);

#ifdef __cplusplus
}
#endif
#endif
