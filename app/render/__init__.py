"""Rendering: what the services compute, turned into what people read.

SVG charts, CSV and XLSX files, and the texts of notifications and mails. Modules here read
models and the services' pure helpers, never write to the database, and never decide a rule.
"""
