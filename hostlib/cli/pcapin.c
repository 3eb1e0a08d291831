/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a capture for `nsgnic run`, `run --sim` and `flows`: libpcap's reader, plus the record
 * number and byte offset of each record, so that a damaged capture (a truncated record, a caplen
 * beyond the file or the snapshot length, trailing garbage) is an error naming where the file
 * went wrong instead of a replay that ends early with exit 0. */
#define _DEFAULT_SOURCE 1 /* libpcap needs the BSD u_int types */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

int pcapin_open(struct pcapin *in, const char *path, const char *who)
{
  char eb[PCAP_ERRBUF_SIZE] = "";
  memset(in, 0, sizeof *in);
  in->path = path;
  in->who = who;
  if (!(in->p = pcap_open_offline(path, eb))) {
    fprintf(stderr, "%s: cannot read %s: %s\n", who, path, eb);
    return -1;
  }
  if (pcap_datalink(in->p) != DLT_EN10MB) {
    fprintf(stderr, "%s: %s is not an Ethernet capture (link type %d)\n", who, path, pcap_datalink(in->p));
    pcap_close(in->p);
    in->p = NULL;
    return -1;
  }
  /* classic pcap (2.x): a record is a 16-byte header and caplen bytes, so the file offsets tell
   * whether libpcap dropped bytes of a record longer than the snapshot length */
  in->classic = pcap_major_version(in->p) == 2;
  in->offset = ftell(pcap_file(in->p));
  return 0;
}

static void fail(struct pcapin *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct pcapin *in, const char *fmt, ...)
{
  char why[PCAP_ERRBUF_SIZE + 200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  char at[64] = "";
  if (in->offset >= 0)
    snprintf(at, sizeof at, " at byte offset %ld", in->offset);
  fprintf(stderr, "%s: %s: record %" PRIu64 "%s: %s; processed %" PRIu64 " of the records before the error\n",
          in->who, in->path, in->records + 1, at, why, in->records);
  in->failed = true;
}

int pcapin_next(struct pcapin *in, struct pcap_pkthdr **h, const unsigned char **data)
{
  if (in->failed)
    return -1;
  int r = pcap_next_ex(in->p, h, data);
  if (r == PCAP_ERROR_BREAK)
    return 0; /* the end of the file */
  if (r == PCAP_ERROR && stop_requested())
    return -1; /* a SIGINT/SIGTERM cut the read short: the caller reports the interruption */
  if (r != 1) {
    fail(in, "%s", r == PCAP_ERROR ? pcap_geterr(in->p) : "unexpected result of pcap_next_ex");
    return -1;
  }
  long after = ftell(pcap_file(in->p));
  if ((*h)->caplen > (*h)->len) {
    fail(in, "captured length %u exceeds the frame's length %u", (*h)->caplen, (*h)->len);
    return -1;
  }
  if (in->classic && in->offset >= 0 && after >= 0 && after - in->offset != 16 + (long)(*h)->caplen) {
    fail(in, "captured length %ld exceeds the capture's snapshot length %d", after - in->offset - 16,
         pcap_snapshot(in->p));
    return -1;
  }
  in->records++;
  in->offset = after;
  return 1;
}

double pcapin_share(const struct pcapin *in, double size)
{
  return size > 0 && in->offset >= 0 ? (double)in->offset / size : -1;
}

void pcapin_close(struct pcapin *in)
{
  if (in->p)
    pcap_close(in->p);
  in->p = NULL;
}

void output_incomplete(const char *who, const char *what, const char *path)
{
  struct stat st;
  if (!path || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
    if (path)
      fprintf(stderr, "%s: %s %s is incomplete (it covers the records processed)\n", who, what, path);
    return;
  }
  if (st.st_size == 0) { /* nothing was written: no file rather than an empty one */
    if (unlink(path) == 0)
      fprintf(stderr, "%s: %s %s removed (nothing was processed)\n", who, what, path);
    return;
  }
  size_t n = strlen(path) + sizeof ".partial";
  char *p = malloc(n);
  if (p && snprintf(p, n, "%s.partial", path) > 0 && rename(path, p) == 0)
    fprintf(stderr, "%s: %s kept as %s: it covers the records processed before the error\n", who, what, p);
  else if (unlink(path) == 0)
    fprintf(stderr, "%s: %s %s removed (incomplete)\n", who, what, path);
  else
    fprintf(stderr, "%s: %s %s is incomplete and could not be renamed: %s\n", who, what, path, strerror(errno));
  free(p);
}
