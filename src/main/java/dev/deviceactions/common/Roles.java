package dev.deviceactions.common;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.core.SecurityContext;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The roles of the admin API, read from the token's {@code groups} claim, and the Microsoft Graph
 * permission names that imply them (read from the {@code roles} and {@code scp} claims).
 */
public final class Roles {
  public static final String ADMIN = "admin";
  public static final String DEVICES_READ = "devices.read";
  public static final String DEVICES_WRITE = "devices.write";
  public static final String ACTIONS_CANCEL = "actions.cancel";
  public static final String SECRETS_READ = "secrets.read";
  public static final String AUDIT_READ = "audit.read";
  public static final String MAINTENANCE_RUN = "maintenance.run";
  public static final String APPROVALS_READ = "approvals.read";
  public static final String APPROVALS_APPROVE = "approvals.approve";
  public static final String APPROVALS_MANAGE = "approvals.manage";

  /** A device authenticated with its device token; it holds none of the roles above. */
  public static final String DEVICE = "device";

  /** Every {@code actions.*} role: one per remote action, and cancel. */
  public static final Set<String> ACTIONS =
      Set.of(
          "actions.remoteLock",
          "actions.resetPasscode",
          "actions.removePasscode",
          "actions.resetPin",
          "actions.rebootNow",
          ACTIONS_CANCEL);

  /** Everything {@link #ADMIN} implies, the per-action roles included. */
  public static final Set<String> IMPLIED_BY_ADMIN =
      union(
          ACTIONS,
          Set.of(
              DEVICES_READ,
              DEVICES_WRITE,
              SECRETS_READ,
              AUDIT_READ,
              MAINTENANCE_RUN,
              APPROVALS_READ,
              APPROVALS_APPROVE,
              APPROVALS_MANAGE));

  /**
   * What each Microsoft Graph permission (Intune's managed devices; its RBAC for approvals) grants
   * here.
   */
  public static final Map<String, Set<String>> IMPLIED_BY_GRAPH_PERMISSION =
      Map.of(
          "DeviceManagementManagedDevices.Read.All",
          Set.of(DEVICES_READ),
          "DeviceManagementManagedDevices.ReadWrite.All",
          Set.of(DEVICES_READ, DEVICES_WRITE),
          "DeviceManagementManagedDevices.PrivilegedOperations.All",
          ACTIONS,
          "DeviceManagementRBAC.Read.All",
          Set.of(APPROVALS_READ),
          "DeviceManagementRBAC.ReadWrite.All",
          Set.of(APPROVALS_READ, APPROVALS_APPROVE));

  private Roles() {}

  /** For a role that only the request body names (bulk): a 403 unless the caller holds it. */
  public static void require(SecurityContext caller, String role) {
    if (!caller.isUserInRole(role)) {
      throw new ForbiddenException();
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
