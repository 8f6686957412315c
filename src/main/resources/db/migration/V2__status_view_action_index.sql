-- The status view's action filter, like its other selective filters: without this index a page of a rare action
-- (resetPin, 2% of rows) walked device_action_newest through ~4,500 rows and their heap pages to find 101
-- (41 ms in PostgreSQL at 1,000,000 actions; 1 ms with it; see README, Performance).
create index device_action_action_newest on device_action (action, requested_at desc, id desc);
