-- Status-view benchmark: fills device_action up to :total rows with the actions of 90 days on the enrolled fleet
-- (every device not named seed-*): the action, state, initiator and bulk mixes below, newest-first order by
-- requested_at. Restarts are seeded in final states only, so that the sweep benchmark's counts stay its own.
-- Usage: psql -v total=1000000 -f sql/status-seed.sql
select setseed(0.42) \gset
create temp table fleet as
  select row_number() over (order by id) as n, id from device where name not like 'seed-%';
select count(*) as fleet_size from fleet \gset
select greatest(:total - count(*), 0) as missing from device_action \gset

insert into device_action (id, device_id, action, state, failure_reason, initiated_by, requested_at,
                           last_updated_at, completed_at, bulk_action_id, not_now_count)
select gen_random_uuid(), f.id, r.action, r.state,
       case when r.state = 'failed' then (case when r.action = 'rebootNow' then 'timedOut' else 'deviceError' end) end,
       r.initiator, r.at, r.at + interval '3 minutes',
       case when r.state not in ('pending', 'active') then r.at + interval '3 minutes' end,
       r.bulk, 0
from (
  select g,
         case when a < 0.40 then 'rebootNow' when a < 0.75 then 'remoteLock' when a < 0.90 then 'resetPasscode'
              when a < 0.98 then 'removePasscode' else 'resetPin' end as action,
         case when a < 0.40 and s >= 0.92 then 'done'
              when s < 0.80 then 'done' when s < 0.88 then 'failed' when s < 0.91 then 'canceled'
              when s < 0.92 then 'notSupported' when s < 0.97 then 'active' else 'pending' end as state,
         case when i < 0.75 then 'admin' || (1 + floor(i * 26)::int) || '@example.com' else 'fleet-sim' end
           as initiator,
         now() - interval '90 days' * t as at,
         case when b < 0.25 then md5('bulk-' || floor(b * 1200)::int)::uuid end as bulk
  from (select g, random() a, random() s, random() i, random() t, random() b
        from generate_series(1, :missing) g) x
) r
join fleet f on f.n = 1 + (r.g % :fleet_size);

analyze device_action;
