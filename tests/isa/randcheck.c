/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test of the soft-core against a trivial reference interpreter: random RV32IM
 * programs (ALU, M extension, LUI/AUIPC, aligned loads/stores into a scratch buffer, forward
 * branches, JAL, AUIPC+JALR), with operands biased towards the registers just written so the
 * pipeline's forwarding paths and load-use cases are hit constantly. Each program ends by
 * storing x1..x30 into the buffer and writing tohost; the buffer read back from the model must
 * equal the interpreter's. Usage: randcheck [programs] [seed]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsgnic_sim.h"

enum {
  IRAM = 0x80000000u,
  BUF = 0x80100000u,     /* x31 holds this: DRAM scratch; results at BUF + DATA_BYTES */
  DATA_BYTES = 256,
  BUF_BYTES = DATA_BYTES + 4 * 32,
  BODY = 400,            /* random instructions per program */
  MAXPROG = 1024,
};

static uint32_t rng_state;
static uint32_t rnd(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}
static uint32_t below(uint32_t n) { return rnd() % n; }

/* ---- encoders ---- */
static uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op)
{
  return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op)
{
  return ((uint32_t)imm & 0xfffu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
  uint32_t u = (uint32_t)imm;
  return (u >> 5 & 0x7fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1fu) << 7 | 0x23u;
}
static uint32_t b_type(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
  uint32_t u = (uint32_t)off;
  return (u >> 12 & 1u) << 31 | (u >> 5 & 0x3fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
         (u >> 1 & 0xfu) << 8 | (u >> 11 & 1u) << 7 | 0x63u;
}
static uint32_t u_type(uint32_t imm20, uint32_t rd, uint32_t op) { return imm20 << 12 | rd << 7 | op; }
static uint32_t j_type(int32_t off, uint32_t rd)
{
  uint32_t u = (uint32_t)off;
  return (u >> 20 & 1u) << 31 | (u >> 1 & 0x3ffu) << 21 | (u >> 11 & 1u) << 20 |
         (u >> 12 & 0xffu) << 12 | rd << 7 | 0x6fu;
}

/* li rd, v (2 instructions) */
static unsigned emit_li(uint32_t *p, unsigned n, uint32_t rd, uint32_t v)
{
  uint32_t lo = v & 0xfffu, hi = (v >> 12) + (lo >> 11);
  p[n++] = u_type(hi & 0xfffffu, rd, 0x37u);
  p[n++] = i_type((int32_t)(lo << 20) >> 20, rd, 0, rd, 0x13u);
  return n;
}

static uint32_t last_rd = 1;
static uint32_t src(void) { return below(2) ? last_rd : below(32); }
static uint32_t dst(void) { return last_rd = 1 + below(30); }  /* x1..x30; x31 is the base */

/* Returns the number of words of a random program in p. */
static unsigned generate(uint32_t *p)
{
  static uint8_t is_jalr2[MAXPROG];     /* the JALR of an AUIPC+JALR pair */
  static uint8_t is_jump[MAXPROG];      /* a forward branch or JAL */
  memset(is_jalr2, 0, sizeof(is_jalr2));
  memset(is_jump, 0, sizeof(is_jump));
  unsigned n = 0;
  n = emit_li(p, n, 31, BUF);
  for (uint32_t r = 1; r <= 30; r++)
    n = emit_li(p, n, r, below(4) ? rnd() : (below(2) ? 0x80000000u : 0xffffffffu));
  unsigned body_end = n + BODY;
  while (n < body_end - 4) {
    unsigned kind = below(100);
    if (kind < 30) {                       /* RV32I register-register */
      static const uint32_t f3f7[][2] = {{0, 0}, {0, 0x20}, {1, 0}, {2, 0}, {3, 0}, {4, 0},
                                         {5, 0}, {5, 0x20}, {6, 0}, {7, 0}};
      unsigned k = below(10);
      uint32_t a = src(), b = src();
      p[n++] = r_type(f3f7[k][1], b, a, f3f7[k][0], dst(), 0x33u);
    } else if (kind < 45) {                /* M extension */
      uint32_t a = src(), b = src();
      p[n++] = r_type(1, b, a, below(8), dst(), 0x33u);
    } else if (kind < 60) {                /* register-immediate */
      uint32_t f3 = below(8), a = src();
      int32_t imm = (int32_t)(rnd() << 20) >> 20;
      if (f3 == 1)
        imm = (int32_t)below(32);
      else if (f3 == 5)
        imm = (int32_t)(below(32) | (below(2) ? 0x400u : 0));
      p[n++] = i_type(imm, a, f3, dst(), 0x13u);
    } else if (kind < 64) {                /* LUI / AUIPC */
      p[n++] = u_type(rnd() & 0xfffffu, dst(), below(2) ? 0x37u : 0x17u);
    } else if (kind < 76) {                /* load */
      static const uint32_t f3s[] = {0, 1, 2, 4, 5};
      uint32_t f3 = f3s[below(5)], w = (f3 & 3) == 2 ? 4 : (f3 & 3) == 1 ? 2 : 1;
      p[n++] = i_type((int32_t)(below(DATA_BYTES / w) * w), 31, f3, dst(), 0x03u);
    } else if (kind < 86) {                /* store */
      uint32_t f3 = below(3), w = 1u << f3;
      p[n++] = s_type((int32_t)(below(DATA_BYTES / w) * w), src(), 31, f3);
    } else if (kind < 94) {                /* forward branch over 0..2 instructions */
      static const uint32_t f3s[] = {0, 1, 4, 5, 6, 7};
      uint32_t a = src(), b = src();
      is_jump[n] = 1;
      p[n++] = b_type((int32_t)(4 * (1 + below(3))), b, a, f3s[below(6)]);
    } else if (kind < 97) {                /* JAL forward */
      is_jump[n] = 1;
      p[n++] = j_type((int32_t)(4 * (1 + below(3))), below(4) ? dst() : 0);
    } else {                               /* AUIPC + JALR to 2 or 3 instructions ahead */
      uint32_t t = dst();
      int32_t off = (int32_t)(4 * (2 + below(2)) + below(2));  /* bit 0 is cleared by JALR */
      uint32_t rd = dst();
      p[n++] = u_type(0, t, 0x17u);
      is_jalr2[n] = 1;
      p[n++] = i_type(off, t, 0, rd, 0x67u);
    }
  }
  while (n < body_end)
    p[n++] = 0x00000013u;                  /* NOPs: landing space for the last branches */
  /* A jump must not land between AUIPC and JALR (the base would be stale): go one further. */
  for (unsigned i = 0; i < n; i++) {
    if (is_jalr2[i]) {                     /* target = the AUIPC's address + imm (bit 0 off) */
      uint32_t imm = p[i] >> 20;
      if (is_jalr2[i - 1 + (imm & ~1u) / 4])
        p[i] += 4u << 20;
      continue;
    }
    if (!is_jump[i])
      continue;
    int b = (p[i] & 0x7fu) == 0x63u;
    uint32_t off = b ? (p[i] >> 8 & 0xfu) << 1 : (p[i] >> 21 & 0x3ffu) << 1;
    if (is_jalr2[i + off / 4]) {
      off += 4;
      p[i] = b ? (p[i] & ~0xf80u) | (off >> 1 & 0xfu) << 8
               : (p[i] & 0xfffu) | (off >> 1 & 0x3ffu) << 21;
    }
  }
  for (uint32_t r = 1; r <= 30; r++)
    p[n++] = s_type((int32_t)(DATA_BYTES + 4 * r), r, 31, 2);
  p[n++] = u_type(0x10000u, 1, 0x37u);     /* lui x1, 0x10000 */
  p[n++] = i_type(1, 0, 0, 2, 0x13u);      /* li x2, 1 */
  p[n++] = s_type(16, 2, 1, 2);            /* sw x2, 16(x1): tohost */
  p[n++] = j_type(0, 0);                   /* j . */
  return n;
}

/* ---- reference interpreter: returns 0 when the program wrote tohost ---- */
static int interpret(const uint32_t *prog, unsigned nwords, uint8_t *buf)
{
  uint32_t x[32] = {0}, pc = IRAM, prev_pc = IRAM;
  for (unsigned steps = 0; steps < 100000; steps++) {
    if (pc < IRAM || pc >= IRAM + 4 * nwords || (pc & 3)) {
      if (getenv("RANDCHECK_DEBUG"))
        fprintf(stderr, "pc 0x%08x after %u steps, from 0x%08x (0x%08x)\n", pc, steps, prev_pc,
                prog[(prev_pc - IRAM) / 4]);
      return -1;
    }
    uint32_t in = prog[(pc - IRAM) / 4], op = in & 0x7f, rd = in >> 7 & 31, f3 = in >> 12 & 7;
    uint32_t a = x[in >> 15 & 31], b = x[in >> 20 & 31], f7 = in >> 25, next = pc + 4, v = 0;
    int32_t ii = (int32_t)in >> 20;
    int32_t si = (int32_t)((in >> 25) << 5 | (in >> 7 & 31)) << 20 >> 20;
    int32_t bi = (int32_t)((in >> 31) << 12 | (in >> 7 & 1) << 11 | (in >> 25 & 0x3f) << 5 |
                           (in >> 8 & 0xf) << 1) << 19 >> 19;
    int32_t ji = (int32_t)((in >> 31) << 20 | (in >> 12 & 0xff) << 12 | (in >> 20 & 1) << 11 |
                           (in >> 21 & 0x3ff) << 1) << 11 >> 11;
    int wr = 1;
    switch (op) {
    case 0x37: v = in & 0xfffff000u; break;
    case 0x17: v = pc + (in & 0xfffff000u); break;
    case 0x6f: v = pc + 4; next = pc + (uint32_t)ji; break;
    case 0x67: v = pc + 4; next = (a + (uint32_t)ii) & ~1u; break;
    case 0x63: {
      int t = f3 == 0 ? a == b : f3 == 1 ? a != b : f3 == 4 ? (int32_t)a < (int32_t)b
            : f3 == 5 ? (int32_t)a >= (int32_t)b : f3 == 6 ? a < b : a >= b;
      if (t)
        next = pc + (uint32_t)bi;
      wr = 0;
      break;
    }
    case 0x03: {
      uint32_t ad = a + (uint32_t)ii - BUF;
      if (ad >= BUF_BYTES)
        return -2;
      uint32_t w = buf[ad] | (ad + 1 < BUF_BYTES ? buf[ad + 1] << 8 : 0) |
                   (ad + 3 < BUF_BYTES ? (uint32_t)buf[ad + 2] << 16 | (uint32_t)buf[ad + 3] << 24 : 0);
      v = f3 == 0 ? (uint32_t)(int32_t)(int8_t)w : f3 == 1 ? (uint32_t)(int32_t)(int16_t)w
        : f3 == 4 ? (w & 0xff) : f3 == 5 ? (w & 0xffff) : w;
      break;
    }
    case 0x23: {
      uint32_t ad = a + (uint32_t)si;
      if (ad == 0x10000010u)
        return b == 1 ? 0 : -3;            /* tohost */
      ad -= BUF;
      if (ad >= BUF_BYTES)
        return -2;
      for (unsigned k = 0; k < (1u << f3); k++)
        buf[ad + k] = (uint8_t)(b >> (8 * k));
      wr = 0;
      break;
    }
    case 0x13:
    case 0x33: {
      uint32_t c = op == 0x13 ? (uint32_t)ii : b;
      if (op == 0x33 && f7 == 1) {
        int64_t sa = (int32_t)a, sb = (int32_t)b;
        uint64_t ua = a, ub = b;
        switch (f3) {
        case 0: v = a * b; break;
        case 1: v = (uint32_t)((uint64_t)(sa * sb) >> 32); break;
        case 2: v = (uint32_t)((uint64_t)(sa * (int64_t)ub) >> 32); break;
        case 3: v = (uint32_t)((ua * ub) >> 32); break;
        case 4: v = b == 0 ? 0xffffffffu : (a == 0x80000000u && b == 0xffffffffu) ? a
                  : (uint32_t)((int32_t)a / (int32_t)b); break;
        case 5: v = b == 0 ? 0xffffffffu : a / b; break;
        case 6: v = b == 0 ? a : (a == 0x80000000u && b == 0xffffffffu) ? 0
                  : (uint32_t)((int32_t)a % (int32_t)b); break;
        default: v = b == 0 ? a : a % b; break;
        }
      } else {
        int alt = op == 0x33 ? f7 == 0x20 : (f3 == 5 && (in >> 30 & 1));
        switch (f3) {
        case 0: v = (op == 0x33 && alt) ? a - c : a + c; break;
        case 1: v = a << (c & 31); break;
        case 2: v = (int32_t)a < (int32_t)c; break;
        case 3: v = a < c; break;
        case 4: v = a ^ c; break;
        case 5: v = alt ? (uint32_t)((int32_t)a >> (c & 31)) : a >> (c & 31); break;
        case 6: v = a | c; break;
        default: v = a & c; break;
        }
      }
      break;
    }
    default:
      return -4;
    }
    if (wr && rd)
      x[rd] = v;
    prev_pc = pc;
    pc = next;
  }
  return -5;
}

int main(int argc, char **argv)
{
  unsigned programs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 100;
  rng_state = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0x2545f491u;
  if (rng_state == 0)
    rng_state = 1;
  struct nsgnic_sim *sim = nsgnic_sim_create(NULL);
  if (!sim) {
    perror("randcheck: nsgnic_sim_create");
    return 2;
  }
  static uint32_t prog[MAXPROG];
  uint8_t init[BUF_BYTES], ref[BUF_BYTES], got[BUF_BYTES];
  int rc = 0;
  for (unsigned t = 0; t < programs && rc == 0; t++) {
    uint32_t seed = rng_state;
    unsigned n = generate(prog);
    for (unsigned k = 0; k < BUF_BYTES; k++)
      init[k] = (uint8_t)rnd();
    memcpy(ref, init, sizeof(ref));
    int irc = interpret(prog, n, ref);
    if (irc != 0) {
      fprintf(stderr, "randcheck: program %u (seed 0x%08x): reference stopped with %d\n", t, seed, irc);
      rc = 2;
      break;
    }
    nsgnic_sim_reset(sim);
    uint32_t tohost = 0;
    if (nsgnic_sim_mem_write(sim, IRAM, prog, 4 * n) || nsgnic_sim_mem_write(sim, BUF, init, sizeof(init))) {
      fprintf(stderr, "randcheck: loading failed\n");
      rc = 2;
      break;
    }
    nsgnic_sim_set_tohost_addr(sim, 0);
    nsgnic_sim_cpu_start(sim, IRAM);
    if (nsgnic_sim_run(sim, 200000, &tohost) != 1 || tohost != 1) {
      fprintf(stderr, "randcheck: program %u (seed 0x%08x): no pass from the model (tohost 0x%x)\n",
              t, seed, tohost);
      rc = 1;
      break;
    }
    nsgnic_sim_step(sim, 4);              /* let the last stores retire */
    if (nsgnic_sim_mem_read(sim, BUF, got, sizeof(got)) != 0) {
      rc = 2;
      break;
    }
    for (unsigned k = 0; k < BUF_BYTES; k += 4) {
      uint32_t r, g;
      memcpy(&r, ref + k, 4);
      memcpy(&g, got + k, 4);
      if (r != g) {
        fprintf(stderr, "randcheck: program %u (seed 0x%08x): %s %u: model 0x%08x, reference 0x%08x\n",
                t, seed, k >= DATA_BYTES ? "register x" : "buffer byte",
                k >= DATA_BYTES ? (k - DATA_BYTES) / 4 : k, g, r);
        rc = 1;
      }
    }
  }
  nsgnic_sim_destroy(sim);
  if (rc == 0)
    printf("randcheck: %u random programs of %d instructions agree with the reference\n", programs, BODY);
  return rc;
}
