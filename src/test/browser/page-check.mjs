// Real-browser check of the Sizeguard page (webapp/index.html, sizeguard.js), run by PageIT on each server.
//
//   node page-check.mjs <baseUrl> [screenshot.png]
//
// <baseUrl> is the deployment, e.g. http://127.0.0.1:8180/sizeguard/. Launches Debian's Chromium headless
// (/usr/bin/chromium, or $SIZEGUARD_CHROMIUM) with a fresh profile, then, as a person would:
//   1. waits for the limits table to show /echo with 65,536 (text) and 1,048,576 (binary);
//   2. sends a 100-byte text to /echo and waits for "Accepted: the server echoed 100 bytes.";
//   3. sends a 65,537-byte text and waits for 1009 "text message exceeds 65536 bytes" and its explanation;
//   4. sends a 1 MiB + 1 binary and waits for 1009 "binary message exceeds 1048576 bytes".
// After step 2 it prints the extensions the browser negotiated ("negotiated: permessage-deflate; ..." or
// "negotiated: (none)"): Chromium offers permessage-deflate on every connection.
// Prints what the page showed at each step. Exits 0 when all steps pass, 1 on the first failure (with what was
// expected and what was seen), 2 on bad usage. Every wait is bounded; there are no fixed sleeps.

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STEP_TIMEOUT_MS = Number(process.env.SIZEGUARD_STEP_TIMEOUT_MS || 30_000);
const TOTAL_TIMEOUT_MS = Number(process.env.SIZEGUARD_TOTAL_TIMEOUT_MS || 120_000);
const EXECUTABLE = process.env.SIZEGUARD_CHROMIUM || '/usr/bin/chromium';
// Flags that work headless as root on these machines (see shared FACTS.md, "Real clients and the browser").
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const EXPLANATION_1009 = 'Message too big: the message exceeded the limit of its policy';

class CheckFailed extends Error {}

function log(line) {
    console.log(`[page-check] ${line}`);
}

function fail(message) {
    throw new CheckFailed(message);
}

const [baseArg, screenshotPath] = process.argv.slice(2);
if (!baseArg) {
    console.error('usage: node page-check.mjs <baseUrl> [screenshot.png]   e.g. http://127.0.0.1:8180/sizeguard/');
    process.exit(2);
}
const baseUrl = baseArg.endsWith('/') ? baseArg : `${baseArg}/`;

let context;
const startedAt = Date.now();
const userDataDir = mkdtempSync(join(tmpdir(), 'sizeguard-chromium-'));

async function cleanUp() {
    try {
        await context?.close();
    } catch {
        // the browser is gone already
    }
    rmSync(userDataDir, { recursive: true, force: true });
}

// A hard deadline for the whole check, whatever hangs (launch, navigation, a wait without its own timeout).
const deadline = setTimeout(async () => {
    console.error(`[page-check] FAILED: the check did not finish within ${TOTAL_TIMEOUT_MS} ms`);
    await cleanUp();
    process.exit(1);
}, TOTAL_TIMEOUT_MS);

/** The text of the #result box once the page shows an outcome (class ok, rejected or failed), within the step timeout. */
async function send(page, { kind, size, label }) {
    await page.selectOption('#endpoint', '/echo');
    await page.selectOption('#kind', kind);
    await page.selectOption('#unit', '1');
    await page.selectOption('#fill', 'a');
    await page.fill('#size', String(size));

    // Arm an observer before clicking: it resolves on the first outcome shown after this send, so an earlier
    // outcome with the same wording cannot be mistaken for this one.
    await page.evaluate(() => {
        const result = document.getElementById('result');
        window.__pageCheckOutcome = new Promise(resolve => {
            new MutationObserver((records, observer) => {
                if (['ok', 'rejected', 'failed'].includes(result.className)) {
                    observer.disconnect();
                    resolve({ className: result.className, text: result.innerText.trim() });
                }
            }).observe(result, { attributes: true, childList: true, subtree: true, characterData: true });
        });
    });
    const started = Date.now();
    await page.click('#send');
    const outcome = await Promise.race([
        page.evaluate(() => window.__pageCheckOutcome),
        new Promise(resolve => setTimeout(() => resolve(null), STEP_TIMEOUT_MS)),
    ]);
    if (outcome === null) {
        const shown = (await page.locator('#result').innerText()).trim();
        fail(`${label}: no outcome within ${STEP_TIMEOUT_MS} ms; the result box shows: ${JSON.stringify(shown)}`);
    }
    log(`${label}: [${outcome.className}] after ${Date.now() - started} ms: ${outcome.text.replace(/\s*\n+\s*/g, ' | ')}`);
    return outcome;
}

function expectContains(label, outcome, ...expected) {
    for (const text of expected) {
        if (!outcome.text.includes(text)) {
            fail(`${label}: expected the result to contain ${JSON.stringify(text)}, but it shows `
                + `${JSON.stringify(outcome.text)}`);
        }
    }
}

