"""Writes of the certificates app: keys (keys.py), issuing (issuing.py), revoking
(revoking.py) and the signed status lists (status.py)."""
