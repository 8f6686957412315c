#!/usr/bin/env node
// End-to-end test of the admin console in a real browser: Playwright drives Debian's chromium
// (headless) against a running device-actions app whose fleet the caller has enrolled.
//
//   node console.e2e.mjs <baseUrl> <adminToken> --tag T --mac NAME --pc NAME --reader-token TOKEN
//        --mdm NAME --mdm-udid UDID --approver-token TOKEN [--out target/e2e] [--docs src/docs/screenshots]
//        [--chromium /usr/bin/chromium]
//
// --tag finds the fleet in All devices (its serial numbers contain it); --mac is a Mac with a passcode
// and no action yet; --pc a Windows PC that can restart; --mdm an iPhone enrolled in Apple MDM, whose
// UDID is --mdm-udid; --reader-token has devices.read only; --approver-token is a second administrator,
// who approves what the first asked. The test creates an approval policy for restarts on the way; the
// caller removes it afterwards.
// Screenshots go to --out, and to --docs as well when given. Exits 0 when every step passed.
import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { heading as headingOn, openPage, steps } from './browser.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tag: { type: 'string' },
    mac: { type: 'string' },
    pc: { type: 'string' },
    mdm: { type: 'string' },
    'mdm-udid': { type: 'string' },
    'reader-token': { type: 'string' },
    'approver-token': { type: 'string' },
    out: { type: 'string', default: 'target/e2e' },
    docs: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const [baseUrl, adminToken] = positionals;
if (!baseUrl || !adminToken || !opts.tag || !opts.mac || !opts.pc || !opts['reader-token'] || !opts.mdm || !opts['mdm-udid'] || !opts['approver-token']) {
  console.error('usage: node console.e2e.mjs <baseUrl> <adminToken> --tag T --mac NAME --pc NAME --reader-token TOKEN --mdm NAME --mdm-udid UDID --approver-token TOKEN [--out DIR] [--docs DIR]');
  process.exit(2);
}
const consoleUrl = new URL('/console/', baseUrl).href;

const session = await openPage(opts.chromium, opts.out);
const { page, problems } = session;
const { step, run } = steps('console e2e', session, 'failure.png');
let macSerial = '';

