-- Orders with what was paid against them.
WITH paid AS (
    SELECT
        order_id,
        SUM(amount) AS paid_amount,
        COUNT(*) AS payment_count
    FROM stg_payments
    GROUP BY order_id
)
SELECT
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    o.amount,
    COALESCE(p.paid_amount, 0) AS paid_amount,
    COALESCE(p.payment_count, 0) AS payment_count
FROM stg_orders AS o
LEFT JOIN paid AS p ON o.order_id = p.order_id
