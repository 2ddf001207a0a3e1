-- Team Around the Child/Family cases closed in each quarter, and how many were stepped up to
-- children's services, by the ward on the case and for Wrexham, and by team and age band for
-- Wrexham (the same closures as H5's denominator). Every closure sits in exactly one ward x team
-- x age band cell, so wards and breakdowns add up to Wrexham. The cells and their quarters come
-- from tac_closure_cells (indicators/sql/helpers.sql), shared with H5.
WITH cells AS (SELECT period, ward_code, team, age_band, stepped_up, closed FROM tac_closure_cells)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(stepped_up) AS DOUBLE) AS numerator, CAST(sum(closed) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(stepped_up), sum(closed) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'team', team, sum(stepped_up), sum(closed) FROM cells GROUP BY period, team
UNION ALL
SELECT period, 'W06000006', 'age_band', age_band, sum(stepped_up), sum(closed) FROM cells GROUP BY period, age_band
