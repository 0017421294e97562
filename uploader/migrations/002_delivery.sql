-- Delivery over tus (issue 6): each item remembers its upload URL at the intake, so a retry after a
-- crash resumes (HEAD, then PATCH from the server's offset) instead of starting over; and the
-- consecutive-failure count that drives the backoff (reset after progress), apart from attempts.
ALTER TABLE submission_items ADD COLUMN upload_url TEXT;
ALTER TABLE submissions ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
