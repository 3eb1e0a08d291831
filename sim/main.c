/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic-sim: runs programs on the Verilated nsgnic device model.
 *   nsgnic-sim --run-elf FILE [--max-cycles N] [--trace FILE.fst] [--log-pc] [--quiet]
 * loads a bare-metal RV32 ELF, starts the CPU at its entry point and waits for `tohost`
 * (riscv-tests convention: 1 = pass, (n<<1)|1 = fail test n). A tohost written inside the
 * handler of a trap other than ECALL (an unexpected trap: riscv-tests then writes TESTNUM|1337,
 * our tests (TESTNUM+1000)<<1|1) is reported as that trap, with its mcause and mepc and the raw
 * tohost value, not as a test number.
 *   nsgnic-sim --elf2hex FILE PREFIX
 * writes the RAM images of FILE as PREFIX.iram.hex / PREFIX.dram.hex for $readmemh
 * (rv32_sys IramInitFile / DramInitFile).
 * Exit status: 0 pass, 1 fail, 2 load error, 3 timeout, 64 usage error. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "opts.h"
#include "nsgnic/abi.h"
#include "nsgnic_sim.h"

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_LOAD = 2, EXIT_TIMEOUT = 3, EXIT_USAGE = 64 };

static void log_retire(void *ctx, uint32_t pc)
{
  fprintf((FILE *)ctx, "retire 0x%08x\n", pc);
}

/* Writes `words` 32-bit words of the model's memory from `base` to `path`, one hex word a line. */
static int write_hex(struct nsgnic_sim *sim, uint32_t base, uint32_t words, const char *path)
{
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "nsgnic-sim: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  int rc = 0;
  for (uint32_t i = 0; i < words && rc == 0; i++) {
    uint32_t w;
    rc = nsgnic_sim_mem_read(sim, base + 4 * i, &w, sizeof(w));
    if (rc == 0 && fprintf(f, "%08x\n", (unsigned)w) < 0)
      rc = -EIO;
  }
  if (fclose(f) != 0 && rc == 0)
    rc = -EIO;
  if (rc)
    fprintf(stderr, "nsgnic-sim: writing %s failed: %s\n", path, strerror(-rc));
  return rc;
}

/* --elf2hex: the IRAM and DRAM images (default sizes) of an ELF for $readmemh. */
static int elf2hex(const char *elf, const char *prefix)
{
  struct nsgnic_sim *sim = nsgnic_sim_create(NULL);
  if (!sim) {
    fprintf(stderr, "nsgnic-sim: cannot create the model: %s\n", strerror(errno));
    return EXIT_LOAD;
  }
  struct elf_info info;
  char err[512], path[4096];
  int status = EXIT_LOAD;
  uint32_t ram = (uint32_t)NSGNIC_SOC_REGION_RAM << NSGNIC_SOC_REGION_SHIFT;
  if (elf_load(sim, elf, &info, err, sizeof(err)) != 0) {
    fprintf(stderr, "nsgnic-sim: %s\n", err);
    goto out;
  }
  if (info.entry != ram + (uint32_t)NSGNIC_SOC_BOOT_OFFSET)
    fprintf(stderr, "nsgnic-sim: warning: %s starts at 0x%08x, the hardware boots at 0x%08x\n", elf,
            info.entry, ram + (uint32_t)NSGNIC_SOC_BOOT_OFFSET);
  snprintf(path, sizeof(path), "%s.iram.hex", prefix);
  if (write_hex(sim, ram + (uint32_t)NSGNIC_SOC_IRAM_OFFSET, (uint32_t)NSGNIC_SOC_IRAM_BYTES / 4, path))
    goto out;
  snprintf(path, sizeof(path), "%s.dram.hex", prefix);
  if (write_hex(sim, ram + (uint32_t)NSGNIC_SOC_DRAM_OFFSET, (uint32_t)NSGNIC_SOC_DRAM_BYTES / 4, path))
    goto out;
  status = EXIT_PASS;
out:
  nsgnic_sim_destroy(sim);
  return status;
}

/* The program wrote tohost from the handler of a trap that is not an ECALL (an interrupt or an
 * exception it did not return from). */
static int unexpected_trap(const struct nsgnic_sim *sim, uint32_t *mcause, uint32_t *mepc)
{
  if (!nsgnic_sim_open_trap(sim, mcause, mepc))
    return 0;
  return *mcause != 8u && *mcause != 9u && *mcause != 11u;
}

static const char *trap_name(uint32_t mcause)
{
  static const char *const exc[] = {
      "instruction address misaligned", "instruction access fault", "illegal instruction",
      "breakpoint", "load address misaligned", "load access fault", "store address misaligned",
      "store access fault", "ECALL from U", "ECALL from S", "reserved", "ECALL from M"};
  if (mcause & 0x80000000u)
    return (mcause & 0x7fffffffu) == 7u ? "timer interrupt"
           : (mcause & 0x7fffffffu) == 11u ? "external interrupt" : "interrupt";
  return mcause < sizeof(exc) / sizeof(exc[0]) ? exc[mcause] : "unknown exception";
}

