-- Revenue per day, net of returns.
SELECT
    order_date,
    COUNT(*) AS orders,
    SUM(CASE WHEN is_returned THEN 0 ELSE amount END) AS revenue,
    SUM(outstanding_amount) AS outstanding
FROM fct_orders
GROUP BY order_date
