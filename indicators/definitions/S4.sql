-- Registrations on the child protection register in each quarter, and how many were of a child
-- who had come off the register in the 12 months before (PM27), for Wrexham and by age band and
-- category (each registration in one cell). Wrexham only: a ward has far fewer than 10
-- registrations a quarter, so no ward percentage could ever be shown.
WITH covered AS (
    SELECT period FROM periods_quarterly
    WHERE end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_child_protection)
),
registrations AS (
    SELECT fy_quarter_of(registration_date) AS period, age_band, category,
           COALESCE(previous_end >= registration_date - INTERVAL 12 MONTH
                    AND previous_end <= registration_date, false) AS re_registration
    FROM (
        SELECT *, lag(deregistration_date) OVER (PARTITION BY child_ref
                                                 ORDER BY registration_date, registration_id) AS previous_end
        FROM stg_cs_child_protection
    )
),
cells AS (
    SELECT c.period, b.age_band, k.category,
           count(r.period) FILTER (WHERE r.re_registration) AS re_registrations,
           count(r.period) AS registrations
    FROM covered c
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    CROSS JOIN (VALUES ('neglect'), ('emotional'), ('physical'), ('sexual')) k(category)
    LEFT JOIN registrations r ON r.period = c.period AND r.age_band = b.age_band AND r.category = k.category
    GROUP BY c.period, b.age_band, k.category
)
SELECT period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(re_registrations) AS DOUBLE) AS numerator, CAST(sum(registrations) AS DOUBLE) AS denominator
FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(re_registrations), sum(registrations) FROM cells GROUP BY period, age_band
UNION ALL
SELECT period, 'W06000006', 'category', category, sum(re_registrations), sum(registrations) FROM cells GROUP BY period, category
