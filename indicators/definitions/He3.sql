-- Reception-class children measured and how many were a healthy weight, by ward and for Wrexham
-- (the sum of the wards), for each school year the health board has sent (a year with no
-- measurement is absent, so it is 'x', not 0); a ward missing from a year's file is 0 of 0.
WITH covered AS (
    SELECT DISTINCT academic_year AS period FROM stg_hb_child_measurement
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(m.healthy_weight), 0) AS healthy, COALESCE(sum(m.measured), 0) AS measured
    FROM ward_periods_academic_year w
    LEFT JOIN stg_hb_child_measurement m ON m.academic_year = w.period AND m.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(healthy AS DOUBLE) AS numerator, CAST(measured AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(healthy), sum(measured) FROM cells GROUP BY period
