-- Revenue per nation and year from discounted line items (DuckDB SQL).
SELECT
  n.n_name AS nation,
  year(CAST(o.o_orderdate AS DATE)) AS order_year,
  sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
  count(DISTINCT o.o_orderkey) AS orders
FROM lineitem AS l
JOIN orders AS o ON o.o_orderkey = l.l_orderkey
JOIN customer AS c ON c.c_custkey = o.o_custkey
JOIN nation AS n ON n.n_nationkey = c.c_nationkey
WHERE l.l_returnflag <> 'R'
GROUP BY ALL
ORDER BY nation, order_year
