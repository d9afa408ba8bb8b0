/*
 * SQL keywords: X(NAME, class), at most 16 bytes each. Kept in strict
 * alphabetical order (test_tokenizer checks it); the lookup is a hash
 * table built from this list (keywords.c).
 * Classes: R reserved (never a bare identifier), T type/function-name words
 * (a function name, never a bare column or alias), C column-name words
 * (a column or type name, not an implicit alias), U unreserved.
 */
#ifndef UF_SQL_KEYWORDS_H
#define UF_SQL_KEYWORDS_H

#define UF_KEYWORD_MAP(X)                                                  \
  X(ABORT, U) X(ACTION, U) X(ADD, U) X(ALL, R) X(ALTER, U) X(ALWAYS, U)    \
  X(ANALYSE, R) X(ANALYZE, R) X(AND, R) X(ANTI, T) X(ANY, R) X(ARRAY, R)   \
  X(AS, R) X(ASC, R) X(ASOF, T) X(ASYMMETRIC, R) X(AT, U) X(ATTACH, U)     \
  X(AUTHORIZATION, T) X(BEGIN, U) X(BETWEEN, C) X(BIGINT, C) X(BINARY, T)  \
  X(BIT, C) X(BOOLEAN, C) X(BOTH, R) X(BY, U) X(CALL, U) X(CASCADE, U)     \
  X(CASE, R) X(CAST, R) X(CHAR, C) X(CHARACTER, C) X(CHECK, R)             \
  X(CHECKPOINT, U) X(COALESCE, C) X(COLLATE, R) X(COLLATION, T)            \
  X(COLUMN, R) X(COLUMNS, U) X(COMMENT, U) X(COMMIT, U) X(CONFLICT, U)     \
  X(CONSTRAINT, R) X(COPY, U) X(CREATE, R) X(CROSS, T) X(CUBE, U)          \
  X(CURRENT, U) X(DATABASE, U) X(DAY, U) X(DEALLOCATE, U) X(DEC, C)        \
  X(DECIMAL, C) X(DEFAULT, R) X(DEFERRABLE, R) X(DELETE, U) X(DESC, R)     \
  X(DESCRIBE, R) X(DETACH, U) X(DISTINCT, R) X(DO, R) X(DOUBLE, U)         \
  X(DROP, U) X(ELSE, R) X(END, R) X(ESCAPE, U) X(EXCEPT, R) X(EXCLUDE, U)  \
  X(EXECUTE, U) X(EXISTS, C) X(EXPLAIN, U) X(EXPORT, U) X(EXTERNAL, U)     \
  X(EXTRACT, C) X(FALSE, R) X(FETCH, R) X(FILTER, U) X(FIRST, U)           \
  X(FLOAT, C) X(FOLLOWING, U) X(FOR, R) X(FOREIGN, R) X(FORMAT, U)         \
  X(FROM, R) X(FULL, T) X(FUNCTION, U) X(GENERATED, T) X(GLOB, T)          \
  X(GROUP, R) X(GROUPING, C) X(GROUPS, U) X(HAVING, R) X(HEADER, U)        \
  X(HOUR, U) X(IF, U) X(ILIKE, T) X(IMPORT, U) X(IN, R) X(INDEX, U)        \
  X(INITIALLY, R) X(INNER, T) X(INSERT, U) X(INSTALL, U) X(INT, C)         \
  X(INTEGER, C) X(INTERSECT, R) X(INTERVAL, C) X(INTO, R) X(IS, T)         \
  X(ISNULL, T) X(JOIN, T) X(KEY, U) X(LAMBDA, R) X(LAST, U) X(LATERAL, R)  \
  X(LEADING, R) X(LEFT, T) X(LIKE, T) X(LIMIT, R) X(LOAD, U) X(LOCAL, U)   \
  X(LOCATION, U) X(MACRO, U) X(MAP, T) X(MATERIALIZED, U) X(MINUTE, U)     \
  X(MONTH, U) X(NAME, U) X(NATURAL, T) X(NEXT, U) X(NO, U) X(NOT, R)       \
  X(NOTHING, U) X(NOTNULL, T) X(NULL, R) X(NULLIF, C) X(NULLS, U)          \
  X(NUMERIC, C) X(OF, U) X(OFFSET, R) X(ON, R) X(ONLY, R) X(OPTIONS, U)    \
  X(OR, R) X(ORDER, R) X(ORDINALITY, U) X(OTHERS, U) X(OUTER, T)           \
  X(OVER, U) X(OVERLAPS, T) X(OVERWRITE, U) X(PARTITION, U)                \
  X(PARTITIONED, U) X(PERCENT, U) X(PIVOT, R) X(PIVOT_LONGER, R)           \
  X(PIVOT_WIDER, R) X(PLACING, R) X(POSITION, C) X(POSITIONAL, T)          \
  X(PRAGMA, U) X(PRECEDING, U) X(PRECISION, C) X(PREPARE, U)               \
  X(PRIMARY, R) X(QUALIFY, R) X(RANGE, U) X(REAL, C) X(RECURSIVE, U)       \
  X(REFERENCES, R) X(RENAME, U) X(REPLACE, U) X(RESET, U) X(RESPECT, U)    \
  X(RESTRICT, U) X(RETURNING, R) X(RIGHT, T) X(ROLLBACK, U) X(ROLLUP, U)   \
  X(ROW, C) X(ROWS, U) X(SAMPLE, U) X(SCHEMA, U) X(SECOND, U)              \
  X(SELECT, R) X(SEMI, T) X(SEQUENCE, U) X(SESSION, U) X(SET, U)           \
  X(SETS, U) X(SHOW, R) X(SIMILAR, T) X(SMALLINT, C) X(SOME, R)            \
  X(STORED, U) X(STRUCT, T) X(SUBSTRING, C) X(SUMMARIZE, R)                \
  X(SYMMETRIC, R) X(TABLE, R) X(TABLES, U) X(TABLESAMPLE, T) X(TEMP, U)    \
  X(TEMPORARY, U) X(THEN, R) X(TIES, U) X(TIME, C) X(TIMESTAMP, C) X(TO, R)\
  X(TRAILING, R) X(TRANSACTION, U) X(TRIM, C) X(TRUE, R) X(TRUNCATE, U)    \
  X(TRY_CAST, T) X(TYPE, U) X(UNBOUNDED, U) X(UNION, R) X(UNIQUE, R)       \
  X(UNPIVOT, R) X(UPDATE, U) X(USE, U) X(USING, R) X(VACUUM, U)            \
  X(VALUES, C) X(VARCHAR, C) X(VARIADIC, R) X(VIEW, U) X(WHEN, R)          \
  X(WHERE, R) X(WINDOW, R) X(WITH, R) X(WITHIN, U) X(WITHOUT, U)           \
  X(WORK, U) X(YEAR, U) X(ZONE, U)

typedef enum uf_keyword {
  KW_NONE_ = 0,
#define UF_KW_ENUM_(name, cls) KW_##name,
  UF_KEYWORD_MAP(UF_KW_ENUM_)
#undef UF_KW_ENUM_
  KW_COUNT_
} uf_keyword;

typedef enum uf_kw_class { KWC_NONE, KWC_U, KWC_C, KWC_T, KWC_R } uf_kw_class;

/* Keyword of the word s[0..len) (case-insensitive), or KW_NONE_. */
uf_keyword uf_keyword_lookup(const char *s, size_t len);
uf_kw_class uf_keyword_class(uf_keyword k);
const char *uf_keyword_text(uf_keyword k); /* upper case */

#endif
