-- Helper views every indicator's SQL may use. Created as TEMP views on the build's read-only
-- connection to the warehouse, after `SET VARIABLE reporting_end` (the last day of the last
-- complete quarter the framework reports on). A period appears only once it has ended.

CREATE OR REPLACE TEMP VIEW periods_quarterly AS
SELECT fy_quarter_of(CAST(d AS DATE)) AS period, CAST(d AS DATE) AS start_date,
       CAST(d + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS end_date
FROM range(TIMESTAMP '2018-04-01', CAST(getvariable('reporting_end') AS TIMESTAMP), INTERVAL 3 MONTH) t(d)
WHERE CAST(d + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) <= getvariable('reporting_end');

CREATE OR REPLACE TEMP VIEW periods_monthly AS
SELECT strftime(d, '%Y-%m') AS period, CAST(d AS DATE) AS start_date,
       CAST(d + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS end_date
FROM range(TIMESTAMP '2018-04-01', CAST(getvariable('reporting_end') AS TIMESTAMP), INTERVAL 1 MONTH) t(d)
WHERE CAST(d + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) <= getvariable('reporting_end');

CREATE OR REPLACE TEMP VIEW periods_annual AS
SELECT fy_label(y) AS period, make_date(y, 4, 1) AS start_date, make_date(y + 1, 3, 31) AS end_date
FROM range(2018, 2100) t(y)
WHERE make_date(y + 1, 3, 31) <= getvariable('reporting_end');

CREATE OR REPLACE TEMP VIEW periods_academic_year AS
SELECT replace(fy_label(y), '-', '/') AS period, make_date(y, 9, 1) AS start_date, make_date(y + 1, 8, 31) AS end_date
FROM range(2018, 2100) t(y)
WHERE make_date(y + 1, 8, 31) <= getvariable('reporting_end');

-- Terms: Autumn September-December, Spring January-April, Summer May-July (the summer term's
-- data arrives after the year ends in July).
CREATE OR REPLACE TEMP VIEW periods_termly AS
SELECT replace(fy_label(y), '-', '/') || ' ' || term AS period, start_date, end_date
FROM (
    SELECT y, 'Autumn' AS term, make_date(y, 9, 1) AS start_date, make_date(y, 12, 31) AS end_date FROM range(2018, 2100) t(y)
    UNION ALL SELECT y, 'Spring', make_date(y + 1, 1, 1), make_date(y + 1, 4, 30) FROM range(2018, 2100) t(y)
    UNION ALL SELECT y, 'Summer', make_date(y + 1, 5, 1), make_date(y + 1, 7, 31) FROM range(2018, 2100) t(y)
)
WHERE end_date <= getvariable('reporting_end');

CREATE OR REPLACE TEMP VIEW wards AS
SELECT ward_code, name_en, name_cy FROM ref_wards;

CREATE OR REPLACE TEMP VIEW ward_periods_quarterly AS SELECT * FROM periods_quarterly CROSS JOIN wards;
CREATE OR REPLACE TEMP VIEW ward_periods_monthly AS SELECT * FROM periods_monthly CROSS JOIN wards;
CREATE OR REPLACE TEMP VIEW ward_periods_annual AS SELECT * FROM periods_annual CROSS JOIN wards;
CREATE OR REPLACE TEMP VIEW ward_periods_academic_year AS SELECT * FROM periods_academic_year CROSS JOIN wards;
CREATE OR REPLACE TEMP VIEW ward_periods_termly AS SELECT * FROM periods_termly CROSS JOIN wards;

-- Children by financial year: the mid-year estimate of the year the financial year starts in
-- (the latest estimate carries forward past the last year published).
CREATE OR REPLACE TEMP VIEW child_population AS
SELECT fy_label(y) AS financial_year, p.ward_code, p.age_band, p.population
FROM range(2018, 2100) t(y)
JOIN ref_child_population p
  ON p.mid_year = LEAST(y, (SELECT max(mid_year) FROM ref_child_population))
WHERE make_date(y, 4, 1) <= getvariable('reporting_end');

-- Team Around the Child/Family closures, one row per quarter x ward x team x age band with how
-- many cases closed and how many for each reason (H5 takes needs met, E2 stepped up). Quarters
-- run from a year after the case list starts (closures before then would leave out the longer
-- cases, opened before the list begins, so their mix of reasons would be wrong) to the last
-- quarter ended before the latest case list was received (the list is a full refresh).
CREATE OR REPLACE TEMP VIEW tac_closure_cells AS
WITH covered AS (
    SELECT period FROM periods_quarterly
    WHERE start_date >= date_trunc('quarter', (SELECT min(opened_date) FROM stg_eh_tac_cases)) + INTERVAL 12 MONTH
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_eh_tac_cases)
),
closures AS (
    SELECT fy_quarter_of(closed_date) AS period, ward, team, age_band, closure_reason
    FROM stg_eh_tac_cases
    WHERE closed_date IS NOT NULL
)
SELECT w.period, w.ward_code, t.team, b.age_band,
       count(c.period) AS closed,
       count(c.period) FILTER (WHERE c.closure_reason = 'needs_met') AS needs_met,
       count(c.period) FILTER (WHERE c.closure_reason = 'stepped_up') AS stepped_up
FROM ward_periods_quarterly w
CROSS JOIN (VALUES ('tac'), ('taf')) t(team)
CROSS JOIN (VALUES ('0-4'), ('5-9'), ('10-15'), ('16-17')) b(age_band)
LEFT JOIN closures c
  ON c.period = w.period AND c.ward = w.ward_code AND c.team = t.team AND c.age_band = b.age_band
WHERE w.period IN (SELECT period FROM covered)
GROUP BY w.period, w.ward_code, t.team, b.age_band;
