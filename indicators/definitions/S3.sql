-- Children on the child protection register on the last day of each quarter, over the estimated
-- number of children (0-17): by home ward and for Wrexham, and by age band for Wrexham. A child
-- is counted once, with the ward and age band of the registration that started last, so wards
-- and age bands add up to Wrexham (numerators and populations). Quarters: to the last one ended
-- before the latest extract was received.
WITH covered AS (
    SELECT period, end_date FROM periods_quarterly
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_child_protection)
),
registered AS (
    SELECT p.period, r.ward, r.age_band, r.child_ref
    FROM covered p
    JOIN stg_cs_child_protection r
      ON r.registration_date <= p.end_date
     AND (r.deregistration_date IS NULL OR r.deregistration_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, r.child_ref
                               ORDER BY r.registration_date DESC, r.registration_id DESC) = 1
),
population AS (
    SELECT p.period, c.ward_code, c.age_band, c.population
    FROM covered p JOIN child_population c ON c.financial_year = left(p.period, 7)
),
cells AS (
    -- one row per quarter x ward x age band: children on the register and the population
    SELECT pop.period, pop.ward_code, pop.age_band, pop.population, count(r.child_ref) AS registered
    FROM population pop
    LEFT JOIN registered r ON r.period = pop.period AND r.ward = pop.ward_code AND r.age_band = pop.age_band
    GROUP BY pop.period, pop.ward_code, pop.age_band, pop.population
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(registered) AS DOUBLE) AS numerator, CAST(sum(population) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(registered), sum(population) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(registered), sum(population) FROM cells GROUP BY period, age_band
