/* SPDX-License-Identifier: Apache-2.0 */
/* Reference S2 verdict combination for the verdict testbench (the contract at the top of
 * hdl/rtl/verdict.sv), written level by level in evaluation order. */
#ifndef NSGNIC_TB_REF_VERDICT_H
#define NSGNIC_TB_REF_VERDICT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ref_verdict_in {
  int outbound;
  int nsg[2], hit[2]; /* [0] subnet, [1] NIC */
  uint32_t res[2];    /* RESULT words */
  unsigned plat_class, plat_rule_id;
};

struct ref_verdict_out {
  unsigned action, rule_id, reason;
};

void ref_verdict(const struct ref_verdict_in *in, struct ref_verdict_out *out);

#ifdef __cplusplus
}
#endif
#endif
