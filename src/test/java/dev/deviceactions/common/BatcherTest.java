package dev.deviceactions.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Natural batching: a request that finds a lane free goes alone and at once; those that arrive
 * while every lane is busy go together when one is free, never more than the limit in one
 * statement; a batch that fails is retried request by request.
 */
class BatcherTest {
  /** The statements "sent": each is the requests it carries, answered when the test says so. */
  final List<List<Integer>> sent = new ArrayList<>();

  final List<UniEmitter<? super List<String>>> inFlight = new ArrayList<>();

  final Batcher<Integer, String> batcher =
      new Batcher<>(
          request -> statement(List.of(request)).map(answers -> answers.get(0)),
          this::statement,
          2,
          3);

  @Test
  void aLoneRequestGoesAtOnceOnItsOwn() {
    UniAssertSubscriber<String> answer = submit(1);

    assertEquals(List.of(List.of(1)), sent);
    answerStatement(0);
    answer.assertItem("answer 1");
  }

  @Test
  void requestsThatArriveWhileEveryLaneIsBusyGoTogetherUpToTheLimit() {
    List<UniAssertSubscriber<String>> answers = new ArrayList<>();
    for (int request = 1; request <= 7; request++) {
      answers.add(submit(request));
    }
    assertEquals(List.of(List.of(1), List.of(2)), sent); // two lanes, both busy

    answerStatement(0); // a lane is free: the next three waiting go in one statement
    assertEquals(List.of(3, 4, 5), sent.get(2));
    answerStatement(1);
    assertEquals(List.of(6, 7), sent.get(3));
    answerStatement(2);
    answerStatement(3);

    for (int i = 0; i < 7; i++) {
      answers.get(i).assertItem("answer " + (i + 1));
    }
    assertEquals(4, sent.size());
  }

  @Test
  void aBatchThatFailsIsRetriedRequestByRequest() {
    List<UniAssertSubscriber<String>> answers = new ArrayList<>();
    for (int request = 1; request <= 5; request++) {
      answers.add(submit(request));
    }
    inFlight.get(0).complete(List.of("answer 1"));
    inFlight.get(2).fail(new IllegalStateException("the batch [3, 4, 5] failed"));

    assertEquals(List.of(List.of(3)), sent.subList(3, 4)); // each alone, after the failure
    assertEquals(List.of(List.of(4), List.of(5)), sent.subList(4, 6));
    answerStatement(3);
    inFlight.get(4).fail(new IllegalArgumentException("4 alone fails"));
    answerStatement(5);

    answers.get(2).assertItem("answer 3");
    assertInstanceOf(IllegalArgumentException.class, answers.get(3).assertFailed().getFailure());
    answers.get(4).assertItem("answer 5");
  }

  @Test
  void aStatementThatThrowsFailsOnlyItsRequestAndFreesItsLane() {
    Batcher<Integer, String> throwing =
        new Batcher<>(
            request -> {
              if (request == 1) {
                throw new IllegalStateException("1 cannot be sent");
              }
              return statement(List.of(request)).map(answers -> answers.get(0));
            },
            requests -> {
              throw new IllegalStateException("no batch can be sent");
            },
            1,
            3);

    UniAssertSubscriber<String> first =
        throwing.submit(1).subscribe().withSubscriber(UniAssertSubscriber.create());
    UniAssertSubscriber<String> second =
        throwing.submit(2).subscribe().withSubscriber(UniAssertSubscriber.create());

    assertInstanceOf(IllegalStateException.class, first.assertFailed().getFailure());
    assertEquals(List.of(List.of(2)), sent); // the lane was free again
    answerStatement(0);
    second.assertItem("answer 2");
  }

  private UniAssertSubscriber<String> submit(int request) {
    return batcher.submit(request).subscribe().withSubscriber(UniAssertSubscriber.create());
  }

  private Uni<List<String>> statement(List<Integer> requests) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              sent.add(requests);
              inFlight.add(emitter);
            });
  }

  private void answerStatement(int index) {
    inFlight.get(index).complete(sent.get(index).stream().map(r -> "answer " + r).toList());
  }
}
