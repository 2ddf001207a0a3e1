-- Contacts to children's services in each quarter and how many were resolved with information,
-- advice and assistance (IAA), by home ward and for Wrexham, and by who made the contact for
-- Wrexham (each contact in one ward x source cell). Quarters: from the first contact to the last
-- quarter ended before the latest extract was received.
WITH covered AS (
    SELECT period FROM periods_quarterly
    WHERE end_date >= (SELECT min(contact_date) FROM stg_cs_contacts)
      AND end_date < (SELECT CAST(max(_received) AS DATE) FROM stg_cs_contacts)
),
contacts AS (
    SELECT fy_quarter_of(contact_date) AS period, ward, contact_source, outcome = 'iaa' AS iaa
    FROM stg_cs_contacts
),
cells AS (
    SELECT w.period, w.ward_code, s.contact_source,
           count(c.period) FILTER (WHERE c.iaa) AS iaa, count(c.period) AS contacts
    FROM ward_periods_quarterly w
    CROSS JOIN (VALUES ('police'), ('health'), ('school'), ('family_self'), ('local_authority'), ('other')) s(contact_source)
    LEFT JOIN contacts c ON c.period = w.period AND c.ward = w.ward_code AND c.contact_source = s.contact_source
    WHERE w.period IN (SELECT period FROM covered)
    GROUP BY w.period, w.ward_code, s.contact_source
)
SELECT period, ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(sum(iaa) AS DOUBLE) AS numerator, CAST(sum(contacts) AS DOUBLE) AS denominator
FROM cells GROUP BY period, ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', sum(iaa), sum(contacts) FROM cells GROUP BY period
UNION ALL
SELECT period, 'W06000006', 'contact_source', contact_source, sum(iaa), sum(contacts) FROM cells GROUP BY period, contact_source
