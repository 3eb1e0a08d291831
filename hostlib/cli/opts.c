/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven option parsing over getopt_long, help text and man pages (opts.h). */
#define _GNU_SOURCE 1 /* getopt_long */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum help_format opts_help_format = HELP_TEXT;

static size_t count(const struct opt *o)
{
  size_t n = 0;
  while (o[n].name)
    n++;
  return n;
}

static void prog_name(char *buf, size_t len, const struct cmd_doc *d)
{
  snprintf(buf, len, "%s%s%s", d->prog, d->name ? " " : "", d->name ? d->name : "");
}

/* The synopsis: "usage: PROG NAME FIRST-LINE", later lines indented under it. */
static void print_usage(FILE *f, const struct cmd_doc *d)
{
  char pn[64];
  prog_name(pn, sizeof pn, d);
  fprintf(f, "usage: %s ", pn);
  for (const char *s = d->synopsis; *s; s++) {
    fputc(*s, f);
    if (*s == '\n' && s[1]) /* a new form, or (leading blank) the continuation of this one */
      fprintf(f, "       %*s", s[1] == ' ' ? (int)strlen(pn) : -(int)strlen(pn) - 1, s[1] == ' ' ? "" : pn);
  }
  if (!*d->synopsis || d->synopsis[strlen(d->synopsis) - 1] != '\n')
    fputc('\n', f);
}

int usage_error(const struct cmd_doc *d, const char *fmt, ...)
{
  char pn[64];
  prog_name(pn, sizeof pn, d);
  fprintf(stderr, "%s: ", pn);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  print_usage(stderr, d);
  if (d->name)
    fprintf(stderr, "try '%s help %s'\n", d->prog, d->name);
  else
    fprintf(stderr, "try '%s --help'\n", d->prog);
  return OPTS_EXIT_USAGE;
}

bool strlist_add(struct strlist *l, const char *s)
{
  if (l->n == OPTS_MAX_LIST)
    return false;
  l->v[l->n++] = s;
  return true;
}

/* "-o, --output IMAGE" */
static void opt_label(char *buf, size_t len, const struct opt *o)
{
  char sh[8] = "";
  if (o->short_name)
    snprintf(sh, sizeof sh, "-%c, ", o->short_name);
  snprintf(buf, len, "%s--%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* roff: a line of text with its backslashes and leading dots/quotes made safe. */
void man_text(FILE *f, const char *s)
{
  bool bol = true;
  for (; *s; s++) {
    if (bol && (*s == '.' || *s == '\''))
      fputs("\\&", f);
    if (*s == '\\')
      fputs("\\e", f);
    else if (*s == '-')
      fputs("\\-", f);
    else
      fputc(*s, f);
    bol = *s == '\n';
  }
  if (!bol)
    fputc('\n', f);
}

void man_header(FILE *f, const char *name, const char *summary)
{
  fprintf(f, ".TH \"%s\" 1 \"\" \"nsgnic\" \"nsgnic manual\"\n.SH NAME\n", name);
  man_text(f, name);
  fputs("\\- ", f);
  man_text(f, summary);
}

static void print_man(FILE *f, const struct cmd_doc *d, const struct opt *opts)
{
  char pn[64], page[64];
  prog_name(pn, sizeof pn, d);
  snprintf(page, sizeof page, "%s%s%s", d->prog, d->name ? "-" : "", d->name ? d->name : "");
  man_header(f, page, d->summary);
  fputs(".SH SYNOPSIS\n.nf\n", f);
  const char *s = d->synopsis;
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (*s != ' ')
      fprintf(f, ".B %s\n", pn);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)n, s);
    man_text(f, line);
    s += n + (e ? 1 : 0);
  }
  fputs(".fi\n.SH DESCRIPTION\n", f);
  man_text(f, d->summary);
  fputs(".SH OPTIONS\n", f);
  for (size_t i = 0; opts[i].name; i++) {
    if (opts[i].flags & OPTF_HIDDEN)
      continue;
    char lab[128];
    opt_label(lab, sizeof lab, &opts[i]);
    fputs(".TP\n.B ", f);
    man_text(f, lab);
    man_text(f, opts[i].help);
  }
  if (d->text) {
    fputs(".SH NOTES\n.nf\n", f);
    man_text(f, d->text);
    fputs(".fi\n", f);
  }
  if (d->exit) {
    fputs(".SH EXIT STATUS\n", f);
    man_text(f, d->exit);
  }
  if (d->name)
    fprintf(f, ".SH SEE ALSO\n.BR %s (1)\n", d->prog);
}

