-- The ten customers with the highest order value, with their market
-- segment and region (DuckDB SQL: QUALIFY, window functions).
SELECT
  c.c_name AS customer,
  c.c_mktsegment AS segment,
  r.r_name AS region,
  sum(o.o_totalprice) AS total_value,
  rank() OVER (ORDER BY sum(o.o_totalprice) DESC) AS value_rank
FROM customer AS c
JOIN orders AS o ON o.o_custkey = c.c_custkey
JOIN nation AS n ON n.n_nationkey = c.c_nationkey
JOIN region AS r ON r.r_regionkey = n.n_regionkey
GROUP BY c.c_name, c.c_mktsegment, r.r_name
QUALIFY value_rank <= 10
ORDER BY value_rank, customer
