/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic ABI, datapath CSR map (owned by the datapath; see README.md). Empty until the datapath
 * defines it. No include guard on purpose. */
#define NSGNIC_ABI_CSR_CONSTS(X_CONST)
#define NSGNIC_ABI_CSR_ENUMS(X_ENUM)
#define NSGNIC_ABI_CSR_FIELDS(X_FIELD)
