/* SPDX-License-Identifier: Apache-2.0 */
/* Flow-log writer (private): see flowlog.c. */
#ifndef NSGNIC_FLOWLOG_H
#define NSGNIC_FLOWLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nsgnic/slowpath.h"

/* One tuple: src/dst are the flow's initiator and responder; state 'B', 'C', 'E' or 'D' (denied:
 * NSG v2 writes it as B with access D); cnt: packets s->d, bytes s->d, packets d->s, bytes d->s
 * since the flow's previous tuple (ignored for B and D). */
struct nsg_fl_tuple {
  uint8_t fam, proto;
  uint64_t src[2], dst[2];
  uint16_t sport, dport;
  bool outbound, allow;
  char state;
  uint64_t cnt[4];
};

struct nsg_flowlog;
struct nsg_config;
struct nsg_flowlog *nsg_flowlog_new(FILE *out, enum nsg_flowlog_format fmt, const struct nsg_config *cfg,
                                    uint64_t record_interval);
/* nsg/rule: the logging NSG and its rule (index into its rules); nothing is logged when < 0. */
/* nic: the NIC whose flow it is (its configured MAC is logged). */
void nsg_flowlog_tuple(struct nsg_flowlog *fl, uint64_t now, int nsg, int rule, int nic, const struct nsg_fl_tuple *t);
/* Writes the records of the minutes that ended (a little slack before `now`: no tuple reported
 * later can belong to them). */
void nsg_flowlog_tick(struct nsg_flowlog *fl, uint64_t now);
/* Writes every buffered record. */
void nsg_flowlog_flush(struct nsg_flowlog *fl, uint64_t now);
/* Later tuples refer to `cfg` (a configuration reload; buffered ones keep their names). */
void nsg_flowlog_set_config(struct nsg_flowlog *fl, const struct nsg_config *cfg);
/* Flushes, ends the JSON document and frees (the FILE stays open). -ENOMEM when tuples were lost
 * for want of memory. */
int nsg_flowlog_close(struct nsg_flowlog *fl, uint64_t now);

#endif
