# SPDX-License-Identifier: Apache-2.0
# hdl/cpu.cmake: the soft-core (rv32_*). Builds the Verilated CPU subsystem model once
# (imported target rv32_sys_vmodel, used by sim/), and adds the lint and synthesis checks.
# Included by hdl/CMakeLists.txt when NSGNIC_HDL is ON.

set(NSGNIC_CPU_RTL_DIR ${CMAKE_CURRENT_SOURCE_DIR}/rtl)
# Order matters for the tools that read files in sequence: packages first.
set(NSGNIC_CPU_RTL
  ${NSGNIC_CPU_RTL_DIR}/rv32_pkg.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_alu.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_regfile.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_muldiv.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_csr.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_core.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_iram.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_dram.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_timer.sv
  ${NSGNIC_CPU_RTL_DIR}/rv32_sys.sv)
set(NSGNIC_CPU_VLT ${NSGNIC_CPU_RTL_DIR}/rv32_waivers.vlt)
# Module names checked one by one (lint) — every rv32_* module except the package.
set(NSGNIC_CPU_MODULES rv32_alu rv32_regfile rv32_muldiv rv32_csr rv32_core rv32_iram rv32_dram
  rv32_timer rv32_sys)

find_program(VERILATOR_BIN verilator)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)

if(VERILATOR_BIN)
  execute_process(COMMAND ${VERILATOR_BIN} --getenv VERILATOR_ROOT
    OUTPUT_VARIABLE NSGNIC_VERILATOR_ROOT OUTPUT_STRIP_TRAILING_WHITESPACE)

  # The Verilated rv32_sys: verilator generates and compiles it (its own make, OBJCACHE=ccache)
  # into a static library. A custom command rather than verilate(): verilate() runs
  # verilator at configure time, before the generated ABI package exists.
  set(vdir ${CMAKE_CURRENT_BINARY_DIR}/rv32_sys_vmodel)
  set(vlibs ${vdir}/Vrv32_sys__ALL.a)
  set(vmake_flags "OPT_FAST=-O2")
  if(CCACHE_PROGRAM)
    list(APPEND vmake_flags "OBJCACHE=${CCACHE_PROGRAM}")
  endif()
  set(vmake_args)
  foreach(f ${vmake_flags})
    list(APPEND vmake_args -MAKEFLAGS ${f})
  endforeach()
  add_custom_command(OUTPUT ${vlibs}
    COMMAND ${VERILATOR_BIN} --cc --build -j 2 --prefix Vrv32_sys --top-module rv32_sys
            --Mdir ${vdir} -O3 --x-assign fast --x-initial fast --trace-fst ${vmake_args}
            ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL} > ${vdir}.log
    DEPENDS ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL} ${NSGNIC_CPU_VLT}
    COMMENT "Verilating rv32_sys (log: ${vdir}.log)"
    VERBATIM)
  add_custom_target(rv32_sys_vmodel_build DEPENDS ${vlibs})

  # Verilator's runtime, compiled by us with Verilator's own flags (third-party code: no
  # project warning policy), then the model archive on top of it. Consumers also need
  # add_dependencies(<target> rv32_sys_vmodel_build) (imported targets cannot carry it).
  set(vinc ${NSGNIC_VERILATOR_ROOT}/include)
  add_library(verilated_rt STATIC ${vinc}/verilated.cpp ${vinc}/verilated_fst_c.cpp
    ${vinc}/verilated_threads.cpp)
  # The Verilator configuration macros of the trace-enabled models: for the runtime and for the
  # shims that include a model's header (sim/), never for a consumer of the host library: the
  # testbenches verilate()d without traces define them with other values.
  add_library(verilated_defs INTERFACE)
  target_compile_definitions(verilated_defs INTERFACE VM_COVERAGE=0 VM_SC=0 VM_TRACE=1
    VM_TRACE_FST=1 VM_TRACE_VCD=0)
  target_link_libraries(verilated_rt PRIVATE verilated_defs)
  target_compile_options(verilated_rt PRIVATE -faligned-new -Wno-bool-operation -Wno-sign-compare
    -Wno-uninitialized -Wno-unused-but-set-variable -Wno-unused-parameter -Wno-unused-variable
    -Wno-shadow)
  target_include_directories(verilated_rt SYSTEM PUBLIC ${vinc} ${vinc}/vltstd)
  target_link_libraries(verilated_rt PUBLIC ZLIB::ZLIB Threads::Threads)

  add_library(rv32_sys_vmodel STATIC IMPORTED GLOBAL)
  set_target_properties(rv32_sys_vmodel PROPERTIES
    IMPORTED_LOCATION ${vdir}/Vrv32_sys__ALL.a
    INTERFACE_LINK_LIBRARIES verilated_rt)
  file(MAKE_DIRECTORY ${vdir})
  target_include_directories(rv32_sys_vmodel SYSTEM INTERFACE ${vdir})

  # Lint: every CPU module as the top, -Wall, no warning allowed.
  foreach(m ${NSGNIC_CPU_MODULES})
    add_test(NAME cpu_lint_${m}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module ${m}
              ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL})
    set_tests_properties(cpu_lint_${m} PROPERTIES LABELS "hdl;cpu")
  endforeach()
  # The small configuration the unit tests may use.
  add_test(NAME cpu_lint_rv32_sys_small
    COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module rv32_sys -GIramBytes=1024
            -GDramBytes=1024 ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL})
  # Illegal sizes must stop elaboration with our message.
  add_test(NAME cpu_param_check_iram_not_pow2
    COMMAND ${VERILATOR_BIN} --lint-only --top-module rv32_sys -GIramBytes=1000
            ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL})
  add_test(NAME cpu_param_check_iram_too_big
    COMMAND ${VERILATOR_BIN} --lint-only --top-module rv32_sys -GIramBytes=2097152
            ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL})
  add_test(NAME cpu_param_check_regfile
    COMMAND ${VERILATOR_BIN} --lint-only --top-module rv32_regfile -GNumRegs=8
            ${NSGNIC_CPU_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_CPU_RTL})
  set_tests_properties(cpu_param_check_iram_not_pow2 cpu_param_check_iram_too_big
    cpu_param_check_regfile PROPERTIES PASS_REGULAR_EXPRESSION "USERERROR.*must be"
    LABELS "hdl;cpu")
  set_tests_properties(cpu_lint_rv32_sys_small PROPERTIES LABELS "hdl;cpu")
