package dev.deviceactions.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed configuration under {@code device-actions}; durations take 5m, 30d or PT5M. */
@ConfigMapping(prefix = "device-actions")
public interface DeviceActionsConfig {

  RecoveryPin recoveryPin();

  TemporaryPasscode temporaryPasscode();

  Restart restart();

  Sweep sweep();

  Secrets secrets();

  Events events();

  Agent agent();

  Auth auth();

  Console console();

  /**
   * The https base URL that devices reach this service at (no trailing slash); Apple enrollment
   * profiles are built from it. Unset, Apple MDM is off.
   */
  Optional<String> publicUrl();

  Apple apple();

  Approvals approvals();

  Actions actions();

  /** The macOS recovery PIN. */
  interface RecoveryPin {
    /** How long a recovery PIN is kept and shown; then it is purged. */
    @WithDefault("30d")
    Duration retention();
  }

  /** The passcode from resetPasscode and the PIN a device returns for resetPin. */
  interface TemporaryPasscode {
    /** How long such a passcode or PIN is kept and shown. */
    @WithDefault("7d")
    Duration retention();
  }

  /** rebootNow. */
  interface Restart {
    /** A restart not done this long after it was requested fails with failureReason timedOut. */
    @WithDefault("5m")
    Duration timeout();
  }

  /** The maintenance sweep. */
  interface Sweep {
    /** Period of the in-process sweep ("off" disables it). */
    @WithDefault("1m")
    String every();

    /** How long after start the first in-process sweep runs. */
    @WithDefault("30s")
    String initialDelay();

    /** Rows one sweep statement touches at most, so that no sweep holds long locks. */
    @WithDefault("10000")
    int batchSize();
  }

  /** Encryption of PINs and passcodes at rest. */
  interface Secrets {
    /** Base64 of a 32-byte AES-256 key; required in production. */
    Optional<String> key();
  }

  /** The event stream: CloudEvents to each sink (api.md "Events"). */
  interface Events {
    /** Sink URLs (http or https), comma-separated; K_SINK is added to them. */
    Optional<List<String>> sinks();

    /** Standard Webhooks signing secret ({@code whsec_} + base64, or any text); none: unsigned. */
    Optional<String> signingSecret();

    /** How long an undelivered event is retried before it is kept as a failed delivery. */
    @WithDefault("24h")
    Duration maxAge();

    /** How long a failed delivery is kept for operators to see and replay; then it is deleted. */
    @WithDefault("30d")
    Duration failedRetention();

    /** The events' ce-source, a URI reference naming this service. */
    @WithDefault("/device-actions")
    String source();

    /** Longest wait for a sink's TCP (and TLS) connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for a sink's answer to one event. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** The first retry's delay; each further one doubles it, with jitter, up to max-backoff. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** The longest delay between two attempts of one event. */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Events one relay claims and sends at once (at most one per subject). */
    @WithDefault("500")
    int batchSize();

    /** Connections the relay keeps open to each sink. */
    @WithDefault("32")
    int connections();

    /**
     * The longest an event waits for the relay when its wake-up was lost (the process that
     * committed it died first, a notification was dropped): each relay reads the outbox twice in
     * this time on its own.
     */
    @WithDefault("2s")
    Duration catchUp();
  }

  /** The device agent API. */
  interface Agent {
    /** The longest a waiting check-in ({@code Prefer: wait=N}) is held; a larger N is capped. */
    @WithDefault("55s")
    Duration maxWait();

    /**
     * Waiting check-ins one instance holds at most; beyond, a check-in is answered at once, without
     * {@code Preference-Applied}, as if it had not asked to wait.
     */
    @WithDefault("20000")
    int maxWaiters();

    /**
     * The longest a waiting check-in waits for a command committed for its device when the wake-up
     * was lost (the replica that accepted it died first, a notification was dropped): each replica
     * looks for commands of the devices waiting on it twice in this time on its own.
     */
    @WithDefault("2s")
    Duration catchUp();
  }

