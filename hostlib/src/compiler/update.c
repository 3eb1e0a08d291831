/* SPDX-License-Identifier: Apache-2.0 */
/* Incremental updates: the table writes that turn the device state `old` into the freshly
 * compiled `new`, ordered so that a reader sees the old rule set or the new one, never a mix.
 *
 * Banks. Every key carries the active-bank register B in its BANK bit. In the steady state no
 * entry cares about BANK (shared by both banks). An update:
 *   0. renumbers `new` into `old`'s id space: NSG ids by NSG name, rule ids by (NSG, rule) name
 *      (new rules get ids never used before), so unchanged entries compare equal;
 *   1. per block (the rule TCAM: one block per NSG id, entries of different NSGs never overlap;
 *      the label and platform TCAMs: one block each) keeps the common prefix and suffix of the
 *      old and new entry sequences in place; the old middle entries are rewritten to care about
 *      BANK = B (still visible, same match); the new middle entries are written, caring about
 *      BANK = 1-B (invisible), into free slots between the kept prefix and suffix. Without a free
 *      slot there, the suffix moves down one slot towards the nearest free slot (a move: slot
 *      j+1 := slot j, from the free slot back to the insertion point; an entry is briefly
 *      duplicated in adjacent slots, which changes no lookup). The compiler leaves free slots
 *      spread through the rule TCAM, so moves stay few;
 *   2. writes the binding entries that changed into the inactive bank (the binding table is
 *      banked: one entry per vport per bank, lookups read the active bank's), so a change of a
 *      NIC's attachment - NIC or subnet NSG swapped, attached or detached, ASG membership
 *      (LOCAL_LABELS), label context - is invisible until the switch;
 *   3. writes B := 1-B (the switch: old middle entries vanish, new ones appear, and every vport
 *      takes its new attachment, atomically; the firmware then copies the written bindings to
 *      the new inactive bank, so both banks agree again);
 *   4. cleans up: entries caring about BANK = B are invalidated, those caring about 1-B are
 *      rewritten as shared, which restores the steady state.
 * Port-range comparators are not banked: `new` must use `old`'s (nsg_compile_opts
 * fixed_port_ranges); otherwise the planner refuses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tables.h"

struct nsg_update {
  struct nsg_write *w;
  size_t n, cap;
  size_t switch_at; /* index of the bank-switch write */
  struct nsg_trname *names; /* rule-name table valid for old and new ids */
  size_t nnames;
  size_t moves;
  /* label contexts: the new tables' contexts and rows (the trees the switch activates) */
  bool ctx;
  struct nsg_tctx *ctxs;
  size_t nctxs;
  struct nsg_tlrow *lrows;
  size_t nlrows;
};

static int emit(struct nsg_update *u, const struct nsg_write *w)
{
  if (u->n == u->cap) {
    size_t cap = u->cap ? u->cap * 2 : 256;
    struct nsg_write *nw = realloc(u->w, cap * sizeof *nw);
    if (!nw)
      return -ENOMEM;
    u->w = nw;
    u->cap = cap;
  }
  u->w[u->n++] = *w;
  return 0;
}

static void pack(struct nsg_write *w, const struct nsg_ttable *t, const struct nsg_tentry *e)
{
  unsigned k = 0;
  memset(w->words, 0, sizeof w->words);
  for (unsigned i = 0; i < t->key_words; i++)
    w->words[k++] = e->val[i];
  for (unsigned i = 0; i < t->key_words; i++)
    w->words[k++] = e->care[i];
  for (unsigned i = 0; i < t->res_words; i++)
    w->words[k++] = e->res[i];
  w->words[k] = e->valid;
}

static void unpack(const struct nsg_write *w, const struct nsg_ttable *t, struct nsg_tentry *e)
{
  unsigned k = 0;
  memset(e, 0, sizeof *e);
  for (unsigned i = 0; i < t->key_words; i++)
    e->val[i] = w->words[k++];
  for (unsigned i = 0; i < t->key_words; i++)
    e->care[i] = w->words[k++];
  for (unsigned i = 0; i < t->res_words; i++)
    e->res[i] = w->words[k++];
  e->valid = w->words[k] != 0;
}

static struct nsg_ttable *table_of(struct nsg_tables *t, enum nsg_write_kind k)
{
  return k == NSG_WRITE_RULE ? &t->rule : k == NSG_WRITE_LABEL ? &t->label : k == NSG_WRITE_PLATFORM ? &t->plat : NULL;
}

