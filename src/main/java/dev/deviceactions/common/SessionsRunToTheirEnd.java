package dev.deviceactions.common;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Every {@code @WithSession} method (reads, device-token authentication) is a {@link UnitOfWork}:
 * this interceptor shares Panache's binding and runs outside Panache's own, so no cancellation
 * reaches the session it opens.
 */
@WithSession
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class SessionsRunToTheirEnd {
  @AroundInvoke
  Object runToEnd(InvocationContext context) throws Exception {
    return UnitOfWork.runToEnd(context);
  }
}
