// The telesignal web app: a patient-provider video consultation on top of the SDK (/sdk/telesignal.js).
// Everything comes from this server; no CDN. Patient: sign in, check camera and microphone, wait, talk.
// Provider: sign in, start a consultation, admit or deny, invite an interpreter or family member, end.
import { Client, Mesh, TelesignalError } from '/sdk/telesignal.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
/** An invite link carries its token in the fragment (#invite=…), which never reaches a server log; older links in
 * the query. Either way it leaves the address bar as soon as it is read. */
const invite = new URLSearchParams(location.hash.slice(1)).get('invite') || params.get('invite');
if (invite) history.replaceState(null, '', location.pathname + (params.get('c') ? '?c=' + params.get('c') : ''));
const app = { client: null, user: null, token: null, consultation: params.get('c'), mesh: null, stream: null,
  provider: false, self: null, tiles: new Map(), shownChat: new Set(), invite };
/** A guest's (or an invited account's) place for this tab, so that a reload resumes: gone when the tab closes. */
const KEPT = 'telesignal.invited';
/** A call not connected this long after it was made is reported on its tile (it goes on trying). */
const CALL_PROBLEM_MS = 20000;
window.telesignalApp = app; // for the browser tests and for debugging

const SECTIONS = ['signin', 'guest', 'start', 'precall', 'waiting', 'call', 'done'];
function show(section) {
  for (const id of SECTIONS) $(id).hidden = id !== section;
  const heading = $(section).querySelector('h2');
  if (heading) { heading.tabIndex = -1; heading.focus(); }
}

function status(text, problem = false) {
  $('status').textContent = text;
  $('status').classList.toggle('problem', problem);
}

async function api(path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new TelesignalError(json.error.code, json.error.message);
  return json;
}

const EXPLAIN = {
  bad_credentials: 'That login and password do not match.',
  invite_used: 'This invite link has already been used. Ask your provider for a new one.',
  invite_invalid: 'This invite link is not valid or has expired. Ask your provider for a new one.',
  consultation_ended: 'This consultation has ended.',
  not_authorized: 'You are not on the list for this consultation.',
  consultation_full: 'This consultation is full.',
};
/** Why the server closed for good, by close code (docs/protocol.md). */
const CLOSED = {
  1003: 'The connection was refused. Reload the page to try again.',
  1007: 'The connection was refused. Reload the page to try again.',
  1008: 'The connection was refused. Reload the page to try again.',
  1009: 'A message was too large for the service, and the connection was closed. Reload the page to try again.',
  4400: 'The connection was refused. Reload the page to try again.',
  4401: 'Your sign-in has expired. Reload the page and sign in again.',
  4403: 'Your account cannot connect at the moment. Contact your provider.',
  4409: 'This session continued in another window.',
  4410: 'Your session was ended by the service. Reload the page to sign in again.',
};
const explain = (e) => EXPLAIN[e.code] || e.message || String(e);

// ---- sign-in

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const answer = await api('/api/v1/login', { login: $('login').value, password: $('password').value });
    await withAccount(answer.token);
  } catch (e) {
    status(explain(e), true);
  }
});

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await withAccount($('token').value.trim()).catch((e) => status(explain(e), true));
});

/** Signed in with an account; an invite link it came with is redeemed with the account's own token. */
async function withAccount(token) {
  if (app.invite) {
    const answer = await api('/api/v1/invites/redeem', { invite: app.invite }, token);
    app.invite = null;
    app.consultation = answer.consultation;
    keep(token, answer.consultation);
  }
  await signedIn(token);
}

/** Keeps the tab's place in the consultation it was invited to, so that a reload resumes instead of failing. */
function keep(token, consultation) {
  sessionStorage.setItem(KEPT, JSON.stringify({ token, consultation }));
}

