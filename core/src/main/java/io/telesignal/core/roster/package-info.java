/** Rosters (RFC 6121 §2): contacts, their subscription states and the roster version, behind a storage SPI. */
package io.telesignal.core.roster;