int nsg_tables_apply(struct nsg_tables *t, const struct nsg_write *w, size_t n)
{
  if (n)
    nsg_tables_label_stage_drop(t); /* rebuilt from the new tables at the next label lookup */
  for (size_t i = 0; i < n; i++) {
    if (w[i].table == NSG_WRITE_BANK_SWITCH) {
      if (w[i].index > 1)
        return -EINVAL;
      if (w[i].index != t->bank && t->has_next_rows) { /* the inactive bank's trees become active */
        free(t->ctxs);
        free(t->lrows);
        t->ctxs = t->ctxs_next;
        t->nctxs = t->nctxs_next;
        t->lrows = t->lrows_next;
        t->nlrows = t->nlrows_next;
        t->ctxs_next = NULL;
        t->lrows_next = NULL;
        t->nctxs_next = t->nlrows_next = 0;
        t->has_next_rows = false;
      }
      if (w[i].index != t->bank && t->bind_next) {
        /* the flip activates the staged bindings; then the firmware copies each written vport's
         * entry to the new inactive bank (the others are equal already): both banks agree */
        uint32_t(*b)[NSGNIC_BINDING_WORDS] = t->bind;
        t->bind = t->bind_next;
        t->bind_next = b;
        memcpy(t->bind_next, t->bind, t->nvports * sizeof t->bind[0]);
      }
      t->bank = w[i].index;
    } else if (w[i].table == NSG_WRITE_BINDING) {
      if (w[i].index >= t->nvports)
        return -EINVAL;
      if (!t->bind_next) { /* banked: the write goes to the inactive bank */
        if (!(t->bind_next = malloc((t->nvports ? t->nvports : 1) * sizeof *t->bind_next)))
          return -ENOMEM;
        memcpy(t->bind_next, t->bind, t->nvports * sizeof *t->bind_next);
      }
      memcpy(t->bind_next[w[i].index], w[i].words, sizeof t->bind[0]);
    } else {
      struct nsg_ttable *tt = table_of(t, w[i].table);
      if (!tt)
        return -EINVAL;
      while (tt->n <= w[i].index) {
        struct nsg_tentry z;
        memset(&z, 0, sizeof z);
        if (nsg_ttable_push(tt, &z) < 0)
          return -ENOMEM;
      }
      unpack(&w[i], tt, &tt->e[w[i].index]);
    }
  }
  return 0;
}

/* ---- renumbering -------------------------------------------------------------------------- */

static bool is_catch_all(const struct nsg_tentry *e)
{
  return NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT) != 0;
}

static unsigned entry_nsg(const struct nsg_tentry *e)
{
  return (unsigned)NSGNIC_GET(e->val, RULE_KEY_NSG);
}

/* NSG id -> NSG name, from the rule entries and the rule-name table. */
static int nsg_names(const struct nsg_tables *t, const char **names)
{
  for (size_t i = 0; i < t->rule.n; i++) {
    const struct nsg_tentry *e = &t->rule.e[i];
    if (!e->valid || is_catch_all(e))
      continue;
    size_t rid = (size_t)NSGNIC_GET(e->res, RESULT_RULE_ID);
    if (rid >= t->nrnames)
      return -EINVAL;
    names[entry_nsg(e)] = t->rnames[rid].nsg;
  }
  return 0;
}

static long find_name(const struct nsg_trname *n, size_t cnt, const char *nsg, const char *rule)
{
  for (size_t i = 0; i < cnt; i++)
    if (strcmp(n[i].rule, rule) == 0 && strcmp(n[i].nsg, nsg) == 0)
      return (long)i;
  return -1;
}

