/*
 * Expression precedence levels, shared by parse_expr.c (which binds
 * operators by them) and gen_expr.c (which adds parentheses where a child
 * binds looser than its position requires). PostgreSQL/DuckDB order,
 * loosest first.
 */
#ifndef UF_SQL_EXPR_PREC_H
#define UF_SQL_EXPR_PREC_H

enum {
  PREC_LOWEST = 0,   /* lambda, alias: never an operand */
  PREC_OR = 10,
  PREC_AND = 20,
  PREC_NOT = 30,     /* prefix NOT */
  PREC_IS = 40,      /* IS, ISNULL, NOTNULL, IS DISTINCT FROM */
  PREC_CMP = 50,     /* = <> < > <= >= */
  PREC_PRED = 60,    /* BETWEEN IN LIKE ILIKE SIMILAR GLOB */
  PREC_OTHER = 70,   /* || -> ->> @> ... any other operator */
  PREC_ADD = 80,     /* + - */
  PREC_MUL = 90,     /* * / // % */
  PREC_POW = 100,    /* ^ ** */
  PREC_AT = 105,     /* AT TIME ZONE */
  PREC_UNARY = 110,  /* prefix - + ~ @ */
  PREC_COLLATE = 120,
  PREC_CAST = 130,   /* :: */
  PREC_POSTFIX = 140,/* [ ] and . */
  PREC_ATOM = 200
};

#endif
