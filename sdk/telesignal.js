// telesignal.js: the browser SDK for telesignal's JSON signaling protocol (telesignal.v1, docs/protocol.md).
// A plain ES module with JSDoc types and no dependencies; the server serves it at /sdk/telesignal.js.
// Guide and status: docs/sdk.md.

/** The WebSocket subprotocol the server requires. */
export const PROTOCOL = 'telesignal.v1';

/**
 * Close codes after which reconnecting is pointless, because the same thing would happen again (docs/protocol.md):
 * each is reported as an error with this code and never retried.
 */
const FATAL_CLOSES = new Map([
  [1002, 'protocol_error'], // a frame the server cannot decode
  [1003, 'unsupported_data'], // the server takes text frames only
  [1007, 'invalid_payload'], // text that is not UTF-8
  [1008, 'policy_violation'], // e.g. a fragmented message not finished in time
  [1009, 'message_too_large'], // over the server's maxMessageBytes
  [4400, 'bad_request'],
  [4401, 'unauthorized'],
  [4403, 'forbidden'],
  [4409, 'session_replaced'], // the session went on in another connection (another window)
  [4410, 'session_ended'], // an operator ended it
]);

/** Request types that must not be sent again on a new session: they belonged to the old endpoint's calls. */
const BOUND_TO_SESSION = new Set(['signal']);

/** A random id for a chat message, so that sending it again (after a reconnect) stores it once. */
function randomId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

/**
 * An error with the protocol's stable code (`not_authorized`, `consultation_ended`, `resume_expired`, ...).
 * @property {string} code
 * @property {string|undefined} request the id of the request it answers, when it answers one
 * @property {number|undefined} closeCode the WebSocket close code, when the connection closed
 */
export class TelesignalError extends Error {
  /** @param {string} code @param {string} message @param {{request?: string, closeCode?: number}} [details] */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'TelesignalError';
    this.code = code;
    this.request = details.request;
    this.closeCode = details.closeCode;
  }
}

/**
 * @typedef {object} ClientOptions
 * @property {string} [url] the /ws URL; default: this page's host, wss: on https pages
 * @property {string | (() => Promise<string>)} token an access token, or a function that fetches a fresh one
 * @property {number} [minDelay] first reconnect delay in ms (default 500), doubled with each attempt that ends the
 *   same way
 * @property {number} [maxDelay] longest reconnect delay in ms (default 15000)
 * @property {number} [stableAfter] a connection that stays up this long (ms, default 10000) starts the backoff afresh;
 *   one that drops sooner, welcome or not, makes the next delay longer
 * @property {number} [ackDelay] acknowledge at most this long after a message arrived, in ms (default 200)
 * @property {typeof WebSocket} [WebSocket] a WebSocket implementation (default: the global one)
 */

/**
 * One signaling session, kept across dropped connections. Events (all `CustomEvent`, data in `detail`):
 * `state` ({state: 'connecting'|'open'|'reconnecting'|'closed'}), `welcome`, `participant`, `waiting-room`,
 * `admission`, `signal`, `chat` (each message id once, even when the server delivers it again), `presence`,
 * `session-lost` ({code, consultations}: the server could not resume the session, for example because it restarted;
 * the client opens a new one by itself), `rejoined` ({consultation, view}) and `rejoin-failed` ({consultation,
 * error}) for each consultation it joins again on the new session, `error` (a {@link TelesignalError} that no request
 * was waiting for, and a close the client does not come back from), `reconnect` (the node is going away: the client
 * reconnects at once, to another node behind the load balancer).
 */
