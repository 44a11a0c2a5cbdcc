// Drives the real SDK (sdk/telesignal.js) under Node against a running server: join, waiting room, admission,
// presence, chat both ways, and a dropped connection that the SDK resumes without losing what was sent meanwhile.
// Usage: node --experimental-websocket protocol-check.mjs <sdk path> <ws url> <consultation> <provider token>
//        <patient token> <patient user id>. Prints one JSON line of findings; exits 1 on any failure.
import { next } from './events.mjs';

const [sdkPath, url, consultation, providerToken, patientToken, patientId] = process.argv.slice(2);
const { Client } = await import(sdkPath);

const findings = {};

const provider = new Client({ url, token: providerToken, minDelay: 50, maxDelay: 200 });
const patient = new Client({ url, token: () => Promise.resolve(patientToken), minDelay: 50, maxDelay: 200 });
try {
  findings.welcome = (await provider.connect()).type;
  await patient.connect();
  const providerView = await provider.join(consultation);
  findings.endpointMatches = providerView.participants.some((p) => p.endpoints.includes(provider.endpoint));
  const waiting = next(provider, 'waiting-room', (m) => m.waiting.some((w) => w.user === patientId));
  const joined = await patient.join(consultation);
  findings.patientWaits = joined.participants.every((p) => p.user !== patientId);
  await waiting;
  const admitted = next(patient, 'admission', (m) => m.status === 'admitted');
  await provider.admit(consultation, patientId);
  findings.admission = (await admitted).status;

  // presence: the provider watches the patient and sees the patient's status change
  const watched = await provider.watch([patientId]);
  findings.watchedStatus = watched.presence.map((p) => p.status).join();
  const away = next(provider, 'presence', (m) => m.user === patientId && m.status === 'busy');
  await patient.presence('busy', 'on another call');
  const seen = await away;
  findings.presenceSeen = seen.status + '/' + seen.note;

  const toPatient = next(patient, 'chat');
  await provider.chat(consultation, 'hello from the provider');
  findings.chatToPatient = (await toPatient).message.text;
  const toProvider = next(provider, 'chat');
  await patient.chat(consultation, 'hello from the patient');
  findings.chatToProvider = (await toProvider).message.text;

  // signals are acknowledged together (signaled): every promise settles, a refused one with its own error
  const signals = [];
  patient.addEventListener('signal', (e) => signals.push(e.detail.candidate && e.detail.candidate.candidate));
  const sent = [];
  for (let i = 0; i < 4; i++) {
    sent.push(provider.signal(consultation, patient.endpoint,
        { candidate: { candidate: 'candidate:' + i + ' 1 udp 2122260223 192.0.2.1 5000' + i + ' typ host', sdpMid: '0', sdpMLineIndex: 0 } })
        .then(() => 'answered', (e) => e.code));
  }
  sent.push(provider.signal(consultation, 'websocket-nobody', { restart: true }).then(() => 'answered', (e) => e.code));
  findings.signalOutcomes = await Promise.all(sent);
  const signalDeadline = Date.now() + 5000;
  while (signals.length < 4 && Date.now() < signalDeadline) await new Promise((r) => setTimeout(r, 20));
  findings.signalsReceived = signals.length;

  // the patient's connection drops (not a clean close): the SDK resumes; what was sent meanwhile arrives once
  const states = [];
  patient.addEventListener('state', (e) => states.push(e.detail.state));
  const received = [];
  patient.addEventListener('chat', (e) => received.push(e.detail.message.text));
  const resumed = next(patient, 'welcome', (w) => w.resumed === true);
  patient.socket.close(3000, 'network lost');
  for (let i = 0; i < 5; i++) await provider.chat(consultation, 'while away ' + i);
  findings.resumed = (await resumed).resumed;
  const deadline = Date.now() + 10000;
  while (received.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300)); // anything duplicated would have arrived by now
  findings.receivedWhileAway = received;
  findings.states = [...states];
  // a request after the resume works, and a refused one is a typed error
  findings.afterResume = (await patient.chat(consultation, 'back')).message.text;
  try {
    await patient.admit(consultation, patientId);
    findings.refused = 'not refused';
  } catch (e) {
    findings.refused = e.code;
  }
  provider.close();
  patient.close();
  console.log(JSON.stringify(findings));
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({ ...findings, failure: String(e && e.stack || e) }));
  process.exit(1);
}
