/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harnesses (tests/fuzz/README.md): each file defines the entry point libFuzzer calls
 * once per input; a crash, a sanitizer report or a failed FUZZ_CHECK is a finding. */
#ifndef NSGNIC_FUZZ_H
#define NSGNIC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant of the code under test: a violation aborts (libFuzzer saves the input). */
#define FUZZ_CHECK(c)                                                                          \
  do {                                                                                         \
    if (!(c)) {                                                                                \
      fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__, #c);               \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

#endif
