package dev.deviceactions.events;

/** Where an undelivered event stands: still being retried, or given up on and kept. */
public enum DeliveryState {
  pending,
  failed
}
