// SPDX-License-Identifier: Apache-2.0
// rv32_iram: the instruction RAM, true dual-port with synchronous reads (one block RAM on an
// FPGA). Port A is the core's instruction fetch (read every cycle); port B is the data side
// (the core's loads/stores into code space, and the host loading firmware), with byte enables
// and read-first behaviour. Optional contents at configuration time from a $readmemh file.
`default_nettype none

module rv32_iram #(
  parameter int unsigned Bytes    = 65536,  // size in bytes: a power of two, >= 64
  parameter              InitFile = ""      // $readmemh image (one 32-bit word per line) or ""
) (
  input  wire logic                         clk_i,
  // port A: fetch
  input  wire logic [$clog2(Bytes/4)-1:0]   a_addr_i,   // word index
  output logic [31:0]                       a_rdata_o,
  // port B: data
  input  wire logic                         b_req_i,
  input  wire logic                         b_we_i,
  input  wire logic [3:0]                   b_be_i,
  input  wire logic [$clog2(Bytes/4)-1:0]   b_addr_i,   // word index
  input  wire logic [31:0]                  b_wdata_i,
  output logic [31:0]                       b_rdata_o
);
  localparam int unsigned Words = Bytes / 4;

  if (Bytes < 64 || (Bytes & (Bytes - 1)) != 0) begin : gen_bad_bytes
    $error("rv32_iram: Bytes must be a power of two >= 64");
  end

  logic [31:0] mem [0:Words-1];

  if (InitFile != "") begin : gen_init
    initial $readmemh(InitFile, mem);
  end

  always_ff @(posedge clk_i) begin
    a_rdata_o <= mem[a_addr_i];
  end

  always_ff @(posedge clk_i) begin
    if (b_req_i) begin
      b_rdata_o <= mem[b_addr_i];
      for (int i = 0; i < 4; i++) begin
        if (b_we_i && b_be_i[i]) begin
          mem[b_addr_i][8*i +: 8] <= b_wdata_i[8*i +: 8];
        end
      end
    end
  end
endmodule

`default_nettype wire
