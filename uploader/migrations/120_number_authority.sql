-- Issue 14 item 3 / issue 18: the intake is the authority for this booth's numbers.
-- The resident's short number (8 digits) comes from a block the intake handed out; NULL when the
-- booth had none left (the intake then assigns one on arrival).
ALTER TABLE submissions ADD COLUMN resident_number TEXT;
-- What the intake filed the submission under, when it is not what the receipt says (a number
-- another submission already held: a restored backup, a re-imaged booth before its first answer).
ALTER TABLE submissions ADD COLUMN intake_case_number TEXT;
ALTER TABLE submissions ADD COLUMN intake_resident_number TEXT;
CREATE UNIQUE INDEX submissions_resident_number ON submissions (resident_number) WHERE resident_number IS NOT NULL;

CREATE TABLE resident_blocks (
  start       INTEGER PRIMARY KEY,          -- first number of the block
  size        INTEGER NOT NULL,
  next        INTEGER NOT NULL,             -- the next number to hand out; start + size when used up
  received_at INTEGER NOT NULL              -- epoch ms
) STRICT;
