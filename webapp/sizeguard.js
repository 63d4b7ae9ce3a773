'use strict';

// What each close code means, in words (RFC 6455 §7.4.1 and Sizeguard's use of them).
const CLOSE_CODES = {
    1000: 'Normal closure: the session ended as agreed.',
    1006: 'The connection dropped without a close frame. Sizeguard never answers a client mistake this way.',
    1007: 'The payload could not be decoded (bad UTF-8, malformed JSON or MessagePack).',
    1008: 'A protocol rule was broken (chunk order, a missed deadline, a size that lied).',
    1009: 'Message too big: the message exceeded the limit of its policy, so the server closed the session '
        + 'without reading further. Send less, split it, or ask for a larger policy.',
    1011: 'Server error: the server failed while handling the message. Without Sizeguard, Payara answers big '
        + 'frames this way ("Buffer overflow.").',
    1013: 'Try again later: the server is at its budget for messages in flight.',
};
window.SIZEGUARD_CLOSE_CODES = CLOSE_CODES;

const base = new URL('.', window.location.href);
const limitsBody = document.querySelector('#limits tbody');
const endpointSelect = document.getElementById('endpoint');
const result = document.getElementById('result');

function show(kind, html) {
    result.className = kind;
    result.innerHTML = html;
}

function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

async function loadLimits() {
    const response = await fetch(new URL('limits', base), {cache: 'no-store'});
    const limits = await response.json();
    limitsBody.innerHTML = '';
    endpointSelect.innerHTML = '';
    for (const [path, policy] of Object.entries(limits.endpoints)) {
        const row = document.createElement('tr');
        row.innerHTML = `<td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(policy.name)}</td>`
            + `<td>${policy.maxTextBytes.toLocaleString('en')}</td><td>${policy.maxBinaryBytes.toLocaleString('en')}</td>`
            + `<td>${policy.maxTextStreamBytes.toLocaleString('en')}</td>`
            + `<td>${policy.maxBinaryStreamBytes.toLocaleString('en')}</td>`
            + `<td>${policy.transfers ? policy.maxTransferBytes.toLocaleString('en') : '–'}</td>`;
        limitsBody.appendChild(row);
        if (!path.includes('{') && !policy.transfers) {
            const option = document.createElement('option');
            option.value = path;
            option.textContent = path;
            endpointSelect.appendChild(option);
        }
    }
}

function textOfBytes(bytes, fill) {
    const width = new TextEncoder().encode(fill).length;
    return fill.repeat(Math.floor(bytes / width));
}

function send(event) {
    event.preventDefault();
    const path = endpointSelect.value;
    const kind = document.getElementById('kind').value;
    const bytes = Number(document.getElementById('size').value) * Number(document.getElementById('unit').value);
    const url = new URL(path.replace(/^\//, ''), base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

    let payload;
    let sentBytes;
    if (kind === 'text') {
        payload = textOfBytes(bytes, document.getElementById('fill').value);
        sentBytes = new TextEncoder().encode(payload).length;
    } else {
        payload = new Uint8Array(bytes);
        sentBytes = bytes;
    }
    show('', `Sending a ${kind} message of ${sentBytes.toLocaleString('en')} bytes to <code>${escapeHtml(path)}</code>…`);

    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    let echoed = false;
    socket.onopen = () => socket.send(payload);
    socket.onmessage = message => {
        echoed = true;
        const size = typeof message.data === 'string'
            ? new TextEncoder().encode(message.data).length : message.data.byteLength;
        show('ok', `Accepted: the server echoed ${size.toLocaleString('en')} bytes.`);
        socket.close(1000, 'done');
    };
    socket.onclose = close => {
        if (echoed && close.code === 1000) {
            return;
        }
        const meaning = CLOSE_CODES[close.code] || 'A close code this page does not know.';
        show(close.code === 1009 || close.code === 1007 || close.code === 1008 ? 'rejected' : 'failed',
            `<p>Closed with <strong>${close.code}</strong>${close.reason ? ` “${escapeHtml(close.reason)}”` : ''}.</p>`
            + `<p>${escapeHtml(meaning)}</p>`);
    };
}

// The live panel: /stats once a second (the numbers behind /metrics), stopped while the page is hidden.
const liveBody = document.querySelector('#live tbody');
const liveEndpoints = document.querySelector('#live-endpoints tbody');
const LIVE = [
    ['openSessions', 'sessions open'], ['bufferedBytes', 'bytes held'], ['budgetBytes', 'budget (bytes)'],
    ['activeStreams', 'streams reading'], ['queuedSends', 'sends queued'], ['failedSends', 'sends failed'],
    ['activeTransfers', 'transfers in progress'], ['completedTransfers', 'transfers completed'],
    ['resumedTransfers', 'resumes'], ['failedTransfers', 'transfers failed'], ['inflatedBytes', 'bytes inflated'],
];

function number(value) {
    return Number(value || 0).toLocaleString('en');
}

async function refreshLive() {
    if (document.hidden) {
        return;
    }
    const response = await fetch(new URL('stats', base), {cache: 'no-store'});
    const stats = await response.json();
    liveBody.innerHTML = '<tr>' + LIVE.map(([, label]) => `<th>${label}</th>`).join('') + '</tr><tr>'
        + LIVE.map(([key]) => `<td data-stat="${key}">${number(stats[key])}</td>`).join('') + '</tr>';
    liveEndpoints.innerHTML = '';
    for (const [path, counts] of Object.entries(stats.endpoints || {})) {
        const row = document.createElement('tr');
        row.dataset.endpoint = path;
        row.innerHTML = `<td><code>${escapeHtml(path)}</code></td><td>${number(counts.messages.text)}</td>`
            + `<td>${number(counts.messages.binary)}</td>`
            + `<td>${number(counts.bytes.text + counts.bytes.binary)}</td>`
            + ['1009', '1007', '1008', '1013', '1002']
                .map(code => `<td data-code="${code}">${number(counts.refusals[code])}</td>`).join('')
            + `<td>${number(counts.deadlineExpiries)}</td>`;
        liveEndpoints.appendChild(row);
    }
}

function refreshLiveSafely() {
    refreshLive().catch(error => {
        liveBody.innerHTML = `<tr><td>Could not read /stats: ${escapeHtml(error)}</td></tr>`;
    });
}
refreshLiveSafely();
setInterval(refreshLiveSafely, 1000);

document.getElementById('try').addEventListener('submit', send);
loadLimits().catch(error => {
    limitsBody.innerHTML = `<tr><td colspan="7">Could not load the limits: ${escapeHtml(error)}</td></tr>`;
});
