-- The kind of event each announcement was last notified as, so that a changed kind is an update
-- that names the change. Announcements recorded before kinds were told keep their current kind:
-- nobody was told another one, so there is no change to report.
ALTER TABLE notified_announcements ADD COLUMN kind VARCHAR;
UPDATE notified_announcements SET kind = an.kind
FROM announcements an WHERE an.announcement_id = notified_announcements.announcement_id;
