/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic host slow path: everything the SmartNIC punts to the host, decided in software exactly
 * as the reference evaluator (nsg_verify) would, with stateful flows (S5).
 *
 *  - packet parser (nsg_pkt_parse): Ethernet, 802.1Q, IPv4 (options, fragments), IPv6 (extension
 *    headers, fragment header), TCP, UDP, ICMP, ICMPv6 (errors carry the tuple they refer to).
 *    Anything it cannot read safely is a drop with a reason, never an allow (fail closed).
 *  - connection tracking (nsg_ct_*): a direction-independent flow table with the TCP state machine,
 *    UDP/ICMP pseudo-states, per-state idle timeouts in injectable time, the S5 per-NIC limit.
 *  - the slow path proper (nsg_slowpath_*): classifier + conntrack + fragments + flow logs for
 *    frames of a pcap or of the device's exception ring.
 *  - the exception loop (nsg_exc_*): the device's exception/event rings against a small device
 *    interface (struct nsg_dev_ops), with bounded memory and back-pressure.
 * Design and measurements: docs/slowpath.md.
 *
 * Conventions: time is a uint64_t in nanoseconds chosen by the caller (simulated time in tests);
 * functions return 0 / a count or a negative errno; constructors return NULL and set errno. No
 * object is thread-safe; distinct objects may be used from distinct threads. */
#ifndef NSGNIC_SLOWPATH_H
#define NSGNIC_SLOWPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nsgnic/nsgnic.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NSG_SEC ((uint64_t)1000000000)

/* ---- packets ----------------------------------------------------------------------------- */
/* Why a frame was dropped by the parser (counters are indexed by these). */
enum nsg_pkt_err {
  NSG_PKT_OK = 0,
  NSG_PKT_RUNT,          /* shorter than its Ethernet header */
  NSG_PKT_NON_IP,        /* EtherType neither IPv4 nor IPv6 */
  NSG_PKT_VLAN,          /* stacked VLAN tags / 802.1ad */
  NSG_PKT_L3_TRUNCATED,  /* IP header longer than the frame */
  NSG_PKT_BAD_IP,        /* bad version, IHL, lengths */
  NSG_PKT_L4_TRUNCATED,  /* TCP/UDP/ICMP header cut (not a non-first fragment) */
  NSG_PKT_BAD_EXT,       /* IPv6 extension chain unreadable */
  NSG_PKT_ERRS
};
const char *nsg_pkt_err_name(enum nsg_pkt_err e);

enum nsg_frag { NSG_FRAG_NONE = 0, NSG_FRAG_FIRST, NSG_FRAG_LATER };

/* TCP flag bits as on the wire. */
enum { NSG_TCP_FIN = 0x01, NSG_TCP_SYN = 0x02, NSG_TCP_RST = 0x04, NSG_TCP_ACK = 0x10 };

/* Addresses: 128-bit values in two host-order words, a[0] the low 64 bits; IPv4 in the low 32. */
struct nsg_pkt {
  uint8_t fam;        /* 4 or 6 */
  uint8_t proto;      /* upper-layer protocol */
  bool l4;            /* TCP/UDP with ports */
  uint8_t tcp_flags;
  uint8_t frag;       /* enum nsg_frag */
  uint8_t icmp_type, icmp_code;
  bool icmp_error;    /* ICMP(v6) error carrying the header of the packet it refers to */
  uint16_t sport, dport; /* TCP/UDP ports; ICMP echo: identifier in both; else 0 */
  uint64_t src[2], dst[2];
  uint32_t frag_id;
  uint32_t len;       /* frame length in bytes */
  uint8_t src_mac[6], dst_mac[6];
  /* icmp_error: the embedded packet (as sent by the original sender) */
  struct {
    uint8_t proto;
    uint16_t sport, dport;
    uint64_t src[2], dst[2];
  } inner;
};

/* Parses an Ethernet frame. Returns NSG_PKT_OK or the reason to drop it. */
enum nsg_pkt_err nsg_pkt_parse(const uint8_t *frame, size_t len, struct nsg_pkt *p);
/* The same for the first caplen bytes of a frame of wirelen bytes (an exception's head): the IP
 * lengths are checked against wirelen, the headers against caplen. */
