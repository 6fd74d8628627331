"""Certificates: PDFs, signed verifiable credentials, public verification, revocation (issue #5)."""
