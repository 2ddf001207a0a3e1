-- Conforming macros: partner text -> the warehouse's codes and types.
-- Each returns NULL when the text cannot be conformed; etl/validate.py turns that NULL into a
-- reject with a message. Loaded into every warehouse by etl/conform.py, and used again by the
-- indicator SQL (fy_quarter_of, fy_of, ...), so periods are cut one way everywhere.

-- Labels compared without case, spacing, punctuation; '&' reads as 'and'.
CREATE OR REPLACE MACRO norm_label(x) AS
    regexp_replace(lower(replace(trim(x), '&', 'and')), '[^a-z0-9<>]', '', 'g');

-- Two-digit-year formats come first: '%Y' would read '03-Jun-24' as the year 24 AD, while '%y'
-- refuses a four-digit year, so each date finds its one right format.
CREATE OR REPLACE MACRO conform_date(x) AS
    CAST(try_strptime(trim(x), ['%Y-%m-%d', '%d/%m/%y', '%d/%m/%Y', '%d-%b-%y', '%d-%b-%Y', '%d %B %Y',
                                '%d %b %Y', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y %H:%M']) AS DATE);

CREATE OR REPLACE MACRO conform_month(x) AS
    CAST(date_trunc('month', try_strptime(trim(x), ['%Y-%m', '%b-%y', '%B-%y', '%B %Y', '%b %Y',
                                                    '%Y-%m-%d', '%d/%m/%Y', '%m/%Y'])) AS DATE);

-- Numbers: thousands separators allowed; a count must be whole and not negative (checked apart
-- so the partner is told which).
CREATE OR REPLACE MACRO parse_number(x) AS TRY_CAST(replace(trim(x), ',', '') AS DOUBLE);
CREATE OR REPLACE MACRO conform_money(x) AS
    TRY_CAST(regexp_replace(replace(replace(upper(trim(x)), 'GBP', ''), '£', ''), '[ ,]', '', 'g') AS DECIMAL(12, 2));

-- Financial year '2024-25' from '2024-25', '2024/25', 'FY2024/25', '2024/25 (FYE 2025)', '2024-2025'.
CREATE OR REPLACE MACRO _two_years(x) AS
    regexp_extract(upper(regexp_replace(x, '\s+', '', 'g')), '^(?:FY)?([0-9]{4})[-/]([0-9]{2}|[0-9]{4})(?:\(FYE[0-9]{4}\))?$', ['y', 'y2']);
CREATE OR REPLACE MACRO _next_year_ok(y, y2) AS
    (length(y2) = 2 AND TRY_CAST(y2 AS INT) = (TRY_CAST(y AS INT) + 1) % 100)
    OR (length(y2) = 4 AND TRY_CAST(y2 AS INT) = TRY_CAST(y AS INT) + 1);
CREATE OR REPLACE MACRO fy_label(y) AS
    CAST(y AS VARCHAR) || '-' || lpad(CAST((y + 1) % 100 AS VARCHAR), 2, '0');
-- A macro's argument is copied wherever the body names it, and DuckDB plans every copy, so
-- text parsed once is handed on through a one-item list_transform: `p` is bound once. This keeps
-- planning of the checks (run per table on every build) to a third of what it was.
CREATE OR REPLACE MACRO _year_pair_label(p) AS
    CASE WHEN _next_year_ok(p.y, p.y2) THEN fy_label(TRY_CAST(p.y AS INT)) END;
CREATE OR REPLACE MACRO conform_financial_year(x) AS
    list_transform([_two_years(x)], lambda p: _year_pair_label(p))[1];
CREATE OR REPLACE MACRO conform_academic_year(x) AS
    replace(list_transform([_two_years(x)], lambda p: _year_pair_label(p))[1], '-', '/');

-- Quarter '2024-25 Q1' (Q1 = April-June) from '2024-25 Q1', '2024/25Q1', 'Q1 2024/25', ...
CREATE OR REPLACE MACRO _quarter_parts(x) AS
    list_transform([upper(regexp_replace(x, '\s+', '', 'g'))], lambda s:
        CASE WHEN regexp_matches(s, '^Q[1-4]')
             THEN regexp_extract(s, '^Q([1-4])([0-9]{4})[-/]([0-9]{2}|[0-9]{4})$', ['q', 'y', 'y2'])
             ELSE regexp_extract(s, '^([0-9]{4})[-/]([0-9]{2}|[0-9]{4})Q([1-4])$', ['y', 'y2', 'q']) END)[1];
CREATE OR REPLACE MACRO conform_quarter(x) AS
    list_transform([_quarter_parts(x)], lambda p: _year_pair_label(p) || ' Q' || p.q)[1];

-- School term '2024/25 Autumn' from 'Autumn 2024', 'Spring 2025', 'Autumn term 2024', '2024/25 Autumn'.
CREATE OR REPLACE MACRO _term_parts(x) AS
    regexp_extract(lower(trim(x)), '^(autumn|spring|summer)(?:\s+term)?\s+([0-9]{4})$', ['season', 'y']);
CREATE OR REPLACE MACRO _term_parts_ay(x) AS
    regexp_extract(lower(trim(x)), '^([0-9]{4})[-/]([0-9]{2})\s+(autumn|spring|summer)(?:\s+term)?$', ['y', 'y2', 'season']);
CREATE OR REPLACE MACRO _season_label(season) AS upper(season[1]) || season[2:];
CREATE OR REPLACE MACRO conform_school_term(x) AS
    list_transform([{'t': _term_parts(x), 'a': _term_parts_ay(x)}], lambda p:
        CASE
          WHEN p.t.season <> '' THEN
            replace(fy_label(TRY_CAST(p.t.y AS INT) - CASE WHEN p.t.season = 'autumn' THEN 0 ELSE 1 END), '-', '/')
            || ' ' || _season_label(p.t.season)
          WHEN _next_year_ok(p.a.y, p.a.y2) THEN
            replace(fy_label(TRY_CAST(p.a.y AS INT)), '-', '/') || ' ' || _season_label(p.a.season)
        END)[1];

-- TRY_CAST where a WHEN has already checked the text: DuckDB may work out a THEN branch for
-- every row (common subexpressions are computed once, below the CASE), so it must not fail.

-- Periods of a date: the financial year and quarter it falls in (Q1 = April-June).
CREATE OR REPLACE MACRO fy_start_year(d) AS year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END;
CREATE OR REPLACE MACRO fy_of(d) AS fy_label(fy_start_year(d));
CREATE OR REPLACE MACRO fy_quarter_of(d) AS fy_of(d) || ' Q' || CAST(((month(d) + 8) % 12) // 3 + 1 AS VARCHAR);
