-- Police public protection notices about children in each quarter (the sum of its three months)
-- over the estimated number of children (0-17), by ward and for Wrexham. Cells the police sent
-- as '<5' (1 to 4) cannot be added: the known counts are summed and the number of '<5' cells
-- that went into each figure is returned in numerator_partner_suppressed. Only quarters with all
-- three months delivered are returned.
WITH months AS (
    SELECT fy_quarter_of(month) AS period, count(DISTINCT month) AS months
    FROM stg_police_children WHERE measure = 'ppn_child' GROUP BY ALL
),
covered AS (
    SELECT p.period FROM periods_quarterly p JOIN months m USING (period) WHERE m.months = 3
),
notices AS (
    SELECT fy_quarter_of(month) AS period, ward, "count" AS notices, count_suppressed AS suppressed
    FROM stg_police_children WHERE measure = 'ppn_child'
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(n.notices), 0) AS notices,
           count(n.period) FILTER (WHERE n.suppressed) AS suppressed
    FROM ward_periods_quarterly w
    LEFT JOIN notices n ON n.period = w.period AND n.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
),
population AS (
    SELECT p.period, c.ward_code, sum(c.population) AS population
    FROM covered p JOIN child_population c ON c.financial_year = left(p.period, 7)
    GROUP BY p.period, c.ward_code
),
ward_rows AS (
    SELECT c.period, c.ward_code, c.notices, c.suppressed, p.population
    FROM cells c JOIN population p USING (period, ward_code)
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(notices AS DOUBLE) AS numerator, CAST(population AS DOUBLE) AS denominator,
       CAST(suppressed AS INTEGER) AS numerator_partner_suppressed
FROM ward_rows
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(notices), sum(population), CAST(sum(suppressed) AS INTEGER)
FROM ward_rows GROUP BY period
