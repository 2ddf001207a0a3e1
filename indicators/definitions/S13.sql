-- First-time entrants (first youth caution, conditional caution or court sentence) in each
-- financial year over the estimated number of young people aged 10-17, for Wrexham and by age
-- band (10-15 and 16-17, each over its own population, so both add up to the total).
-- Years: from the first the service's files cover to the last whose fourth quarter has arrived.
WITH covered AS (
    SELECT period FROM periods_annual
    WHERE end_date >= (SELECT min(outcome_date) FROM stg_yj_first_time_entrants)
      AND period || ' Q4' <= (SELECT max(_period) FROM stg_yj_first_time_entrants)
),
entrants AS (
    SELECT fy_of(outcome_date) AS period, CASE WHEN age <= 15 THEN '10-15' ELSE '16-17' END AS age_band
    FROM stg_yj_first_time_entrants
),
population AS (
    SELECT p.period, c.age_band, sum(c.population) AS population
    FROM covered p JOIN child_population c ON c.financial_year = p.period
    WHERE c.age_band IN ('10-15', '16-17')
    GROUP BY p.period, c.age_band
),
cells AS (
    SELECT pop.period, pop.age_band, pop.population, count(e.period) AS entrants
    FROM population pop
    LEFT JOIN entrants e ON e.period = pop.period AND e.age_band = pop.age_band
    GROUP BY pop.period, pop.age_band, pop.population
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(entrants) AS DOUBLE) AS numerator, CAST(sum(population) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, entrants, population FROM cells
