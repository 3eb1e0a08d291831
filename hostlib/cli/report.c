/* SPDX-License-Identifier: Apache-2.0 */
/* `nsgnic run --report DIR`: one HTML page with pictures of a replay (report.h), drawn by gnuplot
 * (Debian gnuplot-nox) from data files written next to it. */
#define _GNU_SOURCE 1
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { BUCKETS = 60, MAX_NAMES = 4096, HIST_BINS = 40 };

struct frame_ev {
  uint64_t t;
  int nic, rule;
  enum report_verdict v;
  bool exc;
  double latency;
};

struct flow_ev {
  uint64_t t, active, created, ended, cache_used, cache_cap;
};

struct report {
  char dir[1024];
  struct report_labels lab;
  struct frame_ev *fr;
  size_t nfr, capfr;
  struct flow_ev *fl;
  size_t nfl, capfl;
  char *nics[MAX_NAMES], *rules[MAX_NAMES];
  int nnics, nrules;
};

static int intern(char **tab, int *n, const char *s)
{
  if (!s || !*s)
    s = "-";
  for (int i = 0; i < *n; i++)
    if (strcmp(tab[i], s) == 0)
      return i;
  if (*n == MAX_NAMES)
    return *n - 1;
  tab[*n] = strdup(s);
  return tab[*n] ? (*n)++ : 0;
}

struct report *report_new(const char *dir, const struct report_labels *lab, char *err, size_t errlen)
{
  if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
    snprintf(err, errlen, "cannot create the report folder %s: %s", dir, strerror(errno));
    return NULL;
  }
  struct stat st;
  if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s is not a folder", dir);
    return NULL;
  }
  struct report *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  snprintf(r->dir, sizeof r->dir, "%s", dir);
  r->lab = *lab;
  return r;
}

void report_frame(struct report *r, uint64_t t, const char *nic, const char *rule, enum report_verdict v, bool exc,
                  double latency)
{
  if (!r)
    return;
  if (r->nfr == r->capfr) {
    size_t cap = r->capfr ? 2 * r->capfr : 1024;
    struct frame_ev *p = realloc(r->fr, cap * sizeof *p);
    if (!p)
      return;
    r->fr = p;
    r->capfr = cap;
  }
  r->fr[r->nfr++] = (struct frame_ev){t, intern(r->nics, &r->nnics, nic), intern(r->rules, &r->nrules, rule), v, exc,
                                      latency};
}

void report_flows(struct report *r, uint64_t t, uint64_t active, uint64_t created, uint64_t ended, uint64_t cache_used,
                  uint64_t cache_cap)
{
  if (!r)
    return;
  if (r->nfl == r->capfl) {
    size_t cap = r->capfl ? 2 * r->capfl : 1024;
    struct flow_ev *p = realloc(r->fl, cap * sizeof *p);
    if (!p)
      return;
    r->fl = p;
    r->capfl = cap;
  }
  r->fl[r->nfl++] = (struct flow_ev){t, active, created, ended, cache_used, cache_cap};
}

static FILE *open_in(const struct report *r, const char *name)
{
  char p[1200];
  snprintf(p, sizeof p, "%s/%s", r->dir, name);
  return fopen(p, "w");
}

/* gnuplot strings: single-quoted, quotes doubled; names with odd bytes stay readable */
static void gp_str(FILE *f, const char *s)
{
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'')
      fputs("''", f);
    else if ((unsigned char)*s < 0x20)
      fputc(' ', f);
    else
      fputc(*s, f);
  }
  fputc('\'', f);
}

static void html_str(FILE *f, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '"': fputs("&quot;", f); break;
    default: fputc(*s, f);
    }
  }
}

