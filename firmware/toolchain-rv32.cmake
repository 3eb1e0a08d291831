# SPDX-License-Identifier: Apache-2.0
# CMake toolchain for the firmware: Debian's riscv64-unknown-elf-gcc for RV32IM / ilp32 with
# picolibc (the rv32im/ilp32 multilib of /usr/lib/picolibc/riscv64-unknown-elf). No OS, so
# try_compile builds static libraries instead of linking executables.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
find_program(CMAKE_SIZE riscv64-unknown-elf-size REQUIRED)
find_program(CMAKE_OBJDUMP riscv64-unknown-elf-objdump)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# -march=rv32im exactly (not rv32im_zicsr): it selects picolibc's rv32im/ilp32 multilib;
# start.S enables Zicsr for its few CSR instructions with `.option arch`.
set(NSGNIC_RV32_FLAGS "-march=rv32im -mabi=ilp32 --specs=picolibc.specs -ffreestanding -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections -fno-common")
set(CMAKE_C_FLAGS_INIT "${NSGNIC_RV32_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${NSGNIC_RV32_FLAGS}")
# (CMAKE_C_FLAGS are passed to the link too: -march, -mabi and the specs are there.)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