$('guest-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const answer = await api('/api/v1/invites/redeem', { invite: app.invite, displayName: $('guest-name').value });
    app.invite = null;
    app.consultation = answer.consultation;
    keep(answer.token, answer.consultation);
    await signedIn(answer.token);
  } catch (e) {
    status(explain(e), true);
  }
});

$('invite-signin').addEventListener('click', () => {
  $('signin-invite').hidden = false;
  show('signin');
});

/** Checks the invite as the page opens: a used, expired or ended one is said at once, not after the form. */
async function checkInvite() {
  show('guest');
  try {
    const checked = await api('/api/v1/invites/check', { invite: app.invite });
    const until = new Date(checked.expiresAt);
    $('invite-about').textContent = `You are invited as ${ROLE_NAMES[checked.role] || checked.role}. The link works`
        + ` once, until ${until.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}.`;
  } catch (e) {
    $('invite-about').textContent = '';
    $('invite-problem').textContent = e.code === 'consultation_ended' ? 'This consultation has ended.' : explain(e);
    $('invite-problem').hidden = false;
    $('guest-form').hidden = true;
    $('guest-account').hidden = true;
  }
}

const ROLE_NAMES = { interpreter: 'an interpreter', guest: 'a guest', patient: 'a patient', device: 'a device' };

/** When a token runs out (its exp claim, ms since the epoch); null when it cannot be read. */
function expiry(jwt) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).exp * 1000;
  } catch (e) {
    return null;
  }
}

/**
 * Tokens are short-lived (the server's tokens.ttl): renew this one halfway through its life, for as long as the page
 * is open, so that a reconnect in the middle of a long consultation still signs in. A kept (invited) tab keeps the
 * new one for its next reload.
 */
function renewLater() {
  clearTimeout(app.renewal);
  const exp = expiry(app.token);
  if (!exp) return;
  app.renewal = setTimeout(async () => {
    try {
      const answer = await api('/api/v1/tokens/refresh', {}, app.token);
      app.token = answer.token;
      const kept = JSON.parse(sessionStorage.getItem(KEPT) || 'null');
      if (kept) keep(answer.token, kept.consultation);
      renewLater();
    } catch (e) {
      if (e.code && (e.code.startsWith('token_') || e.code === 'unauthorized')) {
        status('Your sign-in has expired. Sign in again, or open your invite link again.', true);
      } else {
        app.renewal = setTimeout(renewLater, 10000); // the server is away for a moment: try again
      }
    }
  }, Math.max(5000, (exp - Date.now()) / 2));
}

async function signedIn(token) {
  app.token = token;
  renewLater();
  // the SDK asks for the token at each (re)connection: it gets the latest renewed one
  app.client = new Client({ token: async () => app.token });
  app.client.addEventListener('state', ({ detail }) => {
    if (detail.state === 'reconnecting') status('Connection lost. Restoring it…', true);
    if (detail.state === 'open' && app.user) status('Connected.');
  });
  // the server could not resume the session (it restarted, or the connection was gone too long): the SDK opens a new
  // one and joins the consultation again by itself; the calls are made again from the new connection
  app.client.addEventListener('session-lost', ({ detail }) => {
    if (detail.consultations.length > 0) status('Connection restored. Rejoining the consultation…', true);
  });
  app.client.addEventListener('rejoined', ({ detail }) => rejoined(detail.view));
  app.client.addEventListener('rejoin-failed', ({ detail }) => {
    if (detail.error.code === 'consultation_ended') finished('The provider has ended the consultation.');
    else status('You could not rejoin the consultation: ' + explain(detail.error) + ' Reload the page to try again.', true);
  });
  app.client.addEventListener('admission', ({ detail }) => admission(detail.status));
  app.client.addEventListener('waiting-room', ({ detail }) => waitingList(detail.waiting));
  app.client.addEventListener('participant', ({ detail }) => {
    if (detail.state === 'ended') finished('The provider has ended the consultation.');
    else {
      app.participants = detail.participants;
      awayNotice(detail.participants);
      if (app.phase === 'call') participantsList(detail.participants);
    }
  });
  app.client.addEventListener('chat', ({ detail }) => chatLine(detail.message));
  app.client.addEventListener('error', ({ detail }) => {
    // a close the client does not come back from ends the visit: calls, camera and microphone stop
    if (detail.closeCode && CLOSED[detail.closeCode]) finished(CLOSED[detail.closeCode]);
    else status(explain(detail), true);
  });
  const welcome = await app.client.connect();
  app.user = welcome.user;
  app.provider = welcome.user.roles.includes('provider');
  $('who').textContent = 'Signed in as ' + welcome.user.displayName;
  status('');
  if (!app.consultation) await home();
  else await precall();
}

