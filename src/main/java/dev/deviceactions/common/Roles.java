package dev.deviceactions.common;

import java.util.Set;

/** The roles of the admin API, read from the token's {@code groups} claim. */
public final class Roles {
  public static final String ADMIN = "admin";
  public static final String DEVICES_READ = "devices.read";
  public static final String DEVICES_WRITE = "devices.write";
  public static final String ACTIONS_CANCEL = "actions.cancel";
  public static final String SECRETS_READ = "secrets.read";
  public static final String AUDIT_READ = "audit.read";
  public static final String MAINTENANCE_RUN = "maintenance.run";

  /** A device authenticated with its device token; it holds none of the roles above. */
  public static final String DEVICE = "device";

  /** Everything {@link #ADMIN} implies, the per-action roles included. */
  public static final Set<String> IMPLIED_BY_ADMIN =
      Set.of(
          DEVICES_READ,
          DEVICES_WRITE,
          "actions.remoteLock",
          "actions.resetPasscode",
          "actions.removePasscode",
          "actions.resetPin",
          "actions.rebootNow",
          ACTIONS_CANCEL,
          SECRETS_READ,
          AUDIT_READ,
          MAINTENANCE_RUN);

  private Roles() {}
}
