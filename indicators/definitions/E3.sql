-- Wellbeing Hub contacts in each month, by ward and for Wrexham, and by contact reason and age
-- group for Wrexham (each return cell in one ward x reason x age group cell, so wards and
-- breakdowns add up to Wrexham). Zero cells are left out of the return, so every ward, reason
-- and age group is filled in with 0. Months: from the first to the last month the returns hold
-- (the Hub opened in April 2021).
WITH covered AS (
    SELECT period, start_date FROM periods_monthly
    WHERE start_date BETWEEN (SELECT min(month) FROM stg_eh_wellbeing_hub)
                         AND (SELECT max(month) FROM stg_eh_wellbeing_hub)
),
cells AS (
    SELECT w.period, w.ward_code, r.reason, b.age_band, COALESCE(sum(h.contacts), 0) AS contacts
    FROM ward_periods_monthly w
    CROSS JOIN (VALUES ('emotional_wellbeing'), ('anxiety'), ('family_relationships'), ('bullying'),
                       ('self_harm'), ('other')) r(reason)
    CROSS JOIN (VALUES ('under_11'), ('11-15'), ('16-18'), ('parent_carer')) b(age_band)
    LEFT JOIN stg_eh_wellbeing_hub h
      ON h.month = w.start_date AND h.ward = w.ward_code AND h.reason = r.reason AND h.age_band = b.age_band
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, r.reason, b.age_band
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(contacts) AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(contacts), NULL FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'reason', reason, sum(contacts), NULL FROM cells GROUP BY period, reason
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(contacts), NULL FROM cells GROUP BY period, age_band
