-- Consultations and their listed participants. Who is waiting or admitted right now is live state kept with the
-- connections (this node's memory; Redis in cluster mode), not here.
CREATE TABLE consultations (
    id                VARCHAR(64) NOT NULL PRIMARY KEY,
    state             VARCHAR(16) NOT NULL,
    max_participants  INTEGER     NOT NULL,
    created_by        VARCHAR(64) NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    scheduled_for     TIMESTAMP WITH TIME ZONE,
    ended_at          TIMESTAMP WITH TIME ZONE,
    version           BIGINT      NOT NULL
);

CREATE INDEX consultations_created_at ON consultations (created_at);

CREATE TABLE consultation_participants (
    consultation_id  VARCHAR(64) NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    user_id          VARCHAR(64) NOT NULL,
    role_name        VARCHAR(16) NOT NULL,
    PRIMARY KEY (consultation_id, user_id)
);

CREATE INDEX consultation_participants_user ON consultation_participants (user_id);
