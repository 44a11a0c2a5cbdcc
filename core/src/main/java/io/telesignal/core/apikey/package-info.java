/**
 * API keys: how a platform's backend authenticates to the REST API (to issue tokens for its users, create
 * consultations). A key is shown once when created; only its SHA-256 is stored (the secret has 256 bits of
 * entropy, so a fast hash is enough). {@link io.telesignal.core.apikey.ApiKeyStore} is the SPI (in memory here,
 * JDBC in store). Blocking; run on the worker pool.
 */
package io.telesignal.core.apikey;
