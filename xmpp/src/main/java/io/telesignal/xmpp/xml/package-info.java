/** XML for XMPP streams: the element model and the non-blocking stream parser. Knows nothing of sessions. */
package io.telesignal.xmpp.xml;
