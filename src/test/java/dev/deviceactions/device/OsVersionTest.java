package dev.deviceactions.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Dotted versions compare numerically, component by component. */
class OsVersionTest {

  @ParameterizedTest
  @CsvSource({
    "7, 7.0, 0",
    "10.0, 8.1, 1",
    "8.1, 6.3, 1",
    "10.0.15063, 10.0.14393, 1",
    "6.2, 6.3, -1",
    "7.1.2, 8.0, -1",
    "10.0.15063, 10.0, 1"
  })
  void comparesNumerically(String left, String right, int sign) {
    assertEquals(sign, Integer.signum(OsVersion.parse(left).compareTo(OsVersion.parse(right))));
  }

  @ParameterizedTest
  @CsvSource({"17.4, 17.4", "123456789.0.0.1, 123456789.0.0.1", "010.2, 10.2", "0, 0"})
  void readsWhatThePatternAccepts(String text, String read) {
    assertEquals(read, OsVersion.parse(text).toString());
    assertTrue(text.matches(OsVersion.PATTERN));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x",
        "1.",
        ".1",
        "1..2",
        "1.2.3.4.5",
        "17 .4",
        "-1",
        "1234567890",
        "1.2.3.4.",
        "１７",
        "+1",
        "1.2.3.4.0"
      })
  void refusesWhatIsNotDottedNumbers(String text) {
    assertFalse(text.matches(OsVersion.PATTERN));
    assertThrows(IllegalArgumentException.class, () -> OsVersion.parse(text));
  }
}
