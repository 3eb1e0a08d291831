# SPDX-License-Identifier: Apache-2.0
# `cmake --install`: libnsgnic (shared, with SOVERSION, and static: each one library holding the
# host library, the driver, the firmware logic of the fake device and, with the HDL build, the
# co-simulated NICs: the realistic and the small device), the public headers (self-sufficient: include/nsgnic/), nsgnic.pc, the nsgnic
# CLI, nsgnic-sim and nsgnic-mkpcap, the firmware image (share/nsgnic/), man pages (nsgnic(1)
# and one per command, printed by the programs from their option tables) and bash completion.
# Included at the end of the top-level CMakeLists.txt (every target exists by then).
include(GNUInstallDirs)

# The static archives libnsgnic is made of (in link order).
set(parts $<TARGET_FILE:nsgnic> $<TARGET_FILE:nsgnic_driver> $<TARGET_FILE:nsgnic_fw_host>)
set(part_targets nsgnic nsgnic_driver nsgnic_fw_host)
if(TARGET nsgnic_soc)
  list(APPEND parts $<TARGET_FILE:nsgnic_soc> $<TARGET_FILE:nsgnic_soc_hw>
       $<TARGET_PROPERTY:nsgnic_top_real_vmodel,IMPORTED_LOCATION>
       $<TARGET_PROPERTY:nsgnic_top_vmodel,IMPORTED_LOCATION>
       $<TARGET_PROPERTY:nsgnic_top_sdram_vmodel,IMPORTED_LOCATION> $<TARGET_FILE:verilated_rt>)
  list(APPEND part_targets nsgnic_soc nsgnic_soc_hw verilated_rt)
endif()

pkg_check_modules(NSGNIC_PC_PCI REQUIRED IMPORTED_TARGET libpci)

# Shared: every part whole, only the API (nsg_*, nsgnic_*) exported.
add_library(nsgnic_shared SHARED ${CMAKE_SOURCE_DIR}/cmake/empty.c)
set_target_properties(nsgnic_shared PROPERTIES OUTPUT_NAME nsgnic VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR} LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib
  LINK_DEPENDS ${CMAKE_SOURCE_DIR}/cmake/libnsgnic.map)
add_dependencies(nsgnic_shared ${part_targets})
if(TARGET nsgnic_soc)
  add_dependencies(nsgnic_shared nsgnic_top_vmodel_build nsgnic_top_real_vmodel_build
    nsgnic_top_sdram_vmodel_build)
endif()
target_link_libraries(nsgnic_shared PRIVATE -Wl,--whole-archive ${parts} -Wl,--no-whole-archive
  -Wl,--version-script=${CMAKE_SOURCE_DIR}/cmake/libnsgnic.map -Wl,--no-undefined
  ${BUDDY_LIBRARY} PkgConfig::JANSSON PkgConfig::NSGNIC_PC_PCI m)
set(pc_private_libs "-lbdd -lm") # BuDDy, the prover's BDDs (Debian libbdd-dev)
if(TARGET nsgnic_soc)
  target_link_libraries(nsgnic_shared PRIVATE z pthread stdc++ m)
  set(pc_private_libs "-lbdd -lstdc++ -lz -lpthread -lm")
endif()

# Static: one archive of the same parts (ar's MRI script).
set(static_lib ${CMAKE_BINARY_DIR}/lib/libnsgnic.a)
set(mri "create ${static_lib}\n")
foreach(p ${parts})
  string(APPEND mri "addlib ${p}\n")
endforeach()
string(APPEND mri "save\nend\n")
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/lib/libnsgnic.mri CONTENT "${mri}")
add_custom_command(OUTPUT ${static_lib}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${static_lib}
  COMMAND sh -c "${CMAKE_AR} -M < ${CMAKE_BINARY_DIR}/lib/libnsgnic.mri"
  DEPENDS ${part_targets} ${CMAKE_BINARY_DIR}/lib/libnsgnic.mri
  COMMENT "libnsgnic.a (one archive of the host library, driver and models)" VERBATIM)
add_custom_target(nsgnic_static_archive ALL DEPENDS ${static_lib})
if(TARGET nsgnic_soc)
  add_dependencies(nsgnic_static_archive nsgnic_top_vmodel_build nsgnic_top_real_vmodel_build)
endif()

# pkg-config: relocatable (prefix from the .pc file's own place).
file(RELATIVE_PATH pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
set(pc_requires "jansson libpci")
configure_file(${CMAKE_SOURCE_DIR}/cmake/nsgnic.pc.in ${CMAKE_BINARY_DIR}/lib/pkgconfig/nsgnic.pc @ONLY)

# Man pages: nsgnic(1), nsgnic-COMMAND(1) for every command nsgnic lists, nsgnic-sim(1),
# nsgnic-mkpcap(1), printed by the programs from their option tables (--help-man).
set(man_progs $<TARGET_FILE:nsgnic_cli> $<TARGET_FILE:nsgnic_mkpcap>)
set(man_deps nsgnic_cli nsgnic_mkpcap)
if(TARGET nsgnic-sim)
  list(APPEND man_progs $<TARGET_FILE:nsgnic-sim>)
  list(APPEND man_deps nsgnic-sim)
endif()
string(REPLACE ";" "|" man_progs_arg "${man_progs}")
add_custom_target(nsgnic_man ALL
  COMMAND ${CMAKE_COMMAND} "-DPROGS=${man_progs_arg}" -DOUT=${CMAKE_BINARY_DIR}/man/man1
          -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/manpages.cmake
  DEPENDS ${man_deps} ${CMAKE_SOURCE_DIR}/cmake/manpages.cmake
  COMMENT "man pages" VERBATIM)

# What gets installed.
install(FILES $<TARGET_FILE:nsgnic_shared> $<TARGET_SONAME_FILE:nsgnic_shared> $<TARGET_LINKER_FILE:nsgnic_shared>
        ${static_lib} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${CMAKE_BINARY_DIR}/lib/pkgconfig/nsgnic.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/hostlib/include/nsgnic ${CMAKE_SOURCE_DIR}/driver/include/nsgnic
        ${CMAKE_SOURCE_DIR}/include/nsgnic DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(PROGRAMS $<TARGET_FILE:nsgnic_cli> $<TARGET_FILE:nsgnic_mkpcap> DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET nsgnic-sim)
  install(PROGRAMS $<TARGET_FILE:nsgnic-sim> DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(NSGNIC_FW_ELF AND NSGNIC_FIRMWARE)
  install(FILES ${NSGNIC_FW_ELF} DESTINATION ${CMAKE_INSTALL_DATADIR}/nsgnic)
endif()
install(DIRECTORY ${CMAKE_BINARY_DIR}/man/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${CMAKE_SOURCE_DIR}/hostlib/cli/nsgnic.bash-completion DESTINATION
        ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME nsgnic)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/three-tier DESTINATION ${CMAKE_INSTALL_DATADIR}/nsgnic/examples)
