-- Children under 16 in relative low income families (DWP, before housing costs) in each
-- financial year over the estimated number of children aged 0-15, by ward and for Wrexham (the
-- sum of the wards; the Stat-Xplore total row is never loaded). Only the years the DWP release
-- holds are returned.
WITH covered AS (
    SELECT DISTINCT financial_year AS period FROM stg_dwp_low_income_children
),
population AS (
    SELECT financial_year AS period, ward_code, sum(population) AS population
    FROM child_population WHERE age_band IN ('0-4', '5-9', '10-15')
    GROUP BY financial_year, ward_code
),
cells AS (
    SELECT w.period, w.ward_code, COALESCE(sum(d.children), 0) AS children, any_value(p.population) AS population
    FROM ward_periods_annual w
    JOIN population p ON p.period = w.period AND p.ward_code = w.ward_code
    LEFT JOIN stg_dwp_low_income_children d ON d.financial_year = w.period AND d.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(children AS DOUBLE) AS numerator, CAST(population AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(children), sum(population) FROM cells GROUP BY period
