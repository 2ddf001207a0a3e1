-- Children looked after on 31 March (counted as S1 counts them), and how many had three or more
-- placements (episodes) during the financial year to that day, for Wrexham and by age band.
-- A placement counts when it was open on any day of the year: it started on or before 31 March
-- and had not ended by 1 April (an episode ending on 1 April ended with a move that day).
WITH covered AS (
    SELECT period, start_date, end_date FROM periods_annual
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_looked_after)
),
at_year_end AS (
    SELECT p.period, p.start_date, p.end_date, l.child_ref, l.age_band
    FROM covered p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
children AS (
    SELECT y.period, y.child_ref, y.age_band, count(DISTINCT e.episode_id) AS placements
    FROM at_year_end y
    JOIN stg_cs_looked_after e
      ON e.child_ref = y.child_ref AND e.start_date <= y.end_date
     AND (e.end_date IS NULL OR e.end_date > y.start_date)
    GROUP BY y.period, y.child_ref, y.age_band
),
cells AS (
    SELECT p.period, b.age_band,
           count(c.child_ref) FILTER (WHERE c.placements >= 3) AS three_or_more,
           count(c.child_ref) AS looked_after
    FROM covered p
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    LEFT JOIN children c ON c.period = p.period AND c.age_band = b.age_band
    GROUP BY p.period, b.age_band
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(three_or_more) AS DOUBLE) AS numerator, CAST(sum(looked_after) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, three_or_more, looked_after FROM cells
