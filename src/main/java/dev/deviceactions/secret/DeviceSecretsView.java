package dev.deviceactions.secret;

/** What the device overview displays: the latest action's PIN or passcode, while it lives. */
public record DeviceSecretsView(SecretView recoveryPin, SecretView temporaryPasscode) {}
