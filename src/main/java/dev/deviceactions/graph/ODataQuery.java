package dev.deviceactions.graph;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OData query options of one Graph listing, parsed strictly: only the options and properties
 * the listing names; an option it does not support, given twice or malformed is a 400, never
 * ignored. {@code $skiptoken} is the admin API's keyset cursor.
 */
record ODataQuery(
    ODataFilter.Conditions filter,
    int top,
    Set<String> select,
    Cursor skiptoken,
    Map<String, String> given) {
  static final String TOP = "$top";
  static final String SELECT = "$select";
  static final String SKIPTOKEN = "$skiptoken";
  static final int DEFAULT_TOP = 100;
  static final int MAX_TOP = 1000;

  /** What one listing accepts: its options, and the properties each may name. */
  record Grammar(
      List<String> options,
      List<String> equalable,
      List<String> prefixable,
      List<String> selectable) {}

  static ODataQuery parse(MultivaluedMap<String, String> params, Grammar grammar) {
    Map<String, String> given = new LinkedHashMap<>();
    params.forEach(
        (name, values) -> {
          if (!grammar.options().contains(name)) {
            throw ProblemException.invalid(
                name, "is not supported here; supported: " + String.join(", ", grammar.options()));
          }
          if (values.size() != 1) {
            throw ProblemException.invalid(name, "is given more than once");
          }
          given.put(name, values.getFirst());
        });
    return new ODataQuery(
        ODataFilter.parse(given.get(ODataFilter.OPTION), grammar.equalable(), grammar.prefixable()),
        top(given.get(TOP)),
        select(given.get(SELECT), grammar.selectable()),
        skiptoken(given.get(SKIPTOKEN)),
        given);
  }

  String equal(String property) {
    return filter.equal().get(property);
  }

  String startsWith(String property) {
    return filter.startsWith().get(property);
  }

  private static int top(String raw) {
    if (raw == null) {
      return DEFAULT_TOP;
    }
    if (raw.matches("[0-9]{1,4}")) {
      int top = Integer.parseInt(raw);
      if (top >= 1 && top <= MAX_TOP) {
        return top;
      }
    }
    throw ProblemException.invalid(TOP, "must be a whole number from 1 to " + MAX_TOP);
  }

  /** Null when absent: every property. */
  private static Set<String> select(String raw, List<String> selectable) {
    if (raw == null) {
      return null;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : List.of(raw.split(",", -1))) {
      String property = name.strip();
      if (!selectable.contains(property)) {
        throw ProblemException.invalid(
            SELECT,
            "'" + property + "' is not a property; selectable: " + String.join(", ", selectable));
      }
      chosen.add(property);
    }
    return chosen;
  }

  private static Cursor skiptoken(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      Cursor cursor = Cursor.decode(raw);
      if (cursor != null) {
        return cursor;
      }
    } catch (ProblemException e) {
      // answered below, naming the option
    }
    throw ProblemException.invalid(SKIPTOKEN, "is not a token this service issued");
  }
}
