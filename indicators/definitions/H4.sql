-- Children who had waited over a year for a neurodevelopmental assessment, from the waiting
-- list at the end of the last month of each quarter, for Wrexham and by wait band (the three
-- bands over a year, which add up to the total). A quarter whose last month the health board
-- has not sent is left out.
WITH bands(wait_band) AS (VALUES ('1_to_2_years'), ('2_to_3_years'), ('over_3_years')),
quarters AS (
    SELECT p.period, CAST(date_trunc('month', p.end_date) AS DATE) AS last_month
    FROM periods_quarterly p
    WHERE CAST(date_trunc('month', p.end_date) AS DATE) IN (SELECT month_end FROM stg_hb_nd_waiting_list)
),
cells AS (
    SELECT q.period, b.wait_band, COALESCE(sum(w.children_waiting), 0) AS waiting
    FROM quarters q
    CROSS JOIN bands b
    LEFT JOIN stg_hb_nd_waiting_list w ON w.month_end = q.last_month AND w.wait_band = b.wait_band
    GROUP BY q.period, b.wait_band
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(waiting) AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'wait_band', wait_band, CAST(waiting AS DOUBLE), NULL FROM cells
