/**
 * Files users share over HTTP upload (XEP-0363): the {@link io.telesignal.core.upload.UploadStore} SPI (slots, files,
 * quota, purge) and its in-memory form. It owns no protocol: the XMPP door hands out slots and the HTTP routes put
 * and read files.
 */
package io.telesignal.core.upload;
