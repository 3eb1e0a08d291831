// SPDX-License-Identifier: Apache-2.0
// Verdict combination (S2, S10, S13): the subnet-level and NIC-level rule-TCAM results and the
// platform class -> action, deciding rule id and reason. Combinational.
//   platform BLOCK                 -> DENY (PLATFORM_BLOCK), the platform entry's rule id
//   order: inbound subnet then NIC; outbound NIC then subnet; a level without NSG allows
//   at a level: no entry matched or ACTION_NONE -> PUNT (NO_RULE); DENY -> DENY (RULE_DENY);
//   PUNT -> PUNT (RULE_PUNT); ALLOW -> next level. First non-allow wins.
//   all allow -> ALLOW with the rule id of the last level that has an NSG (NO_RULE_ID if none)
// Platform EXEMPT is not handled here: it sets the rule key's PLATFORM bit and the compiled
// entries decide (a PLATFORM_EXEMPT catch-all allows).
`default_nettype none

module verdict (
  input  logic        outbound_i,
  input  logic        subnet_nsg_i,   // the subnet has an NSG
  input  logic        subnet_hit_i,
  input  logic [31:0] subnet_res_i,   // RESULT word
  input  logic        nic_nsg_i,
  input  logic        nic_hit_i,
  input  logic [31:0] nic_res_i,
  input  logic [1:0]  plat_class_i,   // PLATFORM_CLASS_* (NONE when no platform entry matched)
  input  logic [15:0] plat_rule_id_i,
  output logic [1:0]  action_o,       // ACTION_ALLOW / DENY / PUNT
  output logic [15:0] rule_id_o,
  output logic [4:0]  reason_o        // REASON_NONE for ALLOW
);
  localparam int unsigned AL = nsgnic_abi_pkg::RESULT_ACTION_LSB;
  localparam int unsigned RL = nsgnic_abi_pkg::RESULT_RULE_ID_LSB;

  logic        l_nsg [2];
  logic        l_hit [2];
  logic [31:0] l_res [2];
  logic [1:0]  act;

  always_comb begin
    l_nsg[0] = outbound_i ? nic_nsg_i : subnet_nsg_i;
    l_hit[0] = outbound_i ? nic_hit_i : subnet_hit_i;
    l_res[0] = outbound_i ? nic_res_i : subnet_res_i;
    l_nsg[1] = outbound_i ? subnet_nsg_i : nic_nsg_i;
    l_hit[1] = outbound_i ? subnet_hit_i : nic_hit_i;
    l_res[1] = outbound_i ? subnet_res_i : nic_res_i;

    action_o  = 2'(nsgnic_abi_pkg::ACTION_ALLOW);
    rule_id_o = 16'(nsgnic_abi_pkg::NO_RULE_ID);
    reason_o  = 5'(nsgnic_abi_pkg::REASON_NONE);
    act       = '0;
    if (plat_class_i == 2'(nsgnic_abi_pkg::PLATFORM_CLASS_BLOCK)) begin
      action_o  = 2'(nsgnic_abi_pkg::ACTION_DENY);
      rule_id_o = plat_rule_id_i;
      reason_o  = 5'(nsgnic_abi_pkg::REASON_PLATFORM_BLOCK);
    end else begin
      for (int l = 1; l >= 0; l--) begin
        // evaluated last-to-first so that the first non-allow level ends up in the outputs
        act = l_res[l][AL +: 2];
        if (l_nsg[l]) begin
          if (!l_hit[l] || act == 2'(nsgnic_abi_pkg::ACTION_NONE)) begin
            action_o  = 2'(nsgnic_abi_pkg::ACTION_PUNT);
            rule_id_o = 16'(nsgnic_abi_pkg::NO_RULE_ID);
            reason_o  = 5'(nsgnic_abi_pkg::REASON_NO_RULE);
          end else if (act == 2'(nsgnic_abi_pkg::ACTION_DENY)) begin
            action_o  = act;
            rule_id_o = l_res[l][RL +: 16];
            reason_o  = 5'(nsgnic_abi_pkg::REASON_RULE_DENY);
          end else if (act == 2'(nsgnic_abi_pkg::ACTION_PUNT)) begin
            action_o  = act;
            rule_id_o = l_res[l][RL +: 16];
            reason_o  = 5'(nsgnic_abi_pkg::REASON_RULE_PUNT);
          end else if (action_o == 2'(nsgnic_abi_pkg::ACTION_ALLOW) &&
                       rule_id_o == 16'(nsgnic_abi_pkg::NO_RULE_ID)) begin
            rule_id_o = l_res[l][RL +: 16];  // allowing rule of the last level with an NSG
          end
        end
      end
    end
  end
endmodule

`default_nettype wire