/* Renumbers nw (a clone of new) into old's id space; fills u->names. */
static int renumber(struct nsg_update *u, const struct nsg_tables *old, struct nsg_tables *nw, char *err, size_t errlen)
{
  const char **oname = calloc(NSGNIC_NSG_IDS, sizeof *oname), **nname = calloc(NSGNIC_NSG_IDS, sizeof *nname);
  int *idmap = malloc(NSGNIC_NSG_IDS * sizeof *idmap);
  size_t *ridmap = malloc((nw->nrnames + 1) * sizeof *ridmap);
  int rc = 0;
  if (!oname || !nname || !idmap || !ridmap) {
    rc = -ENOMEM;
    goto out;
  }
  if (nsg_names(old, oname) < 0 || nsg_names(nw, nname) < 0) {
    snprintf(err, errlen, "update: a rule TCAM entry names a rule outside its rule-name table");
    rc = -EINVAL;
    goto out;
  }
  /* NSG ids */
  unsigned fresh = 0;
  for (unsigned id = 0; id < NSGNIC_NSG_IDS; id++) {
    idmap[id] = -1;
    if (!nname[id])
      continue;
    for (unsigned o = 0; o < NSGNIC_NSG_IDS && idmap[id] < 0; o++)
      if (oname[o] && strcmp(oname[o], nname[id]) == 0)
        idmap[id] = (int)o;
  }
  for (unsigned id = 0; id < NSGNIC_NSG_IDS; id++) {
    if (!nname[id] || idmap[id] >= 0)
      continue;
    bool taken = true;
    while (fresh < NSGNIC_NSG_IDS && taken) {
      taken = oname[fresh] != NULL;
      for (unsigned k = 0; k < NSGNIC_NSG_IDS && !taken; k++)
        taken = idmap[k] == (int)fresh;
      if (taken)
        fresh++;
    }
    if (fresh >= NSGNIC_NSG_IDS) {
      snprintf(err, errlen, "update: old and new configuration together use more than %d NSG ids", NSGNIC_NSG_IDS);
      rc = -ENOSPC;
      goto out;
    }
    idmap[id] = (int)fresh++;
  }
  /* rule ids: the old table, then the new names it lacks */
  u->names = calloc(old->nrnames + nw->nrnames + 1, sizeof *u->names);
  if (!u->names) {
    rc = -ENOMEM;
    goto out;
  }
  for (; u->nnames < old->nrnames; u->nnames++)
    if (!(u->names[u->nnames].nsg = nsg_strdup(old->rnames[u->nnames].nsg)) ||
        !(u->names[u->nnames].rule = nsg_strdup(old->rnames[u->nnames].rule))) {
      u->nnames++;
      rc = -ENOMEM;
      goto out;
    }
  for (size_t i = 0; i < nw->nrnames; i++) {
    long k = find_name(old->rnames, old->nrnames, nw->rnames[i].nsg, nw->rnames[i].rule);
    if (k < 0) {
      k = (long)u->nnames;
      if (!(u->names[k].nsg = nsg_strdup(nw->rnames[i].nsg)) || !(u->names[k].rule = nsg_strdup(nw->rnames[i].rule))) {
        u->nnames++;
        rc = -ENOMEM;
        goto out;
      }
      u->nnames++;
    }
    ridmap[i] = (size_t)k;
  }
  if (u->nnames > 65536) {
    snprintf(err, errlen, "update: old and new rule-name tables together exceed 65536 rules; load a full image instead");
    rc = -ENOSPC;
    goto out;
  }
  for (size_t i = 0; i < nw->rule.n; i++) {
    struct nsg_tentry *e = &nw->rule.e[i];
    if (!e->valid)
      continue;
    NSGNIC_PUT(e->val, RULE_KEY_NSG, idmap[entry_nsg(e)] < 0 ? 0 : idmap[entry_nsg(e)]);
    if (!is_catch_all(e))
      NSGNIC_PUT(e->res, RESULT_RULE_ID, ridmap[NSGNIC_GET(e->res, RESULT_RULE_ID)]);
  }
  for (size_t v = 0; v < nw->nvports; v++) {
    uint32_t *b = nw->bind[v];
    if (NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID))
      NSGNIC_PUT(b, BINDING_SUBNET_NSG, idmap[NSGNIC_GET(b, BINDING_SUBNET_NSG)]);
    if (NSGNIC_GET(b, BINDING_NIC_NSG_VALID))
      NSGNIC_PUT(b, BINDING_NIC_NSG, idmap[NSGNIC_GET(b, BINDING_NIC_NSG)]);
  }
out:
  free(oname);
  free(nname);
  free(idmap);
  free(ridmap);
  return rc;
}

/* ---- placement ----------------------------------------------------------------------------- */

static bool same_entry(const struct nsg_ttable *t, const struct nsg_tentry *a, const struct nsg_tentry *b)
{
  return a->valid == b->valid && memcmp(a->val, b->val, t->key_words * 4u) == 0 &&
         memcmp(a->care, b->care, t->key_words * 4u) == 0 && memcmp(a->res, b->res, t->res_words * 4u) == 0;
}

struct plan {
  struct nsg_update *u;
  struct nsg_tables *dev; /* the device model the writes are applied to as they are planned */
  enum nsg_write_kind kind;
  size_t capacity;
  unsigned bank; /* the active bank before the switch */
};

static int write_slot(struct plan *p, size_t slot, const struct nsg_tentry *e)
{
  struct nsg_write w = {.table = p->kind, .index = (uint32_t)slot};
  pack(&w, table_of(p->dev, p->kind), e);
  int rc = emit(p->u, &w);
  return rc ? rc : nsg_tables_apply(p->dev, &w, 1);
}

static void set_bank(struct plan *p, struct nsg_tentry *e, int bank)
{
  unsigned lsb = p->kind == NSG_WRITE_RULE ? NSGNIC_RULE_KEY_BANK_LSB
                 : p->kind == NSG_WRITE_LABEL ? NSGNIC_LABEL_KEY_BANK_LSB : NSGNIC_PLATFORM_KEY_BANK_LSB;
  uint32_t m = (uint32_t)1u << (lsb & 31u);
  e->care[lsb >> 5] &= ~m;
  e->val[lsb >> 5] &= ~m;
  if (bank >= 0) {
    e->care[lsb >> 5] |= m;
    if (bank)
      e->val[lsb >> 5] |= m;
  }
}

