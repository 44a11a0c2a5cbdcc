/** Per-front-door connection and message meters (Micrometer). Must not touch: exposition formats. */
package io.telesignal.net.metrics;
