/* Statements. (stub: being written) */
#include "sql/parser.h"

uf_node *parse_statement(uf_parser *p) { return error_expected(p, "a statement"); }
