/* SPDX-License-Identifier: Apache-2.0 */
/* Long runs: a progress line on stderr while stderr is a terminal (NSGNIC_PROGRESS=1 forces it,
 * =0 turns it off) — frames, frames/s, flows, elapsed wall time, ETA from the share of the input
 * read — redrawn a few times a second by a helper thread, so also a single long call (a table
 * load, a big compile) shows that time passes; and SIGINT/SIGTERM as a request to stop cleanly
 * (the loop ends, outputs are completed, the summary so far is printed, exit 130). */
#ifndef NSGNIC_CLI_PROGRESS_H
#define NSGNIC_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

enum { EXIT_INTERRUPTED = 130 };

/* Starts the line for `what` ("run --sim"); counters start at 0. Does nothing when off. */
void progress_start(const char *what);
/* The loop's counters: items done, flows tracked, share of the input read (0..1, <0 unknown). */
void progress_set(uint64_t frames, uint64_t flows, double fraction);
/* Says what is happening now (e.g. "loading the tables"); NULL: the counters. */
void progress_phase(const char *phase);
/* Clears the line and stops the thread. */
void progress_end(void);

/* SIGINT and SIGTERM set the stop request (a second one ends the program at once). */
void stop_on_signals(void);
bool stop_requested(void);

#endif