export class Client extends EventTarget {
  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    this.options = { minDelay: 500, maxDelay: 15000, ackDelay: 200, stableAfter: 10000, ...options };
    this.state = 'closed';
    /** @type {{session: string, resumeToken: string} | null} */
    this.session = null;
    /** @type {string|null} this session's endpoint id, from the welcome */
    this.endpoint = null;
    /** @type {any} the user from the last welcome */
    this.user = null;
    /** @type {any[]} RTCIceServer dictionaries from the last welcome */
    this.iceServers = [];
    this.lastSeq = 0;
    this.ackedSeq = 0;
    this.requests = 0;
    /** requests sent, by type (signals by what they carry), for diagnostics */
    this.counts = {};
    /** @type {Map<string, {resolve: Function, reject: Function, text: string}>} */
    this.pending = new Map();
    this.attempt = 0;
    /** when the current connection was welcomed (ms), for the backoff */
    this.openedAt = null;
    /** @type {number|null} the largest message the server takes, from the welcome */
    this.maxMessageBytes = null;
    this.socket = null;
    this.ackTimer = null;
    this.wanted = false;
    /** consultations joined on this session, joined again on a new one after a session-lost */
    this.joined = new Set();
    /** the session was lost: rejoin after the next welcome */
    this.rejoinPending = false;
    /** the last presence and watch asked for, asked again on a new session */
    this.lastPresence = null;
    this.lastWatch = null;
    /** chat message ids already emitted (bounded), so that one delivered again is shown once */
    this.seenChat = new Set();
  }

  /** Opens the session; resolves with the welcome. */
  connect() {
    this.wanted = true;
    return this.open(false);
  }

  /** Ends the session (close 1000): the server ends it at once and the user leaves their consultations. */
  close() {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    this.flushAck();
    if (this.socket) {
      this.socket.close(1000, 'bye');
    }
    this.setState('closed');
    for (const [, waiting] of this.pending) {
      waiting.reject(new TelesignalError('closed', 'the client was closed'));
    }
    this.pending.clear();
  }

  /**
   * Sends a request and resolves with the result's body, or rejects with a {@link TelesignalError}. A request
   * still unanswered when the connection drops is sent again after the resume, with the same id: the server
   * answers it once.
   * @param {string} type @param {object} [fields] @returns {Promise<any>}
   */
  request(type, fields = {}) {
    const id = 'c' + (++this.requests);
    const kind = type === 'signal' ? 'signal.' + (Object.keys(fields).find((k) => k !== 'consultation' && k !== 'to') || '?') : type;
    this.counts[kind] = (this.counts[kind] || 0) + 1;
    const text = JSON.stringify({ type, id, ...fields });
    const tooLarge = this.tooLarge(text);
    if (tooLarge) return Promise.reject(tooLarge);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, text, type });
      this.sendText(text, true);
    });
  }

  /**
   * A message the server would refuse by closing the connection (1009) is refused here instead, so that the session
   * goes on. @param {string} text @returns {TelesignalError|null}
   */
  tooLarge(text) {
    if (this.maxMessageBytes === null) return null;
    // the longest piggy-backed ack: ',"ack":' and 16 digits
    const bytes = utf8Length(text) + 24;
    if (bytes <= this.maxMessageBytes) return null;
    return new TelesignalError('message_too_large',
        `the message is ${bytes} bytes; the server takes at most ${this.maxMessageBytes}`);
  }

  /** Joins (or joins again); a consultation joined is joined again by itself on a new session. */
  join(consultation, invite) {
    return this.request('join', invite ? { consultation, invite } : { consultation }).then((view) => {
      this.joined.add(consultation);
      return view;
    });
  }

  leave(consultation) {
    this.joined.delete(consultation);
    return this.request('leave', { consultation });
  }
  admit(consultation, user) { return this.request('admit', { consultation, user }); }
  deny(consultation, user) { return this.request('deny', { consultation, user }); }
  remove(consultation, user) { return this.request('remove', { consultation, user }); }
  end(consultation) { return this.request('end', { consultation }); }
  /**
   * Sends a chat message. `clientId` (default: a random one) makes it idempotent: sent again after a reconnect, even
   * on a new session, the server stores it once and answers the message stored the first time.
   */
  chat(consultation, text, clientId = randomId()) { return this.request('chat', { consultation, text, clientId }); }
  history(consultation, limit) { return this.request('history', limit ? { consultation, limit } : { consultation }); }
  invite(consultation, role, ttl) { return this.request('invite', ttl ? { consultation, role, ttl } : { consultation, role }); }
  presence(status, note) {
    this.lastPresence = note === undefined ? { status } : { status, note };
    return this.request('presence', this.lastPresence);
  }

  watch(users) {
    this.lastWatch = { users };
    return this.request('watch', this.lastWatch);
  }

  /**
   * Call signaling to one peer endpoint: exactly one of `description`, `candidate`, `restart`, `hangup`.
   * @param {string} consultation @param {string} to @param {object} payload
   */
  signal(consultation, to, payload) { return this.request('signal', { consultation, to, ...payload }); }

  /** @param {string} name @param {any} detail */
  emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { detail })); }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', { state });
    }
  }

  async token() {
    const t = this.options.token;
    return typeof t === 'function' ? t() : t;
  }

  url() {
    if (this.options.url) return this.options.url;
    const secure = globalThis.location && globalThis.location.protocol === 'https:';
    return (secure ? 'wss://' : 'ws://') + globalThis.location.host + '/ws';
  }

  /** @param {boolean} resuming */
  open(resuming) {
    this.setState(resuming ? 'reconnecting' : 'connecting');
    return new Promise((resolve, reject) => {
      const Impl = this.options.WebSocket || globalThis.WebSocket;
      const socket = new Impl(this.url(), PROTOCOL);
      this.socket = socket;
      let welcomed = false;
      socket.onopen = async () => {
        // signals are acknowledged together (signaled), not each with a result of its own
        const hello = { type: 'hello', token: await this.token(), signalAcks: 'cumulative' };
        if (resuming && this.session) {
          hello.resume = { session: this.session.session, resumeToken: this.session.resumeToken, lastSeq: this.lastSeq };
        }
        socket.send(JSON.stringify(hello));
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === 'welcome') {
          welcomed = true;
          this.welcomed(message);
          resolve(message);
          return;
        }
        if (!welcomed && message.type === 'error' && message.code && message.code.startsWith('resume_')) {
          // the old session is gone (the server restarted, the window lapsed, the buffer overflowed): start a new
          // one on this connection and take up again what the old one was in
          this.sessionLost(message.code);
          this.token().then((token) => socket.send(JSON.stringify({ type: 'hello', token, signalAcks: 'cumulative' })));
          return;
        }
        if (!welcomed && message.type === 'error') {
          reject(new TelesignalError(message.code, message.message));
          return;
        }
        this.received(message);
      };
      socket.onclose = (event) => {
        if (this.socket !== socket) return;
        this.socket = null;
        if (!welcomed) reject(new TelesignalError('connection_failed', 'no welcome', { closeCode: event.code }));
        this.closed(event.code, event.reason);
      };
      socket.onerror = () => { /* onclose follows */ };
    });
  }

  /**
   * The server could not resume the session: what was bound to it (signals for the old endpoint's calls) is refused,
   * the rest is sent again on the new session, and its consultations are joined again after the welcome.
   * @param {string} code
   */
  sessionLost(code) {
    this.session = null;
    this.lastSeq = 0;
    this.ackedSeq = 0;
    for (const [id, waiting] of this.pending) {
      if (BOUND_TO_SESSION.has(waiting.type)) {
        this.pending.delete(id);
        waiting.reject(new TelesignalError('session_lost', 'the session was lost before this was answered', { request: id }));
      }
    }
    this.rejoinPending = this.joined.size > 0 || this.lastPresence !== null || this.lastWatch !== null;
    this.emit('session-lost', { code, consultations: [...this.joined] });
  }

  welcomed(welcome) {
    const resumed = welcome.resumed === true;
    this.session = { session: welcome.session, resumeToken: welcome.resumeToken };
    /** this session's endpoint id: what peers address signals to, and `self` for a {@link Call} or {@link Mesh} */
    this.endpoint = welcome.endpoint;
    this.user = welcome.user;
    this.iceServers = welcome.iceServers || [];
    this.maxMessageBytes = welcome.maxMessageBytes || null;
    if (!resumed) {
      this.lastSeq = 0;
      this.ackedSeq = 0;
    }
    // the backoff starts afresh only once a connection has stayed up (closed() decides): a server that welcomes and
    // then drops every connection the same way is not hammered
    this.openedAt = Date.now();
    this.setState('open');
    this.emit('welcome', welcome);
    // what was asked and not answered goes again; the server answers a repeated id once
    for (const [, waiting] of this.pending) {
      this.sendText(waiting.text, false);
    }
    if (!resumed && this.rejoinPending) {
      this.rejoinPending = false;
      this.takeUpAgain();
    }
  }

  /** On a new session after a lost one: presence, watches and every consultation joined, asked again. */
  takeUpAgain() {
    if (this.lastPresence) this.request('presence', this.lastPresence).catch((e) => this.emit('error', e));
    if (this.lastWatch) this.request('watch', this.lastWatch).catch((e) => this.emit('error', e));
    for (const consultation of [...this.joined]) {
      this.request('join', { consultation }).then(
          (view) => this.emit('rejoined', { consultation, view }),
          (error) => {
            this.joined.delete(consultation);
            this.emit('rejoin-failed', { consultation, error });
          });
    }
  }

  received(message) {
    if (message.seq > 0) {
      if (message.seq <= this.lastSeq) return; // already seen (a replay overlapping what arrived)
      this.lastSeq = message.seq;
      this.scheduleAck();
    }
    if (message.type === 'signaled') {
      // every signal up to this one is handled: those not refused (an error came for them already) were relayed
      const through = Number(String(message.through).slice(1));
      for (const [id, waiting] of this.pending) {
        if (waiting.type === 'signal' && Number(id.slice(1)) <= through) {
          this.pending.delete(id);
          waiting.resolve(undefined);
        }
      }
      return;
    }
    if (message.type === 'result' || (message.type === 'error' && message.re)) {
      const waiting = this.pending.get(message.re);
      if (waiting) {
        this.pending.delete(message.re);
        if (message.type === 'result') waiting.resolve(message.body);
        else waiting.reject(new TelesignalError(message.code, message.message, { request: message.re }));
        return;
      }
    }
    if (message.type === 'error') {
      this.emit('error', new TelesignalError(message.code, message.message, { request: message.re }));
      return;
    }
    if (message.type === 'reconnect') {
      // the node is going away and closes this connection next: reconnect at once (to another node), no backoff
      this.reconnectNow = true;
      this.attempt = 0;
    }
    if (message.type === 'chat' && !this.firstTime(message.message.id)) return;
    if (message.type === 'admission' && ['denied', 'removed', 'ended'].includes(message.status)) {
      this.joined.delete(message.consultation);
    }
    this.emit(message.type, message);
  }

  /** Whether a chat message id is new; remembers the last 1000. @param {string} id */
  firstTime(id) {
    if (this.seenChat.has(id)) return false;
    this.seenChat.add(id);
    if (this.seenChat.size > 1000) this.seenChat.delete(this.seenChat.values().next().value);
    return true;
  }

  closed(code, reason) {
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (!this.wanted || code === 1000) {
      this.setState('closed');
      return;
    }
    if (FATAL_CLOSES.has(code)) {
      // the same would happen again: reported, not retried
      this.wanted = false;
      this.setState('closed');
      const error = new TelesignalError(FATAL_CLOSES.get(code), reason || 'closed by the server', { closeCode: code });
      // nothing unanswered will be answered now
      for (const [, waiting] of this.pending) waiting.reject(error);
      this.pending.clear();
      this.emit('error', error);
      return;
    }
    if (code === 4413) {
      // the buffer overflowed: the session cannot be resumed; the next one takes up what this one was in
      this.sessionLost('resume_overflow');
    }
    // exponential backoff with full jitter; it starts afresh only after a connection that stayed up
    if (this.openedAt !== null && Date.now() - this.openedAt >= this.options.stableAfter) this.attempt = 0;
    this.openedAt = null;
    this.setState('reconnecting');
    const ceiling = Math.min(this.options.maxDelay, this.options.minDelay * 2 ** this.attempt++);
    const delay = this.reconnectNow ? 0 : Math.random() * ceiling;
    this.reconnectNow = false;
    this.reconnectTimer = setTimeout(() => {
      this.open(this.session !== null).catch(() => { /* closed() schedules the next attempt */ });
    }, delay);
  }

  /** @param {string} text @param {boolean} piggyBack */
  sendText(text, piggyBack) {
    if (!this.socket || this.socket.readyState !== 1 || this.state !== 'open') return; // sent again on welcome
    if (piggyBack && this.lastSeq > this.ackedSeq) {
      this.ackedSeq = this.lastSeq;
      text = text.slice(0, -1) + ',"ack":' + this.lastSeq + '}';
    }
    this.socket.send(text);
  }

  scheduleAck() {
    if (this.ackTimer === null) {
      this.ackTimer = setTimeout(() => { this.ackTimer = null; this.flushAck(); }, this.options.ackDelay);
    }
  }

  flushAck() {
    if (this.lastSeq > this.ackedSeq && this.socket && this.socket.readyState === 1) {
      this.ackedSeq = this.lastSeq;
      this.socket.send(JSON.stringify({ type: 'ack', seq: this.lastSeq }));
    }
  }
}