static const struct cmd_doc doc = {
    "nsgnic-sim", NULL,
    "--run-elf FILE [--max-cycles N] [--trace FILE.fst] [--log-pc] [--quiet]\n"
    "--elf2hex FILE PREFIX\n",
    "run programs on the Verilated nsgnic device model (the RV32IM soft-core and its memories)",
    "--run-elf loads a bare-metal RV32 ELF, starts the CPU at its entry point and waits for tohost\n"
    "(riscv-tests convention: 1 = pass, (n<<1)|1 = fail test n). A tohost written inside the handler of\n"
    "an unexpected trap (not an ECALL) is reported as that trap, with mcause, mepc and the raw value.\n",
    "0 pass (tohost = 1); 1 fail (tohost = (n<<1)|1: test n, or an unexpected trap); 2 load error;\n"
    "3 timeout; 64 usage error",
};

int main(int argc, char **argv)
{
  const char *elf = NULL, *trace = NULL, *hex = NULL;
  unsigned long long max_cycles = 10000000ull;
  bool quiet = false, log_pc = false;
  const struct opt opts[] = {
      {"run-elf", 0, OPT_STR, "FILE", "load the RV32 ELF executable FILE and run it until it writes tohost", &elf,
       NULL, 0, 0, 0, NULL},
      {"max-cycles", 0, OPT_ULL, "N", "give up after N clock cycles (default 10000000)", &max_cycles, NULL, 1,
       UINT64_MAX, 0, NULL},
      {"trace", 0, OPT_STR, "FILE.fst", "write an FST waveform of every signal (slow)", &trace, NULL, 0, 0, 0, NULL},
      {"log-pc", 0, OPT_FLAG, NULL, "print the PC of every retired instruction on stderr", &log_pc, NULL, 0, 0, 0,
       NULL},
      {"quiet", 'q', OPT_FLAG, NULL, "print nothing on success", &quiet, NULL, 0, 0, 0, NULL},
      {"elf2hex", 0, OPT_STR, "FILE", "with the operand PREFIX: write FILE's RAM images as PREFIX.iram.hex and\n"
       "PREFIX.dram.hex ($readmemh format, rv32_sys IramInitFile/DramInitFile)", &hex, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int rest;
  int pr = parse_opts(&doc, opts, argc, argv, 1, &rest);
  if (pr)
    return pr == 1 ? EXIT_PASS : EXIT_USAGE;
  if (hex) {
    if (argc - rest != 1 || elf)
      return usage_error(&doc, "--elf2hex FILE takes one PREFIX and no other option");
    return elf2hex(hex, argv[rest]);
  }
  if (rest < argc)
    return usage_error(&doc, "unexpected argument '%s'", argv[rest]);
  if (!elf)
    return usage_error(&doc, "nothing to do; give --run-elf FILE");
  if (trace && strcmp(trace, elf) == 0)
    return usage_error(&doc, "--trace %s is the program: refusing to overwrite an input", trace);

  struct nsgnic_sim *sim = nsgnic_sim_create(trace);
  if (!sim) {
    fprintf(stderr, "nsgnic-sim: cannot create the model%s%s: %s\n", trace ? " with trace " : "",
            trace ? trace : "", strerror(errno));
    return EXIT_LOAD;
  }
  int status;
  struct elf_info info;
  char err[512];
  if (elf_load(sim, elf, &info, err, sizeof(err)) != 0) {
    fprintf(stderr, "nsgnic-sim: %s\n", err);
    status = EXIT_LOAD;
    goto out;
  }
  uint32_t tohost_addr = info.has_tohost
                             ? info.tohost
                             : ((uint32_t)NSGNIC_SOC_REGION_LOCAL << NSGNIC_SOC_REGION_SHIFT) +
                                   (uint32_t)NSGNIC_SOC_LOCAL_TOHOST;
  nsgnic_sim_set_tohost_addr(sim, tohost_addr);
  if (log_pc)
    nsgnic_sim_set_retire_hook(sim, log_retire, stderr);
  nsgnic_sim_cpu_start(sim, info.entry);
  uint32_t tohost = 0, mcause = 0, mepc = 0;
  int done = nsgnic_sim_run(sim, max_cycles, &tohost);
  unsigned long long cycles = nsgnic_sim_cycles(sim), instret = nsgnic_sim_instret(sim);
  double cpi = instret ? (double)cycles / (double)instret : 0.0;
  if (!done) {
    fprintf(stderr, "nsgnic-sim: %s: TIMEOUT after %llu cycles (%llu instructions), tohost at 0x%08x never written\n",
            elf, cycles, instret, tohost_addr);
    status = EXIT_TIMEOUT;
  } else if (tohost == 1) {
    if (!quiet)
      printf("nsgnic-sim: %s: PASS\n", elf);
    status = EXIT_PASS;
  } else if (unexpected_trap(sim, &mcause, &mepc)) {
    printf("nsgnic-sim: %s: FAIL unexpected trap: mcause 0x%08x (%s) at mepc 0x%08x, tohost=0x%08x\n",
           elf, mcause, trap_name(mcause), mepc, tohost);
    status = EXIT_FAIL;
  } else {
    if (tohost & 1u)
      printf("nsgnic-sim: %s: FAIL test %u\n", elf, tohost >> 1);
    else
      printf("nsgnic-sim: %s: FAIL tohost=0x%08x (not the (n<<1)|1 convention)\n", elf, tohost);
    status = EXIT_FAIL;
  }
  if (!quiet || status != EXIT_PASS)
    printf("cycles: %llu\ninstret: %llu\ncpi: %.3f\n", cycles, instret, cpi);
out:
  nsgnic_sim_destroy(sim);
  return status;
}
