-- Printing (issue 15): tickets and receipts whose paper did not come out
-- when they were issued (print_failed events), counted by the report.
ALTER TABLE tickets ADD COLUMN print_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appeals ADD COLUMN receipt_print_failed INTEGER NOT NULL DEFAULT 0;
