/* Generator rules. (stub: being written) */
#include "sql/gen.h"

bool gen_stmt_node(uf_gen *g, const uf_node *n) { (void)g; (void)n; return false; }
