-- Used invites: the primary key makes a second redemption of one invite fail, on every node.
CREATE TABLE invite_redemptions (
    invite_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    redeemed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
