/**
 * Device passwords: generated, revocable secrets, one per SIP phone or XMPP client, and the only source of the
 * fast-hash material those protocols need (SIP digest HA1 in MD5 and SHA-256, SCRAM-SHA-256 keys).
 *
 * <p>Owns {@link io.telesignal.core.device.DevicePasswords} (create, list, revoke, and the SIP digest and SCRAM
 * checks the front doors call), the derivation ({@link io.telesignal.core.device.DeviceKeys}, SASLprep) and the
 * storage SPI {@link io.telesignal.core.device.DevicePasswordStore} (in memory here, JDBC in store).
 *
 * <p>Must not touch the account password: that is {@link io.telesignal.core.directory.Accounts}' alone, and
 * nothing here is ever derived from it. Blocking; run on the worker pool.
 */
package io.telesignal.core.device;
