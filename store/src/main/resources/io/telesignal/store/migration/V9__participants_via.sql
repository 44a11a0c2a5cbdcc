-- How each listed participant came to be on the list: named when the consultation was made ('list'), or through an
-- invite link ('invite'). A provider's waiting list shows it, to tell an invited interpreter from an unexpected guest.
ALTER TABLE consultation_participants ADD COLUMN via VARCHAR(16) DEFAULT 'list' NOT NULL;
