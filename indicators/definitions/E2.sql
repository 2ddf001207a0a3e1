-- Team Around the Child/Family cases closed in each quarter, and how many were stepped up to
-- children's services, by the ward on the case and for Wrexham, and by team and age band for
-- Wrexham (the same closures as H5's denominator). Every closure sits in exactly one ward x team
-- x age band cell, so wards and breakdowns add up to Wrexham. Quarters: from a year after the
-- first case opened to the last quarter ended before the latest case list was received.
WITH covered AS (
    SELECT period FROM periods_quarterly
    -- a year after the case list starts: closures before then would leave out the longer cases
    -- (opened before the list begins), so their mix of reasons would be wrong
    WHERE start_date >= date_trunc('quarter', (SELECT min(opened_date) FROM stg_eh_tac_cases)) + INTERVAL 12 MONTH
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_eh_tac_cases)
),
closures AS (
    SELECT fy_quarter_of(closed_date) AS period, ward, team, age_band,
           closure_reason = 'stepped_up' AS stepped_up
    FROM stg_eh_tac_cases
    WHERE closed_date IS NOT NULL
),
cells AS (
    SELECT w.period, w.ward_code, t.team, b.age_band,
           count(c.period) FILTER (WHERE c.stepped_up) AS stepped_up, count(c.period) AS closed
    FROM ward_periods_quarterly w
    CROSS JOIN (VALUES ('tac'), ('taf')) t(team)
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    LEFT JOIN closures c
      ON c.period = w.period AND c.ward = w.ward_code AND c.team = t.team AND c.age_band = b.age_band
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, t.team, b.age_band
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(stepped_up) AS DOUBLE) AS numerator, CAST(sum(closed) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(stepped_up), sum(closed) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'team', team, sum(stepped_up), sum(closed) FROM cells GROUP BY period, team
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(stepped_up), sum(closed) FROM cells GROUP BY period, age_band
