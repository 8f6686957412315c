package dev.deviceactions.common;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.stream.Stream;

/**
 * Tells the database being unavailable (a client should retry: 503) from any other failure (a bug:
 * 500), whichever layer wrapped it: Hibernate, Mutiny or none.
 */
public final class DatabaseFailures {
  private static final int MAX_DEPTH = 8;

  /**
   * Vert.x SQL client's SocketConnectionBase, for a command on a connection no longer connected.
   */
  private static final String NOT_ACTIVE = "Connection is not active now";

  private DatabaseFailures() {}

  public static boolean unavailable(Throwable failure) {
    return chain(failure, 0).anyMatch(DatabaseFailures::isUnavailability);
  }

  /**
   * Refused, reset or closed connections, and the SQLSTATEs PostgreSQL answers while it is shutting
   * down, has crashed or is still starting up (57P01-57P03) or when the connection broke (class 08,
   * connection exception). NIO reports a write to a reset socket as a plain IOException; its
   * subclasses (JSON errors among them) mean other things. A command sent on a pooled connection
   * whose socket has just closed fails with the SQL client's own message and no type of its own.
   */
  private static boolean isUnavailability(Throwable t) {
    if (t instanceof SocketException
        || t.getClass() == IOException.class
        || t instanceof ClosedConnectionException
        || t instanceof NoStackTraceThrowable
            && t.getMessage() != null
            && t.getMessage().startsWith(NOT_ACTIVE)) {
      return true;
    }
    String state =
        t instanceof PgException pg
            ? pg.getSqlState()
            : t instanceof SQLException sql ? sql.getSQLState() : null;
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** The failure and its causes; a rollback that also failed makes Mutiny report both. */
  private static Stream<Throwable> chain(Throwable t, int depth) {
    if (t == null || depth > MAX_DEPTH) {
      return Stream.empty();
    }
    Stream<Throwable> inner =
        t instanceof CompositeException composite
            ? composite.getCauses().stream().flatMap(c -> chain(c, depth + 1))
            : chain(t.getCause() == t ? null : t.getCause(), depth + 1);
    return Stream.concat(Stream.of(t), inner);
  }
}
