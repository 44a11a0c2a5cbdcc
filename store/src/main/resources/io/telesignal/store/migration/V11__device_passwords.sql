-- Device passwords: generated secrets, one per SIP phone or XMPP client, and the only source of SIP digest HA1
-- values and SCRAM keys from now on. Nothing fast to crack is derived from an account password any more.

-- A user's SCRAM salt and iteration count, shared by all of the user's device passwords (a SCRAM server announces
-- them before it knows which device speaks). Removed with the user's last device password.
CREATE TABLE device_scram (
    user_id     VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    salt        VARCHAR(64) NOT NULL,
    iterations  INTEGER     NOT NULL
);

CREATE TABLE device_passwords (
    id                VARCHAR(16)  NOT NULL PRIMARY KEY,
    user_id           VARCHAR(64)  NOT NULL REFERENCES device_scram (user_id) ON DELETE CASCADE,
    label             VARCHAR(64)  NOT NULL,
    sip_realm         VARCHAR(128) NOT NULL,
    sip_ha1_md5       VARCHAR(64)  NOT NULL,
    sip_ha1_sha256    VARCHAR(64)  NOT NULL,
    scram_stored_key  VARCHAR(64)  NOT NULL,
    scram_server_key  VARCHAR(64)  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX device_passwords_user ON device_passwords (user_id);

-- The material derived from account passwords until now: overwritten first (so the current row versions hold
-- none of it), then the columns dropped. PostgreSQL keeps dead row versions until vacuumed: run
-- VACUUM FULL credentials after this migration (docs/security.md, "Upgrading to device passwords").
UPDATE credentials SET sip_ha1_md5 = '', sip_ha1_sha256 = '', scram_salt = '', scram_stored_key = '',
    scram_server_key = '';
ALTER TABLE credentials DROP COLUMN sip_realm;
ALTER TABLE credentials DROP COLUMN sip_ha1_md5;
ALTER TABLE credentials DROP COLUMN sip_ha1_sha256;
ALTER TABLE credentials DROP COLUMN scram_salt;
ALTER TABLE credentials DROP COLUMN scram_iterations;
ALTER TABLE credentials DROP COLUMN scram_stored_key;
ALTER TABLE credentials DROP COLUMN scram_server_key;
