-- entry-server's tables; the same SQL runs on SQLite and PostgreSQL. Times are Unix milliseconds.
-- Apps: who may call, from where, under which policy. The API key is kept only as its SHA-256.
CREATE TABLE apps (
    app_id TEXT PRIMARY KEY,
    origins TEXT NOT NULL,
    ip_allow_list TEXT NOT NULL,
    policy TEXT NOT NULL,
    api_key_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One row per attempt: its nonce is consumed once, atomically, by the evidence that answers it.
CREATE TABLE attempts (
    attempt_id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    entry_user_id TEXT,
    nonce TEXT NOT NULL,
    actions TEXT NOT NULL,
    origin TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
);

-- Users and their sealed templates (entry-core's sealed format under the server's master secret;
-- key_version names the master it was sealed under, so the master can be rotated).
CREATE TABLE users (
    app_id TEXT NOT NULL,
    entry_user_id TEXT NOT NULL,
    profile TEXT NOT NULL,
    sealed_template BYTEA,
    key_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, entry_user_id)
);

-- Device keys per user (the thumbprint of a browser profile's ECDSA P-256 key).
CREATE TABLE devices (
    app_id TEXT NOT NULL,
    entry_user_id TEXT NOT NULL,
    thumbprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (app_id, entry_user_id, thumbprint)
);

-- Failures per account (a user, or a client address for identify) and the lock they caused.
CREATE TABLE failures (
    app_id TEXT NOT NULL,
    account TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX failures_by_account ON failures (app_id, account, at);
CREATE TABLE locks (
    app_id TEXT NOT NULL,
    account TEXT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (app_id, account)
);

-- The audit log: append-only and hash-chained per app (entry-core's AuditEntry); (app_id, seq) is
-- unique, so two processes appending at once cannot both take the same place in the chain.
CREATE TABLE audit (
    app_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    time BIGINT NOT NULL,
    event TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (app_id, seq)
);
