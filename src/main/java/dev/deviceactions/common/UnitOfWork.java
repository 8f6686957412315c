package dev.deviceactions.common;

import io.smallrye.mutiny.Uni;
import jakarta.interceptor.InvocationContext;

/**
 * Database work runs to its end once it has started. A client that hangs up cancels its request's
 * Uni (RESTEasy Reactive does so when the connection closes), and a cancelled Uni would close the
 * Hibernate Reactive session at once, under the statement still in flight: the transaction is
 * rolled back beside it (HR000090), its callbacks find the session closed, and the asynchronous
 * close removes the context's session key after the request's next session (a refusal's audit
 * transaction) was stored under it, which orphans that session with its BEGIN: a pooled connection
 * checked out forever, idle in transaction. So the cancellation stops at the unit's boundary: a
 * unit not yet started never starts, a started one commits or rolls back and closes its session,
 * and only its result is dropped.
 */
public final class UnitOfWork {
  private UnitOfWork() {}

  /** {@code work}, subscribed on its own: cancelling the answer does not cancel the work. */
  public static <T> Uni<T> runToEnd(Uni<T> work) {
    return Uni.createFrom()
        .emitter(answer -> work.subscribe().with(answer::complete, answer::fail));
  }

  /** The intercepted method's Uni, run to its end; anything else as it is. */
  static Object runToEnd(InvocationContext intercepted) throws Exception {
    Object result = intercepted.proceed();
    return result instanceof Uni<?> work ? runToEnd(work) : result;
  }
}
