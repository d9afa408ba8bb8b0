/* Shared test helper: the tiny TPC-H data set in an engine session. */
#ifndef UF_TEST_SUPPORT_TPCH_H
#define UF_TEST_SUPPORT_TPCH_H

#include <stdbool.h>

#include "unifier/engine.h"

/* Creates and fills the 8 TPC-H tables (schema.json types) in e; false
 * after printing why. The session must allow external file access. */
bool ut_load_tpch(uf_engine *e);

#endif