static int run_gnuplot(const struct report *r, char *err, size_t errlen)
{
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "fork: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    if (chdir(r->dir) < 0)
      _exit(126);
    execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    snprintf(err, errlen, "%s",
             WIFEXITED(st) && WEXITSTATUS(st) == 127
                 ? "gnuplot not found (Debian gnuplot-nox; scripts/setup installs it)"
                 : "gnuplot failed on plots.gp (its messages are above)");
    return -1;
  }
  return 0;
}

int report_finish(struct report *r, const char *summary, char *out_path, size_t out_len, char *err, size_t errlen)
{
  if (!r->nfr) {
    snprintf(err, errlen, "no frames to report");
    return -1;
  }
  uint64_t t0 = r->fr[0].t, t1 = r->fr[0].t;
  for (size_t i = 0; i < r->nfr; i++) {
    t0 = r->fr[i].t < t0 ? r->fr[i].t : t0;
    t1 = r->fr[i].t > t1 ? r->fr[i].t : t1;
  }
  double span = (double)(t1 - t0) / 1e9;
  double bw = span / BUCKETS < 1 ? 1 : span / BUCKETS; /* seconds per bucket, at least 1 */
  int nb = (int)(span / bw) + 1;
#define BUCKET(t) ((int)((double)((t) - t0) / 1e9 / bw) < nb ? (int)((double)((t) - t0) / 1e9 / bw) : nb - 1)
  /* 1. verdicts over time per NIC: columns time, then allowed, denied for each NIC */
  uint64_t *vc = calloc((size_t)nb * (size_t)r->nnics * 2, sizeof *vc);
  uint64_t *rc = calloc((size_t)nb * (size_t)r->nrules, sizeof *rc);
  uint64_t *exc = calloc((size_t)nb, sizeof *exc);
  if (!vc || !rc || !exc) {
    free(vc);
    free(rc);
    free(exc);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  double lmin = INFINITY, lmax = 0;
  for (size_t i = 0; i < r->nfr; i++) {
    const struct frame_ev *e = &r->fr[i];
    int b = BUCKET(e->t);
    if (e->v != REPORT_OTHER)
      vc[((size_t)b * (size_t)r->nnics + (size_t)e->nic) * 2 + (e->v == REPORT_DENIED)]++;
    rc[(size_t)e->rule * (size_t)nb + (size_t)b]++;
    exc[b] += e->exc;
    if (e->latency >= 0) {
      lmin = e->latency < lmin ? e->latency : lmin;
      lmax = e->latency > lmax ? e->latency : lmax;
    }
  }
  FILE *f = open_in(r, "verdicts.dat");
  for (int b = 0; f && b < nb; b++) {
    fprintf(f, "%.3f", b * bw);
    for (int n = 0; n < r->nnics; n++)
      fprintf(f, " %llu %llu", (unsigned long long)vc[((size_t)b * (size_t)r->nnics + (size_t)n) * 2],
              (unsigned long long)vc[((size_t)b * (size_t)r->nnics + (size_t)n) * 2 + 1]);
    fputc('\n', f);
  }
  if (f)
    fclose(f);
  /* 2. rule hits: a matrix, one row per rule, one column per bucket */
  f = open_in(r, "rules.dat");
  for (int k = 0; f && k < r->nrules; k++) {
    for (int b = 0; b < nb; b++)
      fprintf(f, "%s%llu", b ? " " : "", (unsigned long long)rc[(size_t)k * (size_t)nb + (size_t)b]);
    fputc('\n', f);
  }
  if (f)
    fclose(f);
  /* 3. flows and 4. flow-cache occupancy: the last sample of each bucket; new/ended: per bucket */
  f = open_in(r, "flows.dat");
  uint64_t pc = 0, pe = 0;
  size_t j = 0;
  for (int b = 0; f && b < nb; b++) {
    const struct flow_ev *last = NULL;
    while (j < r->nfl && BUCKET(r->fl[j].t) <= b)
      last = &r->fl[j++];
    if (!last)
      continue;
    fprintf(f, "%.3f %llu %llu %llu %llu %.6f\n", b * bw, (unsigned long long)last->active,
            (unsigned long long)(last->created - pc), (unsigned long long)(last->ended - pe),
            (unsigned long long)last->cache_used,
            last->cache_cap ? 100.0 * (double)last->cache_used / (double)last->cache_cap : 0.0);
    pc = last->created;
    pe = last->ended;
  }
  if (f)
    fclose(f);
  /* 5. exceptions per second */
  f = open_in(r, "exceptions.dat");
  for (int b = 0; f && b < nb; b++)
    fprintf(f, "%.3f %.3f\n", b * bw, (double)exc[b] / bw);
  if (f)
    fclose(f);
  /* 6. latency histogram */
  f = open_in(r, "latency.dat");
  if (f && lmax >= lmin) {
    double w = (lmax - lmin) / HIST_BINS;
    if (w <= 0)
      w = 1;
    uint64_t h[HIST_BINS + 1] = {0};
    for (size_t i = 0; i < r->nfr; i++)
      if (r->fr[i].latency >= 0)
        h[(int)((r->fr[i].latency - lmin) / w) > HIST_BINS ? HIST_BINS : (int)((r->fr[i].latency - lmin) / w)]++;
    for (int b = 0; b <= HIST_BINS; b++)
      fprintf(f, "%.3f %llu\n", lmin + (b + 0.5) * w, (unsigned long long)h[b]);
  }
  if (f)
    fclose(f);
  /* the gnuplot script */
  f = open_in(r, "plots.gp");
  if (!f) {
    snprintf(err, errlen, "cannot write %s/plots.gp: %s", r->dir, strerror(errno));
    free(vc), free(rc), free(exc);
    return -1;
  }
  fprintf(f, "# nsgnic run --report: the plots of index.html (gnuplot plots.gp)\n"
             "set terminal pngcairo size 960,400 font 'sans,10' noenhanced\nset grid\nset key outside right\n"
             "set xlabel 'pcap time since the first frame (s)'\n");
  fprintf(f, "set output 'verdicts.png'\nset title 'Verdicts per NIC (frames per %.3g s)'\nset ylabel 'frames'\n"
             "plot ", bw);
  for (int n = 0; n < r->nnics; n++) {
    fprintf(f, "%s'verdicts.dat' using 1:%d with linespoints lw 2 title ", n ? ", " : "", 2 + 2 * n);
    char t[300];
    snprintf(t, sizeof t, "%s allowed", r->nics[n]);
    gp_str(f, t);
    fprintf(f, ", 'verdicts.dat' using 1:%d with linespoints dt 2 lw 2 title ", 3 + 2 * n);
    snprintf(t, sizeof t, "%s denied", r->nics[n]);
    gp_str(f, t);
  }
  fputc('\n', f);
  char title[400];
  snprintf(title, sizeof title, "Frames per rule (%s) and time bucket (%.3g s)", r->lab.rule_what, bw);
  fprintf(f, "set output 'rules.png'\nset terminal pngcairo size 960,%d font 'sans,9' noenhanced\nset title ",
          160 + 18 * r->nrules);
  gp_str(f, title);
  fprintf(f, "\nunset grid\nset key off\nset ylabel ''\nset xlabel 'pcap time since the first frame (s)'\n"
             "set xrange [%.3f:%.3f]\nset yrange [-0.5:%d.5]\nset ytics (", -bw / 2, (nb - 0.5) * bw, r->nrules - 1);
  for (int k = 0; k < r->nrules; k++) {
    fprintf(f, "%s", k ? ", " : "");
    gp_str(f, r->rules[k]);
    fprintf(f, " %d", k);
  }
  fprintf(f, ")\nset lmargin 48\nset palette defined (0 'white', 1 '#fde725', 4 '#21918c', 10 '#440154')\n"
             "set cblabel 'frames'\nplot 'rules.dat' matrix using ($1*%.6f):2:3 with image\n"
             "set terminal pngcairo size 960,400 font 'sans,10' noenhanced\nset lmargin\nset grid\nset key outside right\n"
             "set autoscale xy\nunset ytics\nset ytics\nset ytics nomirror\n"
             "set xlabel 'pcap time since the first frame (s)'\n",
          bw);
  fprintf(f, "set output 'flows.png'\nset title 'Flows: active, new and ended (per %.3g s)'\nset ylabel 'flows'\n"
             "plot 'flows.dat' using 1:2 with steps lw 2 title 'active', '' using 1:3 with impulses lw 4 "
             "title 'new', '' using 1:4 with points pt 7 ps 1.2 title 'ended'\n",
          bw);
  fprintf(f, "set output 'cache.png'\nset title ");
  gp_str(f, r->lab.cache_what);
  fprintf(f, "\nset ylabel 'entries'\nset y2label '%% of capacity'\nset y2tics\n"
             "plot 'flows.dat' using 1:5 with steps lw 2 title 'entries', '' using 1:6 axes x1y2 with steps dt 3 "
             "title '%% of capacity'\nunset y2tics\nunset y2label\n");
  fprintf(f, "set output 'exceptions.png'\nset title ");
  gp_str(f, r->lab.exc_what);
  fprintf(f, "\nset ylabel 'per second'\nplot 'exceptions.dat' using 1:2 with impulses lw 4 title 'per second'\n");
  fprintf(f, "set output 'latency.png'\nset title ");
  gp_str(f, r->lab.latency_what);
  fprintf(f, "\nset xlabel ");
  gp_str(f, r->lab.latency_unit);
  fprintf(f, "\nset ylabel 'frames'\nset style fill solid 0.6\nplot 'latency.dat' using 1:2 with boxes title "
             "'frames'\n");
  fclose(f);
  free(vc);
  free(rc);
  free(exc);
  if (run_gnuplot(r, err, errlen) < 0)
    return -1;
  /* the page */
  f = open_in(r, "index.html");
  if (!f) {
    snprintf(err, errlen, "cannot write %s/index.html: %s", r->dir, strerror(errno));
    return -1;
  }
  fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
  html_str(f, r->lab.title);
  fprintf(f, "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}img{border:1px solid #ccc;"
             "margin:.5em 0}pre{background:#f4f4f4;padding:1em;overflow-x:auto;font-size:85%%}</style></head>\n"
             "<body>\n<h1>");
  html_str(f, r->lab.title);
  fprintf(f, "</h1>\n<p>%zu frames over %.3f s of pcap time; %d NICs, %d rules. Data files and the gnuplot script "
             "(plots.gp) are beside this page.</p>\n",
          r->nfr, span, r->nnics, r->nrules);
  static const struct {
    const char *png, *h;
  } plots[] = {{"verdicts.png", "Verdicts over time, per NIC"},
               {"rules.png", "Rule hits (heat map)"},
               {"flows.png", "Flows: active, new, ended"},
               {"cache.png", "Flow-cache occupancy"},
               {"exceptions.png", "Exceptions per second"},
               {"latency.png", "Verdict latency"}};
  for (size_t i = 0; i < sizeof plots / sizeof *plots; i++)
    fprintf(f, "<h2>%s</h2>\n<img src=\"%s\" alt=\"%s\">\n", plots[i].h, plots[i].png, plots[i].h);
  fprintf(f, "<h2>Summary</h2>\n<pre>");
  html_str(f, summary ? summary : "");
  fprintf(f, "</pre>\n</body></html>\n");
  fclose(f);
  snprintf(out_path, out_len, "%s/index.html", r->dir);
  return 0;
#undef BUCKET
}

void report_free(struct report *r)
{
  if (!r)
    return;
  for (int i = 0; i < r->nnics; i++)
    free(r->nics[i]);
  for (int i = 0; i < r->nrules; i++)
    free(r->rules[i]);
  free(r->fr);
  free(r->fl);
  free(r);
}
