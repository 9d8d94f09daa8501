"""Audit item 1: merchant-written campaign text never reaches a privileged template engine.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
