-- Children looked after on the last day of each quarter, by home ward and for Wrexham, and by
-- age band for Wrexham. A child with two overlapping episodes (a placement move on the day)
-- is counted once, in
-- the ward of the episode that started last, so the wards add up to Wrexham exactly.
WITH on_the_day AS (
    SELECT p.period, l.ward, l.age_band, l.child_ref
    FROM periods_quarterly p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    -- one row per child: with two episodes on the day, the later-starting one gives the ward
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
by_ward AS (
    SELECT w.period, w.ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
           CAST(count(DISTINCT d.child_ref) AS DOUBLE) AS numerator
    FROM ward_periods_quarterly w
    LEFT JOIN on_the_day d ON d.period = w.period AND d.ward = w.ward_code
    GROUP BY ALL
),
wrexham AS (
    SELECT p.period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
           CAST(count(DISTINCT d.child_ref) AS DOUBLE) AS numerator
    FROM periods_quarterly p LEFT JOIN on_the_day d USING (period)
    GROUP BY ALL
),
by_age AS (
    SELECT p.period, 'W06000006' AS area_code, 'age_band' AS breakdown, b.age_band AS breakdown_value,
           CAST(count(DISTINCT d.child_ref) AS DOUBLE) AS numerator
    FROM periods_quarterly p
    CROSS JOIN (SELECT DISTINCT age_band FROM child_population) b
    LEFT JOIN on_the_day d ON d.period = p.period AND d.age_band = b.age_band
    GROUP BY ALL
)
SELECT *, CAST(NULL AS DOUBLE) AS denominator FROM by_ward
UNION ALL SELECT *, NULL FROM wrexham
UNION ALL SELECT *, NULL FROM by_age
