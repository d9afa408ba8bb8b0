/*
 * unifier — the safety gate: an execution policy checked on the AST before
 * anything reaches the engine. The engine's own settings (external access
 * off or limited to directories, locked configuration) are the second wall.
 *
 * uf_safety_check walks the whole tree (subqueries, CTEs, lambdas, function
 * arguments, macro and view bodies, nested statements of EXPLAIN/PREPARE)
 * and reports every violation with its position and a rule name:
 *
 *   statement.<class>      a statement kind the policy does not allow
 *                          (classes below: statement.ddl, statement.dml,
 *                          statement.copy_to, ...)
 *   statement.multiple     more than max_statements statements (stacked)
 *   file.read              a file-reading table function (read_csv,
 *                          read_parquet, glob, ...) or a file named as a
 *                          table (FROM 'x.csv', FROM "x.parquet") while the
 *                          policy allows no location at all
 *   location.outside_roots a local path outside every allowed root (after
 *                          resolving '.', '..' and symlinks)
 *   location.remote        a remote location (http:, s3:, hf:, ...) while
 *                          remote access is off
 *   location.dynamic       a file-reading construct whose location is not
 *                          a constant string (column, parameter, ||, ...)
 *   function.sql_exec      a function that runs SQL text (query,
 *                          query_table, json_execute_serialized_sql, ...)
 *   function.environment   reveals the environment or configuration
 *                          (getenv, current_setting, duckdb_settings,
 *                          duckdb_secrets, duckdb_extensions, ...)
 *   function.system        changes engine state or touches raw memory
 *                          (checkpoint, enable_logging, write_log,
 *                          arrow_scan, ...)
 *   function.pragma        pragma_* table functions (except the catalog
 *                          ones: pragma_table_info, pragma_show,
 *                          pragma_version, pragma_collations)
 *   function.side_effect   nextval (mutates a sequence): allowed with DML
 *   function.suspicious_name  a function name with non-ASCII or control
 *                          bytes (homoglyph tricks)
 *
 * Presets form a chain, each allowing everything the previous one does:
 *   QUERY_ONLY       queries only: SELECT/VALUES/set operations, EXPLAIN
 *                    (not ANALYZE of a non-query), DESCRIBE/SUMMARIZE/SHOW;
 *                    one statement; no remote; file reads only inside the
 *                    policy's roots (none by default).
 *   QUERY_WITH_TEMP  + temporary objects: CREATE TEMP TABLE/VIEW/MACRO/
 *                    SEQUENCE/TYPE, CREATE ... temp.x, DROP temp.x.
 *   FULL_DDL         + permanent DDL: CREATE/ALTER/DROP/COMMENT ON of
 *                    tables, views, schemas, macros, sequences, indexes,
 *                    types (CREATE EXTERNAL TABLE is DDL plus a file read).
 *   FULL_DML         + INSERT/UPDATE/DELETE/TRUNCATE, transactions,
 *                    nextval.
 *   ADMIN            everything: SET/RESET, PRAGMA, ATTACH/DETACH/USE,
 *                    INSTALL/LOAD, EXPORT/IMPORT DATABASE, CHECKPOINT/
 *                    VACUUM/ANALYZE, CALL, COPY FROM/TO, PREPARE/EXECUTE,
 *                    GRANT/REVOKE; any location, remote allowed; every
 *                    function; any number of statements.
 * Roots and remote access can be widened on any preset by the caller.
 */
#ifndef UNIFIER_SAFETY_H
#define UNIFIER_SAFETY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statement classes: X(NAME, "rule suffix"). */
#define UF_STMT_CLASS_MAP(X)                                              \
  X(QUERY, "query")             /* SELECT, VALUES, EXPLAIN, DESCRIBE, SHOW */\
  X(TEMP_DDL, "temp_ddl")       /* CREATE TEMP ..., DROP temp.x */        \
  X(DDL, "ddl")                 /* CREATE/ALTER/DROP/COMMENT permanent */ \
  X(DML, "dml")                 /* INSERT/UPDATE/DELETE/TRUNCATE */       \
  X(TRANSACTION, "transaction") /* BEGIN/COMMIT/ROLLBACK/SAVEPOINT */     \
  X(SET, "set")                 /* SET/RESET (also SET VARIABLE) */       \
  X(PRAGMA, "pragma")                                                     \
  X(ATTACH, "attach")           /* ATTACH/DETACH/USE */                   \
  X(EXTENSION, "extension")     /* INSTALL/LOAD */                        \
  X(EXPORT, "export")           /* EXPORT DATABASE */                     \
  X(IMPORT, "import")           /* IMPORT DATABASE */                     \
  X(MAINTENANCE, "maintenance") /* CHECKPOINT/VACUUM/ANALYZE */           \
  X(CALL, "call")                                                         \
  X(COPY_FROM, "copy_from")                                               \
  X(COPY_TO, "copy_to")                                                   \
  X(PREPARED, "prepared")       /* PREPARE/EXECUTE/DEALLOCATE */          \
  X(GRANT, "grant")             /* GRANT/REVOKE */                        \
  X(UNKNOWN, "unknown")         /* not a statement node */

