/** Message archives (XEP-0313): what each user sent and received, paged, behind a storage SPI. */
package io.telesignal.core.archive;
