"""Customer feedback from other tools: the bulk API, signed webhooks (Standard Webhooks
and Typeform's own), a CSV of NPS history, and the responses nobody could match yet.

Everything lands through ``surveys.services.feedback_record``, the one way feedback
is written.
"""
