/*
 * Execution of a compiled query: the compile lane's result enters the
 * engine lane here. The final AST runs exactly as uf_engine_execute runs
 * any statement (safety gate, statement-type check, parameters, streaming);
 * the compiled query's own rendered SQL is for people and logs, the engine
 * renders the AST for itself. The execution record carries the compiled
 * fingerprint (alias-insensitive), not the plain one of the AST.
 */
#include "unifier/compile.h"
#include "unifier/engine.h"

uf_status uf_engine_execute_compiled(uf_engine *e, const uf_compiled_query *q,
                                     const uf_bindings *params,
                                     const uf_exec_options *opts,
                                     struct ArrowArrayStream *out,
                                     uf_error *err) {
  if (out) out->release = NULL;
  if (q == NULL || q->ast == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "no compiled query to execute");
  uf_exec_options o = {0};
  if (opts) o = *opts;
  if (o.fingerprint == NULL) o.fingerprint = q->artifacts.fingerprint;
  return uf_engine_execute(e, q->ast, params, &o, out, err);
}