static bool overlap(const struct nsg_ttable *t, const struct nsg_tentry *a, const struct nsg_tentry *b)
{
  for (unsigned w = 0; w < t->key_words; w++)
    if ((a->val[w] ^ b->val[w]) & a->care[w] & b->care[w])
      return false;
  return true;
}

/* Order matters between a and b only when both can match one key and they decide differently. */
static bool ordered(const struct nsg_ttable *t, const struct nsg_tentry *a, const struct nsg_tentry *b)
{
  return memcmp(a->res, b->res, t->res_words * 4u) != 0 && overlap(t, a, b);
}

/* A move's second half: invalidates the stale original left in `slot`. */
static int clear_slot(struct plan *p, size_t slot)
{
  struct nsg_tentry z;
  memset(&z, 0, sizeof z);
  p->u->moves++;
  return write_slot(p, slot, &z);
}

/* Recorded slots in lo..hi follow their entries to to[slot - lo]. */
static void remap(size_t **rec, const size_t *nrec, int nlists, size_t lo, size_t hi, const size_t *to)
{
  for (int l = 0; l < nlists; l++)
    for (size_t i = 0; i < nrec[l]; i++)
      if (rec[l][i] >= lo && rec[l][i] <= hi)
        rec[l][i] = to[rec[l][i] - lo];
}

/* Opens d free slots at `from`: the valid entries from `from` up to the d-th free slot move down,
 * keeping their order: copies are written last entry first (each lands after its original and
 * after every copy of a later entry it could precede), then the stale originals left in the
 * opened slots are invalidated, again last first (invalidating an earlier one first would let
 * a later entry's stale original precede it). Recorded slots follow their entries. Returns 0,
 * or -ENOSPC. */
static int shift_down(struct plan *p, size_t from, size_t d, size_t **rec, const size_t *nrec, int nlists)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t g = from, freec = 0;
  for (;; g++) {
    if (g >= t->n || !t->e[g].valid)
      freec++;
    if (freec == d)
      break;
  }
  if (g >= p->capacity)
    return -ENOSPC;
  size_t len = g + 1 - from;
  size_t *to = malloc(len * sizeof *to);
  if (!to)
    return -ENOMEM;
  size_t rank = 0;
  for (size_t j = from; j <= g; j++)
    to[j - from] = j < t->n && t->e[j].valid ? from + d + rank++ : SIZE_MAX;
  int rc = 0;
  for (size_t j = g + 1; j-- > from && rc == 0;)
    if (to[j - from] != SIZE_MAX && to[j - from] != j) {
      struct nsg_tentry c = t->e[j];
      rc = write_slot(p, to[j - from], &c);
      p->u->moves++;
    }
  for (size_t j = from + d; j-- > from && rc == 0;) /* stale copies, last first: earlier ones still */
    if (j < t->n && t->e[j].valid)                   /* precede the copies of later entries */
      rc = clear_slot(p, j);
  remap(rec, nrec, nlists, from, g, to);
  free(to);
  return rc;
}

/* Cost in moves of opening d free slots at `from` by shift_down, or SIZE_MAX. */
static size_t down_cost(struct plan *p, size_t from, size_t d)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t freec = 0, valid = 0, g = from;
  for (; freec < d; g++) {
    if (g >= p->capacity)
      return SIZE_MAX;
    if (g >= t->n || !t->e[g].valid)
      freec++;
    else
      valid++;
  }
  return valid * 2; /* a copy and (for most) an invalidation */
}

/* Opens d free slots right after `upto` by moving the entries from the d-th free slot below it
 * up to `upto` towards lower slots, keeping their order: copies first entry first (each lands
 * before its original, after the copies of every earlier entry), then the stale originals -
 * later duplicates, which change no lookup - are invalidated. The entry at `upto` ends at
 * *newpos. Returns 0, -ENOSPC (not enough free slots below) or -ENOMEM. */
static int shift_up(struct plan *p, size_t upto, size_t d, size_t **rec, const size_t *nrec, int nlists, size_t *newpos)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t g = upto + 1, freec = 0;
  while (freec < d) {
    if (g == 0)
      return -ENOSPC;
    g--;
    if (g >= t->n || !t->e[g].valid)
      freec++;
  }
  size_t len = upto + 1 - g;
  size_t *to = malloc(len * sizeof *to);
  if (!to)
    return -ENOMEM;
  size_t rank = 0;
  for (size_t j = g; j <= upto; j++)
    to[j - g] = j < t->n && t->e[j].valid ? g + rank++ : SIZE_MAX;
  int rc = 0;
  for (size_t j = g; j <= upto && rc == 0; j++)
    if (to[j - g] != SIZE_MAX && to[j - g] != j) {
      struct nsg_tentry c = t->e[j];
      rc = write_slot(p, to[j - g], &c);
      p->u->moves++;
    }
  for (size_t j = g + rank; j <= upto && rc == 0; j++) /* stale originals in the opened slots */
    if (j < t->n && t->e[j].valid)
      rc = clear_slot(p, j);
  remap(rec, nrec, nlists, g, upto, to);
  *newpos = g + rank - 1;
  free(to);
  return rc;
}

