/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, datapath CSR map (owned by the datapath; see README.md and docs/datapath.md).
 * Byte addresses on the datapath's CSR bus (32-bit registers, word aligned). No include guard on
 * purpose.
 *
 * Tables are accessed through a staging window: the firmware fills DATA / MASK / RES, then
 * writes CMD (table, op, index, valid); STATUS.BUSY is set until the operation is done (TCAM
 * writes take 2^ChunkW clocks, flow operations the pipeline latency); a READ leaves the entry in
 * the staging window. An entry is invisible to traffic while it is being written; live entries
 * are changed through the shadow bank (write entries with the inactive BANK, flip CTRL.BANK).
 * The binding table holds one entry per vport in each bank (index = DP_BIND_INDEX); a lookup
 * reads the entry of the bank the packet's keys carry, so a flip switches rules and attachments
 * together. */
#define NSGNIC_ABI_CSR_CONSTS(X_CONST) \
  X_CONST(CSR_ID, 0x000, "RO: block id, CSR_ID_VALUE") \
  X_CONST(CSR_ID_VALUE, 0x4E534744, "'NSGD'") \
  X_CONST(CSR_VERSION, 0x004, "RO: ABI_VERSION_MAJOR << 16 | ABI_VERSION_MINOR") \
  X_CONST(CSR_CAP_RULES, 0x008, "RO: rule TCAM entries of this build") \
  X_CONST(CSR_CAP_LABELS, 0x00C, "RO: label TCAM entries") \
  X_CONST(CSR_CAP_PLATFORM, 0x010, "RO: platform TCAM entries") \
  X_CONST(CSR_CAP_VPORTS, 0x014, "RO: binding table entries (vports) per bank") \
  X_CONST(CSR_CAP_FLOWS, 0x018, "RO: DP_CAP_FLOW fields: flow-cache geometry") \
  X_CONST(CSR_CAP_LPM, 0x01C, "RO: DP_CAP_LPM fields: the label stage's block-RAM trees (LEVELS 0: no trees, the label TCAM serves; ABI >= 1.4)") \
  X_CONST(CSR_CAP_LPM4_LEAVES, 0x060, "RO: leaf nodes of the IPv4 tree (0 without trees)") \
  X_CONST(CSR_CAP_LPM6_LEAVES, 0x064, "RO: leaf nodes of the IPv6 tree") \
  X_CONST(CSR_CAP_LPM4_RESULTS, 0x068, "RO: result rows of the IPv4 tree (row 0: no match)") \
  X_CONST(CSR_CAP_LPM6_RESULTS, 0x06C, "RO: result rows of the IPv6 tree") \
  X_CONST(CSR_LPM_SEL, 0x034, "RW: DP_LPM_SEL fields: level and bank of the next DP_TABLE_LPM4/LPM6 write") \
  X_CONST(CSR_CTRL, 0x020, "RW: DP_CTRL fields (active bank, learning)") \
  X_CONST(CSR_GEN, 0x024, "RW: rule-set generation stored in learned flows (bits 7:0)") \
  X_CONST(CSR_NOW, 0x028, "RO: coarse time (tick input count, bits 15:0), stored as flow TIMESTAMP") \
  X_CONST(CSR_STATUS, 0x02C, "RO: DP_STATUS fields") \
  X_CONST(CSR_CMD, 0x030, "WO: DP_CMD fields; starts a table operation when DP_STATUS.BUSY is 0") \
  X_CONST(CSR_PORT_RANGE, 0x080, "RW: port-range comparators, PORT_RANGE layout: PORT_CLASSES source words (0x080-0x08C), then PORT_CLASSES destination words (0x090-0x09C); reset LO=0xFFFF HI=0 (never matches). Not banked: change only while no entry cares about the class") \
  X_CONST(CSR_FLOW_HKEY, 0x0A0, "RW: flow-hash secret key, FLOW_HKEY_WORDS words (0x0A0-0x0CC), key bit i = bit i%32 of word i/32. Reset: word i = (i + 1) * 0x9E3779B9 mod 2^32 (public; the host replaces it at boot through CMD_FLOW_HASH_KEY). Changing it makes learned flows unreachable: the firmware empties the flow cache first") \
  X_CONST(CSR_AGE_CTRL, 0x0D0, "RW: DP_AGE_CTRL fields: the hardware aging engine (reset: off)") \
  X_CONST(CSR_AGE_TIMEOUT, 0x0D4, "RW: idle timeouts of the AGE_CLASSes, NOW units, two per word: class 2w in bits 15:0 and class 2w+1 in bits 31:16 of CSR_AGE_TIMEOUT + 4*w (0x0D4-0x0E0); a flow idle (NOW - TIMESTAMP mod 2^16) for at least its class's timeout is deleted and reported. Classes TCP_EST and REPLIED take the flow's vport's CSR_AGE_EST when that is not 0. Reset 0xFFFF") \
  X_CONST(CSR_AGE_COUNT, 0x0E4, "RO: deleted (expired) flows waiting in the aging report FIFO") \
  X_CONST(CSR_AGE_INDEX, 0x0E8, "RO: DP_AGE_INDEX fields: the flow-cache entry index or DRAM tier slot the head report's flow had (valid while AGE_COUNT > 0)") \
  X_CONST(CSR_AGE_POP, 0x0EC, "WO: any write drops the head report") \
  X_CONST(CSR_AGE_PASSES, 0x0F0, "RO: scans issued at the last position of the table (wrapping): one per pass, plus one per revisit of the last bucket; with DP_AGE_CTRL.DRAM it counts when both the cache's scan and the DRAM tier's have wrapped since its last count (so two counts span a whole pass of each)") \
  X_CONST(CSR_AGE_EST_SEL, 0x0F4, "RW: vport (bits 7:0) whose established timeout CSR_AGE_EST writes") \
  X_CONST(CSR_AGE_EST, 0x0F8, "WO: bits 15:0: the established timeout of vport CSR_AGE_EST_SEL (AGE_CLASS TCP_EST and REPLIED flows of that vport: its VNet's flowTimeoutInMinutes), NOW units; 0: CSR_AGE_TIMEOUT's class TCP_EST / REPLIED value. Not reset (a small RAM): the firmware writes every vport's at boot. Reads 0") \
  X_CONST(AGE_CLASSES, 8, "aging classes (AGE_CLASS): the engine's state of a flow, from its protocol, TCP flags, packet counts and HOST_FIRST (flow_age_class in nsgnic_flow_age_pkg / include/nsgnic/flow_age.h)") \
  X_CONST(CSR_AGE_ENTRY, 0x280, "RO: the head report's flow entry before its delete, FLOW layout, words 0..15 (0x280-0x2BC): key, TCP bits, counters (the flow log's end tuple)") \
  X_CONST(AGE_FIFO_DEPTH, 8, "aging reports the datapath holds; the engine pauses while the FIFO cannot take the scans in flight") \
  X_CONST(CSR_EXQ_COUNT, 0x040, "RO: packets in the exception queue") \
  X_CONST(CSR_EXQ_META, 0x044, "RO: EXQ_META of the head packet") \
  X_CONST(CSR_EXQ_POP, 0x048, "WO: any write drops the head packet's EXQ_META and head bytes (its park slot stays taken until EXQ_RELEASE)") \
  X_CONST(CSR_EXQ_SLOT, 0x04C, "RO: park slot holding the head packet's whole frame (valid while EXQ_COUNT > 0)") \
  X_CONST(CSR_EXQ_RELEASE, 0x050, "WO: EXQ_REL fields: forward (re-inject on m_axis) or drop the frame parked in SLOT, which frees the slot; a slot holding no parked frame: ignored, counted (CNT_EXQ_REL_BAD)") \
  X_CONST(CSR_EXQ_PARKED, 0x054, "RO: bit n = park slot n is taken (frame parked, or being written or forwarded)") \
  X_CONST(CSR_EXQ_SLOTS, 0x058, "RO: park slots of this build (= exception-queue depth, <= 32); a punted packet finding none is dropped (REASON_EXQ_FULL)") \
  X_CONST(CSR_FLOW_LIMIT, 0x070, "RW: S5 flow limit of the DRAM flow tier: flows each NIC (vport) may hold per initiator direction; a new flow of a NIC at the limit is refused (punted FLOW_FULL, counted in CNT_FLOW_LEARN_FAIL), learned flows are untouched. 0 refuses every learn. Reset FLOW_LIMIT_DEFAULT (S5), values above the tier's slots mean no limit") \
  X_CONST(CSR_DRAM_SLOT, 0x074, "RW: slot of the next DRAM tier operation (DP_CMD.DRAM) (< CSR_CAP_DRAM_FLOWS; slot = (table * buckets + bucket) * ways + way)") \
  X_CONST(CSR_DRAM_USED, 0x038, "RO: slots of the DRAM flow tier holding a flow (0 without a tier; the firmware skips emptying an empty tier)") \
  X_CONST(CSR_CAP_DRAM_WAYS, 0x078, "RO: slots per bucket of the DRAM flow tier (bits of a DP_CMD.DRAM read's RES word 0), 0: no tier") \
  X_CONST(CSR_CAP_DRAM_FLOWS, 0x07C, "RO: slots of the DRAM flow tier (flow_dram.sv: FLOW_TABLES x buckets x ways), 0: no tier (the on-chip flow cache alone)") \
  X_CONST(FLOW_LIMIT_DEFAULT, 500000, "S5: flows per NIC and direction Azure keeps (CSR_FLOW_LIMIT reset value)") \
  X_CONST(CSR_DATA, 0x100, "RW: staging DATA words 0..15 (0x100-0x13C): TCAM key value, BINDING entry, FLOW entry") \
  X_CONST(CSR_MASK, 0x140, "RW: staging MASK words 0..7 (0x140-0x15C): TCAM key mask, 1 = care") \
  X_CONST(CSR_RES, 0x160, "RW: staging RES words 0..3 (0x160-0x16C): TCAM result word (RESULT or LABEL_RESULT)") \
  X_CONST(CSR_LPM_DATA, 0x300, "RW: node word of a DP_TABLE_LPM4/LPM6 write, CSR_LPM_DATA_WORDS words (0x300-0x384), node bit i = bit i%32 of word i/32 (lpm.sv node layout; a result row: LABEL_RESULT in the low bits); bits above the tree's node width are ignored") \
  X_CONST(CSR_EXQ_DATA, 0x200, "RO: head packet's first bytes, words 0..31 (0x200-0x27C), byte 0 in bits 7:0 of word 0") \
  X_CONST(CSR_CNT, 0x400, "RW: counters, CNT_* index i at CSR_CNT + 4*i, 32-bit wrapping; a write clears") \
  X_CONST(FLOW_TABLES, 4, "flow-cache tables (hash choices): a flow may sit in its bucket of any of them, or in the stash") \
  X_CONST(FLOW_HKEY_WORDS, 12, "flow-hash key words: FLOW_KEY_BITS + FLOW_HASH_BITS - 1 = 375 key bits used") \
  X_CONST(FLOW_HASH_BITS, 64, "flow-hash output: Toeplitz hash, bit j = parity(key AND hkey[j +: FLOW_KEY_BITS]); choice t's bucket = bits 16t+BUCKETS_LOG2-1..16t") \
  X_CONST(CSR_DATA_WORDS, 16, "staging DATA words") \
  X_CONST(CSR_MASK_WORDS, 8, "staging MASK words") \
  X_CONST(CSR_RES_WORDS, 4, "staging RES words") \
  X_CONST(CSR_LPM_DATA_WORDS, 34, "CSR_LPM_DATA words: the widest node word (IPv6 tree at the ABI geometry: 1,088 bits)") \
  X_CONST(CSR_EXQ_WORDS, 32, "EXQ_DATA words (the header window: 128 bytes)") \
  X_CONST(CNT_REASON, 0, "counters 0..REASON_CODES-1: packets finished with each REASON (0: forwarded)") \
  X_CONST(CNT_RX_PKTS, 32, "packets received (both ports)") \
  X_CONST(CNT_RX_BYTES, 33, "bytes received") \
  X_CONST(CNT_FLOW_HIT, 34, "flow-cache hits") \
  X_CONST(CNT_FLOW_MISS, 35, "flow-cache misses (looked-up packets that did not hit)") \
  X_CONST(CNT_FLOW_LEARN, 36, "flows learned by the hardware") \
  X_CONST(CNT_FLOW_LEARN_FAIL, 37, "allowed first packets that found all their buckets and the stash full") \
  X_CONST(CNT_EXQ_PUSH, 38, "packets queued to the exception queue") \
  X_CONST(CNT_EXQ_FORWARDED, 39, "parked frames forwarded by EXQ_RELEASE (counted when their last beat leaves)") \
  X_CONST(CNT_EXQ_DISCARDED, 40, "parked frames dropped by EXQ_RELEASE") \
  X_CONST(CNT_EXQ_REL_BAD, 41, "EXQ_RELEASE writes ignored (slot out of range, holding no parked frame, or reserved bits set)") \
  X_CONST(CNT_FLOW_RELATED, 42, "ICMP errors forwarded as related to an allowed flow (S5; they are also flow hits)") \
  X_CONST(CNT_DRAM_ERR, 43, "clocks in which the DRAM flow tier got an AXI error response (RRESP / BRESP not OKAY, a bad ID or RLAST: an uncorrectable ECC or decode error); a lookup whose read failed is punted (FLOW_FULL) and its entry not updated, a scan keeps the flow, a management read answers an empty entry") \
  X_CONST(CNT_COUNT, 44, "number of counters")

