-- Which users changed, and when: a process that keeps an app's templates opened in memory polls
-- this to follow the registrations, re-seals and deletions other processes make. It names user
-- ids only (no template, no profile) and rows older than an hour are pruned.
CREATE TABLE user_changes (
    app_id TEXT NOT NULL,
    entry_user_id TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX user_changes_by_app ON user_changes (app_id, at);