// ---- signed in without a consultation: the open ones, a pasted link, and (providers) a new one

async function home() {
  $('start-new').hidden = !app.provider;
  show('start');
  try {
    const response = await fetch('/api/v1/me/consultations', { headers: { Authorization: 'Bearer ' + app.token } });
    const json = await response.json();
    if (!response.ok) throw new TelesignalError(json.error.code, json.error.message);
    $('mine').replaceChildren(...json.consultations.map(mineItem));
    $('mine-empty').hidden = json.consultations.length > 0;
  } catch (e) {
    status('Your consultations could not be listed: ' + explain(e), true);
  }
}

const TIME = { dateStyle: 'medium', timeStyle: 'short' };

function mineItem(c) {
  const li = document.createElement('li');
  const who = c.providers.length ? 'with ' + c.providers.join(', ') : '';
  const when = c.scheduledFor ? 'scheduled for ' + new Date(c.scheduledFor).toLocaleString([], TIME)
    : 'opened ' + new Date(c.createdAt).toLocaleString([], TIME);
  const where = c.status === 'admitted' ? ' · you are in it' : c.status === 'waiting' ? ' · you are waiting' : '';
  const label = ['Consultation', who].filter(Boolean).join(' ');
  li.append(document.createTextNode(`${label}, ${when}${where}`));
  const open = document.createElement('button');
  open.type = 'button';
  open.textContent = 'Join';
  open.setAttribute('aria-label', `Join the consultation ${who}, ${when}`.replace('  ', ' '));
  open.addEventListener('click', () => openConsultation(c.id));
  li.append(open);
  return li;
}

async function openConsultation(id) {
  app.consultation = id;
  history.replaceState(null, '', '?c=' + id);
  await precall();
}

/** A link as sent (…/?c=ID, an invite …/#invite=…), or just the consultation's id. */
$('link-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('pasted-link').value.trim();
  let url = null;
  try { url = new URL(text, location.origin); } catch (e) { /* not a URL: perhaps an id */ }
  const pastedInvite = url && (new URLSearchParams(url.hash.slice(1)).get('invite') || url.searchParams.get('invite'));
  const id = url && url.searchParams.get('c') || (/^[A-Za-z0-9._-]{1,64}$/.test(text) ? text : null);
  try {
    if (pastedInvite) {
      const answer = await api('/api/v1/invites/redeem', { invite: pastedInvite }, app.token);
      keep(app.token, answer.consultation);
      await openConsultation(answer.consultation);
    } else if (id) {
      await openConsultation(id);
    } else {
      status('That is not a link to a consultation. Paste the whole link you were sent.', true);
    }
  } catch (e) {
    status(explain(e), true);
  }
});

// ---- provider: start a consultation

$('start-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await api('/api/v1/consultations',
        { participants: [{ user: $('patient-login').value.trim(), role: 'patient' }] }, app.token);
    await openConsultation(created.id);
  } catch (e) {
    status(explain(e), true);
  }
});

// ---- pre-call check

