/* Shared test helper: the tiny TPC-H data set in an engine session. */
#ifndef UF_TEST_SUPPORT_TPCH_H
#define UF_TEST_SUPPORT_TPCH_H

#include <stdbool.h>

#include "engine/engine.h"
#include "unifier/engine.h"

/* Creates and fills the 8 TPC-H tables (schema.json types) in e; false
 * after printing why. The session must allow external file access. */
bool ut_load_tpch(uf_engine *e);

/* The reference result of TPC-H query number `qno`: its text run verbatim
 * through the test oracle, order-sensitive when it has a top-level ORDER BY.
 * A new result (free with uf_result_text_free), or NULL after printing why. */
uf_result_text *ut_tpch_reference(uf_engine *e, const char *sql, size_t qno);

#endif
