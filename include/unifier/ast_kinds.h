/*
 * unifier — the AST kinds table: the single source of truth for node kinds,
 * their named slots and the flag bits. Parser, generator, serde, fingerprint,
 * walk, copy, equality and hashing are all driven by these tables.
 *
 * Adding a kind: one line in UF_KIND_MAP, plus its parse and generate rules.
 *
 * Every node has `text` (an interned string: identifier name, literal text,
 * function or type name, or the keyword variant of a kind such as a join's
 * "LEFT"), 32 semantic `flags`, 8 `style` bits (presentation only, never
 * fingerprinted) and one child pointer per slot the kind declares. A LIST
 * node instead holds a variable number of items. Slots may be NULL.
 */
#ifndef UNIFIER_AST_KINDS_H
#define UNIFIER_AST_KINDS_H

/* Slot names, shared by all kinds: X(NAME, "json-name"). */
#define UF_SLOT_MAP(X)                                                     \
  X(THIS, "this") X(EXPR, "expr") X(LEFT, "left") X(RIGHT, "right")        \
  X(ALIAS, "alias") X(ARGS, "args") X(NAME, "name") X(TABLE, "table")      \
  X(DB, "db") X(CATALOG, "catalog") X(QUALIFIER, "qualifier")              \
  X(EXCLUDE, "exclude") X(REPLACE, "replace") X(RENAME, "rename")          \
  X(TO, "to") X(TYPE, "type") X(LOW, "low") X(HIGH, "high")                \
  X(STEP, "step") X(INDEX, "index") X(LIST, "list") X(QUERY, "query")      \
  X(ESCAPE, "escape") X(OPERAND, "operand") X(WHENS, "whens")              \
  X(COND, "cond") X(THEN, "then") X(ELSE, "else") X(OVER, "over")          \
  X(FILTER, "filter") X(ORDER, "order") X(WITHIN_GROUP, "within_group")    \
  X(PARTITION, "partition") X(FRAME, "frame") X(START, "start")            \
  X(END, "end") X(PARAMS, "params") X(BODY, "body") X(WITH, "with")        \
  X(DISTINCT_ON, "distinct_on") X(EXPRS, "exprs") X(FROM, "from")          \
  X(WHERE, "where") X(GROUP, "group") X(HAVING, "having")                  \
  X(QUALIFY, "qualify") X(WINDOW, "window") X(LIMIT, "limit")              \
  X(OFFSET, "offset") X(SAMPLE, "sample") X(CTES, "ctes")                  \
  X(COLUMNS, "columns") X(ON, "on") X(USING, "using") X(ROWS, "rows")      \
  X(VALUE, "value") X(OPTIONS, "options") X(LOCATION, "location")          \
  X(FORMAT, "format") X(PARTITIONED_BY, "partitioned_by")                  \
  X(CONSTRAINTS, "constraints") X(RETURNING, "returning")                  \
  X(CONFLICT, "conflict") X(SET, "set") X(TARGET, "target")                \
  X(ACTIONS, "actions") X(DEFAULT, "default") X(REFERENCES, "references")  \
  X(FIELDS, "fields") X(SIZE, "size") X(SEED, "seed") X(UNIT, "unit")      \
  X(PIVOT_ON, "pivot_on") X(PIVOT_USING, "pivot_using")                    \
  X(INTO, "into") X(KEY, "key") X(STATEMENT, "statement")                  \
  X(ORDINALITY, "ordinality") X(EXTRA, "extra") X(METHOD, "method")

