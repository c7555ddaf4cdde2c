-- The order fact: one row per order, the grain finance reports on.
SELECT
    order_id,
    customer_id,
    order_date,
    status,
    amount,
    paid_amount,
    amount - paid_amount AS outstanding_amount,
    status = 'returned' AS is_returned
FROM int_order_payments