enum nsg_pkt_err nsg_pkt_parse_head(const uint8_t *frame, size_t caplen, size_t wirelen, struct nsg_pkt *p);

/* ---- connection tracking (S5) ------------------------------------------------------------ */
enum nsg_ct_state {
  NSG_CT_TCP_SYN_SENT, NSG_CT_TCP_SYN_RECV, NSG_CT_TCP_ESTABLISHED, NSG_CT_TCP_FIN_WAIT,
  NSG_CT_TCP_CLOSING, NSG_CT_TCP_TIME_WAIT, NSG_CT_TCP_CLOSED,
  NSG_CT_UDP_NEW, NSG_CT_UDP_REPLIED, NSG_CT_ICMP_NEW, NSG_CT_ICMP_REPLIED,
  NSG_CT_OTHER_NEW, NSG_CT_OTHER_REPLIED,
  NSG_CT_STATES
};
const char *nsg_ct_state_name(enum nsg_ct_state s);

/* Idle timeouts per state, in ns. `established` is the default for flows created without one
 * (the VNet's flowTimeoutInMinutes is passed per flow); UDP/other flows that saw a reply use the
 * flow's established timeout too. */
struct nsg_ct_timeouts {
  uint64_t tcp_half_open; /* SYN_SENT, SYN_RECV: 30 s */
  uint64_t established;   /* 4 min */
  uint64_t tcp_closing;   /* FIN_WAIT, CLOSING: 30 s */
  uint64_t tcp_time_wait; /* both FINs acknowledged: 10 s */
  uint64_t tcp_closed;    /* after RST: 10 s */
  uint64_t udp_new;       /* no reply yet: 30 s (other protocols alike) */
  uint64_t icmp;          /* 30 s */
};

struct nsg_ct_opts {
  size_t max_flows;          /* table capacity (all NICs): default 1,048,576 */
  uint32_t per_nic_limit;    /* S5: flows per NIC per direction, default 500,000 */
  struct nsg_ct_timeouts to;
  /* a packet moves its flow to the tail of its aging list only when the flow's last move is at
   * least this old (default 1 s): fewer cache misses per packet, expiry at most this late */
  uint64_t aging_granularity;
};
void nsg_ct_opts_default(struct nsg_ct_opts *o);

/* The key of a flow, normalized on the NIC's side: `local` is the NIC's address whatever the
 * direction of a packet, so a reply finds the entry of its request. ICMP echo: both ports hold
 * the identifier. */
struct nsg_flow_key {
  uint64_t local[2], remote[2];
  uint16_t lport, rport;
  uint8_t proto, fam;
  uint16_t nic; /* NIC index in the configuration */
};

enum nsg_flow_where { NSG_FLOW_SW = 0, NSG_FLOW_HW = 1 };
enum nsg_ct_end { NSG_END_IDLE, NSG_END_FIN, NSG_END_RST, NSG_END_FLUSH, NSG_END_REOPEN, NSG_END_SHUTDOWN };
const char *nsg_ct_end_name(enum nsg_ct_end e);

/* A flow as the tracker sees it. Counters [0] initiator->responder, [1] responder->initiator. */
struct nsg_flow_info {
  struct nsg_flow_key key;
  enum nsg_ct_state state;
  bool init_outbound;    /* the NIC initiated it */
  enum nsg_flow_where where;
  uint32_t hw_index;     /* device flow slot when where == HW */
  uint32_t tag;          /* caller's reference to the deciding rule */
  uint64_t created, last, timeout_est;
  uint64_t pkts[2], bytes[2];
  uint64_t logged_pkts[2], logged_bytes[2], logged_at; /* flow-log bookkeeping */
  /* hardware flows: the device entry's (wrapping 32-bit) counters, outbound then inbound, as of
   * the last sync; what the device counted beyond them is added to pkts/bytes */
  uint32_t hw_pkts[2], hw_bytes[2];
};

struct nsg_ct_stats {
  uint64_t flows, created, ended, limit_drops, table_full, lookups, hits;
  uint64_t ended_by[6]; /* enum nsg_ct_end */
};

struct nsg_ct;
/* Called for each flow that ends (before it is removed); `info` is valid during the call. */
typedef void (*nsg_ct_end_fn)(void *ctx, const struct nsg_flow_info *info, enum nsg_ct_end why);

