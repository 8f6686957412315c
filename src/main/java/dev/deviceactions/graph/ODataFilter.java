package dev.deviceactions.graph;

import dev.deviceactions.common.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code $filter} of the subset Graph's Intune scripts use: {@code prop eq 'text'} and {@code
 * startswith(prop,'text')} on the listing's own properties, joined by {@code and}. Anything else
 * (or, not, ne, parentheses, numbers, other functions or properties) is refused, never ignored.
 */
final class ODataFilter {
  static final String OPTION = "$filter";

  /** What a filter asked for: exact values and name prefixes, by property. */
  record Conditions(Map<String, String> equal, Map<String, String> startsWith) {
    static final Conditions NONE = new Conditions(Map.of(), Map.of());
  }

  private final List<String> tokens;
  private final List<String> equalable;
  private final List<String> prefixable;
  private final Map<String, String> equal = new LinkedHashMap<>();
  private final Map<String, String> startsWith = new LinkedHashMap<>();
  private int next;

  private ODataFilter(List<String> tokens, List<String> equalable, List<String> prefixable) {
    this.tokens = tokens;
    this.equalable = equalable;
    this.prefixable = prefixable;
  }

  static Conditions parse(String filter, List<String> equalable, List<String> prefixable) {
    if (filter == null) {
      return Conditions.NONE;
    }
    ODataFilter parser = new ODataFilter(tokens(filter), equalable, prefixable);
    parser.clause();
    while (parser.next < parser.tokens.size()) {
      parser.expect("and", "only 'and' may join conditions");
      parser.clause();
    }
    return new Conditions(Map.copyOf(parser.equal), Map.copyOf(parser.startsWith));
  }

  private void clause() {
    String first = take("a condition is missing");
    if (first.equals("startswith")) {
      expect("(", "startswith takes (property,'text')");
      String property = property(prefixable, "startswith");
      expect(",", "startswith takes (property,'text')");
      put(startsWith, property, text());
      expect(")", "startswith takes (property,'text')");
      return;
    }
    if (!isName(first)) {
      throw invalid("expected a property name, found " + first);
    }
    String property = known(first, equalable, "eq");
    expect("eq", "the only comparison supported is eq (and the function startswith)");
    put(equal, property, text());
  }

  private String property(List<String> allowed, String operator) {
    String name = take("a property name is missing");
    return known(name, allowed, operator);
  }

  private static String known(String name, List<String> allowed, String operator) {
    if (!allowed.contains(name)) {
      throw invalid(
          "cannot use "
              + operator
              + " on '"
              + name
              + "'; it supports "
              + String.join(", ", allowed));
    }
    return name;
  }

  private String text() {
    String token = take("a quoted value is missing");
    if (token.length() < 2 || token.charAt(0) != '\'') {
      throw invalid("expected a quoted 'value', found " + token);
    }
    return token.substring(1, token.length() - 1).replace("''", "'");
  }

  private void put(Map<String, String> into, String property, String value) {
    if (into.put(property, value) != null) {
      throw invalid("names '" + property + "' more than once");
    }
  }

  private void expect(String token, String message) {
    String found = take(message);
    if (!found.equals(token)) {
      throw invalid(message + " (found " + found + ")");
    }
  }

  private String take(String message) {
    if (next >= tokens.size()) {
      throw invalid(message);
    }
    return tokens.get(next++);
  }

  /** Words, quoted strings (with '' for a quote) and ( , ); any other character is refused. */
  static List<String> tokens(String filter) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < filter.length()) {
      char c = filter.charAt(i);
      int end = i + 1;
      if (c == ' ') {
        i++;
        continue;
      } else if (c == '\'') {
        end = closingQuote(filter, i);
      } else if (isNameChar(c)) {
        while (end < filter.length() && isNameChar(filter.charAt(end))) {
          end++;
        }
      } else if ("(),".indexOf(c) < 0) {
        throw invalid("has a character it does not support at position " + i);
      }
      tokens.add(filter.substring(i, end));
      i = end;
    }
    return tokens;
  }

  private static int closingQuote(String filter, int open) {
    int i = open + 1;
    while (i < filter.length()) {
      if (filter.charAt(i) == '\'') {
        if (i + 1 < filter.length() && filter.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw invalid("has a quoted value that is not closed");
  }

  private static boolean isName(String token) {
    return !token.isEmpty() && isNameChar(token.charAt(0));
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  static ProblemException invalid(String message) {
    return ProblemException.invalid(OPTION, message);
  }
}