async function precall() {
  // joining waits for the camera and microphone: calls made without them would carry no media
  $('join').disabled = true;
  show('precall');
  await openMedia();
  $('join').disabled = false;
  const devices = await navigator.mediaDevices.enumerateDevices();
  fill($('camera'), devices.filter((d) => d.kind === 'videoinput'), deviceInUse('video'));
  fill($('microphone'), devices.filter((d) => d.kind === 'audioinput'), deviceInUse('audio'));
  if (app.autoJoin && app.stream) {
    app.autoJoin = false;
    await join();
  }
}

/** Lists devices in a select, the one in use (if any) selected. */
function fill(select, devices, inUse) {
  select.replaceChildren(...devices.map((d, i) => new Option(d.label || `Device ${i + 1}`, d.deviceId, false,
      d.deviceId === inUse)));
}

/** The device id of the stream's track of a kind. @param {'audio'|'video'} kind */
function deviceInUse(kind) {
  const track = app.stream && app.stream.getTracks().find((t) => t.kind === kind);
  return track ? track.getSettings().deviceId : undefined;
}

async function listCallDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  fill($('call-camera'), devices.filter((d) => d.kind === 'videoinput'), deviceInUse('video'));
  fill($('call-microphone'), devices.filter((d) => d.kind === 'audioinput'), deviceInUse('audio'));
}

/** Switches a device mid-call, on every call at once. @param {'audio'|'video'} kind @param {HTMLSelectElement} select */
async function switchDevice(kind, select) {
  try {
    await app.mesh.switchDevice(kind, select.value);
    $('local').srcObject = app.stream;
    status(kind === 'video' ? 'Camera switched.' : 'Microphone switched.');
  } catch (e) {
    status((kind === 'video' ? 'The camera' : 'The microphone') + ' could not be switched (' + e.name + ').', true);
    await listCallDevices();
  }
}
$('call-camera').addEventListener('change', () => switchDevice('video', $('call-camera')));
$('call-microphone').addEventListener('change', () => switchDevice('audio', $('call-microphone')));

async function openMedia() {
  const camera = $('camera').value;
  const microphone = $('microphone').value;
  try {
    if (app.stream) app.stream.getTracks().forEach((t) => t.stop());
    app.stream = await navigator.mediaDevices.getUserMedia({
      video: camera ? { deviceId: { exact: camera } } : true,
      audio: microphone ? { deviceId: { exact: microphone } } : true,
    });
    $('preview').srcObject = app.stream;
    $('media-problem').hidden = true;
  } catch (e) {
    const text = e.name === 'NotAllowedError'
      ? 'The browser was not allowed to use your camera or microphone. Allow them in the address bar, then reload.'
      : e.name === 'NotFoundError' ? 'No camera or microphone was found. Connect one and reload.'
        : 'Your camera or microphone could not be started (' + e.name + '). Close other apps that use it.';
    $('media-problem').textContent = text;
    $('media-problem').hidden = false;
  }
}
$('camera').addEventListener('change', openMedia);
$('microphone').addEventListener('change', openMedia);

$('join').addEventListener('click', () => join());

/** The mesh exists before we are admitted: peers may offer the moment they see us, before our join returns. */
function ensureMesh() {
  if (!app.mesh) {
    app.mesh = new Mesh(app.client, { consultation: app.consultation, self: app.client.endpoint, stream: app.stream });
    app.mesh.addEventListener('call', ({ detail }) => addTile(detail.peer, detail.call, detail.user));
    app.mesh.addEventListener('ended', ({ detail }) => removeTile(detail.peer));
  }
}

async function join() {
  app.left = false;
  ensureMesh();
  try {
    const view = await app.client.join(app.consultation);
    app.joined = true;
    const admitted = view.participants.some((p) => p.user === app.user.id);
    if (admitted) enterCall(view);
    else { app.phase = 'waiting'; show('waiting'); status('You are in the waiting room.'); }
  } catch (e) {
    status(explain(e), true);
    if (e.code === 'consultation_ended') finished(explain(e));
  }
}

