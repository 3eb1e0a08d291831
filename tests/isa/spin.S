// SPDX-License-Identifier: Apache-2.0
// Never writes tohost: nsgnic-sim must give up at --max-cycles and exit 3 (CTest
// isa_timeout_detected).
#include "isa_test.h"
TEST_BEGIN
1: j 1b
TEST_END