/* Cost in moves of shift_up(upto, d), or SIZE_MAX. */
static size_t up_cost(struct plan *p, size_t upto, size_t d)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t g = upto + 1, freec = 0, valid = 0;
  while (freec < d) {
    if (g == 0)
      return SIZE_MAX;
    g--;
    if (g >= t->n || !t->e[g].valid)
      freec++;
    else
      valid++;
  }
  return valid * 2;
}

static uint64_t entry_hash(const struct nsg_ttable *t, const struct nsg_tentry *e)
{
  uint64_t h = 1469598103934665603ull;
  for (unsigned w = 0; w < t->key_words; w++)
    h = (h ^ e->val[w] ^ (uint64_t)e->care[w] << 32) * 1099511628211ull;
  for (unsigned w = 0; w < t->res_words; w++)
    h = (h ^ e->res[w]) * 1099511628211ull;
  return h;
}

/* Which new entries keep an old one in place: equal entries, matched in order, then the longest
 * subsequence whose old slots increase (their order is already right). keep[j] = old index or
 * SIZE_MAX. */
static int match_kept(const struct nsg_ttable *t, const size_t *slots, size_t no, const struct nsg_tentry *ne, size_t nn,
                      size_t *keep)
{
  size_t cap = 16;
  while (cap < 2 * no + 2)
    cap *= 2;
  size_t *ht = malloc(cap * sizeof *ht), *seq = malloc((nn + 1) * sizeof *seq), *tail = malloc((nn + 1) * sizeof *tail),
         *prev = malloc((nn + 1) * sizeof *prev);
  bool *used = calloc(no + 1, sizeof *used);
  int rc = 0;
  if (!ht || !seq || !tail || !prev || !used) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < cap; i++)
    ht[i] = SIZE_MAX;
  for (size_t i = 0; i < no; i++) {
    size_t k = (size_t)entry_hash(t, &t->e[slots[i]]) & (cap - 1);
    while (ht[k] != SIZE_MAX)
      k = (k + 1) & (cap - 1);
    ht[k] = i;
  }
  size_t nseq = 0;
  for (size_t j = 0; j < nn; j++) {
    keep[j] = SIZE_MAX;
    for (size_t k = (size_t)entry_hash(t, &ne[j]) & (cap - 1); ht[k] != SIZE_MAX; k = (k + 1) & (cap - 1))
      if (!used[ht[k]] && same_entry(t, &t->e[slots[ht[k]]], &ne[j])) {
        used[ht[k]] = true;
        keep[j] = ht[k];
        seq[nseq++] = j;
        break;
      }
  }
  /* longest increasing subsequence of keep[seq[]] (patience sorting) */
  size_t len = 0;
  for (size_t i = 0; i < nseq; i++) {
    size_t lo = 0, hi = len;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (keep[seq[tail[mid]]] < keep[seq[i]])
        lo = mid + 1;
      else
        hi = mid;
    }
    prev[i] = lo ? tail[lo - 1] : SIZE_MAX;
    tail[lo] = i;
    if (lo == len)
      len++;
  }
  for (size_t i = 0; i < nseq; i++)
    used[keep[seq[i]]] = false; /* reuse as "in the subsequence" */
  for (size_t i = len ? tail[len - 1] : SIZE_MAX; i != SIZE_MAX; i = prev[i])
    used[keep[seq[i]]] = true;
  for (size_t j = 0; j < nn; j++)
    if (keep[j] != SIZE_MAX && !used[keep[j]])
      keep[j] = SIZE_MAX;
out:
  free(ht);
  free(seq);
  free(tail);
  free(prev);
  free(used);
  return rc;
}

/* One block: the old entries at `slots` (in order) become `ne` (nn entries). Kept entries stay;
 * the others of the old block go to the old bank; each other new entry is inserted after every
 * kept or inserted entry it must follow and before every kept entry it must precede (only
 * overlapping entries that decide differently constrain it). -EAGAIN: no such place. */
