package dev.deviceactions.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

/**
 * What the reliability suite saw while PostgreSQL stopped and started under load: each of these was
 * a 500 before, and is a 503 now; real errors stay 500s.
 */
class DatabaseFailuresTest {

  @Test
  void aDatabaseGoingAwayOrComingBackIsUnavailability() {
    assertTrue(DatabaseFailures.unavailable(new ConnectException("Connection refused")));
    assertTrue(DatabaseFailures.unavailable(new SocketException("Connection reset")));
    assertTrue(DatabaseFailures.unavailable(new IOException("Connection reset by peer")));
    assertTrue(DatabaseFailures.unavailable(ClosedConnectionException.INSTANCE));
    assertTrue(DatabaseFailures.unavailable(pg("57P01", "terminating connection")));
    assertTrue(DatabaseFailures.unavailable(pg("57P03", "the database system is starting up")));
    assertTrue(DatabaseFailures.unavailable(new SQLException("broken", "08006")));
    assertTrue(
        DatabaseFailures.unavailable(
            new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
  }

  @Test
  void itIsFoundUnderHibernateAndMutinyWrappers() {
    HibernateException wrapped = new HibernateException(ClosedConnectionException.INSTANCE);
    assertTrue(DatabaseFailures.unavailable(wrapped));
    assertTrue(
        DatabaseFailures.unavailable(
            new CompositeException(new IllegalStateException("rollback failed"), wrapped)));
  }

  @Test
  void otherFailuresAreNot() {
    assertFalse(DatabaseFailures.unavailable(pg("23505", "duplicate key")));
    assertFalse(DatabaseFailures.unavailable(new SQLException("bad", "22021")));
    assertFalse(DatabaseFailures.unavailable(new IllegalStateException("a bug")));
    assertFalse(DatabaseFailures.unavailable(new JsonParseException(null, "not JSON")));
    assertFalse(DatabaseFailures.unavailable(new HibernateException("mapping")));
    assertFalse(DatabaseFailures.unavailable(new NoStackTraceThrowable("something else")));
  }

  private static PgException pg(String state, String message) {
    return new PgException(message, "FATAL", state, null);
  }
}
