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
 * the caller frees it), and the session's function signatures
 * (compile_sources_add_functions): *functions receives the snapshot they
 * come from, which must outlive the schema's use (uf_catalog_release it
 * after uf_schema_free). Prints what failed; returns -1 to continue or an
 * exit code. */
int compile_sources_schema(const char *const *specs, size_t n,
                           const uf_dialect *d, uf_schema **schema,
                           const uf_catalog **functions);

/* Adds the tables and views of catalog snapshot c (columns in ordinal
 * order, names folded as unquoted, DuckDB types) to schema: the engine
 * session's view of its tables as a compile schema. */
uf_status compile_sources_add_catalog(uf_schema *schema, const uf_catalog *c,
                                      uf_error *err);

/* Gives schema the function signatures of snapshot c (taken with
 * functions), so annotate_types types the functions its own table does not
 * know as the engine does. c is borrowed: it must outlive the schema's
 * use. A snapshot without functions changes nothing. */
uf_status compile_sources_add_functions(uf_schema *schema, const uf_catalog *c,
                                        uf_error *err);

#endif
