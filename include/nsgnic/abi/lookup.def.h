/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, lookup part: versions, table sizes and the bit layout of every lookup key and
 * result. THE source of truth (see README.md in this folder); expanded by <nsgnic/abi.h> and
 * hdl/gen/abigen.c. No include guard on purpose: it only defines list macros. */

/* ---- versions and sizes -------------------------------------------------------------- */
#define NSGNIC_ABI_LOOKUP_CONSTS(X_CONST) \
  X_CONST(ABI_VERSION_MAJOR, 1, "ABI major version; the driver refuses a device with another major") \
  X_CONST(ABI_VERSION_MINOR, 8, "ABI minor version; additions only (1: port-range classes in the rule key; 2: parked exceptions, host-driven time, banked binding; 3: keyed flow hash; 4-table flow cache with a stash, CSR_CAP_FLOWS.STASH; 4: the block-RAM label stage: CSR_CAP_LPM*, DP_TABLE_LPM4/6, CMD_LPM_WRITE; eight aging classes with per-vport established timeouts (CMD_AGING_EST, CSR_AGE_EST), scan pace, FLOW.HOST_FIRST, P_AGEHW 5 words, its completion P_SCAN; the DRAM flow tier's S5 limit and management: CSR_FLOW_LIMIT, CSR_DRAM_SLOT, DP_CMD.DRAM, CMD_FLOW_LIMIT, CMD_DRAM_FLOW_NEXT/DELETE; 5: per-vport label contexts: CAP_LABEL_CTX, DP_CAP_LPM.LABEL_CTX, BINDING.LABEL_CTX, LPM_ROW result rows, the label TCAM as the local-address table; 6: hardware aging of the DRAM flow tier: DP_AGE_CTRL.DRAM, DP_AGE_INDEX, CAP_AGING_DRAM; CSR_DRAM_USED; 7: CMD_FLOW_NEXT, FLOW_SCAN_SLOTS; 8: FLOW.HW_COUNTED (the on-chip cache in front of the DRAM tier), CNT_DRAM_ERR") \
  X_CONST(RULE_ENTRIES, 4096, "rule TCAM entries (realistic configuration; tests use smaller models)") \
  X_CONST(LABEL_ENTRIES, 2048, "address-label TCAM entries") \
  X_CONST(PLATFORM_ENTRIES, 16, "platform-policy TCAM entries (S10, S11, S13)") \
  X_CONST(PORT_CLASSES, 4, "port-range comparators per port field (source, destination): PORT_RANGE registers") \
  X_CONST(NSG_IDS, 1024, "NSG ids 0..NSG_IDS-1 in the rule key") \
  X_CONST(VPORTS, 256, "virtual ports (NICs) in the binding table (one entry per vport in each bank)") \
  X_CONST(CTXS, 256, "label contexts (one per scope: VNet + the subnet's route table, S7)") \
  X_CONST(LABEL_BITS, 64, "width of an address-label bitmap") \
  X_CONST(RULE_KEY_BITS, 256, "rule TCAM key width") \
  X_CONST(LABEL_KEY_BITS, 144, "label TCAM key width") \
  X_CONST(PLATFORM_KEY_BITS, 96, "platform TCAM key width") \
  X_CONST(RESULT_BITS, 32, "rule / platform result word width") \
  X_CONST(BINDING_BITS, 128, "binding table entry width") \
  X_CONST(LABEL_RESULT_BITS, 80, "label TCAM result width") \
  X_CONST(LPM_CTX_BITS, 11, "label stage (block-RAM LPM, lpm.sv): context bits above the address in a tree key") \
  X_CONST(LPM_FANOUT, 8, "label stage: children per tree node") \
  X_CONST(LPM_LEVELS, 6, "label stage: tree levels (search latency 2 * LPM_LEVELS + 2 clocks)") \
  X_CONST(LPM4_LEAF_NODES, 20480, "label stage, IPv4 tree: leaf nodes (7 intervals each: any 71,679 prefixes)") \
  X_CONST(LPM6_LEAF_NODES, 5120, "label stage, IPv6 tree: leaf nodes (any 17,919 prefixes)") \
  X_CONST(LPM4_RESULTS, 65536, "label stage, IPv4 tree: result rows (row 0: no match)") \
  X_CONST(LPM6_RESULTS, 16384, "label stage, IPv6 tree: result rows") \
  X_CONST(LPM_ROW_BITS, 128, "label-stage result row width with per-vport label contexts (CAP_LABEL_CTX: LPM_ROW); without them a row is LABEL_RESULT") \
  X_CONST(IMAGE_MAGIC, 0x4e53474e, "table image: first little-endian word ('NGSN' in file byte order)") \
  X_CONST(IMAGE_VERSION, 4, "table image format version (docs/compiler.md; 2: label-bit meanings; 3: the label stage's block-RAM trees and result rows; 4: per-vport label contexts: header flags, contexts, per-context rows, LPM_ROW result rows; readers still read 3)") \
  X_CONST(IMAGE_HEADER_WORDS, 16, "table image header length in 32-bit words") \
  X_CONST(FLOW_BITS, 512, "flow-cache entry width (FLOW fields)") \
  X_CONST(FLOW_KEY_BITS, 312, "flow-cache key: FLOW bits 0..FLOW_KEY_BITS-1, compared exactly") \
  X_CONST(REASON_PUNT_FIRST, 16, "REASON codes >= this are exceptions (punt), 1..this-1 drops") \
  X_CONST(REASON_CODES, 32, "REASON codes are 0..REASON_CODES-1 (5 bits; one counter each)") \
  X_CONST(NO_RULE_ID, 65535, "RESULT.RULE_ID reported when no rule decided (no NSG at either level)")

