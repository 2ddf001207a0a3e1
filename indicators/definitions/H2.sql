-- Children on the neurodevelopmental (autism/ADHD) waiting list at the end of each month, for
-- Wrexham and by how long they had been waiting. Only months the health board has sent are
-- returned; a wait band missing from a month's file had no children in it (0).
WITH bands(wait_band) AS (
    VALUES ('under_26_weeks'), ('26_to_52_weeks'), ('1_to_2_years'), ('2_to_3_years'), ('over_3_years')
),
months AS (
    SELECT p.period, p.start_date FROM periods_monthly p
    WHERE p.start_date IN (SELECT month_end FROM stg_hb_nd_waiting_list)
),
cells AS (
    SELECT m.period, b.wait_band, COALESCE(sum(w.children_waiting), 0) AS waiting
    FROM months m
    CROSS JOIN bands b
    LEFT JOIN stg_hb_nd_waiting_list w ON w.month_end = m.start_date AND w.wait_band = b.wait_band
    GROUP BY m.period, b.wait_band
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(waiting) AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'wait_band', wait_band, CAST(waiting AS DOUBLE), NULL FROM cells
