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
  // Postgres-style operators, AT TIME ZONE, WITHIN GROUP, overloads (each was a parse error or a wrong type)
  "SELECT id, date_sub('day', order_date, current_date) AS age FROM orders",
  "SELECT region, percentile_disc(0.5) WITHIN GROUP (ORDER BY lifetime) AS p FROM customers GROUP BY region",
  "SELECT region, percentile_cont(0.5) WITHIN GROUP (ORDER BY lifetime) AS p, percentile_cont(0.5) WITHIN GROUP (ORDER BY tier) AS q, percentile_disc(0.5) WITHIN GROUP (ORDER BY signup) AS r FROM customers GROUP BY region",
  "SELECT mode() WITHIN GROUP (ORDER BY signup) AS m FROM customers",
  "SELECT epoch_ms(1700000000000) AS t, epoch_ms(created_at) AS u, epoch_ms(id) AS v FROM orders",
  "SELECT id, created_at AT TIME ZONE 'UTC' AS a, updated_at AT TIME ZONE 'UTC' AS b, order_date AT TIME ZONE 'UTC' AS c FROM orders",
  "SELECT id ** 2 AS a, amount ^ 2 AS b, 2 * 3 ** 2 AS c FROM orders",
  "SELECT status ~ 'a.*' AS a, status !~ 'a' AS b, status ~~ 'a%' AS c, status !~~ 'a%' AS d, status ~~* 'A%' AS e, status !~~* 'A%' AS f, status ~~~ 'a*' AS g, status ^@ 'a' AS h FROM orders",
  "SELECT tags @> ['a'] AS a, tags <@ ['a', 'b'] AS b, tags && ['a'] AS c FROM orders",
  "SELECT id FROM orders WHERE status ~ '^[a-z]+$' AND NOT note ~~ '%x%'",
  "FROM orders SELECT id, amount",
  "SELECT o.id, e.ts FROM orders o ASOF JOIN events e ON o.customer_id = e.customer_id AND o.created_at >= e.ts",
  "SELECT o.id, x.n FROM orders o, LATERAL (SELECT o.id + 1 AS n) x",
  "SELECT o.id, t.tag FROM orders o CROSS JOIN UNNEST(o.tags) AS t(tag)",
  "SELECT region, sum(lifetime) / sum(sum(lifetime)) OVER () AS share FROM customers GROUP BY region",
  "SELECT id, sum(lifetime) OVER (ORDER BY signup RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) AS s FROM customers",
  "SELECT id, payload->>'$.a' AS a, payload->'$.b' AS b, json_extract(payload, '$.a')::INTEGER AS c FROM orders",
  // FLOAT (32-bit) keeps its width with anything but DOUBLE
  "SELECT weight / qty AS a, weight + qty AS b, weight * id AS c, weight - customer_id AS d, weight + amount AS e, weight + 1 AS f, weight * 1.5 AS g, weight // 2 AS h, weight % 2 AS i FROM orders",
  "SELECT weight + price AS a, weight / weight AS b FROM orders",
  // COLUMNS(...): one column per match, named after it, typed by the expression around it
  "SELECT COLUMNS('^(id|status)$') FROM orders",
  "SELECT MIN(COLUMNS('amount|price')), max(COLUMNS('^(qty|id)$')) + 1 FROM orders",
  "SELECT COLUMNS(* EXCLUDE (email, region)) FROM customers",
  "SELECT id, COLUMNS(['name', 'tier']), COLUMNS(c -> c LIKE '%e%' AND c NOT IN ('name', 'lifetime')) FROM customers",
  "SELECT upper(COLUMNS(c -> starts_with(c, 'n') OR c = 'email')) FROM customers",
  // list aggregates take the aggregate's rule on the element type; map(keys, values)
  "SELECT list_sum(amounts) AS a, list_avg(amounts) AS b, list_aggregate(amounts, 'min') AS c, list_aggregate(amounts, 'sum') AS d, list_count(amounts) AS e, list_median(amounts) AS f FROM events",
  "SELECT map([status], [id]) AS m, bit_count(id) AS b, even(price) AS e, xor(id, 1) AS x FROM orders",
  "SELECT grouping(customer_id) AS g, customer_id, sum(amount) AS total FROM orders GROUP BY ROLLUP (customer_id)",
  "SELECT id, status, FROM orders",
  // a star with a name filter
  "SELECT * ILIKE '%ID' FROM orders",
  "SELECT * NOT LIKE '%_id' FROM customers",
  "SELECT o.* LIKE '%_at', c.* SIMILAR TO '(name|email)' FROM orders o JOIN customers c ON o.customer_id = c.id",
  // DuckDB's trailing commas: FROM and GROUP BY lists, and the lists in parentheses its grammar allows
  "SELECT customer_id, status, count(*) AS n, FROM orders, GROUP BY customer_id, status, HAVING count(*) > 0",
  "SELECT DISTINCT ON (customer_id,) customer_id, coalesce(amount, 0,) AS a, * EXCLUDE (customer_id, amount,) FROM orders WHERE status IN ('a', 'b',)",
  "SELECT * REPLACE (amount * 2 AS amount,) FROM orders o JOIN customers c ON o.customer_id = c.id",
  "SELECT x.p, x.q FROM (VALUES (1, 'a',), (2, 'b',)) AS x(p, q,)",
  "SELECT id, status ISNULL AS no_status, amount NOTNULL AS has_amount FROM orders LIMIT 50%",
  // list comprehensions: the element type flows into the body, the filter keeps it
  "SELECT [upper(t) FOR t IN tags IF t <> 'a'] AS a, [x * 1.5 FOR x IN amounts] AS b, [x > 1 FOR x IN amounts IF x < 10] AS c FROM events, orders",
  // PIVOT and UNPIVOT: the statements and the standard form, named as DuckDB names the pivoted columns
  "PIVOT (SELECT status, customer_id, amount FROM orders) ON status IN ('paid', 'open') USING sum(amount)",
  "PIVOT orders ON status IN ('paid', 'open') USING sum(amount) AS total, max(qty) AS most GROUP BY customer_id",
  "PIVOT (SELECT status, is_paid, amount, customer_id FROM orders) ON status IN ('paid'), is_paid IN (true, false) USING sum(amount), count(*)",
  "PIVOT (SELECT status, customer_id FROM orders) ON status IN ('paid' AS p, 'open')",
  "WITH p AS (PIVOT_WIDER (SELECT kind, customer_id, value FROM events) ON kind IN ('click') USING avg(value)) SELECT * FROM p",
  "UNPIVOT (SELECT id, amount, price FROM orders) ON amount, price INTO NAME metric VALUE v",
  "SELECT * FROM (UNPIVOT (SELECT id, weight, price FROM orders) ON weight, price) AS u",
  "UNPIVOT (SELECT id, amount, price FROM orders) ON COLUMNS(* EXCLUDE (id)) INTO NAME metric VALUE v",
  "SELECT u.id, u.v FROM (UNPIVOT (SELECT id, amount, price FROM orders) ON COLUMNS('^(amount|price)$') INTO NAME metric VALUE v) AS u",
  "SELECT * FROM (SELECT status, customer_id, amount FROM orders) PIVOT (sum(amount) AS total FOR status IN ('paid', 'open') GROUP BY customer_id)",
  // digits with `_` between them, in every part of a number; USING SAMPLE after WHERE and GROUP BY
  "SELECT 1_000 AS a, 1.5_0 AS b, 1e1_0 AS c, 100_000_000_000 AS d, .000_5 AS e, amount * 1_0.0_1 AS f FROM orders",
  "SELECT 0.5 AS a, .5 AS b, 00.5 AS c, .0005 AS d, 0.0 AS e, amount + .25 AS f FROM orders",
  // positional references: a FROM column by its position, across the FROM's tables
  "SELECT #2 AS second, #1 * 2 AS first_twice FROM orders ORDER BY #1",
  "SELECT #1 AS order_id, #12 AS customer_name FROM orders o JOIN customers c ON o.customer_id = c.id",
  // set operations: VARCHAR beside another type is VARCHAR, in lists and structs too; a recursive CTE takes its anchor's types
  "SELECT status AS v, attrs AS s FROM orders UNION ALL SELECT id, {'channel': 1, 'score': 2} FROM orders",
  "SELECT order_date AS d, tags AS l FROM orders UNION SELECT status, [1, 2] FROM orders",
  "WITH RECURSIVE r AS (SELECT 1 AS i, 0 AS total UNION ALL SELECT i + 1, sum(n) FROM r, events WHERE i < 3 GROUP BY i) SELECT i, total FROM r",
  // DuckDB functions with one return type: strings, encodings, similarity, JSON, lists, intervals, maths, statistics
  "SELECT to_hex(id) AS a, to_binary(id) AS b, to_base(id, 16) AS c, bin(id) AS d, url_encode(status) AS e, url_decode(note) AS f, strip_accents(note) AS g, nfc_normalize(note) AS h, regexp_escape(status) AS i, format_bytes(customer_id) AS j, parse_filename(note) AS k FROM orders",
  "SELECT from_hex(status) AS a, from_base64(note) AS b, encode(status) AS c, jaccard(status, note) AS d, jaro_similarity(status, note) AS e, cosh(price) AS f, tanh(weight) AS g, cot(price) AS h, ord(status) AS i, signbit(price) AS j FROM orders",
  "SELECT list_has_all(tags, ['a']) AS a, list_has_any(tags, ['b']) AS b, list_indexof(tags, 'a') AS c, json_valid(note) AS d, json_contains(payload, '1') AS e, json_object('k', id) AS f, json_array(id, status) AS g, regexp_extract_all(note, '[a-z]+') AS h, str_split_regex(note, ',') AS i, struct_keys(attrs) AS j FROM orders",
  "SELECT to_years(qty) AS a, to_months(id) AS b, to_weeks(id) AS c, to_milliseconds(id) AS d, order_date + to_months(3) AS e, make_timestamptz(2024, 1, 2, 3, 4, 5) AS f, make_timestamp_ms(customer_id) AS g, uuidv4() AS h FROM orders",
  "SELECT damerau_levenshtein(status, note) AS a, hamming(status, note) AS b, gcd(id, 6) AS c, lcm(customer_id, 4) AS d FROM orders",
  "SELECT status, bit_xor(id) AS x FROM orders GROUP BY status",
  "SELECT tags[1:3:2] AS a, amounts[:2:1] AS b FROM orders, events",
  // a typed NULL has its type, in a UNION too; decode(blob), JSON lengths, and JSON paths that match many
  "SELECT NULL::VARCHAR AS a, CAST(NULL AS DATE) AS b, NULL::INT[] AS c, id FROM orders UNION ALL SELECT NULL, NULL, NULL, NULL::BIGINT FROM orders",
  "SELECT NULL::VARCHAR AS v UNION ALL SELECT 1",
  "SELECT json_exists(payload, '$.a') AS a, json_exists(payload, ['$.a', '$.b']) AS b, json_keys(payload) AS c, map_entries(props) AS d FROM orders",
  "SELECT decode(encode(status)) AS a, json_array_length(payload) AS b, json_extract(payload, '$.a') AS c, json_extract(payload, ['$.a', '$.b']) AS d, json_extract(payload, '$[*].a') AS e, json_extract_string(payload, '$.*') AS f, json_value(payload, '$.a') AS g FROM orders",
  "SELECT status, entropy(id) AS a, favg(price) AS b, fsum(price) AS c, kahan_sum(price) AS d, sem(price) AS e, regr_intercept(price, weight) AS f, regr_r2(price, weight) AS g, kurtosis_pop(price) AS h FROM orders GROUP BY status",
  "SELECT customer_id, count(*) AS n FROM orders JOIN customers c ON orders.customer_id = c.id WHERE amount > 1_000 GROUP BY customer_id USING SAMPLE 10% (bernoulli, 42) ORDER BY n",
  // the session's context, and weekday
  "SELECT current_user AS a, current_schema() AS b, current_database() AS c, weekday(order_date) AS d, current_catalog() AS e, session_user AS f FROM orders",
  // any type name before a string is that type's literal
  "SELECT INT '1' AS a, varchar 'x' AS b, BLOB '\\x01' AS c, BITSTRING '0101' AS d, double '1.5' AS e, BOOL 't' AS f, HUGEINT '12' AS g, UUID 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS h, TIMESTAMP_S '2024-01-02 03:04:05' AS i FROM orders",
  // date spines: generate_series / range over dates and timestamps step by an interval and give TIMESTAMPs (found in real models)
  "SELECT UNNEST(GENERATE_SERIES(order_date, order_date + 7, INTERVAL 1 DAY)) AS d, RANGE(created_at, created_at + INTERVAL 1 DAY, INTERVAL 1 HOUR) AS hours, GENERATE_SERIES(updated_at, updated_at, INTERVAL 1 DAY) AS tz, RANGE(1, 5) AS n FROM orders",
  // aggregates by argument type: sum of booleans counts them (HUGEINT), the mean and median of a date, timestamp or interval is one
  "SELECT SUM(is_paid) AS a, COUNTIF(is_paid) AS b, AVG(created_at) AS c, AVG(order_date) AS d, AVG(created_at - created_at) AS e, MEDIAN(order_date) AS f, QUANTILE_CONT(updated_at, 0.5) AS g, MEAN(updated_at) AS h FROM orders",
  // the top-n forms of MIN / MAX / ARG_MAX and kin return a LIST; positions are INTEGERs; repeat keeps a list
  "SELECT MIN(id, 2) AS a, MAX(amount, 3) AS b, ARG_MAX(status, id, 2) AS c, MAX_BY(status, id, 2) AS d, APPROX_TOP_K(status, 3) AS e, ARG_MIN(note, price) AS f FROM orders",
  "SELECT LIST_POSITION(tags, 'a') AS a, ARRAY_POSITION(tags, 'b') AS b, REPEAT(tags, 2) AS c, GCD(big, big) AS d, GCD(id, customer_id) AS e, REPEAT(status, 2) AS f FROM orders",
  // FLOAT keeps its width beside integers and decimals in CASE / COALESCE / GREATEST / UNION too; BOOLEAN with an integer is the integer; DATE + TIME is a TIMESTAMP
  "SELECT COALESCE(weight, 0) AS a, COALESCE(weight, amount) AS b, GREATEST(weight, id) AS c, CASE WHEN is_paid THEN weight ELSE 1 END AS d, COALESCE(is_paid, 0) AS e, CASE WHEN is_paid THEN customer_id ELSE is_paid END AS f, order_date + TIME '10:30:00' AS g, TIME '10:30:00' + order_date AS h FROM orders",
  "SELECT weight AS x, is_paid AS y FROM orders UNION ALL SELECT amount, id FROM orders",
  "SELECT is_paid AS a, amount AS b, status AS c, 'x' AS d, price AS e FROM orders UNION ALL SELECT amount, is_paid, attrs, tags, is_paid FROM orders",
  "SELECT * FROM (VALUES (1.5::FLOAT, TRUE), (2, 3)) AS v(a, b)",
  // found by a generator of DuckDB expressions over typed tables (DESCRIBE against the analyzer): each was a wrong or an unknown type
  "SELECT LAG(amount, 1, 0) OVER (ORDER BY id) AS a, LEAD(id, 1, customer_id) OVER (ORDER BY id) AS b, LAG(qty, 2, 0.5) OVER (ORDER BY id) AS c, LEAD(status, 1, 'none') OVER (ORDER BY id) AS d FROM orders",
  "SELECT DATE_PART('julian', order_date) AS a, EXTRACT(julian FROM created_at) AS b, DATE_PART(['year', 'Month', 'epoch'], created_at) AS c, DATEPART(['doy'], order_date) AS d FROM orders",
  "SELECT STRPTIME(status, '%Y-%m-%d %z') AS a, STRPTIME(status, ['%Y', '%d %Z']) AS b, TRY_STRPTIME(status, '%Y') AS c, STRPTIME(status, ['%Y', '%m']) AS d, TRY_STRPTIME(note, '%Y %Z') AS e FROM orders",
  "SELECT QUANTILE_CONT(id, [0.25, 0.75]) AS a, QUANTILE_DISC(amount, [0.5]) AS b, QUANTILE(order_date, 0.5) AS c, QUANTILE_CONT(order_date, [0.1]) AS d, APPROX_QUANTILE(amount, 0.5) AS e, APPROX_QUANTILE(discount, 0.5) AS f, APPROX_QUANTILE(weight, 0.5) AS g, APPROX_QUANTILE(amount, [0.5]) AS h, QUANTILE(id, [0.5]) AS i FROM orders",
  "SELECT APPROX_QUANTILE(lifetime, 0.5) AS a, APPROX_QUANTILE(id, 0.5) AS b FROM customers",
  "SELECT id::INT32 AS a, id::INT16 AS b, id::UINT64 AS c, id::UINT32 AS d, CAST(id AS VARINT) AS e, CAST(NULL AS UINT64) AS f, TRY_CAST(status AS UINT8) AS g FROM orders",
  "SELECT strlen(status) AS a, length_grapheme(note) AS b, like_escape(status, 'a', '!') AS c, md5_number(status) AS d, version() AS e, round_even(amount, 1) AS f, round_even(weight, 1) AS g, array_extract(status, 1) AS h, century(order_date) AS i, era(created_at) AS j FROM orders",
  "SELECT timezone('UTC', created_at) AS a, timezone('UTC', updated_at) AS b, timezone('UTC', order_date) AS c, get_current_timestamp() AS d, localtime AS e FROM orders",
  "SELECT list_append(amounts, 1.5) AS a, list_prepend(1.5, amounts) AS b, list_reverse(amounts) AS c, list_resize(amounts, 3) AS d, list_select(amounts, [1]) AS e, list_where(amounts, [true]) AS f, list_grade_up(amounts) AS g, list_unique(amounts) AS h FROM events",
  "SELECT list_cosine_similarity([1.0], [value]) AS a, list_distance([weight], [weight]) AS b, array_value(n, 2) AS c, map_from_entries([('a', n)]) AS d, struct_insert({'a': n}, b := kind) AS e, map_concat(MAP {'a': n}, MAP {'b': 2}) AS f FROM events, orders",
  "SELECT json_array_length(payload->'$.b') AS a, json_extract_string(payload->'a', '$.b') AS b, json_type(payload->'$.a') AS c FROM orders",
  "SELECT nanosecond(created_at) AS a, timezone_hour(updated_at) AS b, timezone(updated_at) AS c, nextafter(weight, weight) AS d, parse_formatted_bytes('1 KiB') AS e, list_cat(tags, tags) AS f, current_localtimestamp() AS g, in_search_path('memory', 'main') AS h FROM orders",
  "SELECT argmax(status, id) AS a, arg_min_null(amount, created_at) AS b, arg_max_nulls_last(order_date, price) AS c, count_star() AS d, regr_count(price, weight) AS e FROM orders",
  "SELECT histogram(amount, [1.5, 2.5]) AS a, histogram_exact(id, [1, 2]) AS b, histogram_exact(amount, [1.5]) AS c, histogram(amount) AS d FROM orders",
  "SELECT grade_up(amounts) AS a, list_intersect(amounts, [1]) AS b, array_reverse_sort(amounts) AS c, vector_type(n) AS d, can_cast_implicitly(n, kind) AS e FROM events",
  "SELECT list_value(status, NULL) AS a, list_value(NULL, amount, id) AS b, LAG(amount, 1, NULL) OVER (ORDER BY id) AS c, map([status], [NULL]) AS d FROM orders",
  "SELECT mad(id) AS a, mad(amount) AS b, mad(created_at) AS c, geomean(price) AS d, histogram(status) AS e, bitstring_agg(id) AS f, json_group_array(id) AS g, json_group_object(status, id) AS h FROM orders",
];

