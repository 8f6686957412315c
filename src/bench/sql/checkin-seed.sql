-- Check-in benchmark devices: :count supervised iPhones named seed-checkin-<n> for n in [:first, :first + :count),
-- each with the device token "bench-token-<n>" (stored, as the app stores tokens, as its SHA-256) and one pending
-- remoteLock, so that its first check-in carries a command. Usage: psql -v first=1 -v count=100000 -f ...
with seeded as (
  insert into device (id, name, platform, os_version, management_mode, supervised, passcode_set, azure_ad_joined,
                      serial_number, owner, token_hash, enrolled_at)
  select gen_random_uuid(), 'seed-checkin-' || n, 'iOS', '17.4', null, true, true, false,
         'SEED' || n, 'seed' || n || '@example.com', sha256(convert_to('bench-token-' || n, 'UTF8')), now()
  from generate_series(:first, :first + :count - 1) n
  returning id)
insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at, not_now_count)
select gen_random_uuid(), id, 'remoteLock', 'pending', 'seed', now(), now(), 0 from seeded;

analyze device;
analyze device_action;
