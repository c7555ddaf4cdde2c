-- Raw landing tables for the shop, as the loader writes them. `rocky compile --with-seed`
-- runs this file in an in-memory DuckDB to learn the source schemas; `rocky run --with-seed` loads it.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE raw.customers (
    id           INTEGER NOT NULL,
    first_name   VARCHAR,
    last_name    VARCHAR,
    email        VARCHAR,
    country_code VARCHAR,
    signed_up_at TIMESTAMP NOT NULL
);

CREATE TABLE raw.orders (
    id           INTEGER NOT NULL,
    customer_id  INTEGER NOT NULL,
    ordered_at   TIMESTAMP NOT NULL,
    status       VARCHAR NOT NULL,
    amount_cents BIGINT
);

CREATE TABLE raw.payments (
    id           INTEGER NOT NULL,
    order_id     INTEGER NOT NULL,
    method       VARCHAR NOT NULL,
    amount_cents BIGINT NOT NULL,
    paid_at      TIMESTAMP NOT NULL
);

INSERT INTO raw.customers VALUES
    (1, 'Ada', 'Lovelace', 'ada@example.com', 'GB', TIMESTAMP '2024-01-03 09:00:00'),
    (2, 'Grace', 'Hopper', 'grace@example.com', 'US', TIMESTAMP '2024-01-10 12:30:00'),
    (3, 'Edsger', 'Dijkstra', NULL, 'NL', TIMESTAMP '2024-02-01 08:15:00');

INSERT INTO raw.orders VALUES
    (100, 1, TIMESTAMP '2024-03-01 10:00:00', 'completed', 2599),
    (101, 1, TIMESTAMP '2024-03-02 11:00:00', 'completed', 1250),
    (102, 2, TIMESTAMP '2024-03-02 15:45:00', 'returned', 9900),
    (103, 3, TIMESTAMP '2024-03-03 09:20:00', 'test', 100),
    (104, 2, TIMESTAMP '2024-03-04 18:05:00', 'completed', NULL);

INSERT INTO raw.payments VALUES
    (1000, 100, 'card', 2599, TIMESTAMP '2024-03-01 10:01:00'),
    (1001, 101, 'card', 1000, TIMESTAMP '2024-03-02 11:02:00'),
    (1002, 101, 'gift_card', 250, TIMESTAMP '2024-03-02 11:02:30'),
    (1003, 102, 'bank_transfer', 9900, TIMESTAMP '2024-03-02 16:00:00');
