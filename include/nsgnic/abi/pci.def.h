/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, PCI identity and BAR layout as the host driver sees them (owned by the driver;
 * see README.md). No include guard on purpose. */
#define NSGNIC_ABI_PCI_CONSTS(X_CONST)
#define NSGNIC_ABI_PCI_ENUMS(X_ENUM)
#define NSGNIC_ABI_PCI_FIELDS(X_FIELD)