/**
 * A call with one peer endpoint of a consultation. Owns its RTCPeerConnection and negotiates with the
 * perfect-negotiation pattern: the side whose endpoint id sorts lower is polite (docs/protocol.md), so both
 * may offer at any time and glare resolves itself. Events: `track` ({streams, track}), `state`
 * ({connectionState}), `quality` ({rttMs, packetLoss, inboundKbps, outboundKbps, framesDecoded}), `ended`
 * ({reason}), `error` (an Error).
 */
export class Call extends EventTarget {
  /**
   * @param {Client} client
   * @param {{consultation: string, peer: string, self: string, stream?: MediaStream, statsInterval?: number,
   *   listen?: boolean, awaitOffer?: boolean}} options `listen: false` when something else (a {@link Mesh}) hands
   *   it its signals; `awaitOffer: true` on the answering side: the stream is added with the answer
   */
  constructor(client, options) {
    super();
    this.client = client;
    this.consultation = options.consultation;
    this.peer = options.peer;
    this.polite = options.self < options.peer;
    this.pc = new RTCPeerConnection({ iceServers: client.iceServers });
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.ended = false;
    this.pc.onnegotiationneeded = () => this.negotiate();
    this.pc.onicecandidate = ({ candidate }) => {
      // null marks the end of candidates: sent as an empty candidate (RFC 8838)
      const c = candidate ? candidate.toJSON() : { candidate: '' };
      const payload = { candidate: { candidate: c.candidate } };
      if (c.sdpMid != null) payload.candidate.sdpMid = c.sdpMid;
      if (c.sdpMLineIndex != null) payload.candidate.sdpMLineIndex = c.sdpMLineIndex;
      if (c.usernameFragment != null) payload.candidate.usernameFragment = c.usernameFragment;
      this.send(payload);
    };
    this.pc.ontrack = ({ track, streams }) => this.emit('track', { track, streams });
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      this.emit('state', { connectionState: state });
      if (state === 'failed') this.restart();
    };
    this.onSignal = (event) => this.signalled(event.detail);
    if (options.listen !== false) client.addEventListener('signal', this.onSignal);
    // the answering side of a new call adds its media once the offer is applied: no glare on the first exchange
    if (options.stream && options.awaitOffer) this.pendingStream = options.stream;
    else if (options.stream) this.setStream(options.stream);
    this.statsTimer = setInterval(() => this.measure(), options.statsInterval || 2000);
    this.lastStats = null;
    /** ICE restarts this call asked for */
    this.restarts = 0;
    this.lastRestart = null;
    this.networkType = typeof navigator !== 'undefined' && navigator.connection ? navigator.connection.type : undefined;
    this.onNetwork = (event) => this.networkChanged(event);
    networkEvents(this.onNetwork, true);
  }

  emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { detail })); }

  /** Sends the local camera and microphone (or replaces what was sent). @param {MediaStream} stream */
  setStream(stream) {
    this.stream = stream;
    for (const track of stream.getTracks()) {
      const sender = this.pc.getSenders().find((s) => s.track && s.track.kind === track.kind);
      if (sender) sender.replaceTrack(track);
      else this.pc.addTrack(track, stream);
    }
  }

  /** @param {boolean} muted */
  setMuted(muted) { this.tracks('audio').forEach((t) => { t.enabled = !muted; }); }

  /** @param {boolean} on */
  setCamera(on) { this.tracks('video').forEach((t) => { t.enabled = on; }); }

  /**
   * Switches the camera or microphone to another device; the new track keeps the old one's mute or camera-off
   * state, and the old one is stopped. Answers the new track.
   * @param {'audio'|'video'} kind @param {string} deviceId
   */
  async switchDevice(kind, deviceId) {
    const track = await openTrack(kind, deviceId, this.tracks(kind));
    await this.replaceTrack(track);
    if (this.stream) swapTrack(this.stream, track);
    return track;
  }

  /** Sends `track` instead of the one of its kind sent now (no renegotiation). @param {MediaStreamTrack} track */
  async replaceTrack(track) {
    const sender = this.pc.getSenders().find((s) => s.track && s.track.kind === track.kind);
    if (sender) await sender.replaceTrack(track);
  }

  tracks(kind) { return tracksOf(this.stream, kind); }

  /** Restarts ICE (after a network change or a failed connection); the peer is told to do the same. */
  restart() {
    if (this.ended) return;
    this.restarts++;
    this.lastRestart = performance.now();
    this.pc.restartIce();
    this.send({ restart: true });
  }

  /**
   * The device went online again or changed network (`online`, or a `navigator.connection` `change` to another
   * connection type): the old candidate pairs may be dead, so ICE restarts at once instead of waiting for
   * `failed`. Changes within two seconds of a restart are one change.
   */
  networkChanged(event) {
    if (event && event.type === 'change') {
      // navigator.connection also fires 'change' when its bandwidth and rtt estimates move: only a new type counts
      const type = navigator.connection.type;
      if (type === this.networkType) return;
      this.networkType = type;
    }
    if (this.ended || this.pc.connectionState === 'new' || this.pc.connectionState === 'closed') return;
    if (this.lastRestart !== null && performance.now() - this.lastRestart < 2000) return;
    this.restart();
  }

  /** Ends the call and tells the peer. @param {string} [reason] */
  hangup(reason = 'hangup') {
    if (this.ended) return;
    this.send({ hangup: { reason } });
    this.finish(reason);
  }

  async negotiate() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      await this.send({ description: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
    } catch (e) {
      this.emit('error', e);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Handles the peer's signals one at a time, in arrival order (a candidate must wait for its description). */
  signalled(message) {
    if (this.ended || message.consultation !== this.consultation || message.fromEndpoint !== this.peer) return this.queue;
    this.queue = (this.queue || Promise.resolve()).then(() => this.handle(message));
    return this.queue;
  }

  async handle(message) {
    if (this.ended) return;
    try {
      if (message.description) {
        const description = message.description;
        const collision = description.type === 'offer'
            && (this.makingOffer || this.pc.signalingState !== 'stable');
        this.ignoreOffer = !this.polite && collision;
        if (this.ignoreOffer) return;
        await this.pc.setRemoteDescription(description);
        if (description.type === 'offer' && this.pendingStream) {
          this.setStream(this.pendingStream);
          this.pendingStream = null;
        }
        if (description.type === 'offer') {
          await this.pc.setLocalDescription();
          await this.send({ description: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
        }
      } else if (message.candidate) {
        try {
          await this.pc.addIceCandidate(message.candidate.candidate === '' ? null : message.candidate);
        } catch (e) {
          if (!this.ignoreOffer) throw e;
        }
      } else if (message.restart) {
        this.pc.restartIce();
      } else if (message.hangup) {
        this.finish(message.hangup.reason || 'hangup');
      }
    } catch (e) {
      this.emit('error', e);
    }
  }

  send(payload) {
    return this.client.signal(this.consultation, this.peer, payload).catch((e) => this.emit('error', e));
  }

  async measure() {
    if (this.ended) return;
    const report = await this.pc.getStats();
    const now = { at: performance.now(), inBytes: 0, outBytes: 0, lost: 0, received: 0, framesDecoded: 0, rttMs: null };
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) now.rttMs = s.currentRoundTripTime * 1000;
      if (s.type === 'inbound-rtp') {
        now.inBytes += s.bytesReceived || 0;
        now.lost += s.packetsLost || 0;
        now.received += s.packetsReceived || 0;
        now.framesDecoded += s.framesDecoded || 0;
      }
      if (s.type === 'outbound-rtp') now.outBytes += s.bytesSent || 0;
    });
    const last = this.lastStats;
    this.lastStats = now;
    if (!last) return;
    const seconds = (now.at - last.at) / 1000;
    const lost = now.lost - last.lost;
    const received = now.received - last.received;
    this.emit('quality', {
      rttMs: now.rttMs,
      packetLoss: lost + received > 0 ? lost / (lost + received) : 0,
      inboundKbps: ((now.inBytes - last.inBytes) * 8) / 1000 / seconds,
      outboundKbps: ((now.outBytes - last.outBytes) * 8) / 1000 / seconds,
      framesDecoded: now.framesDecoded,
    });
  }

  finish(reason) {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.statsTimer);
    networkEvents(this.onNetwork, false);
    this.client.removeEventListener('signal', this.onSignal);
    this.pc.close();
    this.emit('ended', { reason });
  }
}

