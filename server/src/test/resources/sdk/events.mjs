// Shared by the SDK checks: waiting for a client's events.

/** The detail of the next event of this type on the client that the predicate accepts; rejects after 10 s. */
export const next = (client, type, predicate = () => true) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no ' + type + ' in time')), 10000);
  const listener = (event) => {
    if (predicate(event.detail)) {
      clearTimeout(timer);
      client.removeEventListener(type, listener);
      resolve(event.detail);
    }
  };
  client.addEventListener(type, listener);
});