/* Semantic flags: X(NAME, bit, "json-name"). Meaning is per kind, names say it. */
#define UF_FLAG_MAP(X)                                                     \
  X(NOT, 0, "not") X(DISTINCT, 1, "distinct") X(ALL, 2, "all")             \
  X(RECURSIVE, 3, "recursive") X(QUOTED, 4, "quoted") X(TRY, 5, "try")     \
  X(NATURAL, 6, "natural") X(LATERAL, 7, "lateral")                        \
  X(OR_REPLACE, 8, "or_replace") X(TEMP, 9, "temp")                        \
  X(IF_NOT_EXISTS, 10, "if_not_exists") X(IF_EXISTS, 11, "if_exists")      \
  X(DESC, 12, "desc") X(NULLS_FIRST, 13, "nulls_first")                    \
  X(NULLS_LAST, 14, "nulls_last") X(BY_NAME, 15, "by_name")                \
  X(MATERIALIZED, 16, "materialized")                                      \
  X(NOT_MATERIALIZED, 17, "not_materialized")                              \
  X(IGNORE_NULLS, 18, "ignore_nulls") X(RESPECT_NULLS, 19, "respect_nulls")\
  X(CASCADE, 20, "cascade") X(SYMMETRIC, 21, "symmetric")                  \
  X(ANALYZE, 22, "analyze") X(OR_IGNORE, 23, "or_ignore")                  \
  X(OVERWRITE, 24, "overwrite") X(PERCENT, 25, "percent")                  \
  X(WITH_TIES, 26, "with_ties") X(TABLE, 27, "table")                      \
  X(WITH_HEADER, 28, "with_header") X(UNBOUNDED, 29, "unbounded")          \
  X(RESTRICT, 30, "restrict") X(PERSISTENT, 31, "persistent")

/*
 * Kinds: X(NAME, "json-name", CATEGORY, slots...). Slots are written
 * UF_S(SLOT) and appear in generation order. Categories: ATOM (leaf values),
 * EXPR, QUERY (anything usable as a query), TABLE (FROM items), CLAUSE
 * (parts of a larger node), STMT (a statement that is not a query), LIST.
 */
