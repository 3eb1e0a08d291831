/* SPDX-License-Identifier: Apache-2.0 */
/* CPU benchmark: table walks as firmware does them: binary search of a sorted key table
 * (loads + data-dependent branches) and a linked-list walk (each load's address comes from the
 * previous load). Checked against known sums. */
#include <stdint.h>

#define N 1024

static uint32_t keys[N];
static struct node { struct node *next; uint32_t val; } nodes[N];

static int find(uint32_t k)
{
  int lo = 0, hi = N - 1;
  while (lo <= hi) {
    int mid = (lo + hi) >> 1;
    uint32_t v = keys[mid];
    if (v == k)
      return mid;
    if (v < k)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

int main(void)
{
  for (unsigned i = 0; i < N; i++) {
    keys[i] = 3 * i + 1;
    nodes[i].next = &nodes[(i * 37 + 11) % N];  /* 37 is coprime with N: one cycle of length N */
    nodes[i].val = i;
  }
  uint32_t hits = 0;
  for (uint32_t k = 0; k < 3 * N; k++)
    if (find(k) >= 0)
      hits++;
  if (hits != N)
    return 2;
  uint32_t sum = 0;
  struct node *p = &nodes[0];
  for (unsigned r = 0; r < 8 * N; r++) {
    sum += p->val;
    p = p->next;
  }
  if (sum != 8u * (N * (N - 1) / 2))
    return 3;
  return 0;
}
