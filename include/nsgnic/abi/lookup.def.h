/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, lookup part: versions, table sizes and the bit layout of every lookup key and
 * result. THE source of truth (see README.md in this folder); expanded by <nsgnic/abi.h> and
 * hdl/gen/abigen.c. No include guard on purpose: it only defines list macros. */

/* ---- versions and sizes -------------------------------------------------------------- */
#define NSGNIC_ABI_LOOKUP_CONSTS(X_CONST) \
  X_CONST(ABI_VERSION_MAJOR, 1, "ABI major version; the driver refuses a device with another major") \
  X_CONST(ABI_VERSION_MINOR, 0, "ABI minor version; additions only") \
  X_CONST(RULE_ENTRIES, 4096, "rule TCAM entries (realistic configuration; tests use smaller models)") \
  X_CONST(LABEL_ENTRIES, 2048, "address-label TCAM entries") \
  X_CONST(PLATFORM_ENTRIES, 16, "platform-policy TCAM entries (S10, S11, S13)") \
  X_CONST(NSG_IDS, 1024, "NSG ids 0..NSG_IDS-1 in the rule key") \
  X_CONST(VPORTS, 256, "virtual ports (NICs) in the binding table") \
  X_CONST(CTXS, 256, "label contexts (one per VNet)") \
  X_CONST(LABEL_BITS, 64, "width of an address-label bitmap") \
  X_CONST(RULE_KEY_BITS, 256, "rule TCAM key width") \
  X_CONST(LABEL_KEY_BITS, 144, "label TCAM key width") \
  X_CONST(PLATFORM_KEY_BITS, 96, "platform TCAM key width") \
  X_CONST(RESULT_BITS, 32, "rule / platform result word width") \
  X_CONST(BINDING_BITS, 128, "binding table entry width") \
  X_CONST(LABEL_RESULT_BITS, 80, "label TCAM result width")

/* ---- fixed label bits (the compiler allocates LABEL_FIRST_FREE..LABEL_BITS-1) ---------- */
#define NSGNIC_ABI_LOOKUP_ENUMS(X_ENUM) \
  X_ENUM(LABEL, VIRTUAL_NETWORK, 0, "address is in the VirtualNetwork tag of the context's VNet (S7)") \
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
  X_ENUM(FAMILY, IPV6, 1, "IPv6")

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
  X_FIELD(RULE_KEY, RESERVED, 247, 9, "zero in keys; entries do not care") \
  X_FIELD(LABEL_KEY, ADDR, 0, 128, "address; IPv4 in bits 31:0, upper bits zero") \
  X_FIELD(LABEL_KEY, FAMILY, 128, 1, "FAMILY_IPV4 / FAMILY_IPV6") \
  X_FIELD(LABEL_KEY, CTX, 129, 8, "label context (the VNet of the NIC)") \
  X_FIELD(LABEL_KEY, BANK, 137, 1, "active table bank") \
  X_FIELD(LABEL_KEY, RESERVED, 138, 6, "zero") \
  X_FIELD(LABEL_RESULT, LABELS, 0, 64, "label bitmap") \
  X_FIELD(LABEL_RESULT, VPORT, 64, 8, "local vport owning this address (inbound target), valid when VPORT_VALID") \
  X_FIELD(LABEL_RESULT, VPORT_VALID, 72, 1, "address is a local NIC's address") \
  X_FIELD(LABEL_RESULT, RESERVED, 73, 7, "zero") \
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
  X_FIELD(BINDING, SUBNET_NSG, 0, 10, "NSG id of the subnet level") \
  X_FIELD(BINDING, SUBNET_NSG_VALID, 10, 1, "the subnet has an NSG") \
  X_FIELD(BINDING, NIC_NSG, 11, 10, "NSG id of the NIC level") \
  X_FIELD(BINDING, NIC_NSG_VALID, 21, 1, "the NIC has an NSG") \
  X_FIELD(BINDING, CTX, 22, 8, "label context (VNet) of the NIC") \
  X_FIELD(BINDING, VALID, 30, 1, "vport is configured; packets of an unconfigured vport are dropped") \
  X_FIELD(BINDING, RESERVED0, 31, 1, "zero") \
  X_FIELD(BINDING, LOCAL_LABELS, 32, 64, "labels OR-ed into the local side (ASG membership of the NIC)") \
  X_FIELD(BINDING, RESERVED1, 96, 32, "zero")
