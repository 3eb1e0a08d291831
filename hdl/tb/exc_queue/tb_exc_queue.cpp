// SPDX-License-Identifier: Apache-2.0
// exc_queue testbench (park slots): random punted frames (1..MaxBeats beats, random last-beat
// length, random gaps) are written; the CSR side pops the meta queue and releases slots in any
// order (forward with a random PORT, drop, and bad releases: free slots, slots out of range,
// reserved bits, a slot still being forwarded), with random back-pressure on m_rel. Checked every
// clock against the model below: full_o and the slot chosen at every beat, count/meta/slot/head
// words of the queue head, the taken-slot bitmap, the rel_bad/discard/fwd_done pulses; every
// released frame byte for byte with its PORT and slot, in release order; at the end every
// forwarded frame has left and every slot is free (nothing lost). Phases alternate between
// releasing eagerly and not at all, so the slots run out (full_o drops) in every run.
// Parameters TB_DEPTH / TB_HDRBYTES / TB_DATAW / TB_MAXBEATS. Usage: tb_exc_queue <clocks> <seed>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vexc_queue.h"
#include "nsgnic/abi.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0xda942042e4dd58b5ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

enum { KEEPW = TB_DATAW / 8, BEATW = TB_DATAW + KEEPW + 1, BWORDS = (BEATW + 31) / 32, HWORDS = TB_HDRBYTES / 4 };

struct Beat {
  uint32_t w[BWORDS];  // {last, keep, data} as the RTL packs it
};
struct Meta {
  uint32_t meta, hdr[HWORDS];
  unsigned slot;
};
struct Fwd {
  unsigned slot, port;
  std::vector<Beat> beats;
};

