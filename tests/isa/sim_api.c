/* SPDX-License-Identifier: Apache-2.0 */
/* Host-side test of the simulator's C API (sim/nsgnic_sim.h): memory port round trips at any
 * alignment in both RAMs, -EFAULT outside them, a hand-assembled program run to tohost, the
 * cycle/instret counts and the retire hook, reset and restart, destroy(NULL). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nsgnic_sim.h"

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      return 1;                                                            \
    }                                                                      \
  } while (0)

enum { IRAM = 0x80000000u, DRAM = 0x80100000u };

static void count_retire(void *ctx, uint32_t pc)
{
  (void)pc;
  ++*(unsigned *)ctx;
}

static int run(void)
{
  struct nsgnic_sim *sim = nsgnic_sim_create(NULL);
  CHECK(sim != NULL);

  /* round trips at odd addresses and lengths */
  const uint8_t pattern[7] = {1, 2, 3, 4, 5, 6, 7};
  uint8_t back[7] = {0};
  CHECK(nsgnic_sim_mem_write(sim, IRAM + 0x101, pattern, sizeof(pattern)) == 0);
  CHECK(nsgnic_sim_mem_read(sim, IRAM + 0x101, back, sizeof(back)) == 0);
  CHECK(memcmp(pattern, back, sizeof(back)) == 0);
  CHECK(nsgnic_sim_mem_write(sim, DRAM + 0x2, pattern, 3) == 0);
  uint32_t word = 0;
  CHECK(nsgnic_sim_mem_read(sim, DRAM, &word, 4) == 0);
  CHECK(word == 0x02010000u);  /* bytes 0..1 still zero, 2..3 written, little endian */

  /* outside the RAMs */
  CHECK(nsgnic_sim_mem_write(sim, 0x20000000u, pattern, 4) == -EFAULT);
  CHECK(nsgnic_sim_mem_read(sim, DRAM - 4, &word, 4) == -EFAULT);
  CHECK(nsgnic_sim_mem_read(sim, 0x10000010u, &word, 4) == -EFAULT);  /* registers: not RAM */

  /* addi a0, x0, 1; lui t0, 0x10000; sw a0, 16(t0) (tohost register); j . */
  const uint32_t prog[] = {0x00100513u, 0x100002b7u, 0x00a2a823u, 0x0000006fu};
  CHECK(nsgnic_sim_mem_write(sim, IRAM, prog, sizeof(prog)) == 0);
  unsigned retired = 0;
  nsgnic_sim_set_retire_hook(sim, count_retire, &retired);
  nsgnic_sim_set_tohost_addr(sim, 0);
  nsgnic_sim_cpu_start(sim, IRAM);
  CHECK(nsgnic_sim_tohost(sim) == 0);
  uint32_t tohost = 0;
  CHECK(nsgnic_sim_run(sim, 1000, &tohost) == 1);
  CHECK(tohost == 1);
  /* the tohost store itself retires a cycle after tohost changes */
  CHECK(nsgnic_sim_instret(sim) == 2 || nsgnic_sim_instret(sim) == 3);
  CHECK(retired == nsgnic_sim_instret(sim));
  CHECK(nsgnic_sim_cycles(sim) >= 3 && nsgnic_sim_cycles(sim) < 10);

  /* the loop at the end keeps retiring; no new tohost value */
  nsgnic_sim_step(sim, 100);
  CHECK(nsgnic_sim_instret(sim) > 50);

  /* reset: RAM persists, tohost and counts restart */
  nsgnic_sim_reset(sim);
  nsgnic_sim_set_retire_hook(sim, NULL, NULL);
  CHECK(nsgnic_sim_mem_read(sim, IRAM, &word, 4) == 0 && word == prog[0]);
  nsgnic_sim_cpu_start(sim, IRAM);
  CHECK(nsgnic_sim_tohost(sim) == 0 && nsgnic_sim_cycles(sim) == 0);
  CHECK(nsgnic_sim_run(sim, 2, &tohost) == 0);  /* too few cycles */
  CHECK(nsgnic_sim_run(sim, 1000, &tohost) == 1 && tohost == 1);

  nsgnic_sim_destroy(sim);
  nsgnic_sim_destroy(NULL);
  return 0;
}

int main(void)
{
  int rc = run();
  if (rc == 0)
    printf("sim_api: ok\n");
  return rc;
}
