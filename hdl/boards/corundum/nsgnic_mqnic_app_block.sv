// SPDX-License-Identifier: Apache-2.0
// mqnic_app_block (nsgnic): nsgnic as the application block of a Corundum NIC (mqnic_core), in
// the position of its interface-level streams, so every frame between the host's queues and the
// wire of interface 0 passes the NSG datapath. The module name, parameters and ports are
// Corundum's (the list in mqnic_app_block.ports, checked by scripts/check-ports); an mqnic
// design builds it in place of the template block (docs/board.md, "In a Corundum NIC").
//
//   s_axil_app_ctrl_* (clk) --------------------> nsgnic_top AXI4-Lite (the app BAR, BAR2)
//   s_axis_if_tx_* (host queues -> port: a VM's frame; vport = tid >> TxQueueShift)  -.
//                                                           axis_frame_arb -> nsgnic_top
//   s_axis_if_rx_* (port -> host queues: a wire frame; label context = tid)          -'
//   nsgnic_top m_axis, by PORT.KIND:
//        WIRE -> m_axis_if_tx_* (tdest 0: port 0 of the interface; tuser tag 0)
//        VF   -> m_axis_if_rx_* (tdest = {1, vport}: the RX queue map's direct mode, queue = vport)
//   m_axis_if_tx_cpl_*: the completion of each host frame, sent when nsgnic has taken its last
//        beat (the frame is then nsgnic's, whatever its verdict); s_axis_if_tx_cpl_* (the MAC's
//        completions of nsgnic's own wire frames, tag 0) are absorbed.
//   nsgnic_top m_axi_flow_* (the DRAM flow tier, FlowDram; clk) --axi_flow_cdc--> m_axi_ddr_*
//        channel 0 (ddr_clk[0]): the flow table in DDR4, resized to AXI_DDR_DATA_WIDTH
//   The direct and sync streams pass straight through (as the template); DMA, HBM, the other DDR
//   channels (and channel 0 without the tier), the control master, statistics and GPIO are tied
//   off as the template ties them off.
//
// Unit contract
//   One clock: the interface streams and the app's AXI4-Lite port are all on mqnic_core's clk
//   (250 MHz in the 100G Alveo designs), which also clocks nsgnic_top: no crossing there. rst is
//   Corundum's synchronous active-high reset. The one crossing is the flow tier's memory port
//   (FlowDram): axi_flow_cdc carries it to DDR channel 0 on ddr_clk[0] (reset ddr_rst[0]), each
//   64-byte entry one burst of 512 / AXI_DDR_DATA_WIDTH beats with ID 0, the tier's table at
//   DdrBaseAddr. A reset of either clock domain alone is survived (axi_flow_cdc.sv: stale answers
//   dropped, lost ones answered SLVERR); the tier's SLVERR is sticky (flow_dram_err_o).
//   One beat per clock in and out at 512 bits (the datapath's rate); host and wire frames share
//   it frame by frame (round-robin). Frames leave as the datapath emits them (no store-and-
//   forward: Corundum's FIFOs downstream take frames without a size).
//   Fail closed: a host frame from a queue whose vport is >= Vports, or flagged bad by the TX
//   engine (tuser[0]), and a wire frame flagged bad by the MAC (tuser[0]) are taken and dropped
//   before the datapath (a host frame is still completed, so its queue does not stall).
//   Time stamps: a completion carries ptp_sync_ts_tod when nsgnic took the frame, a frame to the
//   host ptp_sync_ts_tod when it left nsgnic (not the MAC's times: PTP needs the MAC's).
//   The SoC's debug outputs (irq, monitor, tohost) have no Corundum port; they stay inside as
//   dbg_* (public to Verilator for the co-simulation, for ILA on the board); the host polls
//   IRQ_STATUS.
// Parameters
//   Corundum's (see mqnic_app_block.ports): used are APP_ID (must be NsgnicAppId), IF_COUNT (1),
//   AXIS_IF_* widths (data 512, RX dest wide enough for Vports), TX_TAG_WIDTH, PTP_TS_*,
//   MAX_TX_SIZE / MAX_RX_SIZE (<= MaxBeats * 64), AXIL_APP_CTRL_* (32-bit data, >= 15 address
//   bits: the 32 KiB host window), CLK_PERIOD_NS_* (the firmware tick: 1 ms).
//   Also DDR_ENABLE, DDR_CH, AXI_DDR_* (the tier on channel 0: FlowDram needs DDR_ENABLE; data
//   width 512, 256, 128 or 64; bursts of 512 / AXI_DDR_DATA_WIDTH <= AXI_DDR_MAX_BURST_LEN).
//   TxQueueShift   TX queues per vport = 2**TxQueueShift (vport = queue index >> TxQueueShift)
//   FlowDram       1: the DRAM flow tier on, in DDR channel 0 (default: DDR_ENABLE)
//   DramAddrW      the tier's address bits (its window in the channel: DdrBaseAddr +
//                  2**DramAddrW <= 2**AXI_DDR_ADDR_WIDTH; 64 x the slots must fit it)
//   DdrBaseAddr    where the tier's window starts in channel 0 (a multiple of 64)
//   DdrFifoDepth   axi_flow_cdc's FIFO entries per channel; DdrMaxOut its reads / writes in flight
//   other parameters: nsgnic_top's (realistic defaults; co-simulation builds it small)
`resetall
`default_nettype none

