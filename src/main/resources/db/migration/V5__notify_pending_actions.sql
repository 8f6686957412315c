-- Wake-ups for waiting check-ins (Prefer: wait), on every replica. Whenever device_action rows become pending (an
-- accepted action, single or bulk, or a notNow result putting one back), the statement that did it also calls
-- pg_notify on the channel device_action_pending; the payload is the ids of the devices concerned,
-- comma-separated, each once, at most 200 a notification (7,399 bytes; PostgreSQL's limit is 8,000).
-- Triggers rather than a call in each write path, so that every statement that makes a row pending notifies,
-- whoever wrote it. PostgreSQL delivers a notification only when its transaction commits, so no waiter wakes
-- for an action that rolled back. Listeners (agent/PendingActions.java) then re-read the device's queue, and the
-- FOR UPDATE SKIP LOCKED hand-over keeps delivery exactly once. Other features that want to be woken on commit
-- listen on a channel of their own.

create function notify_pending_devices(devices uuid[]) returns void language plpgsql as $$
declare
    ids text;
begin
    for ids in
        select string_agg(device_id::text, ',')
        from (select device_id, (row_number() over () - 1) / 200 as chunk
              from unnest(devices) as device_id) numbered
        group by chunk
    loop
        perform pg_notify('device_action_pending', ids);
    end loop;
end
$$;

-- Inserts: once per statement, so that a bulk request of 10,000 devices sends 50 notifications, not 10,000.
create function device_action_inserted() returns trigger language plpgsql as $$
begin
    perform notify_pending_devices(array(select distinct device_id from inserted where state = 'pending'));
    return null;
end
$$;

create trigger device_action_notify_inserted after insert on device_action
    referencing new table as inserted for each statement execute function device_action_inserted();

-- Updates back to pending are single rows (notNow); a row trigger with a WHEN clause costs the other updates
-- (check-in deliveries, sweeps) nothing, where a statement trigger would copy every updated row.
create function device_action_back_to_pending() returns trigger language plpgsql as $$
begin
    perform notify_pending_devices(array[new.device_id]);
    return null;
end
$$;

create trigger device_action_notify_back_to_pending after update of state on device_action
    for each row when (old.state <> 'pending' and new.state = 'pending')
    execute function device_action_back_to_pending();
