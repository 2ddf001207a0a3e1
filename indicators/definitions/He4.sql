-- Children reached by Flying Start against the number expected, by ward and for Wrexham, for
-- each term the early help return holds. A ward that reached more children than expected counts
-- as reaching all of them (LEAST), so the percentage never exceeds 100% and Wrexham is the sum of
-- the wards. Wards with no Flying Start area are 0 of 0.
WITH covered AS (
    SELECT DISTINCT term AS period FROM stg_eh_flying_start
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(LEAST(f.children_reached, f.children_expected)), 0) AS reached,
           COALESCE(sum(f.children_expected), 0) AS expected
    FROM ward_periods_termly w
    LEFT JOIN stg_eh_flying_start f ON f.term = w.period AND f.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(reached AS DOUBLE) AS numerator, CAST(expected AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(reached), sum(expected) FROM cells GROUP BY period
