-- Year 11 leavers and how many were not in education, employment or training, placed in the ward
-- of the school, by ward and for Wrexham, for each school year the council has sent. A school
-- missing from the lookup is left out of every row, so the wards add up to Wrexham.
WITH covered AS (
    SELECT DISTINCT academic_year AS period FROM stg_edu_year11_destinations
),
schools AS (
    SELECT d.academic_year AS period, s.ward, d.neet, d.leavers
    FROM stg_edu_year11_destinations d JOIN stg_edu_schools s USING (school_code)
),
cells AS (
    SELECT w.period, w.ward_code, COALESCE(sum(x.neet), 0) AS neet, COALESCE(sum(x.leavers), 0) AS leavers
    FROM ward_periods_academic_year w
    LEFT JOIN schools x ON x.period = w.period AND x.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(neet AS DOUBLE) AS numerator, CAST(leavers AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(neet), sum(leavers) FROM cells GROUP BY period
