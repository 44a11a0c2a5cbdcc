-- XMPP rosters (RFC 6121 §2): a user's contacts, with the name and groups the user gave each (sealed at rest: they
-- may name a patient), the presence subscription both ways and requests pending either way; and each user's roster
-- version, raised with every change.
CREATE TABLE roster_items (
    owner_id      VARCHAR(64)    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact       VARCHAR(1023)  NOT NULL,
    name          VARCHAR(4096)  NOT NULL,
    subscription  VARCHAR(8)     NOT NULL,
    ask_out       BOOLEAN        NOT NULL,
    pending_in    BOOLEAN        NOT NULL,
    group_names   VARCHAR(24000) NOT NULL,
    PRIMARY KEY (owner_id, contact)
);

CREATE TABLE roster_versions (
    owner_id  VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version   BIGINT      NOT NULL
);
