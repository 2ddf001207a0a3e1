-- Referrals to children's services in each quarter over the estimated number of children (0-17),
-- by home ward and for Wrexham, and by age band (over that band's population) for Wrexham; each
-- referral sits in one ward x age band cell, so wards and age bands add up to Wrexham.
-- Quarters: from the first referral to the last quarter ended before the latest extract.
WITH covered AS (
    SELECT period FROM periods_quarterly
    WHERE end_date >= (SELECT min(referral_date) FROM stg_cs_referrals)
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_referrals)
),
referrals AS (
    SELECT fy_quarter_of(referral_date) AS period, ward, age_band FROM stg_cs_referrals
),
population AS (
    SELECT p.period, c.ward_code, c.age_band, c.population
    FROM covered p JOIN child_population c ON c.financial_year = left(p.period, 7)
),
cells AS (
    SELECT pop.period, pop.ward_code, pop.age_band, pop.population, count(r.period) AS referrals
    FROM population pop
    LEFT JOIN referrals r ON r.period = pop.period AND r.ward = pop.ward_code AND r.age_band = pop.age_band
    GROUP BY pop.period, pop.ward_code, pop.age_band, pop.population
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(referrals) AS DOUBLE) AS numerator, CAST(sum(population) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(referrals), sum(population) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(referrals), sum(population) FROM cells GROUP BY period, age_band
