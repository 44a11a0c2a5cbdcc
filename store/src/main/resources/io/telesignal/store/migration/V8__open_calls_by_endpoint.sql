-- In cluster mode an endpoint that goes ends the open calls it is in, whichever node began them: found by endpoint.
CREATE INDEX call_records_caller_endpoint ON call_records (caller_endpoint, state);
CREATE INDEX call_records_callee_endpoint ON call_records (callee_endpoint, state);
