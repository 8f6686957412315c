package dev.deviceactions.common;

/**
 * Fired in process right after a transaction that may have changed actions or devices committed
 * (every {@code @WithTransaction} method, {@link TransactionsRunToTheirEnd}, and the pool-level
 * writers that hand over commands), so that what works on committed changes (the event relay) runs
 * at once instead of at its next look. Observers must not block: they run on the request's thread.
 */
public record Committed() {
  public static final Committed INSTANCE = new Committed();
}
