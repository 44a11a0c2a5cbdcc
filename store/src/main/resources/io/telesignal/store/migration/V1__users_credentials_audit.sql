-- Users, their roles and derived credentials, and the hash-chained audit trail.
-- Portable SQL: the same script runs on H2 (embedded default) and PostgreSQL.

CREATE TABLE users (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    login         VARCHAR(64)  NOT NULL,
    display_name  VARCHAR(128) NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_login_unique UNIQUE (login)
);

CREATE TABLE user_roles (
    user_id    VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_name  VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, role_name)
);

-- Never a password: an Argon2id/PBKDF2 PHC string, SIP digest HA1 values (RFC 8760) and SCRAM-SHA-256 keys (RFC 7677).
CREATE TABLE credentials (
    user_id           VARCHAR(64)  NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash     VARCHAR(256) NOT NULL,
    sip_realm         VARCHAR(128) NOT NULL,
    sip_ha1_md5       VARCHAR(64)  NOT NULL,
    sip_ha1_sha256    VARCHAR(64)  NOT NULL,
    scram_salt        VARCHAR(64)  NOT NULL,
    scram_iterations  INTEGER      NOT NULL,
    scram_stored_key  VARCHAR(64)  NOT NULL,
    scram_server_key  VARCHAR(64)  NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Append-only. hash = SHA-256(canonical(seq, event) || prev_hash); see core AuditChain.
CREATE TABLE audit_events (
    seq             BIGINT       NOT NULL PRIMARY KEY,
    event_type      VARCHAR(64)  NOT NULL,
    actor           VARCHAR(256) NOT NULL,
    subject         VARCHAR(256),
    consultation    VARCHAR(256),
    endpoint        VARCHAR(256),
    remote_address  VARCHAR(256),
    outcome         VARCHAR(16)  NOT NULL,
    reason          VARCHAR(256),
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    prev_hash       CHAR(64)     NOT NULL,
    chain_hash      CHAR(64)     NOT NULL
);

CREATE INDEX audit_events_subject ON audit_events (subject);
CREATE INDEX audit_events_consultation ON audit_events (consultation);

-- The chain's last link, locked by every append (one writer at a time, across nodes) and compared by
-- `audit verify` to detect deleted newest records.
CREATE TABLE audit_head (
    id          INTEGER  NOT NULL PRIMARY KEY,
    seq         BIGINT   NOT NULL,
    chain_hash  CHAR(64) NOT NULL
);

INSERT INTO audit_head (id, seq, chain_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
