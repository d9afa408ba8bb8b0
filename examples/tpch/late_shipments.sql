-- Share of line items received after their commit date, per ship mode
-- (DuckDB SQL: FILTER clause, typed casts).
SELECT
  l_shipmode AS ship_mode,
  count(*) AS items,
  count(*) FILTER (WHERE CAST(l_receiptdate AS DATE) > CAST(l_commitdate AS DATE)) AS late_items,
  round(100.0 * late_items / items, 2) AS late_pct
FROM lineitem
GROUP BY l_shipmode
ORDER BY late_pct DESC, ship_mode
