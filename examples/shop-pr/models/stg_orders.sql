-- One row per order, amounts in currency units.
SELECT
    id AS order_id,
    customer_id,
    ordered_at,
    CAST(ordered_at AS DATE) AS order_date,
    status,
    amount_cents / 100.0 AS amount
FROM raw.orders
WHERE status NOT IN ('test', 'fraud')