await run(async () => {
  await step('without a token the console asks for one', async () => {
    await page.goto(`${consoleUrl}#/devices`);
    await heading('Sign in');
    assert.equal(await page.getByRole('table').count(), 0, 'no data shown before sign-in');
  });

  await step('a refused token gets the 401 message', async () => {
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Use this token' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Unauthorized', { exact: true }).waitFor();
    await alert.getByText('Missing or invalid credentials.').waitFor();
  });

  await signIn(adminToken);

  await step('All devices finds the Mac by search and platform', async () => {
    await search(opts.tag, 'macOS');
    await page.getByRole('link', { name: opts.mac, exact: true }).waitFor();
    await search(opts.tag, '');
    await page.getByRole('link', { name: opts.pc, exact: true }).waitFor();
    await shot('all-devices.png');
  });

  await step('the overview shows the facts and offers only what the Mac supports', async () => {
    await page.getByRole('link', { name: opts.mac, exact: true }).click();
    await heading(opts.mac);
    await page.getByRole('region', { name: 'Device facts' }).getByText('macOS', { exact: true }).waitFor();
    assert.ok(await action('Remote lock').isEnabled(), 'Remote lock is offered');
    for (const name of ['Reset PIN', 'Reset passcode', 'Restart']) {
      assert.ok(await action(name).isDisabled(), `${name} is disabled on a Mac`);
    }
    assert.equal(await page.locator('#why-resetPin').textContent(), 'Not supported on macOS.');
    macSerial = await page.locator('dt:text-is("Serial number") + dd').textContent();
    await page.getByText('It is kept for 30 days and shown here until another action is sent to this device.').waitFor();
  });

  await step('the Mac uses the agent, and its Apple enrollment profile downloads', async () => {
    const management = page.getByRole('region', { name: 'Management' });
    await management.getByText('device-actions agent').waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      management.getByRole('button', { name: 'Download enrollment profile' }).click(),
    ]);
    assert.match(file.suggestedFilename(), /\.mobileconfig$/);
    await management.getByText(`Enrollment profile ${file.suggestedFilename()} downloaded.`).waitFor();
  });

  await step('"No" (Escape) sends nothing and gives the focus back', async () => {
    await action('Remote lock').click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Remote lock');
    assert.equal(await page.getByText('No action has been sent to this device yet.').count(), 1);
  });

  await step('Remote lock, confirmed with Yes, is sent', async () => {
    await action('Remote lock').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Are you sure you want to lock “${opts.mac}”?`).waitFor();
    await dialog.getByLabel('Message on the lock screen (optional)').fill('This Mac was locked by IT. Call the service desk.');
    await dialog.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Remote lock sent. State: Pending.').waitFor();
    await page.getByRole('region', { name: 'Latest action' }).getByText('Pending').waitFor();
  });

  await step('the recovery PIN is revealed on a click: 6 digits', async () => {
    await page.getByRole('button', { name: 'Reveal recovery PIN' }).click();
    const pin = (await page.locator('output.secret-value').textContent()).trim();
    assert.match(pin, /^\d{6}$/);
    await shot('device-overview.png');
  });

  await step('a second lock is refused: the PIN is outstanding', async () => {
    await action('Remote lock').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Recovery PIN outstanding', { exact: true }).waitFor();
    await alert.getByText('has not been used yet').waitFor();
  });

  await step('Device actions lists the lock, filtered by the device, and refreshes', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Device actions' }).click();
    await heading('Device actions');
    // The serial number names this Mac alone, whatever else the database holds.
    await page.getByLabel('Device', { exact: true }).fill(macSerial);
    await page.getByLabel('Action', { exact: true }).selectOption('remoteLock');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.locator('tbody tr');
    await page.getByText('1 action on page 1.').waitFor();
    await rows.first().getByRole('link', { name: opts.mac }).waitFor();
    await rows.first().getByText('Remote lock').waitFor();
    await rows.first().getByText('Pending').waitFor();
    await page.getByText('Refreshing every second while an action is pending, so that its delivery shows at once.').waitFor();
  });

  await step('bulk restart of the selected devices: sent to the PC, the Mac left out', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All devices' }).click();
    await search(opts.tag, '');
    await page.getByRole('checkbox', { name: `Select ${opts.pc}` }).check();
    await page.getByRole('checkbox', { name: `Select ${opts.mac}` }).check();
    await page.getByText('2 devices selected').waitFor();
    await page.getByRole('button', { name: 'Restart selected devices' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Restart sent to 1 device.').waitFor();
    await page.getByText(`Not supported, left out: ${opts.mac}.`).waitFor();
    await page.getByRole('link', { name: 'Follow this bulk restart in Device actions' }).click();
    await heading('Device actions');
    await page.locator('tbody tr').first().getByRole('link', { name: opts.pc }).waitFor();
    await page.getByText('1 action on page 1.').waitFor();
  });

  await step('Device actions shows the whole fleet again: the lock and the restart', async () => {
    await page.getByRole('link', { name: 'Show all actions' }).click();
    await page.getByRole('status').filter({ hasText: /actions? on page 1\.$/ }).waitFor();
    const rows = page.locator('tbody tr');
    await rows.filter({ hasText: opts.mac }).filter({ hasText: 'Remote lock' }).first().waitFor();
    await rows.filter({ hasText: opts.pc }).filter({ hasText: 'Restart' }).first().waitFor();
    await shot('device-actions.png');
  });

  await step('an iPhone enrolled in Apple MDM shows its channel, UDID and push state', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All devices' }).click();
    await search(opts.tag, 'iOS');
    await page.getByRole('link', { name: opts.mdm, exact: true }).click();
    await heading(opts.mdm);
    const management = page.getByRole('region', { name: 'Management' });
    await management.getByText('Apple MDM', { exact: true }).waitFor();
    await management.getByText(opts['mdm-udid'], { exact: true }).waitFor();
    await management.getByText('No push: the device collects commands when it next connects').waitFor();
  });

  await step('with a policy for restarts, Restart asks for a justification and is sent for approval', async () => {
    await createPolicy({ displayName: 'Restarts need a second administrator', actions: ['rebootNow'], minimumDevices: 1 });
    await openDevice(opts.pc);
    await action('Restart').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Are you sure you want to restart “${opts.pc}”?`).waitFor();
    await dialog.getByRole('button', { name: 'Yes' }).click();
    // "Yes" waits for the required justification.
    assert.equal(await dialog.count(), 1, 'the dialog stays open without a justification');
    await dialog.getByLabel('Justification').fill('Patch night: the update needs a restart.');
    await dialog.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Restart sent for approval.').waitFor();
  });

  await step('Approvals shows the request as the requester’s own, who can cancel a second one', async () => {
    await action('Restart').click();
    await page.getByRole('dialog').getByLabel('Justification').fill('Sent twice by mistake.');
    await page.getByRole('dialog').getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Restart sent for approval.').waitFor();
    await page.getByRole('link', { name: 'See it in Approvals' }).click();
    await heading('Approvals');
    const waiting = page.getByRole('region', { name: 'Waiting for approval' });
    const first = waiting.locator('tr', { hasText: 'Patch night: the update needs a restart.' });
    await first.getByText('Your request: another administrator decides it.').waitFor();
    assert.equal(await first.getByRole('button', { name: 'Approve' }).count(), 0, 'no approving one’s own request');
    const mine = page.getByRole('region', { name: 'Your requests' });
    const mistake = mine.locator('tr', { hasText: 'Sent twice by mistake.' });
    await mistake.getByRole('button', { name: 'Cancel request' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes' }).click();
    await page.getByText(`Request cancelled: Restart on ${opts.pc}.`).waitFor();
    await mistake.getByText('Cancelled', { exact: true }).waitFor();
  });

  await step('another administrator approves it with a justification, and the restart is sent', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await signInWith(opts['approver-token']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
    await heading('Approvals');
    const row = page.getByRole('region', { name: 'Waiting for approval' }).locator('tr', { hasText: 'Patch night: the update needs a restart.' });
    await row.getByText(opts.pc).waitFor();
    await row.getByText('Needs approval').waitFor();
    await shot('approvals.png');
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Their justification: “Patch night: the update needs a restart.”').waitFor();
    await dialog.getByLabel('Your justification').fill('Checked the change ticket.');
    await dialog.getByRole('button', { name: 'Yes' }).click();
    await page.getByText(`Approved: Restart on ${opts.pc}.`).waitFor();
    await page.getByRole('link', { name: 'Follow it in Device actions' }).click();
    await heading('Device actions');
    await page.locator('tbody tr').first().getByText('Restart').waitFor();
  });

  await step('a token without the role is told so (403)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await signInWith(opts['reader-token']);
    await search(opts.tag, 'macOS');
    await page.getByRole('link', { name: opts.mac, exact: true }).click();
    await page.getByRole('button', { name: 'Reveal recovery PIN' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Forbidden', { exact: true }).waitFor();
    await alert.getByText('The caller lacks the role for this.').waitFor();
  });

  await step('signing out forgets the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.goto(`${consoleUrl}#/actions`);
    await heading('Sign in');
  });

  await step('no CSP violation, no script error, no token in any URL', async () => {
    assert.deepEqual(problems.errors, []);
    for (const url of problems.urls) {
      for (const token of [adminToken, opts['reader-token'], opts['approver-token']]) {
        assert.ok(!url.includes(token), `token in ${url}`);
      }
    }
  });
});

