-- Data keys for the encrypted columns (chat text, display names): random AES-256 keys, each wrapped (AES-256-GCM)
-- by the key-encryption key kept outside the database. The columns grow to hold their sealed form
-- (enc:v1:<key id>:<base64url(nonce, ciphertext, tag)>); values written before are sealed when the server unlocks
-- the keys (DataKeys.sealExisting).
CREATE TABLE data_keys (
    id          INTEGER      NOT NULL PRIMARY KEY,
    wrapped     VARCHAR(128) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

ALTER TABLE users ALTER COLUMN display_name SET DATA TYPE VARCHAR(1024);
ALTER TABLE chat_messages ALTER COLUMN sender_name SET DATA TYPE VARCHAR(1024);
ALTER TABLE chat_messages ALTER COLUMN body SET DATA TYPE VARCHAR(24000);
ALTER TABLE consultation_attendees ALTER COLUMN display_name SET DATA TYPE VARCHAR(1024);
