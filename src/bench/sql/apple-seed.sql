-- Apple MDM benchmark devices, from AppleSeed's devices.tsv (record id, UDID, certificate SHA-256 in hex): supervised
-- iPhones enrolled over Apple MDM (their UDIDs bound to those certificates), each with one pending remoteLock, so
-- that its first Idle connect carries a command. Usage: psql -v tsv=/path/devices.tsv -f apple-seed.sql
create temporary table apple_seed (id uuid, udid text, cert_hash text);
\set copy '\\copy apple_seed from ' :'tsv'
:copy
insert into device (id, name, platform, os_version, supervised, passcode_set, azure_ad_joined, serial_number,
                    token_hash, enrolled_at, management_channel, apple_udid, apple_enrolled, apple_enrolled_at)
select id, 'seed-apple-' || udid, 'iOS', '17.4', true, true, false, udid,
       sha256(convert_to('apple-' || udid, 'UTF8')), now(), 'appleMdm', udid, true, now()
from apple_seed;
insert into apple_device (device_id, cert_hash, topic, push_token, push_magic)
select id, decode(cert_hash, 'hex'), 'com.apple.mgmt.External.bench', sha256(convert_to(udid, 'UTF8')), 'magic-' || udid
from apple_seed;
insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at, not_now_count)
select gen_random_uuid(), id, 'remoteLock', 'pending', 'seed-apple', now(), now(), 0 from apple_seed;
analyze device;
analyze device_action;
analyze apple_device;
