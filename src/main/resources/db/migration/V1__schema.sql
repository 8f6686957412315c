-- device-actions schema. Enum columns hold the API's own values ('macOS', 'remoteLock', 'pending').

create table device (
    id                        uuid primary key,
    name                      varchar(200) not null,
    platform                  varchar(16)  not null,
    os_version                varchar(64)  not null,
    management_mode           varchar(32),
    supervised                boolean      not null,
    passcode_set              boolean      not null,
    azure_ad_joined           boolean      not null,
    serial_number             varchar(100),
    owner                     varchar(200),
    -- SHA-256 of the device token; the token itself is shown once at enrollment and never stored.
    token_hash                bytea        not null,
    enrolled_at               timestamptz  not null,
    last_check_in_at          timestamptz,
    -- Removed devices stay for the status view and the audit trail, but are gone from the inventory.
    deleted_at                timestamptz,
    -- The macOS lock whose recovery PIN is still outstanding. One conditional UPDATE claims it, so two
    -- concurrent locks cannot both pass the guard.
    outstanding_pin_action_id uuid,
    outstanding_pin_issued_at timestamptz
);
create unique index device_token_hash on device (token_hash);
create index device_newest on device (enrolled_at desc, id desc) where deleted_at is null;
create index device_platform_newest on device (platform, enrolled_at desc, id desc) where deleted_at is null;

create table device_action (
    id              uuid primary key,
    device_id       uuid         not null references device (id),
    action          varchar(20)  not null,
    state           varchar(16)  not null,
    failure_reason  varchar(32),
    detail          varchar(1000),
    initiated_by    varchar(200) not null,
    requested_at    timestamptz  not null,
    last_updated_at timestamptz  not null,
    completed_at    timestamptz,
    bulk_action_id  uuid,
    not_now_count   integer      not null default 0,
    message         varchar(500),
    phone_number    varchar(50)
);
-- The status view: newest first, one index per selective filter, each ending in the keyset (requested_at, id).
create index device_action_newest on device_action (requested_at desc, id desc);
create index device_action_device_newest on device_action (device_id, requested_at desc, id desc);
create index device_action_state_newest on device_action (state, requested_at desc, id desc);
create index device_action_initiator_newest on device_action (initiated_by, requested_at desc, id desc);
create index device_action_bulk on device_action (bulk_action_id, requested_at desc, id desc) where bulk_action_id is not null;
-- The command queue a check-in drains, oldest first.
create index device_action_queue on device_action (device_id, requested_at, id) where state = 'pending';
-- Restarts that can still time out.
create index device_action_open_restart on device_action (requested_at) where action = 'rebootNow' and state in ('pending', 'active');

create table action_secret (
    action_id  uuid primary key references device_action (id),
    device_id  uuid        not null references device (id),
    kind       varchar(24) not null,
    -- AES-256-GCM: 12-byte nonce followed by ciphertext and tag. Null once purged.
    ciphertext bytea,
    issued_at  timestamptz not null
);
create index action_secret_live on action_secret (kind, issued_at) where ciphertext is not null;

create table idempotency_key (
    actor      varchar(200) not null,
    key        varchar(200) not null,
    action_id  uuid         not null,
    device_id  uuid         not null,
    action     varchar(20)  not null,
    created_at timestamptz  not null,
    primary key (actor, key)
);
create index idempotency_key_created on idempotency_key (created_at);

create table audit_event (
    id        uuid primary key,
    at        timestamptz  not null,
    actor     varchar(200) not null,
    activity  varchar(40)  not null,
    device_id uuid,
    action_id uuid,
    outcome   varchar(40)  not null,
    detail    varchar(1000)
);
create index audit_event_newest on audit_event (at desc, id desc);
create index audit_event_device_newest on audit_event (device_id, at desc, id desc);
create index audit_event_actor_newest on audit_event (actor, at desc, id desc);
