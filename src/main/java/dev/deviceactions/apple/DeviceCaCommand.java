package dev.deviceactions.apple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-shot command {@code device-ca [directory] [--subject "CN=...,O=..."]}: makes a device CA
 * and writes {@code device-ca.pem} and {@code device-ca-key.pem} into the directory (the current
 * one by default), for {@code device-actions.apple.ca-cert} and {@code .ca-key}. It starts neither
 * the server nor the database, never overwrites a file, and prints one line of JSON.
 */
public final class DeviceCaCommand {
  public static final String NAME = "device-ca";
  static final String USAGE = "usage: device-ca [directory] [--subject \"CN=...,O=...\"]";

  private DeviceCaCommand() {}

  /** Makes the CA that {@code args} (after the command's name) ask for; the JSON line to print. */
  public static String run(List<String> args) throws Exception {
    Path directory = null;
    String subject = DeviceCaFiles.DEFAULT_SUBJECT;
    Iterator<String> given = args.iterator();
    while (given.hasNext()) {
      String arg = given.next();
      if ("--subject".equals(arg) && given.hasNext()) {
        subject = given.next();
      } else if (!arg.startsWith("-") && directory == null) {
        directory = Path.of(arg);
      } else {
        throw new IllegalArgumentException(USAGE);
      }
    }
    directory = directory == null ? Path.of(".") : directory;
    DeviceCaFiles.Made made;
    try {
      made = DeviceCaFiles.create(directory, subject);
    } catch (IllegalArgumentException badName) {
      throw new IllegalArgumentException("--subject is no X.500 name: " + subject, badName);
    }
    return json(made);
  }

  private static String json(DeviceCaFiles.Made made) throws Exception {
    X509Certificate ca = made.ca();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("certificate", made.certificate().toAbsolutePath().normalize().toString());
    out.put("key", made.key().toAbsolutePath().normalize().toString());
    out.put("subject", ca.getSubjectX500Principal().getName());
    out.put("notAfter", ca.getNotAfter().toInstant().toString());
    out.put(
        "sha256",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())));
    try {
      return new ObjectMapper().writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
