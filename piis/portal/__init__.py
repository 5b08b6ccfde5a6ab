"""The beneficiary's own portal: their account, their login, and the pages where they read their PIIS, their dates,
their rights and their letters (and, in actions.py, what they can ask for). See docs/portal.md."""