module mqnic_app_block #(
  parameter IF_COUNT = 1,
  parameter PORTS_PER_IF = 1,
  parameter SCHED_PER_IF = PORTS_PER_IF,
  parameter PORT_COUNT = IF_COUNT*PORTS_PER_IF,
  parameter CLK_PERIOD_NS_NUM = 4,
  parameter CLK_PERIOD_NS_DENOM = 1,
  parameter PTP_CLK_PERIOD_NS_NUM = 4,
  parameter PTP_CLK_PERIOD_NS_DENOM = 1,
  parameter PTP_TS_WIDTH = 96,
  parameter PTP_PORT_CDC_PIPELINE = 0,
  parameter PTP_PEROUT_ENABLE = 0,
  parameter PTP_PEROUT_COUNT = 1,
  parameter PTP_TS_ENABLE = 1,
  parameter TX_TAG_WIDTH = 16,
  parameter MAX_TX_SIZE = 9214,
  parameter MAX_RX_SIZE = 9214,
  parameter DDR_CH = 1,
  parameter DDR_ENABLE = 0,
  parameter DDR_GROUP_SIZE = 1,
  parameter AXI_DDR_DATA_WIDTH = 256,
  parameter AXI_DDR_ADDR_WIDTH = 32,
  parameter AXI_DDR_STRB_WIDTH = (AXI_DDR_DATA_WIDTH/8),
  parameter AXI_DDR_ID_WIDTH = 8,
  parameter AXI_DDR_AWUSER_ENABLE = 0,
  parameter AXI_DDR_AWUSER_WIDTH = 1,
  parameter AXI_DDR_WUSER_ENABLE = 0,
  parameter AXI_DDR_WUSER_WIDTH = 1,
  parameter AXI_DDR_BUSER_ENABLE = 0,
  parameter AXI_DDR_BUSER_WIDTH = 1,
  parameter AXI_DDR_ARUSER_ENABLE = 0,
  parameter AXI_DDR_ARUSER_WIDTH = 1,
  parameter AXI_DDR_RUSER_ENABLE = 0,
  parameter AXI_DDR_RUSER_WIDTH = 1,
  parameter AXI_DDR_MAX_BURST_LEN = 256,
  parameter AXI_DDR_NARROW_BURST = 0,
  parameter AXI_DDR_FIXED_BURST = 0,
  parameter AXI_DDR_WRAP_BURST = 0,
  parameter HBM_CH = 1,
  parameter HBM_ENABLE = 0,
  parameter HBM_GROUP_SIZE = 1,
  parameter AXI_HBM_DATA_WIDTH = 256,
  parameter AXI_HBM_ADDR_WIDTH = 32,
  parameter AXI_HBM_STRB_WIDTH = (AXI_HBM_DATA_WIDTH/8),
  parameter AXI_HBM_ID_WIDTH = 8,
  parameter AXI_HBM_AWUSER_ENABLE = 0,
  parameter AXI_HBM_AWUSER_WIDTH = 1,
  parameter AXI_HBM_WUSER_ENABLE = 0,
  parameter AXI_HBM_WUSER_WIDTH = 1,
  parameter AXI_HBM_BUSER_ENABLE = 0,
  parameter AXI_HBM_BUSER_WIDTH = 1,
  parameter AXI_HBM_ARUSER_ENABLE = 0,
  parameter AXI_HBM_ARUSER_WIDTH = 1,
  parameter AXI_HBM_RUSER_ENABLE = 0,
  parameter AXI_HBM_RUSER_WIDTH = 1,
  parameter AXI_HBM_MAX_BURST_LEN = 256,
  parameter AXI_HBM_NARROW_BURST = 0,
  parameter AXI_HBM_FIXED_BURST = 0,
  parameter AXI_HBM_WRAP_BURST = 0,
  parameter APP_ID = 32'h4E530001,
  parameter APP_CTRL_ENABLE = 1,
  parameter APP_DMA_ENABLE = 1,
  parameter APP_AXIS_DIRECT_ENABLE = 1,
  parameter APP_AXIS_SYNC_ENABLE = 1,
  parameter APP_AXIS_IF_ENABLE = 1,
  parameter APP_STAT_ENABLE = 1,
  parameter APP_GPIO_IN_WIDTH = 32,
  parameter APP_GPIO_OUT_WIDTH = 32,
  parameter DMA_ADDR_WIDTH = 64,
  parameter DMA_IMM_ENABLE = 0,
  parameter DMA_IMM_WIDTH = 32,
  parameter DMA_LEN_WIDTH = 16,
  parameter DMA_TAG_WIDTH = 16,
  parameter RAM_SEL_WIDTH = 4,
  parameter RAM_ADDR_WIDTH = 16,
  parameter RAM_SEG_COUNT = 2,
  parameter RAM_SEG_DATA_WIDTH = 256*2/RAM_SEG_COUNT,
  parameter RAM_SEG_BE_WIDTH = RAM_SEG_DATA_WIDTH/8,
  parameter RAM_SEG_ADDR_WIDTH = RAM_ADDR_WIDTH-$clog2(RAM_SEG_COUNT*RAM_SEG_BE_WIDTH),
  parameter RAM_PIPELINE = 2,
  parameter AXIL_APP_CTRL_DATA_WIDTH = 32,
  parameter AXIL_APP_CTRL_ADDR_WIDTH = 16,
  parameter AXIL_APP_CTRL_STRB_WIDTH = (AXIL_APP_CTRL_DATA_WIDTH/8),
  parameter AXIL_CTRL_DATA_WIDTH = 32,
  parameter AXIL_CTRL_ADDR_WIDTH = 16,
  parameter AXIL_CTRL_STRB_WIDTH = (AXIL_CTRL_DATA_WIDTH/8),
  parameter AXIS_DATA_WIDTH = 512,
  parameter AXIS_KEEP_WIDTH = AXIS_DATA_WIDTH/8,
  parameter AXIS_TX_USER_WIDTH = TX_TAG_WIDTH+1,
  parameter AXIS_RX_USER_WIDTH = (PTP_TS_ENABLE?PTP_TS_WIDTH:0)+1,
  parameter AXIS_RX_USE_READY = 0,
  parameter AXIS_SYNC_DATA_WIDTH = AXIS_DATA_WIDTH,
  parameter AXIS_SYNC_KEEP_WIDTH = AXIS_SYNC_DATA_WIDTH/8,
  parameter AXIS_SYNC_TX_USER_WIDTH = AXIS_TX_USER_WIDTH,
  parameter AXIS_SYNC_RX_USER_WIDTH = AXIS_RX_USER_WIDTH,
  parameter AXIS_IF_DATA_WIDTH = AXIS_SYNC_DATA_WIDTH*2**$clog2(PORTS_PER_IF),
  parameter AXIS_IF_KEEP_WIDTH = AXIS_IF_DATA_WIDTH/8,
  parameter AXIS_IF_TX_ID_WIDTH = 12,
  parameter AXIS_IF_RX_ID_WIDTH = PORTS_PER_IF>1?$clog2(PORTS_PER_IF):1,
  parameter AXIS_IF_TX_DEST_WIDTH = $clog2(PORTS_PER_IF)+4,
  parameter AXIS_IF_RX_DEST_WIDTH = 8,
  parameter AXIS_IF_TX_USER_WIDTH = AXIS_SYNC_TX_USER_WIDTH,
  parameter AXIS_IF_RX_USER_WIDTH = AXIS_SYNC_RX_USER_WIDTH,
  parameter STAT_ENABLE = 1,
  parameter STAT_INC_WIDTH = 24,
  parameter STAT_ID_WIDTH = 12,
  // nsgnic's own parameters (mqnic_core leaves them at their defaults)
  parameter logic [31:0] NsgnicAppId     = 32'h4E530001,
  parameter int unsigned TxQueueShift    = 0,
  parameter              IramInitFile    = "",
  parameter              DramInitFile    = "",
  parameter logic [31:0] HwBuild         = 32'h0,
  parameter int unsigned TickCycles      = 1000000 * CLK_PERIOD_NS_DENOM / CLK_PERIOD_NS_NUM,
  parameter int unsigned MaxBeats        = 152,      // 9,728 bytes >= MAX_TX_SIZE, MAX_RX_SIZE
  parameter int unsigned DataDepth       = 256,
  parameter int unsigned IramBytes       = nsgnic_abi_pkg::SOC_IRAM_BYTES,
  parameter int unsigned DramBytes       = nsgnic_abi_pkg::SOC_DRAM_BYTES,
  parameter int unsigned HdrBytes        = 128,
  parameter int unsigned VqDepth         = 32,
  parameter int unsigned ExqDepth        = 8,
  parameter int unsigned RuleEntries     = 4096,
  parameter int unsigned LabelEntries    = 2048,
  parameter int unsigned PlatformEntries = 16,
  parameter int unsigned Vports          = 256,
  parameter int unsigned FlowBuckets     = 1024,
  parameter int unsigned FlowWays        = 8,
  parameter int unsigned FlowStash       = 32,
  parameter int unsigned ChunkW          = 5,
  // the DRAM flow tier in DDR channel 0 (nsgnic_top's Dram*: 4 x 8,192 x 32 slots, 64 MiB)
  parameter int unsigned FlowDram        = DDR_ENABLE,
  parameter int unsigned DramBuckets     = 8192,
  parameter int unsigned DramWays        = 32,
  parameter int unsigned DramSigW        = 31,
  parameter int unsigned DramDepth       = 512,
  parameter int unsigned DramDbt         = 1024,
  parameter int unsigned DramAddrW       = AXI_DDR_ADDR_WIDTH,
  parameter logic [63:0] DdrBaseAddr     = 64'h0,
  parameter int unsigned DdrFifoDepth    = 16,
  parameter int unsigned DdrMaxOut       = 128
) (
  // Structural configuration
  // Clock configuration
  // PTP configuration
  // Interface configuration
  // RAM configuration
  // Application configuration
  // DMA interface configuration
  // AXI lite interface (application control from host)
  // AXI lite interface (control to NIC)
  // Ethernet interface configuration (direct, async)
  // Ethernet interface configuration (direct, sync)
  // Ethernet interface configuration (interface)
  // Statistics counter subsystem
  input  wire                                              clk,
  input  wire                                              rst,
  // AXI-Lite slave interface (control from host)
  input  wire [AXIL_APP_CTRL_ADDR_WIDTH-1:0]               s_axil_app_ctrl_awaddr,
  input  wire [2:0]                                        s_axil_app_ctrl_awprot,
  input  wire                                              s_axil_app_ctrl_awvalid,
  output wire                                              s_axil_app_ctrl_awready,
  input  wire [AXIL_APP_CTRL_DATA_WIDTH-1:0]               s_axil_app_ctrl_wdata,
  input  wire [AXIL_APP_CTRL_STRB_WIDTH-1:0]               s_axil_app_ctrl_wstrb,
  input  wire                                              s_axil_app_ctrl_wvalid,
  output wire                                              s_axil_app_ctrl_wready,
  output wire [1:0]                                        s_axil_app_ctrl_bresp,
  output wire                                              s_axil_app_ctrl_bvalid,
  input  wire                                              s_axil_app_ctrl_bready,
  input  wire [AXIL_APP_CTRL_ADDR_WIDTH-1:0]               s_axil_app_ctrl_araddr,
  input  wire [2:0]                                        s_axil_app_ctrl_arprot,
  input  wire                                              s_axil_app_ctrl_arvalid,
  output wire                                              s_axil_app_ctrl_arready,
  output wire [AXIL_APP_CTRL_DATA_WIDTH-1:0]               s_axil_app_ctrl_rdata,
  output wire [1:0]                                        s_axil_app_ctrl_rresp,
  output wire                                              s_axil_app_ctrl_rvalid,
  input  wire                                              s_axil_app_ctrl_rready,
  // AXI-Lite master interface (control to NIC)
  output wire [AXIL_CTRL_ADDR_WIDTH-1:0]                   m_axil_ctrl_awaddr,
  output wire [2:0]                                        m_axil_ctrl_awprot,
  output wire                                              m_axil_ctrl_awvalid,
  input  wire                                              m_axil_ctrl_awready,
  output wire [AXIL_CTRL_DATA_WIDTH-1:0]                   m_axil_ctrl_wdata,
  output wire [AXIL_CTRL_STRB_WIDTH-1:0]                   m_axil_ctrl_wstrb,
  output wire                                              m_axil_ctrl_wvalid,
  input  wire                                              m_axil_ctrl_wready,
  input  wire [1:0]                                        m_axil_ctrl_bresp,
  input  wire                                              m_axil_ctrl_bvalid,
  output wire                                              m_axil_ctrl_bready,
  output wire [AXIL_CTRL_ADDR_WIDTH-1:0]                   m_axil_ctrl_araddr,
  output wire [2:0]                                        m_axil_ctrl_arprot,
  output wire                                              m_axil_ctrl_arvalid,
  input  wire                                              m_axil_ctrl_arready,
  input  wire [AXIL_CTRL_DATA_WIDTH-1:0]                   m_axil_ctrl_rdata,
  input  wire [1:0]                                        m_axil_ctrl_rresp,
  input  wire                                              m_axil_ctrl_rvalid,
  output wire                                              m_axil_ctrl_rready,
  // DMA read descriptor output (control)
  output wire [DMA_ADDR_WIDTH-1:0]                         m_axis_ctrl_dma_read_desc_dma_addr,
  output wire [RAM_SEL_WIDTH-1:0]                          m_axis_ctrl_dma_read_desc_ram_sel,
  output wire [RAM_ADDR_WIDTH-1:0]                         m_axis_ctrl_dma_read_desc_ram_addr,
  output wire [DMA_LEN_WIDTH-1:0]                          m_axis_ctrl_dma_read_desc_len,
  output wire [DMA_TAG_WIDTH-1:0]                          m_axis_ctrl_dma_read_desc_tag,
  output wire                                              m_axis_ctrl_dma_read_desc_valid,
  input  wire                                              m_axis_ctrl_dma_read_desc_ready,
  // DMA read descriptor status input (control)
  input  wire [DMA_TAG_WIDTH-1:0]                          s_axis_ctrl_dma_read_desc_status_tag,
  input  wire [3:0]                                        s_axis_ctrl_dma_read_desc_status_error,
  input  wire                                              s_axis_ctrl_dma_read_desc_status_valid,
  // DMA write descriptor output (control)
  output wire [DMA_ADDR_WIDTH-1:0]                         m_axis_ctrl_dma_write_desc_dma_addr,
  output wire [RAM_SEL_WIDTH-1:0]                          m_axis_ctrl_dma_write_desc_ram_sel,
  output wire [RAM_ADDR_WIDTH-1:0]                         m_axis_ctrl_dma_write_desc_ram_addr,
  output wire [DMA_IMM_WIDTH-1:0]                          m_axis_ctrl_dma_write_desc_imm,
  output wire                                              m_axis_ctrl_dma_write_desc_imm_en,
  output wire [DMA_LEN_WIDTH-1:0]                          m_axis_ctrl_dma_write_desc_len,
  output wire [DMA_TAG_WIDTH-1:0]                          m_axis_ctrl_dma_write_desc_tag,
  output wire                                              m_axis_ctrl_dma_write_desc_valid,
  input  wire                                              m_axis_ctrl_dma_write_desc_ready,
  // DMA write descriptor status input (control)
  input  wire [DMA_TAG_WIDTH-1:0]                          s_axis_ctrl_dma_write_desc_status_tag,
  input  wire [3:0]                                        s_axis_ctrl_dma_write_desc_status_error,
  input  wire                                              s_axis_ctrl_dma_write_desc_status_valid,
  // DMA read descriptor output (data)
  output wire [DMA_ADDR_WIDTH-1:0]                         m_axis_data_dma_read_desc_dma_addr,
  output wire [RAM_SEL_WIDTH-1:0]                          m_axis_data_dma_read_desc_ram_sel,
  output wire [RAM_ADDR_WIDTH-1:0]                         m_axis_data_dma_read_desc_ram_addr,
  output wire [DMA_LEN_WIDTH-1:0]                          m_axis_data_dma_read_desc_len,
  output wire [DMA_TAG_WIDTH-1:0]                          m_axis_data_dma_read_desc_tag,
  output wire                                              m_axis_data_dma_read_desc_valid,
  input  wire                                              m_axis_data_dma_read_desc_ready,
  // DMA read descriptor status input (data)
  input  wire [DMA_TAG_WIDTH-1:0]                          s_axis_data_dma_read_desc_status_tag,
  input  wire [3:0]                                        s_axis_data_dma_read_desc_status_error,
  input  wire                                              s_axis_data_dma_read_desc_status_valid,
  // DMA write descriptor output (data)
  output wire [DMA_ADDR_WIDTH-1:0]                         m_axis_data_dma_write_desc_dma_addr,
  output wire [RAM_SEL_WIDTH-1:0]                          m_axis_data_dma_write_desc_ram_sel,
  output wire [RAM_ADDR_WIDTH-1:0]                         m_axis_data_dma_write_desc_ram_addr,
  output wire [DMA_IMM_WIDTH-1:0]                          m_axis_data_dma_write_desc_imm,
  output wire                                              m_axis_data_dma_write_desc_imm_en,
  output wire [DMA_LEN_WIDTH-1:0]                          m_axis_data_dma_write_desc_len,
  output wire [DMA_TAG_WIDTH-1:0]                          m_axis_data_dma_write_desc_tag,
  output wire                                              m_axis_data_dma_write_desc_valid,
  input  wire                                              m_axis_data_dma_write_desc_ready,
  // DMA write descriptor status input (data)
  input  wire [DMA_TAG_WIDTH-1:0]                          s_axis_data_dma_write_desc_status_tag,
  input  wire [3:0]                                        s_axis_data_dma_write_desc_status_error,
  input  wire                                              s_axis_data_dma_write_desc_status_valid,
  // DMA RAM interface (control)
  input  wire [RAM_SEG_COUNT*RAM_SEL_WIDTH-1:0]            ctrl_dma_ram_wr_cmd_sel,
  input  wire [RAM_SEG_COUNT*RAM_SEG_BE_WIDTH-1:0]         ctrl_dma_ram_wr_cmd_be,
  input  wire [RAM_SEG_COUNT*RAM_SEG_ADDR_WIDTH-1:0]       ctrl_dma_ram_wr_cmd_addr,
  input  wire [RAM_SEG_COUNT*RAM_SEG_DATA_WIDTH-1:0]       ctrl_dma_ram_wr_cmd_data,
  input  wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_wr_cmd_valid,
  output wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_wr_cmd_ready,
  output wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_wr_done,
  input  wire [RAM_SEG_COUNT*RAM_SEL_WIDTH-1:0]            ctrl_dma_ram_rd_cmd_sel,
  input  wire [RAM_SEG_COUNT*RAM_SEG_ADDR_WIDTH-1:0]       ctrl_dma_ram_rd_cmd_addr,
  input  wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_rd_cmd_valid,
  output wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_rd_cmd_ready,
  output wire [RAM_SEG_COUNT*RAM_SEG_DATA_WIDTH-1:0]       ctrl_dma_ram_rd_resp_data,
  output wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_rd_resp_valid,
  input  wire [RAM_SEG_COUNT-1:0]                          ctrl_dma_ram_rd_resp_ready,
  // DMA RAM interface (data)
  input  wire [RAM_SEG_COUNT*RAM_SEL_WIDTH-1:0]            data_dma_ram_wr_cmd_sel,
  input  wire [RAM_SEG_COUNT*RAM_SEG_BE_WIDTH-1:0]         data_dma_ram_wr_cmd_be,
  input  wire [RAM_SEG_COUNT*RAM_SEG_ADDR_WIDTH-1:0]       data_dma_ram_wr_cmd_addr,
  input  wire [RAM_SEG_COUNT*RAM_SEG_DATA_WIDTH-1:0]       data_dma_ram_wr_cmd_data,
  input  wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_wr_cmd_valid,
  output wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_wr_cmd_ready,
  output wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_wr_done,
  input  wire [RAM_SEG_COUNT*RAM_SEL_WIDTH-1:0]            data_dma_ram_rd_cmd_sel,
  input  wire [RAM_SEG_COUNT*RAM_SEG_ADDR_WIDTH-1:0]       data_dma_ram_rd_cmd_addr,
  input  wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_rd_cmd_valid,
  output wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_rd_cmd_ready,
  output wire [RAM_SEG_COUNT*RAM_SEG_DATA_WIDTH-1:0]       data_dma_ram_rd_resp_data,
  output wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_rd_resp_valid,
  input  wire [RAM_SEG_COUNT-1:0]                          data_dma_ram_rd_resp_ready,
  // PTP clock
  input  wire                                              ptp_clk,
  input  wire                                              ptp_rst,
  input  wire                                              ptp_sample_clk,
  input  wire                                              ptp_td_sd,
  input  wire                                              ptp_pps,
  input  wire                                              ptp_pps_str,
  input  wire                                              ptp_sync_locked,
  input  wire [PTP_TS_WIDTH-1:0]                           ptp_sync_ts_rel,
  input  wire                                              ptp_sync_ts_rel_step,
  input  wire [PTP_TS_WIDTH-1:0]                           ptp_sync_ts_tod,
  input  wire                                              ptp_sync_ts_tod_step,
  input  wire                                              ptp_sync_pps,
  input  wire                                              ptp_sync_pps_str,
  input  wire [PTP_PEROUT_COUNT-1:0]                       ptp_perout_locked,
  input  wire [PTP_PEROUT_COUNT-1:0]                       ptp_perout_error,
  input  wire [PTP_PEROUT_COUNT-1:0]                       ptp_perout_pulse,
  // Ethernet (direct MAC interface - lowest latency raw traffic)
  input  wire [PORT_COUNT-1:0]                             direct_tx_clk,
  input  wire [PORT_COUNT-1:0]                             direct_tx_rst,
  input  wire [PORT_COUNT*AXIS_DATA_WIDTH-1:0]             s_axis_direct_tx_tdata,
  input  wire [PORT_COUNT*AXIS_KEEP_WIDTH-1:0]             s_axis_direct_tx_tkeep,
  input  wire [PORT_COUNT-1:0]                             s_axis_direct_tx_tvalid,
  output wire [PORT_COUNT-1:0]                             s_axis_direct_tx_tready,
  input  wire [PORT_COUNT-1:0]                             s_axis_direct_tx_tlast,
  input  wire [PORT_COUNT*AXIS_TX_USER_WIDTH-1:0]          s_axis_direct_tx_tuser,
  output wire [PORT_COUNT*AXIS_DATA_WIDTH-1:0]             m_axis_direct_tx_tdata,
  output wire [PORT_COUNT*AXIS_KEEP_WIDTH-1:0]             m_axis_direct_tx_tkeep,
  output wire [PORT_COUNT-1:0]                             m_axis_direct_tx_tvalid,
  input  wire [PORT_COUNT-1:0]                             m_axis_direct_tx_tready,
  output wire [PORT_COUNT-1:0]                             m_axis_direct_tx_tlast,
  output wire [PORT_COUNT*AXIS_TX_USER_WIDTH-1:0]          m_axis_direct_tx_tuser,
  input  wire [PORT_COUNT*PTP_TS_WIDTH-1:0]                s_axis_direct_tx_cpl_ts,
  input  wire [PORT_COUNT*TX_TAG_WIDTH-1:0]                s_axis_direct_tx_cpl_tag,
  input  wire [PORT_COUNT-1:0]                             s_axis_direct_tx_cpl_valid,
  output wire [PORT_COUNT-1:0]                             s_axis_direct_tx_cpl_ready,
  output wire [PORT_COUNT*PTP_TS_WIDTH-1:0]                m_axis_direct_tx_cpl_ts,
  output wire [PORT_COUNT*TX_TAG_WIDTH-1:0]                m_axis_direct_tx_cpl_tag,
  output wire [PORT_COUNT-1:0]                             m_axis_direct_tx_cpl_valid,
  input  wire [PORT_COUNT-1:0]                             m_axis_direct_tx_cpl_ready,
  input  wire [PORT_COUNT-1:0]                             direct_rx_clk,
  input  wire [PORT_COUNT-1:0]                             direct_rx_rst,
  input  wire [PORT_COUNT*AXIS_DATA_WIDTH-1:0]             s_axis_direct_rx_tdata,
  input  wire [PORT_COUNT*AXIS_KEEP_WIDTH-1:0]             s_axis_direct_rx_tkeep,
  input  wire [PORT_COUNT-1:0]                             s_axis_direct_rx_tvalid,
  output wire [PORT_COUNT-1:0]                             s_axis_direct_rx_tready,
  input  wire [PORT_COUNT-1:0]                             s_axis_direct_rx_tlast,
  input  wire [PORT_COUNT*AXIS_RX_USER_WIDTH-1:0]          s_axis_direct_rx_tuser,
  output wire [PORT_COUNT*AXIS_DATA_WIDTH-1:0]             m_axis_direct_rx_tdata,
  output wire [PORT_COUNT*AXIS_KEEP_WIDTH-1:0]             m_axis_direct_rx_tkeep,
  output wire [PORT_COUNT-1:0]                             m_axis_direct_rx_tvalid,
  input  wire [PORT_COUNT-1:0]                             m_axis_direct_rx_tready,
  output wire [PORT_COUNT-1:0]                             m_axis_direct_rx_tlast,
  output wire [PORT_COUNT*AXIS_RX_USER_WIDTH-1:0]          m_axis_direct_rx_tuser,
  // Ethernet (synchronous MAC interface - low latency raw traffic)
  input  wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]        s_axis_sync_tx_tdata,
  input  wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]        s_axis_sync_tx_tkeep,
  input  wire [PORT_COUNT-1:0]                             s_axis_sync_tx_tvalid,
  output wire [PORT_COUNT-1:0]                             s_axis_sync_tx_tready,
  input  wire [PORT_COUNT-1:0]                             s_axis_sync_tx_tlast,
  input  wire [PORT_COUNT*AXIS_SYNC_TX_USER_WIDTH-1:0]     s_axis_sync_tx_tuser,
  output wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]        m_axis_sync_tx_tdata,
  output wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]        m_axis_sync_tx_tkeep,
  output wire [PORT_COUNT-1:0]                             m_axis_sync_tx_tvalid,
  input  wire [PORT_COUNT-1:0]                             m_axis_sync_tx_tready,
  output wire [PORT_COUNT-1:0]                             m_axis_sync_tx_tlast,
  output wire [PORT_COUNT*AXIS_SYNC_TX_USER_WIDTH-1:0]     m_axis_sync_tx_tuser,
  input  wire [PORT_COUNT*PTP_TS_WIDTH-1:0]                s_axis_sync_tx_cpl_ts,
  input  wire [PORT_COUNT*TX_TAG_WIDTH-1:0]                s_axis_sync_tx_cpl_tag,
  input  wire [PORT_COUNT-1:0]                             s_axis_sync_tx_cpl_valid,
  output wire [PORT_COUNT-1:0]                             s_axis_sync_tx_cpl_ready,
  output wire [PORT_COUNT*PTP_TS_WIDTH-1:0]                m_axis_sync_tx_cpl_ts,
  output wire [PORT_COUNT*TX_TAG_WIDTH-1:0]                m_axis_sync_tx_cpl_tag,
  output wire [PORT_COUNT-1:0]                             m_axis_sync_tx_cpl_valid,
  input  wire [PORT_COUNT-1:0]                             m_axis_sync_tx_cpl_ready,
  input  wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]        s_axis_sync_rx_tdata,
  input  wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]        s_axis_sync_rx_tkeep,
  input  wire [PORT_COUNT-1:0]                             s_axis_sync_rx_tvalid,
  output wire [PORT_COUNT-1:0]                             s_axis_sync_rx_tready,
  input  wire [PORT_COUNT-1:0]                             s_axis_sync_rx_tlast,
  input  wire [PORT_COUNT*AXIS_SYNC_RX_USER_WIDTH-1:0]     s_axis_sync_rx_tuser,
  output wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]        m_axis_sync_rx_tdata,
  output wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]        m_axis_sync_rx_tkeep,
  output wire [PORT_COUNT-1:0]                             m_axis_sync_rx_tvalid,
  input  wire [PORT_COUNT-1:0]                             m_axis_sync_rx_tready,
  output wire [PORT_COUNT-1:0]                             m_axis_sync_rx_tlast,
  output wire [PORT_COUNT*AXIS_SYNC_RX_USER_WIDTH-1:0]     m_axis_sync_rx_tuser,
  // Ethernet (internal at interface module)
  input  wire [IF_COUNT*AXIS_IF_DATA_WIDTH-1:0]            s_axis_if_tx_tdata,
  input  wire [IF_COUNT*AXIS_IF_KEEP_WIDTH-1:0]            s_axis_if_tx_tkeep,
  input  wire [IF_COUNT-1:0]                               s_axis_if_tx_tvalid,
  output wire [IF_COUNT-1:0]                               s_axis_if_tx_tready,
  input  wire [IF_COUNT-1:0]                               s_axis_if_tx_tlast,
  input  wire [IF_COUNT*AXIS_IF_TX_ID_WIDTH-1:0]           s_axis_if_tx_tid,
  input  wire [IF_COUNT*AXIS_IF_TX_DEST_WIDTH-1:0]         s_axis_if_tx_tdest,
  input  wire [IF_COUNT*AXIS_IF_TX_USER_WIDTH-1:0]         s_axis_if_tx_tuser,
  output wire [IF_COUNT*AXIS_IF_DATA_WIDTH-1:0]            m_axis_if_tx_tdata,
  output wire [IF_COUNT*AXIS_IF_KEEP_WIDTH-1:0]            m_axis_if_tx_tkeep,
  output wire [IF_COUNT-1:0]                               m_axis_if_tx_tvalid,
  input  wire [IF_COUNT-1:0]                               m_axis_if_tx_tready,
  output wire [IF_COUNT-1:0]                               m_axis_if_tx_tlast,
  output wire [IF_COUNT*AXIS_IF_TX_ID_WIDTH-1:0]           m_axis_if_tx_tid,
  output wire [IF_COUNT*AXIS_IF_TX_DEST_WIDTH-1:0]         m_axis_if_tx_tdest,
  output wire [IF_COUNT*AXIS_IF_TX_USER_WIDTH-1:0]         m_axis_if_tx_tuser,
  input  wire [IF_COUNT*PTP_TS_WIDTH-1:0]                  s_axis_if_tx_cpl_ts,
  input  wire [IF_COUNT*TX_TAG_WIDTH-1:0]                  s_axis_if_tx_cpl_tag,
  input  wire [IF_COUNT-1:0]                               s_axis_if_tx_cpl_valid,
  output wire [IF_COUNT-1:0]                               s_axis_if_tx_cpl_ready,
  output wire [IF_COUNT*PTP_TS_WIDTH-1:0]                  m_axis_if_tx_cpl_ts,
  output wire [IF_COUNT*TX_TAG_WIDTH-1:0]                  m_axis_if_tx_cpl_tag,
  output wire [IF_COUNT-1:0]                               m_axis_if_tx_cpl_valid,
  input  wire [IF_COUNT-1:0]                               m_axis_if_tx_cpl_ready,
  input  wire [IF_COUNT*AXIS_IF_DATA_WIDTH-1:0]            s_axis_if_rx_tdata,
  input  wire [IF_COUNT*AXIS_IF_KEEP_WIDTH-1:0]            s_axis_if_rx_tkeep,
  input  wire [IF_COUNT-1:0]                               s_axis_if_rx_tvalid,
  output wire [IF_COUNT-1:0]                               s_axis_if_rx_tready,
  input  wire [IF_COUNT-1:0]                               s_axis_if_rx_tlast,
  input  wire [IF_COUNT*AXIS_IF_RX_ID_WIDTH-1:0]           s_axis_if_rx_tid,
  input  wire [IF_COUNT*AXIS_IF_RX_DEST_WIDTH-1:0]         s_axis_if_rx_tdest,
  input  wire [IF_COUNT*AXIS_IF_RX_USER_WIDTH-1:0]         s_axis_if_rx_tuser,
  output wire [IF_COUNT*AXIS_IF_DATA_WIDTH-1:0]            m_axis_if_rx_tdata,
  output wire [IF_COUNT*AXIS_IF_KEEP_WIDTH-1:0]            m_axis_if_rx_tkeep,
  output wire [IF_COUNT-1:0]                               m_axis_if_rx_tvalid,
  input  wire [IF_COUNT-1:0]                               m_axis_if_rx_tready,
  output wire [IF_COUNT-1:0]                               m_axis_if_rx_tlast,
  output wire [IF_COUNT*AXIS_IF_RX_ID_WIDTH-1:0]           m_axis_if_rx_tid,
  output wire [IF_COUNT*AXIS_IF_RX_DEST_WIDTH-1:0]         m_axis_if_rx_tdest,
  output wire [IF_COUNT*AXIS_IF_RX_USER_WIDTH-1:0]         m_axis_if_rx_tuser,
  // DDR
  input  wire [DDR_CH-1:0]                                 ddr_clk,
  input  wire [DDR_CH-1:0]                                 ddr_rst,
  output wire [DDR_CH*AXI_DDR_ID_WIDTH-1:0]                m_axi_ddr_awid,
  output wire [DDR_CH*AXI_DDR_ADDR_WIDTH-1:0]              m_axi_ddr_awaddr,
  output wire [DDR_CH*8-1:0]                               m_axi_ddr_awlen,
  output wire [DDR_CH*3-1:0]                               m_axi_ddr_awsize,
  output wire [DDR_CH*2-1:0]                               m_axi_ddr_awburst,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_awlock,
  output wire [DDR_CH*4-1:0]                               m_axi_ddr_awcache,
  output wire [DDR_CH*3-1:0]                               m_axi_ddr_awprot,
  output wire [DDR_CH*4-1:0]                               m_axi_ddr_awqos,
  output wire [DDR_CH*AXI_DDR_AWUSER_WIDTH-1:0]            m_axi_ddr_awuser,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_awvalid,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_awready,
  output wire [DDR_CH*AXI_DDR_DATA_WIDTH-1:0]              m_axi_ddr_wdata,
  output wire [DDR_CH*AXI_DDR_STRB_WIDTH-1:0]              m_axi_ddr_wstrb,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_wlast,
  output wire [DDR_CH*AXI_DDR_WUSER_WIDTH-1:0]             m_axi_ddr_wuser,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_wvalid,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_wready,
  input  wire [DDR_CH*AXI_DDR_ID_WIDTH-1:0]                m_axi_ddr_bid,
  input  wire [DDR_CH*2-1:0]                               m_axi_ddr_bresp,
  input  wire [DDR_CH*AXI_DDR_BUSER_WIDTH-1:0]             m_axi_ddr_buser,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_bvalid,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_bready,
  output wire [DDR_CH*AXI_DDR_ID_WIDTH-1:0]                m_axi_ddr_arid,
  output wire [DDR_CH*AXI_DDR_ADDR_WIDTH-1:0]              m_axi_ddr_araddr,
  output wire [DDR_CH*8-1:0]                               m_axi_ddr_arlen,
  output wire [DDR_CH*3-1:0]                               m_axi_ddr_arsize,
  output wire [DDR_CH*2-1:0]                               m_axi_ddr_arburst,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_arlock,
  output wire [DDR_CH*4-1:0]                               m_axi_ddr_arcache,
  output wire [DDR_CH*3-1:0]                               m_axi_ddr_arprot,
  output wire [DDR_CH*4-1:0]                               m_axi_ddr_arqos,
  output wire [DDR_CH*AXI_DDR_ARUSER_WIDTH-1:0]            m_axi_ddr_aruser,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_arvalid,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_arready,
  input  wire [DDR_CH*AXI_DDR_ID_WIDTH-1:0]                m_axi_ddr_rid,
  input  wire [DDR_CH*AXI_DDR_DATA_WIDTH-1:0]              m_axi_ddr_rdata,
  input  wire [DDR_CH*2-1:0]                               m_axi_ddr_rresp,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_rlast,
  input  wire [DDR_CH*AXI_DDR_RUSER_WIDTH-1:0]             m_axi_ddr_ruser,
  input  wire [DDR_CH-1:0]                                 m_axi_ddr_rvalid,
  output wire [DDR_CH-1:0]                                 m_axi_ddr_rready,
  input  wire [DDR_CH-1:0]                                 ddr_status,
  // HBM
  input  wire [HBM_CH-1:0]                                 hbm_clk,
  input  wire [HBM_CH-1:0]                                 hbm_rst,
  output wire [HBM_CH*AXI_HBM_ID_WIDTH-1:0]                m_axi_hbm_awid,
  output wire [HBM_CH*AXI_HBM_ADDR_WIDTH-1:0]              m_axi_hbm_awaddr,
  output wire [HBM_CH*8-1:0]                               m_axi_hbm_awlen,
  output wire [HBM_CH*3-1:0]                               m_axi_hbm_awsize,
  output wire [HBM_CH*2-1:0]                               m_axi_hbm_awburst,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_awlock,
  output wire [HBM_CH*4-1:0]                               m_axi_hbm_awcache,
  output wire [HBM_CH*3-1:0]                               m_axi_hbm_awprot,
  output wire [HBM_CH*4-1:0]                               m_axi_hbm_awqos,
  output wire [HBM_CH*AXI_HBM_AWUSER_WIDTH-1:0]            m_axi_hbm_awuser,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_awvalid,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_awready,
  output wire [HBM_CH*AXI_HBM_DATA_WIDTH-1:0]              m_axi_hbm_wdata,
  output wire [HBM_CH*AXI_HBM_STRB_WIDTH-1:0]              m_axi_hbm_wstrb,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_wlast,
  output wire [HBM_CH*AXI_HBM_WUSER_WIDTH-1:0]             m_axi_hbm_wuser,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_wvalid,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_wready,
  input  wire [HBM_CH*AXI_HBM_ID_WIDTH-1:0]                m_axi_hbm_bid,
  input  wire [HBM_CH*2-1:0]                               m_axi_hbm_bresp,
  input  wire [HBM_CH*AXI_HBM_BUSER_WIDTH-1:0]             m_axi_hbm_buser,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_bvalid,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_bready,
  output wire [HBM_CH*AXI_HBM_ID_WIDTH-1:0]                m_axi_hbm_arid,
  output wire [HBM_CH*AXI_HBM_ADDR_WIDTH-1:0]              m_axi_hbm_araddr,
  output wire [HBM_CH*8-1:0]                               m_axi_hbm_arlen,
  output wire [HBM_CH*3-1:0]                               m_axi_hbm_arsize,
  output wire [HBM_CH*2-1:0]                               m_axi_hbm_arburst,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_arlock,
  output wire [HBM_CH*4-1:0]                               m_axi_hbm_arcache,
  output wire [HBM_CH*3-1:0]                               m_axi_hbm_arprot,
  output wire [HBM_CH*4-1:0]                               m_axi_hbm_arqos,
  output wire [HBM_CH*AXI_HBM_ARUSER_WIDTH-1:0]            m_axi_hbm_aruser,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_arvalid,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_arready,
  input  wire [HBM_CH*AXI_HBM_ID_WIDTH-1:0]                m_axi_hbm_rid,
  input  wire [HBM_CH*AXI_HBM_DATA_WIDTH-1:0]              m_axi_hbm_rdata,
  input  wire [HBM_CH*2-1:0]                               m_axi_hbm_rresp,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_rlast,
  input  wire [HBM_CH*AXI_HBM_RUSER_WIDTH-1:0]             m_axi_hbm_ruser,
  input  wire [HBM_CH-1:0]                                 m_axi_hbm_rvalid,
  output wire [HBM_CH-1:0]                                 m_axi_hbm_rready,
  input  wire [HBM_CH-1:0]                                 hbm_status,
  // Statistics increment output
  output wire [STAT_INC_WIDTH-1:0]                         m_axis_stat_tdata,
  output wire [STAT_ID_WIDTH-1:0]                          m_axis_stat_tid,
  output wire                                              m_axis_stat_tvalid,
  input  wire                                              m_axis_stat_tready,
  // GPIO
  input  wire [APP_GPIO_IN_WIDTH-1:0]                      gpio_in,
  output wire [APP_GPIO_OUT_WIDTH-1:0]                     gpio_out,
  // JTAG
  input  wire                                              jtag_tdi,
  output wire                                              jtag_tdo,
  input  wire                                              jtag_tms,
  input  wire                                              jtag_tck
);

  localparam int unsigned DataW = 512;
  localparam int unsigned KeepW = DataW / 8;
  localparam int unsigned VportW = $clog2(Vports);

  // ---- configuration checks -------------------------------------------------------------------
  if (APP_ID != NsgnicAppId) begin : g_bad_id
    $error("mqnic_app_block (nsgnic): APP_ID must be NsgnicAppId (set APP_ID in the design's config.tcl)");
  end
  if (IF_COUNT != 1 || AXIS_IF_DATA_WIDTH != DataW || AXIS_IF_KEEP_WIDTH != KeepW) begin : g_bad_if
    $error("mqnic_app_block (nsgnic): one interface (IF_COUNT 1) with 512-bit interface streams");
  end
  if (APP_CTRL_ENABLE == 0 || APP_AXIS_IF_ENABLE == 0) begin : g_bad_en
    $error("mqnic_app_block (nsgnic): APP_CTRL_ENABLE and APP_AXIS_IF_ENABLE must be 1");
  end
  if (AXIL_APP_CTRL_DATA_WIDTH != 32 || AXIL_APP_CTRL_ADDR_WIDTH > 32 ||
      2 ** AXIL_APP_CTRL_ADDR_WIDTH < nsgnic_abi_pkg::HOSTWIN_BYTES) begin : g_bad_axil
    $error("mqnic_app_block (nsgnic): the app BAR must be 32-bit AXI4-Lite covering the host window");
  end
  if (AXIS_IF_TX_USER_WIDTH < TX_TAG_WIDTH + 1 || TX_TAG_WIDTH < 1 ||
      AXIS_IF_RX_USER_WIDTH < (PTP_TS_ENABLE ? PTP_TS_WIDTH : 0) + 1) begin : g_bad_user
    $error("mqnic_app_block (nsgnic): tuser must hold {tag, bad} (TX) and {time stamp, bad} (RX)");
  end
  if (Vports < 2 || Vports > 256 || AXIS_IF_RX_DEST_WIDTH < VportW + 1 || AXIS_IF_RX_ID_WIDTH > 8)
  begin : g_bad_vports
    $error("mqnic_app_block (nsgnic): Vports in 2..256 and RX tdest of at least 1 + clog2(Vports) bits");
  end
  if (64'(MAX_TX_SIZE) > 64'(MaxBeats) * 64 || 64'(MAX_RX_SIZE) > 64'(MaxBeats) * 64 ||
      MaxBeats >= DataDepth) begin : g_bad_len
    $error("mqnic_app_block (nsgnic): MAX_TX_SIZE, MAX_RX_SIZE must fit MaxBeats beats, MaxBeats < DataDepth");
  end
  if (FlowDram != 0 && (DDR_ENABLE == 0 || DDR_CH < 1 || AXI_DDR_DATA_WIDTH > 512 ||
                        AXI_DDR_DATA_WIDTH < 64 ||
                        512 / AXI_DDR_DATA_WIDTH > AXI_DDR_MAX_BURST_LEN)) begin : g_bad_ddr
    $error("mqnic_app_block (nsgnic): FlowDram needs DDR_ENABLE, a 64..512-bit DDR port and bursts of 512 / AXI_DDR_DATA_WIDTH beats");
  end

  logic rst_n;
  assign rst_n = !rst;

  // ---- host frames (interface TX): vport from the queue, completed when taken ------------------
  logic [AXIS_IF_TX_ID_WIDTH-1:0] tx_vport_wide;
  logic                           tx_bad, tx_gate, tx_s_ready, tx_take;
  logic                           cpl_pend_q;
  logic [TX_TAG_WIDTH-1:0]        cpl_tag_q;
  logic [PTP_TS_WIDTH-1:0]        cpl_ts_q;
  assign tx_vport_wide = s_axis_if_tx_tid >> TxQueueShift;
  assign tx_bad  = 64'(tx_vport_wide) >= 64'(Vports) || s_axis_if_tx_tuser[0];
  // a frame's last beat waits while the previous frame's completion is pending
  assign tx_gate = !s_axis_if_tx_tlast || !cpl_pend_q;
  assign s_axis_if_tx_tready = (tx_bad || tx_s_ready) && tx_gate;
  assign tx_take = s_axis_if_tx_tvalid && s_axis_if_tx_tready;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      cpl_pend_q <= 1'b0;
      cpl_tag_q  <= '0;
      cpl_ts_q   <= '0;
    end else begin
      if (m_axis_if_tx_cpl_ready) cpl_pend_q <= 1'b0;
      if (tx_take && s_axis_if_tx_tlast) begin
        cpl_pend_q <= 1'b1;
        cpl_tag_q  <= s_axis_if_tx_tuser[TX_TAG_WIDTH:1];
        cpl_ts_q   <= ptp_sync_ts_tod;
      end
    end
  end
  assign m_axis_if_tx_cpl_valid = cpl_pend_q;
  assign m_axis_if_tx_cpl_tag   = cpl_tag_q;
  assign m_axis_if_tx_cpl_ts    = PTP_TS_ENABLE ? cpl_ts_q : '0;
  assign s_axis_if_tx_cpl_ready = 1'b1;   // nsgnic's own wire frames: tag 0, nothing to complete

  // ---- wire frames (interface RX): label context from the source port --------------------------
  logic rx_bad, rx_s_ready;
  assign rx_bad = s_axis_if_rx_tuser[0];
  assign s_axis_if_rx_tready = rx_bad || rx_s_ready;

  // ---- ingress: host and wire frames onto the datapath ---------------------------------------
  logic [DataW-1:0] in_tdata;
  logic [KeepW-1:0] in_tkeep;
  logic [8:0]       in_tuser;
  logic             in_tlast, in_tvalid, in_tready;
  axis_frame_arb #(.DataW(DataW), .PortW(9)) u_arb (
    .clk_i(clk), .rst_ni(rst_n),
    .s0_axis_tdata(s_axis_if_tx_tdata), .s0_axis_tkeep(s_axis_if_tx_tkeep),
    .s0_axis_tlast(s_axis_if_tx_tlast),
    .s0_tag_i({1'(nsgnic_abi_pkg::PORT_KIND_VF), 8'(tx_vport_wide)}),
    .s0_axis_tvalid(s_axis_if_tx_tvalid && !tx_bad && tx_gate), .s0_axis_tready(tx_s_ready),
    .s1_axis_tdata(s_axis_if_rx_tdata), .s1_axis_tkeep(s_axis_if_rx_tkeep),
    .s1_axis_tlast(s_axis_if_rx_tlast),
    .s1_tag_i({1'(nsgnic_abi_pkg::PORT_KIND_WIRE), 8'(s_axis_if_rx_tid)}),
    .s1_axis_tvalid(s_axis_if_rx_tvalid && !rx_bad), .s1_axis_tready(rx_s_ready),
    .m_axis_tdata(in_tdata), .m_axis_tkeep(in_tkeep), .m_axis_tlast(in_tlast),
    .m_axis_tuser(in_tuser), .m_axis_tvalid(in_tvalid), .m_axis_tready(in_tready));

  // ---- the SoC ----------------------------------------------------------------------------------
  // debug outputs: no Corundum port (docs/board.md); read by the co-simulation, for ILA probes
  logic        dbg_irq /* verilator public_flat_rd */;
  logic        dbg_mon_valid /* verilator public_flat_rd */;
  logic [1:0]  dbg_mon_action /* verilator public_flat_rd */;
  logic [4:0]  dbg_mon_reason /* verilator public_flat_rd */;
  logic [15:0] dbg_mon_rule_id /* verilator public_flat_rd */;
  logic        dbg_mon_flow_hit /* verilator public_flat_rd */;
  logic        dbg_mon_learned /* verilator public_flat_rd */;
  logic        dbg_mon_park_valid /* verilator public_flat_rd */;
  logic        dbg_mon_park_ok /* verilator public_flat_rd */;
  logic [4:0]  dbg_mon_park_slot /* verilator public_flat_rd */;
  logic [31:0] dbg_tohost /* verilator public_flat_rd */;
  logic        dbg_retire /* verilator public_flat_rd */;
  logic [5:0]  dbg_out_tid /* verilator public_flat_rd */;   // of the output beat
  logic [8:0]  dbg_out_port /* verilator public_flat_rd */;  // its PORT (to the wire: not sent)
  logic        dbg_flow_dram_err /* verilator public_flat_rd */; // the tier's sticky AXI error

  logic [DataW-1:0] out_tdata;
  logic [KeepW-1:0] out_tkeep;
  logic [8:0]       out_tuser;
  logic             out_tlast, out_tvalid, out_tready;
  // the DRAM flow tier's AXI4 master (to DDR channel 0 below)
  logic                 fd_arvalid, fd_arready, fd_arid, fd_rvalid, fd_rready, fd_rlast, fd_rid;
  logic [DramAddrW-1:0] fd_araddr, fd_awaddr;
  logic [7:0]           fd_arlen, fd_awlen;
  logic [2:0]           fd_arsize, fd_awsize;
  logic [1:0]           fd_arburst, fd_awburst, fd_rresp, fd_bresp;
  logic [511:0]         fd_rdata, fd_wdata;
  logic [63:0]          fd_wstrb;
  logic                 fd_awvalid, fd_awready, fd_awid, fd_wvalid, fd_wready, fd_wlast;
  logic                 fd_bvalid, fd_bready, fd_bid;
  nsgnic_top #(
    .IramInitFile(IramInitFile), .DramInitFile(DramInitFile), .HwBuild(HwBuild),
    .TickCycles(TickCycles), .IramBytes(IramBytes), .DramBytes(DramBytes), .DataW(DataW),
    .HdrBytes(HdrBytes), .MaxBeats(MaxBeats), .DataDepth(DataDepth), .VqDepth(VqDepth),
    .ExqDepth(ExqDepth), .RuleEntries(RuleEntries), .LabelEntries(LabelEntries),
    .PlatformEntries(PlatformEntries), .Vports(Vports), .FlowBuckets(FlowBuckets),
    .FlowWays(FlowWays), .FlowStash(FlowStash), .ChunkW(ChunkW), .FlowDram(FlowDram),
    .DramBuckets(DramBuckets), .DramWays(DramWays), .DramSigW(DramSigW), .DramDepth(DramDepth),
    .DramDbt(DramDbt), .DramAddrW(DramAddrW)
  ) u_nic (
    .clk_i(clk), .rst_ni(rst_n),
    .s_axil_awaddr(32'(s_axil_app_ctrl_awaddr)), .s_axil_awprot(s_axil_app_ctrl_awprot),
    .s_axil_awvalid(s_axil_app_ctrl_awvalid), .s_axil_awready(s_axil_app_ctrl_awready),
    .s_axil_wdata(s_axil_app_ctrl_wdata), .s_axil_wstrb(s_axil_app_ctrl_wstrb),
    .s_axil_wvalid(s_axil_app_ctrl_wvalid), .s_axil_wready(s_axil_app_ctrl_wready),
    .s_axil_bresp(s_axil_app_ctrl_bresp), .s_axil_bvalid(s_axil_app_ctrl_bvalid),
    .s_axil_bready(s_axil_app_ctrl_bready), .s_axil_araddr(32'(s_axil_app_ctrl_araddr)),
    .s_axil_arprot(s_axil_app_ctrl_arprot), .s_axil_arvalid(s_axil_app_ctrl_arvalid),
    .s_axil_arready(s_axil_app_ctrl_arready), .s_axil_rdata(s_axil_app_ctrl_rdata),
    .s_axil_rresp(s_axil_app_ctrl_rresp), .s_axil_rvalid(s_axil_app_ctrl_rvalid),
    .s_axil_rready(s_axil_app_ctrl_rready),
    .irq_o(dbg_irq),
    .s_axis_tdata(in_tdata), .s_axis_tkeep(in_tkeep), .s_axis_tlast(in_tlast),
    .s_axis_tuser(in_tuser), .s_axis_tvalid(in_tvalid), .s_axis_tready(in_tready),
    .m_axis_tdata(out_tdata), .m_axis_tkeep(out_tkeep), .m_axis_tlast(out_tlast),
    .m_axis_tuser(out_tuser), .m_axis_tid(dbg_out_tid), .m_axis_tvalid(out_tvalid),
    .m_axis_tready(out_tready),
    .mon_valid_o(dbg_mon_valid), .mon_action_o(dbg_mon_action), .mon_reason_o(dbg_mon_reason),
    .mon_rule_id_o(dbg_mon_rule_id), .mon_flow_hit_o(dbg_mon_flow_hit),
    .mon_learned_o(dbg_mon_learned), .mon_park_valid_o(dbg_mon_park_valid),
    .mon_park_ok_o(dbg_mon_park_ok), .mon_park_slot_o(dbg_mon_park_slot),
    // DRAM flow tier (FlowDram): its AXI4 master to DDR channel 0 below, idle without it
    .flow_dram_err_o(dbg_flow_dram_err),
    .m_axi_flow_arvalid(fd_arvalid), .m_axi_flow_arready(fd_arready),
    .m_axi_flow_araddr(fd_araddr), .m_axi_flow_arlen(fd_arlen), .m_axi_flow_arsize(fd_arsize),
    .m_axi_flow_arburst(fd_arburst), .m_axi_flow_arid(fd_arid), .m_axi_flow_rvalid(fd_rvalid),
    .m_axi_flow_rready(fd_rready), .m_axi_flow_rdata(fd_rdata), .m_axi_flow_rresp(fd_rresp),
    .m_axi_flow_rlast(fd_rlast), .m_axi_flow_rid(fd_rid),
    .m_axi_flow_awvalid(fd_awvalid), .m_axi_flow_awready(fd_awready),
    .m_axi_flow_awaddr(fd_awaddr), .m_axi_flow_awlen(fd_awlen), .m_axi_flow_awsize(fd_awsize),
    .m_axi_flow_awburst(fd_awburst), .m_axi_flow_awid(fd_awid), .m_axi_flow_wvalid(fd_wvalid),
    .m_axi_flow_wready(fd_wready), .m_axi_flow_wdata(fd_wdata), .m_axi_flow_wstrb(fd_wstrb),
    .m_axi_flow_wlast(fd_wlast), .m_axi_flow_bvalid(fd_bvalid), .m_axi_flow_bready(fd_bready),
    .m_axi_flow_bresp(fd_bresp), .m_axi_flow_bid(fd_bid),
    .tohost_o(dbg_tohost), .retire_o(dbg_retire));

  // ---- the DRAM flow tier's memory: DDR channel 0 through axi_flow_cdc (FlowDram) -------------
  localparam int unsigned DdrIdW = AXI_DDR_ID_WIDTH;
  localparam int unsigned DdrAW  = AXI_DDR_ADDR_WIDTH;
  localparam int unsigned DdrDW  = AXI_DDR_DATA_WIDTH;
  localparam int unsigned DdrSW  = AXI_DDR_STRB_WIDTH;
  if (FlowDram != 0) begin : g_ddr
    logic ddr_rst_n;
    assign ddr_rst_n = !ddr_rst[0];
    axi_flow_cdc #(
      .SAddrW(DramAddrW), .MAddrW(DdrAW), .MDataW(DdrDW), .MIdW(DdrIdW),
      .BaseAddr(DdrBaseAddr), .Depth(DdrFifoDepth), .MaxOut(DdrMaxOut)
    ) u_ddr (
      .s_clk_i(clk), .s_rst_ni(rst_n),
      .s_axi_arvalid(fd_arvalid), .s_axi_arready(fd_arready), .s_axi_araddr(fd_araddr),
      .s_axi_arlen(fd_arlen), .s_axi_arsize(fd_arsize), .s_axi_arburst(fd_arburst),
      .s_axi_arid(fd_arid), .s_axi_rvalid(fd_rvalid), .s_axi_rready(fd_rready),
      .s_axi_rdata(fd_rdata), .s_axi_rresp(fd_rresp), .s_axi_rlast(fd_rlast), .s_axi_rid(fd_rid),
      .s_axi_awvalid(fd_awvalid), .s_axi_awready(fd_awready), .s_axi_awaddr(fd_awaddr),
      .s_axi_awlen(fd_awlen), .s_axi_awsize(fd_awsize), .s_axi_awburst(fd_awburst),
      .s_axi_awid(fd_awid), .s_axi_wvalid(fd_wvalid), .s_axi_wready(fd_wready),
      .s_axi_wdata(fd_wdata), .s_axi_wstrb(fd_wstrb), .s_axi_wlast(fd_wlast),
      .s_axi_bvalid(fd_bvalid), .s_axi_bready(fd_bready), .s_axi_bresp(fd_bresp),
      .s_axi_bid(fd_bid),
      .m_clk_i(ddr_clk[0]), .m_rst_ni(ddr_rst_n),
      .m_axi_arvalid(m_axi_ddr_arvalid[0]), .m_axi_arready(m_axi_ddr_arready[0]),
      .m_axi_araddr(m_axi_ddr_araddr[DdrAW-1:0]), .m_axi_arlen(m_axi_ddr_arlen[7:0]),
      .m_axi_arsize(m_axi_ddr_arsize[2:0]), .m_axi_arburst(m_axi_ddr_arburst[1:0]),
      .m_axi_arid(m_axi_ddr_arid[DdrIdW-1:0]), .m_axi_rvalid(m_axi_ddr_rvalid[0]),
      .m_axi_rready(m_axi_ddr_rready[0]), .m_axi_rdata(m_axi_ddr_rdata[DdrDW-1:0]),
      .m_axi_rresp(m_axi_ddr_rresp[1:0]), .m_axi_rlast(m_axi_ddr_rlast[0]),
      .m_axi_rid(m_axi_ddr_rid[DdrIdW-1:0]),
      .m_axi_awvalid(m_axi_ddr_awvalid[0]), .m_axi_awready(m_axi_ddr_awready[0]),
      .m_axi_awaddr(m_axi_ddr_awaddr[DdrAW-1:0]), .m_axi_awlen(m_axi_ddr_awlen[7:0]),
      .m_axi_awsize(m_axi_ddr_awsize[2:0]), .m_axi_awburst(m_axi_ddr_awburst[1:0]),
      .m_axi_awid(m_axi_ddr_awid[DdrIdW-1:0]), .m_axi_wvalid(m_axi_ddr_wvalid[0]),
      .m_axi_wready(m_axi_ddr_wready[0]), .m_axi_wdata(m_axi_ddr_wdata[DdrDW-1:0]),
      .m_axi_wstrb(m_axi_ddr_wstrb[DdrSW-1:0]), .m_axi_wlast(m_axi_ddr_wlast[0]),
      .m_axi_bvalid(m_axi_ddr_bvalid[0]), .m_axi_bready(m_axi_ddr_bready[0]),
      .m_axi_bresp(m_axi_ddr_bresp[1:0]), .m_axi_bid(m_axi_ddr_bid[DdrIdW-1:0]));
    // channel 0's other fields: normal non-cacheable bufferable, unprivileged non-secure data
    assign m_axi_ddr_awlock[0] = 1'b0;
    assign m_axi_ddr_awcache[3:0] = 4'b0011;
    assign m_axi_ddr_awprot[2:0] = 3'b010;
    assign m_axi_ddr_awqos[3:0] = 4'd0;
    assign m_axi_ddr_awuser[AXI_DDR_AWUSER_WIDTH-1:0] = '0;
    assign m_axi_ddr_wuser[AXI_DDR_WUSER_WIDTH-1:0] = '0;
    assign m_axi_ddr_arlock[0] = 1'b0;
    assign m_axi_ddr_arcache[3:0] = 4'b0011;
    assign m_axi_ddr_arprot[2:0] = 3'b010;
    assign m_axi_ddr_arqos[3:0] = 4'd0;
    assign m_axi_ddr_aruser[AXI_DDR_ARUSER_WIDTH-1:0] = '0;
    // the other channels: tied off as the template does
    if (DDR_CH > 1) begin : g_ddr_rest
      assign m_axi_ddr_awid[DDR_CH*DdrIdW-1:DdrIdW] = '0;
      assign m_axi_ddr_awaddr[DDR_CH*DdrAW-1:DdrAW] = '0;
      assign m_axi_ddr_awlen[DDR_CH*8-1:8] = '0;
      assign m_axi_ddr_awsize[DDR_CH*3-1:3] = '0;
      assign m_axi_ddr_awburst[DDR_CH*2-1:2] = '0;
      assign m_axi_ddr_awlock[DDR_CH-1:1] = '0;
      assign m_axi_ddr_awcache[DDR_CH*4-1:4] = '0;
      assign m_axi_ddr_awprot[DDR_CH*3-1:3] = '0;
      assign m_axi_ddr_awqos[DDR_CH*4-1:4] = '0;
      assign m_axi_ddr_awuser[DDR_CH*AXI_DDR_AWUSER_WIDTH-1:AXI_DDR_AWUSER_WIDTH] = '0;
      assign m_axi_ddr_awvalid[DDR_CH-1:1] = '0;
      assign m_axi_ddr_wdata[DDR_CH*DdrDW-1:DdrDW] = '0;
      assign m_axi_ddr_wstrb[DDR_CH*DdrSW-1:DdrSW] = '0;
      assign m_axi_ddr_wlast[DDR_CH-1:1] = '0;
      assign m_axi_ddr_wuser[DDR_CH*AXI_DDR_WUSER_WIDTH-1:AXI_DDR_WUSER_WIDTH] = '0;
      assign m_axi_ddr_wvalid[DDR_CH-1:1] = '0;
      assign m_axi_ddr_bready[DDR_CH-1:1] = '0;
      assign m_axi_ddr_arid[DDR_CH*DdrIdW-1:DdrIdW] = '0;
      assign m_axi_ddr_araddr[DDR_CH*DdrAW-1:DdrAW] = '0;
      assign m_axi_ddr_arlen[DDR_CH*8-1:8] = '0;
      assign m_axi_ddr_arsize[DDR_CH*3-1:3] = '0;
      assign m_axi_ddr_arburst[DDR_CH*2-1:2] = '0;
      assign m_axi_ddr_arlock[DDR_CH-1:1] = '0;
      assign m_axi_ddr_arcache[DDR_CH*4-1:4] = '0;
      assign m_axi_ddr_arprot[DDR_CH*3-1:3] = '0;
      assign m_axi_ddr_arqos[DDR_CH*4-1:4] = '0;
      assign m_axi_ddr_aruser[DDR_CH*AXI_DDR_ARUSER_WIDTH-1:AXI_DDR_ARUSER_WIDTH] = '0;
      assign m_axi_ddr_arvalid[DDR_CH-1:1] = '0;
      assign m_axi_ddr_rready[DDR_CH-1:1] = '0;
    end
  end else begin : g_no_ddr
    // no tier: its inputs idle (it issues nothing), the DDR port tied off as the template does
    assign fd_arready = 1'b0;
    assign fd_rvalid  = 1'b0;
    assign fd_rdata   = '0;
    assign fd_rresp   = 2'b00;
    assign fd_rlast   = 1'b0;
    assign fd_rid     = 1'b0;
    assign fd_awready = 1'b0;
    assign fd_wready  = 1'b0;
    assign fd_bvalid  = 1'b0;
    assign fd_bresp   = 2'b00;
    assign fd_bid     = 1'b0;
    assign m_axi_ddr_awid = '0;
    assign m_axi_ddr_awaddr = '0;
    assign m_axi_ddr_awlen = '0;
    assign m_axi_ddr_awsize = '0;
    assign m_axi_ddr_awburst = '0;
    assign m_axi_ddr_awlock = '0;
    assign m_axi_ddr_awcache = '0;
    assign m_axi_ddr_awprot = '0;
    assign m_axi_ddr_awqos = '0;
    assign m_axi_ddr_awuser = '0;
    assign m_axi_ddr_awvalid = '0;
    assign m_axi_ddr_wdata = '0;
    assign m_axi_ddr_wstrb = '0;
    assign m_axi_ddr_wlast = '0;
    assign m_axi_ddr_wuser = '0;
    assign m_axi_ddr_wvalid = '0;
    assign m_axi_ddr_bready = '0;
    assign m_axi_ddr_arid = '0;
    assign m_axi_ddr_araddr = '0;
    assign m_axi_ddr_arlen = '0;
    assign m_axi_ddr_arsize = '0;
    assign m_axi_ddr_arburst = '0;
    assign m_axi_ddr_arlock = '0;
    assign m_axi_ddr_arcache = '0;
    assign m_axi_ddr_arprot = '0;
    assign m_axi_ddr_arqos = '0;
    assign m_axi_ddr_aruser = '0;
    assign m_axi_ddr_arvalid = '0;
    assign m_axi_ddr_rready = '0;
    logic unused_fd;
    assign unused_fd = ^{fd_arvalid, fd_araddr, fd_arlen, fd_arsize, fd_arburst, fd_arid,
                         fd_rready, fd_awvalid, fd_awaddr, fd_awlen, fd_awsize, fd_awburst,
                         fd_awid, fd_wvalid, fd_wdata, fd_wstrb, fd_wlast, fd_bready};
  end

  // ---- egress: to the wire (interface TX) or to the VM's queue (interface RX) ---------------
  logic eg_wire;
  assign eg_wire    = out_tuser[8] == 1'(nsgnic_abi_pkg::PORT_KIND_WIRE);
  assign out_tready = eg_wire ? m_axis_if_tx_tready : m_axis_if_rx_tready;

  assign dbg_out_port = out_tuser;

  assign m_axis_if_tx_tvalid = out_tvalid && eg_wire;
  assign m_axis_if_tx_tdata  = out_tdata;
  assign m_axis_if_tx_tkeep  = out_tkeep;
  assign m_axis_if_tx_tlast  = out_tlast;
  assign m_axis_if_tx_tid    = '0;
  assign m_axis_if_tx_tdest  = '0;   // port 0 of the interface
  assign m_axis_if_tx_tuser  = '0;   // tag 0 (its MSB clear: the TX engine ignores its completion)

  assign m_axis_if_rx_tvalid = out_tvalid && !eg_wire;
  assign m_axis_if_rx_tdata  = out_tdata;
  assign m_axis_if_rx_tkeep  = out_tkeep;
  assign m_axis_if_rx_tlast  = out_tlast;
  assign m_axis_if_rx_tid    = '0;   // port 0: its RX queue map entry steers the frame
  assign m_axis_if_rx_tdest  = {1'b1, (AXIS_IF_RX_DEST_WIDTH - 1)'(out_tuser[7:0])};
  if (PTP_TS_ENABLE) begin : g_rx_ts   // {time stamp, not bad}
    assign m_axis_if_rx_tuser = AXIS_IF_RX_USER_WIDTH'({ptp_sync_ts_tod, 1'b0});
  end else begin : g_rx_no_ts
    assign m_axis_if_rx_tuser = '0;
  end

  // ---- the direct and sync streams: straight through (nsgnic sits at the interface level) ----
  assign s_axis_direct_tx_tready = m_axis_direct_tx_tready;
  assign m_axis_direct_tx_tdata = s_axis_direct_tx_tdata;
  assign m_axis_direct_tx_tkeep = s_axis_direct_tx_tkeep;
  assign m_axis_direct_tx_tvalid = s_axis_direct_tx_tvalid;
  assign m_axis_direct_tx_tlast = s_axis_direct_tx_tlast;
  assign m_axis_direct_tx_tuser = s_axis_direct_tx_tuser;
  assign s_axis_direct_tx_cpl_ready = m_axis_direct_tx_cpl_ready;
  assign m_axis_direct_tx_cpl_ts = s_axis_direct_tx_cpl_ts;
  assign m_axis_direct_tx_cpl_tag = s_axis_direct_tx_cpl_tag;
  assign m_axis_direct_tx_cpl_valid = s_axis_direct_tx_cpl_valid;
  assign s_axis_direct_rx_tready = m_axis_direct_rx_tready;
  assign m_axis_direct_rx_tdata = s_axis_direct_rx_tdata;
  assign m_axis_direct_rx_tkeep = s_axis_direct_rx_tkeep;
  assign m_axis_direct_rx_tvalid = s_axis_direct_rx_tvalid;
  assign m_axis_direct_rx_tlast = s_axis_direct_rx_tlast;
  assign m_axis_direct_rx_tuser = s_axis_direct_rx_tuser;
  assign s_axis_sync_tx_tready = m_axis_sync_tx_tready;
  assign m_axis_sync_tx_tdata = s_axis_sync_tx_tdata;
  assign m_axis_sync_tx_tkeep = s_axis_sync_tx_tkeep;
  assign m_axis_sync_tx_tvalid = s_axis_sync_tx_tvalid;
  assign m_axis_sync_tx_tlast = s_axis_sync_tx_tlast;
  assign m_axis_sync_tx_tuser = s_axis_sync_tx_tuser;
  assign s_axis_sync_tx_cpl_ready = m_axis_sync_tx_cpl_ready;
  assign m_axis_sync_tx_cpl_ts = s_axis_sync_tx_cpl_ts;
  assign m_axis_sync_tx_cpl_tag = s_axis_sync_tx_cpl_tag;
  assign m_axis_sync_tx_cpl_valid = s_axis_sync_tx_cpl_valid;
  assign s_axis_sync_rx_tready = m_axis_sync_rx_tready;
  assign m_axis_sync_rx_tdata = s_axis_sync_rx_tdata;
  assign m_axis_sync_rx_tkeep = s_axis_sync_rx_tkeep;
  assign m_axis_sync_rx_tvalid = s_axis_sync_rx_tvalid;
  assign m_axis_sync_rx_tlast = s_axis_sync_rx_tlast;
  assign m_axis_sync_rx_tuser = s_axis_sync_rx_tuser;

  // ---- everything else: tied off as Corundum's template does -----------------------------------
  assign m_axil_ctrl_awaddr = '0;
  assign m_axil_ctrl_awprot = '0;
  assign m_axil_ctrl_awvalid = '0;
  assign m_axil_ctrl_wdata = '0;
  assign m_axil_ctrl_wstrb = '0;
  assign m_axil_ctrl_wvalid = '0;
  assign m_axil_ctrl_bready = 1'b1;
  assign m_axil_ctrl_araddr = '0;
  assign m_axil_ctrl_arprot = '0;
  assign m_axil_ctrl_arvalid = '0;
  assign m_axil_ctrl_rready = 1'b1;
  assign m_axis_ctrl_dma_read_desc_dma_addr = '0;
  assign m_axis_ctrl_dma_read_desc_ram_sel = '0;
  assign m_axis_ctrl_dma_read_desc_ram_addr = '0;
  assign m_axis_ctrl_dma_read_desc_len = '0;
  assign m_axis_ctrl_dma_read_desc_tag = '0;
  assign m_axis_ctrl_dma_read_desc_valid = '0;
  assign m_axis_ctrl_dma_write_desc_dma_addr = '0;
  assign m_axis_ctrl_dma_write_desc_ram_sel = '0;
  assign m_axis_ctrl_dma_write_desc_ram_addr = '0;
  assign m_axis_ctrl_dma_write_desc_imm = '0;
  assign m_axis_ctrl_dma_write_desc_imm_en = '0;
  assign m_axis_ctrl_dma_write_desc_len = '0;
  assign m_axis_ctrl_dma_write_desc_tag = '0;
  assign m_axis_ctrl_dma_write_desc_valid = '0;
  assign m_axis_data_dma_read_desc_dma_addr = '0;
  assign m_axis_data_dma_read_desc_ram_sel = '0;
  assign m_axis_data_dma_read_desc_ram_addr = '0;
  assign m_axis_data_dma_read_desc_len = '0;
  assign m_axis_data_dma_read_desc_tag = '0;
  assign m_axis_data_dma_read_desc_valid = '0;
  assign m_axis_data_dma_write_desc_dma_addr = '0;
  assign m_axis_data_dma_write_desc_ram_sel = '0;
  assign m_axis_data_dma_write_desc_ram_addr = '0;
  assign m_axis_data_dma_write_desc_imm = '0;
  assign m_axis_data_dma_write_desc_imm_en = '0;
  assign m_axis_data_dma_write_desc_len = '0;
  assign m_axis_data_dma_write_desc_tag = '0;
  assign m_axis_data_dma_write_desc_valid = '0;
  assign ctrl_dma_ram_wr_cmd_ready = '1;
  assign ctrl_dma_ram_wr_done = ctrl_dma_ram_wr_cmd_valid;
  assign ctrl_dma_ram_rd_cmd_ready = ctrl_dma_ram_rd_resp_ready;
  assign ctrl_dma_ram_rd_resp_data = '0;
  assign ctrl_dma_ram_rd_resp_valid = ctrl_dma_ram_rd_cmd_valid;
  assign data_dma_ram_wr_cmd_ready = '1;
  assign data_dma_ram_wr_done = data_dma_ram_wr_cmd_valid;
  assign data_dma_ram_rd_cmd_ready = data_dma_ram_rd_resp_ready;
  assign data_dma_ram_rd_resp_data = '0;
  assign data_dma_ram_rd_resp_valid = data_dma_ram_rd_cmd_valid;
  assign m_axi_hbm_awid = '0;
  assign m_axi_hbm_awaddr = '0;
  assign m_axi_hbm_awlen = '0;
  assign m_axi_hbm_awsize = '0;
  assign m_axi_hbm_awburst = '0;
  assign m_axi_hbm_awlock = '0;
  assign m_axi_hbm_awcache = '0;
  assign m_axi_hbm_awprot = '0;
  assign m_axi_hbm_awqos = '0;
  assign m_axi_hbm_awuser = '0;
  assign m_axi_hbm_awvalid = '0;
  assign m_axi_hbm_wdata = '0;
  assign m_axi_hbm_wstrb = '0;
  assign m_axi_hbm_wlast = '0;
  assign m_axi_hbm_wuser = '0;
  assign m_axi_hbm_wvalid = '0;
  assign m_axi_hbm_bready = '0;
  assign m_axi_hbm_arid = '0;
  assign m_axi_hbm_araddr = '0;
  assign m_axi_hbm_arlen = '0;
  assign m_axi_hbm_arsize = '0;
  assign m_axi_hbm_arburst = '0;
  assign m_axi_hbm_arlock = '0;
  assign m_axi_hbm_arcache = '0;
  assign m_axi_hbm_arprot = '0;
  assign m_axi_hbm_arqos = '0;
  assign m_axi_hbm_aruser = '0;
  assign m_axi_hbm_arvalid = '0;
  assign m_axi_hbm_rready = '0;
  assign m_axis_stat_tdata = '0;
  assign m_axis_stat_tid = '0;
  assign m_axis_stat_tvalid = '0;
  assign gpio_out = '0;
  assign jtag_tdo = jtag_tdi;

  // inputs nsgnic does not use (the template's tie-offs above use some, the flow tier DDR
  // channel 0's), the metadata bits it does not read, and the debug signals (probe points, not
  // outputs)
  logic unused;
  assign unused = ^{
    m_axil_ctrl_awready, m_axil_ctrl_wready, m_axil_ctrl_bresp, m_axil_ctrl_bvalid,
    m_axil_ctrl_arready, m_axil_ctrl_rdata, m_axil_ctrl_rresp, m_axil_ctrl_rvalid,
    m_axis_ctrl_dma_read_desc_ready, s_axis_ctrl_dma_read_desc_status_tag,
    s_axis_ctrl_dma_read_desc_status_error, s_axis_ctrl_dma_read_desc_status_valid,
    m_axis_ctrl_dma_write_desc_ready, s_axis_ctrl_dma_write_desc_status_tag,
    s_axis_ctrl_dma_write_desc_status_error, s_axis_ctrl_dma_write_desc_status_valid,
    m_axis_data_dma_read_desc_ready, s_axis_data_dma_read_desc_status_tag,
    s_axis_data_dma_read_desc_status_error, s_axis_data_dma_read_desc_status_valid,
    m_axis_data_dma_write_desc_ready, s_axis_data_dma_write_desc_status_tag,
    s_axis_data_dma_write_desc_status_error, s_axis_data_dma_write_desc_status_valid,
    ctrl_dma_ram_wr_cmd_sel, ctrl_dma_ram_wr_cmd_be, ctrl_dma_ram_wr_cmd_addr,
    ctrl_dma_ram_wr_cmd_data, ctrl_dma_ram_rd_cmd_sel, ctrl_dma_ram_rd_cmd_addr,
    data_dma_ram_wr_cmd_sel, data_dma_ram_wr_cmd_be, data_dma_ram_wr_cmd_addr,
    data_dma_ram_wr_cmd_data, data_dma_ram_rd_cmd_sel, data_dma_ram_rd_cmd_addr, ptp_clk, ptp_rst,
    ptp_sample_clk, ptp_td_sd, ptp_pps, ptp_pps_str, ptp_sync_locked, ptp_sync_ts_rel,
    ptp_sync_ts_rel_step, ptp_sync_ts_tod_step, ptp_sync_pps, ptp_sync_pps_str, ptp_perout_locked,
    ptp_perout_error, ptp_perout_pulse, direct_tx_clk, direct_tx_rst, direct_rx_clk,
    direct_rx_rst, s_axis_if_tx_tdest, s_axis_if_tx_cpl_ts, s_axis_if_tx_cpl_tag,
    s_axis_if_tx_cpl_valid, s_axis_if_rx_tdest, ddr_clk, ddr_rst, m_axi_ddr_awready,
    m_axi_ddr_wready, m_axi_ddr_bid, m_axi_ddr_bresp, m_axi_ddr_buser, m_axi_ddr_bvalid,
    m_axi_ddr_arready, m_axi_ddr_rid, m_axi_ddr_rdata, m_axi_ddr_rresp, m_axi_ddr_rlast,
    m_axi_ddr_ruser, m_axi_ddr_rvalid, ddr_status, hbm_clk, hbm_rst, m_axi_hbm_awready,
    m_axi_hbm_wready, m_axi_hbm_bid, m_axi_hbm_bresp, m_axi_hbm_buser, m_axi_hbm_bvalid,
    m_axi_hbm_arready, m_axi_hbm_rid, m_axi_hbm_rdata, m_axi_hbm_rresp, m_axi_hbm_rlast,
    m_axi_hbm_ruser, m_axi_hbm_rvalid, hbm_status, m_axis_stat_tready, gpio_in, jtag_tms,
    jtag_tck,
    s_axis_if_tx_tuser, s_axis_if_rx_tuser, ptp_sync_ts_tod,
    dbg_irq, dbg_mon_valid, dbg_mon_action, dbg_mon_reason, dbg_mon_rule_id, dbg_mon_flow_hit,
    dbg_mon_learned, dbg_mon_park_valid, dbg_mon_park_ok, dbg_mon_park_slot, dbg_tohost,
    dbg_retire, dbg_out_tid, dbg_out_port, dbg_flow_dram_err};
endmodule

`resetall
