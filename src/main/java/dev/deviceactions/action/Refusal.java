package dev.deviceactions.action;

/**
 * Why the support matrix refuses an action, in the order in which reasons are reported: what the
 * device is comes before what state it is in.
 */
public enum Refusal {
  platform,
  managementMode,
  osVersion,
  notSupervised,
  azureAdJoined,
  noPasscode,
  noUnlockToken
}
