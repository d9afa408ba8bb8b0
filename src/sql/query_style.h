/*
 * Style bits (presentation only, never fingerprinted) of the query and
 * FROM-item kinds, shared by parse_query.c and gen_query.c so a query
 * regenerates as it was written. Serialized with the node like any style.
 */
#ifndef UF_SQL_QUERY_STYLE_H
#define UF_SQL_QUERY_STYLE_H

/* SELECT, SET_OP, QUERY_PAREN */
enum {
  QS_FROM_FIRST = 0x01,   /* SELECT: FROM t SELECT ... (DuckDB) */
  QS_BARE_FROM = 0x02,    /* SELECT: FROM t alone (= SELECT *) */
  QS_OFFSET_ROWS = 0x10,  /* OFFSET n ROWS */
  QS_OFFSET_ROW = 0x20,   /* OFFSET n ROW (with QS_OFFSET_ROWS) */
  QS_OFFSET_FIRST = 0x40  /* OFFSET written before LIMIT */
};

/* LIMIT */
enum {
  LS_FETCH = 0x01,        /* FETCH FIRST n ROWS ONLY */
  LS_PERCENT_WORD = 0x02, /* LIMIT 10 PERCENT rather than 10% */
  LS_NEXT = 0x04,         /* FETCH NEXT */
  LS_ROW = 0x08           /* FETCH FIRST 1 ROW */
};

/* SAMPLE */
enum {
  SS_TABLESAMPLE = 0x01,  /* TABLESAMPLE rather than USING SAMPLE */
  SS_PERCENT_WORD = 0x02, /* 10 PERCENT rather than 10% */
  SS_ROWS_WORD = 0x04,    /* 10 ROWS */
  SS_METHOD_FIRST = 0x08, /* reservoir(10 ROWS) */
  SS_REPEATABLE = 0x10,   /* seed as REPEATABLE (n) */
  SS_PAREN_SIZE = 0x20    /* TABLESAMPLE (10 PERCENT) */
};

/* JOIN */
enum {
  JS_OUTER = 0x01,        /* OUTER written */
  JS_INNER = 0x02,        /* INNER written */
  JS_COMMA = 0x04,        /* a, b (text CROSS) */
  JS_PAREN = 0x08         /* written in parentheses */
};

/* PIVOT */
enum {
  PS_STATEMENT = 0x01,    /* DuckDB PIVOT t ON ... USING ... form */
  PS_EXCLUDE_NULLS = 0x02 /* UNPIVOT EXCLUDE NULLS written */
};

/* DERIVED */
enum {
  DS_BARE_VALUES = 0x01   /* FROM VALUES (...) without parentheses */
};

#endif