static int update_middle(struct plan *p, size_t *slots, size_t no, const struct nsg_tentry *ne, size_t nn,
                         const size_t *keep)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t *cur = malloc((nn + 1) * sizeof *cur); /* slot of new entry j once placed (kept: now) */
  if (!cur)
    return -ENOMEM;
  size_t left = 0;
  for (size_t j = 0; j < nn; j++) {
    cur[j] = keep[j] != SIZE_MAX ? slots[keep[j]] : SIZE_MAX;
    left += keep[j] == SIZE_MAX;
  }
  (void)no;
  size_t *rec[1] = {cur};
  size_t nrec[1] = {nn};
  int rc = 0;
  for (size_t j = 0; j < nn && rc == 0; j++) {
    if (keep[j] != SIZE_MAX)
      continue;
    struct nsg_tentry e = ne[j];
    set_bank(p, &e, (int)(1 - p->bank));
    size_t lo = SIZE_MAX, hi = SIZE_MAX;
    for (size_t k = 0; k < nn; k++) {
      if (k == j || cur[k] == SIZE_MAX || !ordered(t, &t->e[cur[k]], &e))
        continue;
      if (k < j && (lo == SIZE_MAX || cur[k] > lo))
        lo = cur[k];
      if (k > j && cur[k] < hi)
        hi = cur[k];
    }
    if (lo != SIZE_MAX && hi != SIZE_MAX && lo >= hi) {
      rc = -EAGAIN;
      break;
    }
    size_t s = lo == SIZE_MAX ? 0 : lo + 1;
    while (s < t->n && s < hi && t->e[s].valid)
      s++;
    if (s >= hi || s >= p->capacity) { /* no free slot in (lo, hi): open room, cheaper side */
      size_t dc = hi == SIZE_MAX ? SIZE_MAX : down_cost(p, hi, left);
      size_t uc = lo == SIZE_MAX ? SIZE_MAX : up_cost(p, lo, left);
      if (dc == SIZE_MAX && uc == SIZE_MAX) {
        rc = -ENOSPC;
        break;
      }
      if (uc < dc) {
        size_t np;
        if ((rc = shift_up(p, lo, left, rec, nrec, 1, &np)) < 0)
          break;
        s = np + 1;
      } else {
        if ((rc = shift_down(p, hi, left, rec, nrec, 1)) < 0)
          break;
        s = hi;
      }
    }
    cur[j] = s;
    left--;
    rc = write_slot(p, s, &e);
  }
  free(cur);
  return rc;
}

static int update_block(struct plan *p, long id, size_t *slots, size_t no, const struct nsg_tentry *ne, size_t nn)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t *keep = malloc((nn + 1) * sizeof *keep);
  bool *kept_old = calloc(no + 1, sizeof *kept_old);
  int rc = keep && kept_old ? match_kept(t, slots, no, ne, nn, keep) : -ENOMEM;
  size_t nkept = 0;
  for (size_t j = 0; j < nn && rc == 0; j++)
    if (keep[j] != SIZE_MAX) {
      kept_old[keep[j]] = true;
      nkept++;
    }
  if (rc == 0 && nkept == no && nkept == nn)
    goto out; /* unchanged */
  for (size_t i = 0; i < no && rc == 0; i++) /* the old entries that go: this bank only */
    if (!kept_old[i]) {
      struct nsg_tentry e = t->e[slots[i]];
      set_bank(p, &e, (int)p->bank);
      rc = write_slot(p, slots[i], &e);
    }
  if (rc == 0)
    rc = update_middle(p, slots, no, ne, nn, keep);
out:
  free(keep);
  free(kept_old);
  if (rc != -EAGAIN)
    return rc;
  /* The kept entries cannot all stay in place: rewrite the block. The writes so far were
   * invisible; continue from the device as it is: the block's entries inserted above (this
   * bank's complement) are dropped, every other entry of the block goes to the old bank, and
   * the whole new block is written after the last of them. */
  rc = 0;
  unsigned bank_lsb = p->kind == NSG_WRITE_RULE ? NSGNIC_RULE_KEY_BANK_LSB
                      : p->kind == NSG_WRITE_LABEL ? NSGNIC_LABEL_KEY_BANK_LSB : NSGNIC_PLATFORM_KEY_BANK_LSB;
  uint32_t m = (uint32_t)1u << (bank_lsb & 31u);
  size_t last = 0;
  bool any = false;
  for (size_t i = 0; i < t->n && rc == 0; i++) {
    struct nsg_tentry e = t->e[i];
    if (!e.valid || (id >= 0 && entry_nsg(&e) != (unsigned)id))
      continue;
    bool fresh = (e.care[bank_lsb >> 5] & m) && ((e.val[bank_lsb >> 5] & m) != 0) == (1 - p->bank);
    if (fresh) {
      memset(&e, 0, sizeof e);
      rc = write_slot(p, i, &e);
      continue;
    }
    if (!(e.care[bank_lsb >> 5] & m)) {
      set_bank(p, &e, (int)p->bank);
      rc = write_slot(p, i, &e);
    }
    last = i;
    any = true;
  }
  size_t lo = any ? last : SIZE_MAX;
  for (size_t i = 0; i < nn && rc == 0; i++) {
    struct nsg_tentry e = ne[i];
    set_bank(p, &e, (int)(1 - p->bank));
    size_t s = lo == SIZE_MAX ? 0 : lo + 1;
    while (s < t->n && t->e[s].valid)
      s++;
    if (s >= p->capacity)
      return -ENOSPC;
    rc = write_slot(p, s, &e);
    lo = s;
  }
  return rc;
}

