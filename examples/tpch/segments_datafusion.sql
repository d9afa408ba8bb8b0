-- An ad-hoc query written for DataFusion (Arrow type names in casts); the
-- demo transpiles it to DuckDB.
SELECT
  c_mktsegment AS segment,
  CAST(count(*) AS Int64) AS customers,
  CAST(round(avg(c_acctbal), 2) AS Float64) AS avg_balance,
  CAST(min(c_nationkey) AS Utf8) AS first_nation
FROM customer
GROUP BY c_mktsegment
ORDER BY segment
