-- Pupils in the spring term (closest to the January census) and how many were eligible for free
-- school meals, placed in the ward of the school, by ward and for Wrexham, and by school phase
-- for Wrexham. A school year is returned when its spring term has arrived. A school missing
-- from the lookup is left out of every row, so the wards add up to Wrexham.
WITH spring AS (
    SELECT left(a.term, 7) AS period, s.ward, s.phase, a.fsm, a.pupils
    FROM stg_edu_attendance a JOIN stg_edu_schools s USING (school_code)
    WHERE a.term LIKE '% Spring'
),
covered AS (
    SELECT DISTINCT left(term, 7) AS period FROM stg_edu_attendance WHERE term LIKE '% Spring'
),
cells AS (
    SELECT w.period, w.ward_code, ph.phase,
           COALESCE(sum(x.pupils) FILTER (WHERE x.fsm = 'efsm'), 0) AS efsm,
           COALESCE(sum(x.pupils), 0) AS pupils
    FROM ward_periods_academic_year w
    CROSS JOIN (VALUES ('primary'), ('secondary'), ('all_through'), ('special')) ph(phase)
    LEFT JOIN spring x ON x.period = w.period AND x.ward = w.ward_code AND x.phase = ph.phase
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, ph.phase
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(efsm) AS DOUBLE) AS numerator, CAST(sum(pupils) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(efsm), sum(pupils) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'phase', phase, sum(efsm), sum(pupils) FROM cells GROUP BY period, phase
