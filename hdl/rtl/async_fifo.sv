// SPDX-License-Identifier: Apache-2.0
// async_fifo: a FIFO between two clock domains (the write side on w_clk_i, the read side on
// r_clk_i, unrelated clocks), valid/ready on both sides; the read side is first-word fall-through
// from an output register (r_valid_o and r_data_o are flops: r_data_o shows the head while
// r_valid_o). The building block of axi_flow_cdc (one per AXI channel); the sync_fifo of one
// clock is its single-domain twin.
//
// Unit contract
//   Pointers of AW + 1 bits (AW = log2 Depth) count entries written / read; each side keeps its
//   own in binary and in Gray code (a register: the Gray value that crosses is a flop output, so
//   exactly one of its bits changes per step and a sampling during a change reads either the old
//   or the new pointer, never a third value); the other side's Gray pointer crosses through a
//   two-flop synchronizer (ASYNC_REG) and is converted back to binary. The write side sees the
//   read pointer late (never early), so full is pessimistic and never overwrites; the read side
//   sees the write pointer late, after the entry it covers was written (the memory write and the
//   pointer step share the clock edge), so empty is pessimistic and never reads an unwritten
//   entry. No entry is lost or read twice.
//   Throughput: one entry per clock on each side while the other keeps up; an entry takes about
//   four clocks of the reader to appear (write, two synchronizer stages, the output register), a
//   slot about three of the writer to be freed: Depth >= 8 keeps both sides at full rate for
//   clocks within a factor of about two (Depth 16: more). Depth + 1 entries fit (the output
//   register holds one).
//   Storage is an array written on w_clk_i and read at the read pointer into the output register
//   (distributed / LUT RAM with an asynchronous read port on an FPGA). A synthesis flow must
//   constrain the paths from the memory and from the Gray pointer registers to the other domain
//   with set_max_delay -datapath_only (one period of the destination clock) and keep the
//   synchronizers' ASYNC_REG.
//   Resets: w_rst_ni resets the write side, r_rst_ni the read side (both asynchronous, active
//   low). The two must be asserted together (overlapping) whenever either is: a pointer reset on
//   one side only would make the other side see entries that were never written or lose some.
//   axi_flow_cdc derives both from the two domains' resets with reset bridges, so either input
//   reset resets both sides. While its reset is asserted and one clock after, the write side is
//   not ready (w_ready_o low), so nothing is taken before the read side is out of reset too.
// Parameters
//   Width   bits per entry, >= 1
//   Depth   entries, power of two, 4..1024
`default_nettype none

module async_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,
  localparam int unsigned AW   = $clog2(Depth)
) (
  // write side (w_clk_i domain)
  input  wire logic             w_clk_i,
  input  wire logic             w_rst_ni,
  input  wire logic             w_valid_i,
  output logic                  w_ready_o,
  input  wire logic [Width-1:0] w_data_i,
  // read side (r_clk_i domain)
  input  wire logic             r_clk_i,
  input  wire logic             r_rst_ni,
  output logic                  r_valid_o,
  input  wire logic             r_ready_i,
  output logic [Width-1:0]      r_data_o
);
  if (Width < 1) begin : g_bad_width
    $error("async_fifo: Width must be >= 1");
  end
  if (Depth < 4 || Depth > 1024 || (Depth & (Depth - 1)) != 0) begin : g_bad_depth
    $error("async_fifo: Depth must be a power of two, 4..1024");
  end

  function automatic logic [AW:0] bin2gray(input logic [AW:0] b);
    bin2gray = b ^ (b >> 1);
  endfunction
  function automatic logic [AW:0] gray2bin(input logic [AW:0] g);
    gray2bin = g;
    for (int unsigned i = 1; i <= AW; i++) gray2bin = gray2bin ^ (g >> i);
  endfunction

  logic [Width-1:0] mem [Depth];

  // ---- write side ------------------------------------------------------------------------------
  logic [AW:0] wbin_q, wgray_q, wbin_d;
  (* ASYNC_REG = "TRUE" *) logic [AW:0] rgray_w1_q, rgray_w2_q;
  logic        w_up_q, w_full, w_take;
  assign w_full    = wbin_q - gray2bin(rgray_w2_q) == (AW+1)'(Depth);
  assign w_ready_o = w_up_q && !w_full;
  assign w_take    = w_valid_i && w_ready_o;
  assign wbin_d    = wbin_q + (AW+1)'(w_take);

  always_ff @(posedge w_clk_i) begin
    if (w_take) mem[wbin_q[AW-1:0]] <= w_data_i;
  end
  always_ff @(posedge w_clk_i or negedge w_rst_ni) begin
    if (!w_rst_ni) begin
      wbin_q     <= '0;
      wgray_q    <= '0;
      rgray_w1_q <= '0;
      rgray_w2_q <= '0;
      w_up_q     <= 1'b0;
    end else begin
      wbin_q     <= wbin_d;
      wgray_q    <= bin2gray(wbin_d);
      rgray_w1_q <= rgray_q;
      rgray_w2_q <= rgray_w1_q;
      w_up_q     <= 1'b1;
    end
  end

  // ---- read side: the head moves into the output register when it is empty or taken ----------
  logic [AW:0]      rbin_q, rgray_q, rbin_d;
  (* ASYNC_REG = "TRUE" *) logic [AW:0] wgray_r1_q, wgray_r2_q;
  logic             r_load, out_v_q;
  logic [Width-1:0] out_q;
  assign r_load    = rbin_q != gray2bin(wgray_r2_q) && (!out_v_q || r_ready_i);
  assign rbin_d    = rbin_q + (AW+1)'(r_load);
  assign r_valid_o = out_v_q;
  assign r_data_o  = out_q;

  always_ff @(posedge r_clk_i) begin
    if (r_load) out_q <= mem[rbin_q[AW-1:0]];
  end
  always_ff @(posedge r_clk_i or negedge r_rst_ni) begin
    if (!r_rst_ni) begin
      rbin_q     <= '0;
      rgray_q    <= '0;
      wgray_r1_q <= '0;
      wgray_r2_q <= '0;
      out_v_q    <= 1'b0;
    end else begin
      rbin_q     <= rbin_d;
      rgray_q    <= bin2gray(rbin_d);
      wgray_r1_q <= wgray_q;
      wgray_r2_q <= wgray_r1_q;
      if (r_load)         out_v_q <= 1'b1;
      else if (r_ready_i) out_v_q <= 1'b0;
    end
  end
endmodule

`default_nettype wire
