/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, host part: the BAR0 host window, the mailbox (command and completion rings), the
 * event ring, command/completion/event layouts and codes (owned by the SoC/firmware; see
 * README.md and docs/firmware.md for the protocol). No include guard on purpose.
 *
 * The host window is HOSTWIN_BYTES of BAR0. The firmware sees the same bytes at
 * (SOC_REGION_EXT << SOC_REGION_SHIFT) + HOSTWIN_FW_OFFSET. Offsets 0x000-0x03F are hardware
 * registers; everything above is plain shared RAM in which every word has one writer (HOSTREG
 * docs say which): firmware-written status words, host-written ring indices, and the rings.
 * Rings: SLOT_BYTES slots, power-of-two slot counts, free-running 32-bit producer/consumer
 * indices (slot = index & (slots - 1); used = head - tail, never more than slots).
 * Payload layouts (P_* groups) give bit offsets from the first payload word (slot word 2);
 * their LSBs are multiples of 32 where a field is a whole number of words. */
#define NSGNIC_ABI_HOST_CONSTS(X_CONST) \
  X_CONST(HOST_MAGIC, 0x4E53474E, "HOSTREG_MAGIC and HOSTREG_FW_MAGIC value (\"NSGN\")") \
  X_CONST(HOSTWIN_BYTES, 0x8000, "host window size in bytes (BAR0 is at least this big)") \
  X_CONST(HOSTWIN_FW_OFFSET, 0x08000000, "host window offset in the SoC EXT region: firmware address 0x4800_0000") \
  X_CONST(DP_CSR_FW_OFFSET, 0x0, "datapath CSR bus offset in the SoC EXT region: firmware address 0x4000_0000 + CSR_*") \
  X_CONST(MBOX_VERSION, 1, "command/completion/event header VERSION this firmware speaks") \
  X_CONST(SLOT_BYTES, 128, "bytes per ring slot (command, completion and event rings alike)") \
  X_CONST(SLOT_WORDS, 32, "32-bit words per ring slot") \
  X_CONST(MSG_HDR_WORDS, 2, "header words of every slot: word 0 = *_HDR fields, word 1 = tag / sequence") \
  X_CONST(MSG_PAYLOAD_WORDS, 30, "maximum payload words per slot (SLOT_WORDS - MSG_HDR_WORDS)") \
  X_CONST(CMD_RING_OFFSET, 0x1000, "command ring: host window offset of slot 0") \
  X_CONST(CMD_RING_SLOTS, 32, "command ring slots (power of two)") \
  X_CONST(CPL_RING_OFFSET, 0x2000, "completion ring: host window offset of slot 0") \
  X_CONST(CPL_RING_SLOTS, 32, "completion ring slots (power of two)") \
  X_CONST(EVT_RING_OFFSET, 0x3000, "event ring: host window offset of slot 0") \
  X_CONST(EVT_RING_SLOTS, 128, "event ring slots (power of two)") \
  X_CONST(COUNTERS_PER_READ, 14, "most 64-bit counters one CMD_COUNTERS_READ returns") \
  X_CONST(FW_COUNTERS, 17, "number of firmware counters (FWCNT_* ids 0..FW_COUNTERS-1)") \
  X_CONST(DRAM_SCAN_BUCKETS, 64, "buckets CMD_DRAM_FLOW_NEXT examines at most (bounds the mailbox delay)") \
  X_CONST(FLOW_SCAN_SLOTS, 256, "flow-cache slots CMD_FLOW_NEXT examines at most (bounds the mailbox delay)") \
  X_CONST(EXC_HEAD_BYTES, 112, "packet head bytes an EVT_EXCEPTION carries at most") \
  X_CONST(EXC_PARK_TIMEOUT, 200000, "timer ticks (clock cycles) a parked exception waits for CMD_EXC_RELEASE before the firmware drops it (FWCNT_EXC_EXPIRED)") \
  X_CONST(HEARTBEAT_TICKS, 1000, "timer ticks (clock cycles) between HOSTREG_HEARTBEAT increments")

