-- Children due their 27-month developmental check in each quarter and how many had it, by
-- ward and for Wrexham (the sum of the wards; the file's own totals row is never loaded). Only
-- the quarters the health board has sent are returned; a ward missing from a quarter's file had
-- no children in it (0 of 0).
WITH covered AS (
    SELECT DISTINCT quarter AS period FROM stg_hb_child_health WHERE measure = 'check_27_month'
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(h.achieved), 0) AS achieved, COALESCE(sum(h.eligible), 0) AS eligible
    FROM ward_periods_quarterly w
    LEFT JOIN stg_hb_child_health h
      ON h.quarter = w.period AND h.ward = w.ward_code AND h.measure = 'check_27_month'
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(achieved AS DOUBLE) AS numerator, CAST(eligible AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(achieved), sum(eligible) FROM cells GROUP BY period
