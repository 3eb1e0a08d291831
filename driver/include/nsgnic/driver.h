/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic userspace driver: one device API over interchangeable backends.
 *
 * Design. Everything the driver does to a board goes through 32-bit reads and writes of the
 * BAR0 host window (layout: <nsgnic/abi/host.def.h>) plus a `poll` hook that gives a modelled
 * device time to run. A backend is one `struct` of those function pointers (driver/src/
 * driver_priv.h); the code above it — identity and version checks, reset, firmware load, the
 * mailbox client with its timeouts, the event ring — is the same for every backend:
 *   pci   a real board: found with libpci (by vendor/device id or a given BDF), BAR0 mapped
 *         from sysfs `resource0`. The enumeration can read an `lspci -x` dump instead of the
 *         bus and the BAR can be any regular file (tests without hardware);
 *   fake  BAR0 as memory, served in-process by the real firmware logic compiled for the host
 *         (firmware/, RAM HAL). For tests, demos and the CLI without a board;
 *   sim   the Verilated SoC in-process (sim/nsgnic_soc.h, hdl/rtl/nsgnic_top.sv) booted with the
 *         product firmware; -ENOTSUP in builds without the HDL model.
 *
 * Lifecycle: nsgnic_dev_open() (maps, checks magic and the hardware ABI major) ->
 * [nsgnic_dev_reset() -> nsgnic_dev_load_firmware() -> nsgnic_dev_start()] or
 * nsgnic_dev_attach() (firmware already running) -> nsgnic_dev_cmd()* / nsgnic_dev_event()* ->
 * nsgnic_dev_close().
 *
 * Conventions: functions return 0 (or a count) or a negative errno; constructors return NULL
 * and set errno; every failure is also reported, in one line saying what to do, through the
 * caller's log callback (nothing is printed without one). No global state; a handle is not
 * thread-safe (one thread per handle, or the caller's lock). Every wait is bounded by
 * opts.timeout_ms. */
#ifndef NSGNIC_DRIVER_H
#define NSGNIC_DRIVER_H

#include <stddef.h>
#include <sys/types.h> /* ssize_t */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum nsgnic_log_level { NSGNIC_LOG_ERR = 0, NSGNIC_LOG_WARN = 1, NSGNIC_LOG_INFO = 2, NSGNIC_LOG_DEBUG = 3 };

/* One message, without a trailing newline. */
typedef void (*nsgnic_log_fn)(void *ctx, enum nsgnic_log_level level, const char *msg);

/* User-settable options (set with nsgnic_dev_opts_default first). The driver copies the
 * struct; strings must outlive the handle. */
/* The system calls of the vfio backend: tests replace them (a fake VFIO kernel) where the
 * machine has no IOMMU. mmap maps `len` bytes of `fd` at `off` shared; the others are the libc
 * calls of the same names (-1 + errno on failure). */
struct nsgnic_vfio_sys {
  int (*open)(const char *path, int flags);
  int (*ioctl)(int fd, unsigned long req, void *arg);
  void *(*mmap)(size_t len, int prot, int fd, uint64_t off);
  int (*munmap)(void *addr, size_t len);
  int (*close)(int fd);
  ssize_t (*readlink)(const char *path, char *buf, size_t len);
};

struct nsgnic_dev_opts {
  nsgnic_log_fn log;      /* NULL: silent */
  void *log_ctx;
  unsigned timeout_ms;    /* bound of every wait (mailbox command, boot); default 1000 */
  const char *pci_dump;   /* enumerate from this `lspci -x` dump file instead of the bus */
  const char *sysfs_root; /* where BAR resource files and IOMMU groups are looked up; "/sys" */
  const char *dev_root;   /* where the VFIO device nodes are (DEV/vfio/...); default "/dev" */
  const struct nsgnic_vfio_sys *vfio_sys; /* tests: the vfio backend's system calls; NULL: real */
};

void nsgnic_dev_opts_default(struct nsgnic_dev_opts *o);

/* ---- enumeration (libpci) ------------------------------------------------------------- */

struct nsgnic_pci_dev {
  char bdf[16];           /* "dddd:bb:dd.f" */
  uint16_t domain;
  uint8_t bus, dev, func;
  uint16_t vendor_id, device_id;
  uint16_t device_class;  /* class << 8 | subclass */
  int known_id;           /* vendor/device are nsgnic's (PCI_VENDOR_ID/PCI_DEVICE_ID) */
};

/* Lists PCI functions: with `bdf` NULL, those with nsgnic's vendor/device id; with `bdf`
 * ("[dddd:]bb:dd.f"), that function whatever its id. Fills up to `max` entries of `out` and
 * returns how many matched (may exceed max), or -EINVAL (bad BDF), -ENOENT (dump file missing),
 * -EIO (libpci failed; message logged). */
int nsgnic_pci_list(const struct nsgnic_dev_opts *o, const char *bdf, struct nsgnic_pci_dev *out,
                    size_t max);

/* ---- device handle -------------------------------------------------------------------- */

struct nsgnic_dev;

/* Opens a device by `spec`:
 *   "pci"            the only board with nsgnic's id (-ENODEV none, -EEXIST several: give a BDF)
 *   "pci:BDF", "BDF" that function ("0000:03:00.0" or "03:00.0"), BAR0 mapped through sysfs
 *   "vfio:BDF"       that function through VFIO (bound to vfio-pci, in an IOMMU group: the
 *                    IOMMU-safe path; -ENODEV with what to do on a machine without an IOMMU)
 *   "fake[,OPT...]"  the in-process fake device; OPTs (tests): mute (firmware never answers),
 *                    badcpl (completions come back malformed), magic=N, hw_version=N,
 *                    fw_version=N (identity words it reports), selftest_fail
 *   "sim[,OPT...]"   the Verilated SoC, booted with the product firmware; OPTs: fw=PATH|none,
 *                    trace=FILE.fst (-ENOTSUP in a build without the HDL model)
 * then checks the hardware identity: MAGIC must be HOST_MAGIC (-ENODEV otherwise) and the
 * major of HW_VERSION must be the ABI major this driver was built with (-EPROTONOSUPPORT;
 * a newer minor is accepted). NULL with errno set on failure; ENOMEM. */
struct nsgnic_dev *nsgnic_dev_open(const char *spec, const struct nsgnic_dev_opts *o);

/* The simulated SoC behind a "sim" device (sim/nsgnic_soc.h: send packets, read results, step
 * the clock), to be used by the same thread between driver calls; NULL for other backends and
 * in builds without the model. The handle stays owned by the device. */
struct nsgnic_soc;
struct nsgnic_soc *nsgnic_dev_sim_soc(struct nsgnic_dev *d);

/* Maps `len` bytes of host memory at `vaddr` (both page-aligned) for the device's DMA and returns
 * the bus address (IOVA) the device must use. Only the vfio backend can (the IOMMU then confines
 * the device to such buffers); -ENOTSUP elsewhere, -EINVAL alignment, -errno of the kernel. */
int nsgnic_dev_dma_map(struct nsgnic_dev *d, void *vaddr, size_t len, uint64_t *iova);
/* Removes a mapping made by nsgnic_dev_dma_map (same iova and len). -ENOENT: no such mapping. */
int nsgnic_dev_dma_unmap(struct nsgnic_dev *d, uint64_t iova, size_t len);

/* Unmaps and frees. Leaves the board as it is (running firmware keeps running). NULL: no-op. */
void nsgnic_dev_close(struct nsgnic_dev *d);

/* What the device says about itself (hardware words always; firmware words when fw_valid). */
struct nsgnic_dev_id {
  const char *backend;          /* "pci", "vfio", "fake", "sim" */
  char where[64];               /* BDF, or the backend name */
  uint32_t hw_version, hw_build, hw_caps, window_bytes;
  int fw_valid;                 /* FW_MAGIC is HOST_MAGIC */
  uint32_t fw_version, fw_build, fw_caps, fw_state, selftest, heartbeat;
};
int nsgnic_dev_identify(struct nsgnic_dev *d, struct nsgnic_dev_id *id);

/* Holds the CPU in reset, soft-resets the datapath tables and flow cache and zeroes the host's
 * ring indices. Returns 0. */
int nsgnic_dev_reset(struct nsgnic_dev *d);

/* Writes the PT_LOAD segments of an ELF32 RISC-V image (the cross-built nsgnic-fw.elf) into the
 * CPU's RAMs through FW_LOAD_ADDR/FW_LOAD_DATA and reads them back. The CPU must be held
 * (after nsgnic_dev_reset). -ENOENT/-EIO reading, -ENOEXEC not such an image, -EBUSY CPU
 * running, -EFAULT the read-back differs (a segment outside the RAMs). */
int nsgnic_dev_load_firmware(struct nsgnic_dev *d, const char *elf_path);
/* The same from memory. */
int nsgnic_dev_load_firmware_mem(struct nsgnic_dev *d, const void *elf, size_t len);

/* Releases the CPU and waits (timeout_ms) until the firmware publishes FW_MAGIC, then checks
 * the firmware's ABI major (-EPROTONOSUPPORT), its mailbox geometry (-EPROTO) and FW_STATE:
 * -EIO when the boot self-test failed (the failed steps are logged), -ETIMEDOUT when the
 * firmware never came up. On success the mailbox is ready. */
int nsgnic_dev_start(struct nsgnic_dev *d);

/* Restarts the firmware alone (a firmware update, or a firmware that stopped answering) while
 * the datapath keeps forwarding: holds the CPU (no SOFT_RESET: tables, active bank, bindings,
 * flow cache and the other CTRL bits stay, so established flows keep passing and nothing is
 * half-applied), zeroes FW_MAGIC and the host's ring indices, loads elf_path and starts it as
 * nsgnic_dev_start does. The new firmware keeps the datapath's active bank, starts at table
 * version 0 with its own counters at 0 (the datapath's counters go on) and drops the frames
 * parked for the old firmware's events. Errors: those of load_firmware and start. */
int nsgnic_dev_restart_firmware(struct nsgnic_dev *d, const char *elf_path);

/* Uses firmware that is already running (e.g. loaded by an earlier process): the same checks
 * as nsgnic_dev_start without touching CTRL; takes over the ring indices as they are. */
int nsgnic_dev_attach(struct nsgnic_dev *d);

/* One mailbox command, synchronously: posts op (CMD_*) with req[0..req_len) as payload, rings
 * the doorbell and waits for its completion (timeout_ms). On return *status (if not NULL) has
 * the STATUS_* and resp[0..*resp_len) the payload. Returns 0 when the status is STATUS_OK,
 * -EREMOTEIO for another status (logged as a warning with its name), -EINVAL (req_len too long, not
 * started), -ETIMEDOUT (no completion: logged with whether the heartbeat still moves; the
 * handle stays usable, a late completion is recognised by its tag and dropped), -EPROTO
 * (malformed completion: wrong version, opcode, length or ring index), -EMSGSIZE (payload
 * longer than resp_max; the first resp_max words are copied). */
int nsgnic_dev_cmd(struct nsgnic_dev *d, uint32_t op, const uint32_t *req, unsigned req_len,
                   uint32_t *resp, unsigned resp_max, unsigned *resp_len, uint32_t *status);

/* Takes the next event from the event ring without waiting: returns 1 (code EVT_*, payload up
 * to MSG_PAYLOAD_WORDS words into p, *len words), 0 when the ring is empty, -EPROTO when the
 * ring indices or the slot are malformed. */
int nsgnic_dev_event(struct nsgnic_dev *d, uint32_t *code, uint32_t *p, unsigned *len);

/* The same, returning the whole slot (SLOT_WORDS words: header, sequence number, payload). */
int nsgnic_dev_event_slot(struct nsgnic_dev *d, uint32_t *slot);

/* Raw host-window access (diagnostics and tests): off must be 4-aligned inside the window. */
uint32_t nsgnic_dev_rd32(struct nsgnic_dev *d, uint32_t off);
void nsgnic_dev_wr32(struct nsgnic_dev *d, uint32_t off, uint32_t v);

/* Name of a STATUS_* code ("OK", "LIVE_ENTRY", ...; "?" when unknown). */
const char *nsgnic_status_name(uint32_t status);

#ifdef __cplusplus
}
#endif
#endif