#define NSGNIC_ABI_CSR_ENUMS(X_ENUM) \
  X_ENUM(DP_TABLE, RULE, 0, "rule TCAM: DATA/MASK = RULE_KEY value/mask, RES = RESULT") \
  X_ENUM(DP_TABLE, LABEL, 1, "label TCAM: DATA/MASK = LABEL_KEY, RES = LABEL_RESULT") \
  X_ENUM(DP_TABLE, PLATFORM, 2, "platform TCAM: DATA/MASK = PLATFORM_KEY, RES = RESULT (PLATFORM_CLASS, RULE_ID)") \
  X_ENUM(DP_TABLE, BINDING, 3, "binding table: DATA = BINDING entry; index = DP_BIND_INDEX (vport, bank)") \
  X_ENUM(DP_TABLE, FLOW, 4, "flow cache: DATA = FLOW entry; index = (table * buckets + bucket) * ways + way, then FLOW_TABLES * buckets * ways + slot for the stash; delete = write VALID 0") \
  X_ENUM(DP_TABLE, FLOW_OVF, 5, "flow-cache overflow flag of table-0 bucket `index`: READ returns it in STATUS.RVALID, WRITE sets it to CMD.VALID") \
  X_ENUM(DP_TABLE, LPM4, 6, "label stage, IPv4 tree: WRITE only; DATA = CSR_LPM_DATA, INDEX = node (LPM_SEL.LEVEL < levels) or result row (LEVEL = levels), bank = LPM_SEL.BANK; BUSY until the tree accepts it (no search in flight on that bank)") \
  X_ENUM(DP_TABLE, LPM6, 7, "label stage, IPv6 tree: as LPM4") \
  X_ENUM(AGE_CLASS, TCP_EST, 0, "TCP established: no FIN or RST, and the initiator sent no SYN (picked up) or the responder sent packets and (no SYN from it or the initiator more than one packet); the vport's CSR_AGE_EST (S5: the VNet's flow timeout)") \
  X_ENUM(AGE_CLASS, TCP_HALF_OPEN, 1, "TCP half-open: initiator SYN, no FIN or RST, and no responder packet yet (SYN_SENT) or a responder SYN and at most one initiator packet (SYN_RECV); S5: 30 s") \
  X_ENUM(AGE_CLASS, NEW, 2, "UDP and other protocols without ICMP's, no packet from the responder yet (S5: 30 s)") \
  X_ENUM(AGE_CLASS, ICMP, 3, "ICMP and ICMPv6 (S5: 30 s)") \
  X_ENUM(AGE_CLASS, TCP_CLOSING, 4, "TCP FIN from one side only, no RST (FIN_WAIT; S5: 30 s)") \
  X_ENUM(AGE_CLASS, TCP_TIME_WAIT, 5, "TCP FIN from both sides, no RST (a completed close: the last ACK is not tracked; S5: 10 s)") \
  X_ENUM(AGE_CLASS, TCP_CLOSED, 6, "TCP RST from either side (S5: 10 s)") \
  X_ENUM(AGE_CLASS, REPLIED, 7, "UDP and other protocols, the responder sent packets: the vport's CSR_AGE_EST (S5: the VNet's flow timeout)") \
  X_ENUM(DP_OP, READ, 0, "read the entry into the staging window (STATUS.RVALID = entry valid)") \
  X_ENUM(DP_OP, WRITE, 1, "write the staging window to the entry (CMD.VALID = entry takes part in lookups)")

