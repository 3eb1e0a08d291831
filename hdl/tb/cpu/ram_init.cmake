# SPDX-License-Identifier: Apache-2.0
# rv32_sys memory images: synthesizes (yosys elaboration) a 64-byte-RAM rv32_sys with
# IramInitFile/DramInitFile set and requires the words of both $readmemh files as the initial
# contents of the right memories in the netlist, i.e. what a bitstream would carry.
# Usage: cmake -DYOSYS= -DSRCS="a.sv;b.sv" -DDIR=<this dir> -DOUT=<netlist.v> -P ram_init.cmake
string(REPLACE ";" " " srcs "${SRCS}")
execute_process(COMMAND ${YOSYS} -q -p
  "read_verilog -sv ${srcs}; chparam -set IramBytes 64 -set DramBytes 64 -set IramInitFile \"${DIR}/iram_init.hex\" -set DramInitFile \"${DIR}/dram_init.hex\" rv32_sys; hierarchy -top rv32_sys; proc; write_verilog -noattr ${OUT}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "yosys failed (${rc})")
endif()
file(READ ${OUT} net)
# The IRAM module must start with the IRAM image, the DRAM module with the DRAM image (decimal).
foreach(pair "rv32_iram;mem\\[0\\] = 32'd3735928559;mem\\[3\\] = 32'd3405705229"
             "rv32_dram;mem\\[0\\] = 32'd195948557;mem\\[1\\] = 32'd12648430")
  list(GET pair 0 mod)
  list(GET pair 1 first)
  list(GET pair 2 second)
  string(REGEX MATCH "module [^\n]*${mod}[^\n]*\n.*endmodule" body "${net}")
  string(FIND "${body}" "endmodule" end)
  string(SUBSTRING "${body}" 0 ${end} body)
  if(NOT body MATCHES "${first}" OR NOT body MATCHES "${second}")
    message(FATAL_ERROR "${mod}: initial contents from its $readmemh file not found in ${OUT}")
  endif()
endforeach()
message("rv32_iram and rv32_dram carry their $readmemh images")
