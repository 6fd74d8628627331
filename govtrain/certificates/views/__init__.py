"""Pages of certificates: the employee's (mine.py), the institute's (institute.py), and
anyone's (public.py: verification, the issuers' keys, status lists, the VC API)."""