/* ---- fixed label bits (the compiler allocates LABEL_FIRST_FREE..LABEL_BITS-1) ---------- */
#define NSGNIC_ABI_LOOKUP_ENUMS(X_ENUM) \
  X_ENUM(LABEL, VIRTUAL_NETWORK, 0, "address is in the VirtualNetwork tag of the context's scope: VNet, host IP, UDRs (S7)") \
  X_ENUM(LABEL, INTERNET, 1, "address is in the Internet tag of the context's VNet (S7)") \
  X_ENUM(LABEL, AZURE_LOAD_BALANCER, 2, "AzureLoadBalancer: 168.63.129.16/32 (S7)") \
  X_ENUM(LABEL, PLATFORM_DNS, 3, "AzurePlatformDNS: 168.63.129.16/32 (S10)") \
  X_ENUM(LABEL, PLATFORM_IMDS, 4, "AzurePlatformIMDS: 169.254.169.254/32 (S10)") \
  X_ENUM(LABEL, PLATFORM_LKM, 5, "AzurePlatformLKM: the KMS addresses (S11)") \
  X_ENUM(LABEL, FIRST_FREE, 6, "first label bit the compiler allocates (service tags, ASGs, prefix lists)") \
  X_ENUM(ACTION, NONE, 0, "no entry matched (never for a compiled NSG: defaults catch all)") \
  X_ENUM(ACTION, ALLOW, 1, "allow") \
  X_ENUM(ACTION, DENY, 2, "deny") \
  X_ENUM(ACTION, PUNT, 3, "send to the host (exception path)") \
  X_ENUM(PLATFORM_CLASS, NONE, 0, "no platform policy applies: NSG rules decide") \
  X_ENUM(PLATFORM_CLASS, EXEMPT, 1, "platform exemption (S10/S11): only rules naming a platform tag apply, else allow") \
  X_ENUM(PLATFORM_CLASS, BLOCK, 2, "platform block (S13 TCP 25): deny whatever the rules say") \
  X_ENUM(DIR, INBOUND, 0, "traffic to the NIC") \
  X_ENUM(DIR, OUTBOUND, 1, "traffic from the NIC") \
  X_ENUM(FAMILY, IPV4, 0, "IPv4") \
  X_ENUM(FAMILY, IPV6, 1, "IPv6") \
  X_ENUM(PORT_KIND, WIRE, 0, "packet from/to the wire; PORT.ID = label context (scope of the destination NIC's subnet when inbound)") \
  X_ENUM(PORT_KIND, VF, 1, "packet from/to a host virtual function; PORT.ID = vport") \
  X_ENUM(REASON, NONE, 0, "forwarded (no drop, no exception)") \
  X_ENUM(REASON, RUNT, 1, "drop: frame shorter than its Ethernet header") \
  X_ENUM(REASON, L3_TRUNCATED, 2, "drop: frame shorter than the fixed IP header") \
  X_ENUM(REASON, IP_BAD_VERSION, 3, "drop: IP version does not match the EtherType") \
  X_ENUM(REASON, IPV4_BAD_IHL, 4, "drop: IPv4 IHL below 5") \
  X_ENUM(REASON, IP_BAD_LENGTH, 5, "drop: IP total/payload length inconsistent with the header or longer than the frame") \
  X_ENUM(REASON, L4_TRUNCATED, 6, "drop: TCP/UDP/ICMP header longer than the IP payload") \
  X_ENUM(REASON, OVERSIZE, 7, "drop: frame longer than the datapath's maximum frame") \
  X_ENUM(REASON, UNBOUND_VPORT, 8, "drop: vport not configured (binding invalid or out of range)") \
  X_ENUM(REASON, NO_LOCAL_VPORT, 9, "drop: inbound destination address is no local NIC's") \
  X_ENUM(REASON, RULE_DENY, 10, "drop: denied by an NSG rule (S2: first deny wins)") \
  X_ENUM(REASON, PLATFORM_BLOCK, 11, "drop: platform block (S13)") \
  X_ENUM(REASON, FLOW_DENY, 12, "drop: the flow entry's verdict is DENY") \
  X_ENUM(REASON, EXQ_FULL, 13, "drop: an exception found the exception queue full") \
  X_ENUM(REASON, TCP_BAD_OFFSET, 14, "drop: TCP data offset below 5") \
  X_ENUM(REASON, NON_IP, 16, "exception: EtherType neither IPv4 nor IPv6 (ARP, LLDP, ...)") \
  X_ENUM(REASON, IPV4_FRAGMENT, 17, "exception: IPv4 fragment (MF set or offset not 0)") \
  X_ENUM(REASON, HDR_BEYOND_WINDOW, 18, "exception: headers extend past the parser's header window") \
  X_ENUM(REASON, IPV6_EXT_HDR, 19, "exception: IPv6 extension header (hop-by-hop, routing, fragment, options, AH, mobility, HIP, shim6, experimental)") \
  X_ENUM(REASON, RULE_PUNT, 20, "exception: an NSG rule entry says PUNT") \
  X_ENUM(REASON, NO_RULE, 21, "exception: no rule entry matched at a level that has an NSG") \
  X_ENUM(REASON, FLOW_FULL, 22, "exception: allowed first packet whose flow could not be learned (its buckets and the stash full)") \
  X_ENUM(REASON, FLOW_OVF_DENY, 23, "exception: rules deny a flow-cache miss in a bucket marked overflowed (may be the reply of a flow tracked by the host)") \
  X_ENUM(REASON, FLOW_PUNT, 24, "exception: the flow entry's verdict is PUNT") \
  X_ENUM(REASON, VLAN_UNSUPPORTED, 25, "exception: stacked VLAN tags or 802.1ad")

