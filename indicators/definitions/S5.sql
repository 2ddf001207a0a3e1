-- Assessments completed in each quarter, and how many within 42 working days of their start
-- (PM24), by home ward and for Wrexham, and by age band for Wrexham (each in one cell).
-- Working days are counted after the start day up to and including the completion day, leaving
-- out weekends and England and Wales bank holidays. The quarter holding the earliest start
-- (April-June 2018) is left out: the extract holds only assessments started from 1 April 2018,
-- so that quarter would miss the slow ones.
WITH bank_holidays(day) AS (
    SELECT CAST(d AS DATE) FROM (VALUES
        ('2018-01-01'), ('2018-03-30'), ('2018-04-02'), ('2018-05-07'), ('2018-05-28'), ('2018-08-27'), ('2018-12-25'), ('2018-12-26'),
        ('2019-01-01'), ('2019-04-19'), ('2019-04-22'), ('2019-05-06'), ('2019-05-27'), ('2019-08-26'), ('2019-12-25'), ('2019-12-26'),
        ('2020-01-01'), ('2020-04-10'), ('2020-04-13'), ('2020-05-08'), ('2020-05-25'), ('2020-08-31'), ('2020-12-25'), ('2020-12-28'),
        ('2021-01-01'), ('2021-04-02'), ('2021-04-05'), ('2021-05-03'), ('2021-05-31'), ('2021-08-30'), ('2021-12-27'), ('2021-12-28'),
        ('2022-01-03'), ('2022-04-15'), ('2022-04-18'), ('2022-05-02'), ('2022-06-02'), ('2022-06-03'), ('2022-08-29'), ('2022-09-19'), ('2022-12-26'), ('2022-12-27'),
        ('2023-01-02'), ('2023-04-07'), ('2023-04-10'), ('2023-05-01'), ('2023-05-08'), ('2023-05-29'), ('2023-08-28'), ('2023-12-25'), ('2023-12-26'),
        ('2024-01-01'), ('2024-03-29'), ('2024-04-01'), ('2024-05-06'), ('2024-05-27'), ('2024-08-26'), ('2024-12-25'), ('2024-12-26'),
        ('2025-01-01'), ('2025-04-18'), ('2025-04-21'), ('2025-05-05'), ('2025-05-26'), ('2025-08-25'), ('2025-12-25'), ('2025-12-26'),
        ('2026-01-01'), ('2026-04-03'), ('2026-04-06'), ('2026-05-04'), ('2026-05-25'), ('2026-08-31'), ('2026-12-25'), ('2026-12-28'),
        ('2027-01-01'), ('2027-03-26'), ('2027-03-29'), ('2027-05-03'), ('2027-05-31'), ('2027-08-30'), ('2027-12-27'), ('2027-12-28')
    ) t(d)
),
calendar AS (
    -- working_day: how many working days from the start of the calendar up to and including the day
    SELECT day, sum(CASE WHEN isodow(day) <= 5 AND day NOT IN (SELECT day FROM bank_holidays) THEN 1 ELSE 0 END)
                    OVER (ORDER BY day) AS working_day
    FROM (SELECT CAST(d AS DATE) AS day FROM range(TIMESTAMP '2017-01-01', TIMESTAMP '2029-01-01', INTERVAL 1 DAY) t(d))
),
covered AS (
    SELECT period FROM periods_quarterly
    WHERE start_date > (SELECT min(start_date) FROM stg_cs_assessments)
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_assessments)
),
completed AS (
    SELECT fy_quarter_of(a.completed_date) AS period, a.ward, a.age_band,
           COALESCE(done.working_day - began.working_day <= 42, false) AS on_time
    FROM stg_cs_assessments a
    LEFT JOIN calendar began ON began.day = a.start_date
    LEFT JOIN calendar done ON done.day = a.completed_date
    WHERE a.completed_date IS NOT NULL
),
cells AS (
    SELECT w.period, w.ward_code, b.age_band,
           count(c.period) FILTER (WHERE c.on_time) AS on_time, count(c.period) AS completed
    FROM ward_periods_quarterly w
    CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
    LEFT JOIN completed c ON c.period = w.period AND c.ward = w.ward_code AND c.age_band = b.age_band
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, b.age_band
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(on_time) AS DOUBLE) AS numerator, CAST(sum(completed) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(on_time), sum(completed) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(on_time), sum(completed) FROM cells GROUP BY period, age_band
