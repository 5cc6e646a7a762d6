"""Directory services: every change to managers, clients, lists and tokens, each one audited.

Services take an open unit of work and never commit; the caller (an HTTP handler, the CSV
importer) commits once the whole change is made.
"""