/**
 * Rows for the NOT NULL check: one with every column set, one with every nullable column NULL, one
 * with empty lists and strings (an aggregate over an empty list is NULL in DuckDB).
 */
export const NULL_CHECK_ROWS: readonly string[] = [
  "INSERT INTO orders VALUES (1, 10, 12.50, 0.1000, 2, 1.5, 3.25, 'paid', 'a,b', TIMESTAMP '2024-01-02 03:04:05', TIMESTAMPTZ '2024-01-02 03:04:05+00', DATE '2024-01-02', true, ['a', 'b'], {'channel': 'web', 'score': 3}, MAP {'k': 1}, '{\"a\": 1}', 5)",
  "INSERT INTO orders (id) VALUES (2)",
  "INSERT INTO orders (id, status, note, tags) VALUES (3, '', '', [])",
  "INSERT INTO customers VALUES (10, 'Ann', 'ann@example.com', DATE '2023-05-06', 1, 100.25, 'eu')",
  "INSERT INTO customers (id) VALUES (11)",
  "INSERT INTO events VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 10, 'click', TIMESTAMP '2024-01-02 03:04:05', 1.5, 1, [1, 2])",
  "INSERT INTO events (customer_id, amounts) VALUES (11, [])",
];

/** Queries whose NOT NULL columns the check runs over NULL_CHECK_ROWS (each nullability rule that was wrong has one). */
export const NULL_CHECK_CORPUS: readonly string[] = [
  "SELECT id, id + 1 AS a, COALESCE(note, '') AS b, CONCAT(status, note) AS c, CONCAT_WS('-', 'x', note) AS d, ROW_NUMBER() OVER (ORDER BY id) AS e, TYPEOF(note) AS f, [id] AS g, {'k': id} AS h FROM orders",
  "SELECT COUNT(*) AS a, COUNT(note) AS b, APPROX_COUNT_DISTINCT(note) AS c, SUM(id) AS d, MIN(id) AS e, COUNT_IF(is_paid) AS f, STRING_AGG(status, ',') AS g, LIST(id) AS h FROM orders",
  "SELECT COUNT(*) AS a, COUNT_IF(is_paid) AS b, COUNTIF(id > 0) AS c, SUM(id) AS d, MAX(id) AS e FROM orders WHERE id < 0",
  "SELECT customer_id, COUNT(*) AS a, COUNT_IF(is_paid) AS b, SUM(id) AS c, MIN(id) AS d FROM orders GROUP BY customer_id",
  "SELECT list_max(list_filter([1], x -> id < 0)) AS a, list_sum(list_filter([1], x -> id < 0)) AS b, list_count(list_filter([1], x -> id < 0)) AS c, list_last(list_filter(['a'], x -> id < 0)) AS d, list_aggregate(list_filter(['a'], x -> id < 0), 'string_agg', ',') AS e, list_string_agg(list_filter(['a'], x -> id < 0)) AS f FROM orders",
  "SELECT list_min(amounts) AS a, list_avg(amounts) AS b, list_count(amounts) AS c, len(amounts) AS d, kind FROM events",
  "SELECT LAG(id, 1, 0) OVER (ORDER BY id) AS a, LEAD(id) OVER (ORDER BY id) AS b, FIRST_VALUE(id) OVER (ORDER BY id) AS c, RANK() OVER (ORDER BY note) AS d, NTILE(2) OVER (ORDER BY id) AS e FROM orders",
  "SELECT o.id, c.id AS cid, c.name FROM orders o LEFT JOIN customers c ON o.customer_id = c.id",
  // a JSON path that matches nothing is NULL, inside a function call too
  "SELECT payload->'$.x' AS a, payload->>'$.x' AS b, json_array_length(payload->'$.x') AS c, json_array_length(payload) AS d FROM orders WHERE payload IS NOT NULL",
  // a window frame that need not hold the current row may be empty; a list's elements, and a JSON path, may be NULL
  "SELECT SUM(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS a, MIN(id) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS b, FIRST_VALUE(id) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS c, SUM(id) OVER (ORDER BY id ROWS 2 PRECEDING) AS d, COUNT(*) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS e, MAX(id) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE CURRENT ROW) AS f FROM orders",
  "SELECT UNNEST([id, NULL]) AS a, ARRAY_TO_STRING([NULL::VARCHAR], ',') AS b, JSON_TYPE(payload, '$.x') AS c, JSON_ARRAY_LENGTH(payload, '$.x') AS d, JSON_ARRAY_LENGTH(payload) AS e FROM orders WHERE payload IS NOT NULL",
  "SELECT o.id, t.u FROM orders o, UNNEST([o.id, NULL]) AS t(u)",
  // DuckDB's x // 0, x % 0 and mod(x, 0) are NULL (id - 1 is 0 on the first row); a non-zero literal divisor is never 0
  "SELECT id % 2 AS a, id // (id - 1) AS b, id % (id - 1) AS c, mod(id, id - 1) AS d, id // 2 AS e, mod(id, 3) AS f, id / (id - 1) AS g FROM orders",
];