#define NSGNIC_ABI_HOST_ENUMS(X_ENUM) \
  X_ENUM(HOSTREG, MAGIC, 0x000, "hw, RO: HOST_MAGIC; the driver checks it first") \
  X_ENUM(HOSTREG, HW_VERSION, 0x004, "hw, RO: ABI version of the hardware (major << 16 | minor)") \
  X_ENUM(HOSTREG, HW_BUILD, 0x008, "hw, RO: build hash of the HDL (first 8 hex digits of the commit)") \
  X_ENUM(HOSTREG, HW_CAPS, 0x00c, "hw, RO: hardware capability bits (CAP_*)") \
  X_ENUM(HOSTREG, CTRL, 0x010, "hw, host RW: CTRL fields (CPU run, soft reset); firmware RO") \
  X_ENUM(HOSTREG, CMD_DOORBELL, 0x014, "hw: a host write (any value) after advancing CMD_HEAD sets PENDING.CMD") \
  X_ENUM(HOSTREG, PENDING, 0x018, "hw, firmware RW1C: PENDING fields (doorbells seen since last cleared)") \
  X_ENUM(HOSTREG, HOST_DOORBELL, 0x01c, "hw: a firmware write of bit n sets bit n of IRQ_STATUS (host interrupt)") \
  X_ENUM(HOSTREG, IRQ_STATUS, 0x020, "hw, host RW1C: IRQ fields raised by the firmware") \
  X_ENUM(HOSTREG, WINDOW_BYTES, 0x024, "hw, RO: HOSTWIN_BYTES of this device") \
  X_ENUM(HOSTREG, FW_LOAD_ADDR, 0x028, "hw, host RW: CPU address the next FW_LOAD_DATA access goes to (only while CTRL.CPU_RUN is 0)") \
  X_ENUM(HOSTREG, FW_LOAD_DATA, 0x02c, "hw, host RW: reads/writes the CPU RAM word at FW_LOAD_ADDR, then FW_LOAD_ADDR += 4") \
  X_ENUM(HOSTREG, TIME_CTRL, 0x030, "hw, host RW: TIME_CTRL fields (where the datapath's NOW tick comes from)") \
  X_ENUM(HOSTREG, TIME_TICK, 0x034, "hw, host WO: with TIME_CTRL.EXTERNAL, a write of n (1..65535) advances the datapath's NOW by n ticks (injectable time: replays, tests)") \
  X_ENUM(HOSTREG, FW_MAGIC, 0x040, "fw: HOST_MAGIC once the firmware words below are valid (written last at boot, 0 first)") \
  X_ENUM(HOSTREG, FW_VERSION, 0x044, "fw: ABI version the firmware was built with (major << 16 | minor)") \
  X_ENUM(HOSTREG, FW_BUILD, 0x048, "fw: firmware build hash") \
  X_ENUM(HOSTREG, FW_CAPS, 0x04c, "fw: capability bits (CAP_*)") \
  X_ENUM(HOSTREG, FW_STATE, 0x050, "fw: FW_STATE_*") \
  X_ENUM(HOSTREG, SELFTEST, 0x054, "fw: bit n set = boot self-test step SELFTEST_n failed (0 = passed)") \
  X_ENUM(HOSTREG, HEARTBEAT, 0x058, "fw: +1 every HEARTBEAT_TICKS while the main loop runs (watchdog: the host checks it moves)") \
  X_ENUM(HOSTREG, TABLE_VERSION, 0x05c, "fw: table version of the last CMD_COMMIT (0 after boot)") \
  X_ENUM(HOSTREG, ACTIVE_BANK, 0x060, "fw: bank the datapath looks up (0 after boot)") \
  X_ENUM(HOSTREG, CMD_BASE, 0x064, "fw: command ring offset in the window (CMD_RING_OFFSET)") \
  X_ENUM(HOSTREG, CMD_SLOTS, 0x068, "fw: command ring slots") \
  X_ENUM(HOSTREG, CPL_BASE, 0x06c, "fw: completion ring offset") \
  X_ENUM(HOSTREG, CPL_SLOTS, 0x070, "fw: completion ring slots") \
  X_ENUM(HOSTREG, EVT_BASE, 0x074, "fw: event ring offset") \
  X_ENUM(HOSTREG, EVT_SLOTS, 0x078, "fw: event ring slots") \
  X_ENUM(HOSTREG, CMD_TAIL, 0x080, "fw: command ring consumer index (commands taken)") \
  X_ENUM(HOSTREG, CPL_HEAD, 0x084, "fw: completion ring producer index (completions posted)") \
  X_ENUM(HOSTREG, EVT_HEAD, 0x088, "fw: event ring producer index (events posted)") \
  X_ENUM(HOSTREG, EVT_LOST, 0x08c, "fw: events dropped because the event ring was full") \
  X_ENUM(HOSTREG, LAST_ERROR, 0x090, "fw: LAST_ERROR fields of the last command that failed") \
  X_ENUM(HOSTREG, CMD_HEAD, 0x100, "host: command ring producer index; zero it before CTRL.CPU_RUN") \
  X_ENUM(HOSTREG, CPL_TAIL, 0x104, "host: completion ring consumer index; zero it before CTRL.CPU_RUN") \
  X_ENUM(HOSTREG, EVT_TAIL, 0x108, "host: event ring consumer index; zero it before CTRL.CPU_RUN") \
  X_ENUM(HOSTREG, SCRATCH, 0x1fc, "fw: scratch word of the boot self-test (contents undefined)") \
  X_ENUM(FW_STATE, BOOT, 0, "booting or held in reset (FW_MAGIC not yet valid)") \
  X_ENUM(FW_STATE, READY, 1, "self-test passed, serving the mailbox") \
  X_ENUM(FW_STATE, FAILED, 2, "self-test failed: only GET_CAPS, COUNTERS_READ and ECHO are served, the rest get STATUS_NOT_READY") \
  X_ENUM(SELFTEST, RAM, 0, "data RAM march test") \
  X_ENUM(SELFTEST, WINDOW, 1, "host window scratch word write/read-back") \
  X_ENUM(SELFTEST, TCAM, 2, "write/read-back/clear of the last entry of each TCAM (invalid, so never matches)") \
  X_ENUM(SELFTEST, SIZES, 3, "HAL table sizes are non-zero and within the ABI maxima") \
  X_ENUM(CAP, TCAM_RULE, 0, "rule TCAM (TABLE_RULE)") \
  X_ENUM(CAP, TCAM_LABEL, 1, "label TCAM (TABLE_LABEL)") \
  X_ENUM(CAP, TCAM_PLATFORM, 2, "platform TCAM (TABLE_PLATFORM)") \
  X_ENUM(CAP, BANKED_COMMIT, 3, "atomic commit by bank flip (CMD_COMMIT)") \
  X_ENUM(CAP, FLOWS, 4, "flow cache commands (CMD_FLOW_*)") \
  X_ENUM(CAP, AGING, 5, "aging scan with EVT_IDLE_FLOW reports") \
  X_ENUM(CAP, EXCEPTIONS, 6, "exception forwarding (EVT_EXCEPTION)") \
  X_ENUM(CAP, COUNTERS, 7, "counters (CMD_COUNTERS_READ)") \
  X_ENUM(CAP, PORT_RANGES, 8, "port-range comparators (CMD_PORT_RANGE_*; P_CAPS.PORT_CLASSES per field)") \
  X_ENUM(CAP, EXC_PARK, 9, "punted packets stay parked in the device until CMD_EXC_RELEASE forwards or drops them (re-injection without copying the frame back)") \
  X_ENUM(CAP, EXT_TIME, 10, "host-driven time: HOSTREG_TIME_CTRL / TIME_TICK") \
  X_ENUM(CAP, BANKED_BINDING, 11, "binding entries are banked like the TCAMs: attachment changes become visible at CMD_COMMIT (BIND_FLAG_*)") \
  X_ENUM(CAP, FLOW_HASH_KEY, 12, "the flow hash takes a secret key (CMD_FLOW_HASH_KEY)") \
  X_ENUM(CAP, HW_AGING, 13, "hardware aging engine: per-class idle timeouts (CMD_AGING_HW), the device deletes expired flows itself and reports them (EVT_FLOW_EXPIRED)") \
  X_ENUM(CAP, LABEL_LPM, 14, "the label stage is block-RAM trees (CMD_LPM_WRITE, geometry in P_CAPS.LPM_*): the host sends tree nodes and result rows, the label TCAM is absent (LABEL_ENTRIES 0)") \
  X_ENUM(CAP, FLOW_LIMIT, 15, "DRAM flow tier with the S5 per-NIC flow limit (CMD_FLOW_LIMIT; P_CAPS.DRAM_FLOW_ENTRIES slots)") \
  X_ENUM(CAP, LABEL_CTX, 16, "with CAP_LABEL_LPM: per-vport label contexts: the trees are keyed by BINDING.LABEL_CTX, result rows are LPM_ROW (one label vector per NSG level), and the label TCAM (TABLE_LABEL, P_CAPS label entries) is the local-address table: {scope CTX, FAMILY, ADDR} host entries whose LABEL_RESULT.VPORT gives an inbound packet its vport") \
  X_ENUM(CAP, AGING_DRAM, 17, "with CAP_HW_AGING: the engine ages the DRAM flow tier too (CMD_AGING_HW covers every hardware flow; EVT_FLOW_EXPIRED INDEX of a DRAM flow is P_CAPS FLOW_ENTRIES + its slot, the unified numbering of CMD_FLOW_READ / DELETE)") \
  X_ENUM(CMD, ECHO, 1, "returns its payload unchanged (liveness and ring test)") \
  X_ENUM(CMD, GET_CAPS, 2, "request: empty; completion: P_CAPS") \
  X_ENUM(CMD, TCAM_WRITE, 3, "request: P_TCAM (21 words); completion: empty") \
  X_ENUM(CMD, TCAM_READ, 4, "request: P_TSEL (2 words); completion: P_TCAM") \
  X_ENUM(CMD, BIND_WRITE, 5, "request: P_BIND (5 words): writes the inactive bank's entry (visible from the next COMMIT), with BIND_FLAG_LIVE both banks at once; completion: empty") \
  X_ENUM(CMD, BIND_READ, 6, "request: P_BIND VPORT word (1 word: VPORT, FLAGS); completion: P_BIND, the active bank's entry (BIND_FLAG_SHADOW: the inactive bank's)") \
  X_ENUM(CMD, COMMIT, 7, "request: P_COMMIT (2 words); flips the bank, then copies each binding entry written since the last COMMIT from the new active bank to the new inactive one; completion: P_COMMIT with the new version and bank") \
  X_ENUM(CMD, FLOW_INSERT, 8, "request: P_FLOW (17 words, INDEX 0, FLOW.VALID 1); completion: P_FLOW INDEX word (1 word)") \
  X_ENUM(CMD, FLOW_DELETE, 9, "request: P_FLOW INDEX + the first 10 ENTRY words (11 words); deletes only if the entry still holds that key") \
  X_ENUM(CMD, FLOW_READ, 10, "request: P_FLOW INDEX (1 word); completion: P_FLOW") \
  X_ENUM(CMD, COUNTERS_READ, 11, "request: P_CNT (2 words); completion: P_CNT + COUNT 64-bit values (low word first)") \
  X_ENUM(CMD, AGING_START, 12, "request: P_AGING (3 words); (re)starts the scan at flow 0") \
  X_ENUM(CMD, AGING_STOP, 13, "request: empty; stops the scan") \
  X_ENUM(CMD, PORT_RANGE_WRITE, 14, "request: P_PRANGE (2 words); completion: empty") \
  X_ENUM(CMD, PORT_RANGE_READ, 15, "request: P_PRANGE word 0 (1 word); completion: P_PRANGE") \
  X_ENUM(CMD, FLOW_HASH_KEY, 17, "request: P_HKEY (12 words): deletes every flow of the cache, then sets the flow hash's secret key (CSR_FLOW_HKEY); completion: empty. The host sends a key from the OS's random source at boot") \
  X_ENUM(CMD, AGING_HW, 18, "request: P_AGEHW (5 words): configures and starts (ENABLE 1) or stops the hardware aging engine; completion: P_SCAN (3 words) whose PASS is the engine's pass count now (CSR_AGE_PASSES): EVT_SCAN_DONE then reports PASS = the count when every report of the passes up to it was posted, so a host waiting for PASS >= that + 2 has seen a whole pass begun after the command") \
  X_ENUM(CMD, LPM_WRITE, 19, "request: P_LPMW (2 + COUNT words): stages COUNT words of one node word (or result row) of a label-stage tree at OFFSET; with LPM_FLAG_LAST writes it into the inactive bank (the trees cannot be read back: after COMMIT flips them with the other tables, the host sends the same writes again, which then land in the old bank); completion: empty") \
  X_ENUM(CMD, AGING_EST, 20, "request: 1..MSG_PAYLOAD_WORDS P_AGEEST words: per-vport established timeouts of the hardware aging engine (S5: the VNet's flowTimeoutInMinutes; every vport's is 0 after boot); completion: empty") \
  X_ENUM(CMD, FLOW_LIMIT, 21, "request: P_FLIMIT (1 word): sets the S5 per-NIC, per-direction flow limit of the DRAM flow tier (CSR_FLOW_LIMIT); completion: P_FLIMIT, the limit now. Needs CAP_FLOW_LIMIT") \
  X_ENUM(CMD, DRAM_FLOW_NEXT, 22, "request: P_DFLOW SLOT (1 word); completion: P_DFLOW (18 words): the first slot >= SLOT of the DRAM flow tier holding a flow (ENTRY.VALID 1), or, after DRAM_SCAN_BUCKETS buckets without one or at the end, ENTRY.VALID 0 with SLOT = where to go on (= P_CAPS.DRAM_FLOW_ENTRIES at the end). Needs CAP_FLOW_LIMIT") \
  X_ENUM(CMD, DRAM_FLOW_DELETE, 23, "request: P_DFLOW SLOT + the first 10 ENTRY words (12 words, NEXT ignored); deletes the slot's flow only if it still holds that key (else NOT_FOUND), in order with the packets; completion: P_DFLOW (18 words), ENTRY = the flow at its delete (final counters) ") \
  X_ENUM(CMD, FLOW_NEXT, 24, "request: P_FLOW INDEX (1 word); completion: P_FLOW (17 words): the first flow-cache slot >= INDEX holding a flow (ENTRY.VALID 1), or, after FLOW_SCAN_SLOTS slots without one or at the end, ENTRY all 0 with INDEX = where to go on (= P_CAPS.FLOW_ENTRIES at the end); INDEX > FLOW_ENTRIES: BAD_INDEX. The host's listing of the cache: one command per flow or per FLOW_SCAN_SLOTS empty slots, not one per slot (FLOW_READ)") \
  X_ENUM(CMD, EXC_RELEASE, 16, "request: P_XREL (2 words); completion: empty; STATUS_NOT_FOUND when no parked packet has that TOKEN (released, expired or never parked)") \
  X_ENUM(STATUS, OK, 0, "done") \
  X_ENUM(STATUS, BAD_VERSION, 1, "header VERSION is not MBOX_VERSION") \
  X_ENUM(STATUS, BAD_OPCODE, 2, "unknown OPCODE") \
  X_ENUM(STATUS, BAD_LENGTH, 3, "LEN is not what the opcode takes") \
  X_ENUM(STATUS, BAD_FLAGS, 4, "FLAGS or a flags field has an unknown bit") \
  X_ENUM(STATUS, BAD_TABLE, 5, "unknown table") \
  X_ENUM(STATUS, BAD_INDEX, 6, "index outside the table") \
  X_ENUM(STATUS, BAD_FIELD, 7, "a reserved bit is set, a value bit is set outside its mask, or a field is out of range") \
  X_ENUM(STATUS, LIVE_ENTRY, 8, "the write would change an entry the active bank looks up (set TCAM_FLAG_LIVE to force)") \
  X_ENUM(STATUS, STALE_VERSION, 9, "COMMIT BASE_VERSION is not the current table version") \
  X_ENUM(STATUS, NOT_FOUND, 10, "no such flow (empty slot or another key)") \
  X_ENUM(STATUS, EXISTS, 11, "the flow is already in the cache") \
  X_ENUM(STATUS, TABLE_FULL, 12, "no free flow slot") \
  X_ENUM(STATUS, HW_ERROR, 13, "the datapath reported an error or timed out") \
  X_ENUM(STATUS, NOT_READY, 14, "self-test failed (FW_STATE_FAILED)") \
  X_ENUM(STATUS, UNSUPPORTED, 15, "the device lacks what the command needs (see the CAP_* bits)") \
  X_ENUM(TABLE, RULE, 0, "rule TCAM: key RULE_KEY, result RESULT") \
  X_ENUM(TABLE, LABEL, 1, "label TCAM: key LABEL_KEY, result LABEL_RESULT") \
  X_ENUM(TABLE, PLATFORM, 2, "platform TCAM: key PLATFORM_KEY, result RESULT") \
  X_ENUM(LPM_FLAG, LAST, 0, "bit 0 of P_LPMW.FLAGS: the chunk completes the node word: write it") \
  X_ENUM(TCAM_FLAG, VALID, 0, "bit 0: the entry takes part in lookups") \
  X_ENUM(TCAM_FLAG, LIVE, 1, "bit 1: allow changing an entry the active bank looks up (not atomic); also P_PRANGE.FLAGS") \
  X_ENUM(BIND_FLAG, LIVE, 1, "bit 1 of P_BIND.FLAGS, BIND_WRITE: write both banks now (visible at once, not atomic with a COMMIT)") \
  X_ENUM(BIND_FLAG, SHADOW, 2, "bit 2 of P_BIND.FLAGS, BIND_READ: read the inactive bank's entry (what the next COMMIT activates)") \
  X_ENUM(CNT_BLOCK, FW, 0, "firmware counters (FWCNT_*)") \
  X_ENUM(CNT_BLOCK, DP, 1, "datapath counters (numbered by the datapath CSR map)") \
  X_ENUM(FWCNT, CMD_OK, 0, "commands completed with STATUS_OK") \
  X_ENUM(FWCNT, CMD_ERR, 1, "commands completed with an error status") \
  X_ENUM(FWCNT, TCAM_WRITES, 2, "TCAM entries written") \
  X_ENUM(FWCNT, COMMITS, 3, "commits (bank flips)") \
  X_ENUM(FWCNT, FLOW_INSERTS, 4, "flows inserted by command") \
  X_ENUM(FWCNT, FLOW_DELETES, 5, "flows deleted by command") \
  X_ENUM(FWCNT, EVENTS, 6, "events posted") \
  X_ENUM(FWCNT, EVT_LOST, 7, "events dropped (event ring full)") \
  X_ENUM(FWCNT, EXCEPTIONS, 8, "exceptions forwarded") \
  X_ENUM(FWCNT, IDLE_REPORTS, 9, "idle-flow reports posted") \
  X_ENUM(FWCNT, SCAN_PASSES, 10, "aging passes completed") \
  X_ENUM(FWCNT, FLOWS_SCANNED, 11, "flow entries examined by the aging scan") \
  X_ENUM(FWCNT, RING_ERRORS, 12, "host ring indices found out of range (ignored, EVT_FW_ERROR posted)") \
  X_ENUM(FWCNT, HW_ERRORS, 13, "datapath operations that failed") \
  X_ENUM(FWCNT, EXC_FORWARDED, 14, "parked exceptions forwarded by CMD_EXC_RELEASE (re-injected)") \
  X_ENUM(FWCNT, EXC_DROPPED, 15, "parked exceptions dropped by CMD_EXC_RELEASE") \
  X_ENUM(FWCNT, EXC_EXPIRED, 16, "parked exceptions dropped after EXC_PARK_TIMEOUT without a release") \
  X_ENUM(EVT, IDLE_FLOW, 1, "a flow idle for at least the aging threshold: P_IDLE") \
  X_ENUM(EVT, EXCEPTION, 2, "a packet the datapath punted: P_EXC") \
  X_ENUM(EVT, SCAN_DONE, 3, "an aging pass finished: P_SCAN") \
  X_ENUM(EVT, FLOW_EXPIRED, 5, "the hardware aging engine deleted a flow idle past its class's timeout: P_IDLE (INDEX: the slot it had, IDLE: NOW - TIMESTAMP when the firmware took the report, ENTRY: the flow before the delete)") \
  X_ENUM(EVT, FW_ERROR, 4, "the firmware met a protocol error: P_FWERR") \
  X_ENUM(FWERR, CMD_HEAD, 1, "CMD_HEAD - CMD_TAIL exceeds the ring size (commands ignored until fixed)") \
  X_ENUM(FWERR, CPL_TAIL, 2, "CPL_HEAD - CPL_TAIL exceeds the ring size (ring treated as full)") \
  X_ENUM(FWERR, EVT_TAIL, 3, "EVT_HEAD - EVT_TAIL exceeds the ring size (ring treated as full)")

