-- Chat messages in consultations, kept for the retention period (chat.retention) and purged by a job.
CREATE TABLE chat_messages (
    id            VARCHAR(32)   NOT NULL PRIMARY KEY,
    consultation  VARCHAR(64)   NOT NULL,
    sender        VARCHAR(64)   NOT NULL,
    sender_name   VARCHAR(128)  NOT NULL,
    body          VARCHAR(4000) NOT NULL,
    sent_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX chat_messages_consultation ON chat_messages (consultation, sent_at);
CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);