endif()

# Synthesis with yosys 0.23: generic `synth` of the whole subsystem with 256-byte RAMs (generic
# synthesis maps memories to flip-flops, so the default 64 KiB would take long), and elaboration
# of the default configuration. synth_xilinx of the default configuration (resource report) is in
# bench/cpu.sh. Fails on any yosys error, e.g. a construct outside its SystemVerilog subset.
find_program(YOSYS_BIN yosys)
if(YOSYS_BIN)
  string(REPLACE ";" " " cpu_srcs "${NSGNIC_ABI_SV};${NSGNIC_CPU_RTL}")
  add_test(NAME cpu_yosys_synth_sys
    COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${cpu_srcs}; chparam -set IramBytes 256 -set DramBytes 256 rv32_sys; synth -top rv32_sys; tee -q -o ${CMAKE_CURRENT_BINARY_DIR}/rv32_sys_synth.txt stat")
  add_test(NAME cpu_yosys_elab_sys
    COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${cpu_srcs}; hierarchy -check -top rv32_sys; proc; check -assert")
  add_test(NAME cpu_ram_init_files
    COMMAND ${CMAKE_COMMAND} -DYOSYS=${YOSYS_BIN} "-DSRCS=${NSGNIC_ABI_SV};${NSGNIC_CPU_RTL}"
            -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/tb/cpu -DOUT=${CMAKE_CURRENT_BINARY_DIR}/rv32_sys_init.v
            -P ${CMAKE_CURRENT_SOURCE_DIR}/tb/cpu/ram_init.cmake)
  set_tests_properties(cpu_yosys_synth_sys cpu_yosys_elab_sys cpu_ram_init_files
    PROPERTIES LABELS "hdl;cpu")
endif()
