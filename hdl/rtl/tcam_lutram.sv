// SPDX-License-Identifier: Apache-2.0
// One LUTRAM slice of the TCAM truth tables: RPorts read-only columns of 2^AW x 2 bits, each
// with its own (asynchronous) read address, all written together at one address (one write
// enable, one write address, RPorts x 2 data bits). This is the UltraScale+ RAM32M16 without
// its eighth LUT's read port (whose read address is the write address): with AW = 5 and
// RPorts = 7 and NSGNIC_XILINX defined (bench/datapath.sh, hdl/tb/timing.sh), the primitive is
// instantiated explicitly (yosys 0.23 does not infer it: a multi-port LUTRAM with one shared
// write port and seven independent read addresses is not one of its memory patterns); otherwise
// a behavioural model of the same function.
`default_nettype none

module tcam_lutram #(
  parameter int unsigned AW     = 5,   // address bits (rows = 2^AW)
  parameter int unsigned RPorts = 7    // read columns, 1..7
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AW-1:0]        waddr_i,
  input  logic [2*RPorts-1:0]  wdata_i,   // column k at [2k +: 2]
  input  logic [AW*RPorts-1:0] raddr_i,   // column k at [AW*k +: AW]
  output logic [2*RPorts-1:0]  rdata_o
);
  if (RPorts < 1 || RPorts > 7) begin : g_bad_ports
    $error("tcam_lutram: RPorts must be 1..7");
  end

`ifdef NSGNIC_XILINX
  localparam bit UsePrim = (AW == 5);
`else
  localparam bit UsePrim = 1'b0;
`endif

  if (UsePrim) begin : g_prim
`ifdef NSGNIC_XILINX
    logic [13:0] di, dout;
    logic [39:0] ad;
    logic [1:0]  doh_unused;
    assign di = 14'(wdata_i);
    assign ad = 40'(raddr_i);
    RAM32M16 u_ram (
      .DOA(dout[1:0]), .DOB(dout[3:2]), .DOC(dout[5:4]), .DOD(dout[7:6]), .DOE(dout[9:8]),
      .DOF(dout[11:10]), .DOG(dout[13:12]), .DOH(doh_unused),
      .ADDRA(ad[4:0]), .ADDRB(ad[9:5]), .ADDRC(ad[14:10]), .ADDRD(ad[19:15]),
      .ADDRE(ad[24:20]), .ADDRF(ad[29:25]), .ADDRG(ad[34:30]), .ADDRH(waddr_i),
      .DIA(di[1:0]), .DIB(di[3:2]), .DIC(di[5:4]), .DID(di[7:6]), .DIE(di[9:8]),
      .DIF(di[11:10]), .DIG(di[13:12]), .DIH(2'b00), .WCLK(clk_i), .WE(we_i));
    assign rdata_o = dout[2*RPorts-1:0];
`endif
  end else begin : g_model
    for (genvar k = 0; k < RPorts; k++) begin : g_col
      logic [1:0] mem [1 << AW];
      always_ff @(posedge clk_i) begin
        if (we_i) mem[waddr_i] <= wdata_i[2*k +: 2];
      end
      assign rdata_o[2*k +: 2] = mem[raddr_i[AW*k +: AW]];
    end
  end
endmodule

`default_nettype wire
