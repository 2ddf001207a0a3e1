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
