/*
 * unifier — the test oracle: the one door through which SQL text reaches
 * the engine without going through the generator.
 *
 * For verification harnesses only (tests/integration, bench): running a
 * corpus query exactly as written gives the reference result against which
 * the parse -> generate path is proven equivalent. No module of the lane
 * includes this header; statements the lane runs go through uf_engine_exec.
 */
#ifndef UNIFIER_ENGINE_ORACLE_H
#define UNIFIER_ENGINE_ORACLE_H

#include <stdbool.h>

#include "engine/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs `sql` (NUL-terminated, one statement) verbatim; `ordered` is stored
 * in the result as uf_result_text.ordered. Same ownership as uf_engine_exec. */
uf_status uf_engine_oracle_exec_text(uf_engine *e, const char *sql,
                                     bool ordered, uf_result_text **out,
                                     uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
