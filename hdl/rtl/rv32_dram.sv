// SPDX-License-Identifier: Apache-2.0
// rv32_dram: the data RAM, single-port with a synchronous read-first read (one block RAM on an
// FPGA), byte enables, shared by the core's loads/stores and the host loading firmware.
// Optional contents at configuration time from a $readmemh file.
`default_nettype none

module rv32_dram #(
  parameter int unsigned Bytes    = 65536,  // size in bytes: a power of two, >= 64
  parameter              InitFile = ""      // $readmemh image (one 32-bit word per line) or ""
) (
  input  wire logic                         clk_i,
  input  wire logic                         req_i,
  input  wire logic                         we_i,
  input  wire logic [3:0]                   be_i,
  input  wire logic [$clog2(Bytes/4)-1:0]   addr_i,   // word index
  input  wire logic [31:0]                  wdata_i,
  output logic [31:0]                       rdata_o
);
  localparam int unsigned Words = Bytes / 4;

  if (Bytes < 64 || (Bytes & (Bytes - 1)) != 0) begin : gen_bad_bytes
    $error("rv32_dram: Bytes must be a power of two >= 64");
  end

  logic [31:0] mem [0:Words-1];

  if (InitFile != "") begin : gen_init
    initial $readmemh(InitFile, mem);
  end

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      rdata_o <= mem[addr_i];
      for (int i = 0; i < 4; i++) begin
        if (we_i && be_i[i]) begin
          mem[addr_i][8*i +: 8] <= wdata_i[8*i +: 8];
        end
      end
    end
  end
endmodule

`default_nettype wire
