-- Children receiving care and support on the last day of each quarter (looked after, or with an
-- open care and support plan) over the estimated number of children (0-17), by home ward and for
-- Wrexham, and by age band for Wrexham. Children are placed exactly as in S6 (looked-after
-- children as in S1), so this numerator = S6's denominator = S1 + S6's numerator, cell by cell.
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
    SELECT period, ward, age_band, child_ref FROM looked_after
    UNION ALL
    SELECT w.period, w.ward, w.age_band, w.child_ref
    FROM with_plan w ANTI JOIN looked_after l ON l.period = w.period AND l.child_ref = w.child_ref
),
population AS (
    SELECT p.period, c.ward_code, c.age_band, c.population
    FROM covered p JOIN child_population c ON c.financial_year = left(p.period, 7)
),
cells AS (
    SELECT pop.period, pop.ward_code, pop.age_band, pop.population, count(s.child_ref) AS supported
    FROM population pop
    LEFT JOIN supported s ON s.period = pop.period AND s.ward = pop.ward_code AND s.age_band = pop.age_band
    GROUP BY pop.period, pop.ward_code, pop.age_band, pop.population
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(supported) AS DOUBLE) AS numerator, CAST(sum(population) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(supported), sum(population) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(supported), sum(population) FROM cells GROUP BY period, age_band
