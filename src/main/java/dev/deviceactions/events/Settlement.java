package dev.deviceactions.events;

import java.util.List;

/**
 * What became of one event after an attempt: delivered to every sink (and deleted), to retry after
 * {@code delayMillis}, or failed for good and kept; {@code delivered} are the sinks that took it.
 */
record Settlement(
    long seq, Outcome outcome, long delayMillis, List<String> delivered, String error) {

  enum Outcome {
    delivered,
    retry,
    failed
  }
}
