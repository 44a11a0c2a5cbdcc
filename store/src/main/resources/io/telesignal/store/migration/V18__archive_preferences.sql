-- Message archive preferences (XEP-0313 §8): per user, the default (always, never, roster) and the bare JIDs always
-- and never archived, one per line. A user without a row archives everything.
CREATE TABLE archive_prefs (
    owner_id      VARCHAR(64)      NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    default_mode  VARCHAR(8)       NOT NULL,
    always_jids   VARCHAR(1000000) NOT NULL,
    never_jids    VARCHAR(1000000) NOT NULL
);
