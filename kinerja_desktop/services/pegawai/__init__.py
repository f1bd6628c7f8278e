"""The person being evaluated: their account, their own part of the work, acknowledgement, keberatan."""
