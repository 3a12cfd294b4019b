-- Every Institute of Technology announced, with the funding of the announcement that named it.
-- One row per institute and announcement; an announcement whose institutes are not recorded yet
-- appears once with institute empty, so its count and sum are never lost. funding_gbp is the
-- announcement's headline sum (shared by all the institutes it names), not a per-institute grant.
-- Run: iot-ingest query --file warehouse/queries/iots_with_funding.sql
SELECT
    named.institute,
    a.announced_on,
    a.headline,
    a.institute_count AS institutes_in_announcement,
    a.funding_gbp,
    a.original_publisher AS announced_by,
    a.original_url
FROM v_announcements a
LEFT JOIN LATERAL (SELECT unnest(a.institutes) AS institute) named ON true
ORDER BY a.announced_on, named.institute NULLS FIRST;
