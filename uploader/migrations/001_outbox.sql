-- The booth outbox: the single source of truth for what the booth promised a resident.
CREATE TABLE submissions (
  id              TEXT PRIMARY KEY,          -- UUID made when the session started; the idempotency key
  case_number     TEXT NOT NULL UNIQUE,
  booth_code      TEXT NOT NULL,
  language        TEXT NOT NULL,
  started_at      TEXT NOT NULL,             -- ISO 8601, session start
  saved_at        TEXT NOT NULL,             -- ISO 8601, when the receipt was issued
  state           TEXT NOT NULL CHECK (state IN ('saved', 'uploading', 'failed', 'delivered', 'purged')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0, -- epoch ms; due when <= now
  last_error      TEXT,
  permanent_error INTEGER NOT NULL DEFAULT 0, -- 1 when the intake refused for good (a technician looks)
  delivered_at    TEXT,
  details_json    TEXT NOT NULL,             -- category, location: not personal
  personal_sealed BLOB                       -- AES-256-GCM sealed JSON (phone, identity); NULL once delivered
) STRICT;

CREATE INDEX submissions_due ON submissions (state, next_attempt_at, saved_at);

CREATE TABLE submission_items (
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  idx           INTEGER NOT NULL,
  item_id       TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'photo')),
  mime          TEXT NOT NULL,
  camera        TEXT,
  file          TEXT NOT NULL,               -- path relative to the media directory
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  duration_sec  REAL,
  acked         INTEGER NOT NULL DEFAULT 0,  -- the intake confirmed size and sha256
  PRIMARY KEY (submission_id, idx)
) STRICT;

-- Per-day case sequence, allocated in the same transaction as the submission row.
CREATE TABLE case_sequence (
  day  TEXT PRIMARY KEY,                     -- YYYYMMDD, booth-local
  last INTEGER NOT NULL
) STRICT;
