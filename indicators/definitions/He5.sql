-- Flying Start childcare places offered and taken up, by ward and for Wrexham (the sum of the
-- wards), for each term the early help return holds. Wards with no Flying Start area are 0 of 0.
WITH covered AS (
    SELECT DISTINCT term AS period FROM stg_eh_flying_start
),
cells AS (
    SELECT w.period, w.ward_code,
           COALESCE(sum(f.childcare_taken_up), 0) AS taken_up,
           COALESCE(sum(f.childcare_offered), 0) AS offered
    FROM ward_periods_termly w
    LEFT JOIN stg_eh_flying_start f ON f.term = w.period AND f.ward = w.ward_code
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(taken_up AS DOUBLE) AS numerator, CAST(offered AS DOUBLE) AS denominator
FROM cells
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(taken_up), sum(offered) FROM cells GROUP BY period