/* NULL + errno (ENOMEM, EINVAL). `o` may be NULL (defaults). */
struct nsg_ct *nsg_ct_new(const struct nsg_ct_opts *o);
void nsg_ct_free(struct nsg_ct *ct); /* NULL: no-op; does not call the end callback */
void nsg_ct_set_end_cb(struct nsg_ct *ct, nsg_ct_end_fn fn, void *ctx);

/* Flow id (>= 0) of `k`, or -ENOENT. */
long nsg_ct_lookup(struct nsg_ct *ct, const struct nsg_flow_key *k);
/* nsg_ct_lookup of n keys (ids[i] for keys[i]), with the memory accesses of a group of keys
 * overlapped (prefetch): for a batch of packets. */
void nsg_ct_lookup_bulk(struct nsg_ct *ct, const struct nsg_flow_key *const *keys, size_t n, long *ids);
/* Creates a flow for a first packet that the rules allowed (its state is derived from the
 * packet by the following nsg_ct_packet call: the first TCP packet without SYN is picked up as
 * established). timeout_est: 0 = the default. Returns the id, -EEXIST, -EDQUOT (S5 limit
 * reached for this NIC and direction: counted in limit_drops; the caller drops the packet) or
 * -ENOSPC (table full: counted in table_full). */
long nsg_ct_create(struct nsg_ct *ct, const struct nsg_flow_key *k, bool init_outbound, uint32_t tag,
                   uint64_t timeout_est, enum nsg_flow_where where, uint64_t now);
/* Accounts one packet of flow `id` (from_initiator: its direction relative to the flow) and
 * advances the state machine. Returns the new state, or -ENOENT. */
int nsg_ct_packet(struct nsg_ct *ct, long id, bool from_initiator, uint8_t tcp_flags, uint32_t bytes,
                  uint64_t now);
/* Ends flow `id` now (calls the end callback). */
int nsg_ct_end(struct nsg_ct *ct, long id, enum nsg_ct_end why);
/* Ends every software flow idle for at least its state's timeout at `now`; at most `budget`
 * flows (0: no bound). Returns the number ended. Cost: O(ended) (per-timeout LRU lists). */
size_t nsg_ct_expire(struct nsg_ct *ct, uint64_t now, size_t budget);
/* A hardware flow's idle report: ends it when idle_ns reaches its state's timeout (state from
 * the TCP flags the device saw: tcp_out/tcp_in bits 0 SYN, 1 FIN, 2 RST) and returns 1 (the
 * caller deletes the device entry); 0 when it must stay; -ENOENT. Counters are the device entry's
 * (out/in, wrapping at 32 bits): what they grew by since the last sync is added to the flow's
 * (which keep what the host counted itself, e.g. the packet it installed the flow for). */
int nsg_ct_hw_idle(struct nsg_ct *ct, long id, uint64_t idle_ns, unsigned tcp_out, unsigned tcp_in,
                   const uint64_t pkts_out_in[2], const uint64_t bytes_out_in[2], uint64_t now);
/* A hardware flow's state as the device's table has it (a table read, not an idle report): marks
 * the flow hardware, sets hw_index (UINT32_MAX: unchanged), the state from the TCP flag bits
 * (tcp_out_in: out, in) and the device entry's counters (out, in; added as in nsg_ct_hw_idle); NULL
 * arguments leave those unchanged. Never ends the flow and leaves its last-seen time. 0 or
 * -ENOENT. */
int nsg_ct_hw_sync(struct nsg_ct *ct, long id, uint32_t hw_index, const unsigned tcp_out_in[2],
                   const uint64_t pkts_out_in[2], const uint64_t bytes_out_in[2]);
/* The device entry of a hardware flow already counts this much (out, in): a flow the datapath
 * learned counts its first packet, which the host counted too. */
int nsg_ct_hw_counted(struct nsg_ct *ct, long id, const uint32_t pkts_out_in[2], const uint32_t bytes_out_in[2]);
/* Moves a flow between hardware and software (where, hw_index). */
int nsg_ct_set_where(struct nsg_ct *ct, long id, enum nsg_flow_where where, uint32_t hw_index, uint64_t now);
/* Changes the deciding-rule tag of a flow / the NIC index in its key (a configuration reload
 * renumbered NICs). 0, -ENOENT, -EEXIST (another flow has that key). */
