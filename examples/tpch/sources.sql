-- Sources of the TPC-H example: the shared sample data (pipe-delimited,
-- gzip-compressed CSV with a header row), declared in DataFusion form.
-- Locations are relative to the repository root, where `make demo` runs.

CREATE EXTERNAL TABLE lineitem (
  l_orderkey BIGINT,
  l_partkey BIGINT,
  l_suppkey BIGINT,
  l_linenumber BIGINT,
  l_quantity DOUBLE,
  l_extendedprice DOUBLE,
  l_discount DOUBLE,
  l_tax DOUBLE,
  l_returnflag VARCHAR,
  l_linestatus VARCHAR,
  l_shipdate VARCHAR,
  l_commitdate VARCHAR,
  l_receiptdate VARCHAR,
  l_shipinstruct VARCHAR,
  l_shipmode VARCHAR,
  l_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/lineitem.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE orders (
  o_orderkey BIGINT,
  o_custkey BIGINT,
  o_orderstatus VARCHAR,
  o_totalprice DOUBLE,
  o_orderdate VARCHAR,
  o_orderpriority VARCHAR,
  o_clerk VARCHAR,
  o_shippriority INT,
  o_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/orders.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE customer (
  c_custkey BIGINT,
  c_name VARCHAR,
  c_address VARCHAR,
  c_nationkey BIGINT,
  c_phone VARCHAR,
  c_acctbal DOUBLE,
  c_mktsegment VARCHAR,
  c_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/customer.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE part (
  p_partkey BIGINT,
  p_name VARCHAR,
  p_mfgr VARCHAR,
  p_brand VARCHAR,
  p_type VARCHAR,
  p_size INT,
  p_container VARCHAR,
  p_retailprice DOUBLE,
  p_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/part.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE supplier (
  s_suppkey BIGINT,
  s_name VARCHAR,
  s_address VARCHAR,
  s_nationkey BIGINT,
  s_phone VARCHAR,
  s_acctbal DOUBLE,
  s_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/supplier.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE partsupp (
  ps_partkey BIGINT,
  ps_suppkey BIGINT,
  ps_availqty INT,
  ps_supplycost DOUBLE,
  ps_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/partsupp.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE nation (
  n_nationkey BIGINT,
  n_name VARCHAR,
  n_regionkey BIGINT,
  n_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/nation.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');

CREATE EXTERNAL TABLE region (
  r_regionkey BIGINT,
  r_name VARCHAR,
  r_comment VARCHAR
)
STORED AS CSV
LOCATION '../shared/corpora/tpch/data/region.csv.gz'
OPTIONS ('format.has_header' 'true', 'format.delimiter' '|', 'format.compression' 'gzip');
