/*
 * `unifier compile --source`: a schema inferred by the engine from files.
 */
#ifndef UF_CLI_COMPILE_SOURCES_H
#define UF_CLI_COMPILE_SOURCES_H

#include <stddef.h>

#include "cli/cli.h"
#include "unifier/catalog.h"
#include "unifier/schema.h"

/* Registers each NAME=LOCATION spec in a throwaway engine session and adds
 * the tables the engine sees to *schema (created for dialect d when NULL;
 * the caller frees it). Prints what failed; returns -1 to continue or an
 * exit code. */
int compile_sources_schema(const char *const *specs, size_t n,
                           const uf_dialect *d, uf_schema **schema);

/* Adds the tables and views of catalog snapshot c (columns in ordinal
 * order, names folded as unquoted, DuckDB types) to schema: the engine
 * session's view of its tables as a compile schema. */
uf_status compile_sources_add_catalog(uf_schema *schema, const uf_catalog *c,
                                      uf_error *err);

#endif
