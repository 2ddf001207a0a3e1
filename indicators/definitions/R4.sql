-- Permanent exclusions in each school year over pupils on roll, for Wrexham and by school phase.
-- Pupils on roll are repeated on each exclusion type's row, so they are taken once per school
-- and year. Schools missing from the lookup are left out, as in R3, so the two rates share a
-- denominator.
WITH covered AS (
    SELECT DISTINCT academic_year AS period FROM stg_edu_exclusions
),
schools AS (
    SELECT e.academic_year AS period, s.phase,
           COALESCE(sum(e.exclusions) FILTER (WHERE e.exclusion_type = 'permanent'), 0) AS exclusions,
           max(e.pupils_on_roll) AS pupils
    FROM stg_edu_exclusions e JOIN stg_edu_schools s USING (school_code)
    GROUP BY e.academic_year, e.school_code, s.phase
),
cells AS (
    SELECT c.period, ph.phase,
           COALESCE(sum(x.exclusions), 0) AS exclusions, COALESCE(sum(x.pupils), 0) AS pupils
    FROM covered c
    CROSS JOIN (VALUES ('primary'), ('secondary'), ('all_through'), ('special')) ph(phase)
    LEFT JOIN schools x ON x.period = c.period AND x.phase = ph.phase
    WHERE c.period IN (SELECT period FROM periods_academic_year)
    GROUP BY c.period, ph.phase
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(exclusions) AS DOUBLE) AS numerator, CAST(sum(pupils) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'phase', phase, CAST(exclusions AS DOUBLE), CAST(pupils AS DOUBLE) FROM cells
