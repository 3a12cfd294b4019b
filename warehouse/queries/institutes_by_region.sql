-- The 21 Institutes of Technology by region of England, and which announcements in the
-- warehouse name each. The mapping below is the lead institution of each IoT (wave 1: 10 April
-- 2019; wave 2: 17 December 2021) with the ONS region of its home town; `pattern` is a regular
-- expression matched against the names announcements give (lower case), covering the lead's
-- name and the IoT's own. An IoT no announcement names yet is listed with zero.
-- Run: iot-ingest query --file warehouse/queries/institutes_by_region.sql
WITH iots(lead, region, wave, pattern) AS (
    VALUES
        ('Barking & Dagenham College', 'London', 1, 'barking'),
        ('Dudley College of Technology', 'West Midlands', 1, 'dudley|black country'),
        ('Harrow College & Uxbridge College (HCUC)', 'London', 1, 'harrow|uxbridge|hcuc|hruc'),
        ('Milton Keynes College', 'South East', 1, 'milton keynes|bletchley|south central institute'),
        ('New College Durham', 'North East', 1, 'durham'),
        ('Queen Mary University of London', 'London', 1, 'queen mary|qmul'),
        ('Solihull College & University Centre', 'West Midlands', 1, 'solihull|greater birmingham'),
        ('Swindon College', 'South West', 1, 'swindon'),
        ('University of Exeter', 'South West', 1, 'exeter'),
        ('University of Lincoln', 'East Midlands', 1, 'lincoln'),
        ('Weston College', 'South West', 1, 'weston|west of england'),
        ('York College', 'Yorkshire and the Humber', 1, '\byork\b|yorkshire and (the )?humber'),
        ('Blackpool and The Fylde College', 'North West', 2, 'blackpool|fylde|lancashire'),
        ('Cheshire College South & West', 'North West', 2, 'cheshire'),
        ('Chichester College Group', 'South East', 2, 'chichester|sussex'),
        ('DN Colleges Group', 'Yorkshire and the Humber', 2, 'dn colleges|doncaster|south yorkshire'),
        ('Newcastle and Stafford Colleges Group', 'West Midlands', 2, 'stafford'),
        ('Solent University', 'South East', 2, 'solent'),
        ('South Essex College', 'East of England', 2, 'essex'),
        ('University of Derby', 'East Midlands', 2, 'derby'),
        ('University of Salford', 'North West', 2, 'salford|greater manchester')
),
named AS (
    SELECT i.lead, ai.institute, an.announcement_id, an.announced_on
    FROM iots i
    JOIN announcement_institutes ai ON regexp_matches(lower(ai.institute), i.pattern)
    JOIN announcements an ON an.announcement_id = ai.announcement_id
)
SELECT
    i.region,
    i.lead,
    i.wave,
    count(DISTINCT n.announcement_id) AS announcements,
    min(n.announced_on) AS first_named_on,
    list(DISTINCT n.institute ORDER BY n.institute) FILTER (WHERE n.institute IS NOT NULL) AS named_as
FROM iots i
LEFT JOIN named n ON n.lead = i.lead
GROUP BY i.region, i.lead, i.wave
ORDER BY i.region, i.wave, i.lead;