async function main() {
    log(`base ${baseUrl}, browser ${EXECUTABLE}, profile ${userDataDir}`);
    context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: EXECUTABLE,
        headless: true,
        args: FLAGS,
        timeout: STEP_TIMEOUT_MS,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const browser = context.browser();
    log(`launched Chromium ${browser ? browser.version() : '(version unknown)'}`);

    const page = context.pages()[0] ?? await context.newPage();
    const problems = [];
    page.on('pageerror', error => problems.push(`page error: ${error.message}`));
    page.on('console', message => {
        // The browser asks for /favicon.ico by itself; the page has none, and its 404 is no fault of the page.
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
            problems.push(`console error: ${message.text()} (${message.location().url})`);
        }
    });

    // Records what each WebSocket the page opens negotiated (the page's own code is left as it is).
    await context.addInitScript(() => {
        const Native = window.WebSocket;
        window.__negotiated = [];
        window.WebSocket = class extends Native {
            constructor(...args) {
                super(...args);
                this.addEventListener('open', () => window.__negotiated.push(this.extensions));
            }
        };
    });

    const response = await page.goto(baseUrl, { waitUntil: 'load' });
    if (!response || !response.ok()) {
        fail(`GET ${baseUrl} answered ${response ? response.status() : 'nothing'}`);
    }
    log(`opened ${page.url()} (HTTP ${response.status()}), title ${JSON.stringify(await page.title())}`);

    // 1. The limits table, filled from /limits. Stop early if the page says it could not load them.
    try {
        await page.waitForFunction(() => {
            const rows = [...document.querySelectorAll('#limits tbody tr')];
            return rows.some(row => row.innerText.includes('Could not load the limits'))
                || rows.some(row => row.cells[0].innerText.trim() === '/echo');
        }, null, { timeout: STEP_TIMEOUT_MS });
    } catch (error) {
        const shown = await page.locator('#limits tbody').innerText().catch(() => '(unreadable)');
        fail(`limits table: no /echo row within ${STEP_TIMEOUT_MS} ms; it shows ${JSON.stringify(shown)}`);
    }
    const rows = await page.$$eval('#limits tbody tr',
        trs => trs.map(tr => [...tr.cells].map(cell => cell.innerText.trim())));
    log(`limits table (endpoint | policy | text | binary):`);
    for (const row of rows) {
        log(`  ${row.join(' | ')}`);
    }
    const echo = rows.find(row => row[0] === '/echo');
    if (!echo) {
        fail(`limits table: no /echo row; it shows ${JSON.stringify(rows)}`);
    }
    if (echo[2] !== '65,536' || echo[3] !== '1,048,576') {
        fail(`limits table: expected /echo with 65,536 (text) and 1,048,576 (binary), saw ${JSON.stringify(echo)}`);
    }
    const options = await page.$$eval('#endpoint option', opts => opts.map(option => option.value));
    if (!options.includes('/echo')) {
        fail(`endpoint list: /echo missing; it offers ${JSON.stringify(options)}`);
    }

    // 2. A small text is echoed.
    const small = await send(page, { kind: 'text', size: 100, label: 'text 100 B' });
    expectContains('text 100 B', small, 'Accepted: the server echoed 100 bytes.');
    const negotiated = await page.evaluate(() => window.__negotiated);
    log(`negotiated: ${negotiated.length === 0 ? '(no connection seen)' : negotiated[negotiated.length - 1] || '(none)'}`);

    // 3. One byte over the text limit.
    const text = await send(page, { kind: 'text', size: 65_537, label: 'text 65,537 B' });
    expectContains('text 65,537 B', text, 'Closed with 1009', '“text message exceeds 65536 bytes”', EXPLANATION_1009);

    // 4. One byte over the binary limit.
    const binary = await send(page, { kind: 'binary', size: 1_048_577, label: 'binary 1,048,577 B' });
    expectContains('binary 1,048,577 B', binary, 'Closed with 1009', '“binary message exceeds 1048576 bytes”',
        EXPLANATION_1009);

    if (problems.length > 0) {
        fail(`the page reported errors:\n  ${problems.join('\n  ')}`);
    }
    if (screenshotPath) {
        await page.screenshot({ path: screenshotPath, fullPage: true });
        log(`screenshot ${screenshotPath}`);
    }
}

let exitCode = 0;
try {
    await main();
    log(`PASSED in ${Date.now() - startedAt} ms: limits table, echo, text 1009 and binary 1009 as expected`);
} catch (error) {
    exitCode = 1;
    if (screenshotPath && context) {
        await context.pages()[0]?.screenshot({ path: screenshotPath, fullPage: true }).catch(() => {});
    }
    console.error(`[page-check] FAILED: ${error instanceof CheckFailed ? error.message : error.stack || error}`);
} finally {
    clearTimeout(deadline);
    await cleanUp();
}
process.exit(exitCode);
