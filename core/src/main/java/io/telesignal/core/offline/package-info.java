/** Messages kept for users who were not connected (XEP-0160), behind a storage SPI. */
package io.telesignal.core.offline;
