# SPDX-License-Identifier: Apache-2.0
# sim/soc.cmake: the whole-NIC simulation library nsgnic_soc (nsgnic_soc.h: C in soc.c over the
# thin C++ shim soc_model.cpp and the Verilated nsgnic_top of hdl/soc.cmake), and the driver's
# sim backend on top of it. Included by sim/CMakeLists.txt when the HDL models are built.
if(NOT TARGET nsgnic_top_vmodel)
  return()
endif()

# The devices' sizes reach the shims as NSGNIC_SOC_SMALL_<PARAM> / NSGNIC_SOC_REAL_<PARAM> /
# NSGNIC_SOC_SDRAM_<PARAM> (the small device with the DRAM flow tier).
set(soc_defs)
foreach(dev SMALL:SIM REAL:REAL SDRAM:SDRAM)
  string(REPLACE ":" ";" dv ${dev})
  list(GET dv 0 d)
  list(GET dv 1 var)
  foreach(p ${NSGNIC_SOC_${var}_PARAMS})
    string(REPLACE "=" ";" kv ${p})
    list(GET kv 0 k)
    list(GET kv 1 v)
    string(TOUPPER ${k} ku)
    list(APPEND soc_defs NSGNIC_SOC_${d}_${ku}=${v})
  endforeach()
endforeach()

# The shims read the Verilated models' headers, which come in as SYSTEM includes (-isystem):
# compilers leave those out of the dependency files, so without this a rebuilt model would be
# linked with a shim compiled against its old header (a stale root layout: wrong signals read).
function(nsgnic_shim_depends src)
  foreach(m ${ARGN})
    get_target_property(loc ${m} IMPORTED_LOCATION)
    set_property(SOURCE ${src} APPEND PROPERTY OBJECT_DEPENDS ${loc})
  endforeach()
endfunction()

# The three devices in one library (sim/soc_model.cpp picks one at run time).
# The DRAM model behind a model's flow tier (FlowDram; soc_model.cpp binds it to m_axi_flow_*).
add_library(nsgnic_soc_hw STATIC soc_model.cpp ${CMAKE_SOURCE_DIR}/hdl/tb/common/axi_dram.c)
target_include_directories(nsgnic_soc_hw PRIVATE ${CMAKE_SOURCE_DIR}/hdl/tb/common)
target_link_libraries(nsgnic_soc_hw PUBLIC nsgnic_top_vmodel nsgnic_top_real_vmodel nsgnic_top_sdram_vmodel
  PRIVATE verilated_defs)
target_compile_definitions(nsgnic_soc_hw PRIVATE ${soc_defs})
target_compile_options(nsgnic_soc_hw PRIVATE -Wall -Wextra -Werror -Wshadow)
add_dependencies(nsgnic_soc_hw nsgnic_top_vmodel_build nsgnic_top_real_vmodel_build
  nsgnic_top_sdram_vmodel_build)
nsgnic_shim_depends(soc_model.cpp nsgnic_top_vmodel nsgnic_top_real_vmodel nsgnic_top_sdram_vmodel)

add_library(nsgnic_soc STATIC soc.c)
target_include_directories(nsgnic_soc PUBLIC ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/include)
target_compile_options(nsgnic_soc PRIVATE ${NSGNIC_C_WARNINGS})
target_link_libraries(nsgnic_soc PUBLIC nsgnic_soc_hw)

# The driver's sim backend (driver/src/backend_sim.c) runs this model; without it (no HDL
# build) the backend reports -ENOTSUP. The product firmware is its default image.
target_link_libraries(nsgnic_driver PRIVATE nsgnic_soc)
target_compile_definitions(nsgnic_driver PRIVATE NSGNIC_HAVE_SOC_SIM=1
  NSGNIC_SOC_DEFAULT_FW="${NSGNIC_FW_ELF}")

# The host library's co-simulated NIC (hostlib/src/device/simnic.c).
target_link_libraries(nsgnic PUBLIC nsgnic_soc)
target_compile_definitions(nsgnic PRIVATE NSGNIC_HAVE_SOC_SIM=1)

# The same C harness through the OpenNIC shell plugin (hdl/boards/opennic, docs/board.md):
# nsgnic_soc_onic = soc.c over soc_model_onic.cpp and the Verilated nsgnic_onic_250mhz of
# hdl/soc.cmake, with the same simulated sizes. Used by tests/soc (soc_system_onic).
if(TARGET nsgnic_onic_vmodel)
  add_library(nsgnic_soc_onic_hw STATIC soc_model_onic.cpp)
  target_link_libraries(nsgnic_soc_onic_hw PUBLIC nsgnic_onic_vmodel PRIVATE verilated_defs)
  target_compile_definitions(nsgnic_soc_onic_hw PRIVATE ${soc_defs})
  target_compile_options(nsgnic_soc_onic_hw PRIVATE -Wall -Wextra -Werror -Wshadow)
  add_dependencies(nsgnic_soc_onic_hw nsgnic_onic_vmodel_build)
  nsgnic_shim_depends(soc_model_onic.cpp nsgnic_onic_vmodel)
  add_library(nsgnic_soc_onic STATIC soc.c)
  target_include_directories(nsgnic_soc_onic PUBLIC ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/include)
  target_compile_options(nsgnic_soc_onic PRIVATE ${NSGNIC_C_WARNINGS})
  target_link_libraries(nsgnic_soc_onic PUBLIC nsgnic_soc_onic_hw)
endif()

# The same C harness through Corundum's application block (hdl/boards/corundum, docs/board.md):
# nsgnic_soc_mqnic = soc.c over soc_model_mqnic.cpp and the Verilated mqnic_app_block of
# hdl/soc.cmake, with the same simulated sizes. Used by tests/soc (soc_system_mqnic).
if(TARGET nsgnic_mqnic_vmodel)
  add_library(nsgnic_soc_mqnic_hw STATIC soc_model_mqnic.cpp)
  target_link_libraries(nsgnic_soc_mqnic_hw PUBLIC nsgnic_mqnic_vmodel PRIVATE verilated_defs)
  target_compile_definitions(nsgnic_soc_mqnic_hw PRIVATE ${soc_defs})
  target_compile_options(nsgnic_soc_mqnic_hw PRIVATE -Wall -Wextra -Werror -Wshadow)
  add_dependencies(nsgnic_soc_mqnic_hw nsgnic_mqnic_vmodel_build)
  nsgnic_shim_depends(soc_model_mqnic.cpp nsgnic_mqnic_vmodel)
  add_library(nsgnic_soc_mqnic STATIC soc.c)
  target_include_directories(nsgnic_soc_mqnic PUBLIC ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/include)
  target_compile_options(nsgnic_soc_mqnic PRIVATE ${NSGNIC_C_WARNINGS})
  target_link_libraries(nsgnic_soc_mqnic PUBLIC nsgnic_soc_mqnic_hw)
endif()