  /**
   * How accepted actions reach the database. Requests that arrive while this many statements are in
   * flight wait for one to end and then go together: one statement reads their devices, one stores
   * their actions (one commit for all), so that under load PostgreSQL commits a batch where it
   * would commit each action alone. A lone request goes at once; nothing waits for a batch to fill.
   */
  interface Actions {
    /** Statements in flight at once for device reads, and as many for stores. */
    @WithDefault("2")
    int statementsInFlight();

    /** The most requests one statement serves. */
    @WithDefault("64")
    int maxBatch();
  }

  /** Sign-in: where the roles of the admin API are read from a bearer token. */
  interface Auth {
    /**
     * The claims that carry roles, each a path into the token's claims with dots between the names
     * of nested objects ({@code realm_access.roles}); a name that holds a dot itself is written in
     * double quotes ({@code "https://example.com/roles"}). A claim may hold an array of role names
     * or one name. The defaults read MP-JWT's {@code groups}, Entra ID's app roles in {@code
     * roles}, and Keycloak's realm roles and the client roles of a client {@code device-actions};
     * name your Keycloak client in the last one. {@code groups} counts always: it is MP-JWT's own
     * roles claim.
     */
    @WithDefault("groups,roles,realm_access.roles,resource_access.device-actions.roles")
    List<String> roleClaims();

    /**
     * Verified bearer tokens kept so that a token is verified once, not on every request: each
     * until its expiry at the latest, the least recently used dropped beyond this many; 0 turns the
     * cache off. A token verified before its signing key was withdrawn stays accepted until it
     * expires.
     */
    @WithDefault("10000")
    int tokenCacheSize();
  }

  /** Multi-admin approval. */
  interface Approvals {
    /** How long an approval request waits for a decision; undecided past that, it is expired. */
    @WithDefault("24h")
    Duration ttl();
  }

  /** The admin console at /console/. */
  interface Console {
    Oidc oidc();

    /**
     * Sign-in to the console with the OpenID Connect provider that issues the API's tokens ({@code
     * mp.jwt.verify.issuer}): the Authorization Code flow with PKCE, the console a public client.
     */
    interface Oidc {
      /** The console's client id at the provider; unset, the console offers no provider sign-in. */
      Optional<String> clientId();

      /**
       * The scopes the console asks for; {@code openid} is added when missing. Entra ID needs the
       * API's scope ({@code api://<API client ID>/access_as_user}) and {@code offline_access}.
       */
      @WithDefault("openid")
      List<String> scopes();
    }
  }

  /** Apple devices over Apple's MDM protocol (api.md "Apple devices"). */
  interface Apple {
    /** The MDM push certificate's topic, {@code com.apple.mgmt.External.<uuid>}. */
    Optional<String> pushTopic();

    /** PEM file of the device CA that SCEP signs identity certificates with. */
    Optional<String> caCert();

    /** PEM file of the device CA's private key. */
    Optional<String> caKey();

    /** PEM file of the APNs MDM push certificate; unset, nothing is pushed. */
    Optional<String> pushCert();

    /** PEM file of the push certificate's private key. */
    Optional<String> pushKey();

    /** APNs, where MDM notifications go. */
    @WithDefault("https://api.push.apple.com")
    String apnsUrl();

    /** PEM file of the only CA trusted for the APNs connection; unset, the JVM's trust store. */
    Optional<String> apnsCa();

    /**
     * The delay before a push that APNs answered 429 or 5xx (or could not be reached for) is sent
     * again; each further retry doubles it, with jitter, up to push-max-backoff.
     */
    @WithDefault("1s")
    Duration pushInitialBackoff();

    /** The longest delay between two attempts of one push. */
    @WithDefault("1m")
    Duration pushMaxBackoff();

    /**
     * How long after the commit a push is retried at most; then it is dropped, and the device
     * collects its commands when it next connects.
     */
    @WithDefault("10m")
    Duration pushRetryFor();

    /** How long an enrollment profile's SCEP challenge is good for. */
    @WithDefault("7d")
    Duration enrollmentTtl();

    /**
     * The header in which a TLS-terminating proxy passes the device's client certificate
     * (URL-encoded PEM); unset, only {@code Mdm-Signature} identifies a device.
     */
    Optional<String> clientCertHeader();
  }
}
