package dev.deviceactions.device;

/** How an Android device is managed; required for Android, absent for every other platform. */
public enum ManagementMode {
  deviceAdministrator,
  dedicated,
  fullyManaged,
  workProfileCorporate,
  workProfilePersonal
}
