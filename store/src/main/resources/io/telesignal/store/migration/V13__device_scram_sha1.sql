-- SCRAM-SHA-1 material (RFC 5802) beside SCRAM-SHA-256's, for XMPP clients that offer only SCRAM-SHA-1 (Smack 4.4,
-- many mobile clients). Same salt and iteration count as the user's SHA-256 keys. Device passwords created before
-- this migration have none (NULL): they sign in with SCRAM-SHA-256 or PLAIN until they are created again.
ALTER TABLE device_passwords ADD COLUMN scram_sha1_stored_key VARCHAR(64);
ALTER TABLE device_passwords ADD COLUMN scram_sha1_server_key VARCHAR(64);
