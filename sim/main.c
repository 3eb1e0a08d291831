/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic-sim: runs programs on the Verilated nsgnic device model.
 *   nsgnic-sim --run-elf FILE [--max-cycles N] [--trace FILE.fst] [--log-pc] [--quiet]
 * loads a bare-metal RV32 ELF, starts the CPU at its entry point and waits for `tohost`
 * (riscv-tests convention: 1 = pass, (n<<1)|1 = fail test n).
 * Exit status: 0 pass, 1 fail, 2 usage or load error, 3 timeout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "nsgnic/abi.h"
#include "nsgnic_sim.h"

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_TIMEOUT = 3 };

static void log_retire(void *ctx, uint32_t pc)
{
  fprintf((FILE *)ctx, "retire 0x%08x\n", pc);
}

static void usage(FILE *f)
{
  fprintf(f,
          "usage: nsgnic-sim --run-elf FILE [--max-cycles N] [--trace FILE.fst] [--log-pc] [--quiet]\n"
          "  --run-elf FILE    load the RV32 ELF executable FILE and run it until it writes tohost\n"
          "  --max-cycles N    give up after N clock cycles (default 10000000)\n"
          "  --trace FILE.fst  write an FST waveform of every signal (slow)\n"
          "  --log-pc          print the PC of every retired instruction on stderr\n"
          "  --quiet           print nothing on success\n"
          "exit status: 0 pass (tohost = 1), 1 fail (tohost = (n<<1)|1: test n), 2 usage or load\n"
          "error, 3 timeout\n");
}

int main(int argc, char **argv)
{
  const char *elf = NULL, *trace = NULL;
  unsigned long long max_cycles = 10000000ull;
  int quiet = 0, log_pc = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return EXIT_PASS;
    } else if (strcmp(a, "--quiet") == 0) {
      quiet = 1;
    } else if (strcmp(a, "--log-pc") == 0) {
      log_pc = 1;
    } else if (i + 1 < argc && strcmp(a, "--run-elf") == 0) {
      elf = argv[++i];
    } else if (i + 1 < argc && strcmp(a, "--trace") == 0) {
      trace = argv[++i];
    } else if (i + 1 < argc && strcmp(a, "--max-cycles") == 0) {
      char *end;
      errno = 0;
      max_cycles = strtoull(argv[++i], &end, 0);
      if (errno || *end || max_cycles == 0) {
        fprintf(stderr, "nsgnic-sim: --max-cycles wants a positive number, not '%s'\n", argv[i]);
        return EXIT_USAGE;
      }
    } else {
      fprintf(stderr, "nsgnic-sim: unknown or incomplete option '%s'; try 'nsgnic-sim --help'\n", a);
      return EXIT_USAGE;
    }
  }
  if (!elf) {
    fprintf(stderr, "nsgnic-sim: nothing to do; give --run-elf FILE (see 'nsgnic-sim --help')\n");
    return EXIT_USAGE;
  }

  struct nsgnic_sim *sim = nsgnic_sim_create(trace);
  if (!sim) {
    fprintf(stderr, "nsgnic-sim: cannot create the model%s%s: %s\n", trace ? " with trace " : "",
            trace ? trace : "", strerror(errno));
    return EXIT_USAGE;
  }
  int status;
  struct elf_info info;
  char err[512];
  if (elf_load(sim, elf, &info, err, sizeof(err)) != 0) {
    fprintf(stderr, "nsgnic-sim: %s\n", err);
    status = EXIT_USAGE;
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
  uint32_t tohost = 0;
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
