/*
 * Internal pieces of the IO adapter shared by its files.
 */
#ifndef UF_IO_INTERNAL_H
#define UF_IO_INTERNAL_H

#include <stdbool.h>

#include "unifier/io.h"

/* Format from a path's extension (x.csv.gz is CSV); AUTO if unknown. */
uf_io_format uf_io_format_of_path(const char *path);
/* "scheme://..." */
bool uf_io_is_remote(const char *loc);
/* An existing local directory. */
bool uf_io_is_local_dir(const char *loc);
/* dir holds key=value subdirectories. */
bool uf_io_discover_hive(const char *dir);

/* Runs a statement AST on the adapter's session (uf_engine_run). */
uf_status uf_io_run_ast(uf_io *io, const uf_node *stmt, uf_error *err);
/* The adapter's recorder (may be NULL). */
uf_recorder *uf_io_recorder(const uf_io *io);

/* Records a created secret so that deregistration drops it. */
uf_status uf_io_remember_secret(uf_io *io, const char *name, bool persistent,
                                uf_error *err);

#endif