async function signIn(token) {
  await step('sign in with the token', () => signInWith(token));
}

async function signInWith(token) {
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Use this token' }).click();
  await heading('All devices');
}

async function search(text, platform) {
  await page.getByLabel('Search', { exact: true }).fill(text);
  await page.getByLabel('Platform').selectOption(platform);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // The status names the search it answers, so this waits for this search, not an earlier one.
  const what = `matching “${text}”${platform ? ` on ${platform}` : ''}, page 1.`;
  await page.getByRole('status').filter({ hasText: what }).waitFor();
}

async function openDevice(name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All devices' }).click();
  await search(opts.tag, '');
  await page.getByRole('link', { name, exact: true }).click();
  await heading(name);
}

/** An approval policy, created through the API with the first administrator's token. */
async function createPolicy(policy) {
  const response = await fetch(new URL('/api/v1/approval-policies', baseUrl), {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(policy),
  });
  assert.equal(response.status, 201, `policy not created: ${await response.text()}`);
}

function heading(name) {
  return headingOn(page, name);
}

function action(name) {
  return page.getByRole('region', { name: 'Remote actions' }).getByRole('button', { name, exact: true });
}

async function shot(file) {
  const path = join(opts.out, file);
  // The window, not the full page: in a shared test database the status view can be long.
  await page.screenshot({ path });
  if (opts.docs) {
    await mkdir(opts.docs, { recursive: true });
    await copyFile(path, join(opts.docs, file));
  }
  console.log(`  screenshot ${path}${opts.docs ? ` (and ${join(opts.docs, file)})` : ''}`);
}
