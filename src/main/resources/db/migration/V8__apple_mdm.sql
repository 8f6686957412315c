-- Apple devices over Apple's MDM protocol (apple/ package, api.md "Apple devices").
--
-- What the device overview shows and the support matrix reads lives on device itself, so that every reader of a
-- device (the accepted-action path, the views, the event stream) has it without a join: how commands reach the
-- device (management_channel 'agent' or 'appleMdm'), its UDID once it authenticated, whether it is enrolled, and
-- whether it ever sent an UnlockToken (ClearPasscode needs one) and can be pushed to.
alter table device
    add column management_channel     varchar(16)  not null default 'agent',
    add column apple_udid             varchar(100),
    add column apple_enrolled         boolean      not null default false,
    add column apple_enrolled_at      timestamptz,
    add column apple_last_seen_at     timestamptz,
    add column apple_unlock_token_set boolean      not null default false,
    add column apple_push_ready       boolean      not null default false;
-- One device record per UDID: a Mac enrolled again under a new record leaves the old one.
create unique index device_apple_udid on device (apple_udid) where apple_udid is not null;

-- The protocol's own state of a device, which only the apple/ package reads.
create table apple_device (
    device_id            uuid primary key references device (id),
    -- SHA-256 of the SCEP challenge of the device's newest enrollment profile (the challenge itself is never
    -- stored); a newer profile replaces it, a certificate issued against it spends it (null).
    challenge_hash       bytea,
    challenge_expires_at timestamptz,
    -- SHA-256 of the DER of the identity certificate the UDID was bound to at Authenticate: every later message
    -- must be signed with this certificate.
    cert_hash            bytea,
    product_name         varchar(100),
    model                varchar(100),
    -- From TokenUpdate. The push token and magic are what APNs needs; the UnlockToken is a secret, encrypted
    -- like PINs (AES-256-GCM, nonce first).
    topic                varchar(255),
    push_token           bytea,
    push_magic           varchar(255),
    -- APNs answered 410 for this token: no push until the next TokenUpdate.
    push_invalid_at      timestamptz,
    unlock_token         bytea,
    checked_out_at       timestamptz
);
create unique index apple_device_challenge on apple_device (challenge_hash) where challenge_hash is not null;

-- The service's own MDM commands (inventory: DeviceInformation, SecurityInfo). They are not remote actions and
-- never show in the status view; remote actions reach an Apple device from device_action like any other's.
create table apple_command (
    id              uuid primary key,
    device_id       uuid         not null references device (id),
    request_type    varchar(40)  not null,
    -- pending: to send; active: sent, no answer yet (sent again at the next Idle); done or failed: answered.
    state           varchar(16)  not null,
    not_now_count   integer      not null default 0,
    requested_at    timestamptz  not null,
    last_updated_at timestamptz  not null
);
create index apple_command_queue on apple_command (device_id, requested_at, id) where state in ('pending', 'active');

-- Commands handed to an Apple device but not answered yet: the device's next Idle connect gets them again (a lost
-- response loses no command). Few rows at any time, so the index is small.
create index device_action_unanswered on device_action (device_id, requested_at, id) where state = 'active';
