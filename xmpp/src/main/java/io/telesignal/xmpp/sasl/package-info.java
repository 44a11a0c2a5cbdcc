/** SASL for XMPP clients against device passwords: the SCRAM exchange and the checks behind it. No I/O of its own. */
package io.telesignal.xmpp.sasl;