/* ---- key and result layouts (LSB first) ---------------------------------------------- */
#define NSGNIC_ABI_LOOKUP_FIELDS(X_FIELD) \
  X_FIELD(RULE_KEY, DST_PORT, 0, 16, "destination port (0 when L4 is 0)") \
  X_FIELD(RULE_KEY, SRC_PORT, 16, 16, "source port (0 when L4 is 0)") \
  X_FIELD(RULE_KEY, DST_ADDR4, 32, 32, "IPv4 destination address (0 for IPv6: IPv6 prefixes are matched through labels)") \
  X_FIELD(RULE_KEY, SRC_ADDR4, 64, 32, "IPv4 source address (0 for IPv6)") \
  X_FIELD(RULE_KEY, DST_LABELS, 96, 64, "label bitmap of the destination address") \
  X_FIELD(RULE_KEY, SRC_LABELS, 160, 64, "label bitmap of the source address") \
  X_FIELD(RULE_KEY, PROTO, 224, 8, "IP protocol number (IPv6: the upper-layer protocol)") \
  X_FIELD(RULE_KEY, L4, 232, 1, "1 when the packet carries TCP/UDP ports (S3: otherwise only full port ranges match)") \
  X_FIELD(RULE_KEY, FAMILY, 233, 1, "FAMILY_IPV4 / FAMILY_IPV6") \
  X_FIELD(RULE_KEY, DIR, 234, 1, "DIR_INBOUND / DIR_OUTBOUND") \
  X_FIELD(RULE_KEY, NSG, 235, 10, "NSG id looked up") \
  X_FIELD(RULE_KEY, PLATFORM, 245, 1, "1 when the platform stage classified the packet EXEMPT") \
  X_FIELD(RULE_KEY, BANK, 246, 1, "active table bank; an entry that cares about it exists in one bank only") \
  X_FIELD(RULE_KEY, SRC_PORT_CLASS, 247, 4, "bit k: L4 and SRC_PORT within source PORT_RANGE register k (0 when L4 is 0)") \
  X_FIELD(RULE_KEY, DST_PORT_CLASS, 251, 4, "bit k: L4 and DST_PORT within destination PORT_RANGE register k (0 when L4 is 0)") \
  X_FIELD(RULE_KEY, RESERVED, 255, 1, "zero in keys; entries do not care") \
  X_FIELD(LABEL_KEY, ADDR, 0, 128, "address; IPv4 in bits 31:0, upper bits zero") \
  X_FIELD(LABEL_KEY, FAMILY, 128, 1, "FAMILY_IPV4 / FAMILY_IPV6") \
  X_FIELD(LABEL_KEY, CTX, 129, 8, "label context (the scope of the NIC: VNet + route table)") \
  X_FIELD(LABEL_KEY, BANK, 137, 1, "active table bank") \
  X_FIELD(LABEL_KEY, RESERVED, 138, 6, "zero") \
  X_FIELD(LABEL_RESULT, LABELS, 0, 64, "label bitmap") \
  X_FIELD(LABEL_RESULT, VPORT, 64, 8, "local vport owning this address (inbound target), valid when VPORT_VALID") \
  X_FIELD(LABEL_RESULT, VPORT_VALID, 72, 1, "address is a local NIC's address") \
  X_FIELD(LABEL_RESULT, RESERVED, 73, 7, "zero") \
  X_FIELD(LPM_ROW, LABELS_SUBNET, 0, 64, "CAP_LABEL_CTX: label vector of the address in the allocation of the context's subnet NSG (rule TCAM port 0, the platform TCAM); bits below LABEL_FIRST_FREE and the KMS bit are the same in both vectors") \
  X_FIELD(LPM_ROW, LABELS_NIC, 64, 64, "CAP_LABEL_CTX: label vector of the address in the allocation of the context's NIC NSG (rule TCAM port 1)") \
  X_FIELD(PLATFORM_KEY, DST_PORT, 0, 16, "destination port (0 when L4 is 0)") \
  X_FIELD(PLATFORM_KEY, DST_LABELS, 16, 64, "label bitmap of the destination address") \
  X_FIELD(PLATFORM_KEY, PROTO, 80, 8, "IP protocol number") \
  X_FIELD(PLATFORM_KEY, L4, 88, 1, "packet carries ports") \
  X_FIELD(PLATFORM_KEY, FAMILY, 89, 1, "address family") \
  X_FIELD(PLATFORM_KEY, DIR, 90, 1, "direction") \
  X_FIELD(PLATFORM_KEY, BANK, 91, 1, "active table bank") \
  X_FIELD(PLATFORM_KEY, RESERVED, 92, 4, "zero") \
  X_FIELD(RESULT, RULE_ID, 0, 16, "index of the deciding rule in the image's rule-name table") \
  X_FIELD(RESULT, ACTION, 16, 2, "ACTION_*") \
  X_FIELD(RESULT, PLATFORM_CLASS, 18, 2, "PLATFORM_CLASS_* (platform TCAM results only)") \
  X_FIELD(RESULT, PLATFORM_EXEMPT, 20, 1, "rule TCAM: this entry is the per-NSG platform-exemption catch-all") \
  X_FIELD(RESULT, RESERVED, 21, 11, "zero") \
  X_FIELD(PORT_RANGE, LO, 0, 16, "first port of a port-range comparator (PORT_CLASSES per field); LO > HI: never matches") \
  X_FIELD(PORT_RANGE, HI, 16, 16, "last port of the comparator (inclusive)") \
  X_FIELD(BINDING, SUBNET_NSG, 0, 10, "NSG id of the subnet level") \
  X_FIELD(BINDING, SUBNET_NSG_VALID, 10, 1, "the subnet has an NSG") \
  X_FIELD(BINDING, NIC_NSG, 11, 10, "NSG id of the NIC level") \
  X_FIELD(BINDING, NIC_NSG_VALID, 21, 1, "the NIC has an NSG") \
  X_FIELD(BINDING, CTX, 22, 8, "label context (scope: VNet + route table) of the NIC") \
  X_FIELD(BINDING, VALID, 30, 1, "vport is configured; packets of an unconfigured vport are dropped") \
  X_FIELD(BINDING, RESERVED0, 31, 1, "zero") \
  X_FIELD(BINDING, LOCAL_LABELS, 32, 64, "labels OR-ed into the local side (ASG membership of the NIC)") \
  X_FIELD(BINDING, LABEL_CTX, 96, 11, "CAP_LABEL_CTX: the label-stage tree context of the vport, one per (scope, subnet NSG, NIC NSG) the compiler allocates; both addresses of the vport's packets are searched as {LABEL_CTX, address}") \
  X_FIELD(BINDING, RESERVED1, 107, 21, "zero") \
  X_FIELD(PORT, ID, 0, 8, "wire: label context (scope); VF: vport") \
  X_FIELD(PORT, KIND, 8, 1, "PORT_KIND_*") \
  X_FIELD(FLOW, LOCAL_ADDR, 0, 128, "key: address of the NIC's side (outbound: source, inbound: destination); IPv4 in 31:0") \
  X_FIELD(FLOW, REMOTE_ADDR, 128, 128, "key: address of the other side") \
  X_FIELD(FLOW, LOCAL_PORT, 256, 16, "key: port of the NIC's side (0 when L4 is 0)") \
  X_FIELD(FLOW, REMOTE_PORT, 272, 16, "key: port of the other side") \
  X_FIELD(FLOW, PROTO, 288, 8, "key: IP protocol") \
  X_FIELD(FLOW, FAMILY, 296, 1, "key: FAMILY_*") \
  X_FIELD(FLOW, RESERVED0, 297, 7, "key: zero") \
  X_FIELD(FLOW, VPORT, 304, 8, "key: the NIC (vport) the flow belongs to") \
  X_FIELD(FLOW, VALID, 312, 1, "entry in use") \
  X_FIELD(FLOW, ACTION, 313, 2, "ACTION_* applied to the flow's packets (hardware learns ALLOW)") \
  X_FIELD(FLOW, INIT_OUTBOUND, 315, 1, "1: the NIC initiated the flow (first packet outbound)") \
  X_FIELD(FLOW, TCP_OUT, 316, 3, "TCP flags seen outbound: bit 0 SYN, 1 FIN, 2 RST") \
  X_FIELD(FLOW, TCP_IN, 319, 3, "TCP flags seen inbound: bit 0 SYN, 1 FIN, 2 RST") \
  X_FIELD(FLOW, HOST_FIRST, 322, 1, "1: the flow's first packet went through the host (a host-installed entry): the initiator's packet count lacks it (aging class, AGE_CLASS); CMD_FLOW_INSERT stamps TIMESTAMP with NOW") \
  X_FIELD(FLOW, HW_COUNTED, 323, 1, "1: learned by the hardware and counted in the S5 per-NIC limit (CSR_FLOW_LIMIT): a cache entry the datapath learned in front of the DRAM tier (datapath FlowFront); its delete (aging, a management write that drops or replaces it) decrements the counter. Set by the hardware only: a management write can keep it on the same flow, never set it; the firmware refuses it in inserts") \
  X_FIELD(FLOW, RESERVED1, 324, 4, "zero") \
  X_FIELD(FLOW, GEN, 328, 8, "rule-set generation (CSR GEN) when learned") \
  X_FIELD(FLOW, RULE_ID, 336, 16, "deciding rule of the first packet (RESULT.RULE_ID)") \
  X_FIELD(FLOW, TIMESTAMP, 352, 16, "coarse time (CSR NOW) of the last packet") \
  X_FIELD(FLOW, RESERVED2, 368, 16, "zero") \
  X_FIELD(FLOW, PKTS_OUT, 384, 32, "outbound packets (wrapping)") \
  X_FIELD(FLOW, PKTS_IN, 416, 32, "inbound packets (wrapping)") \
  X_FIELD(FLOW, BYTES_OUT, 448, 32, "outbound bytes, frame lengths (wrapping)") \
  X_FIELD(FLOW, BYTES_IN, 480, 32, "inbound bytes (wrapping)")
