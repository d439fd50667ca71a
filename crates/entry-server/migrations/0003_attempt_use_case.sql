-- The use case an attempt is decided at (login, account_recovery, high_value_payment): its target
-- false-match rate comes from the app's policy.
ALTER TABLE attempts ADD COLUMN use_case TEXT NOT NULL DEFAULT 'login';