/** Joined again on a new session: back into the call (admitted at once) or the waiting room. */
function rejoined(view) {
  const admitted = view.participants.some((p) => p.user === app.user.id);
  if (admitted) {
    enterCall(view);
    app.reconnecting = true;
    status('Connection restored. Reconnecting the call…');
  } else {
    app.phase = 'waiting';
    show('waiting');
    status('Connection restored. You are in the waiting room.');
  }
}

/** Says who among the admitted lost their connection with the server and has not come back yet. */
function awayNotice(participants) {
  const away = participants.filter((p) => p.awaySince && p.user !== app.user.id).map((p) => p.displayName);
  $('away-notice').hidden = away.length === 0;
  $('away-notice').textContent = away.length === 0 ? ''
    : away.join(', ') + (away.length === 1 ? ' has' : ' have') + ' lost the connection. Waiting for them to come back…';
}

function admission(state) {
  if (state === 'admitted') {
    // a provider admitted us from the waiting room (anyone joining gets this too: only the waiting act on it)
    if (app.phase !== 'waiting') return;
    app.phase = 'joining';
    app.client.join(app.consultation).then(enterCall).catch((e) => status(explain(e), true));
  } else if (state === 'denied') {
    finished('The provider could not admit you to this consultation.');
  } else if (state === 'removed') {
    finished('You were removed from the consultation.');
  } else if (state === 'ended') {
    finished('The provider has ended the consultation.');
  }
}

// ---- the call

function enterCall(view) {
  app.phase = 'call';
  app.self = app.client.endpoint;
  show('call');
  status('In the consultation.');
  $('local').srcObject = app.stream;
  $('provider-tools').hidden = !app.provider;
  $('end').hidden = !app.provider;
  if (app.provider) {
    $('share').hidden = false;
    $('share-link').href = location.origin + '/?c=' + app.consultation;
    $('share-link').textContent = location.origin + '/?c=' + app.consultation;
    waitingList(view.waiting || []);
  }
  (view.chat || []).forEach(chatLine);
  ensureMesh();
  app.mesh.update(view.participants, view.version);
  app.participants = view.participants;
  awayNotice(view.participants);
  participantsList(view.participants);
  listCallDevices().catch(() => { /* the selects stay empty; the call goes on */ });
}

function addTile(peer, call, user) {
  removeTile(peer);
  const figure = document.createElement('figure');
  figure.className = 'tile';
  figure.dataset.peer = peer;
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  const name = user ? user.displayName : 'Participant';
  video.setAttribute('aria-label', name);
  const caption = document.createElement('figcaption');
  caption.textContent = name;
  figure.append(video, caption);
  $('videos').append(figure);
  app.tiles.set(peer, figure);
  call.addEventListener('track', ({ detail }) => { video.srcObject = detail.streams[0]; });
  caption.textContent = name + ' · connecting…';
  // a call that does not connect is said so on its tile (it keeps trying: ICE restarts, a new session)
  const problem = setTimeout(() => {
    figure.dataset.problem = 'not-connected';
    caption.textContent = `${name} · the call could not be connected. Still trying…`;
    status(`The call with ${name} could not be connected. Still trying…`, true);
  }, CALL_PROBLEM_MS);
  call.addEventListener('ended', () => clearTimeout(problem));
  call.addEventListener('state', ({ detail }) => {
    figure.dataset.connectionState = detail.connectionState;
    if (detail.connectionState === 'connected') {
      clearTimeout(problem);
      if (figure.dataset.problem || app.reconnecting) status('In the consultation.');
      app.reconnecting = false;
      delete figure.dataset.problem;
      caption.textContent = name;
    } else if (detail.connectionState === 'failed') {
      figure.dataset.problem = 'failed';
      caption.textContent = `${name} · the connection failed. Reconnecting…`;
    }
  });
  call.addEventListener('quality', ({ detail }) => {
    figure.dataset.framesDecoded = detail.framesDecoded;
    if (figure.dataset.problem) return;
    caption.textContent = `${name} · ${detail.rttMs == null ? '–' : Math.round(detail.rttMs) + ' ms'}`
        + ` · ${Math.round(detail.inboundKbps)} kbit/s · ${(detail.packetLoss * 100).toFixed(1)}% lost`;
  });
}

