/* Queries and FROM items. (stub: being written) */
#include "sql/parser.h"

bool at_query_start(const uf_parser *p) { (void)p; return false; }
uf_node *parse_query(uf_parser *p) { return error_expected(p, "a query"); }
uf_node *parse_from_item(uf_parser *p) { return error_expected(p, "a table"); }
uf_node *parse_table_name(uf_parser *p) { return error_expected(p, "a table name"); }
uf_node *parse_order_by_list(uf_parser *p) { return error_expected(p, "ORDER BY items"); }
uf_node *parse_table_alias(uf_parser *p, bool require_as) { (void)p; (void)require_as; return NULL; }
