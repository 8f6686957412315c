-- No data transaction sends a NOTIFY any more (issue 27). PostgreSQL takes a database-wide lock at the commit of every
-- transaction that notified and holds it until the commit is durable, so notifying commits ran one at a time and
-- halved the accepted-action rate (README, "What the commit's NOTIFY costs"). The app now wakes what waits after the
-- commit instead: in process on the replica that committed, and other replicas through notifications that one
-- connection of each replica sends in batches, outside every data transaction (common/Notifications.java); each
-- replica also catches up on its own (device-actions.agent.catch-up, device-actions.events.catch-up), so a lost
-- notification delays a wake-up by at most that long.

-- V5's wake-ups for waiting check-ins: gone, with their function.
drop trigger device_action_notify_inserted on device_action;
drop trigger device_action_notify_back_to_pending on device_action;
drop function device_action_inserted();
drop function device_action_back_to_pending();
drop function notify_pending_devices(uuid[]);

-- V6's outbox triggers, the same rows without the pg_notify.
create or replace function event_outbox_action_requested() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.action.requested', n.id, n.last_updated_at, to_jsonb(n) - 'message' - 'phone_number'
    from inserted n order by n.requested_at, n.id;
    return null;
end $$;

create or replace function event_outbox_action_changed() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select case when n.state = 'active' then 'dev.deviceactions.action.delivered'
                else 'dev.deviceactions.action.completed' end,
           n.id, n.last_updated_at, to_jsonb(n) - 'message' - 'phone_number'
    from changed n join previous o on o.id = n.id
    where n.state is distinct from o.state
      and (n.state = 'active' or n.state in ('done', 'failed', 'canceled', 'notSupported'))
    order by n.last_updated_at, n.id;
    return null;
end $$;

create or replace function event_outbox_device_enrolled() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.device.enrolled', n.id, n.enrolled_at,
           to_jsonb(n) - 'token_hash' - 'outstanding_pin_action_id' - 'outstanding_pin_issued_at'
    from inserted n order by n.enrolled_at, n.id;
    return null;
end $$;

create or replace function event_outbox_device_removed() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.device.removed', n.id, n.deleted_at,
           (to_jsonb(n) - 'token_hash' - 'outstanding_pin_action_id' - 'outstanding_pin_issued_at')
           || jsonb_build_object('latest_action',
                (select to_jsonb(a) - 'message' - 'phone_number' from device_action a
                 where a.device_id = n.id order by a.requested_at desc, a.id desc limit 1))
    from changed n join previous o on o.id = n.id
    where o.deleted_at is null and n.deleted_at is not null
    order by n.deleted_at, n.id;
    return null;
end $$;
