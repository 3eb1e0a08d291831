/* SPDX-License-Identifier: Apache-2.0 */
/* A GTKWave save file for a trace of the co-simulated NIC: the signals worth looking at first
 * (clock and reset, stream handshakes, BAR accesses, verdicts, the CPU's progress, state
 * machines), grouped by module instance, taken from the trace's own declarations (read with
 * fst2vcd from Debian's gtkwave: only the header). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

enum { MAX_SIGS = 2000, MAX_PER_GROUP = 40, MAX_DEPTH = 3 };

struct sig {
  char scope[256], name[420];
  int width, depth;
};

/* The names that tell what the NIC is doing. */
static const char useful[] =
    "^(clk_i|rst_ni|irq_o|retire_o|tohost_o)$|valid|ready|last|tuser|tid$|_we|bar_addr|action|reason|rule_id|"
    "flow_hit|learned|park|^pc|_pc|state|hit$|bank|verdict|exc|punt";

int write_gtkw(const char *fst, const char *gtkw, char *err, size_t errlen)
{
  int fd[2];
  if (pipe(fd) < 0) {
    snprintf(err, errlen, "pipe: %s", strerror(errno));
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "fork: %s", strerror(errno));
    close(fd[0]);
    close(fd[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]);
    close(fd[1]);
    execlp("fst2vcd", "fst2vcd", "-f", fst, (char *)NULL);
    _exit(127);
  }
  close(fd[1]);
  FILE *in = fdopen(fd[0], "r");
  struct sig *sigs = calloc(MAX_SIGS, sizeof *sigs);
  regex_t re;
  regcomp(&re, useful, REG_EXTENDED | REG_NOSUB);
  char scope[256] = "", line[1024];
  int depth = 0, n = 0;
  bool defs_done = false;
  while (in && sigs && fgets(line, sizeof line, in)) {
    char a[200], b[200];
    int w;
    if (strncmp(line, "$enddefinitions", 15) == 0) {
      defs_done = true;
      break;
    }
    if (sscanf(line, "$scope %199s %199s", a, b) == 2) {
      size_t l = strlen(scope);
      snprintf(scope + l, sizeof scope - l, "%s%s", l ? "." : "", b);
      depth++;
    } else if (strncmp(line, "$upscope", 8) == 0) {
      char *dot = strrchr(scope, '.');
      if (dot)
        *dot = 0;
      else
        scope[0] = 0;
      depth--;
    } else if (sscanf(line, "$var %*s %d %*s %199s %199s", &w, a, b) >= 2 && n < MAX_SIGS) {
      if (depth > MAX_DEPTH || regexec(&re, a, 0, NULL, 0) != 0)
        continue;
      struct sig *s = &sigs[n++];
      snprintf(s->scope, sizeof s->scope, "%s", scope);
      /* the name as GTKWave writes it: vectors with their range */
      if (w > 1 && b[0] == '[')
        snprintf(s->name, sizeof s->name, "%s%s", a, b);
      else
        snprintf(s->name, sizeof s->name, "%s", a);
      s->width = w;
      s->depth = depth;
    }
  }
  regfree(&re);
  if (in)
    fclose(in); /* fst2vcd gets SIGPIPE on the value changes it still writes */
  else
    close(fd[0]);
  int st;
  waitpid(pid, &st, 0);
  if (!defs_done) {
    snprintf(err, errlen, "cannot read the declarations of %s with fst2vcd (Debian gtkwave): %s", fst,
             WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "fst2vcd not found" : "no $enddefinitions");
    free(sigs);
    return -1;
  }
  FILE *o = fopen(gtkw, "w");
  if (!o) {
    snprintf(err, errlen, "cannot write %s: %s", gtkw, strerror(errno));
    free(sigs);
    return -1;
  }
  fprintf(o, "[*] nsgnic run --sim trace: the useful signals, grouped by module instance\n");
  fprintf(o, "[dumpfile] \"%s\"\n[savefile] \"%s\"\n[timestart] 0\n[sst_expanded] 1\n", fst, gtkw);
  int groups = 0;
  for (int i = 0; i < n; i++) {
    if (!sigs[i].scope[0])
      continue;
    bool first = true;
    for (int k = 0; k < i; k++)
      if (strcmp(sigs[k].scope, sigs[i].scope) == 0)
        first = false;
    if (!first)
      continue;
    fprintf(o, "@800200\n-%s\n", sigs[i].scope);
    int in_group = 0;
    for (int k = i; k < n && in_group < MAX_PER_GROUP; k++) {
      if (strcmp(sigs[k].scope, sigs[i].scope) != 0)
        continue;
      fprintf(o, "%s\n%s.%s\n", sigs[k].width > 1 ? "@22" : "@28", sigs[k].scope, sigs[k].name);
      in_group++;
    }
    fprintf(o, "@1000200\n-%s\n", sigs[i].scope);
    groups++;
  }
  fclose(o);
  free(sigs);
  if (!groups) {
    snprintf(err, errlen, "%s declares none of the signals the save file groups", fst);
    return -1;
  }
  return 0;
}
