-- API keys for platform backends calling the REST API. Only the SHA-256 of the secret is kept.
CREATE TABLE api_keys (
    id           VARCHAR(16)  NOT NULL PRIMARY KEY,
    name         VARCHAR(64)  NOT NULL,
    secret_hash  CHAR(64)     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at   TIMESTAMP WITH TIME ZONE
);