int nsg_ct_set_tag(struct nsg_ct *ct, long id, uint32_t tag);
int nsg_ct_set_nic(struct nsg_ct *ct, long id, uint16_t nic);
/* Reads a flow. Returns 0 or -ENOENT. */
int nsg_ct_get(const struct nsg_ct *ct, long id, struct nsg_flow_info *out);
/* Marks the flow-log position (counters logged so far) of a flow. */
int nsg_ct_mark_logged(struct nsg_ct *ct, long id, uint64_t now);
/* Calls fn for every flow (in table order); stops when fn returns non-zero. */
void nsg_ct_foreach(const struct nsg_ct *ct, int (*fn)(void *ctx, long id, const struct nsg_flow_info *i),
                    void *ctx);
/* Ends every flow (reason why). */
void nsg_ct_flush(struct nsg_ct *ct, enum nsg_ct_end why);
void nsg_ct_get_stats(const struct nsg_ct *ct, struct nsg_ct_stats *s);
/* Flows of NIC `nic` initiated in direction `outbound`. */
uint32_t nsg_ct_nic_count(const struct nsg_ct *ct, uint16_t nic, bool outbound);
/* Idle timeout of a state for a flow whose established timeout is `est` (0: the default). */
uint64_t nsg_ct_timeout(const struct nsg_ct *ct, enum nsg_ct_state s, uint64_t est);
/* The pure TCP transition (exported for tests): next state from `s` on a packet with `flags`
 * from the initiator or the responder; *fin_bits keeps which sides sent FIN (bit 0 initiator,
 * bit 1 responder). */
enum nsg_ct_state nsg_ct_tcp_next(enum nsg_ct_state s, unsigned *fin_bits, bool from_initiator, uint8_t flags);


/* ---- flow logs ------------------------------------------------------------------------------ */
/* NSG flow logs version 2 (records[].properties.flows[].rule / flows[].flowTuples, TCP and UDP
 * only) or VNet flow logs (flowLogVersion 4, flowRecords.flows[].flowGroups[], IANA protocol
 * numbers, state D for denied). One JSON document `{"records":[...]}` per file. */
enum nsg_flowlog_format { NSG_FLOWLOG_NSG_V2, NSG_FLOWLOG_VNET };
int nsg_flowlog_format_parse(const char *s, enum nsg_flowlog_format *out);

/* ---- the slow path -------------------------------------------------------------------------- */
struct nsg_slowpath_opts {
  struct nsg_ct_opts ct;
  FILE *flow_log;                 /* NULL: no flow log */
  enum nsg_flowlog_format flow_log_format;
  uint64_t flow_log_interval;     /* C tuples every this much flow time: default 5 min */
  uint64_t flow_log_record;       /* one record per NSG and MAC (NIC for VNet logs) per this: 1 min */
  bool flow_log_always_end;       /* log C/E tuples and counts for every flow, also the ones Azure
                                   * logs as non-terminating (S5: VNet without flowTimeoutInMinutes,
                                   * non-default inbound TCP rule) */
  size_t frag_slots;              /* fragment decisions kept: 4096 */
  uint64_t frag_timeout;          /* 30 s */
};
void nsg_slowpath_opts_default(struct nsg_slowpath_opts *o);

/* What happened to a packet. */
enum nsg_sp_why {
  NSG_SP_NEW_FLOW,      /* allowed by the rules, flow created */
  NSG_SP_FLOW,          /* allowed by an existing flow (S5) */
  NSG_SP_RELATED,       /* ICMP error of a tracked flow */
  NSG_SP_ALLOWED_NOFLOW,/* allowed by the rules, nothing to track (ICMP error, RST) */
  NSG_SP_FRAGMENT,      /* non-first fragment: its first fragment's decision */
  NSG_SP_DENIED,        /* denied by a rule or the platform */
  NSG_SP_LIMIT,         /* S5 per-NIC flow limit reached: new connection dropped */
  NSG_SP_TABLE_FULL,    /* flow table full: dropped */
  NSG_SP_FRAG_ORPHAN,   /* non-first fragment without a known first fragment: dropped */
  NSG_SP_MALFORMED,     /* parser drop (reason in parse_err) */
  NSG_SP_NO_NIC,        /* neither address belongs to a NIC: dropped */
  NSG_SP_WHY_COUNT
};
const char *nsg_sp_why_name(enum nsg_sp_why w);

