/* SPDX-License-Identifier: Apache-2.0 */
/* Private view of the driver: the backend operations table and the device handle. */
#ifndef NSGNIC_DRIVER_PRIV_H
#define NSGNIC_DRIVER_PRIV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "nsgnic/abi.h"
#include "nsgnic/driver.h"

struct nsgnic_dev;

/* One backend. `open` gets the part of the spec after "NAME:" / "NAME," (or the BDF) and sets
 * d->be; everything else takes that context. rd32/wr32 access the host window at byte offset
 * `off` (4-aligned, < window bytes; checked by the caller). `poll` is called in every wait
 * loop: a modelled device runs there (fake: one firmware main-loop turn; sim: some clock
 * cycles), a real one needs nothing (the caller backs off). */
struct nsgnic_backend_ops {
  const char *name;
  int (*open)(struct nsgnic_dev *d, const char *arg);
  void (*close)(void *be);
  uint32_t (*rd32)(void *be, uint32_t off);
  void (*wr32)(void *be, uint32_t off, uint32_t v);
  void (*poll)(void *be);
  /* DMA mappings (vfio only; NULL: -ENOTSUP) */
  int (*dma_map)(void *be, void *vaddr, size_t len, uint64_t *iova);
  int (*dma_unmap)(void *be, uint64_t iova, size_t len);
};

extern const struct nsgnic_backend_ops nsgnic_backend_pci;
extern const struct nsgnic_backend_ops nsgnic_backend_vfio;
extern const struct nsgnic_backend_ops nsgnic_backend_fake;
extern const struct nsgnic_backend_ops nsgnic_backend_sim;

struct nsgnic_dev {
  struct nsgnic_dev_opts o;
  const struct nsgnic_backend_ops *ops;
  void *be;
  char where[64];
  uint32_t window_bytes;
  bool started;                     /* mailbox usable */
  uint32_t cmd_base, cmd_slots, cpl_base, cpl_slots, evt_base, evt_slots;  /* as reported */
  uint32_t cmd_head, cpl_tail, evt_tail, tag;
};

/* Logging through the caller's callback. */
void nsgnic_log(const struct nsgnic_dev_opts *o, enum nsgnic_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define DLOG(d, lvl, ...) nsgnic_log(&(d)->o, NSGNIC_LOG_##lvl, __VA_ARGS__)

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t nsgnic_now_ms(void);

/* Parses "[dddd:]bb:dd.f" (hex); returns 0 or -EINVAL. */
int nsgnic_parse_bdf(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn);

#endif
