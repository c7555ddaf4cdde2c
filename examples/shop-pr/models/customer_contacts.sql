-- Contact list for the CRM sync.
SELECT
    customer_id,
    CAST(email AS VARCHAR) AS contact_email,
    country_code
FROM stg_customers
