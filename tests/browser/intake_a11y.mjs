// Browser test of the intake: JavaScript off, and accessibility checked with axe-core.
//
// Starts the real intake (two caseworker keys, so the "leave a caseworker out" boxes show) on a
// free loopback port and drives Debian's Chromium through playwright-core. For English and French:
//   - files a report in a context with JavaScript DISABLED, with the mouse and keyboard (a category
//     radio, a typed description, an attached file, the submit button), and checks that the receipt
//     page has #receipt and #case;
//   - reads the status with that receipt typed in lower case with spaces, and checks #status;
//   - asks for the status of a wrong receipt (the error page).
// Each of those pages, and the form itself, is audited by axe-core (WCAG 2.0/2.1/2.2 A and AA
// rules, colour contrast included). axe needs JavaScript, so it runs in a SECOND context with
// JavaScript on: GET pages are opened there directly; POST answers are replayed there from the bytes
// and headers the JavaScript-off page received (same URL, same CSP, /style.css from the intake).
// Then, on a phone 390 and 320 px wide: nothing scrolls sideways, the quick exit is on screen after
// scrolling to the bottom, a receipt fits its input; the first Tab reaches the quick exit; reload
// and Back after a report and after a follow-up file nothing twice, and Back does not bring back
// what was typed. The statistics page casework writes (stats --html) is audited too, in both
// languages (see below). Any violation of impact "serious" or "critical" fails the test (exit 1). A screenshot
// of the form in each language is left in the scratch folder.
//
// Usage: node intake_a11y.mjs [INTAKE_BIN [CASEWORK_BIN [SCRATCH_DIR]]]
//   or the environment INTAKE_BIN, CASEWORK_BIN, A11Y_SCRATCH. Defaults: ../../build/bin/*, a tmp dir.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = (name) => path.resolve(here, '../../build/bin', name);
const intakeBin = path.resolve(process.argv[2] || process.env.INTAKE_BIN || bin('intake'));
const caseworkBin = path.resolve(process.argv[3] || process.env.CASEWORK_BIN || bin('casework'));
const scratch = path.resolve(process.argv[4] || process.env.A11Y_SCRATCH ||
                             fs.mkdtempSync(path.join(os.tmpdir(), 'intake-a11y-')));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAILING = new Set(['serious', 'critical']);
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

for (const f of [intakeBin, caseworkBin, CHROMIUM])
  if (!fs.existsSync(f)) { console.error(`intake_a11y: missing ${f}`); process.exit(2); }

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

async function waitHealthy(base, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`intake exited early (status ${child.exitCode})`);
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('intake did not answer /healthz within 10 s');
}

function check(cond, what) { if (!cond) throw new Error(`check failed: ${what}`); }

let pagesFailed = 0, checkFailed = 0;
const summary = [];

// Runs axe on the page open in the JavaScript-on context and reports what it finds.
async function audit(page, label) {
  await page.evaluate(axeSource);  // CDP evaluation: not subject to the page's CSP
  const r = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
  const bad = r.violations.filter((v) => FAILING.has(v.impact));
  const minor = r.violations.filter((v) => !FAILING.has(v.impact));
  for (const v of r.violations) {
    const where = v.nodes[0] ? v.nodes[0].target.join(' ') : '(page)';
    const tag = FAILING.has(v.impact) ? 'VIOLATION' : 'note';
    console.log(`  ${tag} [${label}] ${v.id} (${v.impact}): ${v.help}\n` +
                `      first of ${v.nodes.length}: ${where}\n      ${v.helpUrl}`);
    if (FAILING.has(v.impact) && v.nodes[0]?.failureSummary)
      console.log('      ' + v.nodes[0].failureSummary.replace(/\n/g, '\n      '));
  }
  if (bad.length) pagesFailed++;
  const line = `${label.padEnd(22)} ${bad.length ? 'FAIL' : 'ok  '} ` +
               `${bad.length} serious/critical, ${minor.length} minor/moderate`;
  summary.push(line);
  console.log(line);
}