void print_help(FILE *f, const struct cmd_doc *d, const struct opt *opts)
{
  if (opts_help_format == HELP_MAN) {
    print_man(f, d, opts);
    return;
  }
  print_usage(f, d);
  fprintf(f, "%s\n", d->summary);
  fprintf(f, "options:\n");
  for (size_t i = 0; opts[i].name; i++) {
    if (opts[i].flags & OPTF_HIDDEN)
      continue;
    char lab[128];
    opt_label(lab, sizeof lab, &opts[i]);
    fprintf(f, "  %-26s", lab);
    if (strlen(lab) >= 26) /* no room for the column's separating space */
      fprintf(f, "\n  %-26s", "");
    for (const char *s = opts[i].help; *s; s++) {
      fputc(*s, f);
      if (*s == '\n')
        fprintf(f, "  %-26s", "");
    }
    fputc('\n', f);
  }
  if (d->text)
    fprintf(f, "%s%s", d->text, d->text[0] && d->text[strlen(d->text) - 1] == '\n' ? "" : "\n");
  if (d->exit)
    fprintf(f, "exit codes: %s%s", d->exit, d->exit[0] && d->exit[strlen(d->exit) - 1] == '\n' ? "" : "\n");
}

static const struct opt *find_val(const struct opt *opts, int val)
{
  if (val >= 256 && (size_t)(val - 256) < count(opts))
    return &opts[val - 256];
  for (size_t i = 0; opts[i].name; i++)
    if (opts[i].short_name && opts[i].short_name == val)
      return &opts[i];
  return NULL;
}

