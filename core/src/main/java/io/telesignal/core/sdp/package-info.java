/**
 * SDP (RFC 8866): a parser from text to an immutable {@link io.telesignal.core.sdp.SessionDescription}, with
 * limits checked before anything is kept, and the codec policy applied to offers and answers. Pure functions;
 * no business logic beyond the policy. SDP bodies may identify a patient: never logged.
 */
package io.telesignal.core.sdp;
