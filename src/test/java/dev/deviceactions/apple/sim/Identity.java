package dev.deviceactions.apple.sim;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A device's identity: the certificate SCEP issued it and the key it signs messages with. */
public record Identity(X509Certificate certificate, PrivateKey key) {}
