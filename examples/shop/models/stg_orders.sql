-- One row per order, amounts in currency units.
SELECT
    id AS order_id,
    customer_id,
    ordered_at,
    CAST(ordered_at AS DATE) AS order_date,
    status,
    CAST(amount_cents / 100.0 AS DECIMAL(18, 2)) AS amount
FROM raw.orders
WHERE status <> 'test'