/**
 * Every call of one consultation: a {@link Call} with each other admitted endpoint (a mesh), created when the
 * participants list shows the endpoint or its first signal arrives, ended when it leaves. Events: `call`
 * ({call, peer, user}) when a call is created, `ended` ({peer}) when one ends.
 */
export class Mesh extends EventTarget {
  /** @param {Client} client @param {{consultation: string, self: string, stream?: MediaStream}} options */
  constructor(client, options) {
    super();
    this.client = client;
    this.consultation = options.consultation;
    this.self = options.self;
    this.stream = options.stream;
    /** @type {Map<string, Call>} */
    this.calls = new Map();
    this.users = new Map();
    this.onParticipants = (e) => {
      if (e.detail.consultation === this.consultation) this.update(e.detail.participants, e.detail.version);
    };
    this.onSignal = (e) => this.route(e.detail);
    this.onWelcome = (e) => this.welcomed(e.detail);
    client.addEventListener('participant', this.onParticipants);
    client.addEventListener('signal', this.onSignal);
    client.addEventListener('welcome', this.onWelcome);
  }

  /**
   * A new session (the old one could not be resumed, for example after a server restart) has a new endpoint: every
   * call belonged to the old one and ends (`session_lost`); the calls are made again from the new endpoint as the
   * participants list shows the others, never to or from an endpoint that is gone.
   */
  welcomed(welcome) {
    if (welcome.resumed || welcome.endpoint === this.self) return;
    this.self = welcome.endpoint;
    this.version = undefined; // the consultation is joined again: whatever comes now is newer than what was
    for (const call of [...this.calls.values()]) call.finish('session_lost');
    this.calls.clear();
  }

