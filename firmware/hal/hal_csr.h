/* SPDX-License-Identifier: Apache-2.0 */
/* Datapath backend of the firmware HAL: the tables through the datapath CSR bus (csr.def.h),
 * the host window at its SoC address, time from mtime. Target only. */
#ifndef NSGNIC_FW_HAL_CSR_H
#define NSGNIC_FW_HAL_CSR_H

#include "hal.h"

/* Fills `hal` (window, ops, table sizes read from the datapath's capability registers). */
void fw_hal_csr_init(struct fw_hal *hal);

#endif /* NSGNIC_FW_HAL_CSR_H */