struct nsg_sp_result {
  bool forward;
  enum nsg_sp_why why;
  enum nsg_pkt_err parse_err;
  int nic;              /* deciding NIC (the denying one, else the last evaluated), -1 */
  enum nsg_direction dir;
  long flow;            /* flow id or -1 */
};

struct nsg_slowpath;
/* cfg must outlive the slow path. NULL + errno (EINVAL, ENOMEM). */
struct nsg_slowpath *nsg_slowpath_new(const struct nsg_config *cfg, const struct nsg_slowpath_opts *o);
/* Writes the flow log's closing part; NULL: no-op. */
void nsg_slowpath_free(struct nsg_slowpath *sp);
/* Decides one Ethernet frame at time `now` (flows and flow logs advance with it). A packet
 * between two NICs is evaluated outbound at the sender, then inbound at the receiver. */
int nsg_slowpath_frame(struct nsg_slowpath *sp, const uint8_t *frame, size_t len, uint64_t now,
                       struct nsg_sp_result *r);
/* The same for the first caplen bytes of a frame of wirelen bytes (an exception's head). */
int nsg_slowpath_head(struct nsg_slowpath *sp, const uint8_t *frame, size_t caplen, size_t wirelen, uint64_t now,
                      struct nsg_sp_result *r);
/* The same for a parsed packet. */
int nsg_slowpath_packet(struct nsg_slowpath *sp, const struct nsg_pkt *p, uint64_t now, struct nsg_sp_result *r);
/* Ages flows and writes due C tuples; call at least once per second of flow time. */
void nsg_slowpath_tick(struct nsg_slowpath *sp, uint64_t now);
/* End of a replay: E tuples for closed flows, C tuples for the rest, flush the log. */
void nsg_slowpath_finish(struct nsg_slowpath *sp, uint64_t now);
/* A rule change (S5): switches to `cfg` (finalized; it must outlive the slow path, the old one
 * may be freed after the call). Existing flows keep working — except those of a NIC whose subnet
 * or NIC NSG has flushConnection: they are re-evaluated with the new rules and end (reason
 * flush, E tuple) when no longer allowed. Flows of NICs that no longer exist end. Flows are
 * re-attributed to their new deciding rule (flow logs); per-rule counters restart.
 * Returns the number of flows ended, or a negative errno (the old configuration stays). */
long nsg_slowpath_reload(struct nsg_slowpath *sp, const struct nsg_config *cfg, uint64_t now);
/* A flow the device tracks (learned by the hardware, or found in its flow table): finds the host
 * record of key k (nic = configuration index) or creates it as a hardware flow, decided and
 * attributed like a new flow of the slow path (deciding rule, the VNet's flow timeout, flow-log
 * B tuple) but created whatever the rules say now (the device already passes it). hw_index:
 * the device slot, or UINT32_MAX when not known yet (a later table read or idle report fills it
 * in). first: the packet that created it (state and counters), or NULL. Returns the flow id,
 * -EINVAL (no such NIC/address), -ENOSPC (table full or the NIC's S5 limit reached: the device's
 * flow is not tracked by the host). */
long nsg_slowpath_hw_flow(struct nsg_slowpath *sp, const struct nsg_flow_key *k, bool init_outbound,
                          uint32_t hw_index, const struct nsg_pkt *first, uint64_t now);
/* A packet the device denied itself (its decision, rule "NSG/RULE" or "NSG/securityRules/RULE"
 * as the device's tables name it): the flow log's D tuple, as the slow path writes for the packets it denies. nic:
 * configuration index of the deciding NIC, outbound: its direction there. 0, or -ENOENT (no such
 * NIC or rule, e.g. a platform decision: nothing logged). */
int nsg_slowpath_log_denied(struct nsg_slowpath *sp, int nic, bool outbound, const struct nsg_pkt *p,
                            const char *rule, uint64_t now);
/* Whether a hardware flow's C tuple is due at `now` (its counters should be read from the device
 * first, e.g. nsg_exc_rebuild, then nsg_slowpath_tick logs it). */
bool nsg_slowpath_hw_log_due(struct nsg_slowpath *sp, uint64_t now);
/* Called for every hardware flow the slow path ends itself (flush): the owner of the device
 * deletes its entry. */
