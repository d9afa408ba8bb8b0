/* Statements: every form parses to its typed node kind (the safety gate
 * relies on it), generates, re-parses to an equal AST (compact and pretty)
 * and generation is a fixed point; COPY and CREATE EXTERNAL TABLE transpile
 * between DuckDB, PostgreSQL and DataFusion; targets that cannot express a
 * construct report UF_UNSUPPORTED naming it; malformed statements report
 * UF_SYNTAX with a position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/ast.h"
#include "unifier/sql.h"
#include "../support/support.h"

/* ---- helpers ---- */

static const uf_dialect *dia(const char *name) {
  return name ? uf_dialect_by_name(name) : uf_dialect_duckdb();
}

/* ---- round trips: every statement form with its node kind ---- */

typedef struct rt_case {
  const char *dialect; /* NULL = duckdb */
  uf_kind kind;
  const char *sql;
} rt_case;

static const rt_case RT[] = {
    /* CREATE TABLE */
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INTEGER, b VARCHAR)"},
    {0, UF_CREATE_TABLE, "create table if not exists s.t (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL)"},
    {0, UF_CREATE_TABLE, "CREATE OR REPLACE TABLE t (a INT DEFAULT 0, b TEXT NULL UNIQUE)"},
    {0, UF_CREATE_TABLE, "CREATE TEMP TABLE t (a INT CHECK (a > 0))"},
    {0, UF_CREATE_TABLE, "CREATE TEMPORARY TABLE t (a INT)"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT REFERENCES u(id), b VARCHAR COLLATE nocase)"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) VIRTUAL)"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, b AS (a + 1))"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b))"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, UNIQUE (a), CHECK (a < 10))"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, b INT, FOREIGN KEY (a, b) REFERENCES u (x, y))"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT, CONSTRAINT pk PRIMARY KEY (a), CONSTRAINT c CHECK (a <> 3))"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (a INT CONSTRAINT nn NOT NULL)"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t (d DECIMAL(18, 3), ts TIMESTAMP, l INTEGER[], s STRUCT(x INT, y VARCHAR))"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (a INT REFERENCES u (id) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY (a) REFERENCES v ON DELETE NO ACTION)"},
    {0, UF_CREATE_TABLE, "CREATE TABLE t AS SELECT 1 AS a"},
    {0, UF_CREATE_TABLE, "CREATE OR REPLACE TABLE t AS SELECT * FROM u WHERE x > 1"},
    {0, UF_CREATE_TABLE, "CREATE TABLE \"Weird Name\" (\"Col\" INT)"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (a INTEGER NOT NULL DEFAULT 1, b DOUBLE PRECISION)"},
    {"datafusion", UF_CREATE_TABLE, "CREATE TABLE t (a INT, b VARCHAR)"},
    {"datafusion", UF_CREATE_TABLE, "CREATE TABLE t AS VALUES (1, 2)"},
    /* CREATE VIEW */
    {0, UF_CREATE_VIEW, "CREATE VIEW v AS SELECT a FROM t"},
    {0, UF_CREATE_VIEW, "CREATE OR REPLACE TEMP VIEW v (x, y) AS SELECT a, b FROM t"},
    {0, UF_CREATE_VIEW, "CREATE VIEW IF NOT EXISTS s.v AS SELECT 1"},
    {"postgres", UF_CREATE_VIEW, "CREATE OR REPLACE VIEW v AS SELECT 1 AS one"},
    {"datafusion", UF_CREATE_VIEW, "CREATE VIEW v AS SELECT a FROM t"},
    /* CREATE EXTERNAL TABLE (written only for DataFusion) */
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION '/data/t/'"},
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE EXTERNAL TABLE IF NOT EXISTS t (a INT, b VARCHAR) STORED AS CSV WITH HEADER ROW DELIMITER ';' LOCATION 'f.csv'"},
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE UNBOUNDED EXTERNAL TABLE s STORED AS JSON LOCATION 's.json'"},
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE EXTERNAL TABLE t STORED AS PARQUET PARTITIONED BY (year, month) LOCATION 's3://b/t/' OPTIONS ('format.pruning' 'true', 'aws.region' 'us-east-1')"},
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE EXTERNAL TABLE t (a INT) STORED AS CSV LOCATION 'x.csv' OPTIONS (format.has_header true, format.delimiter '|')"},
    {"datafusion", UF_CREATE_EXTERNAL_TABLE, "CREATE EXTERNAL TABLE t STORED AS PARQUET PARTITIONED BY (year INT) LOCATION 'p/'"},
    /* other CREATEs */
    {0, UF_CREATE_SCHEMA, "CREATE SCHEMA s"},
    {0, UF_CREATE_SCHEMA, "CREATE SCHEMA IF NOT EXISTS db.s"},
    {"postgres", UF_CREATE_SCHEMA, "CREATE SCHEMA IF NOT EXISTS analytics"},
    {"datafusion", UF_CREATE_SCHEMA, "CREATE SCHEMA s"},
    {0, UF_CREATE_SEQUENCE, "CREATE SEQUENCE seq"},
    {0, UF_CREATE_SEQUENCE, "CREATE SEQUENCE IF NOT EXISTS seq START WITH 10 INCREMENT BY 2"},
    {0, UF_CREATE_SEQUENCE, "CREATE OR REPLACE TEMP SEQUENCE seq START 1 INCREMENT 5 MINVALUE 1 MAXVALUE 100 CYCLE"},
    {0, UF_CREATE_SEQUENCE, "CREATE SEQUENCE seq INCREMENT BY -1 NO MINVALUE NO MAXVALUE NO CYCLE"},
    {0, UF_CREATE_MACRO, "CREATE MACRO add(a, b) AS a + b"},
    {0, UF_CREATE_MACRO, "CREATE OR REPLACE MACRO add_default(a, b := 5) AS a + b"},
    {0, UF_CREATE_MACRO, "CREATE TEMP MACRO one() AS 1"},
    {0, UF_CREATE_MACRO, "CREATE MACRO tbl(n) AS TABLE SELECT * FROM range(n)"},
    {0, UF_CREATE_MACRO, "CREATE FUNCTION f(x) AS x * 2"},
    {0, UF_CREATE_INDEX, "CREATE INDEX idx ON t (a)"},
    {0, UF_CREATE_INDEX, "CREATE UNIQUE INDEX IF NOT EXISTS idx ON s.t (a, b)"},
    {"postgres", UF_CREATE_INDEX, "CREATE INDEX ON t (lower(a))"},
    {0, UF_CREATE_TYPE, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')"},
    {0, UF_CREATE_TYPE, "CREATE TYPE pt AS STRUCT(x DOUBLE, y DOUBLE)"},
    {0, UF_CREATE_TYPE, "CREATE TYPE id_t AS BIGINT"},
    /* INSERT */
    {0, UF_INSERT, "INSERT INTO t VALUES (1, 'a'), (2, 'b')"},
    {0, UF_INSERT, "INSERT INTO t (a, b) VALUES (1, DEFAULT)"},
    {0, UF_INSERT, "INSERT INTO s.t SELECT * FROM u"},
    {0, UF_INSERT, "INSERT INTO t (SELECT 1)"},
    {0, UF_INSERT, "INSERT OR REPLACE INTO t VALUES (1)"},
    {0, UF_INSERT, "INSERT OR IGNORE INTO t VALUES (1)"},
    {0, UF_INSERT, "INSERT INTO t BY NAME SELECT 1 AS a"},
    {0, UF_INSERT, "INSERT INTO t BY POSITION SELECT 1"},
    {0, UF_INSERT, "INSERT INTO t DEFAULT VALUES"},
    {0, UF_INSERT, "INSERT INTO t AS x (a) VALUES (1) ON CONFLICT DO NOTHING"},
    {0, UF_INSERT, "INSERT INTO t VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b"},
    {0, UF_INSERT, "INSERT INTO t VALUES (1, 2) ON CONFLICT (a) WHERE a > 0 DO UPDATE SET b = 3, c = DEFAULT WHERE t.b < 3"},
    {0, UF_INSERT, "INSERT INTO t VALUES (1) RETURNING *"},
    {0, UF_INSERT, "INSERT INTO t VALUES (1) RETURNING a, b AS bee"},
    {0, UF_INSERT, "WITH x AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM x"},
    {0, UF_INSERT, "WITH RECURSIVE x(n) AS (SELECT 1) INSERT INTO t SELECT n FROM x"},
    {"postgres", UF_INSERT, "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO NOTHING RETURNING id"},
    {"datafusion", UF_INSERT, "INSERT INTO t VALUES (1, 2)"},
    {"datafusion", UF_INSERT, "INSERT OVERWRITE t SELECT * FROM u"},
    {"datafusion", UF_INSERT, "INSERT OVERWRITE TABLE t SELECT * FROM u"},
    /* UPDATE / DELETE / TRUNCATE */
    {0, UF_UPDATE, "UPDATE t SET a = 1"},
    {0, UF_UPDATE, "UPDATE t AS x SET a = x.a + 1, b = DEFAULT WHERE x.id = 3"},
    {0, UF_UPDATE, "UPDATE t SET (a, b) = (1, 2) WHERE id = 1"},
    {0, UF_UPDATE, "UPDATE t SET a = u.a FROM u WHERE t.id = u.id RETURNING t.*"},
    {0, UF_UPDATE, "WITH s AS (SELECT 1 AS id) UPDATE t SET a = 0 FROM s WHERE t.id = s.id"},
    {"postgres", UF_UPDATE, "UPDATE t x SET a = 1 WHERE x.b IS NULL"},
    {0, UF_DELETE, "DELETE FROM t"},
    {0, UF_DELETE, "DELETE FROM t WHERE a = 1 RETURNING a"},
    {0, UF_DELETE, "DELETE FROM t AS x USING u WHERE x.id = u.id"},
    {0, UF_DELETE, "WITH d AS (SELECT 1 AS id) DELETE FROM t WHERE id IN (SELECT id FROM d)"},
    {"datafusion", UF_DELETE, "DELETE FROM t WHERE a > 1"},
    {0, UF_TRUNCATE, "TRUNCATE t"},
    {0, UF_TRUNCATE, "TRUNCATE TABLE s.t"},
    /* DROP */
    {0, UF_DROP, "DROP TABLE t"},
    {0, UF_DROP, "DROP TABLE IF EXISTS a, s.b CASCADE"},
    {0, UF_DROP, "DROP VIEW IF EXISTS v RESTRICT"},
    {0, UF_DROP, "DROP SCHEMA s CASCADE"},
    {0, UF_DROP, "DROP SEQUENCE IF EXISTS seq"},
    {0, UF_DROP, "DROP MACRO m"},
    {0, UF_DROP, "DROP MACRO TABLE tm"},
    {0, UF_DROP, "DROP FUNCTION f"},
    {0, UF_DROP, "DROP INDEX IF EXISTS idx"},
    {0, UF_DROP, "DROP TYPE mood"},
    {0, UF_DROP, "DROP SECRET IF EXISTS s3_secret"},
    {0, UF_DROP, "DROP PERSISTENT SECRET s"},
    {0, UF_CREATE_SECRET, "CREATE SECRET s3sec (TYPE S3, KEY_ID 'AKIA', SECRET 'xyz', REGION 'us-east-1', SCOPE 's3://bucket/p')"},
    {0, UF_CREATE_SECRET, "CREATE OR REPLACE PERSISTENT SECRET IF NOT EXISTS (TYPE http, BEARER_TOKEN 'tok')"},
    {0, UF_CREATE_SECRET, "create temporary secret x (type gcs, use_ssl false, endpoint 'localhost:9000')"},
    {"datafusion", UF_DROP, "DROP TABLE IF EXISTS t"},
    /* ALTER */
    {0, UF_ALTER_TABLE, "ALTER TABLE t ADD COLUMN c INTEGER"},
    {0, UF_ALTER_TABLE, "ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c VARCHAR DEFAULT 'x'"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ADD c INT"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t DROP COLUMN c"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t DROP COLUMN IF EXISTS c CASCADE"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t DROP c"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t RENAME COLUMN a TO b"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t RENAME a TO b"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t RENAME TO u"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER COLUMN a TYPE BIGINT"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER a SET DATA TYPE VARCHAR USING a::VARCHAR"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER COLUMN a SET DEFAULT 10"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER COLUMN a DROP DEFAULT"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER COLUMN a SET NOT NULL"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ALTER COLUMN a DROP NOT NULL"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ADD PRIMARY KEY (a)"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ADD CONSTRAINT u1 UNIQUE (a, b)"},
    {0, UF_ALTER_TABLE, "ALTER TABLE t ADD COLUMN x INT, DROP COLUMN y"},
    {0, UF_ALTER_TABLE, "ALTER VIEW v RENAME TO w"},
    /* COPY */
    {0, UF_COPY, "COPY t FROM 'data.csv'"},
    {0, UF_COPY, "COPY t (a, b) FROM 'data.csv' (FORMAT csv, HEADER, DELIMITER '|')"},
    {0, UF_COPY, "COPY t TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd)"},
    {0, UF_COPY, "COPY t TO 'out' (FORMAT parquet, PARTITION_BY (a, b), OVERWRITE_OR_IGNORE)"},
    {0, UF_COPY, "COPY t TO 'out' (FORMAT 'parquet', PARTITION_BY a, ROW_GROUP_SIZE 100000)"},
    {0, UF_COPY, "COPY (SELECT a, b FROM t WHERE a > 1) TO 'q.csv' (HEADER false, DELIMITER ',')"},
    {0, UF_COPY, "COPY t FROM 'x.csv' WITH (FORMAT csv, HEADER true)"},
    {0, UF_COPY, "COPY t TO 'x.json' (FORMAT json, FORCE_QUOTE *)"},
    {"postgres", UF_COPY, "COPY t TO 'f.csv' WITH (FORMAT csv, HEADER true)"},
    {"postgres", UF_COPY, "COPY t FROM '/tmp/f.csv' CSV HEADER"},
    {"postgres", UF_COPY, "COPY t FROM '/tmp/f.txt' WITH DELIMITER AS '|' NULL AS ''"},
    {"postgres", UF_COPY, "COPY t TO STDOUT WITH (FORMAT csv)"},
    {"postgres", UF_COPY, "COPY t FROM STDIN"},
    {"datafusion", UF_COPY, "COPY t TO 'out/' STORED AS PARQUET"},
    {"datafusion", UF_COPY, "COPY (SELECT * FROM t) TO 'out/' STORED AS PARQUET PARTITIONED BY (a) OPTIONS ('compression' 'zstd(1)', format.max_row_group_size 1000)"},
    {"datafusion", UF_COPY, "COPY t TO 'o.csv' STORED AS CSV OPTIONS ('format.has_header' 'true', 'format.delimiter' ';')"},
    /* SET / RESET / PRAGMA */
    {0, UF_SET, "SET threads = 4"},
    {0, UF_SET, "SET memory_limit TO '1GB'"},
    {0, UF_SET, "SET SESSION default_null_order = 'nulls_first'"},
    {0, UF_SET, "SET GLOBAL enable_progress_bar = false"},
    {0, UF_SET, "SET LOCAL x = 1"},
    {0, UF_SET, "SET VARIABLE my_var = 30 + 12"},
    {0, UF_SET, "SET search_path = 'main,other'"},
    {"postgres", UF_SET, "SET search_path TO my_schema, public"},
    {"postgres", UF_SET, "SET enable_seqscan = off"},
    {"postgres", UF_SET, "SET work_mem TO DEFAULT"},
    {"datafusion", UF_SET, "SET datafusion.execution.batch_size = 1024"},
    {"datafusion", UF_SET, "SET datafusion.execution.parquet.pushdown_filters = true"},
    {0, UF_RESET, "RESET threads"},
    {0, UF_RESET, "RESET SESSION memory_limit"},
    {0, UF_RESET, "RESET ALL"},
    {0, UF_PRAGMA, "PRAGMA version"},
    {0, UF_PRAGMA, "PRAGMA table_info('t')"},
    {0, UF_PRAGMA, "PRAGMA threads = 4"},
    {0, UF_PRAGMA, "PRAGMA show_tables()"},
    /* ATTACH / DETACH / USE / extensions */
    {0, UF_ATTACH, "ATTACH 'file.db'"},
    {0, UF_ATTACH, "ATTACH DATABASE IF NOT EXISTS 'file.db' AS f (READ_ONLY)"},
    {0, UF_ATTACH, "ATTACH 'sqlite.db' AS s (TYPE sqlite, READ_ONLY)"},
    {0, UF_DETACH, "DETACH f"},
    {0, UF_DETACH, "DETACH DATABASE IF EXISTS f"},
    {0, UF_USE, "USE f"},
    {0, UF_USE, "USE f.main"},
    {0, UF_INSTALL, "INSTALL httpfs"},
    {0, UF_INSTALL, "FORCE INSTALL spatial FROM core_nightly"},
    {0, UF_INSTALL, "INSTALL 'ext.duckdb_extension' FROM 'http://example.com/repo'"},
    {0, UF_LOAD, "LOAD httpfs"},
    {0, UF_LOAD, "LOAD '/path/ext.duckdb_extension'"},
    {0, UF_CALL, "CALL pragma_version()"},
    {0, UF_CALL, "CALL dsdgen(sf := 1)"},
    /* EXPLAIN / DESCRIBE / SHOW / SUMMARIZE */
    {0, UF_EXPLAIN, "EXPLAIN SELECT 1"},
    {0, UF_EXPLAIN, "EXPLAIN ANALYZE SELECT a FROM t WHERE b = 2"},
    {0, UF_EXPLAIN, "EXPLAIN INSERT INTO t VALUES (1)"},
    {"datafusion", UF_EXPLAIN, "EXPLAIN SELECT 1"},
    {0, UF_DESCRIBE, "DESCRIBE t"},
    {0, UF_DESCRIBE, "DESCRIBE SELECT a FROM t"},
    {0, UF_DESCRIBE, "SUMMARIZE t"},
    {0, UF_DESCRIBE, "SUMMARIZE SELECT * FROM t"},
    {0, UF_SHOW, "SHOW TABLES"},
    {0, UF_SHOW, "SHOW ALL TABLES"},
    {0, UF_SHOW, "SHOW DATABASES"},
    {0, UF_SHOW, "SHOW t"},
    {"postgres", UF_SHOW, "SHOW search_path"},
    {"datafusion", UF_SHOW, "SHOW COLUMNS FROM t"},
    {"datafusion", UF_SHOW, "SHOW ALL"},
    /* transactions */
    {0, UF_TRANSACTION, "BEGIN"},
    {0, UF_TRANSACTION, "BEGIN TRANSACTION"},
    {0, UF_TRANSACTION, "START TRANSACTION"},
    {0, UF_TRANSACTION, "COMMIT"},
    {0, UF_TRANSACTION, "END"},
    {0, UF_TRANSACTION, "ROLLBACK"},
    {0, UF_TRANSACTION, "ABORT"},
    {"postgres", UF_TRANSACTION, "COMMIT WORK"},
    /* database utilities */
    {0, UF_EXPORT_DATABASE, "EXPORT DATABASE 'target_dir'"},
    {0, UF_EXPORT_DATABASE, "EXPORT DATABASE 'target_dir' (FORMAT parquet, COMPRESSION zstd)"},
    {0, UF_EXPORT_DATABASE, "EXPORT DATABASE db TO 'dir' (FORMAT csv)"},
    {0, UF_IMPORT_DATABASE, "IMPORT DATABASE 'source_dir'"},
    {0, UF_CHECKPOINT, "CHECKPOINT"},
    {0, UF_CHECKPOINT, "CHECKPOINT file_db"},
    {0, UF_CHECKPOINT, "FORCE CHECKPOINT"},
    {0, UF_VACUUM, "VACUUM"},
    {0, UF_VACUUM, "VACUUM ANALYZE t"},
    {0, UF_VACUUM, "VACUUM ANALYZE t (a, b)"},
    {0, UF_COMMENT_ON, "COMMENT ON TABLE t IS 'the t table'"},
    {0, UF_COMMENT_ON, "COMMENT ON COLUMN t.a IS 'the a column'"},
    {0, UF_COMMENT_ON, "COMMENT ON VIEW s.v IS NULL"},
    /* prepared statements */
    {0, UF_PREPARE, "PREPARE q AS SELECT * FROM t WHERE a = $1"},
    {0, UF_PREPARE, "PREPARE ins AS INSERT INTO t VALUES (?, ?)"},
    {0, UF_EXECUTE, "EXECUTE q(42)"},
    {0, UF_EXECUTE, "EXECUTE q"},
    {0, UF_DEALLOCATE, "DEALLOCATE q"},
    {0, UF_DEALLOCATE, "DEALLOCATE PREPARE q"},
    /* PostgreSQL: identity columns, constraint attributes, table options */
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (x INT GENERATED BY DEFAULT AS IDENTITY)"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (x BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 1 MINVALUE -1 MAXVALUE 1 NO CYCLE))"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (x INT GENERATED ALWAYS AS IDENTITY (CYCLE) PRIMARY KEY)"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (a INT REFERENCES b (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, c INT UNIQUE NOT DEFERRABLE)"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (a INT, PRIMARY KEY (a) DEFERRABLE INITIALLY IMMEDIATE)"},
    {"postgres", UF_ALTER_TABLE, "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES e (fid) DEFERRABLE INITIALLY DEFERRED"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t (a INT) WITH (fillfactor = 70, autovacuum_enabled)"},
    {"postgres", UF_CREATE_TABLE, "CREATE TEMP TABLE t (a INT) ON COMMIT DELETE ROWS"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t WITH (format = 'parquet') AS SELECT 1"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t AS SELECT a FROM b WITH NO DATA"},
    {"postgres", UF_CREATE_TABLE, "CREATE TABLE t AS SELECT a FROM b WITH DATA"},
    {"postgres", UF_CREATE_VIEW, "CREATE MATERIALIZED VIEW x.y.z AS SELECT a FROM b"},
    {"postgres", UF_DROP, "DROP MATERIALIZED VIEW IF EXISTS v CASCADE"},
    {"postgres", UF_CREATE_SCHEMA, "CREATE DATABASE x"},
    {"postgres", UF_DROP, "DROP DATABASE x"},
    {"postgres", UF_DROP, "DROP FUNCTION a.b.c(INT, x DOUBLE PRECISION), f()"},
    {"postgres", UF_DROP, "DROP PROCEDURE p(TIMESTAMP WITH TIME ZONE) RESTRICT"},
    {"postgres", UF_COMMENT_ON, "COMMENT ON PROCEDURE my_proc(integer, integer) IS 'Runs a report'"},
    /* savepoints */
    {"postgres", UF_TRANSACTION, "SAVEPOINT s1"},
    {"postgres", UF_TRANSACTION, "RELEASE SAVEPOINT s1"},
    {"postgres", UF_TRANSACTION, "RELEASE s1"},
    {"postgres", UF_TRANSACTION, "ROLLBACK TO s1"},
    {"postgres", UF_TRANSACTION, "ROLLBACK WORK TO SAVEPOINT s1"},
    /* privileges and statistics */
    {"postgres", UF_GRANT, "GRANT SELECT ON nation TO alice WITH GRANT OPTION"},
    {"postgres", UF_GRANT, "GRANT SELECT, INSERT ON TABLE t, s.u TO \"role\", PUBLIC"},
    {"postgres", UF_GRANT, "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA s TO bob"},
    {"postgres", UF_GRANT, "GRANT EXECUTE ON FUNCTION f(INT) TO CURRENT_USER"},
    {"postgres", UF_GRANT, "REVOKE GRANT OPTION FOR SELECT ON nation FROM alice"},
    {"postgres", UF_GRANT, "REVOKE DELETE ON SCHEMA finance FROM bob CASCADE"},
    {"postgres", UF_ANALYZE, "ANALYZE"},
    {"postgres", UF_ANALYZE, "ANALYZE \"verbose\""},
    {"postgres", UF_ANALYZE, "ANALYZE s.t (a, b)"},
    {"postgres", UF_CREATE_INDEX, "CREATE INDEX abc ON t(a NULLS LAST, b DESC, c ASC NULLS FIRST)"},
    {"postgres", UF_CREATE_INDEX, "CREATE INDEX pointloc ON points USING gist(BOX(location, location))"},
};

static void test_roundtrip(void **state) {
  (void)state;
  size_t n = sizeof RT / sizeof RT[0], bad = 0;
  for (size_t i = 0; i < n; i++) {
    const uf_dialect *d = dia(RT[i].dialect);
    uf_error err;
    uf_tree *t = ut_parse(RT[i].sql, d, &err);
    if (!t) {
      print_error("input: %s\nparse failed: %s (%u:%u)\n", RT[i].sql,
                  err.message, err.line, err.column);
      bad++;
      continue;
    }
    const uf_node *root = uf_tree_root(t);
    if (root->kind != (uint16_t)RT[i].kind) {
      print_error("input: %s\nkind %s, expected %s\n", RT[i].sql,
                  uf_kind_name((uf_kind)root->kind), uf_kind_name(RT[i].kind));
      bad++;
    } else if (uf_kind_category(RT[i].kind) != UF_CAT_STMT) {
      print_error("input: %s\nkind %s is not a statement kind\n", RT[i].sql,
                  uf_kind_name(RT[i].kind));
      bad++;
    } else if (!ut_regenerates(RT[i].sql, root, d, UT_STMT, false, NULL) ||
               !ut_regenerates(RT[i].sql, root, d, UT_STMT, true, NULL)) {
      bad++;
    }
    uf_tree_free(t);
  }
  if (bad) print_error("%zu of %zu statements failed\n", bad, n);
  assert_true(n >= 120);
  assert_int_equal(bad, 0);
}

/* ---- exact output ---- */

typedef struct out_case {
  const char *from, *to; /* dialects (NULL = duckdb) */
  const char *sql, *want;
  bool pretty;
} out_case;

static const out_case OUT[] = {
    /* DataFusion COPY -> DuckDB and back */
    {"datafusion", "duckdb",
     "COPY t TO 'out/' STORED AS PARQUET PARTITIONED BY (a, b) OPTIONS ('format.compression' 'zstd', format.max_row_group_size 1000)",
     "COPY t TO 'out/' (FORMAT PARQUET, PARTITION_BY (a, b), COMPRESSION 'zstd', ROW_GROUP_SIZE 1000)", false},
    {"duckdb", "datafusion",
     "COPY t TO 'out/' (FORMAT parquet, PARTITION_BY (a, b), COMPRESSION 'zstd', ROW_GROUP_SIZE 1000)",
     "COPY t TO 'out/' STORED AS PARQUET PARTITIONED BY (a, b) OPTIONS ('format.compression' 'zstd', 'format.max_row_group_size' 1000)", false},
    {"datafusion", "duckdb",
     "COPY (SELECT a FROM t) TO 'o.csv' STORED AS CSV OPTIONS ('format.has_header' 'true', 'delimiter' '|')",
     "COPY (SELECT a FROM t) TO 'o.csv' (FORMAT CSV, HEADER 'true', DELIMITER '|')", false},
    {"duckdb", "datafusion", "COPY t TO 'o.csv' (FORMAT csv, HEADER, DELIMITER '|')",
     "COPY t TO 'o.csv' STORED AS CSV OPTIONS ('format.has_header' 'true', 'format.delimiter' '|')", false},
    /* PostgreSQL COPY -> DuckDB */
    {"postgres", "duckdb", "COPY t TO 'f' WITH (FORMAT csv, HEADER true)",
     "COPY t TO 'f' (FORMAT CSV, HEADER TRUE)", false},
    {"postgres", "duckdb", "COPY t FROM 'f.csv' CSV HEADER DELIMITER ';'",
     "COPY t FROM 'f.csv' (FORMAT CSV, HEADER, DELIMITER ';')", false},
    {"duckdb", "postgres", "COPY t TO 'f.csv' (FORMAT csv, HEADER)",
     "COPY t TO 'f.csv' WITH (FORMAT CSV, HEADER)", false},
    {"postgres", "postgres", "COPY t FROM 'f.csv' WITH CSV HEADER",
     "COPY t FROM 'f.csv' CSV HEADER", false},
    /* CREATE EXTERNAL TABLE in DataFusion */
    {"datafusion", "datafusion",
     "create external table t stored as parquet location '/data/t/'",
     "CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION '/data/t/'", false},
    {"duckdb", "datafusion",
     "CREATE EXTERNAL TABLE t (a INT) STORED AS CSV WITH HEADER ROW LOCATION 'x.csv' OPTIONS ('format.delimiter' ';')",
     "CREATE EXTERNAL TABLE t (a INT) STORED AS CSV WITH HEADER ROW LOCATION 'x.csv' OPTIONS ('format.delimiter' ';')", false},
    /* canonical spellings */
    {0, 0, "insert into t values (1)", "INSERT INTO t VALUES (1)", false},
    {0, 0, "create sequence s start 1 increment 2", "CREATE SEQUENCE s START WITH 1 INCREMENT BY 2", false},
    {0, 0, "set threads to 4", "SET threads TO 4", false},
    {0, 0, "end transaction", "END", false},
    /* pretty layout */
    {0, 0, "CREATE TABLE t (a INT NOT NULL, b VARCHAR, PRIMARY KEY (a))",
     "CREATE TABLE t (\n  a INT NOT NULL,\n  b VARCHAR,\n  PRIMARY KEY (a)\n)", true},
    {0, 0, "CREATE VIEW v AS SELECT 1", "CREATE VIEW v AS\nSELECT\n  1", true},
};

static void test_output(void **state) {
  (void)state;
  size_t bad = 0, n = sizeof OUT / sizeof OUT[0];
  for (size_t i = 0; i < n; i++) {
    uf_error err;
    uf_tree *t = ut_parse(OUT[i].sql, dia(OUT[i].from), &err);
    if (!t) {
      print_error("input: %s\nparse failed: %s\n", OUT[i].sql, err.message);
      bad++;
      continue;
    }
    char *out = ut_gen(uf_tree_root(t), dia(OUT[i].to), OUT[i].pretty, &err);
    if (!out || strcmp(out, OUT[i].want) != 0) {
      print_error("input: %s\ngot:  %s\nwant: %s\n", OUT[i].sql,
                  out ? out : err.message, OUT[i].want);
      bad++;
    }
    /* the target dialect reads its own output back */
    uf_tree *t2 = out ? ut_parse(out, dia(OUT[i].to), &err) : NULL;
    if (out && !t2) {
      print_error("output does not parse: %s\n%s\n", out, err.message);
      bad++;
    }
    uf_tree_free(t2);
    uf_free(out);
    uf_tree_free(t);
  }
  assert_int_equal(bad, 0);
}

/* DataFusion and DuckDB COPY forms of the same copy are the same AST. */
static void test_copy_forms_equal(void **state) {
  (void)state;
  static const char *const pairs[][4] = {
      {"datafusion", "COPY t TO 'o/' STORED AS PARQUET PARTITIONED BY (a) OPTIONS ('format.compression' 'zstd')",
       "duckdb", "COPY t TO 'o/' (FORMAT parquet, PARTITION_BY (a), COMPRESSION 'zstd')"},
      {"postgres", "COPY t TO 'f' WITH (FORMAT csv, HEADER true)",
       "duckdb", "COPY t TO 'f' (FORMAT 'CSV', HEADER true)"},
      {"postgres", "COPY t FROM 'f' CSV HEADER", "duckdb", "COPY t FROM 'f' (FORMAT csv, HEADER)"},
      {"datafusion", "COPY t TO 'f' STORED AS CSV OPTIONS (format.has_header 'x')",
       "duckdb", "COPY t TO 'f' (FORMAT CSV, HEADER 'x')"},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    uf_error err;
    uf_tree *a = ut_parse(pairs[i][1], dia(pairs[i][0]), &err);
    uf_tree *b = ut_parse(pairs[i][3], dia(pairs[i][2]), &err);
    bool ok = a && b && uf_node_equal(uf_tree_root(a), uf_tree_root(b), false);
    if (!ok) print_error("not equal:\n%s\n%s\n", pairs[i][1], pairs[i][3]);
    uf_tree_free(a);
    uf_tree_free(b);
    assert_true(ok);
  }
}

/* ---- unsupported targets ---- */

typedef struct unsup_case {
  const char *from, *to, *sql, *construct;
} unsup_case;

static const unsup_case UNSUP[] = {
    {"datafusion", "duckdb", "CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION 'x'", "CREATE EXTERNAL TABLE"},
    {"duckdb", "postgres", "CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION 'x'", "CREATE EXTERNAL TABLE"},
    {"duckdb", "postgres", "COPY t TO 'x.parquet' (FORMAT parquet)", "COPY FORMAT PARQUET"},
    {"duckdb", "postgres", "COPY t TO 'x' (FORMAT csv, PARTITION_BY (a))", "COPY PARTITION_BY"},
    {"duckdb", "datafusion", "COPY t FROM 'x.csv'", "COPY FROM"},
    {"duckdb", "datafusion", "COPY t (a) TO 'x.csv'", "COPY column list"},
    {"duckdb", "datafusion", "COPY t TO 'x' (FORMAT json, FORCE_QUOTE (a, b))", "option FORCE_QUOTE"},
    {"datafusion", "duckdb", "COPY t TO 'x' STORED AS PARQUET OPTIONS ('aws.region' 'eu')", "option 'AWS.REGION'"},
    {"datafusion", "duckdb", "INSERT OVERWRITE t SELECT 1", "INSERT OVERWRITE"},
    {"postgres", "duckdb", "COPY t TO STDOUT", "COPY STDIN/STDOUT"},
    {"duckdb", "postgres", "PRAGMA version", "PRAGMA"},
    {"duckdb", "postgres", "CREATE SECRET s (TYPE S3, KEY_ID 'k')", "CREATE SECRET"},
    {"duckdb", "datafusion", "CREATE SECRET s (TYPE S3, KEY_ID 'k')", "CREATE SECRET"},
    {"duckdb", "datafusion", "ATTACH 'x.db'", "ATTACH"},
    {"duckdb", "postgres", "INSTALL httpfs", "INSTALL"},
    {"duckdb", "datafusion", "LOAD httpfs", "LOAD"},
    {"duckdb", "postgres", "CREATE MACRO m(a) AS a", "CREATE MACRO"},
    {"duckdb", "postgres", "INSERT OR REPLACE INTO t VALUES (1)", "INSERT OR REPLACE"},
    {"duckdb", "postgres", "INSERT INTO t BY NAME SELECT 1 AS a", "INSERT BY NAME"},
    {"duckdb", "datafusion", "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", "ON CONFLICT"},
    {"duckdb", "datafusion", "DELETE FROM t RETURNING *", "RETURNING"},
    {"duckdb", "postgres", "SUMMARIZE t", "SUMMARIZE"},
    {"duckdb", "postgres", "DESCRIBE t", "DESCRIBE"},
    {"duckdb", "postgres", "SHOW TABLES", "SHOW TABLES"},
    {"duckdb", "datafusion", "ALTER TABLE t ADD COLUMN c INT", "ALTER TABLE"},
    {"duckdb", "datafusion", "CREATE SEQUENCE s", "CREATE SEQUENCE"},
    {"duckdb", "postgres", "SET VARIABLE x = 1", "SET VARIABLE"},
    {"duckdb", "postgres", "EXPORT DATABASE 'd'", "EXPORT DATABASE"},
    {"duckdb", "datafusion", "VACUUM", "VACUUM"},
    {"duckdb", "datafusion", "COMMENT ON TABLE t IS 'x'", "COMMENT ON"},
    {"duckdb", "postgres", "CREATE OR REPLACE TABLE t (a INT)", "CREATE OR REPLACE TABLE"},
    {"duckdb", "postgres", "CREATE TABLE t (a INT, b AS (a + 1))", "GENERATED VIRTUAL"},
    {"duckdb", "duckdb", "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a) STORED)", "GENERATED STORED"},
    {"duckdb", "datafusion", "TRUNCATE t", "TRUNCATE"},
    {"duckdb", "postgres", "DROP MACRO m", "DROP MACRO"},
    {"duckdb", "postgres", "FORCE CHECKPOINT", "FORCE CHECKPOINT"},
    {"duckdb", "datafusion", "UPDATE t SET a = 1 FROM u", "UPDATE FROM"},
};

static void test_unsupported(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof UNSUP / sizeof UNSUP[0]; i++) {
    const unsup_case *c = &UNSUP[i];
    uf_error err;
    uf_tree *t = ut_parse(c->sql, dia(c->from), &err);
    if (!t) {
      print_error("input: %s\nparse failed: %s\n", c->sql, err.message);
      bad++;
      continue;
    }
    uf_gen_options go;
    memset(&go, 0, sizeof go);
    go.dialect = dia(c->to);
    char *out = NULL;
    uf_status st = uf_generate(uf_tree_root(t), &go, &out, NULL, &err);
    if (st != UF_UNSUPPORTED || !strstr(err.message, c->construct) ||
        !strstr(err.message, c->to)) {
      print_error("input: %s (to %s)\nstatus %s, message '%s', want UNSUPPORTED naming '%s'\n",
                  c->sql, c->to, uf_status_name(st), st ? err.message : out,
                  c->construct);
      bad++;
    }
    uf_free(out);
    uf_tree_free(t);
  }
  assert_int_equal(bad, 0);
}

/* ---- syntax errors ---- */

typedef struct err_case {
  const char *sql;
  uint32_t line, col;
} err_case;

static const err_case ERRS[] = {
    {"FROBNICATE t", 1, 1},
    {"CREATE TABLE", 1, 13},
    {"CREATE TABLE t", 1, 15},
    {"CREATE TABLE t (a INT,)", 1, 23},
    {"CREATE WIDGET w", 1, 8},
    {"CREATE UNBOUNDED TABLE t (a INT)", 1, 18},
    {"CREATE EXTERNAL TABLE t LOCATION 'x'", 1, 37},
    {"CREATE EXTERNAL TABLE t STORED AS CSV", 1, 38},
    {"INSERT t VALUES (1)", 1, 8},
    {"INSERT INTO t", 1, 14},
    {"UPDATE t WHERE a = 1", 1, 10},
    {"DELETE t", 1, 8},
    {"DROP WIDGET w", 1, 6},
    {"DROP TABLE", 1, 11},
    {"ALTER TABLE t FROB c", 1, 15},
    {"ALTER VIEW v ADD COLUMN c INT", 1, 1},
    {"COPY t 'file'", 1, 8},
    {"COPY t TO 'f' (FORMAT csv", 1, 26},
    {"COPY t TO 'f' STORED PARQUET", 1, 15},
    {"COPY t TO STDIN", 1, 11},
    {"SET x", 1, 6},
    {"PRAGMA", 1, 7},
    {"ATTACH", 1, 7},
    {"EXPLAIN", 1, 8},
    {"CALL 1 + 2", 1, 6},
    {"COMMENT ON TABLE t 'x'", 1, 20},
    {"WITH x AS (SELECT 1) DELETE t", 1, 29},
    {"CREATE SEQUENCE s START WITH", 1, 29},
    {"SELECT 1;\nCREATE TABLE t (a INT", 2, 22},
};

static void test_syntax_errors(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof ERRS / sizeof ERRS[0]; i++) {
    uf_error err;
    uf_tree *t = NULL;
    uf_status st = uf_parse(ERRS[i].sql, strlen(ERRS[i].sql), NULL, &t, &err);
    if (st != UF_SYNTAX || err.line != ERRS[i].line || err.column != ERRS[i].col) {
      print_error("input: %s\nstatus %s at %u:%u (%s), want SYNTAX at %u:%u\n",
                  ERRS[i].sql, uf_status_name(st), err.line, err.column,
                  err.message, ERRS[i].line, ERRS[i].col);
      bad++;
    }
    uf_tree_free(t);
  }
  assert_int_equal(bad, 0);
}

/* ---- AST shapes the later stages rely on ---- */


static void test_shapes(void **state) {
  (void)state;
  uf_tree *t = ut_parse_must(
      "COPY (SELECT 1) TO 'o/' STORED AS PARQUET PARTITIONED BY (a, b) OPTIONS ('format.compression' 'zstd')", dia("datafusion"));
  const uf_node *n = uf_tree_root(t);
  assert_string_equal(n->text, "TO");
  assert_int_equal(n->style, 2);
  assert_string_equal(uf_get(n, UF_SLOT_FORMAT)->text, "PARQUET");
  assert_int_equal(uf_get(n, UF_SLOT_PARTITIONED_BY)->nkids, 2);
  const uf_node *prop = uf_get(n, UF_SLOT_OPTIONS)->kids[0];
  assert_string_equal(uf_get(prop, UF_SLOT_KEY)->text, "COMPRESSION");
  assert_string_equal(uf_get(prop, UF_SLOT_VALUE)->text, "zstd");
  assert_int_equal(uf_kind_category((uf_kind)uf_get(n, UF_SLOT_THIS)->kind), UF_CAT_QUERY);
  uf_tree_free(t);

  t = ut_parse_must("CREATE EXTERNAL TABLE IF NOT EXISTS s.t (a INT) STORED AS CSV WITH HEADER ROW LOCATION 'f.csv'", dia(NULL));
  n = uf_tree_root(t);
  assert_true(n->flags & UF_F_IF_NOT_EXISTS);
  assert_true(n->flags & UF_F_WITH_HEADER);
  assert_string_equal(uf_get(n, UF_SLOT_FORMAT)->text, "CSV");
  assert_string_equal(uf_get(n, UF_SLOT_LOCATION)->text, "f.csv");
  assert_int_equal(uf_get(n, UF_SLOT_COLUMNS)->kids[0]->kind, UF_COLUMN_DEF);
  uf_tree_free(t);

  t = ut_parse_must("INSERT OR REPLACE INTO t (a) SELECT 1 ON CONFLICT (a) DO UPDATE SET a = 2", dia(NULL));
  n = uf_tree_root(t);
  assert_true(n->flags & UF_F_OR_REPLACE);
  assert_int_equal(uf_get(n, UF_SLOT_CONFLICT)->kind, UF_ON_CONFLICT);
  assert_string_equal(uf_get(n, UF_SLOT_CONFLICT)->text, "UPDATE");
  assert_int_equal(uf_get(uf_get(n, UF_SLOT_CONFLICT), UF_SLOT_SET)->kids[0]->kind, UF_SET_ITEM);
  uf_tree_free(t);

  t = ut_parse_must("WITH x AS (SELECT 1) DELETE FROM t", dia(NULL));
  assert_int_equal(uf_get(uf_tree_root(t), UF_SLOT_WITH)->kind, UF_WITH);
  uf_tree_free(t);

  /* WITH before DML builds the same WITH subtree a query gets */
  t = ut_parse_must("WITH RECURSIVE x(a, b) AS MATERIALIZED (SELECT 1, 2), y AS (SELECT 3) SELECT * FROM x", dia(NULL));
  uf_tree *t2 = ut_parse_must("WITH RECURSIVE x(a, b) AS MATERIALIZED (SELECT 1, 2), y AS (SELECT 3) INSERT INTO t SELECT * FROM x", dia(NULL));
  assert_true(uf_node_equal(uf_get(uf_tree_root(t), UF_SLOT_WITH),
                            uf_get(uf_tree_root(t2), UF_SLOT_WITH), false));
  uf_tree_free(t2);
  uf_tree_free(t);

  t = ut_parse_must("DROP TABLE IF EXISTS a, b CASCADE", dia(NULL));
  n = uf_tree_root(t);
  assert_string_equal(n->text, "TABLE");
  assert_true(n->flags & UF_F_IF_EXISTS);
  assert_true(n->flags & UF_F_CASCADE);
  assert_int_equal(uf_get(n, UF_SLOT_LIST)->nkids, 2);
  uf_tree_free(t);

  t = ut_parse_must("ALTER TABLE t ALTER COLUMN a SET DATA TYPE BIGINT", dia(NULL));
  n = uf_get(uf_tree_root(t), UF_SLOT_ACTIONS)->kids[0];
  assert_int_equal(n->kind, UF_ALTER_ACTION);
  assert_string_equal(n->text, "ALTER TYPE");
  uf_tree_free(t);

  t = ut_parse_must("ABORT", dia(NULL));
  assert_string_equal(uf_tree_root(t)->text, "ROLLBACK");
  uf_tree_free(t);

  /* EXPLAIN wraps a typed statement, never text */
  t = ut_parse_must("EXPLAIN ANALYZE DELETE FROM t", dia(NULL));
  assert_int_equal(uf_get(uf_tree_root(t), UF_SLOT_STATEMENT)->kind, UF_DELETE);
  uf_tree_free(t);
}

/* A script mixing statements parses to one SCRIPT of typed nodes. */
static void test_script(void **state) {
  (void)state;
  const char *sql =
      "CREATE EXTERNAL TABLE src STORED AS PARQUET LOCATION 'in/';\n"
      "CREATE TABLE out AS SELECT * FROM src;\n"
      "COPY out TO 'out/' (FORMAT parquet);\n"
      "BEGIN; INSERT INTO out VALUES (1); COMMIT;";
  uf_error err;
  uf_tree *t = NULL;
  assert_int_equal(uf_parse(sql, strlen(sql), NULL, &t, &err), UF_OK);
  const uf_node *s = uf_tree_root(t);
  static const uf_kind want[] = {UF_CREATE_EXTERNAL_TABLE, UF_CREATE_TABLE,
                                 UF_COPY, UF_TRANSACTION, UF_INSERT,
                                 UF_TRANSACTION};
  assert_int_equal(s->nkids, 6);
  for (uint32_t i = 0; i < 6; i++) assert_int_equal(s->kids[i]->kind, want[i]);
  uf_tree_free(t);
}

/* Every prefix of every statement above parses or fails cleanly with a
 * syntax error; what parses also generates (ASan builds check memory). */
static void test_prefixes(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof RT / sizeof RT[0]; i++) {
    const uf_dialect *d = dia(RT[i].dialect);
    size_t len = strlen(RT[i].sql);
    for (size_t k = 0; k < len; k++) {
      uf_parse_options po;
      memset(&po, 0, sizeof po);
      po.dialect = d;
      uf_tree *t = NULL;
      uf_error err;
      uf_status st = uf_parse(RT[i].sql, k, &po, &t, &err);
      if (st == UF_OK) {
        uf_gen_options go;
        memset(&go, 0, sizeof go);
        go.dialect = d;
        char *out = NULL;
        st = uf_generate(uf_tree_root(t), &go, &out, NULL, &err);
        if (st == UF_UNSUPPORTED) st = UF_OK;
        uf_free(out);
      } else if (st == UF_SYNTAX && err.line == 0) {
        st = UF_INTERNAL; /* a syntax error must carry its position */
      } else if (st == UF_SYNTAX || st == UF_ENCODING) {
        st = UF_OK;
      }
      if (st != UF_OK) {
        print_error("prefix %zu of: %s\nstatus %s: %s\n", k, RT[i].sql,
                    uf_status_name(st), err.message);
        bad++;
      }
      uf_tree_free(t);
    }
  }
  assert_int_equal(bad, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),       cmocka_unit_test(test_output),
      cmocka_unit_test(test_copy_forms_equal), cmocka_unit_test(test_unsupported),
      cmocka_unit_test(test_syntax_errors),   cmocka_unit_test(test_shapes),
      cmocka_unit_test(test_script),          cmocka_unit_test(test_prefixes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
