// SPDX-License-Identifier: Apache-2.0
// Copy bit fields between little-endian uint32_t word arrays (the C side of the testbenches)
// and Verilated ports of any width (CData/SData/IData/QData or VlWide).
#ifndef NSGNIC_TB_VL_BITS_H
#define NSGNIC_TB_VL_BITS_H

#include <cstdint>
#include <verilated.h>

namespace tb {

template <typename T> inline void put(T &sig, const uint32_t *w, unsigned lsb, unsigned width)
{
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++)
    v |= (uint64_t)((w[(lsb + i) >> 5] >> ((lsb + i) & 31)) & 1u) << i;
  sig = (T)v;
}
template <std::size_t N>
inline void put(VlWide<N> &sig, const uint32_t *w, unsigned lsb, unsigned width)
{
  for (unsigned i = 0; i < N; i++) sig[i] = 0;
  if ((lsb & 31) == 0) {  // word-aligned: whole words (the 512-bit buses, every clock)
    unsigned k = 0;
    for (; k < width / 32; k++) sig[k] = w[(lsb >> 5) + k];
    if (width & 31) sig[k] = w[(lsb >> 5) + k] & ((1u << (width & 31)) - 1u);
    return;
  }
  for (unsigned i = 0; i < width; i++)
    if ((w[(lsb + i) >> 5] >> ((lsb + i) & 31)) & 1u) sig[i >> 5] |= 1u << (i & 31);
}
// Set `width` bits at `at` of a port from words (used for packed multi-port buses).
template <std::size_t N>
inline void put_at(VlWide<N> &sig, unsigned at, const uint32_t *w, unsigned width)
{
  for (unsigned i = 0; i < width; i++) {
    unsigned b = at + i;
    uint32_t m = 1u << (b & 31);
    if ((w[i >> 5] >> (i & 31)) & 1u) sig[b >> 5] |= m; else sig[b >> 5] &= ~m;
  }
}
template <typename T> inline void put_at(T &sig, unsigned at, const uint32_t *w, unsigned width)
{
  for (unsigned i = 0; i < width; i++) {
    T m = (T)((T)1 << (at + i));
    if ((w[i >> 5] >> (i & 31)) & 1u) sig = (T)(sig | m); else sig = (T)(sig & ~m);
  }
}
template <typename T> inline uint64_t get(const T &sig, unsigned at, unsigned width)
{
  return (width >= 64 ? (uint64_t)sig : ((uint64_t)sig >> at) & ((1ull << width) - 1));
}
template <std::size_t N> inline uint64_t get(const VlWide<N> &sig, unsigned at, unsigned width)
{
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++)
    v |= (uint64_t)((sig[(at + i) >> 5] >> ((at + i) & 31)) & 1u) << i;
  return v;
}
template <std::size_t N>
inline void get_words(const VlWide<N> &sig, unsigned at, unsigned width, uint32_t *w)
{
  for (unsigned i = 0; i < (width + 31) / 32; i++) w[i] = 0;
  if ((at & 31) == 0) {  // word-aligned: whole words
    unsigned k = 0;
    for (; k < width / 32; k++) w[k] = sig[(at >> 5) + k];
    if (width & 31) w[k] = sig[(at >> 5) + k] & ((1u << (width & 31)) - 1u);
    return;
  }
  for (unsigned i = 0; i < width; i++)
    if (get(sig, at + i, 1)) w[i >> 5] |= 1u << (i & 31);
}
template <typename T> inline void get_words(const T &sig, unsigned at, unsigned width, uint32_t *w)
{
  for (unsigned i = 0; i < (width + 31) / 32; i++) w[i] = 0;
  for (unsigned i = 0; i < width; i++)
    if (get(sig, at + i, 1)) w[i >> 5] |= 1u << (i & 31);
}

}  // namespace tb

#endif
