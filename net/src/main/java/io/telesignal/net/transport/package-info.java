/** Event loop groups shared by every listener of one server. Must not touch: protocols. */
package io.telesignal.net.transport;