function removeTile(peer) {
  const tile = app.tiles.get(peer);
  if (tile) { tile.remove(); app.tiles.delete(peer); }
}

const ROLES = { patient: 'patient', provider: 'provider', staff: 'staff', interpreter: 'interpreter',
  guest: 'family member or guest', device: 'device', admin: 'administrator' };

/** "Ana (interpreter, invite link)": who someone is and how they came. */
function described(p) {
  return `${p.displayName} (${ROLES[p.role] || p.role}, ${p.invited ? 'invite link' : 'on the list'})`;
}

function waitingList(waiting) {
  $('waiting-empty').hidden = waiting.length > 0;
  $('waiting-list').replaceChildren(...waiting.map((w) => {
    const li = document.createElement('li');
    li.append(document.createTextNode(described(w) + ' '));
    const admit = document.createElement('button');
    admit.type = 'button';
    admit.textContent = 'Admit ' + w.displayName;
    admit.addEventListener('click', () => app.client.admit(app.consultation, w.user).catch((e) => status(explain(e), true)));
    const deny = document.createElement('button');
    deny.type = 'button';
    deny.textContent = 'Deny ' + w.displayName;
    deny.addEventListener('click', () => app.client.deny(app.consultation, w.user).catch((e) => status(explain(e), true)));
    li.append(admit, deny);
    return li;
  }));
}

/** The admitted others, each with Remove behind a confirmation (providers only). */
function participantsList(participants) {
  if (!app.provider) return;
  const others = participants.filter((p) => p.user !== app.user.id);
  $('participants-list').replaceChildren(...others.map((p) => {
    const li = document.createElement('li');
    li.dataset.user = p.user;
    li.append(document.createTextNode(described(p) + ' '));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.textContent = 'Remove ' + p.displayName;
    remove.addEventListener('click', () => confirmRemoval(li, p));
    li.append(remove);
    return li;
  }));
}

function confirmRemoval(li, p) {
  const question = document.createElement('span');
  question.className = 'confirm';
  question.textContent = `Remove ${p.displayName} from the consultation? They cannot come back in with their link.`;
  const yes = document.createElement('button');
  yes.type = 'button';
  yes.className = 'danger';
  yes.textContent = 'Yes, remove ' + p.displayName;
  const no = document.createElement('button');
  no.type = 'button';
  no.className = 'secondary';
  no.textContent = 'Cancel';
  li.replaceChildren(question, yes, no);
  yes.focus();
  yes.addEventListener('click', async () => {
    try {
      await app.client.remove(app.consultation, p.user);
      status(`${p.displayName} was removed from the consultation.`);
    } catch (e) {
      status(explain(e), true);
    }
  });
  no.addEventListener('click', () => participantsList(app.participants || []));
}

function chatLine(message) {
  // the same message may come again (with the history when rejoining, or delivered again after a reconnect)
  if (app.shownChat.has(message.id)) return;
  app.shownChat.add(message.id);
  const li = document.createElement('li');
  li.textContent = `${message.displayName}: ${message.text}`;
  $('chat-log').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('chat-text').value;
  try {
    const sent = await app.client.chat(app.consultation, text);
    chatLine(sent.message);
    $('chat-text').value = '';
  } catch (e) {
    status(explain(e), true);
  }
});

$('mute').addEventListener('click', () => {
  const muted = $('mute').getAttribute('aria-pressed') !== 'true';
  app.mesh.setMuted(muted);
  $('mute').setAttribute('aria-pressed', String(muted));
  $('mute').textContent = muted ? 'Unmute' : 'Mute';
});