int parse_opts(const struct cmd_doc *d, const struct opt *opts, int argc, char **argv, int first, int *rest)
{
  size_t n = count(opts);
  struct option *lo = calloc(n + 2, sizeof *lo);
  bool *given = calloc(n + 1, sizeof *given);
  char shorts[2 * 64 + 3] = "+:";
  size_t sl = 2;
  int rc = 0;
  if (!lo || !given) {
    fprintf(stderr, "%s: out of memory\n", d->prog);
    free(lo);
    free(given);
    return OPTS_EXIT_USAGE;
  }
  for (size_t i = 0; i < n; i++) {
    bool val = opts[i].kind != OPT_FLAG && opts[i].kind != OPT_CLEAR && opts[i].kind != OPT_HELP;
    lo[i] = (struct option){opts[i].name, val ? required_argument : no_argument, NULL, (int)(256 + i)};
    if (opts[i].short_name && sl + 2 < sizeof shorts) {
      shorts[sl++] = (char)opts[i].short_name;
      if (val)
        shorts[sl++] = ':';
    }
  }
  shorts[sl] = 0;
  /* hidden on every program and command: the man page, from the same table (cmake/manpages.cmake) */
  lo[n] = (struct option){"help-man", no_argument, NULL, 255};
  /* getopt_long over argv[first-1 ..]: its argv[0] is the program or command name */
  int gargc = argc - first + 1;
  char **gargv = argv + first - 1;
  opterr = 0;
  optind = 0; /* glibc: full reinitialisation (parse_opts may run more than once) */
  int c;
  while ((c = getopt_long(gargc, gargv, shorts, lo, NULL)) != -1) {
    if (c == '?' || c == ':') {
      const struct opt *o = optopt ? find_val(opts, optopt) : NULL;
      const char *arg = gargv[optind - 1];
      if (c == ':')
        rc = usage_error(d, "option --%s needs a value (%s)", o ? o->name : arg, o && o->arg ? o->arg : "");
      else if (o && (o->kind == OPT_FLAG || o->kind == OPT_CLEAR || o->kind == OPT_HELP))
        rc = usage_error(d, "option --%s takes no value", o->name);
      else if (optopt && !o)
        rc = usage_error(d, "unknown option '-%c'", optopt);
      else
        rc = usage_error(d, "unknown option '%s'", arg);
      goto out;
    }
    if (c == 255) {
      opts_help_format = HELP_MAN;
      print_help(stdout, d, opts);
      rc = 1;
      goto out;
    }
    const struct opt *o = find_val(opts, c);
    if (!o) {
      rc = usage_error(d, "unknown option '%s'", gargv[optind - 1]);
      goto out;
    }
    given[o - opts] = true;
    if (o->seen)
      *o->seen = true;
    char err[512] = "";
    switch (o->kind) {
    case OPT_HELP:
      print_help(stdout, d, opts);
      rc = 1;
      goto out;
    case OPT_FLAG: *(bool *)o->dst = true; break;
    case OPT_CLEAR: *(bool *)o->dst = false; break;
    case OPT_STR: *(const char **)o->dst = optarg; break;
    case OPT_LIST:
      if (!strlist_add(o->dst, optarg)) {
        rc = usage_error(d, "too many --%s values (at most %d)", o->name, OPTS_MAX_LIST);
        goto out;
      }
      break;
    case OPT_ULL: {
      unsigned long long v;
      if (opts_parse_ull(optarg, o->lo, o->hi, &v) < 0) {
        rc = usage_error(d, "--%s needs a decimal number from %llu to %llu, not '%s'", o->name, o->lo, o->hi, optarg);
        goto out;
      }
      *(unsigned long long *)o->dst = v;
      break;
    }
    case OPT_FN:
      if (o->fn(o->dst, optarg, err, sizeof err) < 0) {
        rc = usage_error(d, "--%s: %s", o->name, err);
        goto out;
      }
      break;
    }
  }
  if (rest)
    *rest = first - 1 + optind;
  else if (optind < gargc) {
    rc = usage_error(d, "unexpected argument '%s'", gargv[optind]);
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    if ((opts[i].flags & OPTF_REQUIRED) && !given[i]) {
      rc = usage_error(d, "--%s %s is required", opts[i].name, opts[i].arg ? opts[i].arg : "");
      goto out;
    }
out:
  free(lo);
  free(given);
  return rc;
}

int opts_parse_ulln(const char *s, size_t n, unsigned long long lo, unsigned long long hi, unsigned long long *v)
{
  if (!s || n == 0 || (s[0] == '0' && n > 1))
    return -1;
  unsigned long long x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    unsigned d = (unsigned)(s[i] - '0');
    if (x > (ULLONG_MAX - d) / 10)
      return -1; /* overflow */
    x = x * 10 + d;
  }
  if (x < lo || x > hi)
    return -1;
  *v = x;
  return 0;
}

int opts_parse_ull(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *v)
{
  return s ? opts_parse_ulln(s, strlen(s), lo, hi, v) : -1;
}

int refuse_input_as_output(const struct cmd_doc *d, const char *what, const char *out, const struct strlist *inputs)
{
  struct stat so;
  if (!out || stat(out, &so) < 0)
    return 0; /* a new file cannot be an input */
  for (int i = 0; i < inputs->n; i++) {
    struct stat si;
    if (inputs->v[i] && stat(inputs->v[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
      return usage_error(d, "%s %s is the input file %s: refusing to overwrite an input", what, out, inputs->v[i]);
  }
  return 0;
}
