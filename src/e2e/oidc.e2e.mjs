#!/usr/bin/env node
// End-to-end test of the console's sign-in with an OpenID Connect provider in a real browser:
// Playwright drives Debian's chromium (headless) from the console to the provider's real login page
// (Keycloak), back signed in, through a renewal of the access token, and out through the provider's
// end-session endpoint.
//
//   node oidc.e2e.mjs <baseUrl> <issuer> --user NAME --password PASSWORD --device NAME
//        [--renewal] [--out target/e2e] [--chromium /usr/bin/chromium]
//
// --device is a device the user may read; --renewal waits for the console to renew the access token
// (the provider's client gives it a short lifetime). Exits 0 when every step passed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { heading as headingOn, openPage, steps } from './browser.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: 'string' },
    password: { type: 'string' },
    device: { type: 'string' },
    renewal: { type: 'boolean', default: false },
    out: { type: 'string', default: 'target/e2e' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const [baseUrl, issuer] = positionals;
if (!baseUrl || !issuer || !opts.user || !opts.password || !opts.device) {
  console.error('usage: node oidc.e2e.mjs <baseUrl> <issuer> --user NAME --password PASSWORD --device NAME [--renewal] [--out DIR]');
  process.exit(2);
}
const consoleUrl = new URL('/console/', baseUrl).href;
const SESSION_KEY = 'device-actions.session';

const session = await openPage(opts.chromium, opts.out, (url) => url.startsWith(consoleUrl));
const { page, problems } = session;
const { step, run } = steps('oidc e2e', session, 'oidc-failure.png');
const accessTokens = [];

await run(async () => {
  await step('without a session the console offers the provider sign-in', async () => {
    await page.goto(`${consoleUrl}#/devices`);
    await heading('Sign in');
    await page.getByText(`You sign in at your identity provider, ${new URL(issuer).host}, and come back here.`).waitFor();
    assert.equal(await page.getByRole('table').count(), 0, 'no data shown before sign-in');
  });

  await step('"Sign in" leads to the provider\'s login page, with PKCE (S256)', async () => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/protocol/openid-connect/auth`));
    const asked = new URL(page.url()).searchParams;
    assert.equal(asked.get('response_type'), 'code');
    assert.equal(asked.get('code_challenge_method'), 'S256');
    assert.match(asked.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(asked.get('redirect_uri'), consoleUrl);
    assert.ok(asked.get('state') && asked.get('nonce'), 'state and nonce');
    await page.locator('#username').waitFor();
    await shot('oidc-login.png');
  });

  await step('the user signs in at the provider and comes back signed in', async () => {
    await page.locator('#username').fill(opts.user);
    await page.locator('#password').fill(opts.password);
    await page.locator('#kc-login').click();
    await heading('All devices');
    assert.equal(page.url(), `${consoleUrl}#/devices`, 'the code left the address bar');
    await page.getByText(`Signed in as ${opts.user}`, { exact: true }).waitFor();
    const kept = await stored();
    assert.ok(kept.access && kept.id && kept.refresh, 'access, ID and refresh token kept in sessionStorage');
    assert.equal(claims(kept.access).iss, issuer);
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    accessTokens.push(kept.access);
  });

  await step('the device list shows the device, read with the provider\'s token', async () => {
    await search(opts.device);
    await page.getByRole('link', { name: opts.device, exact: true }).waitFor();
  });

  if (opts.renewal) {
    await step('the access token is renewed before it expires (refresh_token grant)', async () => {
      const first = claims(accessTokens[0]);
      const lifetime = (first.exp - first.iat) * 1000;
      const renewed = await page.waitForFunction((old) => {
        const s = JSON.parse(sessionStorage.getItem('device-actions.session') || '{}');
        return s.access && s.access !== old ? s.access : null;
      }, accessTokens[0], { timeout: lifetime + 5_000, polling: 500 });
      const token = await renewed.jsonValue();
      assert.ok(Date.now() < first.exp * 1000, 'renewed before the old token expired');
      assert.ok(claims(token).exp > first.exp, 'the new token lives longer');
      accessTokens.push(token);
      assert.ok(problems.urls.some((u) => u === `${issuer}/protocol/openid-connect/token`), 'a token request');
      await search(opts.device);
      await page.getByRole('link', { name: opts.device, exact: true }).waitFor();
    });
  }

  await step('"Sign out" ends the provider\'s session and comes back signed out', async () => {
    const endSession = page.waitForRequest((r) => r.url().startsWith(`${issuer}/protocol/openid-connect/logout`));
    await page.getByRole('button', { name: 'Sign out' }).click();
    const asked = new URL((await endSession).url()).searchParams;
    assert.equal(asked.get('post_logout_redirect_uri'), consoleUrl);
    assert.ok(asked.get('id_token_hint'), 'id_token_hint');
    await page.waitForURL((url) => url.href.startsWith(consoleUrl));
    await heading('Sign in');
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY), null);
    const values = await page.evaluate(() => Object.values(sessionStorage).join(' '));
    assert.ok(!/eyJ[\w-]+\.[\w-]+\./.test(values), 'no token left in sessionStorage');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false);
  });

  await step('the provider\'s session ended too: "Sign in" asks for the password again', async () => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/protocol/openid-connect/auth`));
    await page.locator('#password').waitFor();
  });

  await step('no CSP violation, no script error, no access token in any URL', async () => {
    assert.deepEqual(problems.errors, []);
    for (const url of problems.urls) {
      for (const token of accessTokens) assert.ok(!url.includes(token), `access token in ${url}`);
    }
  });
});

async function stored() {
  return JSON.parse(await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY) || '{}');
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

async function search(text) {
  await page.getByLabel('Search', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `matching “${text}”, page 1.` }).waitFor();
}

function heading(name) {
  return headingOn(page, name);
}

async function shot(file) {
  await page.screenshot({ path: join(opts.out, file) });
  console.log(`  screenshot ${join(opts.out, file)}`);
}
