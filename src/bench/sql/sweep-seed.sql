-- Sweep benchmark rows on the enrolled fleet (devices not named seed-*):
--   :expired_pins      macOS locks whose recovery PIN is past the 30-day retention (ciphertext still stored)
--   :overdue_restarts  rebootNow actions still active, requested more than the 5-minute timeout ago
--   :live_pins         recovery PINs within retention        :open_restarts  active restarts not yet due
-- The ciphertexts are 32 filler bytes: the sweep never decrypts, it only drops the value.
-- Usage: psql -v expired_pins=100000 -v overdue_restarts=100000 -v live_pins=0 -v open_restarts=0 -f ...
create temp table fleet as
  select row_number() over (order by id) as n, id from device where name not like 'seed-%';
select count(*) as fleet_size from fleet \gset

create temp table pins as
  select gen_random_uuid() as id, f.id as device_id,
         case when g <= :expired_pins then now() - interval '31 days' - interval '60 days' * random()
              else now() - interval '29 days' * random() end as at
  from generate_series(1, :expired_pins + :live_pins) g
  join fleet f on f.n = 1 + (g % :fleet_size);

insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at, completed_at,
                           not_now_count)
select id, device_id, 'remoteLock', 'done', 'seed', at, at, at, 0 from pins;

insert into action_secret (action_id, device_id, kind, ciphertext, issued_at)
select id, device_id, 'recoveryPin', decode(md5(id::text) || md5(device_id::text), 'hex'), at from pins;

insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at, not_now_count)
select gen_random_uuid(), f.id, 'rebootNow', 'active', 'seed', at, at, 0
from (select g, case when g <= :overdue_restarts then now() - interval '10 minutes' - interval '7 days' * random()
                     else now() - interval '1 minute' * random() end as at
      from generate_series(1, :overdue_restarts + :open_restarts) g) r
join fleet f on f.n = 1 + (r.g % :fleet_size);

analyze device_action;
analyze action_secret;