static long errors = 0;
#define CHECK(c, ...)                                      \
  do {                                                     \
    if (!(c) && errors++ < 20) {                           \
      printf("cycle %ld: ", cyc);                          \
      printf(__VA_ARGS__);                                 \
      printf("\n");                                        \
    }                                                      \
  } while (0)

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  Vexc_queue *m = new Vexc_queue;

  // model state
  bool taken[TB_DEPTH] = {}, parked[TB_DEPTH] = {};
  std::vector<Beat> slot_frame[TB_DEPTH];
  std::deque<Meta> mq;
  std::deque<Fwd> fq;          // forwards in release order (head: the frame on m_rel)
  size_t out_beat = 0;         // beats of fq.front() that left
  // writer state
  std::vector<Beat> cur;       // frame being written
  size_t cur_off = 0;
  bool cur_ok = false;
  unsigned cur_slot = 0;
  long frames = 0, parked_n = 0, refused = 0, fwd = 0, dropped = 0, bad = 0, popped = 0, out = 0;
  long cyc = 0;

  m->clk_i = 0; m->rst_ni = 0; m->wr_valid_i = 0; m->pop_i = 0; m->rel_i = 0; m->m_rel_tready = 0;
  m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();

  auto new_frame = [&]() {
    cur.clear();
    unsigned nb = 1 + rnd() % TB_MAXBEATS;
    for (unsigned b = 0; b < nb; b++) {
      Beat x = {};
      for (unsigned i = 0; i < TB_DATAW / 32; i++) x.w[i] = rnd();
      unsigned keep = b + 1 < nb ? KEEPW : 1 + rnd() % KEEPW;
      for (unsigned i = 0; i < keep; i++) x.w[(TB_DATAW + i) >> 5] |= 1u << ((TB_DATAW + i) & 31);
      if (b + 1 == nb) x.w[(BEATW - 1) >> 5] |= 1u << ((BEATW - 1) & 31);
      cur.push_back(x);
    }
    cur_off = 0;
  };
  new_frame();

  for (cyc = 0; cyc < clocks + 20000; cyc++) {
    bool tail = cyc >= clocks;  // drain: no new frames, release everything
    unsigned phase = (unsigned)(cyc / 200) % 3;  // 0: eager releases, 1: none, 2: mixed
    // ---- inputs ----
    bool wv = !tail && rnd() % 4 != 0;
    if (tail && cur_off != 0) wv = true;  // finish the frame under way
    m->wr_valid_i = wv;
    tb::put(m->wr_beat_i, cur[cur_off].w, 0, BEATW);
    Meta nm = {};
    nm.meta = rnd();
    for (unsigned i = 0; i < HWORDS; i++) nm.hdr[i] = rnd();
    m->meta_i = nm.meta;
    tb::put(m->data_i, nm.hdr, 0, TB_HDRBYTES * 8);
    bool pop = !mq.empty() && rnd() % (phase == 1 && !tail ? 16 : 3) == 0;
    m->pop_i = pop || (mq.empty() && rnd() % 8 == 0);  // a pop of an empty queue does nothing
    // release: a parked slot (any order), or now and then a bad one
    bool rel = false, rel_ok = false, rel_fwd = false;
    unsigned rs_slot = 0, rs_port = 0;
    uint32_t rd = 0;
    int want_rel = tail ? 1 : phase == 0 ? rnd() % 3 == 0 : phase == 2 ? rnd() % 12 == 0 : 0;
    if (want_rel) {
      std::vector<unsigned> cand;
      for (unsigned i = 0; i < TB_DEPTH; i++)
        if (parked[i]) cand.push_back(i);
      unsigned kind = rnd() % 16;
      if (!cand.empty() && kind >= 2) {
        rs_slot = cand[rnd() % cand.size()];
        rel_fwd = rnd() % 3 != 0;
        rs_port = rnd() & 0x1ff;
        rel = rel_ok = true;
        NSGNIC_PUT(&rd, EXQ_REL_SLOT, rs_slot);
        NSGNIC_PUT(&rd, EXQ_REL_PORT, rs_port);
        NSGNIC_PUT(&rd, EXQ_REL_FORWARD, rel_fwd);
        if (kind == 2 && !tail) {  // reserved bit: ignored
          rd |= 1u << (NSGNIC_EXQ_REL_RESERVED_LSB + rnd() % NSGNIC_EXQ_REL_RESERVED_W);
          rel_ok = false;
        }
      } else if (!tail && kind < 2) {
        rs_slot = rnd() % 256;  // free, taken but not parked (written / forwarding) or out of range
        NSGNIC_PUT(&rd, EXQ_REL_SLOT, rs_slot);
        NSGNIC_PUT(&rd, EXQ_REL_FORWARD, rnd() % 2);
        rel = true;
        rel_ok = rs_slot < TB_DEPTH && parked[rs_slot];
        rel_fwd = NSGNIC_GET(&rd, EXQ_REL_FORWARD);
        rs_port = 0;
      }
    }
    m->rel_i = rel;
    m->rel_data_i = rd;
    bool ready = tail ? rnd() % 4 != 0 : rnd() % 3 != 0;
    m->m_rel_tready = ready;
    m->clk_i = 0;
    m->eval();

    // ---- outputs against the model ----
    bool first = cur_off == 0;
    unsigned free_slot = TB_DEPTH;
    for (unsigned i = 0; i < TB_DEPTH; i++)
      if (!taken[i]) { free_slot = i; break; }
    bool ok = first ? free_slot < TB_DEPTH && mq.size() < TB_DEPTH : cur_ok;
    unsigned slot = first ? (free_slot < TB_DEPTH ? free_slot : 0) : cur_slot;
    CHECK(m->full_o == !ok, "full_o %d, want %d", m->full_o, !ok);
    if (ok) CHECK(m->wr_slot_o == slot, "wr_slot_o %u, want %u", (unsigned)m->wr_slot_o, slot);
    CHECK(m->count_o == mq.size(), "count %u, want %zu", (unsigned)m->count_o, mq.size());
    const Meta *h = mq.empty() ? nullptr : &mq.front();
    CHECK(m->meta_o == (h ? h->meta : 0), "meta %08x", m->meta_o);
    CHECK(m->slot_o == (h ? h->slot : 0), "slot_o %u, want %u", (unsigned)m->slot_o, h ? h->slot : 0);
    unsigned wi = rnd() % HWORDS;
    m->word_i = wi;
    m->eval();
    CHECK(m->word_o == (h ? h->hdr[wi] : 0), "head word %u", wi);
    uint32_t bm = 0;
    for (unsigned i = 0; i < TB_DEPTH; i++) bm |= (uint32_t)taken[i] << i;
    CHECK(m->parked_o == bm, "parked_o %08x, want %08x", m->parked_o, bm);
    CHECK(m->rel_bad_o == (rel && !rel_ok), "rel_bad_o %d", m->rel_bad_o);
    CHECK(m->discard_o == (rel && rel_ok && !rel_fwd), "discard_o %d", m->discard_o);
    bool done = false;
    if (m->m_rel_tvalid && ready) {
      if (fq.empty()) {
        CHECK(false, "released beat without a forward");
      } else {
        Fwd &f = fq.front();
        uint32_t w[BWORDS];
        uint32_t d[TB_DATAW / 32], want_d[TB_DATAW / 32];
        tb::get_words(m->m_rel_tdata, 0, TB_DATAW, d);
        const Beat &b = f.beats[out_beat];
        for (unsigned i = 0; i < TB_DATAW / 32; i++) want_d[i] = b.w[i];
        uint64_t keep = 0;
        for (unsigned i = 0; i < KEEPW && i < 64; i++)
          keep |= (uint64_t)((b.w[(TB_DATAW + i) >> 5] >> ((TB_DATAW + i) & 31)) & 1u) << i;
        bool last = (b.w[(BEATW - 1) >> 5] >> ((BEATW - 1) & 31)) & 1u;
        (void)w;
        CHECK(memcmp(d, want_d, sizeof d) == 0, "released data differs (slot %u beat %zu)", f.slot, out_beat);
        CHECK((uint64_t)m->m_rel_tkeep == keep, "released tkeep differs");
        CHECK(m->m_rel_tlast == last, "released tlast %d, want %d", m->m_rel_tlast, last);
        CHECK(m->m_rel_tuser == f.port, "released tuser %03x, want %03x", (unsigned)m->m_rel_tuser, f.port);
        CHECK(m->m_rel_tid == f.slot, "released tid %u, want %u", (unsigned)m->m_rel_tid, f.slot);
        out_beat++;
        if (last || out_beat >= f.beats.size()) done = true;
      }
    }
    CHECK(m->fwd_done_o == done, "fwd_done_o %d, want %d", m->fwd_done_o, done);

    // ---- model update at the edge (a pop sees the queue as it was before this clock's push) ----
    if (m->pop_i && !mq.empty()) {
      mq.pop_front();
      popped++;
    }
    if (wv) {
      if (first) {
        cur_ok = ok;
        cur_slot = slot;
        if (ok) {
          taken[slot] = true;
          slot_frame[slot].clear();
        }
      }
      if (cur_ok) slot_frame[cur_slot].push_back(cur[cur_off]);
      cur_off++;
      if (cur_off == cur.size()) {
        frames++;
        if (cur_ok) {
          parked[cur_slot] = true;
          nm.slot = cur_slot;
          mq.push_back(nm);
          parked_n++;
        } else {
          refused++;
        }
        new_frame();
      }
    }
    if (rel && rel_ok) {
      parked[rs_slot] = false;
      if (rel_fwd) {
        fq.push_back(Fwd{rs_slot, rs_port, slot_frame[rs_slot]});
        fwd++;
      } else {
        taken[rs_slot] = false;
        dropped++;
      }
    } else if (rel) {
      bad++;
    }
    if (done) {
      taken[fq.front().slot] = false;
      fq.pop_front();
      out_beat = 0;
      out++;
    }
    m->clk_i = 1;
    m->eval();
    m->clk_i = 0;
    m->eval();
  }
  // nothing lost: every forward left, every slot free
  CHECK(fq.empty(), "%zu forwarded frames never left", fq.size());
  for (unsigned i = 0; i < TB_DEPTH; i++) CHECK(!taken[i] && !parked[i], "slot %u still taken", i);
  CHECK(m->parked_o == 0, "parked_o %08x at the end", m->parked_o);
  printf("exc_queue D=%d H=%d W=%d B=%d: %ld clocks, %ld frames, %ld parked, %ld refused (no slot), "
         "%ld popped, %ld forwarded (%ld left), %ld dropped, %ld bad releases; %ld errors\n",
         TB_DEPTH, TB_HDRBYTES, TB_DATAW, TB_MAXBEATS, cyc, frames, parked_n, refused, popped, fwd,
         out, dropped, bad, errors);
  m->final();
  delete m;
  if (!refused || !fwd || !dropped || !bad || !out) {
    printf("FAIL: coverage\n");
    return 1;
  }
  return errors ? 1 : 0;
}