static int update_table(struct plan *p, const struct nsg_ttable *nt, bool by_nsg)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  size_t *slots = malloc((t->n + 1) * sizeof *slots);
  struct nsg_tentry *ne = malloc((nt->n + 1) * sizeof *ne);
  int rc = 0;
  if (!slots || !ne) {
    rc = -ENOMEM;
    goto out;
  }
  for (unsigned id = 0; id < (by_nsg ? (unsigned)NSGNIC_NSG_IDS : 1u) && rc == 0; id++) {
    size_t no = 0, nn = 0;
    for (size_t i = 0; i < t->n; i++)
      if (t->e[i].valid && (!by_nsg || entry_nsg(&t->e[i]) == id))
        slots[no++] = i;
    for (size_t i = 0; i < nt->n; i++)
      if (nt->e[i].valid && (!by_nsg || entry_nsg(&nt->e[i]) == id))
        ne[nn++] = nt->e[i];
    if (no || nn)
      rc = update_block(p, by_nsg ? (long)id : -1, slots, no, ne, nn);
  }
out:
  free(slots);
  free(ne);
  return rc;
}

static int cleanup(struct plan *p)
{
  struct nsg_ttable *t = table_of(p->dev, p->kind);
  unsigned lsb = p->kind == NSG_WRITE_RULE ? NSGNIC_RULE_KEY_BANK_LSB
                 : p->kind == NSG_WRITE_LABEL ? NSGNIC_LABEL_KEY_BANK_LSB : NSGNIC_PLATFORM_KEY_BANK_LSB;
  uint32_t m = (uint32_t)1u << (lsb & 31u);
  int rc = 0;
  for (size_t i = 0; i < t->n && rc == 0; i++) {
    struct nsg_tentry e = t->e[i];
    if (!e.valid || !(e.care[lsb >> 5] & m))
      continue;
    unsigned b = (e.val[lsb >> 5] & m) != 0;
    if (b == p->bank) { /* the old bank's entry: gone */
      memset(&e, 0, sizeof e);
    } else {
      set_bank(p, &e, -1);
    }
    rc = write_slot(p, i, &e);
  }
  return rc;
}