  /**
   * Calls every admitted endpoint but our own; hangs up on the ones gone. A list older than one applied already (its
   * consultation `version` lower) is ignored: a join's answer can reach the page after an event that is newer than it
   * (two pages rejoining at once after a server restart), and applying it would hang up on a peer that is there.
   * @param {any[]} participants @param {number} [version]
   */
  update(participants, version) {
    if (typeof version === 'number') {
      if (typeof this.version === 'number' && version < this.version) return;
      this.version = version;
    }
    const present = new Set();
    for (const p of participants) {
      for (const endpoint of p.endpoints || []) {
        if (endpoint === this.self || p.status !== 'admitted') continue;
        present.add(endpoint);
        this.users.set(endpoint, p);
        // one side starts each call: the impolite one (the higher endpoint id); the other answers its offer
        if (this.self > endpoint) this.ensure(endpoint, false);
      }
    }
    for (const [peer, call] of this.calls) {
      if (!present.has(peer)) {
        call.finish('left');
      }
    }
  }

  ensure(peer, answering) {
    let call = this.calls.get(peer);
    if (!call || call.ended) {
      call = new Call(this.client, { consultation: this.consultation, self: this.self, peer, stream: this.stream,
        listen: false, awaitOffer: answering });
      this.calls.set(peer, call);
      call.addEventListener('ended', () => {
        if (this.calls.get(peer) === call) this.calls.delete(peer);
        this.dispatchEvent(new CustomEvent('ended', { detail: { peer } }));
      });
      this.dispatchEvent(new CustomEvent('call', { detail: { call, peer, user: this.users.get(peer) } }));
    }
    return call;
  }

