-- Calls between two endpoints of a consultation, as signaling saw them. Ids and times only.
CREATE TABLE call_records (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    consultation     VARCHAR(64)  NOT NULL,
    caller_user      VARCHAR(64)  NOT NULL,
    caller_endpoint  VARCHAR(128) NOT NULL,
    callee_user      VARCHAR(64)  NOT NULL,
    callee_endpoint  VARCHAR(128) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    connected_at     TIMESTAMP WITH TIME ZONE,
    ended_at         TIMESTAMP WITH TIME ZONE,
    end_reason       VARCHAR(32)
);

CREATE INDEX call_records_consultation ON call_records (consultation, started_at);
