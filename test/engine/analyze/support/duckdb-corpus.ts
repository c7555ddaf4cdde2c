/** The DuckDB agreement corpus: seed tables and DuckDB-dialect queries over them (also the fuzz test's seeds). */
export const SEEDS: Record<string, string> = {
  orders:
    "id INTEGER NOT NULL, customer_id BIGINT, amount DECIMAL(10,2), discount DECIMAL(5,4), qty SMALLINT, weight FLOAT, price DOUBLE, status VARCHAR, note VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMPTZ, order_date DATE, is_paid BOOLEAN, tags VARCHAR[], attrs STRUCT(channel VARCHAR, score INTEGER), props MAP(VARCHAR, INTEGER), payload JSON, big HUGEINT",
  customers: "id BIGINT NOT NULL, name VARCHAR, email VARCHAR, signup DATE, tier TINYINT, lifetime DECIMAL(18,2), region VARCHAR",
  events: "event_id UUID, customer_id BIGINT, kind VARCHAR, ts TIMESTAMP, value DOUBLE, n INTEGER, amounts INTEGER[]",
};

export const CORPUS: readonly string[] = [
  // literals
  "SELECT 1 AS a, 3000000000 AS b, 1.5 AS c, 1.50 AS d, 0.5 AS e, 1e3 AS f, 'x' AS g, TRUE AS h",
  "SELECT 99999999999999999999 AS huge, -7 AS neg, DATE '2024-01-01' AS d, TIMESTAMP '2024-01-01 10:00:00' AS ts",
  "SELECT INTERVAL 1 DAY AS iv, [1, 2, 3] AS arr, {'a': 1, 'b': 'x'} AS st, MAP {'k': 1.5} AS mp",
  // plain columns, qualified and unqualified
  "SELECT id, customer_id, amount, discount, qty, weight, price, status, created_at, updated_at, order_date, is_paid FROM orders",
  "SELECT o.tags, o.attrs, o.props, o.payload, o.big FROM orders AS o",
  "SELECT c.id, c.name, c.tier, c.lifetime FROM customers c",
  "SELECT event_id, kind, ts, value, n, amounts FROM events",
  // arithmetic
  "SELECT id + 1 AS a, id + customer_id AS b, id / 2 AS c, id // 2 AS d, id % 3 AS e, -id AS f FROM orders",
  "SELECT amount + discount AS a, amount * discount AS b, amount / discount AS c, amount - discount AS d FROM orders",
  "SELECT amount + id AS a, amount + 1 AS b, amount * 2 AS c, id * 1.5 AS d, customer_id + 1.5 AS e FROM orders",
  "SELECT amount + price AS a, weight + weight AS b, weight + id AS c, weight + price AS d, qty + qty AS e, qty * 2 AS f FROM orders",
  "SELECT customer_id * customer_id AS a, id * id AS b, big + 1 AS c, amount // 2 AS d, price // 2 AS e FROM orders",
  "SELECT lifetime * lifetime AS a, lifetime + amount AS b, tier + 1 AS c FROM customers, orders",
  "SELECT order_date + 1 AS a, order_date + INTERVAL 1 DAY AS b, created_at - created_at AS c, order_date - order_date AS d, created_at + INTERVAL 2 HOUR AS e FROM orders",
  // comparisons, logic, strings
  "SELECT id = 1 AS a, status <> 'x' AS b, is_paid AND id > 3 AS c, NOT is_paid AS d, id BETWEEN 1 AND 5 AS e, status IN ('a', 'b') AS f FROM orders",
  "SELECT status || note AS a, id || status AS b, status LIKE 'a%' AS c, status ILIKE 'A%' AS d, note IS NULL AS e, id IS DISTINCT FROM 3 AS f FROM orders",
  // string functions
  "SELECT UPPER(status) AS a, LOWER(note) AS b, TRIM(status) AS c, LENGTH(status) AS d, SUBSTR(status, 1, 2) AS e, REPLACE(status, 'a', 'b') AS f FROM orders",
  "SELECT CONCAT(status, id) AS a, LEFT(status, 2) AS b, LPAD(status, 5, 'x') AS c, STRPOS(status, 'a') AS d, REGEXP_REPLACE(status, 'a', 'b') AS e, CONTAINS(status, 'a') AS f FROM orders",
  "SELECT SPLIT(note, ',') AS a, STRING_SPLIT(note, ',') AS b, MD5(status) AS c, SHA256(status) AS d, HASH(status) AS e, REVERSE(status) AS f FROM orders",
  "SELECT STARTS_WITH(name, 'a') AS a, REGEXP_MATCHES(email, 'a') AS b, REPEAT(name, 2) AS c, SPLIT_PART(email, '@', 2) AS d, RPAD(name, 3, '-') AS e FROM customers",
  // numeric functions
  "SELECT ROUND(amount, 1) AS a, ROUND(amount) AS b, ROUND(price, 2) AS c, ROUND(id) AS d, ABS(id) AS e, ABS(amount) AS f FROM orders",
  "SELECT CEIL(amount) AS a, FLOOR(price) AS b, CEIL(id) AS c, SQRT(id) AS d, POWER(id, 2) AS e, LN(price) AS f, EXP(id) AS g, SIGN(amount) AS h FROM orders",
  "SELECT MOD(id, 2) AS a, GREATEST(id, customer_id) AS b, LEAST(amount, id) AS c, TRUNC(amount) AS d, LOG10(price) AS e FROM orders",
  // date and time
  "SELECT DATE_TRUNC('month', created_at) AS a, DATE_TRUNC('month', order_date) AS b, DATE_TRUNC('day', updated_at) AS c FROM orders",
  "SELECT DATE_DIFF('day', order_date, order_date) AS a, DATEDIFF('day', created_at, created_at) AS b, DATE_PART('year', created_at) AS c, EXTRACT(YEAR FROM created_at) AS d FROM orders",
  "SELECT YEAR(created_at) AS a, MONTH(order_date) AS b, DAY(created_at) AS c, HOUR(created_at) AS d, DAYOFWEEK(created_at) AS e, QUARTER(order_date) AS f FROM orders",
  "SELECT CURRENT_DATE AS a, NOW() AS b, CURRENT_TIMESTAMP AS c, STRFTIME(created_at, '%Y') AS d, STRPTIME(status, '%Y') AS e, MAKE_DATE(2024, 1, 2) AS f FROM orders",
  "SELECT LAST_DAY(order_date) AS a, EPOCH(created_at) AS b, EXTRACT(EPOCH FROM created_at) AS c, TO_TIMESTAMP(1) AS d, DATE_ADD(order_date, INTERVAL 1 DAY) AS e FROM orders",
  // conditionals
  "SELECT COALESCE(id, customer_id) AS a, COALESCE(id, 1.5) AS b, COALESCE(note, status, 'x') AS c, IFNULL(amount, 0) AS d, NULLIF(id, 1) AS e FROM orders",
  "SELECT CASE WHEN is_paid THEN id ELSE amount END AS a, CASE WHEN is_paid THEN 1 ELSE 1.5 END AS b, CASE status WHEN 'a' THEN 'x' END AS c FROM orders",
  "SELECT CASE WHEN id > 1 THEN price WHEN id > 2 THEN id END AS a, IF(is_paid, id, customer_id) AS b, CASE WHEN is_paid THEN NULL ELSE amount END AS c FROM orders",
  "SELECT CASE WHEN is_paid THEN order_date ELSE created_at END AS a, COALESCE(created_at, updated_at) AS b FROM orders",
  // casts
  "SELECT CAST(id AS VARCHAR) AS a, id::BIGINT AS b, TRY_CAST(status AS INTEGER) AS c, CAST(amount AS DECIMAL(5,1)) AS d, CAST(price AS FLOAT) AS e FROM orders",
  "SELECT CAST(status AS DATE) AS a, CAST(created_at AS DATE) AS b, CAST(order_date AS TIMESTAMP) AS c, CAST(id AS DOUBLE) AS d, CAST(id AS HUGEINT) AS e, CAST(note AS JSON) AS f FROM orders",
  "SELECT CAST(id AS SMALLINT) AS a, CAST(id AS TINYINT) AS b, CAST(status AS BLOB) AS c, id::INTEGER[] AS d FROM orders",
  // aggregates
  "SELECT COUNT(*) AS a, COUNT(note) AS b, SUM(id) AS c, SUM(customer_id) AS d, SUM(amount) AS e, SUM(price) AS f, SUM(weight) AS g FROM orders",
  "SELECT AVG(id) AS a, AVG(amount) AS b, MIN(amount) AS c, MAX(status) AS d, MIN(order_date) AS e, COUNT(DISTINCT status) AS f FROM orders",
  "SELECT status, SUM(amount) AS total, AVG(price) AS avg_price, COUNT(*) AS n, MAX(created_at) AS last_at FROM orders GROUP BY status",
  "SELECT customer_id, status, SUM(qty) AS q FROM orders GROUP BY 1, 2",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY ALL",
  "SELECT MEDIAN(id) AS a, MEDIAN(amount) AS b, STDDEV(id) AS c, VARIANCE(amount) AS d, APPROX_COUNT_DISTINCT(id) AS e, COUNT_IF(is_paid) AS f FROM orders",
  "SELECT STRING_AGG(status, ',') AS a, ARRAY_AGG(id) AS b, LIST(amount) AS c, BOOL_AND(is_paid) AS d, BOOL_OR(is_paid) AS e, ANY_VALUE(note) AS f, MODE(id) AS g FROM orders",
  "SELECT SUM(big) AS a, MAX(big) AS b, SUM(qty) AS c, AVG(weight) AS d, FIRST(status) AS e FROM orders",
  "SELECT status, SUM(amount) AS total FROM orders GROUP BY status HAVING SUM(amount) > 10",
  "SELECT SUM(amount) FILTER (WHERE is_paid) AS paid, COUNT(*) FILTER (WHERE NOT is_paid) AS unpaid FROM orders",
  // windows
  "SELECT id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at) AS rn, RANK() OVER (ORDER BY amount) AS rk, DENSE_RANK() OVER (ORDER BY amount) AS drk FROM orders",
  "SELECT NTILE(4) OVER (ORDER BY id) AS a, PERCENT_RANK() OVER (ORDER BY id) AS b, CUME_DIST() OVER (ORDER BY id) AS c FROM orders",
  "SELECT LAG(amount) OVER (ORDER BY id) AS a, LEAD(id, 1, 0) OVER (ORDER BY id) AS b, FIRST_VALUE(status) OVER (ORDER BY id) AS c, LAST_VALUE(price) OVER (ORDER BY id) AS d, NTH_VALUE(id, 2) OVER (ORDER BY id) AS e FROM orders",
  "SELECT SUM(amount) OVER (PARTITION BY customer_id ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, AVG(price) OVER () AS avg_all, COUNT(*) OVER () AS n FROM orders",
  "SELECT id FROM orders QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at DESC) = 1",
  // nested types
  "SELECT tags[1] AS a, attrs.channel AS b, attrs.score AS c, props['k'] AS d, LEN(tags) AS e, ARRAY_LENGTH(tags) AS f FROM orders",
  "SELECT LIST_CONTAINS(tags, 'a') AS a, LIST_TRANSFORM(tags, x -> UPPER(x)) AS b, LIST_FILTER(tags, x -> x <> 'a') AS c, tags[1:2] AS d, MAP_KEYS(props) AS e, MAP_VALUES(props) AS f FROM orders",
  "SELECT TO_JSON(attrs) AS a, JSON_EXTRACT(payload, '$.a') AS b, JSON_EXTRACT_STRING(payload, '$.a') AS c, STRUCT_PACK(x := id, y := status) AS d, LIST_VALUE(id, customer_id) AS e FROM orders",
  "SELECT UNNEST(tags) AS tag, id FROM orders",
  "SELECT LIST_TRANSFORM(amounts, x -> x + 1) AS a, LIST_TRANSFORM(amounts, x -> x * 1.5) AS b, amounts[1] + 1 AS c FROM events",
  // joins
  "SELECT o.id, c.name, c.tier FROM orders o JOIN customers c ON o.customer_id = c.id",
  "SELECT o.id, c.name, c.lifetime FROM orders o LEFT JOIN customers c ON o.customer_id = c.id",
  "SELECT o.id, c.name FROM orders o RIGHT JOIN customers c ON o.customer_id = c.id",
  "SELECT o.id, c.name, COALESCE(o.amount, c.lifetime) AS amt FROM orders o FULL OUTER JOIN customers c ON o.customer_id = c.id",
  "SELECT * FROM orders o JOIN events e USING (customer_id)",
  "SELECT e.kind, c.* FROM events e JOIN customers c ON e.customer_id = c.id",
  "SELECT o.id, e.kind FROM orders o CROSS JOIN events e",
  "SELECT o.id, e.kind, c.region FROM orders o JOIN customers c ON o.customer_id = c.id LEFT JOIN events e ON e.customer_id = c.id AND e.kind = 'x'",
  "SELECT * FROM orders o SEMI JOIN customers c ON o.customer_id = c.id",
  "SELECT * FROM orders o ANTI JOIN customers c ON o.customer_id = c.id",
  // stars
  "SELECT * FROM customers",
  "SELECT * EXCLUDE (email, region) FROM customers",
  "SELECT * REPLACE (UPPER(name) AS name, tier + 1 AS tier) FROM customers",
  "SELECT c.*, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id",
  "SELECT * FROM events JOIN orders USING (customer_id)",
  // CTEs and subqueries
  "WITH x AS (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) SELECT x.customer_id, x.total, c.name FROM x JOIN customers c ON c.id = x.customer_id",
  "WITH a AS (SELECT id, amount FROM orders), b AS (SELECT id, amount * 2 AS dbl FROM a) SELECT * FROM b",
  "WITH a(x, y) AS (SELECT id, status FROM orders) SELECT x, y FROM a",
  "SELECT t.k, t.total FROM (SELECT status AS k, SUM(price) AS total FROM orders GROUP BY status) AS t",
  "SELECT id, (SELECT MAX(lifetime) FROM customers) AS max_lt, (SELECT COUNT(*) FROM events e WHERE e.customer_id = o.customer_id) AS n FROM orders o",
  "SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE region = 'eu') AND EXISTS (SELECT 1 FROM events)",
  "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r",
  "WITH s AS (SELECT * FROM orders) SELECT s.id, s.amount FROM s",
  "SELECT ARRAY(SELECT id FROM orders) AS ids",
  // set operations
  "SELECT id FROM orders UNION ALL SELECT id FROM customers",
  "SELECT amount AS v FROM orders UNION SELECT lifetime FROM customers",
  "SELECT id, status FROM orders UNION ALL SELECT 1, NULL",
  "SELECT price AS v FROM orders UNION ALL SELECT id FROM orders",
  "SELECT id, status FROM orders INTERSECT SELECT id, name FROM customers",
  "SELECT id, status FROM orders EXCEPT SELECT id, name FROM customers",
  "SELECT id, name FROM customers UNION ALL BY NAME SELECT status AS name, id FROM orders",
  // VALUES
  "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)",
  "SELECT v.n + 1 AS m FROM (VALUES (1.5), (2.25)) v(n)",
  // misc
  "SELECT DISTINCT status FROM orders",
  "SELECT DISTINCT ON (customer_id) customer_id, amount FROM orders ORDER BY customer_id, created_at",
  "SELECT id, amount FROM orders ORDER BY id LIMIT 10",
  "SELECT id * 2 AS d, d + 1 AS e FROM orders",
  "SELECT g AS g FROM generate_series(1, 10) AS t(g)",
  "SELECT u AS u FROM UNNEST([1, 2, 3]) AS t(u)",
  "SELECT range AS r FROM range(5)",
  "SELECT status, COUNT(*) AS n FROM orders WHERE created_at >= DATE '2024-01-01' GROUP BY status ORDER BY n DESC",
  "SELECT customer_id, SUM(CASE WHEN is_paid THEN amount ELSE 0 END) AS paid FROM orders GROUP BY customer_id",
  "SELECT id, amount, SUM(amount) OVER w AS s FROM orders WINDOW w AS (PARTITION BY customer_id)",
  // more function rows, each checked against DuckDB
  "SELECT REGEXP_EXTRACT(status, 'a+') AS a, EPOCH_MS(created_at) AS d, MAKE_TIMESTAMP(2020, 1, 1, 0, 0, 0) AS e FROM orders",
  "SELECT STRING_AGG(status, ',' ORDER BY id) AS b, ARRAY_AGG(DISTINCT status) AS c FROM orders",
  "SELECT LIST_DISTINCT(tags) AS a, LIST_SORT(tags) AS b, ARRAY_SLICE(tags, 1, 2) AS c, FLATTEN([[1], [2]]) AS d, STRUCT_EXTRACT(attrs, 'score') AS e, ELEMENT_AT(props, 'a') AS f, CARDINALITY(props) AS g FROM orders",
  "SELECT DATE_PART('epoch', created_at) AS a, DAYNAME(created_at) AS b, AGE(created_at, created_at) AS c, TIMESTAMP '2020-01-01' - INTERVAL 1 DAY AS d, INTERVAL 1 DAY * 2 AS e, CONCAT_WS('-', status, note) AS f FROM orders",
  "SELECT ROUND(amount * 1.1, 2) AS a, amount * 1.1 AS b, price * 100 AS c FROM orders",
  "SELECT SUM(amount * qty) AS d, MAX(amount) - MIN(amount) AS e, COUNT(*) / 2 AS f, SUM(id) / COUNT(*) AS g FROM orders",
  "SELECT QUANTILE_CONT(amount, 0.5) AS a, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY price) AS b, ARG_MAX(status, id) AS c, BIT_AND(id) AS d, MEDIAN(price) AS e FROM orders",
  "SELECT LIST_VALUE(1.5, 2) AS a, [1.5, 2.25] AS b, tags || ['x'] AS c, ARRAY_TO_STRING(tags, ',') AS d, TYPEOF(id) AS e, HASH(id) % 10 AS f, id::DECIMAL(10,2) / 3 AS g FROM orders",
  "SELECT ~id AS a, id << 2 AS b, id & 3 AS c, is_paid::INTEGER AS d, DATE_TRUNC('week', order_date)::DATE AS e, COALESCE(tags, []) AS f, CASE WHEN is_paid THEN tags ELSE [] END AS g, [] AS h FROM orders",
  "SELECT COALESCE(order_date, '2020-01-01') AS a, COALESCE(id, '1') AS b, GREATEST(status, 'a') AS c, COALESCE(NULL, amount) AS d, COALESCE(qty, id) AS e, COALESCE(weight, price) AS f FROM orders",
];