void nsg_slowpath_set_hw_end_cb(struct nsg_slowpath *sp, void (*fn)(void *ctx, const struct nsg_flow_info *i),
                                void *ctx);
/* The tracker (to list flows, feed idle reports, ...). */
struct nsg_ct *nsg_slowpath_ct(struct nsg_slowpath *sp);
/* Writes the summary (per NIC and rule: allowed/denied; flows; drops) as text or JSON. */
void nsg_slowpath_summary(const struct nsg_slowpath *sp, FILE *out, bool json);
/* Counters by why. */
void nsg_slowpath_counts(const struct nsg_slowpath *sp, uint64_t out[NSG_SP_WHY_COUNT]);
/* Writes "nsg/rule" of a flow's tag into buf ("platform"/"none" when no NSG decided). */
void nsg_slowpath_tag_name(const struct nsg_slowpath *sp, uint32_t tag, char *buf, size_t n);
/* Name of NIC index i ("-" when there is none); index of the NIC named `name` (name or resource
 * id, case-insensitive), -1 when there is none. */
const char *nsg_slowpath_nic_name(const struct nsg_slowpath *sp, int i);
int nsg_slowpath_nic_index(const struct nsg_slowpath *sp, const char *name);
/* Formats an address of a flow key. */
void nsg_addr_format(uint8_t fam, const uint64_t a[2], char *buf, size_t n);

/* ---- the exception loop ------------------------------------------------------------------- */
/* The device as the exception loop sees it (one struct of function pointers per backend: the
 * driver's pci and sim backends, and the in-memory fake of the tests). Layouts are the ABI's:
 * event slots are NSGNIC_SLOT_WORDS words (word 0 EVT_HDR, payload from word 2: P_EXC, P_IDLE,
 * P_SCAN, P_FWERR); flow entries are the FLOW layout (16 words). Exceptions arrive as
 * EVT_EXCEPTION events; read_exception may be NULL when they share the event ring.
 * Return values: 1 / 0 (an entry read / ring empty), a slot index, 0, or a negative errno:
 * -EAGAIN (device busy: retry later, e.g. re-inject queue full), -ENOSPC (flow cache full),
 * -ETIMEDOUT / -EIO (the device does not answer). */
struct nsg_dev_ops {
  int (*read_event)(void *dev, uint32_t slot[32]);
  int (*read_exception)(void *dev, uint32_t slot[32]);
  long (*install_flow)(void *dev, const uint32_t entry[16]);
  int (*delete_flow)(void *dev, uint32_t index, const uint32_t entry[16]);
  int (*reinject)(void *dev, uint16_t port, const uint8_t *pkt, size_t len);
  int (*read_flow)(void *dev, uint32_t index, uint32_t entry[16]); /* 1 valid, 0 empty */
  uint32_t (*flow_slots)(void *dev);
  uint64_t (*events_lost)(void *dev); /* HOSTREG_EVT_LOST; may be NULL */
  /* a parked exception (P_EXC.PARKED) leaves the device: forwarded on out_port (PORT layout) or
   * dropped; token = the event's sequence word. -ENOENT: no longer parked (expired). May be
   * NULL (the device does not park). */
  int (*release)(void *dev, uint32_t token, uint16_t out_port, bool forward);
  /* the first flow at a slot >= from: 1 with *index and entry, 0 when none is left. A device
   * with a large, sparse table (the DRAM tier) skips empty buckets; NULL: read_flow slot by slot */
  int (*next_flow)(void *dev, uint32_t from, uint32_t *index, uint32_t entry[16]);
};

/* What became of one exception (nsg_exc_opts.on_exception). */
enum nsg_exc_fate {
  NSG_EXC_RELEASED,     /* parked: released (forwarded on out_port, or dropped: see r.forward) */
  NSG_EXC_EXPIRED,      /* parked, but gone when released (EXC_PARK_TIMEOUT): the device dropped it */
  NSG_EXC_REINJECTED,   /* not parked: re-injected (or queued for it) */
  NSG_EXC_NOT_RETURNED, /* not parked and no way back to the device: decided only (r.forward) */
  NSG_EXC_DEV_ERROR,    /* the release/re-injection failed: dropped */
  NSG_EXC_BAD           /* malformed event: dropped */
};
struct nsg_exc_report {
  uint32_t seq;            /* the event's sequence word (the release token) */
  uint16_t in_port;        /* P_EXC.PORT */
  uint16_t out_port;       /* forwarded: the port it was released on */
  unsigned reason;         /* REASON_* */
  bool parked;
  const uint8_t *head;     /* the packet's head as the event carried it (valid during the call) */
  size_t head_len, pkt_len;
  struct nsg_sp_result r;  /* the slow path's decision */
  enum nsg_exc_fate fate;
};

