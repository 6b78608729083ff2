"""The W3C CCG VC-API (VCALM) issuer and verifier endpoints: ``POST /credentials/issue``, ``/credentials/verify``
and ``/presentations/verify``. ``datamodel`` checks the VC Data Model 2.0 rules, ``services`` signs with the
registry's key and verifies with ``awards.verification``, ``views`` serves them over HTTP.
"""
