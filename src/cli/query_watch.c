/*
 * Ctrl-C and progress for `unifier query` (see query_watch.h).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/query_watch.h"

static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig) {
  (void)sig;
  g_interrupted = 1;
}

void query_watch_install_signal(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  /* a second Ctrl-C gets the default action: the user can always leave */
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, NULL);
}

bool query_watch_interrupted(void) { return g_interrupted != 0; }

struct query_watch {
  uf_engine *e;
  pthread_t thread;
  pthread_mutex_t mu;
  bool stop, progress, shown, interrupted_sent;
  struct timespec started;
};

static double elapsed_s(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) +
         (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Under w->mu. */
static void clear_line(query_watch *w) {
  if (!w->shown) return;
  static const char CLEAR[] = "\r\033[K";
  ssize_t r = write(STDERR_FILENO, CLEAR, sizeof CLEAR - 1);
  (void)r;
  w->shown = false;
}

/* Under w->mu: "[ 42%] 1234567 rows  3.2s". */
static void show_progress(query_watch *w, double secs) {
  uf_progress p;
  if (uf_engine_progress(w->e, &p, NULL) != UF_OK) return;
  char line[160];
  int n;
  if (p.percentage >= 0)
    n = snprintf(line, sizeof line, "\r\033[K[%3.0f%%] %llu/%llu rows  %.1fs",
                 p.percentage, (unsigned long long)p.rows_processed,
                 (unsigned long long)p.total_rows_to_process, secs);
  else
    n = snprintf(line, sizeof line, "\r\033[Krunning  %.1fs", secs);
  if (n <= 0) return;
  ssize_t r = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  (void)r;
  w->shown = true;
}

static void *watch_main(void *arg) {
  query_watch *w = arg;
  double last_shown = 0;
  for (;;) {
    struct timespec nap = {0, 50 * 1000 * 1000};
    nanosleep(&nap, NULL);
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
      pthread_mutex_unlock(&w->mu);
      break;
    }
    if (g_interrupted && !w->interrupted_sent) {
      uf_engine_interrupt(w->e, NULL);
      w->interrupted_sent = true;
      clear_line(w);
      w->progress = false;
    }
    double secs = elapsed_s(&w->started);
    if (w->progress && secs >= 1.0 && secs - last_shown >= 0.2) {
      show_progress(w, secs);
      last_shown = secs;
    }
    pthread_mutex_unlock(&w->mu);
  }
  return NULL;
}

query_watch *query_watch_start(uf_engine *e, bool progress) {
  query_watch *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->e = e;
  w->progress = progress;
  clock_gettime(CLOCK_MONOTONIC, &w->started);
  pthread_mutex_init(&w->mu, NULL);
  if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
    pthread_mutex_destroy(&w->mu);
    free(w);
    return NULL;
  }
  return w;
}

void query_watch_quiet(query_watch *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->progress = false;
  clear_line(w);
  pthread_mutex_unlock(&w->mu);
}

void query_watch_stop(query_watch *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->stop = true;
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  clear_line(w);
  pthread_mutex_destroy(&w->mu);
  free(w);
}
