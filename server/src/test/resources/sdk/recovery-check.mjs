// How the real SDK (sdk/telesignal.js) recovers, under Node. Part one runs against a fake WebSocket and checks the
// client's own decisions: the backoff grows across reconnects that end the same way even when each was welcomed, and
// a close that would recur (1003, 1007, 1009, 4400) is reported and never retried. Part two runs against the real
// server: a message over the server's limit is refused by the SDK without losing the connection (one that reached the
// server would close it with 1009, which the server may follow with a reset that the client sees as 1006: so the SDK
// checks the size itself), and a session the server cannot resume is replaced by a new one that rejoins the
// consultation by itself, refuses the signals of the old one and sends the chat line again, once.
// Usage: node --experimental-websocket recovery-check.mjs <sdk path> <ws url> <consultation> <provider token>
//        <patient token> <patient user id>. Prints one JSON line of findings; exits 1 on any failure.
import { next } from './events.mjs';

const [sdkPath, url, consultation, providerToken, patientToken, patientId] = process.argv.slice(2);
const { Client } = await import(sdkPath);
const findings = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A server that welcomes every hello, then drops the connection as the plan says. */
class FakeSocket {
  static opened = 0;
  static plan = [];
  constructor() {
    FakeSocket.opened++;
    this.step = FakeSocket.plan.shift() || { stayMs: 5, code: 1011 };
    this.readyState = 0;
    setTimeout(() => { this.readyState = 1; this.onopen(); }, 1);
  }
  send(text) {
    const message = JSON.parse(text);
    if (message.type !== 'hello') return;
    setTimeout(() => {
      this.onmessage({ data: JSON.stringify({ type: 'welcome', seq: 0, session: 's1', endpoint: 'websocket-s1',
        resumeToken: 'r', resumed: Boolean(message.resume), heartbeatMs: 20000, maxMessageBytes: 65536,
        user: { id: 'u1', displayName: 'U', roles: ['patient'] }, iceServers: [] }) });
      setTimeout(() => this.drop(this.step.code), this.step.stayMs);
    }, 1);
  }
  drop(code) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose({ code, reason: 'test' });
  }
  close(code) { this.drop(code || 1000); }
}

try {
  // ---- part one: the client's own decisions, against the fake
  {
    FakeSocket.plan = Array.from({ length: 6 }, () => ({ stayMs: 5, code: 1011 }));
    FakeSocket.plan.push({ stayMs: 120, code: 1011 }); // one that stays up past stableAfter
    FakeSocket.plan.push({ stayMs: 5, code: 1011 });
    const client = new Client({ url: 'ws://fake', token: 't', WebSocket: FakeSocket, minDelay: 1, maxDelay: 8,
      stableAfter: 100 });
    const attempts = [];
    client.addEventListener('state', (e) => { if (e.detail.state === 'reconnecting') attempts.push(client.attempt); });
    await client.connect();
    const deadline = Date.now() + 5000;
    while (attempts.length < 8 && Date.now() < deadline) await sleep(5);
    client.close();
    // each welcomed connection that dropped at once made the next delay longer; the one that stayed up reset it
    findings.attempts = attempts.slice(0, 8);
  }
  for (const code of [1003, 1007, 1009, 4400]) {
    FakeSocket.opened = 0;
    FakeSocket.plan = [{ stayMs: 5, code }];
    const client = new Client({ url: 'ws://fake', token: 't', WebSocket: FakeSocket, minDelay: 1, maxDelay: 2 });
    const errors = [];
    client.addEventListener('error', (e) => errors.push(e.detail.code + '/' + e.detail.closeCode));
    await client.connect();
    await sleep(100);
    findings['close' + code] = { errors, state: client.state, connections: FakeSocket.opened };
  }

  // ---- part two: the real server
  const provider = new Client({ url, token: providerToken, minDelay: 20, maxDelay: 100 });
  const patient = new Client({ url, token: patientToken, minDelay: 20, maxDelay: 100 });
  await provider.connect();
  const welcome = await patient.connect();
  findings.maxMessageBytes = welcome.maxMessageBytes;
  await provider.join(consultation);
  await patient.join(consultation);
  await provider.admit(consultation, patientId);

  // too large for the server: refused here, the connection stays
  try {
    await patient.signal(consultation, provider.endpoint,
        { description: { type: 'offer', sdp: 'v=0\r\n' + 'a=x:'.padEnd(welcome.maxMessageBytes, 'y') } });
    findings.tooLarge = 'sent';
  } catch (e) {
    findings.tooLarge = e.code;
  }
  findings.stateAfterTooLarge = patient.state;
  const stillHere = next(provider, 'chat', (m) => m.message.text === 'still here');
  findings.chatAfterTooLarge = (await patient.chat(consultation, 'still here')).message.text;
  await stillHere; // the provider has it before it starts counting what arrives next

  // a session the server cannot resume (its resume token no longer matches, as after a server restart)
  const lost = next(patient, 'session-lost');
  const rejoined = next(patient, 'rejoined');
  const providerChats = [];
  provider.addEventListener('chat', (e) => providerChats.push(e.detail.message.text));
  const oldEndpoint = patient.endpoint;
  patient.session.resumeToken = 'not-the-token';
  patient.socket.close(3000, 'network lost');
  const signal = patient.signal(consultation, provider.endpoint, { restart: true }).then(() => 'answered', (e) => e.code);
  const chat = patient.chat(consultation, 'sent while reconnecting', 'k-reconnect');
  findings.lostCode = (await lost).code;
  const view = (await rejoined).view;
  findings.rejoinedAdmitted = view.participants.some((p) => p.user === patientId && p.endpoints.includes(patient.endpoint));
  findings.newEndpoint = patient.endpoint !== oldEndpoint;
  findings.signalOfTheOldSession = await signal;
  findings.chatSentAgain = (await chat).message.text;
  // sent again by hand with the same client id: the same message, stored and shown once
  const again = await patient.chat(consultation, 'sent while reconnecting', 'k-reconnect');
  findings.sameMessage = again.message.id === (await chat).message.id;
  await sleep(300);
  findings.providerChats = providerChats;

  patient.close();
  provider.close();
  console.log(JSON.stringify(findings));
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({ ...findings, failure: String(e && e.stack || e) }));
  process.exit(1);
}