#define UF_KIND_MAP(X)                                                      \
  /* containers */                                                          \
  X(LIST, "list", LIST, )                                                   \
  X(SCRIPT, "script", LIST, )                                               \
  /* atoms: text holds the value */                                         \
  X(IDENT, "ident", ATOM, )            /* flags QUOTED */                   \
  X(NUMBER, "number", ATOM, )          /* text as written */                \
  X(STRING, "string", ATOM, )          /* decoded value; style = form */    \
  X(BIT_STRING, "bit_string", ATOM, )  /* B'0101' */                        \
  X(HEX_STRING, "hex_string", ATOM, )  /* X'ff' */                          \
  X(BOOLEAN, "boolean", ATOM, )        /* text TRUE/FALSE */                \
  X(NULL, "null", ATOM, )                                                   \
  X(PARAM, "param", ATOM, )            /* text: name, number or "" for ? */ \
  X(DEFAULT, "default", ATOM, )        /* DEFAULT in VALUES/SET */          \
  X(VAR, "var", ATOM, )                /* bare keyword value: CURRENT_DATE */\
  /* names; a COLUMN's parts are IDENTs (the rewrite rules never look     \
   * inside a column) */                                                    \
  X(COLUMN, "column", EXPR, UF_S(CATALOG) UF_S(DB) UF_S(TABLE) UF_S(THIS))  \
  X(STAR, "star", EXPR, UF_S(QUALIFIER) UF_S(EXCLUDE) UF_S(REPLACE)         \
                          UF_S(RENAME))                                     \
  X(COLUMNS_EXPR, "columns_expr", EXPR, UF_S(THIS) UF_S(EXCLUDE)            \
                          UF_S(REPLACE))    /* COLUMNS(...); flag ALL=*COLUMNS */\
  X(DOT, "dot", EXPR, UF_S(THIS) UF_S(NAME))    /* (expr).field */          \
  /* operators: binary kinds have LEFT, RIGHT; see UF_BINOP_MAP */          \
  X(BINARY, "binary", EXPR, UF_S(LEFT) UF_S(RIGHT)) /* text = operator */   \
  X(AND, "and", EXPR, UF_S(LEFT) UF_S(RIGHT))                               \
  X(OR, "or", EXPR, UF_S(LEFT) UF_S(RIGHT))                                 \
  X(NOT, "not", EXPR, UF_S(THIS))                                           \
  X(UNARY, "unary", EXPR, UF_S(THIS))   /* text = "-", "+", "~", "@" */     \
  X(PAREN, "paren", EXPR, UF_S(THIS))                                       \
  X(LIKE, "like", EXPR, UF_S(LEFT) UF_S(RIGHT) UF_S(ESCAPE))                \
      /* text LIKE/ILIKE/GLOB/SIMILAR TO; flag NOT */                       \
  X(IS, "is", EXPR, UF_S(LEFT) UF_S(RIGHT)) /* IS [NOT] NULL/TRUE/..; NOT */\
  X(IS_DISTINCT, "is_distinct", EXPR, UF_S(LEFT) UF_S(RIGHT)) /* flag NOT */\
  X(BETWEEN, "between", EXPR, UF_S(THIS) UF_S(LOW) UF_S(HIGH))              \
      /* flags NOT, SYMMETRIC */                                            \
  X(IN, "in", EXPR, UF_S(THIS) UF_S(LIST) UF_S(QUERY)) /* flag NOT */       \
  X(QUANTIFIED, "quantified", EXPR, UF_S(THIS)) /* ANY/ALL/SOME (text) */   \
  X(EXISTS, "exists", EXPR, UF_S(THIS))                                     \
  X(SUBQUERY, "subquery", EXPR, UF_S(THIS))    /* scalar (query) */         \
  X(CASE, "case", EXPR, UF_S(OPERAND) UF_S(WHENS) UF_S(ELSE))               \
  X(WHEN, "when", CLAUSE, UF_S(COND) UF_S(THEN))                            \
  X(CAST, "cast", EXPR, UF_S(THIS) UF_S(TO))                                \
      /* flag TRY; style: 0 CAST(), 1 ::, 2 typed literal TYPE 'x' */       \
  X(TYPE, "type", CLAUSE, UF_S(ARGS) UF_S(FIELDS))                          \
      /* text = type name; ARGS params or element types; FIELDS struct */   \
  X(EXTRACT, "extract", EXPR, UF_S(THIS) UF_S(EXPR)) /* THIS = part */      \
  X(INTERVAL, "interval", EXPR, UF_S(THIS) UF_S(UNIT))                      \
  X(COLLATE, "collate", EXPR, UF_S(THIS) UF_S(NAME))                        \
  X(FUNC, "func", EXPR, UF_S(DB) UF_S(ARGS) UF_S(ORDER) UF_S(WITHIN_GROUP)  \
                          UF_S(FILTER) UF_S(OVER))                          \
      /* text = name; flags DISTINCT, IGNORE_NULLS, RESPECT_NULLS */        \
  X(NAMED_ARG, "named_arg", EXPR, UF_S(NAME) UF_S(THIS)) /* n := v */       \
  X(LAMBDA, "lambda", EXPR, UF_S(PARAMS) UF_S(BODY))                        \
  X(WINDOW_SPEC, "window_spec", CLAUSE, UF_S(NAME) UF_S(PARTITION)          \
                          UF_S(ORDER) UF_S(FRAME))                          \
  X(FRAME, "frame", CLAUSE, UF_S(START) UF_S(END) UF_S(EXTRA))             \
      /* text ROWS/RANGE/GROUPS; EXTRA = exclusion text node */             \
  X(FRAME_BOUND, "frame_bound", CLAUSE, UF_S(THIS))                         \
      /* text UNBOUNDED PRECEDING / CURRENT ROW / PRECEDING / FOLLOWING */  \
  X(ORDERED, "ordered", CLAUSE, UF_S(THIS)) /* DESC, NULLS_FIRST/LAST */    \
      /* style 1 = ASC written (parse_order_by_list) */                     \
  X(ALIAS, "alias", EXPR, UF_S(THIS) UF_S(ALIAS)) /* expr AS name */        \
  X(ARRAY, "array", EXPR, UF_S(ARGS) UF_S(QUERY)) /* [a,b] / ARRAY[...] */  \
  X(STRUCT, "struct", EXPR, UF_S(ARGS))   /* {'k': v}; ARGS of PROP */      \
  X(MAP, "map", EXPR, UF_S(ARGS))         /* MAP {k: v}; ARGS of PROP */    \
  X(PROP, "prop", CLAUSE, UF_S(KEY) UF_S(VALUE)) /* key/value, options */   \
  X(TUPLE, "tuple", EXPR, UF_S(ARGS))     /* (a, b) row constructor */      \
  X(SUBSCRIPT, "subscript", EXPR, UF_S(THIS) UF_S(INDEX))                   \
  X(SLICE, "slice", EXPR, UF_S(THIS) UF_S(LOW) UF_S(HIGH) UF_S(STEP))       \
  /* queries */                                                             \
  X(SELECT, "select", QUERY, UF_S(WITH) UF_S(DISTINCT_ON) UF_S(EXPRS)       \
      UF_S(INTO) UF_S(FROM) UF_S(WHERE) UF_S(GROUP) UF_S(HAVING)            \
      UF_S(WINDOW) UF_S(QUALIFY) UF_S(ORDER) UF_S(LIMIT) UF_S(OFFSET)       \
      UF_S(SAMPLE))                                                         \
      /* flags DISTINCT, ALL; style bits in src/sql/query_style.h (QS_*):    \
         1 FROM-first, 2 bare FROM t (EXPRS = a lone STAR); OFFSET ROWS... */\
  X(SET_OP, "set_op", QUERY, UF_S(WITH) UF_S(LEFT) UF_S(RIGHT) UF_S(ORDER)  \
      UF_S(LIMIT) UF_S(OFFSET))                                             \
      /* text UNION/INTERSECT/EXCEPT; flags ALL, DISTINCT, BY_NAME */       \
  X(VALUES, "values", QUERY, UF_S(ROWS))  /* ROWS: list of TUPLE */         \
  X(QUERY_PAREN, "query_paren", QUERY, UF_S(WITH) UF_S(THIS) UF_S(ORDER)    \
      UF_S(LIMIT) UF_S(OFFSET))          /* (query) [ORDER/LIMIT] */        \
  X(WITH, "with", CLAUSE, UF_S(CTES))     /* flag RECURSIVE */              \
  X(CTE, "cte", CLAUSE, UF_S(ALIAS) UF_S(THIS))                             \
      /* flags MATERIALIZED, NOT_MATERIALIZED */                            \
  X(GROUP_BY, "group_by", CLAUSE, UF_S(EXPRS)) /* flag ALL = GROUP BY ALL */\
  X(GROUPING, "grouping", EXPR, UF_S(ARGS))                                 \
      /* text ROLLUP/CUBE/GROUPING SETS */                                  \
  X(ORDER_BY, "order_by", CLAUSE, UF_S(EXPRS)) /* flag ALL = ORDER BY ALL */\
  X(NAMED_WINDOW, "named_window", CLAUSE, UF_S(NAME) UF_S(THIS))            \
  X(LIMIT, "limit", CLAUSE, UF_S(THIS))                                     \
      /* flags PERCENT, WITH_TIES; style 1 = FETCH FIRST */                 \
  X(SAMPLE, "sample", CLAUSE, UF_S(SIZE) UF_S(METHOD) UF_S(SEED))          \
      /* text = method (upper case, "" if none); METHOD unused; flag       \
         PERCENT; style SS_* in query_style.h, 1 = TABLESAMPLE */          \
  /* FROM items */                                                          \
  X(TABLE, "table", TABLE, UF_S(CATALOG) UF_S(DB) UF_S(THIS) UF_S(ALIAS)    \
      UF_S(SAMPLE))                                                         \
  X(TABLE_ALIAS, "table_alias", CLAUSE, UF_S(NAME) UF_S(COLUMNS))           \
  X(TABLE_FUNC, "table_func", TABLE, UF_S(THIS) UF_S(ALIAS)                 \
      UF_S(ORDINALITY) UF_S(SAMPLE)) /* flag LATERAL; THIS = FUNC;          \
         ORDINALITY = VAR "ORDINALITY" when WITH ORDINALITY */            \
  X(DERIVED, "derived", TABLE, UF_S(THIS) UF_S(ALIAS) UF_S(SAMPLE))         \
      /* (query) AS t(cols); flag LATERAL; THIS may be a JOIN for an       \
         aliased parenthesized join (a JOIN b) AS j */                     \
  X(JOIN, "join", TABLE, UF_S(LEFT) UF_S(RIGHT) UF_S(ON) UF_S(USING))       \
      /* text INNER/LEFT/RIGHT/FULL/CROSS/SEMI/ANTI/POSITIONAL/ASOF...;     \
         flags NATURAL; style bit0 = OUTER written, bit1 = INNER written,   \
         bit2 = comma join (text CROSS), bit3 = written in parentheses */   \
  X(PIVOT, "pivot", TABLE, UF_S(THIS) UF_S(PIVOT_ON) UF_S(PIVOT_USING)      \
      UF_S(GROUP) UF_S(ALIAS) UF_S(EXPRS))                                  \
      /* text PIVOT/UNPIVOT; THIS = source; style 1 = DuckDB statement     \
         form: PIVOT_ON = LIST of exprs/PIVOT_IN, PIVOT_USING = LIST of    \
         aggregates, GROUP = LIST; UNPIVOT: PIVOT_ON = columns, EXPRS =    \
         LIST(name, value...). Standard form t PIVOT (aggs FOR PIVOT_IN..):\
         PIVOT_USING = aggs / value columns, PIVOT_ON = LIST of PIVOT_IN,  \
         ALIAS. flag RESPECT_NULLS = UNPIVOT INCLUDE NULLS */               \
  X(PIVOT_IN, "pivot_in", CLAUSE, UF_S(THIS) UF_S(LIST))                    \
  /* statements */                                                          \
  X(CREATE_TABLE, "create_table", STMT, UF_S(NAME) UF_S(COLUMNS)            \
      UF_S(CONSTRAINTS) UF_S(OPTIONS) UF_S(ON) UF_S(QUERY) UF_S(EXTRA))     \
      /* OPTIONS = WITH (k = v, ...) storage parameters, LIST of PROP (KEY  \
         IDENT); ON = VAR "PRESERVE ROWS"/"DELETE ROWS"/"DROP" of ON COMMIT;\
         EXTRA = VAR "WITH DATA"/"WITH NO DATA" after the query */         \
  X(CREATE_VIEW, "create_view", STMT, UF_S(NAME) UF_S(COLUMNS) UF_S(QUERY)) \
      /* flag MATERIALIZED = CREATE MATERIALIZED VIEW */                    \
  X(CREATE_EXTERNAL_TABLE, "create_external_table", STMT, UF_S(NAME)        \
      UF_S(COLUMNS) UF_S(FORMAT) UF_S(PARTITIONED_BY) UF_S(LOCATION)        \
      UF_S(OPTIONS))          /* flags WITH_HEADER, UNBOUNDED */            \
  X(CREATE_SCHEMA, "create_schema", STMT, UF_S(NAME))                       \
  X(CREATE_SECRET, "create_secret", STMT, UF_S(NAME) UF_S(OPTIONS))         \
      /* CREATE [OR REPLACE] [PERSISTENT | TEMPORARY] SECRET [IF NOT EXISTS]\
         [name] (TYPE s3, KEY_ID 'k', ...); flags OR_REPLACE, PERSISTENT,   \
         TEMP, IF_NOT_EXISTS; NAME IDENT or NULL; OPTIONS LIST of PROP as   \
         in COPY (KEY VAR upper case, bare-word values STRING style 4) */   \
      /* text "" = SCHEMA, "DATABASE" = CREATE DATABASE */                  \
  X(CREATE_SEQUENCE, "create_sequence", STMT, UF_S(NAME) UF_S(OPTIONS))     \
  X(CREATE_MACRO, "create_macro", STMT, UF_S(NAME) UF_S(PARAMS)             \
      UF_S(BODY))                           /* flag TABLE */                \
  X(CREATE_INDEX, "create_index", STMT, UF_S(NAME) UF_S(TABLE)              \
      UF_S(METHOD) UF_S(COLUMNS))           /* flag UNIQUE via text */      \
      /* METHOD = IDENT of USING method; COLUMNS items are expressions, an  \
         ORDERED where ASC/DESC/NULLS is written */                         \
  X(CREATE_TYPE, "create_type", STMT, UF_S(NAME) UF_S(TYPE))                \
  X(COLUMN_DEF, "column_def", CLAUSE, UF_S(NAME) UF_S(TYPE)                 \
      UF_S(CONSTRAINTS))                                                    \
  X(SIGNATURE, "signature", CLAUSE, UF_S(NAME) UF_S(ARGS))                 \
      /* routine name (TABLE node) '(' args ')': ARGS = LIST of TYPE or of  \
         COLUMN_DEF (name type); DROP FUNCTION f(INT), COMMENT ON ... */    \
  X(CONSTRAINT, "constraint", CLAUSE, UF_S(NAME) UF_S(COLUMNS) UF_S(EXPR)   \
      UF_S(REFERENCES) UF_S(ACTIONS) UF_S(OPTIONS))                         \
      /* text NOT NULL/NULL/PRIMARY KEY/UNIQUE/CHECK/DEFAULT/FOREIGN KEY/   \
         REFERENCES/COLLATE/GENERATED; NAME = CONSTRAINT name; EXPR =       \
         DEFAULT/CHECK/GENERATED expr or COLLATE ident; REFERENCES = the    \
         TABLE (for REFERENCES, COLUMNS its columns) or, for FOREIGN KEY,   \
         a nested REFERENCES constraint; ACTIONS = LIST of VAR ("ON DELETE \
         CASCADE", ...) of a REFERENCES; GENERATED: flag PERSISTENT =       \
         STORED, style bit1 VIRTUAL written; ACTIONS also holds the        \
         attributes VAR "DEFERRABLE"/"NOT DEFERRABLE"/"INITIALLY DEFERRED"/ \
         "INITIALLY IMMEDIATE"; text "GENERATED ALWAYS AS IDENTITY" or      \
         "GENERATED BY DEFAULT AS IDENTITY": OPTIONS = sequence options as  \
         in CREATE_SEQUENCE */                                              \
  X(INSERT, "insert", STMT, UF_S(WITH) UF_S(TABLE) UF_S(ALIAS)              \
      UF_S(COLUMNS) UF_S(QUERY) UF_S(CONFLICT) UF_S(RETURNING))             \
      /* flags OR_REPLACE, OR_IGNORE, BY_NAME, OVERWRITE; QUERY NULL =      \
         DEFAULT VALUES */                                                  \
  X(ON_CONFLICT, "on_conflict", CLAUSE, UF_S(COLUMNS) UF_S(WHERE)           \
      UF_S(SET) UF_S(COND))   /* text NOTHING/UPDATE; COND = DO UPDATE WHERE */\
  X(UPDATE, "update", STMT, UF_S(WITH) UF_S(TABLE) UF_S(SET) UF_S(FROM)     \
      UF_S(WHERE) UF_S(RETURNING))                                          \
  X(SET_ITEM, "set_item", CLAUSE, UF_S(TARGET) UF_S(VALUE))                 \
  X(DELETE, "delete", STMT, UF_S(WITH) UF_S(TABLE) UF_S(USING) UF_S(WHERE)  \
      UF_S(RETURNING))                                                      \
  X(TRUNCATE, "truncate", STMT, UF_S(TABLE))                                \
  X(DROP, "drop", STMT, UF_S(LIST))                                         \
      /* text = object kind (TABLE, VIEW, ..., MACRO TABLE, SECRET); flags  \
         IF_EXISTS, CASCADE, RESTRICT, PERSISTENT/TEMP (SECRET) */          \
  X(ALTER_TABLE, "alter_table", STMT, UF_S(NAME) UF_S(ACTIONS))             \
      /* flag IF_EXISTS; text TABLE/VIEW/SEQUENCE */                        \
  X(ALTER_ACTION, "alter_action", CLAUSE, UF_S(NAME) UF_S(TARGET)           \
      UF_S(TYPE) UF_S(EXPR) UF_S(THIS))                                     \
      /* text ADD COLUMN/DROP COLUMN/RENAME COLUMN/RENAME TO/ALTER TYPE/    \
         SET DEFAULT/DROP DEFAULT/SET NOT NULL/DROP NOT NULL/ADD CONSTRAINT*/\
  X(COPY, "copy", STMT, UF_S(THIS) UF_S(COLUMNS) UF_S(LOCATION)             \
      UF_S(FORMAT) UF_S(PARTITIONED_BY) UF_S(OPTIONS))                      \
      /* text TO/FROM; style: 0 DuckDB (opts), 1 PostgreSQL WITH (...),     \
         2 DataFusion STORED AS ... OPTIONS (...), 3 PostgreSQL CSV HEADER; \
         THIS = TABLE or query; LOCATION STRING or VAR STDIN/STDOUT; FORMAT \
         VAR (upper); PARTITIONED_BY LIST of IDENT; OPTIONS LIST of PROP    \
         (KEY = VAR holding DuckDB's option name upper case, VALUE or NULL; \
         a bare-word value is a STRING with style 4). The same OPTIONS      \
         shape serves CREATE_EXTERNAL_TABLE, ATTACH, EXPORT_DATABASE and    \
         CREATE_SEQUENCE (keys START, INCREMENT, NO CYCLE, ...). */         \
  X(SET, "set", STMT, UF_S(NAME) UF_S(VALUE))                               \
      /* text = scope ("", SESSION, LOCAL, GLOBAL, VARIABLE); NAME IDENT or \
         LIST of IDENT (dotted); VALUE expr, DEFAULT, VAR or LIST; style 1 TO*/\
  X(RESET, "reset", STMT, UF_S(NAME))     /* text = scope */                \
  X(PRAGMA, "pragma", STMT, UF_S(NAME) UF_S(ARGS) UF_S(VALUE))              \
  X(ATTACH, "attach", STMT, UF_S(LOCATION) UF_S(ALIAS) UF_S(OPTIONS))       \
      /* flag IF_NOT_EXISTS */                                              \
  X(DETACH, "detach", STMT, UF_S(NAME))   /* flag IF_EXISTS */              \
  X(USE, "use", STMT, UF_S(NAME))                                           \
  X(INSTALL, "install", STMT, UF_S(NAME) UF_S(FROM)) /* flag FORCE->TRY */  \
  X(LOAD, "load", STMT, UF_S(NAME))                                         \
  X(CALL, "call", STMT, UF_S(THIS))                                         \
  X(EXPLAIN, "explain", STMT, UF_S(STATEMENT)) /* flag ANALYZE */           \
  X(DESCRIBE, "describe", STMT, UF_S(THIS))                                 \
      /* text DESCRIBE/SUMMARIZE */                                         \
  X(SHOW, "show", STMT, UF_S(NAME) UF_S(THIS)) /* text = what */            \
  X(TRANSACTION, "transaction", STMT, UF_S(NAME))                           \
      /* text BEGIN/COMMIT/ROLLBACK (END = COMMIT, ABORT = ROLLBACK),       \
         SAVEPOINT/RELEASE; NAME = savepoint (ROLLBACK TO name);            \
         style = spelling: 0 bare, 1 + TRANSACTION, 2 START TRANSACTION/END/\
         ABORT, 3 + WORK */                                                 \
  X(EXPORT_DATABASE, "export_database", STMT, UF_S(NAME) UF_S(LOCATION)     \
      UF_S(OPTIONS))                                                        \
  X(IMPORT_DATABASE, "import_database", STMT, UF_S(LOCATION))               \
  X(CHECKPOINT, "checkpoint", STMT, UF_S(NAME)) /* flag ALL = FORCE */      \
  X(VACUUM, "vacuum", STMT, UF_S(TABLE) UF_S(COLUMNS)) /* flag ANALYZE */   \
  X(ANALYZE, "analyze", STMT, UF_S(TABLE) UF_S(COLUMNS)) /* ANALYZE [t] */  \
  X(GRANT, "grant", STMT, UF_S(ARGS) UF_S(TYPE) UF_S(LIST) UF_S(TO)         \
      UF_S(EXTRA))                                                          \
      /* text GRANT/REVOKE; ARGS = privileges (LIST of VAR upper case),     \
         TYPE = VAR object kind (TABLE, SCHEMA, ...) or NULL, LIST = object \
         names (TABLE nodes), TO = grantees (LIST of IDENT; VAR "PUBLIC"),  \
         EXTRA = VAR "WITH GRANT OPTION" / "GRANT OPTION FOR"; flags        \
         CASCADE, RESTRICT */                                               \
  X(COMMENT_ON, "comment_on", STMT, UF_S(NAME) UF_S(VALUE)) /* text kind */ \
  X(PREPARE, "prepare", STMT, UF_S(NAME) UF_S(STATEMENT))                   \
  X(EXECUTE, "execute", STMT, UF_S(NAME) UF_S(ARGS))                        \
  X(DEALLOCATE, "deallocate", STMT, UF_S(NAME))

#endif