// Opens, in the JavaScript-on page, an answer the JavaScript-off page got from a POST.
async function replay(page, url, resp) {
  const headers = { ...(await resp.allHeaders()) };
  delete headers['content-length'];
  const body = await resp.body();
  await page.route(url, (route) => route.fulfill({ status: resp.status(), headers, body }));
  await page.goto(url);
  await page.unroute(url);
}

// Clicks a submit button in the JavaScript-off page and returns the POST's answer once loaded.
async function submit(page, pathname, button) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === pathname),
    page.click(button),
  ]);
  await page.waitForLoadState('load');
  return resp;
}

fs.mkdirSync(scratch, { recursive: true });
const run = fs.mkdtempSync(path.join(scratch, 'run-'));
let intake, browser, dbDir;
const started = Date.now();
try {
  fs.writeFileSync(path.join(run, 'pass'), 'a11y test passphrase\n', { mode: 0o600 });
  for (const [k, name] of [['k1', 'Alice Martin'], ['k2', 'Bruno Diallo']])
    execFileSync(caseworkBin, ['keygen', '--out', path.join(run, k), '--name', name,
                               '--passphrase-file', path.join(run, 'pass')], { stdio: 'ignore' });
  fs.writeFileSync(path.join(run, 'recipients'),
    ['k1', 'k2'].map((k) => fs.readFileSync(path.join(run, `${k}.pub`), 'utf8')).join(''));
  const upload = path.join(run, 'note.txt');
  fs.writeFileSync(upload, 'A note attached by the browser test.\n');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The intake never serves as root: started as root, it drops to an unprivileged user, who
  // must own the folder of its database. That folder is made in the system's temporary folder,
  // which that user can reach even when the checkout (and so the scratch folder) is private.
  const asRoot = process.geteuid && process.geteuid() === 0;
  dbDir = asRoot ? fs.mkdtempSync(path.join(os.tmpdir(), 'intake-a11y-db-')) : run;
  if (asRoot) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    fs.chownSync(dbDir, nobody, nobody);
  }
  // with the sample organisation profile the demo shows (who reads, support, timeline...)
  intake = spawn(intakeBin, ['--db', path.join(dbDir, 'r.db'), '--recipients', path.join(run, 'recipients'),
                             '--listen', `127.0.0.1:${port}`, '--profile', path.resolve(here, '../../deploy/organisation.ini'),
                             ...(asRoot ? ['--user', 'nobody'] : [])],
                 { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitHealthy(base, intake);

  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });  // playwright gives each launch a new, empty --user-data-dir of its own
  const view = { viewport: { width: 1280, height: 900 } };
  const noJs = await (await browser.newContext({ ...view, javaScriptEnabled: false })).newPage();
  const axePage = await (await browser.newContext({ ...view, javaScriptEnabled: true })).newPage();

  for (const lang of ['en', 'fr']) {
    // The form: filed with JavaScript off, audited with JavaScript on.
    const formUrl = `${base}/?lang=${lang}`;
    await noJs.goto(formUrl);
    check(await noJs.getAttribute('html', 'lang') === lang, `${lang}: <html lang="${lang}">`);
    await noJs.screenshot({ path: path.join(scratch, `form-${lang}.png`), fullPage: true });
    await axePage.goto(formUrl);
    await audit(axePage, `${lang} form`);

    await noJs.click('label[for="category-bullying"]');
    check(await noJs.isChecked('#category-bullying'), `${lang}: category radio checked by its label`);
    await noJs.click('#description');
    await noJs.keyboard.type(`Browser test (${lang}): my manager keeps shouting at me in meetings.`);
    await noJs.keyboard.press('Tab');
    await noJs.keyboard.type('Last week, and it is still going on.');  // "when", the next field
    await noJs.selectOption('#age_band', '25-34');
    await noJs.setInputFiles('#attachment', upload);
    const reportResp = await submit(noJs, '/report', 'form[action="/report"] button[type="submit"]');
    check(reportResp.status() === 200, `${lang}: POST /report answered ${reportResp.status()}`);
    const receipt = (await noJs.textContent('#receipt') || '').trim();
    const caseRef = (await noJs.textContent('#case') || '').trim();
    check(receipt.length >= 8 && caseRef.length > 0, `${lang}: receipt page shows #receipt and #case`);
    await replay(axePage, reportResp.url(), reportResp);
    await audit(axePage, `${lang} receipt`);

    // Status: the receipt typed back in lower case, groups of four separated by spaces.
    const typed = receipt.replace(/[\s-]/g, '').toLowerCase().replace(/(.{4})(?=.)/g, '$1 ');
    await noJs.goto(`${base}/status?lang=${lang}`);
    await axePage.goto(`${base}/status?lang=${lang}`);
    await audit(axePage, `${lang} status form`);
    await noJs.click('input#receipt');
    await noJs.keyboard.type(typed);
    let statusResp = await submit(noJs, '/status', 'form[action="/status"] button[type="submit"]');
    check(statusResp.status() === 200, `${lang}: POST /status answered ${statusResp.status()}`);
    check(await noJs.locator('#status').count() === 1, `${lang}: status page shows #status`);
    await replay(axePage, statusResp.url(), statusResp);
    await audit(axePage, `${lang} status`);

    // Status with a wrong receipt: the error page.
    await noJs.goto(`${base}/status?lang=${lang}`);
    await noJs.click('input#receipt');
    await noJs.keyboard.type('wxyz wxyz wxyz wxyz');
    statusResp = await submit(noJs, '/status', 'form[action="/status"] button[type="submit"]');
    check(statusResp.status() >= 400 && statusResp.status() < 500,
          `${lang}: wrong receipt answered ${statusResp.status()}, want 4xx`);
    check(await noJs.locator('#status').count() === 0, `${lang}: no #status for a wrong receipt`);
    await replay(axePage, statusResp.url(), statusResp);
    await audit(axePage, `${lang} status error`);
  }

  // A phone, 390 and 320 px wide (JavaScript on, for measuring; the layout is the same without):
  // nothing scrolls sideways, the quick exit stays on screen at the bottom of the page, and a
  // receipt typed into its input fits it.
  const caseworkEnv = { ...process.env, CASEWORK_DB: path.join(dbDir, 'r.db'), CASEWORK_KEY: path.join(run, 'k1'),
                        CASEWORK_PASSPHRASE_FILE: path.join(run, 'pass'), CASEWORK_STATE_DIR: path.join(run, 'state') };
  const caseCount = () => JSON.parse(execFileSync(caseworkBin, ['list', '--json'], { env: caseworkEnv })).length;
  for (const width of [390, 320]) {
    const phone = await (await browser.newContext({ viewport: { width, height: 700 }, javaScriptEnabled: true })).newPage();
    for (const [label, url] of [['form', `${base}/?lang=fr`], ['form', `${base}/?lang=en`], ['status form', `${base}/status?lang=fr`]]) {
      await phone.goto(url);
      const wide = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(wide <= 0, `${width} px ${label} (${url}): the page is ${wide} px wider than the screen`);
      await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const exitShown = await phone.evaluate(() => {
        const a = document.querySelector('.quick-exit'), r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= window.innerHeight && (hit === a || a.contains(hit));
      });
      check(exitShown, `${width} px ${label}: the quick exit is on screen after scrolling to the bottom`);
      await audit(phone, `${width} px ${label} ${new URL(url).searchParams.get('lang')}`);
    }
    await phone.goto(`${base}/status?lang=en`);
    await phone.fill('input#receipt', 'WXYZ-WXYZ-WXYZ-WXYZ-WXYZ-WXYZ');
    const overflow = await phone.evaluate(() => { const i = document.querySelector('input#receipt'); return i.scrollWidth - i.clientWidth; });
    check(overflow <= 0, `${width} px: a receipt overflows its input by ${overflow} px`);
    await phone.screenshot({ path: path.join(scratch, `status-${width}.png`), fullPage: true });
    await audit(phone, `${width} px status form`);
    await phone.context().close();
  }

  // The keyboard reaches the quick exit first; reload and Back after a report and after a
  // follow-up file nothing twice (JavaScript off, as a reporter in Tor Browser would).
  {
    await noJs.goto(`${base}/?lang=en`);
    await noJs.keyboard.press('Tab');
    check(await noJs.locator('.quick-exit:focus').count() === 1, 'the first Tab reaches the quick exit');
    const before = caseCount();
    await noJs.click('label[for="category-other"]');
    await noJs.fill('#description', 'Reload and Back must not file this twice.');
    const shown = (await noJs.textContent('#new-receipt')).trim();
    await submit(noJs, '/report', 'form[action="/report"] button[type="submit"]');
    const receipt = (await noJs.textContent('#receipt')).trim();
    check(receipt === shown, 'the receipt shown before sending is the report\'s');
    await noJs.reload();   // sends the same form again
    check((await noJs.textContent('#receipt')).trim() === receipt, 'after a reload, the same receipt page');
    check(caseCount() === before + 1, 'a reload after a report files nothing twice');
    await noJs.goBack();
    await noJs.waitForLoadState('load');
    check(await noJs.locator('#description').inputValue() === '', 'Back does not bring back what was typed');
    check(caseCount() === before + 1, 'Back after a report files nothing twice');
    // a follow-up, then a reload
    await noJs.goto(`${base}/status?lang=en`);
    await noJs.fill('input#receipt', receipt);
    await submit(noJs, '/status', 'form[action="/status"] button[type="submit"]');
    await noJs.fill('#message', 'A follow-up sent once.');
    await submit(noJs, '/status/followup', 'form[action="/status/followup"] button[type="submit"]');
    await noJs.reload();
    check((await noJs.content()).includes('had already been sent'), 'a reload after a follow-up says it was sent already');
    const ref = (await noJs.textContent('#case')).trim();
    const shownCase = JSON.parse(execFileSync(caseworkBin, ['show', ref, '--json'], { env: caseworkEnv }));
    const fromReporter = shownCase.messages.filter((m) => m.from === 'reporter').length;
    check(fromReporter === 1, `a reload after a follow-up saved it once (${fromReporter} found)`);
  }

  // The annual statistics page (casework stats --html), both languages: from this intake's two
  // reports (almost every figure suppressed), and, when STATS_SAMPLE names tests/stats-sample,
  // from a year of 376 cases (most of it shown, with charts).
  const statsEnv = caseworkEnv;
  const pages = [];
  for (const lang of ['en', 'fr']) {
    const out = path.join(run, `stats-${lang}.html`);
    execFileSync(caseworkBin, ['stats', '--html', out, '--lang', lang], { env: statsEnv, stdio: 'ignore' });
    pages.push([`${lang} stats, 2 cases`, out]);
  }
  if (process.env.STATS_SAMPLE) {
    execFileSync(process.env.STATS_SAMPLE, ['3', '1', run], { stdio: 'ignore' });
    for (const lang of ['en', 'fr'])
      pages.push([`${lang} stats, 376 cases`, path.join(run, '3', `report-${lang}.html`)]);
  }
  for (const [label, file] of pages) {
    await axePage.goto(`file://${file}`);
    check(await axePage.locator('#note').count() === 1, `${label}: the footnote that explains the mark`);
    await audit(axePage, label);
  }
} catch (e) {
  console.error(`intake_a11y: ${e.stack || e}`);
  checkFailed = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (intake && intake.exitCode === null) {
    const exited = new Promise((r) => intake.once('exit', r));
    intake.kill('SIGTERM');
    await exited;
  }
  if (dbDir && dbDir !== run) fs.rmSync(dbDir, { recursive: true, force: true });
}

console.log(`\n${summary.length} page(s) audited in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
            `screenshots: ${path.join(scratch, 'form-en.png')}, form-fr.png`);
const passed = summary.length - pagesFailed;
if (pagesFailed || checkFailed) {
  console.log(`FAIL: ${pagesFailed} page(s) with serious/critical axe violations` +
              `${checkFailed ? ', and the run stopped on an error (above)' : ''}; files kept in ${run}`);
  console.log(`${passed} passed, ${pagesFailed + checkFailed} failed`);
  process.exit(1);
}
fs.rmSync(run, { recursive: true, force: true });
console.log(`${passed} passed, 0 failed`);