struct nsg_exc_opts {
  size_t batch;            /* events handled per poll: 64 (bounds the time of one call) */
  size_t max_pending;      /* re-injections kept while the device pushes back: 256 */
  uint64_t idle_tick_ns;   /* unit of FLOW.TIMESTAMP / P_IDLE.IDLE (CSR NOW ticks): 100 ms */
  uint64_t dev_timeout_ns; /* device errors for this long: state "device down": 1 s */
  bool no_hw_install;      /* keep every flow in software */
  bool no_tick;            /* the caller ticks the slow path itself (nsg_exc_poll does not): e.g.
                            * after a whole aging pass, so no minute of flow log is written before
                            * every idle report of the pass is in */
  /* vport of a NIC (configuration index) in the device's binding table; NULL: identity */
  int (*vport_of_nic)(void *ctx, int nic);
  int (*nic_of_vport)(void *ctx, int vport);
  /* PORT word a forwarded packet leaves on: the NIC's VF (inbound to it) or the wire of its
   * VNet context (outbound from it); -1: unknown (the packet is dropped). NULL: parked packets
   * cannot be forwarded and are dropped (fail closed). */
  int (*out_port_of)(void *ctx, int nic, bool inbound);
  void *vport_ctx;
  /* called once per exception after it was decided (may be NULL) */
  void (*on_exception)(void *ctx, const struct nsg_exc_report *rep);
  void *report_ctx;
};
void nsg_exc_opts_default(struct nsg_exc_opts *o);

struct nsg_exc_stats {
  uint64_t events, exceptions, idle_reports, scans, fw_errors, bad_events;
  uint32_t scan_pass; /* P_SCAN PASS of the last EVT_SCAN_DONE */
  uint64_t forwarded, dropped, reinjected, reinject_retries, reinject_dropped;
  uint64_t hw_installed, hw_full, hw_deleted, hw_adopted, dev_errors, events_lost;
  uint64_t hw_expired; /* flows the device's aging engine deleted (EVT_FLOW_EXPIRED): ended */
  uint64_t hw_expired_early; /* of those, before the host's own timeout for their state */
  /* parked exceptions: released forwarded / released dropped / expired before the release;
   * exceptions decided that could not go back to the device (not parked, no re-injection) */
  uint64_t released, release_drops, expired, not_returned;
  bool device_down;
  size_t pending;
};

struct nsg_exc;
/* sp and dev must outlive the loop. NULL + errno (EINVAL, ENOMEM). */
struct nsg_exc *nsg_exc_new(struct nsg_slowpath *sp, const struct nsg_dev_ops *ops, void *dev,
                            const struct nsg_exc_opts *o);
void nsg_exc_free(struct nsg_exc *x);
/* Handles at most `batch` events/exceptions (re-injections pending from an earlier poll first).
 * Returns the number handled, or the device's negative errno (the loop keeps its state: call
 * again; flows are never deleted because the device failed). */
int nsg_exc_poll(struct nsg_exc *x, uint64_t now);
/* Host restart: reads the device's flow table and adopts every valid entry as a hardware flow, so
 * established flows keep working and keep being aged. Returns flows adopted or -errno. */
long nsg_exc_rebuild(struct nsg_exc *x, uint64_t now);
void nsg_exc_get_stats(const struct nsg_exc *x, struct nsg_exc_stats *s);
/* FLOW layout helpers (exported for the fake device of the tests). */
void nsg_flow_entry_pack(const struct nsg_flow_key *k, uint16_t vport, bool init_outbound, uint32_t e[16]);
void nsg_flow_entry_key(const uint32_t e[16], struct nsg_flow_key *k, uint16_t *vport);

#ifdef __cplusplus
}
#endif
#endif
