/* SPDX-License-Identifier: Apache-2.0 */
/* Progress line and clean stop on signals (progress.h). */
#include "progress.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
  bool on;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool quit;
  const char *what;
  _Atomic(const char *) phase;
  atomic_uint_least64_t frames, flows;
  _Atomic double fraction;
  struct timespec t0;
} P = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static volatile sig_atomic_t stop_flag;

static double since(const struct timespec *t0)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void hms(char *b, size_t n, double s)
{
  unsigned long t = s < 0 ? 0 : s > 3.6e8 ? 360000000ul : (unsigned long)(s + 0.5);
  if (t >= 3600)
    snprintf(b, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(b, n, "%02lu:%02lu", t / 60, t % 60);
}

static void draw(void)
{
  double el = since(&P.t0);
  uint64_t fr = atomic_load(&P.frames), fl = atomic_load(&P.flows);
  double frac = atomic_load(&P.fraction);
  const char *ph = atomic_load(&P.phase);
  char e[32], eta[48] = "";
  hms(e, sizeof e, el);
  if (frac > 0.001 && frac <= 1 && !ph) {
    char t[32];
    hms(t, sizeof t, el * (1 - frac) / frac);
    snprintf(eta, sizeof eta, ", ETA %s", t);
  }
  if (ph)
    fprintf(stderr, "\r%s: %s, %s elapsed\033[K", P.what, ph, e);
  else
    fprintf(stderr, "\r%s: %llu frames%s, %.0f frames/s, %llu flows, %s elapsed%s\033[K", P.what,
            (unsigned long long)fr, "", el > 0 ? (double)fr / el : 0.0, (unsigned long long)fl, e, eta);
  fflush(stderr);
}

static void *loop(void *arg)
{
  (void)arg;
  pthread_mutex_lock(&P.mu);
  while (!P.quit) {
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += 250000000L;
    if (dl.tv_nsec >= 1000000000L) {
      dl.tv_sec++;
      dl.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&P.cv, &P.mu, &dl);
    if (!P.quit && since(&P.t0) >= 0.5) /* short runs stay quiet */
      draw();
  }
  pthread_mutex_unlock(&P.mu);
  return NULL;
}

void progress_start(const char *what)
{
  const char *env = getenv("NSGNIC_PROGRESS");
  bool on = env && *env ? strcmp(env, "0") != 0 : isatty(STDERR_FILENO);
  if (!on || P.on)
    return;
  P.what = what;
  P.quit = false;
  atomic_store(&P.frames, 0);
  atomic_store(&P.flows, 0);
  atomic_store(&P.fraction, -1.0);
  atomic_store(&P.phase, (const char *)NULL);
  clock_gettime(CLOCK_MONOTONIC, &P.t0);
  P.on = pthread_create(&P.thread, NULL, loop, NULL) == 0;
}

void progress_set(uint64_t frames, uint64_t flows, double fraction)
{
  atomic_store(&P.frames, frames);
  atomic_store(&P.flows, flows);
  atomic_store(&P.fraction, fraction);
}

void progress_phase(const char *phase)
{
  atomic_store(&P.phase, phase);
}

void progress_end(void)
{
  if (!P.on)
    return;
  pthread_mutex_lock(&P.mu);
  P.quit = true;
  pthread_cond_signal(&P.cv);
  pthread_mutex_unlock(&P.mu);
  pthread_join(P.thread, NULL);
  P.on = false;
  if (since(&P.t0) >= 0.5) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
}

static void on_signal(int sig)
{
  stop_flag = 1;
  signal(sig, SIG_DFL); /* a second one ends the program */
}

void stop_on_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

bool stop_requested(void)
{
  return stop_flag != 0;
}
