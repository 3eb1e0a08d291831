# SPDX-License-Identifier: Apache-2.0
# Runs SIM --run-elf ELF and requires exit status RC and output matching REGEX (negative tests
# of the pass/fail/timeout reporting). Usage: cmake -DSIM= -DELF= -DRC= -DREGEX= -P expect.cmake
execute_process(COMMAND ${SIM} --run-elf ${ELF} --max-cycles 20000
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL RC)
  message(FATAL_ERROR "expected exit status ${RC}, got ${rc}")
endif()
if(NOT "${out}${err}" MATCHES "${REGEX}")
  message(FATAL_ERROR "output does not match '${REGEX}'")
endif()
