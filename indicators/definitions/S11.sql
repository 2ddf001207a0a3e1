-- The weekly cost of the placements of children placed outside Wrexham (elsewhere in Wales or
-- outside Wales) on the last day of each quarter, for Wrexham and by placement location and type,
-- with the number of those children as the denominator (for disclosure control only: the value
-- is the cost total). Children are counted as S1 counts them, by their current episode. Costs are
-- rounded to whole pounds per placement so that totals are whole numbers and the breakdowns add
-- up to the Wrexham total exactly in floating point.
WITH covered AS (
    SELECT period, end_date FROM periods_quarterly
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_looked_after)
),
on_the_day AS (
    SELECT p.period, l.child_ref, l.placement_type, l.placement_location,
           CAST(round(l.weekly_cost) AS BIGINT) AS weekly_cost
    FROM covered p
    JOIN stg_cs_looked_after l
      ON l.start_date <= p.end_date AND (l.end_date IS NULL OR l.end_date > p.end_date)
    QUALIFY row_number() OVER (PARTITION BY p.period, l.child_ref ORDER BY l.start_date DESC, l.episode_id DESC) = 1
),
cells AS (
    SELECT p.period, k.placement_location, t.placement_type,
           COALESCE(sum(d.weekly_cost), 0) AS cost, count(d.child_ref) AS children
    FROM covered p
    CROSS JOIN (VALUES ('elsewhere_in_wales'), ('outside_wales')) k(placement_location)
    CROSS JOIN (VALUES ('foster_in_house'), ('foster_agency'), ('kinship'), ('residential'),
                       ('placed_with_parents'), ('other')) t(placement_type)
    LEFT JOIN on_the_day d ON d.period = p.period AND d.placement_location = k.placement_location
                          AND d.placement_type = t.placement_type
    GROUP BY p.period, k.placement_location, t.placement_type
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(cost) AS DOUBLE) AS numerator, CAST(sum(children) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'placement_location', placement_location, sum(cost), sum(children) FROM cells GROUP BY period, placement_location
UNION ALL
SELECT period, 'W06000006', 'placement_type', placement_type, sum(cost), sum(children) FROM cells GROUP BY period, placement_type
