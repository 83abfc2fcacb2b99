-- Printing (issue 15): tickets and receipts whose paper did not come out
-- when they were issued (print_failed events), counted by the report.
ALTER TABLE tickets ADD COLUMN print_failed boolean NOT NULL DEFAULT false;
ALTER TABLE appeals ADD COLUMN receipt_print_failed boolean NOT NULL DEFAULT false;
