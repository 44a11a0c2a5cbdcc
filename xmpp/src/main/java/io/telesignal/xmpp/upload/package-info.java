/**
 * HTTP file upload (XEP-0363): the service that hands out slots over XMPP and the HTTP routes that take and serve the
 * files ({@link io.telesignal.xmpp.upload.UploadService}). It owns the slots' rules (sizes, names, types, quota,
 * secrets); the files themselves are the store's ({@link io.telesignal.core.upload.UploadStore}), sealed at rest.
 */
package io.telesignal.xmpp.upload;
