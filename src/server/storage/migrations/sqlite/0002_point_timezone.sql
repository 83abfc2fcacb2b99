-- Each point's own time zone (an IANA name, as the point last said in a
-- push): its local dates (appeals' days, today's queue, the report's days)
-- are counted in it. Points registered before, and points that never say,
-- are on the region's zone.

ALTER TABLE points ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Asia/Almaty';
