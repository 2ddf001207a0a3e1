-- Fixed-term exclusions in each school year over pupils on roll, placed in the ward of the
-- school, by ward and for Wrexham, and by school phase for Wrexham. Pupils on roll are repeated
-- on each exclusion type's row, so they are taken once per school and year. Only school years
-- the council has sent are returned; a school missing from the lookup is left out of every row.
WITH covered AS (
    SELECT DISTINCT academic_year AS period FROM stg_edu_exclusions
),
schools AS (
    SELECT e.academic_year AS period, s.ward, s.phase,
           COALESCE(sum(e.exclusions) FILTER (WHERE e.exclusion_type = 'fixed_term'), 0) AS exclusions,
           max(e.pupils_on_roll) AS pupils
    FROM stg_edu_exclusions e JOIN stg_edu_schools s USING (school_code)
    GROUP BY e.academic_year, e.school_code, s.ward, s.phase
),
cells AS (
    SELECT w.period, w.ward_code, ph.phase,
           COALESCE(sum(x.exclusions), 0) AS exclusions, COALESCE(sum(x.pupils), 0) AS pupils
    FROM ward_periods_academic_year w
    CROSS JOIN (VALUES ('primary'), ('secondary'), ('all_through'), ('special')) ph(phase)
    LEFT JOIN schools x ON x.period = w.period AND x.ward = w.ward_code AND x.phase = ph.phase
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, ph.phase
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(exclusions) AS DOUBLE) AS numerator, CAST(sum(pupils) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(exclusions), sum(pupils) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'phase', phase, sum(exclusions), sum(pupils) FROM cells GROUP BY period, phase
