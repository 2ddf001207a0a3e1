-- Children receiving care and support on the last day of each quarter (looked after, or with an
-- open care and support plan), and how many of them were not looked after (PM25), by home ward
-- and for Wrexham, and by age band for Wrexham.
-- A looked-after child is counted exactly as S1 counts them (the episode that started last gives
-- the ward and age band); any other child with an open plan is counted once, from the plan that
-- started last. So, cell by cell, the denominator here = S7's numerator = S1 + this numerator
-- (the relation in disclosure_relations.yaml).
WITH covered AS (
    SELECT period, end_date FROM periods_quarterly
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_care_and_support)
),
looked_after AS (
    SELECT p.period, l.ward, l.age_band, l.child_ref
    FROM covered p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
with_plan AS (
    SELECT p.period, c.ward, c.age_band, c.child_ref
    FROM covered p
    JOIN stg_cs_care_and_support c
      ON c.start_date <= p.end_date AND (c.end_date IS NULL OR c.end_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, c.child_ref ORDER BY c.start_date DESC, c.plan_id DESC) = 1
),
supported AS (
    SELECT period, ward, age_band, child_ref, true AS is_looked_after FROM looked_after
    UNION ALL
    SELECT w.period, w.ward, w.age_band, w.child_ref, false
    FROM with_plan w ANTI JOIN looked_after l ON l.period = w.period AND l.child_ref = w.child_ref
),
cells AS (
    SELECT w.period, w.ward_code, b.age_band,
           count(s.child_ref) FILTER (WHERE NOT s.is_looked_after) AS not_looked_after,
           count(s.child_ref) AS supported
    FROM ward_periods_quarterly w
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    LEFT JOIN supported s ON s.period = w.period AND s.ward = w.ward_code AND s.age_band = b.age_band
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, b.age_band
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(not_looked_after) AS DOUBLE) AS numerator, CAST(sum(supported) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(not_looked_after), sum(supported) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(not_looked_after), sum(supported) FROM cells GROUP BY period, age_band
