/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware product: boot on the datapath HAL and run the main loop forever. */
#include "fw.h"
#include "hal_csr.h"

int main(void);

static struct fw fw;
static struct fw_hal hal;

int main(void)
{
  fw_hal_csr_init(&hal);
  fw_init(&fw, &hal);
  for (;;)
    fw_poll(&fw);
}
