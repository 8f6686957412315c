-- The transactional outbox of the event stream (events/ package, api.md "Events"). Triggers write one row for each
-- change an event reports, in the statement that makes the change: so in its transaction, on every write path (single
-- and bulk requests, check-in, results, cancel, the sweep, removal), with no extra round trip, and an event exists if
-- and only if its change committed. The relay renders the CloudEvent's data (action view, device view) from the row.

create table event_outbox (
    -- Commit order per subject: changes of one action or device hold its row lock until they commit, so a later
    -- change of the same subject always draws a higher seq.
    seq             bigserial    primary key,
    -- ce-id: the same on every attempt and replay.
    id              uuid         not null default gen_random_uuid() unique,
    type            varchar(64)  not null,
    subject         uuid         not null,
    -- ce-time: the change's own timestamp (the action's lastUpdatedAt, the device's enrolledAt or removal time).
    occurred_at     timestamptz  not null,
    -- The changed row as stored, without what no event may carry (token hash, lock-screen message and phone number).
    data            jsonb        not null,
    -- pending: to deliver (again); failed: refused by a sink or past device-actions.events.max-age, kept for operators.
    -- Delivered events are deleted.
    state           varchar(16)  not null default 'pending',
    attempts        integer      not null default 0,
    -- Retries are counted against max-age from here: the time of writing, or of a replay.
    aging_since     timestamptz  not null default now(),
    next_attempt_at timestamptz  not null default now(),
    -- A relay holds the events it is sending until then; a relay that died loses them at this time.
    leased_until    timestamptz,
    -- The sinks that already answered 2xx: a retry is sent only to the others.
    delivered_to    text[]       not null default '{}',
    last_attempt_at timestamptz,
    last_error      varchar(500),
    failed_at       timestamptz
);
-- What the relay claims: the oldest pending event of each subject.
create index event_outbox_pending on event_outbox (seq) where state = 'pending';
create index event_outbox_subject_pending on event_outbox (subject, seq) where state = 'pending';
-- GET /api/v1/event-deliveries?state=failed, newest first.
create index event_outbox_failed on event_outbox (occurred_at desc, id desc) where state = 'failed';

-- The relay LISTENs on this channel: one notification per transaction that wrote events (NOTIFY folds duplicates
-- within a transaction and delivers at commit only).
create function event_outbox_action_requested() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.action.requested', n.id, n.last_updated_at, to_jsonb(n) - 'message' - 'phone_number'
    from inserted n order by n.requested_at, n.id;
    if found then
        perform pg_notify('device_actions_events', '');
    end if;
    return null;
end $$;

-- pending -> active is a delivery; reaching a final state a completion. notNow (active -> pending) has no event type
-- in the contract: the next delivery reports it, with notNowCount raised.
create function event_outbox_action_changed() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select case when n.state = 'active' then 'dev.deviceactions.action.delivered'
                else 'dev.deviceactions.action.completed' end,
           n.id, n.last_updated_at, to_jsonb(n) - 'message' - 'phone_number'
    from changed n join previous o on o.id = n.id
    where n.state is distinct from o.state
      and (n.state = 'active' or n.state in ('done', 'failed', 'canceled', 'notSupported'))
    order by n.last_updated_at, n.id;
    if found then
        perform pg_notify('device_actions_events', '');
    end if;
    return null;
end $$;

create function event_outbox_device_enrolled() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.device.enrolled', n.id, n.enrolled_at,
           to_jsonb(n) - 'token_hash' - 'outstanding_pin_action_id' - 'outstanding_pin_issued_at'
    from inserted n order by n.enrolled_at, n.id;
    if found then
        perform pg_notify('device_actions_events', '');
    end if;
    return null;
end $$;

-- A removal's event carries the device's latest action as it stands after removal canceled what was pending.
create function event_outbox_device_removed() returns trigger language plpgsql as $$
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
    if found then
        perform pg_notify('device_actions_events', '');
    end if;
    return null;
end $$;

create trigger device_action_requested_event after insert on device_action
    referencing new table as inserted for each statement execute function event_outbox_action_requested();
create trigger device_action_changed_event after update on device_action
    referencing old table as previous new table as changed
    for each statement execute function event_outbox_action_changed();
create trigger device_enrolled_event after insert on device
    referencing new table as inserted for each statement execute function event_outbox_device_enrolled();
create trigger device_removed_event after update on device
    referencing old table as previous new table as changed
    for each statement execute function event_outbox_device_removed();
