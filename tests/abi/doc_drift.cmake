# SPDX-License-Identifier: Apache-2.0
execute_process(COMMAND ${ABIGEN} md OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "abigen md failed (${rc})")
endif()
file(READ ${DOC} committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "docs/abi-generated.md is stale: regenerate it with `build/hdl/abigen md > docs/abi-generated.md` after changing include/nsgnic/abi/*.def.h")
endif()
