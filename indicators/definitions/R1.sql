-- Sessions attended and possible in primary schools in each term, placed in the ward of the
-- school (stg_edu_schools), by ward and for Wrexham, and by free school meal eligibility for
-- Wrexham. Only terms the council has sent are returned (no Summer 2020: schools were closed).
-- A school missing from the lookup cannot be placed in a ward and is left out of every row, so
-- the wards add up to Wrexham.
WITH covered AS (
    SELECT DISTINCT term AS period FROM stg_edu_attendance
),
primary_attendance AS (
    SELECT a.term AS period, s.ward, a.fsm, a.sessions_attended, a.sessions_possible
    FROM stg_edu_attendance a JOIN stg_edu_schools s USING (school_code)
    WHERE s.phase = 'primary'
),
cells AS (
    SELECT w.period, w.ward_code, f.fsm,
           COALESCE(sum(a.sessions_attended), 0) AS attended, COALESCE(sum(a.sessions_possible), 0) AS possible
    FROM ward_periods_termly w
    CROSS JOIN (VALUES ('efsm'), ('not_efsm')) f(fsm)
    LEFT JOIN primary_attendance a ON a.period = w.period AND a.ward = w.ward_code AND a.fsm = f.fsm
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, f.fsm
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(attended) AS DOUBLE) AS numerator, CAST(sum(possible) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(attended), sum(possible) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'fsm', fsm, sum(attended), sum(possible) FROM cells GROUP BY period, fsm
