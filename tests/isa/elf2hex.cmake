# SPDX-License-Identifier: Apache-2.0
# nsgnic-sim --elf2hex: the IRAM image of ELF must hold FIRST as its first word and have one line
# per IRAM word. Usage: cmake -DSIM= -DELF= -DPREFIX= -DFIRST= -DWORDS= -P elf2hex.cmake
execute_process(COMMAND ${SIM} --elf2hex ${ELF} ${PREFIX} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nsgnic-sim --elf2hex failed (${rc})")
endif()
file(STRINGS ${PREFIX}.iram.hex lines)
list(LENGTH lines n)
list(GET lines 0 first)
if(NOT n EQUAL WORDS OR NOT first STREQUAL FIRST)
  message(FATAL_ERROR "${PREFIX}.iram.hex: ${n} lines starting with ${first}, want ${WORDS} starting with ${FIRST}")
endif()
if(NOT EXISTS ${PREFIX}.dram.hex)
  message(FATAL_ERROR "${PREFIX}.dram.hex missing")
endif()
