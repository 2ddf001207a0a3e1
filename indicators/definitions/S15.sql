-- Missing-from-home episodes involving children in each quarter (the sum of its three months),
-- by ward and for Wrexham. Cells the police sent as '<5' (1 to 4) cannot be added: the known
-- counts are summed and the number of '<5' cells that went into each figure is returned in
-- numerator_partner_suppressed. Only quarters with all three months delivered are returned.
WITH months AS (
    SELECT fy_quarter_of(month) AS period, count(DISTINCT month) AS months
    FROM stg_police_children WHERE measure = 'missing_episode' GROUP BY ALL
),
covered AS (
    SELECT p.period FROM periods_quarterly p JOIN months m USING (period) WHERE m.months = 3
),
episodes AS (
    SELECT fy_quarter_of(month) AS period, ward, "count" AS episodes, count_suppressed AS suppressed
    FROM stg_police_children WHERE measure = 'missing_episode'
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(e.episodes), 0) AS episodes,
           count(e.period) FILTER (WHERE e.suppressed) AS suppressed
    FROM ward_periods_quarterly w
    LEFT JOIN episodes e ON e.period = w.period AND e.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(episodes AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator,
       CAST(suppressed AS INTEGER) AS numerator_partner_suppressed
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(episodes), NULL, CAST(sum(suppressed) AS INTEGER)
FROM cells GROUP BY period
