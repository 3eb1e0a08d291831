/* SPDX-License-Identifier: Apache-2.0 */
/* One command-line convention for every nsgnic program (nsgnic and its commands, nsgnic-sim,
 * nsgnic-mkpcap): options are a table (one line per option), parsed with getopt_long
 * (`--opt=value` and `--opt value`, `-o value`), `--help` on every command, usage errors exit 64
 * with the usage line, and the help text and the man pages are printed from the same table. */
#ifndef NSGNIC_CLI_OPTS_H
#define NSGNIC_CLI_OPTS_H

#include <stdbool.h>
#include <stdio.h>

enum { OPTS_EXIT_USAGE = 64, OPTS_MAX_LIST = 256 };

/* A repeatable option's values, in command-line order. */
struct strlist {
  const char *v[OPTS_MAX_LIST];
  int n;
};

enum opt_kind {
  OPT_FLAG, /* no value: *(bool *)dst = true */
  OPT_CLEAR, /* no value: *(bool *)dst = false (--no-...) */
  OPT_STR,  /* one value: *(const char **)dst (the last one given wins) */
  OPT_LIST, /* repeatable: appended to *(struct strlist *)dst */
  OPT_FN,   /* a value parsed by fn(dst, value, err, errlen): 0, or -1 with the reason in err */
  OPT_ULL,  /* a decimal number in [lo, hi] (opts_parse_ull): *(unsigned long long *)dst */
  OPT_HELP, /* --help: prints the command's help and ends parsing (parse_opts returns 1) */
};

enum { OPTF_REQUIRED = 1u, OPTF_HIDDEN = 2u };

struct opt {
  const char *name;   /* long name, without "--" */
  int short_name;     /* a letter, or 0 */
  enum opt_kind kind;
  const char *arg;    /* the value's placeholder in the help ("FILE"); NULL for flags */
  const char *help;   /* what it does; may span lines ('\n') */
  void *dst;
  int (*fn)(void *dst, const char *val, char *err, size_t errlen);
  unsigned long long lo, hi; /* OPT_ULL's range */
  unsigned flags;
  bool *seen;         /* optional: set when the option is given */
};

#define OPT_END {0}
#define OPT_HELP_ENTRY {"help", 'h', OPT_HELP, NULL, "print this help and exit", NULL, NULL, 0, 0, 0, NULL}

/* What a program or command is, for its help text and its man page. */
struct cmd_doc {
  const char *prog;     /* "nsgnic", "nsgnic-sim" */
  const char *name;     /* the command ("verify"), or NULL for a program without commands */
  const char *synopsis; /* what follows "usage: PROG NAME "; further forms on later lines */
  const char *summary;  /* one line: the command list, the man page's NAME */
  const char *text;     /* paragraphs after the options (may be NULL) */
  const char *exit;     /* exit codes (may be NULL) */
};

enum help_format { HELP_TEXT, HELP_MAN };
extern enum help_format opts_help_format;

/* Parses argv[first..argc) against the table. Returns 0 (parsed; *rest, if not NULL, gets the
 * index of the first operand, else operands are an error), 1 (--help printed: exit 0) or
 * OPTS_EXIT_USAGE (the reason and the usage line printed on stderr). Required options are checked. */
int parse_opts(const struct cmd_doc *d, const struct opt *opts, int argc, char **argv, int first, int *rest);
/* Prints the help (or, with opts_help_format == HELP_MAN, the man page) of a command. */
void print_help(FILE *f, const struct cmd_doc *d, const struct opt *opts);
/* Prints "PROG NAME: <message>" and the usage line on stderr; returns OPTS_EXIT_USAGE. */
int usage_error(const struct cmd_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writing `out` must not destroy an input: returns OPTS_EXIT_USAGE (message printed) when `out`
 * is the same file (same device and inode) as one of `inputs`, else 0. */
int refuse_input_as_output(const struct cmd_doc *d, const char *what, const char *out, const struct strlist *inputs);
/* The one parser of every number on a command line (and of the numbers in a batch query's strings):
 * s[0..n) (n = strlen(s) for opts_parse_ull) must be decimal digits only: no space, no sign, no
 * base prefix, no leading zero (010 is neither 8 nor 10), no overflow, no trailing text, and the
 * value in [lo, hi]. 0 (*v set) or -1 (*v untouched). */
int opts_parse_ulln(const char *s, size_t n, unsigned long long lo, unsigned long long hi, unsigned long long *v);
int opts_parse_ull(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *v);
/* Appends to a list (false when it is full). */
bool strlist_add(struct strlist *l, const char *s);
/* Prints the roff of a whole-program page header (nsgnic(1)). */
void man_header(FILE *f, const char *name, const char *summary);
void man_text(FILE *f, const char *s);

#endif
