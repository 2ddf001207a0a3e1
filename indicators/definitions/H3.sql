-- Neurodevelopmental assessments completed in each quarter, and how many within 26 weeks of
-- referral. Wrexham only. Only the quarters the health board has sent are returned.
SELECT p.period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(a.within_26_weeks) AS DOUBLE) AS numerator,
       CAST(sum(a.assessments_completed) AS DOUBLE) AS denominator
FROM periods_quarterly p
JOIN stg_hb_nd_assessments a ON a.quarter = p.period
GROUP BY p.period