  route(message) {
    if (message.consultation !== this.consultation || message.fromEndpoint === this.self) return;
    if (message.hangup && !this.calls.has(message.fromEndpoint)) return;
    this.ensure(message.fromEndpoint, true).signalled(message);
  }

  // every call sends the mesh's own stream: its tracks are the ones to switch off and on
  /** @param {boolean} muted */
  setMuted(muted) { this.tracks('audio').forEach((t) => { t.enabled = !muted; }); }

  /** @param {boolean} on */
  setCamera(on) { this.tracks('video').forEach((t) => { t.enabled = on; }); }

  /**
   * Switches the camera or microphone of every call to another device (one new track, sent on each call); the
   * mute or camera-off state is kept and the old track stopped. Answers the new track.
   * @param {'audio'|'video'} kind @param {string} deviceId
   */
  async switchDevice(kind, deviceId) {
    const track = await openTrack(kind, deviceId, this.tracks(kind));
    if (!this.stream) {
      track.stop();
      throw new TelesignalError('no_media', 'the mesh has no camera or microphone stream to switch');
    }
    // every live call gets the new track; one that fails (its peer just left) does not stop the others, and the
    // stream is switched whatever happens, so that mute and camera-off act on what peers now receive
    await Promise.allSettled([...this.calls.values()].filter((c) => !c.ended).map((c) => c.replaceTrack(track)));
    swapTrack(this.stream, track);
    return track;
  }

