/* SPDX-License-Identifier: Apache-2.0 */
/* The shared libnsgnic is its static parts, whole (cmake/install.cmake); this file only gives
 * the target a source. */
typedef int nsgnic_shared_library_t;
