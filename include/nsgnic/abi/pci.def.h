/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, PCI identity and BAR layout as the host driver sees them (owned by the driver;
 * see README.md and docs/driver.md). No include guard on purpose.
 *
 * The vendor/device pair is PROVISIONAL: 0x1e4e is not in pci.ids (checked against
 * pciutils' list shipped with Debian 12) and has not been assigned to us. A real board must
 * use an id assigned by PCI-SIG (or a vendor's sub-allocation) before it leaves the lab; only
 * this file changes then, and the driver also accepts any BDF given explicitly. */
#define NSGNIC_ABI_PCI_CONSTS(X_CONST) \
  X_CONST(PCI_VENDOR_ID, 0x1e4e, "PCI vendor id of an nsgnic board (PROVISIONAL, unassigned)") \
  X_CONST(PCI_DEVICE_ID, 0x4e53, "PCI device id of an nsgnic board (PROVISIONAL)") \
  X_CONST(PCI_CLASS, 0x0200, "PCI class/subclass the board reports (Ethernet controller)") \
  X_CONST(PCI_BAR_HOST, 0, "BAR index of the host window (sysfs resource0): memory, 32-bit, non-prefetchable") \
  X_CONST(PCI_BAR_HOST_BYTES, 0x8000, "minimum BAR0 size in bytes (= HOSTWIN_BYTES; the window starts at BAR offset 0)")
#define NSGNIC_ABI_PCI_ENUMS(X_ENUM)
#define NSGNIC_ABI_PCI_FIELDS(X_FIELD)
