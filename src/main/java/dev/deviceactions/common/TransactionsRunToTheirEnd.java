package dev.deviceactions.common;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Every {@code @WithTransaction} method is a {@link UnitOfWork}, and says when it committed: this
 * interceptor shares Panache's binding and runs outside Panache's own, so no cancellation reaches
 * the session it opens, and the {@link Committed} it fires comes after the commit, even when the
 * client hung up meanwhile. A write path added later cannot forget to announce its commit.
 */
@WithTransaction
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class TransactionsRunToTheirEnd {
  @Inject Event<Committed> committed;

  @AroundInvoke
  Object runToEnd(InvocationContext context) throws Exception {
    Object result = context.proceed();
    return result instanceof Uni<?> work
        ? UnitOfWork.runToEnd(work.invoke(() -> committed.fire(Committed.INSTANCE)))
        : result;
  }
}