#define NSGNIC_ABI_CSR_FIELDS(X_FIELD) \
  X_FIELD(DP_CTRL, BANK, 0, 1, "active table bank: the BANK bit of every lookup key") \
  X_FIELD(DP_CTRL, LEARN, 1, 1, "hardware flow learning on (reset: 1)") \
  X_FIELD(DP_CTRL, RESERVED, 2, 30, "zero") \
  X_FIELD(DP_AGE_CTRL, ENABLE, 0, 1, "1: the engine scans the flow cache in idle pipeline slots, deleting and reporting expired flows (and the DRAM flow tier, DRAM 1)") \
  X_FIELD(DP_AGE_CTRL, DRAM, 1, 1, "RO (writes ignored): 1: the engine also scans the DRAM flow tier (flow_dram.sv: in clocks without a tier request, at most every PACE + 1 clocks), deleting its expired flows and reporting them with DP_AGE_INDEX.DRAM") \
  X_FIELD(DP_AGE_CTRL, RESERVED0, 2, 6, "zero") \
  X_FIELD(DP_AGE_CTRL, PACE, 8, 8, "the engine issues a scan at most every PACE + 1 clocks (0: every idle clock; a simulator evaluates the bucket logic only in clocks with a scan or a request)") \
  X_FIELD(DP_AGE_CTRL, RESERVED1, 16, 16, "zero") \
  X_FIELD(DP_AGE_INDEX, INDEX, 0, 31, "the flow-cache entry index the head report's flow had, or its DRAM tier slot (DRAM 1)") \
  X_FIELD(DP_AGE_INDEX, DRAM, 31, 1, "1: the flow was in the DRAM flow tier") \
  X_FIELD(DP_STATUS, BUSY, 0, 1, "a table operation is in progress") \
  X_FIELD(DP_STATUS, RVALID, 1, 1, "last READ: the entry is valid (FLOW_OVF: the flag)") \
  X_FIELD(DP_STATUS, ERROR, 2, 1, "last CMD was rejected (index out of range or unknown table)") \
  X_FIELD(DP_STATUS, RESERVED, 3, 29, "zero") \
  X_FIELD(DP_CMD, INDEX, 0, 16, "entry index") \
  X_FIELD(DP_CMD, TABLE, 16, 3, "DP_TABLE_*") \
  X_FIELD(DP_CMD, OP, 19, 1, "DP_OP_*") \
  X_FIELD(DP_CMD, VALID, 20, 1, "WRITE: the entry's valid bit (TCAMs) / FLOW_OVF value") \
  X_FIELD(DP_CMD, DRAM, 21, 1, "with TABLE_FLOW: the op is on the DRAM flow tier's slot CSR_DRAM_SLOT, INDEX 0, in order with the packets. READ leaves the slot's entry in DATA with FLOW.VALID = the slot holds a flow (its signature valid; STATUS.RVALID the same) and RES word 0 = valid bits of the slot's bucket (bit w = way w: a scan skips empty buckets); WRITE with CMD.VALID 0 deletes the slot: DATA must hold the entry READ returned (its VPORT and INIT_OUTBOUND name the S5 counter that drops), STATUS.RVALID = it held a flow, DATA = its entry at the delete (final counters). WRITE with VALID 1, a slot beyond CSR_CAP_DRAM_FLOWS, no tier or another TABLE: STATUS.ERROR") \
  X_FIELD(DP_CMD, RESERVED, 22, 10, "zero") \
  X_FIELD(DP_LPM_SEL, LEVEL, 0, 4, "tree level of the node (0 = root), or the level count: the result table") \
  X_FIELD(DP_LPM_SEL, BANK, 4, 1, "bank written (the firmware writes the inactive one)") \
  X_FIELD(DP_LPM_SEL, RESERVED, 5, 27, "zero") \
  X_FIELD(DP_CAP_LPM, LEVELS, 0, 4, "tree levels (search latency 2 * LEVELS + 2 clocks); 0: the label stage is the label TCAM") \
  X_FIELD(DP_CAP_LPM, FANOUT, 4, 5, "children per node (4..16)") \
  X_FIELD(DP_CAP_LPM, CTX_BITS, 9, 5, "context bits above the address in a tree key") \
  X_FIELD(DP_CAP_LPM, LABEL_CTX, 14, 1, "1: per-vport label contexts (CAP_LABEL_CTX): rows are LPM_ROW, the label TCAM is the local-address table") \
  X_FIELD(DP_CAP_LPM, RESERVED, 15, 17, "zero") \
  X_FIELD(DP_BIND_INDEX, VPORT, 0, 8, "DP_CMD.INDEX of a binding operation: the vport (< CSR_CAP_VPORTS)") \
  X_FIELD(DP_BIND_INDEX, BANK, 8, 1, "the bank of the entry; lookups read the bank of CTRL.BANK sampled with the packet") \
  X_FIELD(DP_BIND_INDEX, RESERVED, 9, 7, "zero (else STATUS.ERROR)") \
  X_FIELD(DP_CAP_FLOW, BUCKETS_LOG2, 0, 8, "log2 of buckets per table (FLOW_TABLES tables)") \
  X_FIELD(DP_CAP_FLOW, WAYS, 8, 8, "ways per bucket") \
  X_FIELD(DP_CAP_FLOW, STASH, 16, 8, "stash slots (entries after the tables'); flow entries = FLOW_TABLES * 2^BUCKETS_LOG2 * WAYS + STASH") \
  X_FIELD(DP_CAP_FLOW, RESERVED, 24, 8, "zero") \
  X_FIELD(EXQ_META, LEN, 0, 16, "frame length in bytes") \
  X_FIELD(EXQ_META, REASON, 16, 5, "REASON_* of the exception") \
  X_FIELD(EXQ_META, RESERVED, 21, 2, "zero") \
  X_FIELD(EXQ_META, PORT, 23, 9, "PORT the packet came from") \
  X_FIELD(EXQ_REL, SLOT, 0, 8, "park slot (< CSR_EXQ_SLOTS)") \
  X_FIELD(EXQ_REL, PORT, 8, 9, "FORWARD: PORT the frame leaves on (m_axis tuser)") \
  X_FIELD(EXQ_REL, FORWARD, 17, 1, "1: forward the frame on m_axis; 0: drop it") \
  X_FIELD(EXQ_REL, RESERVED, 18, 14, "zero")
