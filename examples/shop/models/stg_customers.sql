-- One row per customer, names tidied.
SELECT
    id AS customer_id,
    TRIM(first_name) AS first_name,
    TRIM(last_name) AS last_name,
    LOWER(email) AS email,
    UPPER(country_code) AS country_code,
    signed_up_at
FROM raw.customers
