-- Multi-admin approval (api.md "Multi-admin approval", the approval/ package). A policy names the actions that need a
-- second administrator's approval; a covered request becomes an approval request, which another administrator
-- approves (the operation then runs as the requester's), rejects, or which its requester cancels or which expires.

create table approval_policy (
    id              uuid         primary key,
    display_name    varchar(200) not null,
    -- The API's action names ('remoteLock', ...).
    actions         text[]       not null,
    -- The policy covers a request that targets at least this many devices (1: every request).
    minimum_devices integer      not null check (minimum_devices >= 1),
    created_by      varchar(200) not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);

create table approval_request (
    id                     uuid         primary key,
    -- needsApproval, approved (decided, its operation running), completed, rejected, cancelled, expired. An
    -- undecided request past expires_at reads as expired whether or not the sweep has written it down.
    status                 varchar(16)  not null,
    -- A remote action, or updateApprovalPolicy / deleteApprovalPolicy.
    action                 varchar(32)  not null,
    -- Whether the operation is a bulk request (its answer is the bulk answer) or one device's request.
    bulk                   boolean      not null,
    device_ids             uuid[]       not null,
    -- What the operation runs with: remoteLock's lock-screen text, the Idempotency-Key the request carried.
    message                varchar(500),
    phone_number           varchar(50),
    idempotency_key        varchar(200),
    -- A policy change: the policy and the change ({"displayName", "actions", "minimumDevices"}; null for a delete).
    policy_id              uuid,
    policy_change          jsonb,
    requested_by           varchar(200) not null,
    requested_at           timestamptz  not null,
    justification          varchar(500) not null,
    decided_by             varchar(200),
    decided_at             timestamptz,
    decision_justification varchar(500),
    expires_at             timestamptz  not null,
    -- What the approved operation gave: the created actions, the bulk answer, or the refusal.
    result                 jsonb,
    last_modified_at       timestamptz  not null
);
-- GET /api/v1/approval-requests, newest first, filtered by status or requester.
create index approval_request_newest on approval_request (requested_at desc, id desc);
create index approval_request_status_newest on approval_request (status, requested_at desc, id desc);
create index approval_request_requester_newest on approval_request (requested_by, requested_at desc, id desc);
-- What the sweep writes down as expired.
create index approval_request_open_expiry on approval_request (expires_at) where status = 'needsApproval';
-- The fence below looks up the approved requests whose operation is running.
create index approval_request_running on approval_request (requested_by, action) where status = 'approved';

-- The fence behind the request path's cover check. Each instance checks requests against the policies it holds in
-- memory (approval/ApprovalPolicies), so an uncovered request costs no extra statement; this trigger makes that
-- check exact on every instance at once: a statement that inserts actions a policy covers fails with SQLSTATE DAAPR
-- (nothing is stored) unless an approved request of the same requester names those devices, and the instance then
-- re-reads the policies and answers with an approval request instead. Without a policy for the actions inserted it
-- is one probe of the policy table. A bulk statement counts the actions it inserts, which can be fewer than the devices it named, so
-- bulk requests also read the policies before they run.
create function approval_fence() returns trigger language plpgsql as $$
declare
    inserted_count integer;
begin
    -- The common case, no policy for the actions inserted: one probe of the (small or empty) policy table.
    if not exists (select 1 from approval_policy p
                   where exists (select 1 from inserted n where n.action = any (p.actions))) then
        return null;
    end if;
    select count(*) into inserted_count from inserted;
    if exists (
        select n.initiated_by, n.action, n.device_id from inserted n
        where exists (select 1 from approval_policy p
                      where n.action = any (p.actions) and p.minimum_devices <= inserted_count)
        except
        select r.requested_by, r.action, d.id from approval_request r cross join lateral unnest(r.device_ids) as d(id)
        where r.status = 'approved')
    then
        raise exception 'an approval policy covers this request' using errcode = 'DAAPR';
    end if;
    return null;
end $$;

create trigger device_action_approval_fence after insert on device_action
    referencing new table as inserted for each statement execute function approval_fence();

-- Events (the outbox of V6): approval.requested when a request is made, approval.decided when it reaches its end:
-- completed (approved and run; the data holds the result), rejected, cancelled or expired. The lock-screen text and
-- the Idempotency-Key stay out, as they do for actions. No NOTIFY (V7): the relay is woken after the commit, or catches up.
create function event_outbox_approval_requested() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.approval.requested', n.id, n.requested_at,
           to_jsonb(n) - 'message' - 'phone_number' - 'idempotency_key'
    from inserted n order by n.requested_at, n.id;
    return null;
end $$;

create function event_outbox_approval_decided() returns trigger language plpgsql as $$
begin
    insert into event_outbox (type, subject, occurred_at, data)
    select 'dev.deviceactions.approval.decided', n.id, n.last_modified_at,
           to_jsonb(n) - 'message' - 'phone_number' - 'idempotency_key'
    from changed n join previous o on o.id = n.id
    where n.status is distinct from o.status and n.status in ('completed', 'rejected', 'cancelled', 'expired')
    order by n.last_modified_at, n.id;
    return null;
end $$;

create trigger approval_requested_event after insert on approval_request
    referencing new table as inserted for each statement execute function event_outbox_approval_requested();
create trigger approval_decided_event after update on approval_request
    referencing old table as previous new table as changed
    for each statement execute function event_outbox_approval_decided();