typedef enum uf_stmt_class {
#define UF_STMT_CLASS_ENUM_(name, rule) UF_STMT_##name,
  UF_STMT_CLASS_MAP(UF_STMT_CLASS_ENUM_)
#undef UF_STMT_CLASS_ENUM_
  UF_STMT_CLASS_COUNT
} uf_stmt_class;

#define UF_STMT_BIT(c) (1u << (unsigned)(c))

/* The class of one statement node (a SCRIPT's items, not the SCRIPT). The
 * single classification shared by the gate and the engine's statement-type
 * cross-check. Queries (QUERY category kinds) are UF_STMT_QUERY; EXPLAIN
 * ANALYZE takes its inner statement's class; anything that is not a
 * statement is UF_STMT_UNKNOWN. */
uf_stmt_class uf_classify_statement(const uf_node *stmt);
/* "query", "ddl", ...; never NULL. */
const char *uf_stmt_class_name(uf_stmt_class c);

typedef enum uf_policy_preset {
  UF_POLICY_QUERY_ONLY = 0,
  UF_POLICY_QUERY_WITH_TEMP,
  UF_POLICY_FULL_DDL,
  UF_POLICY_FULL_DML,
  UF_POLICY_ADMIN,
  UF_POLICY_PRESET_COUNT
} uf_policy_preset;

/* An execution policy: a plain value. `roots` is borrowed: the strings must
 * outlive every check made with the policy. */
typedef struct uf_exec_policy {
  uint32_t allowed_classes;   /* UF_STMT_BIT(class) of allowed statements */
  uint32_t max_statements;    /* statements per input; 0 = unlimited */
  const char *const *roots;   /* local directories (or remote prefixes such
                                 as "s3://bucket/dir/") files may be read
                                 from or written to */
  size_t nroots;
  bool any_location;          /* every local path allowed (ADMIN) */
  bool allow_remote;          /* every remote location allowed */
  bool allow_environment;     /* function.environment */
  bool allow_system;          /* function.system, function.pragma */
  bool allow_sql_exec;        /* function.sql_exec */
  bool allow_side_effects;    /* function.side_effect */
} uf_exec_policy;

/* The preset's policy (no roots). */
uf_exec_policy uf_policy_preset_get(uf_policy_preset p);
/* "query-only", "query-with-temp", "full-ddl", "full-dml", "admin". */
const char *uf_policy_preset_name(uf_policy_preset p);
/* Parses those names (also with '_' and any case); UF_INVALID_ARGUMENT if
 * unknown. */
uf_status uf_policy_preset_parse(const char *name, uf_policy_preset *out,
                                 uf_error *err);

/* One violation: rule name (static string), message, position (1-based;
 * 0 when the node was built in code). */
typedef struct uf_violation {
  const char *rule;
  char message[256];
  uint32_t line, column, offset;
} uf_violation;

typedef struct uf_violations uf_violations;
size_t uf_violations_count(const uf_violations *v);
const uf_violation *uf_violations_at(const uf_violations *v, size_t i);
/* True if some violation has this rule name. */
bool uf_violations_has(const uf_violations *v, const char *rule);
void uf_violations_free(uf_violations *v);

/* Checks input (a SCRIPT or a single statement/query) against p. Returns
 * UF_OK when nothing is violated (then *out, if non-NULL, is NULL).
 * Otherwise returns UF_POLICY, err describes the first violation
 * (message "policy violation: <rule> at line:col: ...", position set) and
 * *out (if non-NULL) is a new list of every violation in tree order; free
 * with uf_violations_free. Other codes (UF_INVALID_ARGUMENT, UF_NOMEM,
 * UF_LIMIT_EXCEEDED) are failures to check, never a pass. */
uf_status uf_safety_check(const uf_node *input, const uf_exec_policy *p,
                          uf_violations **out, uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
