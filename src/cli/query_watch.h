/*
 * The watcher of `unifier query`: Ctrl-C and progress.
 *
 * A SIGINT handler only sets a flag (async-signal-safe); a watcher thread
 * polls it and calls uf_engine_interrupt, which is safe from any thread.
 * The same thread shows progress on stderr when stderr is a terminal and
 * the query has run longer than a second, and clears the line at the end.
 */
#ifndef UF_CLI_QUERY_WATCH_H
#define UF_CLI_QUERY_WATCH_H

#include <stdbool.h>

#include "unifier/engine.h"

typedef struct query_watch query_watch;

/* Installs the SIGINT handler (once per process). */
void query_watch_install_signal(void);
/* True once SIGINT arrived. */
bool query_watch_interrupted(void);

/* Starts the watcher for session e (borrowed; must outlive the watcher).
 * progress: show progress on stderr. Returns NULL if the thread cannot be
 * started (the query then runs without it). */
query_watch *query_watch_start(uf_engine *e, bool progress);
/* Stops showing progress (before output goes to the same terminal) and
 * clears the line. Safe with NULL. */
void query_watch_quiet(query_watch *w);
/* Stops the thread, clears the progress line, frees w. NULL ok. */
void query_watch_stop(query_watch *w);

#endif
