-- HTTP file upload (XEP-0363): a slot per file a user asked to share, and the file once it was put. The file name and
-- the content are sealed under the slot's id; size and type are kept in the clear (the quota and the GET answer use
-- them). A user's slots and files go with the user.
CREATE TABLE uploads (
    id              VARCHAR(64)   PRIMARY KEY,
    owner_id        VARCHAR(64)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename        VARCHAR(4000) NOT NULL,
    content_type    VARCHAR(255)  NOT NULL,
    size            BIGINT        NOT NULL,
    put_token_hash  VARCHAR(64)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    uploaded_at     TIMESTAMP WITH TIME ZONE,
    content         BYTEA
);

CREATE INDEX uploads_owner ON uploads (owner_id);
CREATE INDEX uploads_expiry ON uploads (expires_at);
