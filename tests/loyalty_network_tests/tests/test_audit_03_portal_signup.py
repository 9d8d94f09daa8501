"""Audit item 3: portal sign-up cannot take over a holder's account.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
