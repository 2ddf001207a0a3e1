-- Team Around the Child/Family cases opened in each quarter, by the ward on the case and for
-- Wrexham, and by team and age band for Wrexham (every case in exactly one cell, so wards and
-- breakdowns add up to Wrexham). Quarters: from the first case opened to the last quarter ended
-- before the latest case list was received.
WITH covered AS (
    SELECT period FROM periods_quarterly
    WHERE end_date >= (SELECT min(opened_date) FROM stg_eh_tac_cases)
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_eh_tac_cases)
),
opened AS (
    SELECT fy_quarter_of(opened_date) AS period, ward, team, age_band FROM stg_eh_tac_cases
),
cells AS (
    SELECT w.period, w.ward_code, t.team, b.age_band, count(o.period) AS opened
    FROM ward_periods_quarterly w
    CROSS JOIN (VALUES ('tac'), ('taf')) t(team)
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    LEFT JOIN opened o
      ON o.period = w.period AND o.ward = w.ward_code AND o.team = t.team AND o.age_band = b.age_band
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, t.team, b.age_band
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(opened) AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(opened), NULL FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'team', team, sum(opened), NULL FROM cells GROUP BY period, team
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(opened), NULL FROM cells GROUP BY period, age_band
