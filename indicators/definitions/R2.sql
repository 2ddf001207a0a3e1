-- Pupils in secondary schools in each term and how many were persistently absent (missed over
-- 10% of sessions), placed in the ward of the school, by ward and for Wrexham, and by free
-- school meal eligibility for Wrexham. Only terms the council has sent are returned. A school
-- missing from the lookup is left out of every row, so the wards add up to Wrexham.
WITH covered AS (
    SELECT DISTINCT term AS period FROM stg_edu_attendance
),
secondary_attendance AS (
    SELECT a.term AS period, s.ward, a.fsm, a.persistently_absent, a.pupils
    FROM stg_edu_attendance a JOIN stg_edu_schools s USING (school_code)
    WHERE s.phase = 'secondary'
),
cells AS (
    SELECT w.period, w.ward_code, f.fsm,
           COALESCE(sum(a.persistently_absent), 0) AS absent, COALESCE(sum(a.pupils), 0) AS pupils
    FROM ward_periods_termly w
    CROSS JOIN (VALUES ('efsm'), ('not_efsm')) f(fsm)
    LEFT JOIN secondary_attendance a ON a.period = w.period AND a.ward = w.ward_code AND a.fsm = f.fsm
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, f.fsm
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(absent) AS DOUBLE) AS numerator, CAST(sum(pupils) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(absent), sum(pupils) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'fsm', fsm, sum(absent), sum(pupils) FROM cells GROUP BY period, fsm
