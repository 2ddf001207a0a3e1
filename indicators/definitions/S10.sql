-- Children looked after on the last day of each quarter (counted as S1 counts them, by their
-- current episode), and how many were in a residential placement, for Wrexham and by age band
-- and placement location.
WITH covered AS (
    SELECT period, end_date FROM periods_quarterly
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_looked_after)
),
on_the_day AS (
    SELECT p.period, l.child_ref, l.age_band, l.placement_location, l.placement_type = 'residential' AS residential
    FROM covered p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
cells AS (
    SELECT p.period, b.age_band, k.placement_location,
           count(d.child_ref) FILTER (WHERE d.residential) AS residential, count(d.child_ref) AS looked_after
    FROM covered p
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    CROSS JOIN (VALUES ('wrexham'), ('elsewhere_in_wales'), ('outside_wales')) k(placement_location)
    LEFT JOIN on_the_day d ON d.period = p.period AND d.age_band = b.age_band AND d.placement_location = k.placement_location
    GROUP BY p.period, b.age_band, k.placement_location
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(residential) AS DOUBLE) AS numerator, CAST(sum(looked_after) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(residential), sum(looked_after) FROM cells GROUP BY period, age_band
UNION ALL
SELECT period, 'W06000006', 'placement_location', placement_location, sum(residential), sum(looked_after) FROM cells GROUP BY period, placement_location