$('camera-toggle').addEventListener('click', () => {
  const off = $('camera-toggle').getAttribute('aria-pressed') !== 'true';
  app.mesh.setCamera(!off);
  $('camera-toggle').setAttribute('aria-pressed', String(off));
  $('camera-toggle').textContent = off ? 'Camera on' : 'Camera off';
});

$('invite').addEventListener('click', async () => {
  try {
    const created = await app.client.invite(app.consultation, $('invite-role').value);
    // in the fragment: a browser never sends it to a server, so it stays out of proxy and server logs
    const link = location.origin + '/#invite=' + encodeURIComponent(created.invite);
    $('invite-anchor').href = link;
    $('invite-anchor').textContent = link;
    $('invite-link').dataset.link = link;
    const until = new Date(created.expiresAt).toLocaleString([], TIME);
    $('invite-validity').textContent = `It works once, for one person, until ${until}. Create another for each person.`;
    $('invite-link').hidden = false;
  } catch (e) {
    status(explain(e), true);
  }
});

$('invite-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('invite-link').dataset.link);
    status('The invite link is copied. Paste it into your message to them.');
  } catch (e) {
    // no clipboard (an insecure page, or refused): select the link so that it can be copied by hand
    const range = document.createRange();
    range.selectNodeContents($('invite-anchor'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    status('Copy the selected link by hand (Ctrl+C or long-press).', true);
  }
});

async function leave() {
  await app.client.leave(app.consultation).catch(() => {});
  app.left = true;
  finished('You left the consultation.');
}
$('leave').addEventListener('click', leave);
$('waiting-leave').addEventListener('click', leave);

/** After leaving, back in while the consultation is open: the camera check, then the waiting room or the call. */
$('rejoin').addEventListener('click', async () => {
  $('rejoin').hidden = true;
  if (!(await stillOpen())) {
    app.left = false;
    finished('This consultation has ended.');
    return;
  }
  app.shownChat.clear();
  $('chat-log').replaceChildren();
  await precall();
});

/** Whether the consultation has not ended (as far as the server says; a failure to ask counts as no). */
async function stillOpen() {
  try {
    const response = await fetch('/api/v1/consultations/' + encodeURIComponent(app.consultation),
        { headers: { Authorization: 'Bearer ' + app.token } });
    return response.ok && (await response.json()).state !== 'ended';
  } catch (e) {
    return false;
  }
}

$('end').addEventListener('click', async () => {
  await app.client.end(app.consultation).catch((e) => status(explain(e), true));
  finished('You ended the consultation.');
});

function finished(reason) {
  if (app.mesh) { app.mesh.close(); app.mesh = null; }
  if (app.stream) app.stream.getTracks().forEach((t) => t.stop());
  app.phase = 'done';
  $('done-reason').textContent = reason;
  $('rejoin').hidden = true;
  show('done');
  status(reason);
  if (app.left) offerRejoin();
}

/** Rejoin is offered to someone who left, while the consultation is open. */
async function offerRejoin() {
  const open = await stillOpen();
  $('rejoin').hidden = !(open && app.left && app.phase === 'done');
}

// ---- start

const kept = JSON.parse(sessionStorage.getItem(KEPT) || 'null');
if (kept && !app.invite) {
  // this tab redeemed an invite before a reload: back in with the same place, not the used link again, and straight
  // back where they were (the call, or the waiting room) once the camera is open again
  app.invite = null;
  app.consultation = kept.consultation;
  app.autoJoin = true;
  signedIn(kept.token).catch((e) => {
    sessionStorage.removeItem(KEPT);
    status(explain(e) + ' Open your invite link again, or ask your provider for a new one.', true);
    show('signin');
  });
} else if (app.invite) {
  checkInvite();
} else {
  show('signin');
}
