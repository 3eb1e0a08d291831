/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, host window (BAR0), mailbox and rings (owned by the SoC/firmware; see
 * README.md). Empty until the SoC defines it. No include guard on purpose. */
#define NSGNIC_ABI_HOST_CONSTS(X_CONST)
#define NSGNIC_ABI_HOST_ENUMS(X_ENUM)
#define NSGNIC_ABI_HOST_FIELDS(X_FIELD)
