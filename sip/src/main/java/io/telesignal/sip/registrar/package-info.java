/**
 * The SIP registrar (RFC 3261 §10.3, with RFC 5626 instance keys and RFC 3327 Path): REGISTER authenticated against
 * device passwords, bindings kept through the core's location SPI. Must not touch: the store or Redis directly.
 */
package io.telesignal.sip.registrar;
