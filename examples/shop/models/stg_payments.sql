-- One row per payment.
SELECT
    id AS payment_id,
    order_id,
    method,
    CAST(amount_cents / 100.0 AS DECIMAL(18, 2)) AS amount,
    paid_at
FROM raw.payments
