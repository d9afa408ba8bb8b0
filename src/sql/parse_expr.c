/* Expressions, names, literals and types. (stub: being written) */
#include "sql/parser.h"

uf_node *parse_expr(uf_parser *p) { return error_expected(p, "an expression"); }
uf_node *parse_expr_list(uf_parser *p) { return error_expected(p, "an expression"); }
uf_node *parse_ident(uf_parser *p) { return error_expected(p, "an identifier"); }
bool at_ident(const uf_parser *p) { (void)p; return false; }
uf_node *parse_type(uf_parser *p) { return error_expected(p, "a type"); }
uf_node *parse_window_spec(uf_parser *p) { return error_expected(p, "a window"); }
uf_node *parse_string_lit(uf_parser *p) { return error_expected(p, "a string"); }
uf_node *parse_select_item(uf_parser *p) { return error_expected(p, "an expression"); }
uf_node *string_from_token(uf_parser *p, uint32_t tok) { (void)tok; return error_expected(p, "a string"); }
uf_node *ident_from_token(uf_parser *p, uint32_t tok) { (void)tok; return error_expected(p, "an identifier"); }
