-- Mental health assessments of under-18s in each month, and how many took place within 28 days
-- of referral. Wrexham only: the health board does not report this by ward. Only the months
-- the health board has sent are returned (a missing month is 'x', never a zero).
SELECT p.period, 'W06000006' AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(a.within_28_days) AS DOUBLE) AS numerator,
       CAST(sum(a.assessments) AS DOUBLE) AS denominator
FROM periods_monthly p
JOIN stg_hb_mh_assessments a ON a.month = p.start_date
GROUP BY p.period
