-- Babies with feeding recorded at 10 days and how many had any breast milk, by ward and for
-- Wrexham (the sum of the wards), for each financial year the health board has sent; a ward
-- missing from a year's file had no recorded births (0 of 0).
WITH covered AS (
    SELECT DISTINCT financial_year AS period FROM stg_hb_breastfeeding
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(b.breastfeeding_10_days), 0) AS breastfed,
           COALESCE(sum(b.births_with_status), 0) AS births
    FROM ward_periods_annual w
    LEFT JOIN stg_hb_breastfeeding b ON b.financial_year = w.period AND b.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(breastfed AS DOUBLE) AS numerator, CAST(births AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(breastfed), sum(births) FROM cells GROUP BY period
