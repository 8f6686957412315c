-- The replicas that relay events to sinks, each with when it last said so (events/EventRelay, every half
-- device-actions.events.catch-up). A replica without a sink deletes the pending events only while no replica relays:
-- during a roll-out that adds a sink (a Knative SinkBinding's K_SINK reaches new pods only), the old pods would
-- otherwise delete what the new ones are to deliver.
create table event_relay (
    instance text primary key,
    seen_at timestamptz not null
);
