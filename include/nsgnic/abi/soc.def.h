/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, SoC memory map as the soft-core sees it (owned by the CPU/SoC; see README.md).
 * The 32-bit address space is split into 16 regions of 256 MiB selected by addr[31:28]
 * (SOC_REGION codes). An address is ((uint32_t)NSGNIC_SOC_REGION_x << NSGNIC_SOC_REGION_SHIFT)
 * + offset: cast before shifting, the enum is a signed int. No include guard on purpose. */
#define NSGNIC_ABI_SOC_CONSTS(X_CONST) \
  X_CONST(SOC_REGION_SHIFT, 28, "address bit where the region number starts (addr[31:28] selects the region)") \
  X_CONST(SOC_IRAM_OFFSET, 0x0, "instruction RAM offset in the RAM region (RAM region base 0x8000_0000 = the riscv-tests link address)") \
  X_CONST(SOC_DRAM_OFFSET, 0x100000, "data RAM offset in the RAM region (0x8010_0000); bounds the IRAM size") \
  X_CONST(SOC_IRAM_BYTES, 65536, "default instruction RAM size in bytes (rv32_sys parameter IramBytes)") \
  X_CONST(SOC_DRAM_BYTES, 65536, "default data RAM size in bytes (rv32_sys parameter DramBytes)") \
  X_CONST(SOC_BOOT_OFFSET, 0x0, "reset PC offset in the RAM region (boot address 0x8000_0000)")
#define NSGNIC_ABI_SOC_ENUMS(X_ENUM) \
  X_ENUM(SOC_REGION, LOCAL, 1, "0x1000_0000: core-local registers (timer, tohost)") \
  X_ENUM(SOC_REGION, EXT, 4, "0x4000_0000: external MMIO bus master port (datapath CSR bus, host window)") \
  X_ENUM(SOC_REGION, RAM, 8, "0x8000_0000: instruction RAM at SOC_IRAM_OFFSET, data RAM at SOC_DRAM_OFFSET") \
  X_ENUM(SOC_LOCAL, MTIME_LO, 0x00, "mtime bits 31:0 (counts clock cycles), read/write") \
  X_ENUM(SOC_LOCAL, MTIME_HI, 0x04, "mtime bits 63:32, read/write") \
  X_ENUM(SOC_LOCAL, MTIMECMP_LO, 0x08, "mtimecmp bits 31:0; timer interrupt pending while mtime >= mtimecmp (reset: all ones)") \
  X_ENUM(SOC_LOCAL, MTIMECMP_HI, 0x0c, "mtimecmp bits 63:32") \
  X_ENUM(SOC_LOCAL, TOHOST, 0x10, "tohost: firmware writes 1 = pass, (n<<1)|1 = fail test n (riscv-tests convention)")
#define NSGNIC_ABI_SOC_FIELDS(X_FIELD)
