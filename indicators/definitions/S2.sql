-- The S1 count over the estimated number of children (0-17) in the ward, Wrexham or age band.
WITH looked_after AS (
    SELECT p.period, l.ward, l.age_band, l.child_ref
    FROM periods_quarterly p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    -- one row per child: with two episodes on the day, the later-starting one gives the ward
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
population AS (
    SELECT p.period, c.ward_code, c.age_band, c.population
    FROM periods_quarterly p JOIN child_population c ON c.financial_year = left(p.period, 7)
),
cells AS (
    -- one row per quarter x ward x age band: the children looked after and the population
    SELECT pop.period, pop.ward_code, pop.age_band, pop.population,
           count(DISTINCT l.child_ref) AS looked_after
    FROM population pop
    LEFT JOIN looked_after l ON l.period = pop.period AND l.ward = pop.ward_code AND l.age_band = pop.age_band
    GROUP BY ALL
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(looked_after) AS DOUBLE) AS numerator, CAST(sum(population) AS DOUBLE) AS denominator
FROM cells GROUP BY ALL
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(looked_after), sum(population) FROM cells GROUP BY ALL
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(looked_after), sum(population) FROM cells GROUP BY ALL
