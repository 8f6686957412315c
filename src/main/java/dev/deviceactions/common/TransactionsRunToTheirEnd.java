package dev.deviceactions.common;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Every {@code @WithTransaction} method is a {@link UnitOfWork}: this interceptor shares Panache's
 * binding and runs outside Panache's own, so no cancellation reaches the session it opens.
 */
@WithTransaction
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class TransactionsRunToTheirEnd {
  @AroundInvoke
  Object runToEnd(InvocationContext context) throws Exception {
    return UnitOfWork.runToEnd(context);
  }
}
