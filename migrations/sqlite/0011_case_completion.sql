-- Issue 15: cases that can always finish.
-- An entry may speak for another body: a reply received outside the portal (`external_reply`)
-- records the letter of `source_unit`, received on `received_on` under `letter_reference`.
-- A criminal referral names the authority it went to (`referred_to`).
ALTER TABLE lead_entries ADD COLUMN source_unit TEXT;
ALTER TABLE lead_entries ADD COLUMN received_on TEXT;
ALTER TABLE lead_entries ADD COLUMN letter_reference TEXT;
ALTER TABLE lead_entries ADD COLUMN referred_to TEXT;
-- A report naming both sides of one contact becomes two leads, linked to each other.
ALTER TABLE leads ADD COLUMN linked_lead BIGINT;