#define NSGNIC_ABI_HOST_FIELDS(X_FIELD) \
  X_FIELD(CTRL, CPU_RUN, 0, 1, "1 = CPU runs; 0 = CPU held in reset (firmware can be loaded)") \
  X_FIELD(CTRL, SOFT_RESET, 1, 1, "write 1: reset the datapath tables and flow cache (self-clearing: reads 1 until the flow cache is clear)") \
  X_FIELD(CTRL, LEARN_OFF, 2, 1, "1 = the datapath learns no flows whatever DP_CTRL.LEARN says (IP flow verify: every query is a new flow)") \
  X_FIELD(CTRL, RESERVED, 3, 29, "zero") \
  X_FIELD(TIME_CTRL, EXTERNAL, 0, 1, "1 = NOW advances only by TIME_TICK writes; 0 (reset) = every TickCycles clocks") \
  X_FIELD(TIME_CTRL, RESERVED, 1, 31, "zero") \
  X_FIELD(PENDING, CMD, 0, 1, "CMD_DOORBELL written") \
  X_FIELD(PENDING, RESERVED, 1, 31, "zero") \
  X_FIELD(IRQ, CPL, 0, 1, "completions posted") \
  X_FIELD(IRQ, EVT, 1, 1, "events posted") \
  X_FIELD(IRQ, RESERVED, 2, 30, "zero") \
  X_FIELD(LAST_ERROR, STATUS, 0, 8, "STATUS_* of the failed command") \
  X_FIELD(LAST_ERROR, OPCODE, 8, 8, "its OPCODE") \
  X_FIELD(LAST_ERROR, SLOT, 16, 16, "its command ring index (low 16 bits)") \
  X_FIELD(CMD_HDR, OPCODE, 0, 8, "CMD_*") \
  X_FIELD(CMD_HDR, VERSION, 8, 8, "MBOX_VERSION") \
  X_FIELD(CMD_HDR, LEN, 16, 8, "payload words (0..MSG_PAYLOAD_WORDS)") \
  X_FIELD(CMD_HDR, FLAGS, 24, 8, "zero (reserved)") \
  X_FIELD(CPL_HDR, OPCODE, 0, 8, "OPCODE of the command") \
  X_FIELD(CPL_HDR, VERSION, 8, 8, "MBOX_VERSION") \
  X_FIELD(CPL_HDR, LEN, 16, 8, "payload words") \
  X_FIELD(CPL_HDR, STATUS, 24, 8, "STATUS_*; an error completion has LEN 0") \
  X_FIELD(EVT_HDR, CODE, 0, 8, "EVT_*") \
  X_FIELD(EVT_HDR, VERSION, 8, 8, "MBOX_VERSION") \
  X_FIELD(EVT_HDR, LEN, 16, 8, "payload words") \
  X_FIELD(EVT_HDR, RESERVED, 24, 8, "zero") \
  X_FIELD(P_CAPS, ABI_VERSION, 0, 32, "ABI major << 16 | minor") \
  X_FIELD(P_CAPS, MBOX_VERSION, 32, 32, "MBOX_VERSION") \
  X_FIELD(P_CAPS, FW_BUILD, 64, 32, "firmware build hash") \
  X_FIELD(P_CAPS, CAPS, 96, 32, "CAP_* bits") \
  X_FIELD(P_CAPS, RULE_ENTRIES, 128, 32, "rule TCAM entries of this device") \
  X_FIELD(P_CAPS, LABEL_ENTRIES, 160, 32, "label TCAM entries") \
  X_FIELD(P_CAPS, PLATFORM_ENTRIES, 192, 32, "platform TCAM entries") \
  X_FIELD(P_CAPS, VPORTS, 224, 32, "binding table entries") \
  X_FIELD(P_CAPS, FLOW_ENTRIES, 256, 32, "flow cache entries") \
  X_FIELD(P_CAPS, FW_COUNTERS, 288, 32, "CNT_BLOCK_FW counters") \
  X_FIELD(P_CAPS, DP_COUNTERS, 320, 32, "CNT_BLOCK_DP counters") \
  X_FIELD(P_CAPS, TABLE_VERSION, 352, 32, "current table version") \
  X_FIELD(P_CAPS, ACTIVE_BANK, 384, 32, "current active bank") \
  X_FIELD(P_CAPS, PORT_CLASSES, 416, 32, "port-range comparators per field (0: none)") \
  X_FIELD(P_CAPS, LPM_LEVELS, 448, 32, "label-stage tree levels (0: no trees; CAP_LABEL_LPM)") \
  X_FIELD(P_CAPS, LPM_FANOUT, 480, 32, "label-stage tree fanout") \
  X_FIELD(P_CAPS, LPM_CTX_BITS, 512, 32, "label-stage context bits") \
  X_FIELD(P_CAPS, LPM4_LEAF_NODES, 544, 32, "IPv4 tree leaf nodes") \
  X_FIELD(P_CAPS, LPM6_LEAF_NODES, 576, 32, "IPv6 tree leaf nodes") \
  X_FIELD(P_CAPS, LPM4_RESULTS, 608, 32, "IPv4 tree result rows") \
  X_FIELD(P_CAPS, LPM6_RESULTS, 640, 32, "IPv6 tree result rows") \
  X_FIELD(P_CAPS, DRAM_FLOW_ENTRIES, 672, 32, "slots of the DRAM flow tier (0: none; older firmware omits the word)") \
  X_FIELD(P_TCAM, TABLE, 0, 8, "TABLE_*") \
  X_FIELD(P_TCAM, FLAGS, 8, 8, "TCAM_FLAG_* bits") \
  X_FIELD(P_TCAM, RESERVED, 16, 16, "zero") \
  X_FIELD(P_TCAM, INDEX, 32, 32, "entry index (lowest index wins)") \
  X_FIELD(P_TCAM, KEY, 64, 256, "value bits (table's key layout, zero above its width and where MASK is 0)") \
  X_FIELD(P_TCAM, MASK, 320, 256, "1 = care (zero above the key width)") \
  X_FIELD(P_TCAM, RESULT, 576, 96, "result (table's result layout, zero above its width)") \
  X_FIELD(P_TSEL, TABLE, 0, 8, "TABLE_*") \
  X_FIELD(P_TSEL, RESERVED, 8, 24, "zero") \
  X_FIELD(P_TSEL, INDEX, 32, 32, "entry index") \
  X_FIELD(P_LPMW, INDEX, 0, 16, "node index in its level, or result row") \
  X_FIELD(P_LPMW, LEVEL, 16, 4, "tree level (0 = root), or P_CAPS.LPM_LEVELS: the result table") \
  X_FIELD(P_LPMW, FAMILY, 20, 1, "FAMILY_IPV4 / FAMILY_IPV6: the tree") \
  X_FIELD(P_LPMW, FLAGS, 21, 3, "LPM_FLAG_* bits") \
  X_FIELD(P_LPMW, RESERVED0, 24, 8, "zero") \
  X_FIELD(P_LPMW, OFFSET, 32, 8, "first node-word word of this chunk (chunks of one node go in order from 0, each starting where the last ended)") \
  X_FIELD(P_LPMW, COUNT, 40, 8, "words in this chunk, 1..28") \
  X_FIELD(P_LPMW, RESERVED1, 48, 16, "zero") \
  X_FIELD(P_LPMW, DATA, 64, 896, "the chunk's words (node bit i = bit i%32 of word i/32, as CSR_LPM_DATA)") \
  X_FIELD(P_BIND, VPORT, 0, 16, "vport (binding table index)") \
  X_FIELD(P_BIND, FLAGS, 16, 8, "BIND_FLAG_* bits (0: BIND_WRITE writes the inactive bank, BIND_READ reads the active one)") \
  X_FIELD(P_BIND, RESERVED, 24, 8, "zero") \
  X_FIELD(P_BIND, ENTRY, 32, 128, "BINDING layout") \
  X_FIELD(P_COMMIT, BASE_VERSION, 0, 32, "request: must equal the current table version; completion: the new version") \
  X_FIELD(P_COMMIT, NEW_VERSION, 32, 32, "request: version to publish (differs from BASE_VERSION); completion: the new active bank") \
  X_FIELD(P_FLOW, INDEX, 0, 32, "flow cache slot") \
  X_FIELD(P_FLOW, ENTRY, 32, 512, "flow-cache entry, FLOW layout (key = its first FLOW_KEY_BITS bits)") \
  X_FIELD(P_HKEY, KEY, 0, 384, "flow-hash key, CSR_FLOW_HKEY layout (any value; the host draws it from getrandom())") \
  X_FIELD(P_DFLOW, SLOT, 0, 32, "DRAM flow tier slot (< P_CAPS.DRAM_FLOW_ENTRIES)") \
  X_FIELD(P_DFLOW, VMASK, 32, 32, "valid bits of SLOT's bucket (bit w = way w)") \
  X_FIELD(P_DFLOW, ENTRY, 64, 512, "the slot's entry, FLOW layout, VALID = the slot holds a flow") \
  X_FIELD(P_FLIMIT, LIMIT, 0, 32, "flows per NIC and initiator direction (S5 default FLOW_LIMIT_DEFAULT; 0 refuses every new flow)") \
  X_FIELD(P_AGEHW, ENABLE, 0, 1, "1: scan and delete; 0: stop") \
  X_FIELD(P_AGEHW, RESERVED0, 1, 7, "zero") \
  X_FIELD(P_AGEHW, PACE, 8, 8, "DP_AGE_CTRL.PACE: a scan at most every PACE + 1 clocks") \
  X_FIELD(P_AGEHW, RESERVED1, 16, 16, "zero") \
  X_FIELD(P_AGEHW, TCP_EST, 32, 16, "idle timeout of AGE_CLASS_TCP_EST flows of vports without an AGING_EST value, FLOW.TIMESTAMP (CSR NOW) units; every timeout 1..65535") \
  X_FIELD(P_AGEHW, TCP_HALF_OPEN, 48, 16, "AGE_CLASS_TCP_HALF_OPEN") \
  X_FIELD(P_AGEHW, NEW, 64, 16, "AGE_CLASS_NEW (UDP and other protocols without a reply)") \
  X_FIELD(P_AGEHW, ICMP, 80, 16, "AGE_CLASS_ICMP") \
  X_FIELD(P_AGEHW, TCP_CLOSING, 96, 16, "AGE_CLASS_TCP_CLOSING") \
  X_FIELD(P_AGEHW, TCP_TIME_WAIT, 112, 16, "AGE_CLASS_TCP_TIME_WAIT") \
  X_FIELD(P_AGEHW, TCP_CLOSED, 128, 16, "AGE_CLASS_TCP_CLOSED") \
  X_FIELD(P_AGEHW, REPLIED, 144, 16, "AGE_CLASS_REPLIED (UDP and others with a reply) of vports without an AGING_EST value") \
  X_FIELD(P_AGEEST, TIMEOUT, 0, 16, "established timeout (AGE_CLASS TCP_EST and REPLIED) of VPORT, NOW units; 0: P_AGEHW's") \
  X_FIELD(P_AGEEST, VPORT, 16, 8, "vport (< P_CAPS VPORTS)") \
  X_FIELD(P_AGEEST, RESERVED, 24, 8, "zero") \
  X_FIELD(P_PRANGE, FIELD, 0, 8, "0: source port comparators (RULE_KEY.SRC_PORT_CLASS), 1: destination") \
  X_FIELD(P_PRANGE, INDEX, 8, 8, "comparator k (< P_CAPS.PORT_CLASSES)") \
  X_FIELD(P_PRANGE, FLAGS, 16, 8, "TCAM_FLAG_LIVE: allow changing a comparator that live rule entries use (not atomic)") \
  X_FIELD(P_PRANGE, RESERVED, 24, 8, "zero") \
  X_FIELD(P_PRANGE, VALUE, 32, 32, "PORT_RANGE layout (LO, HI)") \
  X_FIELD(P_CNT, BLOCK, 0, 8, "CNT_BLOCK_*") \
  X_FIELD(P_CNT, COUNT, 8, 8, "counters (1..COUNTERS_PER_READ)") \
  X_FIELD(P_CNT, RESERVED, 16, 16, "zero") \
  X_FIELD(P_CNT, FIRST, 32, 32, "first counter id") \
  X_FIELD(P_AGING, THRESHOLD, 0, 32, "report a flow idle for at least this many CSR NOW units (FLOW.TIMESTAMP units, 1..32767)") \
  X_FIELD(P_AGING, INTERVAL, 32, 32, "ticks from the start of one pass to the start of the next (0 = back to back)") \
  X_FIELD(P_AGING, BATCH, 64, 32, "flow entries examined per main-loop turn (1..65536; bounds command latency)") \
  X_FIELD(P_IDLE, INDEX, 0, 32, "flow cache slot") \
  X_FIELD(P_IDLE, IDLE, 32, 32, "NOW - FLOW.TIMESTAMP (modulo 2^16) when scanned") \
  X_FIELD(P_IDLE, ENTRY, 64, 512, "the flow-cache entry, FLOW layout (key, TCP flags, counters)") \
  X_FIELD(P_EXC, PORT, 0, 16, "port the packet arrived on, PORT layout (ID, KIND), upper bits zero") \
  X_FIELD(P_EXC, REASON, 16, 8, "REASON_* (>= REASON_PUNT_FIRST)") \
  X_FIELD(P_EXC, PARKED, 24, 1, "1: the packet is parked in the device (CAP_EXC_PARK) until CMD_EXC_RELEASE names this event's sequence word (slot word 1) as TOKEN") \
  X_FIELD(P_EXC, RESERVED, 25, 7, "zero") \
  X_FIELD(P_EXC, PKT_LEN, 32, 16, "length of the whole packet in bytes") \
  X_FIELD(P_EXC, HEAD_LEN, 48, 16, "bytes of HEAD that hold packet data (<= EXC_HEAD_BYTES)") \
  X_FIELD(P_EXC, HEAD, 64, 896, "the packet's first bytes, byte 0 in bits 7:0 of the first word") \
  X_FIELD(P_XREL, TOKEN, 0, 32, "sequence word (slot word 1) of the EVT_EXCEPTION that reported the parked packet") \
  X_FIELD(P_XREL, OUT_PORT, 32, 16, "ACTION_ALLOW: PORT (layout PORT) the packet leaves on; upper bits zero") \
  X_FIELD(P_XREL, ACTION, 48, 2, "ACTION_ALLOW: forward (re-inject) the parked packet on OUT_PORT; ACTION_DENY: drop it") \
  X_FIELD(P_XREL, RESERVED, 50, 14, "zero") \
  X_FIELD(P_SCAN, PASS, 0, 32, "pass number (from 1)") \
  X_FIELD(P_SCAN, SCANNED, 32, 32, "entries examined") \
  X_FIELD(P_SCAN, REPORTED, 64, 32, "idle reports posted") \
  X_FIELD(P_FWERR, CODE, 0, 32, "FWERR_*") \
  X_FIELD(P_FWERR, VALUE, 32, 32, "the offending value")
