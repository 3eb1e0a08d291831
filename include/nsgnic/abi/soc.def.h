/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, SoC memory map as the soft-core sees it (owned by the CPU/SoC; see README.md).
 * No include guard on purpose. */
#define NSGNIC_ABI_SOC_CONSTS(X_CONST)
#define NSGNIC_ABI_SOC_ENUMS(X_ENUM)
#define NSGNIC_ABI_SOC_FIELDS(X_FIELD)
