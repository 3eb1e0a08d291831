/* SPDX-License-Identifier: Apache-2.0 */
/* `nsgnic run --report DIR`: the replay's frames and flow counts, kept as it runs, become one
 * HTML page (DIR/index.html) with plots drawn by gnuplot: verdicts over time per NIC, a per-rule
 * hit heat map, flows active/new/ended, flow-cache occupancy, exceptions per second and a verdict
 * latency histogram (device cycles on the co-simulated NIC, host time on the software path). */
#ifndef NSGNIC_CLI_REPORT_H
#define NSGNIC_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum report_verdict { REPORT_ALLOWED, REPORT_DENIED, REPORT_OTHER };

/* What the plots say they show (the two paths measure different things). */
struct report_labels {
  const char *title;        /* page title */
  const char *rule_what;    /* heat map: what a row counts */
  const char *cache_what;   /* title of the occupancy plot */
  const char *exc_what;     /* title of the exceptions plot */
  const char *latency_what; /* title of the latency histogram */
  const char *latency_unit; /* its x axis */
};

struct report;
/* Creates DIR if needed. NULL with the reason in err. */
struct report *report_new(const char *dir, const struct report_labels *lab, char *err, size_t errlen);
/* One frame at pcap time t (ns): deciding NIC and rule (names; NULL: "-"), verdict, whether it was
 * an exception, its latency (< 0: unknown). NULL r: no-op. */
void report_frame(struct report *r, uint64_t t, const char *nic, const char *rule, enum report_verdict v, bool exc,
                  double latency);
/* Flow counters at pcap time t: active now, created and ended so far, flow-cache entries used of cap. */
void report_flows(struct report *r, uint64_t t, uint64_t active, uint64_t created, uint64_t ended,
                  uint64_t cache_used, uint64_t cache_cap);
/* Writes the data, runs gnuplot, writes index.html (its path in out_path). 0 or -1 (err). */
int report_finish(struct report *r, const char *summary, char *out_path, size_t out_len, char *err, size_t errlen);
void report_free(struct report *r);

#endif