  tracks(kind) { return tracksOf(this.stream, kind); }

  /** Hangs up every call and stops listening. */
  close() {
    this.client.removeEventListener('participant', this.onParticipants);
    this.client.removeEventListener('signal', this.onSignal);
    this.client.removeEventListener('welcome', this.onWelcome);
    this.calls.forEach((c) => c.hangup('left'));
    this.calls.clear();
  }
}

/** The UTF-8 length of a string, without encoding it. @param {string} text */
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { bytes += 4; i++; } // a surrogate pair
    else bytes += 3;
  }
  return bytes;
}

/** The tracks of a kind in a stream (none without a stream). */
function tracksOf(stream, kind) { return stream ? stream.getTracks().filter((t) => t.kind === kind) : []; }

/** A track from another device, enabled like the tracks it replaces. */
async function openTrack(kind, deviceId, replacing) {
  const media = await navigator.mediaDevices.getUserMedia({ [kind]: { deviceId: { exact: deviceId } } });
  const track = media.getTracks()[0];
  if (replacing.length > 0) track.enabled = replacing[0].enabled;
  return track;
}

/** Puts `track` in `stream` in place of (and stopping) the tracks of its kind. */
function swapTrack(stream, track) {
  stream.getTracks().filter((t) => t.kind === track.kind && t !== track).forEach((t) => { stream.removeTrack(t); t.stop(); });
  if (!stream.getTracks().includes(track)) stream.addTrack(track);
}

/** Adds or removes a listener for network changes, where the platform has them (browsers; not Node). */
function networkEvents(listener, add) {
  const method = add ? 'addEventListener' : 'removeEventListener';
  if (typeof globalThis[method] === 'function' && typeof window !== 'undefined') globalThis[method]('online', listener);
  const connection = typeof navigator !== 'undefined' ? navigator.connection : undefined;
  if (connection && typeof connection[method] === 'function') connection[method]('change', listener);
}
