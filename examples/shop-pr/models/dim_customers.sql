-- One row per customer with lifetime figures.
SELECT
    c.customer_id,
    c.first_name,
    c.email,
    c.country_code,
    MIN(o.order_date) AS first_order_date,
    COUNT(DISTINCT o.order_id) AS order_count,
    SUM(o.amount) AS lifetime_value
FROM stg_customers AS c
LEFT JOIN fct_orders AS o ON c.customer_id = o.customer_id
GROUP BY c.customer_id, c.first_name, c.email, c.country_code
