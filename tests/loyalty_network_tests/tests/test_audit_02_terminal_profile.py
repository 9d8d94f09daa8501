"""Audit item 2: the terminal shows a holder's profile only for a card found through its find action.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
