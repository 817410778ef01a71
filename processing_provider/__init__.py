"""The Processing provider: Cadastre Cleaner's checks as Processing algorithms.

Algorithms here only turn Processing parameters into `core` requests and
results back into outputs; the checks themselves live in `core/`.
"""