struct nsg_update *nsg_update_plan(const struct nsg_tables *old, const struct nsg_tables *new_, char *err, size_t errlen)
{
  struct nsg_update *u = calloc(1, sizeof *u);
  struct nsg_tables *nw = nsg_tables_clone(new_), *dev = nsg_tables_clone(old);
  int rc = 0;
  if (!u || !nw || !dev) {
    rc = -ENOMEM;
    goto out;
  }
  if (old->label_ctx != new_->label_ctx) {
    snprintf(err, errlen, "update: the old tables %s label contexts and the new ones %s; load a full image instead",
             old->label_ctx ? "have" : "lack", new_->label_ctx ? "have" : "lack");
    rc = -EINVAL;
    goto out;
  }
  if (new_->label_ctx) {
    u->ctx = true;
    if (!(u->ctxs = malloc((new_->nctxs + 1) * sizeof *u->ctxs)) ||
        !(u->lrows = malloc((new_->nlrows + 1) * sizeof *u->lrows))) {
      rc = -ENOMEM;
      goto out;
    }
    memcpy(u->ctxs, new_->ctxs, new_->nctxs * sizeof *u->ctxs);
    memcpy(u->lrows, new_->lrows, new_->nlrows * sizeof *u->lrows);
    u->nctxs = new_->nctxs;
    u->nlrows = new_->nlrows;
  }
  if (memcmp(old->port_range, new_->port_range, sizeof old->port_range) != 0) {
    snprintf(err, errlen, "update: the new tables use other port-range comparators than the device; compile with "
                          "the device's port ranges (fixed_port_ranges) or load a full image");
    rc = -EINVAL;
    goto out;
  }
  if ((rc = renumber(u, old, nw, err, errlen)) < 0)
    goto out;
  unsigned bank = old->bank;
  static const enum nsg_write_kind kinds[] = {NSG_WRITE_LABEL, NSG_WRITE_PLATFORM, NSG_WRITE_RULE};
  const size_t caps[] = {NSGNIC_LABEL_ENTRIES, NSGNIC_PLATFORM_ENTRIES, NSGNIC_RULE_ENTRIES};
  const struct nsg_ttable *nts[] = {&nw->label, &nw->plat, &nw->rule};
  for (int k = 0; k < 3 && rc == 0; k++) {
    struct plan p = {u, dev, kinds[k], caps[k], bank};
    const struct nsg_ttable *ot = table_of(dev, kinds[k]);
    if (p.capacity < ot->n || p.capacity < nts[k]->n) /* an image compiled without limits */
      p.capacity = (ot->n > nts[k]->n ? ot->n : nts[k]->n) * 2 + 64;
    rc = update_table(&p, nts[k], kinds[k] == NSG_WRITE_RULE);
    if (rc == -ENOSPC)
      snprintf(err, errlen, "update: the %s TCAM cannot hold the old and the new entries together during the "
                            "update; load a full image instead", k == 0 ? "address-label" : k == 1 ? "platform" : "rule");
  }
  if (rc)
    goto out;
  if (nw->nvports != dev->nvports) {
    snprintf(err, errlen, "update: the set of vports changed (%zu -> %zu); load a full image instead", dev->nvports,
             nw->nvports);
    rc = -EINVAL;
    goto out;
  }
  /* attachments: staged in the inactive bank, active from the switch on */
  for (size_t v = 0; v < nw->nvports && rc == 0; v++)
    if (memcmp(dev->bind[v], nw->bind[v], sizeof dev->bind[v]) != 0) {
      struct nsg_write w = {.table = NSG_WRITE_BINDING, .index = (uint32_t)v};
      memcpy(w.words, nw->bind[v], sizeof nw->bind[v]);
      if ((rc = emit(u, &w)) == 0)
        rc = nsg_tables_apply(dev, &w, 1);
    }
  if (rc)
    goto out;
  u->switch_at = u->n;
  struct nsg_write sw = {.table = NSG_WRITE_BANK_SWITCH, .index = 1 - bank};
  if ((rc = emit(u, &sw)) < 0 || (rc = nsg_tables_apply(dev, &sw, 1)) < 0)
    goto out;
  for (int k = 0; k < 3 && rc == 0; k++) {
    struct plan p = {u, dev, kinds[k], caps[k], bank};
    rc = cleanup(&p);
  }
out:
  nsg_tables_free(nw);
  nsg_tables_free(dev);
  if (rc) {
    if (rc == -ENOMEM)
      snprintf(err, errlen, "update: out of memory");
    nsg_update_free(u);
    errno = -rc;
    return NULL;
  }
  return u;
}

void nsg_update_free(struct nsg_update *u)
{
  if (!u)
    return;
  free(u->w);
  for (size_t i = 0; i < u->nnames; i++) {
    free(u->names[i].nsg);
    free(u->names[i].rule);
  }
  free(u->names);
  free(u->ctxs);
  free(u->lrows);
  free(u);
}

size_t nsg_update_count(const struct nsg_update *u)
{
  return u->n;
}

const struct nsg_write *nsg_update_write(const struct nsg_update *u, size_t i)
{
  return i < u->n ? &u->w[i] : NULL;
}

size_t nsg_update_switch_index(const struct nsg_update *u)
{
  return u->switch_at;
}

size_t nsg_update_moves(const struct nsg_update *u)
{
  return u->moves;
}

int nsg_update_install_names(const struct nsg_update *u, struct nsg_tables *t)
{
  struct nsg_trname *n = calloc(u->nnames + 1, sizeof *n);
  if (!n)
    return -ENOMEM;
  for (size_t i = 0; i < u->nnames; i++)
    if (!(n[i].nsg = nsg_strdup(u->names[i].nsg)) || !(n[i].rule = nsg_strdup(u->names[i].rule))) {
      for (size_t k = 0; k <= i; k++) {
        free(n[k].nsg);
        free(n[k].rule);
      }
      free(n);
      return -ENOMEM;
    }
  for (size_t i = 0; i < t->nrnames; i++) {
    free(t->rnames[i].nsg);
    free(t->rnames[i].rule);
  }
  free(t->rnames);
  t->rnames = n;
  t->nrnames = u->nnames;
  if (u->ctx) { /* the new trees, written into the inactive bank before the switch */
    struct nsg_tctx *c = malloc((u->nctxs + 1) * sizeof *c);
    struct nsg_tlrow *r = malloc((u->nlrows + 1) * sizeof *r);
    if (!c || !r) {
      free(c);
      free(r);
      return -ENOMEM;
    }
    memcpy(c, u->ctxs, u->nctxs * sizeof *c);
    memcpy(r, u->lrows, u->nlrows * sizeof *r);
    free(t->ctxs_next);
    free(t->lrows_next);
    t->ctxs_next = c;
    t->nctxs_next = u->nctxs;
    t->lrows_next = r;
    t->nlrows_next = u->nlrows;
    t->has_next_rows = true;
  }
  return 0;
}
