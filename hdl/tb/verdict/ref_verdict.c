/* SPDX-License-Identifier: Apache-2.0 */
/* Reference S2 verdict combination (see ref_verdict.h). */
#include "ref_verdict.h"

#include "nsgnic/abi.h"

/* Platform BLOCK denies with the platform entry's rule id. Otherwise the levels are evaluated in
 * S2 order (inbound: subnet then NIC; outbound: NIC then subnet); a level without NSG is
 * skipped (allows); at a level with an NSG, no match or ACTION_NONE -> PUNT/NO_RULE, DENY or
 * PUNT -> that action and rule id, first non-allow wins. All allow: the rule id of the last level
 * whose allowing rule has an id; an allowing entry with NO_RULE_ID (the compiler's platform-
 * exemption catch-all, "allowed without a deciding rule") does not decide, as in the compiler's
 * tables model (hostlib/src/compiler/tables.c); NO_RULE_ID when no level decided. EXEMPT and the
 * undefined class 3 are left to the rule key (treated as NONE here). */
void ref_verdict(const struct ref_verdict_in *in, struct ref_verdict_out *out)
{
  out->action = NSGNIC_ACTION_ALLOW;
  out->rule_id = NSGNIC_NO_RULE_ID;
  out->reason = NSGNIC_REASON_NONE;
  if (in->plat_class == NSGNIC_PLATFORM_CLASS_BLOCK) {
    out->action = NSGNIC_ACTION_DENY;
    out->rule_id = in->plat_rule_id;
    out->reason = NSGNIC_REASON_PLATFORM_BLOCK;
    return;
  }
  for (int step = 0; step < 2; step++) {
    int l = in->outbound ? 1 - step : step;
    if (!in->nsg[l])
      continue;
    unsigned act = (unsigned)NSGNIC_GET(&in->res[l], RESULT_ACTION);
    unsigned id = (unsigned)NSGNIC_GET(&in->res[l], RESULT_RULE_ID);
    if (!in->hit[l] || act == NSGNIC_ACTION_NONE) {
      out->action = NSGNIC_ACTION_PUNT;
      out->rule_id = NSGNIC_NO_RULE_ID;
      out->reason = NSGNIC_REASON_NO_RULE;
      return;
    }
    if (act == NSGNIC_ACTION_DENY || act == NSGNIC_ACTION_PUNT) {
      out->action = act;
      out->rule_id = id;
      out->reason = act == NSGNIC_ACTION_DENY ? NSGNIC_REASON_RULE_DENY : NSGNIC_REASON_RULE_PUNT;
      return;
    }
    if (id != NSGNIC_NO_RULE_ID)
      out->rule_id = id;
  }
}
