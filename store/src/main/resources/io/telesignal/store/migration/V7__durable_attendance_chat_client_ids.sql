-- Who attends a consultation is durable: after a restart (or on another node) an admitted participant who comes
-- back from a new connection is admitted at once, and someone waiting keeps their place. Endpoints are the
-- connections they attend from; an attendee with none is away (away_since set) until they come back or the rejoin
-- grace runs out.
CREATE TABLE consultation_attendees (
    consultation_id  VARCHAR(64)  NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    user_id          VARCHAR(64)  NOT NULL,
    display_name     VARCHAR(128) NOT NULL,
    role_name        VARCHAR(16)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    since            TIMESTAMP WITH TIME ZONE NOT NULL,
    away_since       TIMESTAMP WITH TIME ZONE,
    position         INTEGER      NOT NULL,
    PRIMARY KEY (consultation_id, user_id)
);

CREATE INDEX consultation_attendees_user ON consultation_attendees (user_id);

CREATE TABLE consultation_endpoints (
    consultation_id  VARCHAR(64)  NOT NULL,
    user_id          VARCHAR(64)  NOT NULL,
    endpoint_id      VARCHAR(128) NOT NULL,
    PRIMARY KEY (consultation_id, endpoint_id),
    FOREIGN KEY (consultation_id, user_id) REFERENCES consultation_attendees (consultation_id, user_id) ON DELETE CASCADE
);

-- A chat message sent again (after a reconnect, on a new session) with the same client id is stored once.
ALTER TABLE chat_messages ADD COLUMN client_id VARCHAR(64);
CREATE UNIQUE INDEX chat_messages_client_id ON chat_messages (consultation, sender, client_id);
